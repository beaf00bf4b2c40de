//! Windows: each shows its own account and region, remembered under the window's label, and
//! more windows open side by side with the same UI.

use std::collections::BTreeMap;

use serde::Serialize;
use tauri::{AppHandle, Manager, State, WebviewWindowBuilder, Window};
use ts_rs::TS;
use unyo_core::region::KNOWN_REGIONS;
use unyo_core::settings::{AccountLook, WindowChoice};
use unyo_core::{AppError, ErrorCode};

use crate::commands::settings::update;
use crate::state::AppState;

/// The window the app opens at start; its configuration is the template for the others.
const MAIN: &str = "main";
/// Labels of the other windows are this plus a number; the capabilities allow `window-*`.
const OTHER_PREFIX: &str = "window-";

/// What a window needs to know about itself before its first screen.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WindowContext {
    /// `main`, `window-2`, ...
    pub label: String,
    /// The account and region to open on (see `Settings::choice_for`).
    pub choice: WindowChoice,
    /// Alias and colour per account id, for accounts the user labelled.
    pub looks: BTreeMap<String, AccountLook>,
    /// The regions offered for an AWS profile; the practice account lists its own.
    pub known_regions: Vec<String>,
}

#[tauri::command]
pub fn window_context(
    window: Window,
    state: State<'_, AppState>,
) -> Result<WindowContext, AppError> {
    let settings = state.settings()?;
    Ok(WindowContext {
        label: window.label().to_owned(),
        choice: settings.choice_for(window.label()),
        looks: settings.accounts,
        known_regions: KNOWN_REGIONS.iter().map(|&r| r.to_owned()).collect(),
    })
}

/// Remembers the account and region the calling window now shows. Synchronous, like every
/// settings write (see `commands::settings`).
#[tauri::command]
pub fn choose_context(
    window: Window,
    state: State<'_, AppState>,
    account: String,
    region: Option<String>,
) -> Result<(), AppError> {
    let choice = WindowChoice::validated(account, region)?;
    update(&state, |settings| {
        settings.remember_choice(window.label(), choice)
    })
    .map(drop)
}

/// The OS window title names the account and region, so the task switcher tells windows
/// apart; the UI composes it because only the UI knows the translated names.
#[tauri::command]
pub fn set_window_title(window: Window, title: String) -> Result<(), AppError> {
    window
        .set_title(&title)
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("window title not set: {e}")))
}

/// Opens another window with the same UI and returns its label. The lowest free number is
/// reused, so a window opened again gets the choice it had before. Async because creating a
/// window from a synchronous command deadlocks on Windows.
#[tauri::command]
pub async fn open_window(app: AppHandle) -> Result<String, AppError> {
    let open = app.webview_windows();
    let label = next_label(open.keys().map(String::as_str));
    let mut config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
        .ok_or_else(|| AppError::new(ErrorCode::Internal, "no main window in tauri.conf.json"))?;
    config.label = label.clone();
    WebviewWindowBuilder::from_config(&app, &config)
        .and_then(|builder| builder.build())
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("window not opened: {e}")))?;
    Ok(label)
}

/// `window-2` for the first window beside the main one, then the lowest number not open.
fn next_label<'a>(open: impl Iterator<Item = &'a str>) -> String {
    let taken: Vec<u32> = open
        .filter_map(|label| label.strip_prefix(OTHER_PREFIX)?.parse().ok())
        .collect();
    let free = (2..).find(|n| !taken.contains(n)).unwrap_or(2);
    format!("{OTHER_PREFIX}{free}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_windows_take_the_lowest_free_number() {
        assert_eq!(next_label(["main"].into_iter()), "window-2");
        assert_eq!(next_label(["main", "window-2"].into_iter()), "window-3");
        // window-2 was closed: its number (and so its remembered choice) comes back first.
        assert_eq!(next_label(["window-3", "main"].into_iter()), "window-2");
    }
}
