//! Systems Manager Automation on a real account: the runbook catalog ([`catalog`]), starting
//! a runbook (`StartAutomationExecution`), reading an execution with its steps
//! (`GetAutomationExecution`) and the recent ones (`DescribeAutomationExecutions`), in the
//! shapes the incident screen and the doctor follow.
//!
//! AWS has more statuses than the screen shows; each is folded into the nearest one
//! (`CompletedWithFailure` is `Failed`, a scheduled change request is `Pending`), keeping
//! apart what a change request's approvers decide: waiting for them, and rejected.

mod catalog;

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use aws_sdk_ssm::types::{self as ssm, AutomationExecutionStatus};
use aws_smithy_types::date_time::Format;
use unyo_core::AppError;
use unyo_core::automation::{
    AutomationExecution, ExecutionStatus, Runbook, StartAutomationRequest, StepExecution,
};
use unyo_core::cloud::Automation;

use crate::cloud::AwsCloud;
use crate::error::from_action;

/// How many recent executions the history lists.
const RECENT: usize = 50;

#[async_trait]
impl Automation for AwsCloud {
    async fn list_runbooks(&self, region: &str) -> Result<Vec<Runbook>, AppError> {
        catalog::list(&self.regional(region)?.ssm).await
    }

    async fn describe_runbook(&self, region: &str, name: &str) -> Result<Runbook, AppError> {
        catalog::describe(&self.regional(region)?.ssm, name).await
    }

    async fn start_automation(&self, request: &StartAutomationRequest) -> Result<String, AppError> {
        start(&self.regional(&request.region)?.ssm, request).await
    }

    async fn get_automation_execution(
        &self,
        region: &str,
        execution_id: &str,
    ) -> Result<AutomationExecution, AppError> {
        get(&self.regional(region)?.ssm, region, execution_id).await
    }

    async fn list_automation_executions(
        &self,
        region: &str,
    ) -> Result<Vec<AutomationExecution>, AppError> {
        recent(&self.regional(region)?.ssm, region).await
    }
}

/// The newest executions of the region, newest first, without their steps.
pub async fn recent(
    ssm: &aws_sdk_ssm::Client,
    region: &str,
) -> Result<Vec<AutomationExecution>, AppError> {
    let mut found = Vec::new();
    let mut pages = ssm
        .describe_automation_executions()
        .max_results(50)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_action("ssm:DescribeAutomationExecutions", &e))?;
        found.extend(
            page.automation_execution_metadata_list
                .unwrap_or_default()
                .into_iter()
                .map(|m| metadata_of(region, m)),
        );
        if found.len() >= RECENT {
            break;
        }
    }
    found.sort_by(|a, b| b.started_at.cmp(&a.started_at));
    found.truncate(RECENT);
    Ok(found)
}

fn metadata_of(region: &str, m: ssm::AutomationExecutionMetadata) -> AutomationExecution {
    AutomationExecution {
        execution_id: m.automation_execution_id.unwrap_or_default(),
        region: region.to_owned(),
        document_name: m.document_name.unwrap_or_default(),
        parameters: BTreeMap::new(),
        status: status(m.automation_execution_status.as_ref()),
        started_at: time(m.execution_start_time.as_ref()).unwrap_or_default(),
        ended_at: time(m.execution_end_time.as_ref()),
        executed_by: m.executed_by.unwrap_or_default(),
        steps: Vec::new(),
        outputs: sorted(m.outputs),
        failure_message: m.failure_message,
    }
}

/// Starts the runbook and returns its execution id.
pub async fn start(
    ssm: &aws_sdk_ssm::Client,
    request: &StartAutomationRequest,
) -> Result<String, AppError> {
    const ACTION: &str = "ssm:StartAutomationExecution";
    let parameters: HashMap<String, Vec<String>> = request
        .parameters
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let out = ssm
        .start_automation_execution()
        .document_name(&request.document_name)
        .set_parameters((!parameters.is_empty()).then_some(parameters))
        .send()
        .await
        .map_err(|e| from_action(ACTION, &e))?;
    out.automation_execution_id
        .ok_or_else(|| no_id(ACTION, "an execution id"))
}

/// The execution and its steps as they are now.
pub async fn get(
    ssm: &aws_sdk_ssm::Client,
    region: &str,
    execution_id: &str,
) -> Result<AutomationExecution, AppError> {
    const ACTION: &str = "ssm:GetAutomationExecution";
    let out = ssm
        .get_automation_execution()
        .automation_execution_id(execution_id)
        .send()
        .await
        .map_err(|e| from_action(ACTION, &e))?;
    let execution = out
        .automation_execution
        .ok_or_else(|| no_id(ACTION, "the execution"))?;
    Ok(execution_of(region, execution))
}

pub(crate) fn no_id(action: &str, what: &str) -> AppError {
    AppError::new(
        unyo_core::ErrorCode::Internal,
        format!("{action} answered without {what}"),
    )
}

fn time(at: Option<&aws_smithy_types::DateTime>) -> Option<String> {
    at.and_then(|t| t.fmt(Format::DateTime).ok())
}

fn sorted(map: Option<HashMap<String, Vec<String>>>) -> BTreeMap<String, Vec<String>> {
    map.unwrap_or_default().into_iter().collect()
}

pub(crate) fn status(status: Option<&AutomationExecutionStatus>) -> ExecutionStatus {
    use AutomationExecutionStatus as S;
    match status {
        Some(S::Inprogress | S::RunbookInprogress) => ExecutionStatus::InProgress,
        Some(S::Waiting) => ExecutionStatus::Waiting,
        Some(S::Success | S::CompletedWithSuccess) => ExecutionStatus::Success,
        Some(S::Timedout) => ExecutionStatus::TimedOut,
        Some(S::Cancelling) => ExecutionStatus::Cancelling,
        Some(S::Cancelled) => ExecutionStatus::Cancelled,
        Some(S::Failed | S::CompletedWithFailure | S::Exited) => ExecutionStatus::Failed,
        Some(S::PendingApproval | S::PendingChangeCalendarOverride) => {
            ExecutionStatus::PendingApproval
        }
        Some(S::Rejected | S::ChangeCalendarOverrideRejected) => ExecutionStatus::Rejected,
        // Pending, approved, scheduled: not started yet.
        _ => ExecutionStatus::Pending,
    }
}

fn step_of(step: ssm::StepExecution) -> StepExecution {
    StepExecution {
        step_name: step.step_name.unwrap_or_default(),
        action: step.action.unwrap_or_default(),
        status: status(step.step_status.as_ref()),
        started_at: time(step.execution_start_time.as_ref()),
        ended_at: time(step.execution_end_time.as_ref()),
        outputs: sorted(step.outputs),
        failure_message: step.failure_message,
    }
}

fn execution_of(region: &str, e: ssm::AutomationExecution) -> AutomationExecution {
    AutomationExecution {
        execution_id: e.automation_execution_id.unwrap_or_default(),
        region: region.to_owned(),
        document_name: e.document_name.unwrap_or_default(),
        parameters: sorted(e.parameters),
        status: status(e.automation_execution_status.as_ref()),
        started_at: time(e.execution_start_time.as_ref()).unwrap_or_default(),
        ended_at: time(e.execution_end_time.as_ref()),
        executed_by: e.executed_by.unwrap_or_default(),
        steps: e
            .step_executions
            .unwrap_or_default()
            .into_iter()
            .map(step_of)
            .collect(),
        outputs: sorted(e.outputs),
        failure_message: e.failure_message,
    }
}
