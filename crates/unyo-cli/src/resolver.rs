//! The same profiles the app sees: the shared AWS files and Unyo's own (in the app's config
//! dir, keys in the OS keychain); and the app's folders, where the CLI finds what it keeps.

use std::path::PathBuf;

use unyo_aws::profiles::ProfileResolver;
use unyo_core::AppError;
use unyo_core::aws_files::AwsFilePaths;

/// The app's identifier (tauri.conf.json): the desktop app keeps `profiles.toml` in the OS
/// config dir and its incident journal in the OS data dir under this name, and the CLI reads
/// the same files.
const APP_IDENTIFIER: &str = "app.unyo.desktop";

/// The app's config dir, where it keeps `profiles.toml` and `settings.toml`.
pub fn config_dir() -> Result<PathBuf, AppError> {
    directories::BaseDirs::new()
        .map(|d| d.config_dir().join(APP_IDENTIFIER))
        .ok_or_else(|| {
            AppError::new(
                unyo_core::ErrorCode::Storage,
                "there is no home directory to find Unyo's settings in",
            )
        })
}

/// The app's data dir, where it keeps the incident journal: Tauri's `app_data_dir`, the OS
/// data dir (`$XDG_DATA_HOME`, `~/Library/Application Support`, `%APPDATA%`) under the app's
/// identifier, found here by the same rules.
pub fn data_dir() -> Result<PathBuf, AppError> {
    directories::BaseDirs::new()
        .map(|d| d.data_dir().join(APP_IDENTIFIER))
        .ok_or_else(|| {
            AppError::new(
                unyo_core::ErrorCode::Storage,
                "there is no home directory to find Unyo's incident journal in",
            )
        })
}

pub fn open(endpoint_url: Option<String>) -> Result<ProfileResolver, AppError> {
    let dirs = directories::BaseDirs::new();
    let home = dirs.as_ref().map(|d| d.home_dir().to_path_buf());
    let aws_files = AwsFilePaths::resolve(home.as_deref(), |name| std::env::var(name).ok());
    let config_dir = config_dir()?;
    Ok(ProfileResolver::new(
        aws_files,
        config_dir.join("profiles.toml"),
        unyo_keychain::open_store(unyo_keychain::SERVICE),
    )
    .with_endpoint_url(endpoint_url))
}
