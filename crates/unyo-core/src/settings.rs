//! Unyo's own settings (language, theme, the last account and region), stored as TOML in the
//! OS config dir. A damaged file is set aside, never silently overwritten.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AppError, ErrorCode};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum LanguagePreference {
    /// Follow the operating system's language, falling back to English.
    #[default]
    System,
    En,
    Ja,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ThemePreference {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct Settings {
    pub language: LanguagePreference,
    pub theme: ThemePreference,
    /// Account id (`practice` or `profile:<name>`) the window showed last.
    pub last_account: Option<String>,
    /// Region code, or `None` for all of the account's regions.
    pub last_region: Option<String>,
}

/// The outcome of loading: the settings to use, and what happened to a damaged file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub settings: Settings,
    /// Set when the file could not be parsed; it was moved to `set_aside` and defaults apply.
    pub problem: Option<SettingsProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SettingsProblem {
    pub message: String,
    /// Where the unreadable file now is, so the user can recover what they had.
    pub set_aside: String,
}

/// Loads settings from `path`; a missing file gives defaults.
pub fn load(path: &Path) -> Result<Loaded, AppError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Loaded {
                settings: Settings::default(),
                problem: None,
            });
        }
        Err(e) => return Err(storage_error(path, &e)),
    };
    match toml::from_str::<Settings>(&text) {
        Ok(settings) => Ok(Loaded {
            settings,
            problem: None,
        }),
        Err(parse_error) => {
            let set_aside = set_aside_path(path);
            std::fs::rename(path, &set_aside).map_err(|e| storage_error(path, &e))?;
            Ok(Loaded {
                settings: Settings::default(),
                problem: Some(SettingsProblem {
                    message: parse_error.message().to_owned(),
                    set_aside: set_aside.display().to_string(),
                }),
            })
        }
    }
}

/// Writes settings atomically: a crash mid-write leaves the previous file intact.
pub fn save(path: &Path, settings: &Settings) -> Result<(), AppError> {
    let text = toml::to_string_pretty(settings).map_err(|e| {
        AppError::new(
            ErrorCode::Internal,
            format!("settings not serializable: {e}"),
        )
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| storage_error(dir, &e))?;
    }
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, text).map_err(|e| storage_error(&tmp, &e))?;
    std::fs::rename(&tmp, path).map_err(|e| storage_error(path, &e))
}

fn set_aside_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".unreadable");
    path.with_file_name(name)
}

fn storage_error(path: &Path, e: &std::io::Error) -> AppError {
    AppError::new(ErrorCode::Storage, format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = load(&dir.path().join("settings.toml")).unwrap();
        assert_eq!(loaded.settings, Settings::default());
        assert_eq!(loaded.problem, None);
    }

    #[test]
    fn round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/settings.toml");
        let settings = Settings {
            language: LanguagePreference::Ja,
            theme: ThemePreference::Dark,
            last_account: Some("practice".into()),
            last_region: Some("us-east-1".into()),
        };
        save(&path, &settings).unwrap();
        assert_eq!(load(&path).unwrap().settings, settings);
    }

    #[test]
    fn unknown_keys_and_missing_keys_are_tolerated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "language = \"ja\"\nfuture_option = 3\n").unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.settings.language, LanguagePreference::Ja);
        assert_eq!(loaded.settings.theme, ThemePreference::System);
    }

    #[test]
    fn damaged_file_is_set_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "language = [unclosed\n").unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.settings, Settings::default());
        let problem = loaded.problem.unwrap();
        let kept = std::fs::read_to_string(&problem.set_aside).unwrap();
        assert_eq!(kept, "language = [unclosed\n");
        assert!(!path.exists());
    }
}
