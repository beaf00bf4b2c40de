//! Saving the user's settings (language, theme, last account and region).

use tauri::State;
use unyo_core::AppError;
use unyo_core::settings::Settings;

use crate::state::AppState;

#[tauri::command]
pub fn save_settings(state: State<'_, AppState>, settings: Settings) -> Result<(), AppError> {
    state.save_settings(settings)
}
