//! Files the user asked to keep (reports), written into their Downloads folder, or the home
//! folder on a system without one.

use std::path::PathBuf;

use unyo_core::{AppError, ErrorCode};

/// Writes `text` as `file_name` in the Downloads folder and returns the file's path.
pub async fn save(file_name: &str, text: String) -> Result<PathBuf, AppError> {
    let dir = directories::UserDirs::new()
        .and_then(|dirs| {
            dirs.download_dir()
                .map(PathBuf::from)
                .or_else(|| Some(dirs.home_dir().to_path_buf()))
        })
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::Storage,
                "no Downloads or home folder to save the report in",
            )
        })?;
    let path = dir.join(file_name);
    tokio::fs::create_dir_all(&dir)
        .await
        .and(tokio::fs::write(&path, text).await)
        .map_err(|e| {
            AppError::new(
                ErrorCode::Storage,
                format!("the report could not be saved to {}: {e}", path.display()),
            )
        })?;
    Ok(path)
}
