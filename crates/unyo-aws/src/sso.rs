//! IAM Identity Center (SSO) sign-in, shared with the AWS CLI.
//!
//! Unyo signs in with the OAuth device flow (SSO OIDC `RegisterClient`,
//! `StartDeviceAuthorization`, `CreateToken`) and keeps the result where and as the AWS CLI v2
//! keeps it (`~/.aws/sso/cache`), so `aws sso login` and Unyo share one sign-in, and the SDK's
//! own `SsoTokenProvider` (which every SSO profile goes through) reads and refreshes what Unyo
//! wrote.
//!
//! Two failures of other tools shape it: parallel callers each opening a browser tab (here one
//! device authorization per session is shared by every caller, see [`SsoSignIn`]), and refresh
//! tokens left unused (here registration asks for `sso:account:access` unless the config names
//! other scopes, and an expired token with a refresh token is refreshed, not signed in again).
//!
//! Non-goals: role credentials (the SDK's SSO credentials provider turns a cached token and a
//! profile's account and role into keys); the browser authorization-code (PKCE) flow.

mod accounts;
mod cache;
mod clients;
mod config;
mod oidc;
mod sign_in;

use serde::Serialize;
use ts_rs::TS;
use unyo_core::AppError;
use unyo_core::aws_files::SsoSessionSummary;

pub use accounts::list_account_roles;
pub use cache::TokenCache;
pub use clients::SsoClients;
pub use config::{SessionSource, find_session};
pub use sign_in::SsoSignIn;

/// The scope that makes IAM Identity Center hand out refresh tokens; what `aws configure sso`
/// writes. Without it every token ends after its 8 hours (or whatever the portal sets).
pub const DEFAULT_SCOPE: &str = "sso:account:access";

/// An `[sso-session NAME]` section (`name = Some`) or a legacy profile's
/// `sso_start_url`/`sso_region` (`name = None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSession {
    pub name: Option<String>,
    pub start_url: String,
    pub region: String,
    /// `sso_registration_scopes`; [`DEFAULT_SCOPE`] when the config names none.
    pub scopes: Vec<String>,
}

impl SsoSession {
    pub fn named(
        name: impl Into<String>,
        start_url: impl Into<String>,
        region: impl Into<String>,
    ) -> Self {
        Self {
            name: Some(name.into()),
            start_url: start_url.into(),
            region: region.into(),
            scopes: default_scopes(Vec::new()),
        }
    }

    pub fn legacy(start_url: impl Into<String>, region: impl Into<String>) -> Self {
        Self {
            name: None,
            start_url: start_url.into(),
            region: region.into(),
            scopes: default_scopes(Vec::new()),
        }
    }

    /// The session as the Profiles screen found it in the AWS config file.
    pub fn from_summary(summary: &SsoSessionSummary) -> Result<Self, AppError> {
        let missing = |key: &str| {
            AppError::invalid_input(format!(
                "[sso-session {}] has no {key}; add it to the AWS config file",
                summary.name
            ))
        };
        Ok(Self {
            name: Some(summary.name.clone()),
            start_url: summary
                .start_url
                .clone()
                .ok_or_else(|| missing("sso_start_url"))?,
            region: summary
                .region
                .clone()
                .ok_or_else(|| missing("sso_region"))?,
            scopes: default_scopes(summary.scopes.clone()),
        })
    }

    /// What the AWS CLI names the token file after: the session name, or for a legacy profile
    /// the start URL.
    pub fn cache_key(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.start_url)
    }

    /// How messages name the session.
    fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("sso-session \"{name}\""),
            None => format!("the IAM Identity Center portal {}", self.start_url),
        }
    }
}

fn default_scopes(scopes: Vec<String>) -> Vec<String> {
    if scopes.is_empty() {
        vec![DEFAULT_SCOPE.to_owned()]
    } else {
        scopes
    }
}

/// Whether Unyo (and the AWS CLI, which reads the same file) can call IAM Identity Center for
/// this session now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "state"
)]
#[ts(export)]
pub enum TokenStatus {
    /// `expires_at` is RFC 3339 UTC.
    SignedIn {
        expires_at: String,
    },
    /// The access token has expired, but a refresh token and an unexpired client registration
    /// exist: [`SsoSignIn::refresh`] renews it without the browser.
    Refreshable,
    SignedOut,
}

/// What the user needs to approve a sign-in: open `verification_uri_complete` (or open
/// `verification_uri` and type `user_code`) before `expires_at` (RFC 3339 UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DeviceAuthorization {
    pub verification_uri: String,
    pub verification_uri_complete: String,
    pub user_code: String,
    pub expires_at: String,
}

/// A role the signed-in user may take in an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountRole {
    pub account_id: String,
    pub account_name: String,
    pub email: Option<String>,
    pub role_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(start_url: Option<&str>, scopes: &[&str]) -> SsoSessionSummary {
        SsoSessionSummary {
            name: "corp".into(),
            start_url: start_url.map(str::to_owned),
            region: Some("eu-west-1".into()),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn a_profiles_screen_session_becomes_a_sign_in_session() {
        let url = "https://d-9067642ac7.awsapps.com/start";
        assert_eq!(
            SsoSession::from_summary(&summary(Some(url), &[])).unwrap(),
            SsoSession::named("corp", url, "eu-west-1")
        );
        let scoped = SsoSession::from_summary(&summary(Some(url), &["a:b"])).unwrap();
        assert_eq!(scoped.scopes, ["a:b"]);
    }

    #[test]
    fn a_session_without_a_start_url_cannot_sign_in() {
        let err = SsoSession::from_summary(&summary(None, &[])).unwrap_err();
        assert_eq!(err.code, unyo_core::ErrorCode::InvalidInput);
        assert!(err.message.contains("sso_start_url"), "{}", err.message);
    }
}
