//! Creating and deleting Unyo's own profiles: the profile in `profiles.toml`, its keys in the
//! keychain, written in the order that never leaves a half-made profile behind.

use serde::Deserialize;
use ts_rs::TS;
use unyo_core::AppError;
use unyo_core::aws_files::{ProfileSummary, SsoSessionSummary};
use unyo_core::secret::{
    AccessKeys, ExposeSecret, SecretString, encode_keys, keys_item, mask_access_key_id,
};
use unyo_core::unyo_profiles::{UnyoCredentials, UnyoProfile, validate_access_keys};

use super::ProfileResolver;
use super::mfa::{self, MfaRole};
use crate::sso::AccountRole;

/// A profile the user fills in on the Profiles screen (or `unyo profiles add`). The secret key
/// is wrapped as soon as it is parsed and is never sent back.
#[derive(Debug, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum NewProfile {
    AccessKeys {
        name: String,
        region: Option<String>,
        access_key_id: String,
        #[ts(type = "string")]
        secret_access_key: SecretString,
    },
    AssumeRole {
        name: String,
        region: Option<String>,
        source_profile: String,
        role_arn: String,
        mfa_serial: Option<String>,
        external_id: Option<String>,
        duration_seconds: Option<u32>,
    },
    IdentityCenter {
        name: String,
        region: Option<String>,
        sso_session: String,
        account_id: String,
        role_name: String,
    },
}

/// A profile name from an account and role as IAM Identity Center names them, in the
/// characters profile names allow (`Prod Payments` + `Admin` → `prod-payments-admin`).
fn profile_name(account_name: &str, account_id: &str, role_name: &str) -> String {
    let account = if account_name.trim().is_empty() {
        account_id
    } else {
        account_name
    };
    let raw = format!("{account}-{role_name}").to_lowercase();
    let mut name = String::new();
    for c in raw.chars() {
        let c = if c.is_ascii_alphanumeric() || "_.+@".contains(c) {
            c
        } else {
            '-'
        };
        if !(c == '-' && name.ends_with('-')) {
            name.push(c);
        }
    }
    name.trim_matches('-').chars().take(64).collect()
}

/// Empty text fields from a form mean "not set".
fn optional(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl ProfileResolver {
    /// Adds a Unyo profile; keys go to the keychain first, so a profile in the file always
    /// has its keys, and a failed file write takes the keys back out.
    pub fn add_profile(&self, new: NewProfile) -> Result<ProfileSummary, AppError> {
        let files = self.discover();
        let mut unyo = self.unyo_profiles()?;
        let (profile, keys) = match new {
            NewProfile::AccessKeys {
                name,
                region,
                access_key_id,
                secret_access_key,
            } => {
                let access_key_id = access_key_id.trim().to_owned();
                let secret =
                    SecretString::from(secret_access_key.expose_secret().trim().to_owned());
                validate_access_keys(&access_key_id, secret.expose_secret().len())?;
                let profile = UnyoProfile {
                    name: name.trim().to_owned(),
                    region: optional(region),
                    credentials: UnyoCredentials::AccessKeys {
                        key_hint: mask_access_key_id(&access_key_id),
                    },
                };
                let keys = AccessKeys {
                    access_key_id,
                    secret_access_key: secret,
                };
                (profile, Some(keys))
            }
            NewProfile::AssumeRole {
                name,
                region,
                source_profile,
                role_arn,
                mfa_serial,
                external_id,
                duration_seconds,
            } => {
                let source_profile = source_profile.trim().to_owned();
                if files.profile(&source_profile).is_none() && unyo.get(&source_profile).is_none() {
                    return Err(AppError::invalid_input(format!(
                        "there is no profile called `{source_profile}` to take credentials from"
                    )));
                }
                let profile = UnyoProfile {
                    name: name.trim().to_owned(),
                    region: optional(region),
                    credentials: UnyoCredentials::AssumeRole {
                        source_profile,
                        role_arn: role_arn.trim().to_owned(),
                        mfa_serial: optional(mfa_serial),
                        external_id: optional(external_id),
                        duration_seconds,
                    },
                };
                (profile, None)
            }
            NewProfile::IdentityCenter {
                name,
                region,
                sso_session,
                account_id,
                role_name,
            } => {
                let profile = UnyoProfile {
                    name: name.trim().to_owned(),
                    region: optional(region),
                    credentials: UnyoCredentials::IdentityCenter {
                        sso_session,
                        account_id: account_id.trim().to_owned(),
                        role_name: role_name.trim().to_owned(),
                    },
                };
                (profile, None)
            }
        };
        let name = profile.name.clone();
        unyo.add(profile, &files)?;
        if let Some(keys) = &keys {
            self.secrets().put(&keys_item(&name), &encode_keys(keys))?;
        }
        if let Err(err) = unyo.save(&self.unyo_file) {
            if keys.is_some() {
                // Best effort: the save error is what the user needs to see.
                let _ = self.secrets().delete(&keys_item(&name));
            }
            return Err(err);
        }
        unyo.summaries()
            .into_iter()
            .find(|p| p.name == name)
            .ok_or_else(|| {
                AppError::new(unyo_core::ErrorCode::Internal, "the new profile vanished")
            })
    }

    /// Deletes a Unyo profile and every keychain item that belongs to it: its keys, and MFA
    /// sessions no remaining profile can use.
    pub fn delete_profile(&self, name: &str) -> Result<(), AppError> {
        let mut unyo = self.unyo_profiles()?;
        let removed = unyo.remove(name)?;
        unyo.save(&self.unyo_file)?;
        self.secrets().delete(&keys_item(name))?;
        if let Some(role) = MfaRole::from_unyo(&removed) {
            let shared = unyo
                .profiles
                .iter()
                .filter_map(MfaRole::from_unyo)
                .any(|other| other.source == role.source && other.serial == role.serial);
            if shared {
                self.secrets().delete(&format!("mfa-role/{name}"))?;
            } else {
                mfa::forget(self, &role)?;
            }
        }
        Ok(())
    }

    pub fn add_sso_session(&self, session: SsoSessionSummary) -> Result<(), AppError> {
        let files = self.discover();
        if files.sso_session(&session.name).is_some() {
            return Err(AppError::invalid_input(format!(
                "the AWS config file already has an sso-session called `{}`",
                session.name
            )));
        }
        let mut unyo = self.unyo_profiles()?;
        unyo.add_sso_session(session)?;
        unyo.save(&self.unyo_file)
    }

    /// Creates an IAM Identity Center profile for each chosen account role, named
    /// `<account name>-<role>` (made unique), and returns the new profiles.
    pub fn import_sso_roles(
        &self,
        session: &str,
        roles: &[AccountRole],
        region: Option<String>,
    ) -> Result<Vec<ProfileSummary>, AppError> {
        let files = self.discover();
        let mut unyo = self.unyo_profiles()?;
        let mut names = Vec::new();
        for role in roles {
            let base = profile_name(&role.account_name, &role.account_id, &role.role_name);
            let name = (1..)
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    }
                })
                .find(|n| files.profile(n).is_none() && unyo.get(n).is_none())
                .unwrap_or(base);
            unyo.add(
                UnyoProfile {
                    name: name.clone(),
                    region: optional(region.clone()),
                    credentials: UnyoCredentials::IdentityCenter {
                        sso_session: session.to_owned(),
                        account_id: role.account_id.clone(),
                        role_name: role.role_name.clone(),
                    },
                },
                &files,
            )?;
            names.push(name);
        }
        unyo.save(&self.unyo_file)?;
        Ok(unyo
            .summaries()
            .into_iter()
            .filter(|p| names.contains(&p.name))
            .collect())
    }

    /// Exchanges an MFA code for `profile`'s session; later calls through it need no code
    /// until the session ends.
    pub async fn submit_mfa_code(&self, profile: &str, code: &str) -> Result<(), AppError> {
        let role = self.mfa_role(profile).await?;
        mfa::submit(self, &role, code).await
    }

    async fn mfa_role(&self, profile: &str) -> Result<MfaRole, AppError> {
        let files = self.discover();
        if let Some(summary) = files.profile(profile) {
            return MfaRole::from_file(self, summary).await;
        }
        self.unyo_profiles()?
            .get(profile)
            .and_then(MfaRole::from_unyo)
            .ok_or_else(|| {
                AppError::invalid_input(format!("profile `{profile}` does not use an MFA device"))
            })
    }
}
