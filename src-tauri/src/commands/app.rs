//! App-wide commands: start-up data and the startup benchmark's probe.

use std::time::UNIX_EPOCH;

use tauri::State;
use unyo_core::{AppError, ErrorCode};

use crate::dto::Bootstrap;
use crate::state::AppState;

#[tauri::command]
pub fn bootstrap(state: State<'_, AppState>) -> Result<Bootstrap, AppError> {
    Ok(Bootstrap {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        os_locale: sys_locale::get_locale(),
        settings: state.settings()?,
        settings_problem: state.settings_problem.clone(),
    })
}

/// Called by the UI once, when the fleet table first shows rows, with the milliseconds since
/// the page started loading. When the startup benchmark set `UNYO_STARTUP_REPORT`, writes the
/// process start and render times (Unix ms) and the page's share there.
#[tauri::command]
pub fn report_fleet_rendered(state: State<'_, AppState>, page_ms: f64) -> Result<(), AppError> {
    if state.fleet_rendered.set(()).is_err() {
        return Ok(());
    }
    let Some(path) = std::env::var_os("UNYO_STARTUP_REPORT") else {
        return Ok(());
    };
    let ms = |t: std::time::SystemTime| {
        t.duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0)
    };
    let report = format!(
        "{{\"processStartMs\":{},\"fleetRenderedMs\":{},\"pageMs\":{page_ms:.0}}}\n",
        ms(state.startup.0),
        ms(std::time::SystemTime::now())
    );
    std::fs::write(&path, report).map_err(|e| {
        AppError::new(
            ErrorCode::Storage,
            format!("startup report not written: {e}"),
        )
    })
}
