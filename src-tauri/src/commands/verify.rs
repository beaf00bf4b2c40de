//! Verification after a change: the checks a runbook carries and those the user added to it,
//! what running them will send, and their verdicts, one per check, read from the instance
//! itself through Run Command.

use std::time::Duration;

use tauri::State;
use unyo_core::AppError;
use unyo_core::action::ChangePreview;
use unyo_core::settings;
use unyo_core::verify::catalog::{CheckSet, RunbookGuide};
use unyo_core::verify::{CheckResult, Probe, VerifyRequest, catalog, run_checks};

use crate::commands::settings::update;
use crate::state::AppState;

/// How often the checks' command is read while it runs, and how long an instance has to
/// answer before every check is unknown.
const POLL: Duration = Duration::from_secs(2);
const LIMIT: Duration = Duration::from_secs(120);

/// What Unyo knows of `runbook` (read-only or not, what it changes, the checks that prove
/// its goal) with the checks the user added to it on `account`.
#[tauri::command]
pub fn runbook_guide(
    state: State<'_, AppState>,
    account: String,
    runbook: String,
) -> Result<RunbookGuide, AppError> {
    settings::check_account_id(&account)?;
    let own = state.settings()?.own_checks(&account, &runbook);
    Ok(catalog::guide(&runbook, own))
}

/// The named check sets (sshd, rdp, agent) the UI offers to add.
#[tauri::command]
pub fn check_sets() -> Vec<CheckSet> {
    catalog::sets()
}

/// Replaces the checks the user added to `document` (a runbook, or a Run Command document)
/// on `account`, and answers with them as saved. Synchronous, like every settings write.
#[tauri::command]
pub fn save_own_checks(
    state: State<'_, AppState>,
    account: String,
    document: String,
    probes: Vec<Probe>,
) -> Result<Vec<Probe>, AppError> {
    settings::check_account_id(&account)?;
    let mut refused = None;
    let saved = update(&state, |current| {
        if let Err(e) = current.set_own_checks(&account, &document, probes) {
            refused = Some(e);
        }
    })?;
    match refused {
        Some(e) => Err(e),
        None => Ok(saved.own_checks(&account, &document)),
    }
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
