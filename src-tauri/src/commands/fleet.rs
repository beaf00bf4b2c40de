//! Fleet listing for the account a window shows.

use tauri::State;
use unyo_core::{AppError, FleetScope, FleetSnapshot};

use crate::state::AppState;

#[tauri::command]
pub async fn list_fleet(
    state: State<'_, AppState>,
    account: String,
    scope: FleetScope,
) -> Result<FleetSnapshot, AppError> {
    let cloud = state.cloud(&account).await?;
    cloud.require_fleet()?.list_fleet(&scope).await
}
