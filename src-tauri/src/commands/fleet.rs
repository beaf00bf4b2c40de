//! Fleet listing for the account a window shows.

use tauri::State;
use unyo_core::{AppError, ErrorCode, FleetScope, FleetSnapshot};

use crate::state::AppState;

#[tauri::command]
pub async fn list_fleet(
    state: State<'_, AppState>,
    account: String,
    scope: FleetScope,
) -> Result<FleetSnapshot, AppError> {
    if account != state.practice.account().id {
        return Err(AppError::new(
            ErrorCode::Unsupported,
            format!("{account}: this version of Unyo reads the practice account only"),
        ));
    }
    let cloud = state.practice.clone();
    cloud.list_fleet(&scope).await
}
