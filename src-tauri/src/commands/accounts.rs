//! The account switcher's data: the practice account, the profiles in the AWS files and
//! Unyo's own profiles.

use tauri::State;
use unyo_core::AppError;
use unyo_core::aws_files::ProfileDiscovery;
use unyo_core::cloud::DefaultCredentials;

use crate::dto::AccountList;
use crate::state::AppState;

/// Re-reads the AWS files and Unyo's profiles on every call, so edits show up without a
/// restart.
#[tauri::command]
pub fn list_accounts(state: State<'_, AppState>) -> Result<AccountList, AppError> {
    let listing = state.profiles.list();
    Ok(AccountList {
        practice: state.clouds.practice().account().clone(),
        aws: ProfileDiscovery {
            profiles: listing.profiles,
            sso_sessions: listing.sso_sessions,
            issues: listing.issues,
        },
        aws_config_file: listing.aws_config_file,
        aws_credentials_file: listing.aws_credentials_file,
        default_credentials: DefaultCredentials::detect(|name| std::env::var(name).ok()),
    })
}
