//! Reads the names, kinds and regions of the profiles in the user's shared AWS config and
//! credentials files, and reports every problem with its file and line.
//!
//! Non-goals: resolving credentials (that is the AWS SDK's job in `unyo-aws`). Secret values
//! are never kept: the parser only notes that a key exists.

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileSummary {
    pub name: String,
    pub kind: ProfileKind,
    pub region: Option<String>,
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
    pub issues: Vec<FileIssue>,
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
    let mut profiles: BTreeMap<String, Facts> = BTreeMap::new();
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
                    &mut profiles,
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
    ProfileDiscovery {
        profiles: profiles
            .into_iter()
            .map(|(name, facts)| ProfileSummary {
                kind: facts.kind(),
                region: facts.region,
                name,
            })
            .collect(),
        issues,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Config,
    Credentials,
}

/// Which credential keys a profile has; values are deliberately not kept.
#[derive(Debug, Default)]
struct Facts {
    region: Option<String>,
    static_keys: bool,
    role: bool,
    sso: bool,
    process: bool,
}

impl Facts {
    fn kind(&self) -> ProfileKind {
        if self.role {
            ProfileKind::AssumeRole
        } else if self.sso {
            ProfileKind::IdentityCenter
        } else if self.process {
            ProfileKind::CredentialProcess
        } else if self.static_keys {
            ProfileKind::StaticKeys
        } else {
            ProfileKind::SettingsOnly
        }
    }
}

fn parse(
    text: &str,
    flavour: Flavour,
    file: &str,
    profiles: &mut BTreeMap<String, Facts>,
    issues: &mut Vec<FileIssue>,
) {
    // `None` while outside any section or inside one that holds no profile.
    let mut current: Option<String> = None;
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
            match section_profile(line, flavour) {
                Ok(Some(name)) => {
                    profiles.entry(name.clone()).or_default();
                    current = Some(name);
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
        let Some(facts) = current.as_ref().and_then(|n| profiles.get_mut(n)) else {
            continue;
        };
        match key.to_ascii_lowercase().as_str() {
            "region" if is_region_code(value) => facts.region = Some(value.to_owned()),
            "region" => issue(format!(
                "`{}` is not a region code (e.g. ap-northeast-1)",
                excerpt(value)
            )),
            "aws_access_key_id" | "aws_secret_access_key" => facts.static_keys = true,
            "role_arn" => facts.role = true,
            "sso_session" | "sso_start_url" => facts.sso = true,
            "credential_process" => facts.process = true,
            _ => {}
        }
    }
}

/// The profile a section header names, `None` for sections that hold no profile.
fn section_profile(line: &str, flavour: Flavour) -> Result<Option<String>, String> {
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
        Flavour::Credentials => Ok(Some(inner.to_owned())),
        Flavour::Config => {
            if inner == "default" {
                return Ok(Some(inner.to_owned()));
            }
            if let Some(name) = inner.strip_prefix("profile") {
                if name.starts_with([' ', '\t']) && !name.trim().is_empty() {
                    return Ok(Some(name.trim().to_owned()));
                }
            }
            if inner.starts_with("sso-session ") || inner.starts_with("services ") {
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

#[cfg(test)]
mod tests;
