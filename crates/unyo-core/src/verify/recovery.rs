//! A runbook run the way Recovery runs it, for every caller that has no screen to keep state
//! in (the CLI, tests against the AWS adapter): the checks once before a runbook that can
//! change resources (the baseline), the runbook started and followed to its end, then the
//! same checks again whatever the runbook said about itself.

use std::time::Duration;

use super::{CheckResult, Probe, VerifyRequest, run_checks};
use crate::AppError;
use crate::automation::{AutomationExecution, StartAutomationRequest, can_change_resources};
use crate::cloud::Cloud;

/// How often the runbook and the checks' command are read, and how long the instance has
/// to answer the checks.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    pub poll: Duration,
    pub checks_limit: Duration,
}

/// What the run found. Each verification is `None` when there were no checks to run, and an
/// error when they could not be sent; the runbook's own outcome is kept apart from both.
#[derive(Debug)]
pub struct VerifiedRun {
    pub baseline: Option<Result<Vec<CheckResult>, AppError>>,
    pub execution: AutomationExecution,
    pub after: Option<Result<Vec<CheckResult>, AppError>>,
}

/// Runs `runbook` on `instance_id` and verifies `probes` on it, calling `on_update` with every
/// read of the execution so a caller can show its steps as they go. A runbook that cannot be
/// started is an error (nothing ran, nothing to verify); once it has started, failures of the
/// checks are part of the answer, not an error.
pub async fn run_verified(
    cloud: &dyn Cloud,
    runbook: &StartAutomationRequest,
    instance_id: &str,
    probes: Vec<Probe>,
    pace: Pace,
    mut on_update: impl FnMut(&AutomationExecution) + Send,
) -> Result<VerifiedRun, AppError> {
    let automation = cloud.require_automation()?;
    let checks = (!probes.is_empty()).then(|| VerifyRequest {
        region: runbook.region.clone(),
        instance_id: instance_id.to_owned(),
        probes,
    });
    let verify = |request: &VerifyRequest| {
        let request = request.clone();
        async move {
            let run = cloud.require_run_command()?;
            run_checks(run, &request, pace.poll, pace.checks_limit).await
        }
    };
    let baseline = match &checks {
        Some(request) if can_change_resources(&runbook.document_name) => {
            Some(verify(request).await)
        }
        _ => None,
    };
    let execution_id = automation.start_automation(runbook).await?;
    let execution = loop {
        let execution = automation
            .get_automation_execution(&runbook.region, &execution_id)
            .await?;
        on_update(&execution);
        if execution.status.is_finished() {
            break execution;
        }
        tokio::time::sleep(pace.poll).await;
    };
    let after = match &checks {
        Some(request) => Some(verify(request).await),
        None => None,
    };
    Ok(VerifiedRun {
        baseline,
        execution,
        after,
    })
}
