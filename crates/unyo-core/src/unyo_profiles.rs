//! Profiles created in Unyo, for people without an AWS CLI setup: their names, roles and SSO
//! sessions in `profiles.toml` in Unyo's config dir; their access keys only in the keychain
//! (see [`crate::secret`]). The file holds nothing secret: a masked key id at most.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::aws_files::{
    ProfileDiscovery, ProfileKind, ProfileOrigin, ProfileSummary, SsoSessionSummary,
};
use crate::region::is_region_code;
use crate::{AppError, ErrorCode};

/// How a Unyo profile gets its credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum UnyoCredentials {
    /// An IAM user's keys, held in the keychain; `key_hint` is the masked key id.
    AccessKeys { key_hint: String },
    /// A role assumed with the credentials of `source_profile` (a Unyo or AWS-file profile).
    AssumeRole {
        source_profile: String,
        role_arn: String,
        mfa_serial: Option<String>,
        external_id: Option<String>,
        duration_seconds: Option<u32>,
    },
    /// A role in an account reached through an IAM Identity Center sign-in.
    IdentityCenter {
        sso_session: String,
        account_id: String,
        role_name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnyoProfile {
    pub name: String,
    pub region: Option<String>,
    pub credentials: UnyoCredentials,
}

/// Everything in `profiles.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UnyoProfiles {
    #[serde(rename = "profile")]
    pub profiles: Vec<UnyoProfile>,
    #[serde(rename = "ssoSession")]
    pub sso_sessions: Vec<SsoSessionSummary>,
}

impl UnyoProfiles {
    /// A missing file means no Unyo profiles yet. A damaged one is an error naming the file:
    /// the user's AWS-file profiles keep working, and nothing overwrites it until fixed.
    pub fn load(path: &Path) -> Result<Self, AppError> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                AppError::new(
                    ErrorCode::Storage,
                    format!(
                        "{} cannot be read ({}); Unyo's own profiles are unavailable until it is fixed or removed",
                        path.display(),
                        e.message()
                    ),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(AppError::new(
                ErrorCode::Storage,
                format!("{} cannot be read: {e}", path.display()),
            )),
        }
    }

    /// Writes atomically (a temporary file renamed over the old one).
    pub fn save(&self, path: &Path) -> Result<(), AppError> {
        let storage = |e: std::io::Error| {
            AppError::new(
                ErrorCode::Storage,
                format!("{} cannot be written: {e}", path.display()),
            )
        };
        let text = toml::to_string_pretty(self)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(storage)?;
        }
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, text).map_err(storage)?;
        std::fs::rename(&tmp, path).map_err(storage)
    }

    pub fn get(&self, name: &str) -> Option<&UnyoProfile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    pub fn sso_session(&self, name: &str) -> Option<&SsoSessionSummary> {
        self.sso_sessions.iter().find(|s| s.name == name)
    }

    /// Adds `profile` after checking it against itself, the other Unyo profiles and the AWS
    /// files (`files`): one name must mean one profile everywhere.
    pub fn add(&mut self, profile: UnyoProfile, files: &ProfileDiscovery) -> Result<(), AppError> {
        validate_name(&profile.name)?;
        if files.profile(&profile.name).is_some() || self.get(&profile.name).is_some() {
            return Err(AppError::invalid_input(format!(
                "a profile called `{}` already exists; choose another name",
                profile.name
            )));
        }
        if let Some(region) = &profile.region {
            if !is_region_code(region) {
                return Err(AppError::invalid_input(format!(
                    "`{region}` is not a region code (e.g. ap-northeast-1)"
                )));
            }
        }
        match &profile.credentials {
            UnyoCredentials::AccessKeys { .. } => {}
            UnyoCredentials::AssumeRole {
                source_profile,
                role_arn,
                mfa_serial,
                duration_seconds,
                ..
            } => {
                if source_profile == &profile.name {
                    return Err(AppError::invalid_input(
                        "a role cannot use its own profile as the source of credentials",
                    ));
                }
                validate_role_arn(role_arn)?;
                if let Some(serial) = mfa_serial {
                    validate_mfa_serial(serial)?;
                }
                if let Some(seconds) = duration_seconds {
                    if !(900..=43_200).contains(seconds) {
                        return Err(AppError::invalid_input(
                            "the session length must be from 900 to 43200 seconds",
                        ));
                    }
                }
            }
            UnyoCredentials::IdentityCenter {
                sso_session,
                account_id,
                role_name,
            } => {
                if self.sso_session(sso_session).is_none()
                    && files.sso_session(sso_session).is_none()
                {
                    return Err(AppError::invalid_input(format!(
                        "there is no IAM Identity Center session called `{sso_session}`"
                    )));
                }
                validate_account_id(account_id)?;
                if role_name.trim().is_empty() {
                    return Err(AppError::invalid_input("choose a role"));
                }
            }
        }
        self.profiles.push(profile);
        Ok(())
    }

    /// Removes and returns the profile; the caller deletes its keychain items.
    pub fn remove(&mut self, name: &str) -> Result<UnyoProfile, AppError> {
        let users: Vec<&str> = self
            .profiles
            .iter()
            .filter(|p| {
                matches!(&p.credentials, UnyoCredentials::AssumeRole { source_profile, .. } if source_profile == name)
            })
            .map(|p| p.name.as_str())
            .collect();
        if !users.is_empty() {
            return Err(AppError::invalid_input(format!(
                "`{name}` is the source of credentials for {}; delete or change those first",
                users.join(", ")
            )));
        }
        let index = self
            .profiles
            .iter()
            .position(|p| p.name == name)
            .ok_or_else(|| AppError::invalid_input(format!("there is no Unyo profile `{name}`")))?;
        Ok(self.profiles.remove(index))
    }

    pub fn add_sso_session(&mut self, session: SsoSessionSummary) -> Result<(), AppError> {
        validate_name(&session.name)?;
        if self.sso_session(&session.name).is_some() {
            return Err(AppError::invalid_input(format!(
                "an IAM Identity Center session called `{}` already exists",
                session.name
            )));
        }
        let start_url = session.start_url.as_deref().unwrap_or_default();
        if !start_url.starts_with("https://") {
            return Err(AppError::invalid_input(
                "the start URL begins with https:// (e.g. https://my-company.awsapps.com/start)",
            ));
        }
        if !session.region.as_deref().is_some_and(is_region_code) {
            return Err(AppError::invalid_input(
                "choose the region where IAM Identity Center is set up",
            ));
        }
        self.sso_sessions.push(session);
        Ok(())
    }

    /// The profiles as the Profiles screen lists them, chains included.
    pub fn summaries(&self) -> Vec<ProfileSummary> {
        self.profiles.iter().map(|p| self.summary(p)).collect()
    }

    fn summary(&self, profile: &UnyoProfile) -> ProfileSummary {
        let mut summary = ProfileSummary {
            name: profile.name.clone(),
            kind: ProfileKind::StaticKeys,
            origin: ProfileOrigin::Unyo,
            region: profile.region.clone(),
            chain: Vec::new(),
            role_arn: None,
            mfa_serial: None,
            sso_session: None,
            sso_account_id: None,
            sso_role_name: None,
            credential_program: None,
            key_hint: None,
            external_id: false,
            duration_seconds: None,
            problem: None,
        };
        match &profile.credentials {
            UnyoCredentials::AccessKeys { key_hint } => {
                summary.key_hint = Some(key_hint.clone());
            }
            UnyoCredentials::AssumeRole {
                source_profile,
                role_arn,
                mfa_serial,
                external_id,
                duration_seconds,
            } => {
                summary.kind = ProfileKind::AssumeRole;
                summary.role_arn = Some(role_arn.clone());
                summary.mfa_serial = mfa_serial.clone();
                summary.external_id = external_id.is_some();
                summary.duration_seconds = *duration_seconds;
                summary.chain = vec![source_profile.clone()];
                // Follow sources that are Unyo profiles too; a file profile ends the walk
                // here (its own chain is shown on its own row).
                let mut next = self.get(source_profile);
                while let Some(UnyoProfile {
                    credentials: UnyoCredentials::AssumeRole { source_profile, .. },
                    ..
                }) = next
                {
                    if summary.chain.contains(source_profile) {
                        summary.problem =
                            Some(format!("source profiles loop back to `{source_profile}`"));
                        break;
                    }
                    summary.chain.push(source_profile.clone());
                    next = self.get(source_profile);
                }
            }
            UnyoCredentials::IdentityCenter {
                sso_session,
                account_id,
                role_name,
            } => {
                summary.kind = ProfileKind::IdentityCenter;
                summary.sso_session = Some(sso_session.clone());
                summary.sso_account_id = Some(account_id.clone());
                summary.sso_role_name = Some(role_name.clone());
            }
        }
        summary
    }
}

fn validate_name(name: &str) -> Result<(), AppError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.+@".contains(c));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid_input(
            "a name uses letters, digits and - _ . + @ only, up to 64 characters",
        ))
    }
}

fn validate_account_id(id: &str) -> Result<(), AppError> {
    if id.len() == 12 && id.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(AppError::invalid_input(format!(
            "`{id}` is not an AWS account id (12 digits)"
        )))
    }
}

fn validate_role_arn(arn: &str) -> Result<(), AppError> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && validate_account_id(parts[4]).is_ok()
        && parts[5].starts_with("role/")
        && parts[5].len() > "role/".len();
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid_input(format!(
            "`{arn}` is not a role ARN (arn:aws:iam::123456789012:role/Name)"
        )))
    }
}

/// A virtual device's ARN, or the serial number printed on a hardware token.
fn validate_mfa_serial(serial: &str) -> Result<(), AppError> {
    let arn = serial.starts_with("arn:aws") && serial.contains(":mfa/") || serial.contains(":u2f/");
    let hardware = serial.len() >= 9 && serial.chars().all(|c| c.is_ascii_alphanumeric());
    if arn || hardware {
        Ok(())
    } else {
        Err(AppError::invalid_input(format!(
            "`{serial}` is not an MFA device (arn:aws:iam::123456789012:mfa/name)"
        )))
    }
}

/// Checks an access key pair's shape before it is stored, so a pasted typo is caught now
/// rather than on the first call.
pub fn validate_access_keys(access_key_id: &str, secret_len: usize) -> Result<(), AppError> {
    // Long-lived keys only: temporary `ASIA…` keys need a session token and expire.
    let id_ok = access_key_id.len() == 20
        && access_key_id.starts_with("AKIA")
        && access_key_id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if !id_ok {
        return Err(AppError::invalid_input(
            "an access key id is 20 capital letters and digits starting with AKIA",
        ));
    }
    if secret_len != 40 {
        return Err(AppError::invalid_input(
            "a secret access key is 40 characters; copy it again from the IAM console",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
