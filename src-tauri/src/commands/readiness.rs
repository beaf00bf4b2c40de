//! The readiness doctor: whether Session Manager will work on an instance or across a region,
//! and the region's report saved as Markdown or CSV; the checks only read. The fixes Unyo can
//! make have a `preview_*` twin that says what they will do and cost without doing it, and are
//! applied only when the UI sends one the user confirmed.

use serde::Deserialize;
use tauri::State;
use ts_rs::TS;
use unyo_core::AppError;
use unyo_core::readiness::{
    ActionStarted, ReadinessAction, ReadinessActionPreview, ReadinessReport, RegionReadiness,
    doctor, export,
};

use crate::state::AppState;

#[tauri::command]
pub async fn instance_readiness(
    state: State<'_, AppState>,
    account: String,
    instance_id: String,
) -> Result<ReadinessReport, AppError> {
    let cloud = state.cloud(&account).await?;
    doctor::check_instance(cloud.as_ref(), &instance_id).await
}

#[tauri::command]
pub async fn region_readiness(
    state: State<'_, AppState>,
    account: String,
    region: String,
) -> Result<RegionReadiness, AppError> {
    let cloud = state.cloud(&account).await?;
    doctor::check_region(cloud.as_ref(), &region).await
}

/// What applying the fix would do (API call, AWS CLI, what it costs); nothing is sent.
#[tauri::command]
pub fn preview_readiness_action(action: ReadinessAction) -> ReadinessActionPreview {
    action.preview()
}

/// Makes a fix the user confirmed; returns the runbook or command to follow, if any.
#[tauri::command]
pub async fn apply_readiness_action(
    state: State<'_, AppState>,
    account: String,
    action: ReadinessAction,
) -> Result<ActionStarted, AppError> {
    let cloud = state.cloud(&account).await?;
    let started = doctor::apply_fix(cloud.as_ref(), &action).await;
    match &started {
        Ok(started) => tracing::info!(account, ?action, ?started, "doctor's fix applied"),
        Err(err) => tracing::warn!(account, ?action, code = ?err.code, "doctor's fix refused"),
    }
    started
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReportFormat {
    Markdown,
    Csv,
}

/// Writes the region's report (as last shown, so the file matches the screen) into the user's
/// Downloads folder, or the home folder without one; returns the file's path.
#[tauri::command]
pub async fn save_region_readiness(
    readiness: RegionReadiness,
    format: ReportFormat,
) -> Result<String, AppError> {
    let (text, extension) = match format {
        ReportFormat::Markdown => (export::markdown(&readiness), "md"),
        ReportFormat::Csv => (export::csv(&readiness), "csv"),
    };
    let name = format!(
        "unyo-readiness-{}-{}.{extension}",
        readiness.summary.region,
        time_stamp()
    );
    let path = crate::downloads::save(&name, text).await?;
    tracing::info!(path = %path.display(), "readiness report saved");
    Ok(path.display().to_string())
}

/// Seconds since the epoch: unique enough per click, and sorts in time order.
fn time_stamp() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
