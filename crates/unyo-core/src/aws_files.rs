//! Reads the names, kinds and regions of the profiles in the user's shared AWS config and
//! credentials files, and reports every problem with its file and line.
//!
//! Non-goals: resolving credentials (that is the AWS SDK's job in `unyo-aws`). Secret values
//! are never kept: the parser only notes that a key exists. What it keeps (role ARNs, MFA
//! device ARNs, SSO start URLs, the credential_process program) is what the Profiles screen
//! shows and what `unyo-aws` needs to ask for an MFA code or an SSO sign-in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::region::is_region_code;

/// How a profile gets credentials, as far as the files say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ProfileKind {
    StaticKeys,
    AssumeRole,
    IdentityCenter,
    CredentialProcess,
    /// Only settings such as a region; credentials come from elsewhere (environment, IMDS).
    SettingsOnly,
}

/// Where a profile is defined.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ProfileOrigin {
    /// The shared AWS config or credentials file, as the AWS CLI uses it.
    #[default]
    AwsFiles,
    /// Created in Unyo; its keys live in the OS keychain.
    Unyo,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileSummary {
    pub name: String,
    pub kind: ProfileKind,
    pub origin: ProfileOrigin,
    pub region: Option<String>,
    /// Where the credentials come from, nearest first: the `source_profile` names of an
    /// assume-role chain, ending in the profile (or `credential_source`) that holds them.
    pub chain: Vec<String>,
    pub role_arn: Option<String>,
    /// The MFA device whose code the role needs.
    pub mfa_serial: Option<String>,
    /// The `[sso-session]` this profile signs in through, or `None` for legacy SSO settings.
    pub sso_session: Option<String>,
    pub sso_account_id: Option<String>,
    pub sso_role_name: Option<String>,
    /// The program `credential_process` runs (its arguments may carry secrets, so only the
    /// first word is kept).
    pub credential_program: Option<String>,
    /// A Unyo profile's access key id, masked (`AKIA************WXYZ`); the keys themselves
    /// are only in the keychain.
    pub key_hint: Option<String>,
    pub external_id: bool,
    pub duration_seconds: Option<u32>,
    /// Why the profile cannot give credentials as written (unknown `source_profile`, a loop);
    /// the other profiles are unaffected.
    pub problem: Option<String>,
}

impl ProfileSummary {
    /// Whether a call through this profile will first need a code from an MFA device.
    pub fn needs_mfa(&self) -> bool {
        self.mfa_serial.is_some()
    }
}

/// An `[sso-session NAME]` section: one IAM Identity Center sign-in shared by its profiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SsoSessionSummary {
    pub name: String,
    pub start_url: Option<String>,
    pub region: Option<String>,
    /// `sso_registration_scopes`; a session with `sso:account:access` can refresh its token.
    pub scopes: Vec<String>,
}

/// A problem in one of the files; the rest of the file is still used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FileIssue {
    pub file: String,
    /// 1-based line, absent when the whole file is the problem (unreadable, not UTF-8).
    pub line: Option<u32>,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileDiscovery {
    pub profiles: Vec<ProfileSummary>,
    pub sso_sessions: Vec<SsoSessionSummary>,
    pub issues: Vec<FileIssue>,
}

impl ProfileDiscovery {
    pub fn profile(&self, name: &str) -> Option<&ProfileSummary> {
        self.profiles.iter().find(|p| p.name == name)
    }

    pub fn sso_session(&self, name: &str) -> Option<&SsoSessionSummary> {
        self.sso_sessions.iter().find(|s| s.name == name)
    }
}

/// Where the shared files live, following the same environment variables as the AWS CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsFilePaths {
    pub config: PathBuf,
    pub credentials: PathBuf,
}

impl AwsFilePaths {
    /// `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` win; otherwise `~/.aws/…`.
    /// `var` is the environment lookup, passed in so tests need not touch the process env.
    pub fn resolve(home: Option<&Path>, var: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let default_dir = home.map(|h| h.join(".aws"));
        let pick = |name: &str, file: &str| {
            var(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| default_dir.as_ref().map(|d| d.join(file)))
        };
        Some(Self {
            config: pick("AWS_CONFIG_FILE", "config")?,
            credentials: pick("AWS_SHARED_CREDENTIALS_FILE", "credentials")?,
        })
    }
}

/// Reads both files. A missing file is normal (no AWS setup yet) and is not an issue.
pub fn discover(paths: &AwsFilePaths) -> ProfileDiscovery {
    let mut found = Found::default();
    let mut issues = Vec::new();
    for (path, flavour) in [
        (&paths.config, Flavour::Config),
        (&paths.credentials, Flavour::Credentials),
    ] {
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => parse(
                    &text,
                    flavour,
                    &path.display().to_string(),
                    &mut found,
                    &mut issues,
                ),
                Err(_) => issues.push(FileIssue {
                    file: path.display().to_string(),
                    line: None,
                    message: "the file is not UTF-8 text".into(),
                }),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => issues.push(FileIssue {
                file: path.display().to_string(),
                line: None,
                message: format!("cannot be read: {e}"),
            }),
        }
    }
    let mut profiles: Vec<ProfileSummary> = found
        .profiles
        .iter()
        .map(|(name, facts)| facts.summary(name))
        .collect();
    chain::resolve(&mut profiles, &found.profiles);
    ProfileDiscovery {
        profiles,
        sso_sessions: found
            .sso_sessions
            .into_iter()
            .map(|(name, facts)| SsoSessionSummary {
                name,
                start_url: facts.start_url,
                region: facts.region,
                scopes: facts.scopes,
            })
            .collect(),
        issues,
    }
}

/// Everything the files define, merged across both files by name.
#[derive(Debug, Default)]
struct Found {
    profiles: BTreeMap<String, Facts>,
    sso_sessions: BTreeMap<String, SsoFacts>,
}

#[derive(Debug, Default)]
struct SsoFacts {
    start_url: Option<String>,
    region: Option<String>,
    scopes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Config,
    Credentials,
}

/// What a profile section says; secret values are deliberately not kept.
#[derive(Debug, Default)]
struct Facts {
    region: Option<String>,
    static_keys: bool,
    role_arn: Option<String>,
    source_profile: Option<String>,
    credential_source: Option<String>,
    mfa_serial: Option<String>,
    external_id: bool,
    duration_seconds: Option<u32>,
    sso_session: Option<String>,
    sso_start_url: Option<String>,
    sso_account_id: Option<String>,
    sso_role_name: Option<String>,
    credential_program: Option<String>,
}

impl Facts {
    fn summary(&self, name: &str) -> ProfileSummary {
        ProfileSummary {
            name: name.to_owned(),
            kind: self.kind(),
            origin: ProfileOrigin::AwsFiles,
            region: self.region.clone(),
            chain: Vec::new(),
            role_arn: self.role_arn.clone(),
            mfa_serial: self.mfa_serial.clone(),
            sso_session: self.sso_session.clone(),
            sso_account_id: self.sso_account_id.clone(),
            sso_role_name: self.sso_role_name.clone(),
            credential_program: self.credential_program.clone(),
            key_hint: None,
            external_id: self.external_id,
            duration_seconds: self.duration_seconds,
            problem: None,
        }
    }

    fn kind(&self) -> ProfileKind {
        if self.role_arn.is_some() {
            ProfileKind::AssumeRole
        } else if self.sso_session.is_some() || self.sso_start_url.is_some() {
            ProfileKind::IdentityCenter
        } else if self.credential_program.is_some() {
            ProfileKind::CredentialProcess
        } else if self.static_keys {
            ProfileKind::StaticKeys
        } else {
            ProfileKind::SettingsOnly
        }
    }
}

fn parse(text: &str, flavour: Flavour, file: &str, found: &mut Found, issues: &mut Vec<FileIssue>) {
    // `None` while outside any section or inside one Unyo does not read.
    let mut current: Option<Section> = None;
    let mut in_section = false;
    for (index, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let mut issue = |message: String| {
            issues.push(FileIssue {
                file: file.to_owned(),
                line: Some(line_no),
                message,
            })
        };
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.starts_with('[') {
            in_section = true;
            current = None;
            match section(line, flavour) {
                Ok(Some(Section::Profile(name))) => {
                    found.profiles.entry(name.clone()).or_default();
                    current = Some(Section::Profile(name));
                }
                Ok(Some(Section::SsoSession(name))) => {
                    found.sso_sessions.entry(name.clone()).or_default();
                    current = Some(Section::SsoSession(name));
                }
                Ok(None) => {}
                Err(message) => issue(message),
            }
            continue;
        }
        // An indented line continues the previous key's nested block (e.g. `s3 =` settings).
        if raw.starts_with([' ', '\t']) && in_section {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            issue(format!(
                "`{}` is neither a [section] nor a `key = value` line",
                excerpt(line)
            ));
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() {
            issue("a setting has no name before `=`".into());
            continue;
        }
        if !in_section {
            issue(format!("`{key}` appears before any [profile] section"));
            continue;
        }
        let key = key.to_ascii_lowercase();
        match &current {
            Some(Section::Profile(name)) => {
                if let Some(facts) = found.profiles.get_mut(name) {
                    if let Err(message) = profile_setting(facts, &key, value) {
                        issue(message);
                    }
                }
            }
            Some(Section::SsoSession(name)) => {
                if let Some(facts) = found.sso_sessions.get_mut(name) {
                    if let Err(message) = sso_setting(facts, &key, value) {
                        issue(message);
                    }
                }
            }
            None => {}
        }
    }
}

fn some(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

fn region_value(value: &str) -> Result<String, String> {
    if is_region_code(value) {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "`{}` is not a region code (e.g. ap-northeast-1)",
            excerpt(value)
        ))
    }
}

fn profile_setting(facts: &mut Facts, key: &str, value: &str) -> Result<(), String> {
    match key {
        "region" => facts.region = Some(region_value(value)?),
        "aws_access_key_id" | "aws_secret_access_key" => facts.static_keys = true,
        "role_arn" => facts.role_arn = some(value),
        "source_profile" => facts.source_profile = some(value),
        "credential_source" => facts.credential_source = some(value),
        "mfa_serial" => facts.mfa_serial = some(value),
        "external_id" => facts.external_id = !value.is_empty(),
        "duration_seconds" => match value.parse::<u32>() {
            Ok(seconds) if (900..=43_200).contains(&seconds) => {
                facts.duration_seconds = Some(seconds);
            }
            _ => {
                return Err(format!(
                    "duration_seconds `{}` must be a number of seconds from 900 to 43200",
                    excerpt(value)
                ));
            }
        },
        "sso_session" => facts.sso_session = some(value),
        "sso_start_url" => facts.sso_start_url = some(value),
        "sso_account_id" => facts.sso_account_id = some(value),
        "sso_role_name" => facts.sso_role_name = some(value),
        "credential_process" => {
            facts.credential_program = value.split_whitespace().next().map(str::to_owned);
        }
        _ => {}
    }
    Ok(())
}

fn sso_setting(facts: &mut SsoFacts, key: &str, value: &str) -> Result<(), String> {
    match key {
        "sso_start_url" => facts.start_url = some(value),
        "sso_region" => facts.region = Some(region_value(value)?),
        "sso_registration_scopes" => {
            facts.scopes = value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
        }
        _ => {}
    }
    Ok(())
}

/// A section Unyo reads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Section {
    Profile(String),
    SsoSession(String),
}

/// What a section header names, `None` for sections Unyo does not read (`[services …]`).
fn section(line: &str, flavour: Flavour) -> Result<Option<Section>, String> {
    let Some(inner) = line.strip_prefix('[').and_then(|l| {
        // A comment may follow the closing bracket.
        l.split_once(']').map(|(inner, _)| inner)
    }) else {
        return Err(format!("`{}` has no closing `]`", excerpt(line)));
    };
    let inner = inner.trim();
    if inner.is_empty() {
        return Err("a section header has no name".into());
    }
    match flavour {
        Flavour::Credentials => Ok(Some(Section::Profile(inner.to_owned()))),
        Flavour::Config => {
            if inner == "default" {
                return Ok(Some(Section::Profile(inner.to_owned())));
            }
            if let Some(name) = inner.strip_prefix("profile") {
                if name.starts_with([' ', '\t']) && !name.trim().is_empty() {
                    return Ok(Some(Section::Profile(name.trim().to_owned())));
                }
            }
            if let Some(name) = inner.strip_prefix("sso-session ") {
                return Ok(Some(Section::SsoSession(name.trim().to_owned())));
            }
            if inner.starts_with("services ") {
                return Ok(None);
            }
            Err(format!(
                "[{inner}] is ignored: in the config file a profile section is written [profile {inner}]"
            ))
        }
    }
}

/// Shows at most the start of a bad line, so a pasted secret is never echoed whole.
fn excerpt(text: &str) -> String {
    const MAX: usize = 24;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}…")
    }
}

mod chain;
mod repair;

pub use repair::{config_for_sdk, credentials_for_sdk};
#[cfg(test)]
mod tests;
