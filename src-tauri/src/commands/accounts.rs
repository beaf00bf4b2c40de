//! The account switcher's data: the practice account and the profiles in the AWS files.

use tauri::State;
use unyo_core::AppError;
use unyo_core::aws_files::{self, AwsFilePaths};

use crate::dto::AccountList;
use crate::state::AppState;

/// Re-reads the AWS files on every call, so edits show up without a restart.
#[tauri::command]
pub fn list_accounts(state: State<'_, AppState>) -> Result<AccountList, AppError> {
    let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    let paths = AwsFilePaths::resolve(home.as_deref(), |name| std::env::var(name).ok());
    let aws = paths.as_ref().map(aws_files::discover).unwrap_or_default();
    Ok(AccountList {
        practice: state.practice.account().clone(),
        aws,
        aws_config_file: paths.as_ref().map(|p| p.config.display().to_string()),
        aws_credentials_file: paths.as_ref().map(|p| p.credentials.display().to_string()),
    })
}
