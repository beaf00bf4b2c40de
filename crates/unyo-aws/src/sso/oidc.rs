//! The SSO OIDC calls of the device flow and of a refresh, one request each, with their
//! refusals turned into what the user should do next. The loop around them (who waits, how
//! long, who writes the cache) is [`super::sign_in`]'s.

use std::time::{Duration, SystemTime};

use aws_sdk_ssooidc::Client;
use aws_sdk_ssooidc::operation::create_token::{CreateTokenError, CreateTokenOutput};
use aws_sdk_ssooidc::operation::start_device_authorization::StartDeviceAuthorizationError;
use unyo_core::secret::{ExposeSecret, SecretString};
use unyo_core::{AppError, ErrorCode};

use super::cache::{CachedToken, Registration, epoch_seconds, rfc3339};
use super::{DeviceAuthorization, SsoSession};

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628 §3.5: poll every 5 s unless told otherwise.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// Why a call that presented a stored credential (a client registration, a refresh token)
/// did not succeed; the caller replaces a rejected credential and keeps the others.
#[derive(Debug)]
pub(super) enum Failure {
    /// The service no longer accepts the credential.
    Rejected(AppError),
    /// The network, the service, or a malformed answer.
    Failed(AppError),
}

impl From<Failure> for AppError {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Rejected(err) | Failure::Failed(err) => err,
        }
    }
}

/// A device authorization waiting for the user's approval.
#[derive(Debug)]
pub(super) struct Pending {
    pub registration: Registration,
    pub device_code: SecretString,
    pub authorization: DeviceAuthorization,
    /// How often the service allows CreateToken; `slow_down` adds to it.
    pub interval: Duration,
    /// After this the code can no longer be approved. Tokio's clock, so tests can skip ahead.
    pub deadline: tokio::time::Instant,
}

/// One CreateToken answer while the user has not decided yet.
pub(super) enum Poll {
    Token(CachedToken),
    Pending,
    SlowDown,
}

pub(super) async fn register(
    client: &Client,
    session: &SsoSession,
    now: SystemTime,
) -> Result<Registration, AppError> {
    // The AWS CLI names its clients after the session; so does Unyo, so the portal's list of
    // applications says who signed in.
    let name = match &session.name {
        Some(name) => format!("unyo-{name}"),
        None => format!("unyo-{}", aws_smithy_types::DateTime::from(now).secs()),
    };
    let out = client
        .register_client()
        .client_name(name)
        .client_type("public")
        .set_scopes((!session.scopes.is_empty()).then(|| session.scopes.clone()))
        .send()
        .await
        .map_err(|e| crate::from_sdk(&e))?;
    let (Some(client_id), Some(client_secret)) = (out.client_id, out.client_secret) else {
        return Err(incomplete("RegisterClient"));
    };
    Ok(Registration {
        client_id,
        client_secret: client_secret.into(),
        expires_at: epoch_seconds(out.client_secret_expires_at),
        for_authorization_code: false,
    })
}

pub(super) async fn authorize(
    client: &Client,
    session: &SsoSession,
    registration: Registration,
    now: SystemTime,
) -> Result<Pending, Failure> {
    let out = client
        .start_device_authorization()
        .client_id(&registration.client_id)
        .client_secret(registration.client_secret.expose_secret())
        .start_url(&session.start_url)
        .send()
        .await
        .map_err(|err| match err.as_service_error() {
            // Deleted, or its secret rotated.
            Some(StartDeviceAuthorizationError::InvalidClientException(_)) => {
                Failure::Rejected(crate::from_sdk(&err))
            }
            _ => Failure::Failed(crate::from_sdk(&err)),
        })?;
    let (Some(device_code), Some(user_code), Some(verification_uri)) =
        (out.device_code, out.user_code, out.verification_uri)
    else {
        return Err(Failure::Failed(incomplete("StartDeviceAuthorization")));
    };
    let expires_in = seconds(out.expires_in, Duration::from_secs(600));
    Ok(Pending {
        registration,
        device_code: device_code.into(),
        authorization: DeviceAuthorization {
            verification_uri_complete: out
                .verification_uri_complete
                .unwrap_or_else(|| verification_uri.clone()),
            verification_uri,
            user_code,
            expires_at: rfc3339(now + expires_in),
        },
        interval: seconds(out.interval, DEFAULT_INTERVAL),
        deadline: tokio::time::Instant::now() + expires_in,
    })
}

pub(super) async fn create_token(
    client: &Client,
    session: &SsoSession,
    pending: &Pending,
    now: SystemTime,
) -> Result<Poll, AppError> {
    let registration = &pending.registration;
    let answer = client
        .create_token()
        .grant_type(DEVICE_GRANT)
        .client_id(&registration.client_id)
        .client_secret(registration.client_secret.expose_secret())
        .device_code(pending.device_code.expose_secret())
        .send()
        .await;
    match answer {
        Ok(out) => token(out, session, registration, None, now).map(Poll::Token),
        Err(err) => match err.as_service_error() {
            Some(CreateTokenError::AuthorizationPendingException(_)) => Ok(Poll::Pending),
            Some(CreateTokenError::SlowDownException(_)) => Ok(Poll::SlowDown),
            Some(CreateTokenError::ExpiredTokenException(_)) => Err(code_expired(session)),
            Some(CreateTokenError::AccessDeniedException(_)) => Err(AppError::new(
                ErrorCode::AccessDenied,
                format!(
                    "The sign-in to {} was denied in the browser. Start the sign-in again to retry.",
                    session.label()
                ),
            )),
            _ => Err(crate::from_sdk(&err)),
        },
    }
}

/// The refresh_token grant: a new access token without the browser.
pub(super) async fn refresh(
    client: &Client,
    session: &SsoSession,
    current: &CachedToken,
    now: SystemTime,
) -> Result<CachedToken, Failure> {
    let (Some(client_id), Some(client_secret), Some(refresh_token), Some(registration_expires_at)) = (
        &current.client_id,
        &current.client_secret,
        &current.refresh_token,
        current.registration_expires_at,
    ) else {
        return Err(Failure::Rejected(sign_in_again(session)));
    };
    let answer = client
        .create_token()
        .grant_type("refresh_token")
        .client_id(client_id)
        .client_secret(client_secret.expose_secret())
        .refresh_token(refresh_token.expose_secret())
        .send()
        .await;
    let registration = Registration {
        client_id: client_id.clone(),
        client_secret: client_secret.clone(),
        expires_at: registration_expires_at,
        for_authorization_code: false,
    };
    match answer {
        // A service that rotates refresh tokens sends a new one; otherwise the old one stays.
        Ok(out) => {
            token(out, session, &registration, Some(refresh_token), now).map_err(Failure::Failed)
        }
        Err(err) => match err.as_service_error() {
            Some(
                CreateTokenError::InvalidGrantException(_)
                | CreateTokenError::ExpiredTokenException(_)
                | CreateTokenError::InvalidClientException(_)
                | CreateTokenError::UnauthorizedClientException(_)
                | CreateTokenError::AccessDeniedException(_),
            ) => Err(Failure::Rejected(sign_in_again(session))),
            _ => Err(Failure::Failed(crate::from_sdk(&err))),
        },
    }
}

fn token(
    out: CreateTokenOutput,
    session: &SsoSession,
    registration: &Registration,
    previous_refresh_token: Option<&SecretString>,
    now: SystemTime,
) -> Result<CachedToken, AppError> {
    let Some(access_token) = out.access_token else {
        return Err(incomplete("CreateToken"));
    };
    Ok(CachedToken {
        start_url: Some(session.start_url.clone()),
        region: Some(session.region.clone()),
        access_token: access_token.into(),
        expires_at: now + seconds(out.expires_in, Duration::ZERO),
        client_id: Some(registration.client_id.clone()),
        client_secret: Some(registration.client_secret.clone()),
        registration_expires_at: Some(registration.expires_at),
        refresh_token: out
            .refresh_token
            .map(SecretString::from)
            .or_else(|| previous_refresh_token.cloned()),
    })
}

pub(super) fn code_expired(session: &SsoSession) -> AppError {
    AppError::new(
        ErrorCode::CredentialsExpired,
        format!(
            "The sign-in code for {} expired before it was approved in the browser. Start the sign-in again.",
            session.label()
        ),
    )
}

pub(super) fn sign_in_again(session: &SsoSession) -> AppError {
    AppError::new(
        ErrorCode::CredentialsExpired,
        format!(
            "The IAM Identity Center sign-in for {} has expired or was revoked. Sign in again.",
            session.label()
        ),
    )
}

fn seconds(value: i32, default: Duration) -> Duration {
    match u64::try_from(value) {
        Ok(0) | Err(_) => default,
        Ok(s) => Duration::from_secs(s),
    }
}

fn incomplete(operation: &str) -> AppError {
    AppError::new(
        ErrorCode::Internal,
        format!("IAM Identity Center answered {operation} without the fields it must return"),
    )
}
