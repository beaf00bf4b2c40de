//! Roles that need a code from an MFA device, which the SDK's profile provider does not ask
//! for. The user is asked once per working session, not once per call:
//!
//! - When the source profile holds long-lived keys, the code buys a 12-hour MFA session
//!   (STS GetSessionToken), kept in the keychain. Role credentials are then assumed from it,
//!   and re-assumed ahead of expiry by the SDK's credential cache, with no further prompt.
//! - When the source is already temporary (a role, SSO), STS refuses GetSessionToken, so the
//!   code assumes the role directly and the role credentials themselves are kept until shortly
//!   before they expire.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sdk_sts::error::ProvideErrorMetadata;
use aws_sdk_sts::types::Credentials as StsCredentials;
use unyo_core::aws_files::ProfileSummary;
use unyo_core::secret::{
    ExposeSecret, SecretString, SessionCredentials, decode_session, encode_session,
    mfa_session_item,
};
use unyo_core::unyo_profiles::{UnyoCredentials, UnyoProfile};
use unyo_core::{AppError, ErrorCode};

use super::ProfileResolver;

/// How long an MFA session from GetSessionToken lasts: a working day.
const MFA_SESSION: Duration = Duration::from_secs(12 * 60 * 60);
/// Cached credentials with less than this left are not used; a call started with them could
/// fail midway.
const EXPIRY_MARGIN: Duration = Duration::from_secs(5 * 60);

/// A role that needs an MFA code, wherever it was defined.
#[derive(Debug, Clone)]
pub(super) struct MfaRole {
    pub profile: String,
    pub source: String,
    pub serial: String,
    pub role_arn: String,
    pub external_id: Option<String>,
    pub duration: Option<Duration>,
    pub region: Option<String>,
}

impl MfaRole {
    /// A role from the shared files. The summary keeps no `external_id` value, so the SDK's
    /// own parser is asked for it and for the session length.
    pub async fn from_file(
        resolver: &ProfileResolver,
        summary: &ProfileSummary,
    ) -> Result<Self, AppError> {
        let (Some(serial), Some(role_arn)) = (&summary.mfa_serial, &summary.role_arn) else {
            return Err(AppError::new(
                ErrorCode::Internal,
                format!("profile `{}` has no role needing MFA", summary.name),
            ));
        };
        let Some(source) = summary.chain.first() else {
            return Err(AppError::new(
                ErrorCode::CredentialsInvalid,
                format!("profile `{}` has no source_profile", summary.name),
            ));
        };
        let external_id = file_setting(resolver, &summary.name, "external_id").await;
        Ok(Self {
            profile: summary.name.clone(),
            source: source.clone(),
            serial: serial.clone(),
            role_arn: role_arn.clone(),
            external_id,
            duration: summary
                .duration_seconds
                .map(|s| Duration::from_secs(s.into())),
            region: summary.region.clone(),
        })
    }

    pub fn from_unyo(profile: &UnyoProfile) -> Option<Self> {
        let UnyoCredentials::AssumeRole {
            source_profile,
            role_arn,
            mfa_serial: Some(serial),
            external_id,
            duration_seconds,
        } = &profile.credentials
        else {
            return None;
        };
        Some(Self {
            profile: profile.name.clone(),
            source: source_profile.clone(),
            serial: serial.clone(),
            role_arn: role_arn.clone(),
            external_id: external_id.clone(),
            duration: duration_seconds.map(|s| Duration::from_secs(s.into())),
            region: profile.region.clone(),
        })
    }

    fn session_item(&self) -> String {
        mfa_session_item(&self.source, &self.serial)
    }

    fn role_item(&self) -> String {
        format!("mfa-role/{}", self.profile)
    }

    fn needs_code(&self) -> AppError {
        AppError::new(
            ErrorCode::MfaRequired,
            format!(
                "profile `{}` assumes {}, which needs a code from MFA device {}",
                self.profile, self.role_arn, self.serial
            ),
        )
    }
}

/// A value the SDK's profile parser reads for `profile`, from the same files it uses.
async fn file_setting(resolver: &ProfileResolver, profile: &str, key: &str) -> Option<String> {
    let set = aws_config::profile::load(
        &aws_types::os_shim_internal::Fs::real(),
        &aws_types::os_shim_internal::Env::real(),
        &resolver.profile_files(),
        None,
    )
    .await
    .ok()?;
    set.get_profile(profile)?.get(key).map(str::to_owned)
}

pub(super) async fn file_profile_config(
    resolver: &ProfileResolver,
    summary: &ProfileSummary,
    region: Option<&str>,
) -> Result<aws_config::SdkConfig, AppError> {
    let role = MfaRole::from_file(resolver, summary).await?;
    config(resolver, &role, region).await
}

/// An `SdkConfig` for the role from what the keychain holds, or `MfaRequired`.
pub(super) async fn config(
    resolver: &ProfileResolver,
    role: &MfaRole,
    region: Option<&str>,
) -> Result<aws_config::SdkConfig, AppError> {
    let region = region.or(role.region.as_deref());
    let now = SystemTime::now();
    if let Some(creds) = cached(resolver, &role.role_item(), now)? {
        return Ok(resolver
            .config_with(SharedCredentialsProvider::new(creds), region)
            .await);
    }
    let Some(session) = cached(resolver, &role.session_item(), now)? else {
        return Err(role.needs_code());
    };
    let base = resolver
        .config_with(SharedCredentialsProvider::new(session.clone()), region)
        .await;
    let mut builder = AssumeRoleProvider::builder(&role.role_arn)
        .session_name(session_name())
        .configure(&base);
    if let Some(id) = &role.external_id {
        builder = builder.external_id(id);
    }
    if let Some(length) = role.duration {
        builder = builder.session_length(length);
    }
    let provider = builder.build_from_provider(session).await;
    Ok(resolver
        .config_with(SharedCredentialsProvider::new(provider), region)
        .await)
}

/// Exchanges `code` for a session (see the module docs) and keeps it in the keychain.
pub(super) async fn submit(
    resolver: &ProfileResolver,
    role: &MfaRole,
    code: &str,
) -> Result<(), AppError> {
    let code = code.trim();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(AppError::new(
            ErrorCode::MfaRequired,
            "an MFA code is the 6 digits your device shows now",
        ));
    }
    let source = Box::pin(resolver.sdk_config(&role.source, role.region.as_deref())).await?;
    let source_creds = match source.credentials_provider() {
        Some(provider) => provider.provide_credentials().await.map_err(|e| {
            AppError::new(
                ErrorCode::CredentialsInvalid,
                format!(
                    "profile `{}` (the role's source): {}",
                    role.source,
                    crate::error::chain(&e)
                ),
            )
        })?,
        None => {
            return Err(AppError::new(
                ErrorCode::CredentialsInvalid,
                format!("profile `{}` gives no credentials", role.source),
            ));
        }
    };
    let sts = aws_sdk_sts::Client::new(&source);
    if source_creds.session_token().is_none() {
        let out = sts
            .get_session_token()
            .serial_number(&role.serial)
            .token_code(code)
            .duration_seconds(seconds(MFA_SESSION))
            .send()
            .await
            .map_err(|e| refused(role, &e))?;
        let session = from_sts(out.credentials(), role)?;
        resolver
            .secrets()
            .put(&role.session_item(), &encode_session(&session))
    } else {
        let mut request = sts
            .assume_role()
            .role_arn(&role.role_arn)
            .role_session_name(session_name())
            .serial_number(&role.serial)
            .token_code(code);
        if let Some(id) = &role.external_id {
            request = request.external_id(id);
        }
        if let Some(length) = role.duration {
            request = request.duration_seconds(seconds(length));
        }
        let out = request.send().await.map_err(|e| refused(role, &e))?;
        let session = from_sts(out.credentials(), role)?;
        resolver
            .secrets()
            .put(&role.role_item(), &encode_session(&session))
    }
}

/// Forgets the sessions a code bought, e.g. when the profile is deleted.
pub(super) fn forget(resolver: &ProfileResolver, role: &MfaRole) -> Result<(), AppError> {
    resolver.secrets().delete(&role.role_item())?;
    resolver.secrets().delete(&role.session_item())
}

fn cached(
    resolver: &ProfileResolver,
    item: &str,
    now: SystemTime,
) -> Result<Option<Credentials>, AppError> {
    let Some(secret) = resolver.secrets().get(item)? else {
        return Ok(None);
    };
    let session = decode_session(&secret)?;
    if !session.valid_for(EXPIRY_MARGIN, now) {
        return Ok(None);
    }
    Ok(Some(Credentials::new(
        session.access_key_id,
        session.secret_access_key.expose_secret().to_owned(),
        Some(session.session_token.expose_secret().to_owned()),
        Some(session.expires_at),
        "unyo-mfa-session",
    )))
}

fn from_sts(
    creds: Option<&StsCredentials>,
    role: &MfaRole,
) -> Result<SessionCredentials, AppError> {
    let creds = creds.ok_or_else(|| {
        AppError::new(
            ErrorCode::Internal,
            format!("STS returned no credentials for `{}`", role.profile),
        )
    })?;
    let expires_at =
        UNIX_EPOCH + Duration::from_secs(creds.expiration().secs().max(0).unsigned_abs());
    Ok(SessionCredentials {
        access_key_id: creds.access_key_id().to_owned(),
        secret_access_key: SecretString::from(creds.secret_access_key().to_owned()),
        session_token: SecretString::from(creds.session_token().to_owned()),
        expires_at,
    })
}

/// A wrong or reused code is `MfaRequired` again (the dialog stays open with the reason);
/// anything else keeps the SDK's mapping.
fn refused<E, R>(role: &MfaRole, err: &aws_sdk_sts::error::SdkError<E, R>) -> AppError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let mapped = crate::from_sdk(err);
    let wrong_code = err
        .as_service_error()
        .and_then(ProvideErrorMetadata::message)
        .is_some_and(|m| m.contains("MultiFactorAuthentication"));
    if wrong_code {
        AppError::new(
            ErrorCode::MfaRequired,
            format!(
                "AWS did not accept that code for {}. Enter the code your device shows now (each code works once, for about 30 seconds), and check that the device is {}",
                role.serial, role.serial
            ),
        )
    } else {
        mapped
    }
}

fn seconds(d: Duration) -> i32 {
    i32::try_from(d.as_secs()).unwrap_or(i32::MAX)
}

/// Shows up in CloudTrail as the role session name, so an auditor can tell Unyo's calls apart.
fn session_name() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    format!("unyo-{now}")
}
