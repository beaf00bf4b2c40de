//! Every profile Unyo can use, and an `SdkConfig` for any of them.
//!
//! Profiles from the shared AWS files are resolved by the SDK's own providers (keys,
//! assume-role chains, IAM Identity Center, credential_process); Unyo adds only what the SDK
//! lacks: roles with `mfa_serial` (see [`mfa`]) and profiles created in Unyo, whose keys live
//! in the OS keychain (see [`unyo`]).

mod manage;
mod mfa;
mod unyo;

use std::path::PathBuf;
use std::sync::Arc;

use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use serde::Serialize;
use ts_rs::TS;
use unyo_core::aws_files::{self, AwsFilePaths, FileIssue, ProfileSummary, SsoSessionSummary};
use unyo_core::secret::SecretStore;
use unyo_core::unyo_profiles::{UnyoCredentials, UnyoProfiles};

use crate::sso::{SsoSession, SsoSignIn, TokenStatus};
use unyo_core::{AppError, ErrorCode};

pub use manage::NewProfile;

/// STS answers in every region; calls that need one and have none use this.
const FALLBACK_REGION: &str = "us-east-1";

/// What the Profiles screen and `unyo profiles list` show.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileListing {
    /// AWS-file profiles first (as the AWS CLI lists them), then Unyo's own.
    pub profiles: Vec<ProfileSummary>,
    pub sso_sessions: Vec<SsoSessionSummary>,
    /// Problems in the AWS files (file and line) or in Unyo's profiles file.
    pub issues: Vec<FileIssue>,
    /// The profile the AWS CLI would use with no `--profile` (`AWS_PROFILE`, else `default`).
    pub default_profile: Option<String>,
    pub aws_config_file: Option<String>,
    pub aws_credentials_file: Option<String>,
}

/// Resolves profiles to SDK configs. Cheap to clone; the files are re-read on every call so
/// edits made in an editor or by `aws configure` show up without a restart.
#[derive(Debug, Clone)]
pub struct ProfileResolver {
    aws_files: Option<AwsFilePaths>,
    unyo_file: PathBuf,
    secrets: Arc<dyn SecretStore>,
    endpoint_url: Option<String>,
    default_profile: Option<String>,
    /// IAM Identity Center sign-ins, checked before an SSO profile is used so a signed-out
    /// session is reported as "sign in again" rather than as the SDK's token error.
    sso: Option<SsoSignIn>,
}

impl ProfileResolver {
    /// `aws_files`: where the shared files are (see [`AwsFilePaths::resolve`]); `unyo_file`:
    /// Unyo's `profiles.toml`; `secrets`: the OS keychain.
    pub fn new(
        aws_files: Option<AwsFilePaths>,
        unyo_file: PathBuf,
        secrets: Arc<dyn SecretStore>,
    ) -> Self {
        Self {
            aws_files,
            unyo_file,
            secrets,
            endpoint_url: None,
            default_profile: std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()),
            sso: None,
        }
    }

    /// Checks (and refreshes) IAM Identity Center sign-ins through `sign_in` before SSO
    /// profiles are used.
    pub fn with_sso(mut self, sign_in: SsoSignIn) -> Self {
        self.sso = Some(sign_in);
        self
    }

    /// The `[sso-session]` called `name`, from the AWS config file or Unyo's own.
    pub fn sso_session(&self, name: &str) -> Result<SsoSession, AppError> {
        let files = self.discover();
        let unyo = self.unyo_profiles().unwrap_or_default();
        let summary = files
            .sso_session(name)
            .or_else(|| unyo.sso_session(name))
            .ok_or_else(|| {
                AppError::invalid_input(format!("there is no IAM Identity Center session `{name}`"))
            })?;
        SsoSession::from_summary(summary)
    }

    /// Fails with "sign in again" when `session`'s sign-in has ended, and renews a token that
    /// can be renewed without the browser.
    async fn ensure_signed_in(&self, session_name: &str) -> Result<(), AppError> {
        let Some(sign_in) = &self.sso else {
            return Ok(());
        };
        let session = self.sso_session(session_name)?;
        match sign_in.status(&session) {
            TokenStatus::SignedIn { .. } => Ok(()),
            TokenStatus::Refreshable => sign_in.refresh(&session).await.map(|_| ()),
            TokenStatus::SignedOut => Err(AppError::new(
                ErrorCode::CredentialsExpired,
                format!(
                    "the IAM Identity Center session `{session_name}` is signed out or its sign-in has ended; sign in again (Profiles → Sign in, or `unyo sso login --sso-session {session_name}`)"
                ),
            )),
        }
    }

    /// Sends every call to `url` (an emulator on loopback) instead of AWS.
    pub fn with_endpoint_url(mut self, url: Option<String>) -> Self {
        self.endpoint_url = url;
        self
    }

    /// The endpoint every call goes to instead of AWS, when one was given.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Every profile, and the problems found reading them; never fails as a whole.
    pub fn list(&self) -> ProfileListing {
        let files = self.discover();
        let mut issues = files.issues.clone();
        let unyo = self.unyo_profiles().unwrap_or_else(|err| {
            issues.push(FileIssue {
                file: self.unyo_file.display().to_string(),
                line: None,
                message: err.message,
            });
            UnyoProfiles::default()
        });
        let mut profiles = files.profiles.clone();
        profiles.extend(unyo.summaries());
        let mut sso_sessions = files.sso_sessions.clone();
        sso_sessions.extend(unyo.sso_sessions.iter().cloned());
        let default_profile = self.default_profile.clone().or_else(|| {
            profiles
                .iter()
                .any(|p| p.name == "default")
                .then(|| "default".to_owned())
        });
        ProfileListing {
            profiles,
            sso_sessions,
            issues,
            default_profile,
            aws_config_file: self
                .aws_files
                .as_ref()
                .map(|p| p.config.display().to_string()),
            aws_credentials_file: self
                .aws_files
                .as_ref()
                .map(|p| p.credentials.display().to_string()),
        }
    }

    /// An `SdkConfig` whose credentials are `profile`'s, in `region` (else the profile's
    /// region, else the SDK's default). Fails early, with the next step in the message, when
    /// the profile cannot work as written or needs an MFA code first.
    pub async fn sdk_config(
        &self,
        profile: &str,
        region: Option<&str>,
    ) -> Result<SdkConfig, AppError> {
        let files = self.discover();
        if let Some(summary) = files.profile(profile) {
            if let Some(problem) = &summary.problem {
                return Err(AppError::new(
                    ErrorCode::CredentialsInvalid,
                    format!("profile `{profile}`: {problem}"),
                ));
            }
            if summary.needs_mfa() {
                return mfa::file_profile_config(self, summary, region).await;
            }
            if let Some(session) = &summary.sso_session {
                self.ensure_signed_in(session).await?;
            }
            let region = region.or(summary.region.as_deref());
            return Ok(self.file_profile_config(profile, region).await);
        }
        let unyo = self.unyo_profiles()?;
        match unyo.get(profile) {
            Some(found) => {
                if let UnyoCredentials::IdentityCenter { sso_session, .. } = &found.credentials {
                    self.ensure_signed_in(sso_session).await?;
                }
                unyo::config(self, &unyo, &files, found, region).await
            }
            None => Err(AppError::invalid_input(format!(
                "there is no profile called `{profile}` in the AWS files or in Unyo"
            ))),
        }
    }

    /// Who `profile` is, from STS (GetCallerIdentity needs no permission).
    pub async fn whoami(
        &self,
        profile: &str,
        region: Option<&str>,
    ) -> Result<crate::identity::CallerIdentity, AppError> {
        let config = self.sdk_config(profile, region).await?;
        crate::identity::caller_identity(&config, profile.to_owned()).await
    }

    /// The SDK's own resolution of a profile in the shared files. The profile's credentials
    /// are used even when `AWS_ACCESS_KEY_ID` is set: the user chose this profile. A region is
    /// always given (STS's global one when the profile has none) so the SDK never asks the
    /// instance metadata service, which outside EC2 only times out.
    async fn file_profile_config(&self, profile: &str, region: Option<&str>) -> SdkConfig {
        let files = self.profile_files();
        let region = Region::new(region.unwrap_or(FALLBACK_REGION).to_owned());
        let credentials = ProfileFileCredentialsProvider::builder()
            .configure(&ProviderConfig::default().with_region(Some(region.clone())))
            .profile_name(profile)
            .profile_files(files.clone())
            .build();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .profile_name(profile)
            .profile_files(files)
            .credentials_provider(credentials)
            .region(region);
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        loader.load().await
    }

    /// The files Unyo listed, handed to the SDK so both read the same ones, with the lines
    /// Unyo reported neutralised: the SDK would otherwise reject a whole file over one bad
    /// line, and every other profile in it with it.
    fn profile_files(&self) -> EnvConfigFiles {
        let Some(paths) = &self.aws_files else {
            return EnvConfigFiles::default();
        };
        let mut files = EnvConfigFiles::builder()
            .include_default_config_file(false)
            .include_default_credentials_file(false);
        if let Some(text) = aws_files::config_for_sdk(&paths.config) {
            files = files.with_contents(EnvConfigFileKind::Config, text);
        }
        if let Some(text) = aws_files::credentials_for_sdk(&paths.credentials) {
            files = files.with_contents(EnvConfigFileKind::Credentials, text);
        }
        files.build()
    }

    /// A config with the given credentials; the region falls back to STS's global one.
    async fn config_with(
        &self,
        credentials: aws_credential_types::provider::SharedCredentialsProvider,
        region: Option<&str>,
    ) -> SdkConfig {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .credentials_provider(credentials)
            .region(Region::new(region.unwrap_or(FALLBACK_REGION).to_owned()));
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        loader.load().await
    }

    fn discover(&self) -> aws_files::ProfileDiscovery {
        self.aws_files
            .as_ref()
            .map(aws_files::discover)
            .unwrap_or_default()
    }

    fn unyo_profiles(&self) -> Result<UnyoProfiles, AppError> {
        UnyoProfiles::load(&self.unyo_file)
    }

    fn secrets(&self) -> &dyn SecretStore {
        self.secrets.as_ref()
    }
}
