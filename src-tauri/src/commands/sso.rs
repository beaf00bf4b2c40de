//! IAM Identity Center from the Profiles screen: sign-in status per session, the device
//! sign-in (one browser page however many callers), sign-out, and importing the accounts and
//! roles a session reaches as Unyo profiles. Tokens stay in the AWS CLI's cache; none crosses
//! IPC.

use tauri::State;
use unyo_aws::sso::{AccountRole, DeviceAuthorization, TokenStatus, list_account_roles};
use unyo_core::AppError;
use unyo_core::aws_files::ProfileSummary;

use crate::state::AppState;

#[tauri::command]
pub fn sso_status(state: State<'_, AppState>, session: String) -> Result<TokenStatus, AppError> {
    let session = state.profiles.sso_session(&session)?;
    Ok(state.sso.status(&session))
}

/// Starts (or joins) the sign-in and opens the approval page in the user's browser; the UI
/// shows the code too, for when no browser opens.
#[tauri::command]
pub async fn sso_sign_in(
    state: State<'_, AppState>,
    session: String,
) -> Result<DeviceAuthorization, AppError> {
    let session = state.profiles.sso_session(&session)?;
    let authorization = state.sso.start(&session).await?;
    if let Err(e) = open::that_detached(&authorization.verification_uri_complete) {
        tracing::warn!("could not open the browser: {e}");
    }
    Ok(authorization)
}

/// Waits until the user approves (or refuses, or the code expires).
#[tauri::command]
pub async fn sso_wait(
    state: State<'_, AppState>,
    session: String,
) -> Result<TokenStatus, AppError> {
    let session = state.profiles.sso_session(&session)?;
    state.sso.finish(&session).await
}

#[tauri::command]
pub fn sso_sign_out(state: State<'_, AppState>, session: String) -> Result<(), AppError> {
    let session = state.profiles.sso_session(&session)?;
    state.sso.sign_out(&session)?;
    // Connections hold the role credentials the sign-in bought; signing out ends their use.
    state.clouds.forget_all();
    Ok(())
}

#[tauri::command]
pub async fn sso_account_roles(
    state: State<'_, AppState>,
    session: String,
) -> Result<Vec<AccountRole>, AppError> {
    let session = state.profiles.sso_session(&session)?;
    list_account_roles(&state.sso, &session).await
}

#[tauri::command]
pub fn import_sso_roles(
    state: State<'_, AppState>,
    session: String,
    roles: Vec<AccountRole>,
    region: Option<String>,
) -> Result<Vec<ProfileSummary>, AppError> {
    let added = state.profiles.import_sso_roles(&session, &roles, region)?;
    tracing::info!(
        session,
        count = added.len(),
        "imported IAM Identity Center roles"
    );
    Ok(added)
}
