//! Unyo's own settings (language, theme, each window's account and region, each account's
//! alias and colour), stored as TOML in the OS config dir. A damaged file is set aside, never
//! silently overwritten; a file written by an older version loads with defaults for what it
//! lacks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::verify::Probe;
use crate::{AppError, ErrorCode, region};

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
    /// Account id (`practice` or `profile:<name>`) chosen last in any window; a window with no
    /// choice of its own starts there.
    pub last_account: Option<String>,
    /// Region code chosen last in any window, or `None` for all of the account's regions.
    pub last_region: Option<String>,
    /// Alias and colour per account id. Read and written through their own commands, so the
    /// UI's settings type leaves them out and a language change never carries a stale copy.
    #[ts(skip)]
    pub accounts: BTreeMap<String, AccountLook>,
    /// The account and region each window (by its label, such as `main`) showed last.
    #[ts(skip)]
    pub windows: BTreeMap<String, WindowChoice>,
    /// The checks the user added, per account id and then per document (a runbook, or a Run
    /// Command document such as `AWS-RunShellScript`); they run after it beside its own.
    #[ts(skip)]
    pub checks: BTreeMap<String, BTreeMap<String, Vec<Probe>>>,
    /// Each account's answer on its Automation history, for Automation's free tier.
    #[ts(skip)]
    pub automation_history: BTreeMap<String, AutomationHistory>,
    /// The practice lessons completed, kept across restarts (the practice account itself
    /// starts afresh each run).
    #[ts(skip)]
    pub lessons_completed: std::collections::BTreeSet<String>,
}

/// Whether an account used Systems Manager Automation before 14 August 2025, which decides
/// whether it keeps Automation's free tier: asked once per account, remembered here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AutomationHistory {
    /// It used Automation before 14 August 2025: the monthly free tier applies.
    UsedBefore,
    /// It is new to Automation since 14 August 2025: every step is charged.
    NewSince,
    /// Not answered yet: estimates assume no free tier, the most it can cost.
    #[default]
    Unknown,
}

/// The colours an account can wear in the window chrome: few enough to tell apart at a glance,
/// each with a light and a dark variant in the UI that keeps text readable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AccountColour {
    #[default]
    None,
    Red,
    Orange,
    Yellow,
    Green,
    Blue,
    Purple,
}

/// How an account is labelled in the window chrome, so production never looks like staging.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct AccountLook {
    /// A name the user chose, such as "Prod – payments"; empty for none.
    pub alias: String,
    pub colour: AccountColour,
}

/// Longest alias, in characters: it has to fit beside the account picker and in the title bar.
pub const MAX_ALIAS_CHARS: usize = 40;

impl AccountLook {
    /// The look with its alias trimmed; an alias that is too long or holds control characters
    /// is refused.
    pub fn validated(alias: &str, colour: AccountColour) -> Result<Self, AppError> {
        let alias = alias.trim();
        if alias.chars().count() > MAX_ALIAS_CHARS {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("an alias has at most {MAX_ALIAS_CHARS} characters"),
            ));
        }
        if alias.chars().any(char::is_control) {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "an alias cannot contain control characters",
            ));
        }
        Ok(Self {
            alias: alias.to_owned(),
            colour,
        })
    }

    fn is_plain(&self) -> bool {
        self.alias.is_empty() && self.colour == AccountColour::None
    }
}

/// The account and region one window shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WindowChoice {
    /// `practice` or `profile:<name>`.
    pub account: String,
    /// A region code, or `None` for all of the account's regions.
    pub region: Option<String>,
}

impl WindowChoice {
    /// Checks the shape of the ids before they are stored; whether the profile still exists
    /// is for the UI to decide when it restores the choice.
    pub fn validated(account: String, region: Option<String>) -> Result<Self, AppError> {
        check_account_id(&account)?;
        if let Some(code) = region.as_deref().filter(|c| !region::is_region_code(c)) {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("{code:?} is not a region code"),
            ));
        }
        Ok(Self { account, region })
    }
}

const PRACTICE_ACCOUNT: &str = "practice";
const PROFILE_PREFIX: &str = "profile:";

/// Refuses anything but `practice` or `profile:<name>`, before it is used as a settings key.
pub fn check_account_id(account: &str) -> Result<(), AppError> {
    let well_formed = account == PRACTICE_ACCOUNT
        || account
            .strip_prefix(PROFILE_PREFIX)
            .is_some_and(|name| !name.trim().is_empty());
    if well_formed {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorCode::InvalidInput,
            format!("{account:?} is not an account id (practice or profile:<name>)"),
        ))
    }
}

impl Settings {
    /// What `window` opens on: its own last choice; else the last choice made in any window
    /// (which is also all that files from before per-window choices hold); else the practice
    /// account over all its regions.
    pub fn choice_for(&self, window: &str) -> WindowChoice {
        if let Some(choice) = self.windows.get(window) {
            return choice.clone();
        }
        WindowChoice {
            account: self
                .last_account
                .clone()
                .unwrap_or_else(|| PRACTICE_ACCOUNT.to_owned()),
            region: self.last_region.clone(),
        }
    }

    /// Remembers what `window` shows, for when it opens again and as the start of new windows.
    pub fn remember_choice(&mut self, window: &str, choice: WindowChoice) {
        self.last_account = Some(choice.account.clone());
        self.last_region = choice.region.clone();
        self.windows.insert(window.to_owned(), choice);
    }

    /// The checks the user added to `document` on `account`.
    pub fn own_checks(&self, account: &str, document: &str) -> Vec<Probe> {
        self.checks
            .get(account)
            .and_then(|documents| documents.get(document))
            .cloned()
            .unwrap_or_default()
    }

    /// Replaces the checks the user added to `document` on `account`, each validated first;
    /// none leaves the file without the entry.
    pub fn set_own_checks(
        &mut self,
        account: &str,
        document: &str,
        probes: Vec<Probe>,
    ) -> Result<(), AppError> {
        if document.trim().is_empty() {
            return Err(AppError::invalid_input("name the runbook or document"));
        }
        for probe in &probes {
            probe.validate()?;
        }
        let documents = self.checks.entry(account.to_owned()).or_default();
        if probes.is_empty() {
            documents.remove(document);
        } else {
            documents.insert(document.to_owned(), probes);
        }
        if documents.is_empty() {
            self.checks.remove(account);
        }
        Ok(())
    }

    /// The account's Automation history, `Unknown` until it is answered.
    pub fn automation_history(&self, account: &str) -> AutomationHistory {
        self.automation_history
            .get(account)
            .copied()
            .unwrap_or_default()
    }

    /// Remembers the account's answer; `Unknown` forgets it, so Unyo asks again.
    pub fn set_automation_history(&mut self, account: &str, history: AutomationHistory) {
        if history == AutomationHistory::Unknown {
            self.automation_history.remove(account);
        } else {
            self.automation_history.insert(account.to_owned(), history);
        }
    }

    /// Sets an account's look; a look with no alias and no colour is forgotten, so the file
    /// lists only accounts the user labelled.
    pub fn set_look(&mut self, account: &str, look: AccountLook) {
        if look.is_plain() {
            self.accounts.remove(account);
        } else {
            self.accounts.insert(account.to_owned(), look);
        }
    }
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
            accounts: BTreeMap::from([(
                "profile:prod".into(),
                AccountLook {
                    alias: "Prod – payments".into(),
                    colour: AccountColour::Red,
                },
            )]),
            windows: BTreeMap::from([(
                "window-2".into(),
                WindowChoice {
                    account: "profile:prod".into(),
                    region: None,
                },
            )]),
            checks: BTreeMap::new(),
            automation_history: BTreeMap::from([(
                "profile:prod".into(),
                AutomationHistory::UsedBefore,
            )]),
            lessons_completed: ["sshd-stopped".to_owned()].into(),
        };
        save(&path, &settings).unwrap();
        assert_eq!(load(&path).unwrap().settings, settings);
    }

    #[test]
    fn a_file_from_before_per_window_choices_opens_every_window_on_its_last_choice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(
            &path,
            "language = \"en\"\nlastAccount = \"practice\"\nlastRegion = \"us-east-1\"\n",
        )
        .unwrap();
        let settings = load(&path).unwrap().settings;
        assert!(settings.accounts.is_empty());
        let expected = WindowChoice {
            account: "practice".into(),
            region: Some("us-east-1".into()),
        };
        assert_eq!(settings.choice_for("main"), expected);
        assert_eq!(settings.choice_for("window-2"), expected);
    }

    #[test]
    fn each_window_keeps_its_own_choice_and_new_windows_start_from_the_latest() {
        let mut settings = Settings::default();
        assert_eq!(
            settings.choice_for("main"),
            WindowChoice {
                account: "practice".into(),
                region: None
            }
        );
        let prod =
            WindowChoice::validated("profile:prod".into(), Some("eu-west-1".into())).unwrap();
        let practice = WindowChoice::validated("practice".into(), None).unwrap();
        settings.remember_choice("window-2", prod.clone());
        settings.remember_choice("main", practice.clone());
        assert_eq!(settings.choice_for("window-2"), prod);
        assert_eq!(settings.choice_for("main"), practice);
        assert_eq!(settings.choice_for("window-3"), practice);
    }

    #[test]
    fn choices_with_malformed_ids_are_refused() {
        for (account, region) in [
            ("prod", None),
            ("profile:", None),
            ("profile: ", None),
            ("practice", Some("tokyo")),
        ] {
            let refused = WindowChoice::validated(account.into(), region.map(Into::into));
            assert_eq!(
                refused.unwrap_err().code,
                ErrorCode::InvalidInput,
                "{account}"
            );
        }
    }

    #[test]
    fn own_checks_are_kept_per_account_and_document_and_survive_a_save() {
        use crate::verify::Probe;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        let nginx = Probe::ServiceActive {
            service: "nginx".into(),
        };
        let health = Probe::HttpAnswers {
            url: "http://127.0.0.1:8080/health".into(),
        };
        let mut settings = Settings::default();
        settings
            .set_own_checks(
                "profile:prod",
                "AWS-RunShellScript",
                vec![nginx.clone(), health.clone()],
            )
            .unwrap();
        settings
            .set_own_checks(
                "practice",
                "AWSSupport-TroubleshootSSH",
                vec![nginx.clone()],
            )
            .unwrap();
        save(&path, &settings).unwrap();
        let loaded = load(&path).unwrap().settings;
        assert_eq!(
            loaded.own_checks("profile:prod", "AWS-RunShellScript"),
            [nginx.clone(), health]
        );
        assert!(
            loaded
                .own_checks("profile:prod", "AWSSupport-TroubleshootSSH")
                .is_empty()
        );
        assert_eq!(
            loaded.own_checks("practice", "AWSSupport-TroubleshootSSH"),
            [nginx]
        );

        // A bad check changes nothing; none left removes the account's entry.
        let mut edited = loaded.clone();
        let err = edited
            .set_own_checks(
                "practice",
                "AWSSupport-TroubleshootSSH",
                vec![Probe::PortListening { port: 0 }],
            )
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert_eq!(edited, loaded);
        edited
            .set_own_checks("practice", "AWSSupport-TroubleshootSSH", Vec::new())
            .unwrap();
        assert!(!edited.checks.contains_key("practice"));
    }

    #[test]
    fn a_plain_look_is_forgotten_and_aliases_are_trimmed_and_bounded() {
        let mut settings = Settings::default();
        let look = AccountLook::validated("  Prod – payments ", AccountColour::Red).unwrap();
        assert_eq!(look.alias, "Prod – payments");
        settings.set_look("profile:prod", look);
        assert_eq!(settings.accounts.len(), 1);
        settings.set_look(
            "profile:prod",
            AccountLook::validated(" ", AccountColour::None).unwrap(),
        );
        assert!(settings.accounts.is_empty());
        let long = "本".repeat(MAX_ALIAS_CHARS + 1);
        assert!(AccountLook::validated(&long, AccountColour::None).is_err());
        assert!(AccountLook::validated(&"本".repeat(MAX_ALIAS_CHARS), AccountColour::None).is_ok());
        assert!(AccountLook::validated("a\nb", AccountColour::Blue).is_err());
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
