//! Change control around Recovery's and Mitigation's changes: the Change Calendar's state,
//! Change Manager change requests for accounts that still have Change Manager, and the local
//! change record every change gets on the incident before it starts.

use tauri::State;
use unyo_core::AppError;
use unyo_core::action::ChangePreview;
use unyo_core::change::{
    CalendarState, ChangeIntent, ChangeRecord, ChangeRequest, ConfirmedChange, confirmed_by,
};
use unyo_core::cloud::AccountId;

use crate::state::AppState;

/// Whether the region's Change Calendars allow changes now; `None` when it has none.
#[tauri::command]
pub async fn change_calendar(
    state: State<'_, AppState>,
    account: String,
    region: String,
) -> Result<Option<CalendarState>, AppError> {
    let cloud = state.cloud(&account).await?;
    cloud
        .require_change_control()?
        .calendar_state(&region)
        .await
}

/// The approved change templates a runbook can be submitted from.
#[tauri::command]
pub async fn change_templates(
    state: State<'_, AppState>,
    account: String,
    region: String,
) -> Result<Vec<String>, AppError> {
    let cloud = state.cloud(&account).await?;
    cloud
        .require_change_control()?
        .change_templates(&region)
        .await
}

/// What submitting the change request would do; nothing is sent.
#[tauri::command]
pub fn preview_change_request(request: ChangeRequest) -> ChangePreview {
    request.describe()
}

#[tauri::command]
pub async fn submit_change_request(
    state: State<'_, AppState>,
    account: String,
    request: ChangeRequest,
) -> Result<String, AppError> {
    let cloud = state.cloud(&account).await?;
    let id = cloud
        .require_change_control()?
        .submit_change_request(&request)
        .await?;
    tracing::info!(
        account,
        template = request.template,
        document = request.runbook.document_name,
        id,
        "change request submitted"
    );
    Ok(id)
}

/// The change record for `intent`, signed with who confirms it: the identity the account
/// acts as (when this run has asked STS) and the person logged in here. The UI writes it to
/// the incident before the change starts; an incomplete intent is refused.
#[tauri::command]
pub fn confirm_change(
    state: State<'_, AppState>,
    account: String,
    intent: ChangeIntent,
) -> Result<ConfirmedChange, AppError> {
    let id: AccountId = account.parse()?;
    let identity = id
        .profile()
        .and_then(|name| state.identity(name))
        .map(|i| i.arn);
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok();
    ChangeRecord::confirm(
        intent,
        confirmed_by(identity.as_deref(), user.as_deref(), &account),
    )
}
