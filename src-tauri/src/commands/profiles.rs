//! The Profiles screen: every profile with its chain, identity checks, Unyo's own profiles
//! (keys into the keychain), and MFA codes. Secrets only ever flow in: nothing returned here
//! carries one (key ids are masked by `unyo-core`).

use tauri::State;
use unyo_aws::identity::CallerIdentity;
use unyo_aws::profiles::{NewProfile, ProfileListing};
use unyo_core::AppError;
use unyo_core::aws_files::{ProfileSummary, SsoSessionSummary};

use crate::state::AppState;

#[tauri::command]
pub fn list_profiles(state: State<'_, AppState>) -> ProfileListing {
    state.profiles.list()
}

/// Who a profile is (STS GetCallerIdentity). Answers from the cache unless `refresh`, so
/// revisiting the screen costs no calls.
#[tauri::command]
pub async fn check_identity(
    state: State<'_, AppState>,
    profile: String,
    refresh: bool,
) -> Result<CallerIdentity, AppError> {
    if !refresh {
        if let Some(known) = state.identity(&profile) {
            return Ok(known);
        }
    }
    let identity = state.profiles.whoami(&profile, None).await?;
    state.remember_identity(identity.clone());
    Ok(identity)
}

/// The identities already checked this run, for the Profiles screen's first paint.
#[tauri::command]
pub fn known_identities(state: State<'_, AppState>) -> Vec<CallerIdentity> {
    state.identities()
}

/// The keychain may block (an unlock prompt, a slow D-Bus service), so its work runs off the
/// main thread and off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| AppError::new(unyo_core::ErrorCode::Internal, e.to_string()))?
}

#[tauri::command]
pub async fn add_profile(
    state: State<'_, AppState>,
    profile: NewProfile,
) -> Result<ProfileSummary, AppError> {
    let profiles = state.profiles.clone();
    let added = blocking(move || profiles.add_profile(profile)).await?;
    tracing::info!(profile = added.name, kind = ?added.kind, "profile added");
    Ok(added)
}

#[tauri::command]
pub async fn delete_profile(state: State<'_, AppState>, name: String) -> Result<(), AppError> {
    let profiles = state.profiles.clone();
    let deleted = name.clone();
    blocking(move || profiles.delete_profile(&deleted)).await?;
    state.forget_profile(&name);
    tracing::info!(profile = name, "profile deleted with its keychain items");
    Ok(())
}

#[tauri::command]
pub fn add_sso_session(
    state: State<'_, AppState>,
    session: SsoSessionSummary,
) -> Result<(), AppError> {
    state.profiles.add_sso_session(session)
}

/// Exchanges a code from the user's MFA device for the profile's session.
#[tauri::command]
pub async fn submit_mfa_code(
    state: State<'_, AppState>,
    profile: String,
    code: String,
) -> Result<(), AppError> {
    state.profiles.submit_mfa_code(&profile, &code).await
}
