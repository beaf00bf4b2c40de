//! Verification after a change: the checks a runbook carries, what running them will send,
//! and their verdicts, one per check, read from the instance itself through Run Command.

use std::time::Duration;

use tauri::State;
use unyo_core::AppError;
use unyo_core::action::ChangePreview;
use unyo_core::verify::{CheckResult, Probe, VerifyRequest, catalog, run_checks};

use crate::state::AppState;

/// How often the checks' command is read while it runs, and how long an instance has to
/// answer before every check is unknown.
const POLL: Duration = Duration::from_secs(2);
const LIMIT: Duration = Duration::from_secs(120);

/// The checks that prove `runbook`'s goal (empty when it has none on the host).
#[tauri::command]
pub fn runbook_checks(runbook: String) -> Vec<Probe> {
    catalog::checks_for(&runbook)
}

/// What running the checks sends (a read-only Run Command, still run as root or SYSTEM).
#[tauri::command]
pub fn preview_verification(request: VerifyRequest) -> Result<ChangePreview, AppError> {
    Ok(request.command()?.describe())
}

/// Runs the checks on the instance and judges each.
#[tauri::command]
pub async fn verify_instance(
    state: State<'_, AppState>,
    account: String,
    request: VerifyRequest,
) -> Result<Vec<CheckResult>, AppError> {
    let cloud = state.cloud(&account).await?;
    let results = run_checks(cloud.require_run_command()?, &request, POLL, LIMIT).await?;
    tracing::info!(
        account,
        instance = request.instance_id,
        verdict = ?unyo_core::verify::overall(&results),
        "verification ran"
    );
    Ok(results)
}
