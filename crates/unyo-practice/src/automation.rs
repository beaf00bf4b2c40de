//! Automation on the practice account: a small catalog of AWS-owned runbooks and executions
//! that progress step by step with the simulated clock. Each execution is planned when it
//! starts, from what the runbook would find on the instance then; a step's effect on the
//! instance (a recreated file, a reboot) lands when the step ends.

mod catalog;
mod restart;
mod troubleshoot_ssh;

use std::collections::BTreeMap;

use unyo_core::automation::{
    AutomationExecution, AutomationParameters, ExecutionStatus, Runbook, StartAutomationRequest,
    StepExecution,
};
use unyo_core::{AppError, Instance};

use crate::account::{Account, check_region};
use crate::clock::rfc3339;
use crate::host::Host;

pub use catalog::runbooks;

/// What a finished step does to the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    None,
    /// TroubleshootSSH's FixAll: sshd_config recreated or rewritten, at 0655.
    RewriteSshdConfig,
    Reboot,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedStep {
    pub name: &'static str,
    pub action: &'static str,
    pub seconds: i64,
    pub outputs: BTreeMap<String, Vec<String>>,
    /// `Success` or `Failed`; a failed step is the plan's last.
    pub result: ExecutionStatus,
    pub failure: Option<String>,
    pub effect: Effect,
}

impl PlannedStep {
    pub fn ok(name: &'static str, action: &'static str, seconds: i64) -> Self {
        Self {
            name,
            action,
            seconds,
            outputs: BTreeMap::new(),
            result: ExecutionStatus::Success,
            failure: None,
            effect: Effect::None,
        }
    }

    pub fn output(mut self, key: &str, value: impl Into<String>) -> Self {
        self.outputs.insert(key.to_owned(), vec![value.into()]);
        self
    }

    pub fn failed(mut self, why: impl Into<String>) -> Self {
        self.result = ExecutionStatus::Failed;
        self.failure = Some(why.into());
        self
    }

    pub fn effect(mut self, effect: Effect) -> Self {
        self.effect = effect;
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    pub id: String,
    pub region: String,
    pub document: String,
    pub parameters: AutomationParameters,
    pub instance_id: String,
    pub started: i64,
    pub executed_by: String,
    pub steps: Vec<PlannedStep>,
    /// How many steps' effects have been applied to the instance.
    pub applied: usize,
    /// Step outputs the document declares as its own, once it succeeds.
    pub outputs: Vec<(&'static str, &'static str)>,
}

impl Execution {
    /// When step `index` starts and ends.
    fn window(&self, index: usize) -> (i64, i64) {
        let start = self.started + 1 + self.steps[..index].iter().map(|s| s.seconds).sum::<i64>();
        (start, start + self.steps[index].seconds)
    }

    pub fn view(&self, now: i64) -> AutomationExecution {
        let mut steps = Vec::new();
        for (i, step) in self.steps.iter().enumerate() {
            let (start, end) = self.window(i);
            let (status, started_at, ended_at) = if now >= end {
                (step.result, Some(rfc3339(start)), Some(rfc3339(end)))
            } else if now >= start {
                (ExecutionStatus::InProgress, Some(rfc3339(start)), None)
            } else {
                (ExecutionStatus::Pending, None, None)
            };
            let finished = status.is_finished();
            steps.push(StepExecution {
                step_name: step.name.to_owned(),
                action: step.action.to_owned(),
                status,
                started_at,
                ended_at,
                outputs: if finished {
                    step.outputs.clone()
                } else {
                    BTreeMap::new()
                },
                failure_message: if finished { step.failure.clone() } else { None },
            });
        }
        let done = steps.last().is_none_or(|s| s.status.is_finished());
        let failed = steps.iter().find(|s| s.status == ExecutionStatus::Failed);
        let status = match (done, failed) {
            (_, Some(_)) => ExecutionStatus::Failed,
            (true, None) => ExecutionStatus::Success,
            (false, None) => ExecutionStatus::InProgress,
        };
        let failure_message = failed.and_then(|s| {
            s.failure_message
                .as_ref()
                .map(|m| format!("Step fails when it is executing {}. {m}", s.step_name))
        });
        let mut outputs = BTreeMap::new();
        if status == ExecutionStatus::Success {
            for (step, key) in &self.outputs {
                if let Some(value) = self
                    .steps
                    .iter()
                    .find(|s| s.name == *step)
                    .and_then(|s| s.outputs.get(*key))
                {
                    outputs.insert(format!("{step}.{key}"), value.clone());
                }
            }
        }
        AutomationExecution {
            execution_id: self.id.clone(),
            region: self.region.clone(),
            document_name: self.document.clone(),
            parameters: self.parameters.clone(),
            status,
            started_at: rfc3339(self.started),
            ended_at: done.then(|| rfc3339(self.window(self.steps.len().saturating_sub(1)).1)),
            executed_by: crate::account::LEARNER_ARN.to_owned(),
            steps,
            outputs,
            failure_message,
        }
    }
}

/// Applies the effects of every step that has ended by `now`, in order.
pub fn catch_up(
    account: &mut Account,
    hosts: &mut BTreeMap<String, Host>,
    instances: &[Instance],
    now: i64,
) {
    for execution in &mut account.executions {
        while execution.applied < execution.steps.len() {
            let index = execution.applied;
            let (_, end) = execution.window(index);
            if end > now {
                break;
            }
            let effect = execution.steps[index].effect;
            if let Some(instance) = instances.iter().find(|i| i.id == execution.instance_id) {
                crate::metrics::with_host(hosts, instance, end, |host| match effect {
                    Effect::None => {}
                    Effect::RewriteSshdConfig => troubleshoot_ssh::rewrite_config(host),
                    Effect::Reboot => restart::reboot(host),
                });
                if let Some(host) = hosts.get_mut(&instance.id) {
                    host.record_load();
                }
            }
            execution.applied += 1;
        }
    }
}

fn one(parameters: &AutomationParameters, name: &str) -> Option<String> {
    parameters.get(name).and_then(|v| v.first()).cloned()
}

/// Checks the request against the catalog and plans the execution.
pub fn start(
    account: &mut Account,
    hosts: &mut BTreeMap<String, Host>,
    instances: &[Instance],
    request: &StartAutomationRequest,
    now: i64,
) -> Result<String, AppError> {
    check_region(&request.region)?;
    let runbook: Runbook = runbooks()
        .into_iter()
        .find(|r| r.name == request.document_name)
        .ok_or_else(|| {
            AppError::invalid_input(format!(
                "the practice account has no runbook {} (InvalidDocument)",
                request.document_name
            ))
        })?;
    let mut parameters = request.parameters.clone();
    for p in &runbook.parameters {
        match (parameters.get(&p.name), &p.default) {
            (None, Some(default)) => {
                parameters.insert(p.name.clone(), vec![default.clone()]);
            }
            (None, None) if p.required => {
                return Err(AppError::invalid_input(format!(
                    "{} needs the parameter {} (InvalidAutomationExecutionParametersException)",
                    runbook.name, p.name
                )));
            }
            (Some(values), _) if !p.allowed_values.is_empty() => {
                if let Some(bad) = values.iter().find(|v| !p.allowed_values.contains(v)) {
                    return Err(AppError::invalid_input(format!(
                        "{} is not an allowed value for {}; use {}",
                        bad,
                        p.name,
                        p.allowed_values.join(" or ")
                    )));
                }
            }
            _ => {}
        }
    }
    if let Some(unknown) = parameters
        .keys()
        .find(|k| !runbook.parameters.iter().any(|p| &p.name == *k))
    {
        return Err(AppError::invalid_input(format!(
            "{} has no parameter {unknown}",
            runbook.name
        )));
    }
    let instance_id = one(&parameters, "InstanceId").unwrap_or_default();
    let instance = instances
        .iter()
        .find(|i| i.id == instance_id && i.region == request.region)
        .map(|i| account.instance(i.clone()))
        .ok_or_else(|| {
            AppError::invalid_input(format!(
                "no instance {instance_id} in {} for {}",
                request.region, runbook.name
            ))
        })?;
    let (steps, outputs) =
        crate::metrics::with_host(hosts, &instance, now, |host| match runbook.name.as_str() {
            troubleshoot_ssh::NAME => troubleshoot_ssh::plan(&instance, host, &parameters),
            restart::NAME => restart::plan(&instance),
            _ => troubleshoot_ssh::plan_managed_instance(
                &instance,
                account.blocked_egress.get(&instance.id).map(String::as_str),
            ),
        })?;
    let id = account.next_uuid();
    account.record(
        &request.region,
        now,
        crate::account::Call {
            name: "StartAutomationExecution",
            source: "ssm.amazonaws.com",
            user: crate::account::LEARNER,
            user_arn: crate::account::LEARNER_ARN,
            request: serde_json::json!({"documentName": runbook.name, "parameters": parameters}),
            resources: vec![("AWS::EC2::Instance", &instance.id)],
        },
    );
    account.executions.push(Execution {
        id: id.clone(),
        region: request.region.clone(),
        document: runbook.name.clone(),
        parameters,
        instance_id: instance.id.clone(),
        started: now,
        executed_by: crate::account::LEARNER_ARN.to_owned(),
        steps,
        applied: 0,
        outputs,
    });
    Ok(id)
}

pub fn get(
    account: &Account,
    region: &str,
    id: &str,
    now: i64,
) -> Result<AutomationExecution, AppError> {
    check_region(region)?;
    account
        .executions
        .iter()
        .find(|e| e.id == id && e.region == region)
        .map(|e| e.view(now))
        .ok_or_else(|| {
            AppError::invalid_input(format!(
                "no Automation execution {id} in {region} (AutomationExecutionNotFoundException)"
            ))
        })
}

pub fn list(
    account: &Account,
    region: &str,
    now: i64,
) -> Result<Vec<AutomationExecution>, AppError> {
    check_region(region)?;
    Ok(account
        .executions
        .iter()
        .rev()
        .filter(|e| e.region == region)
        .map(|e| e.view(now))
        .collect())
}
