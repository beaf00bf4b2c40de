//! The readiness doctor: whether Session Manager will work on an instance or across a region,
//! and the region's report saved as Markdown or CSV. Read-only: nothing here changes AWS.

use std::path::PathBuf;

use serde::Deserialize;
use tauri::State;
use ts_rs::TS;
use unyo_core::readiness::{ReadinessReport, RegionReadiness, export};
use unyo_core::{AppError, ErrorCode};

use crate::state::AppState;

#[tauri::command]
pub async fn instance_readiness(
    state: State<'_, AppState>,
    account: String,
    instance_id: String,
) -> Result<ReadinessReport, AppError> {
    state.cloud(&account).await?.readiness(&instance_id).await
}

#[tauri::command]
pub async fn region_readiness(
    state: State<'_, AppState>,
    account: String,
    region: String,
) -> Result<RegionReadiness, AppError> {
    state.cloud(&account).await?.region_readiness(&region).await
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
    let dir = directories::UserDirs::new()
        .and_then(|dirs| {
            dirs.download_dir()
                .map(PathBuf::from)
                .or_else(|| Some(dirs.home_dir().to_path_buf()))
        })
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::Internal,
                "no Downloads or home folder to save the report in",
            )
        })?;
    let stamp = time_stamp();
    let path = dir.join(format!(
        "unyo-readiness-{}-{stamp}.{extension}",
        readiness.summary.region
    ));
    tokio::fs::create_dir_all(&dir)
        .await
        .and(tokio::fs::write(&path, text).await)
        .map_err(|e| {
            AppError::new(
                ErrorCode::Internal,
                format!("the report could not be saved to {}: {e}", path.display()),
            )
        })?;
    tracing::info!(path = %path.display(), "readiness report saved");
    Ok(path.display().to_string())
}

/// Seconds since the epoch: unique enough per click, and sorts in time order.
fn time_stamp() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
