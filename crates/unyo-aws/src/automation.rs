//! Systems Manager Automation on a real account: starting a runbook
//! (`StartAutomationExecution`) and reading an execution with its steps
//! (`GetAutomationExecution`), in the shapes the incident screen and the doctor follow.
//!
//! AWS has more statuses than the screen shows; each is folded into the nearest one (an
//! execution waiting for approval is `Pending`, `CompletedWithFailure` is `Failed`).

use std::collections::{BTreeMap, HashMap};

use aws_sdk_ssm::types::{self as ssm, AutomationExecutionStatus};
use aws_smithy_types::date_time::Format;
use unyo_core::AppError;
use unyo_core::automation::{
    AutomationExecution, ExecutionStatus, StartAutomationRequest, StepExecution,
};

use crate::error::from_action;

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
        Some(
            S::Failed
            | S::CompletedWithFailure
            | S::Rejected
            | S::Exited
            | S::ChangeCalendarOverrideRejected,
        ) => ExecutionStatus::Failed,
        // Pending, scheduled, waiting for approval or a change calendar: not started yet.
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
