//! Signing the data channel's websocket upgrade with SigV4, as the Session Manager plugin has
//! done since 1.2.764.0 (AWS's current minimum supported version): the upgrade `GET` of the
//! `StreamUrl` is signed for the service `ssmmessages` in the session's region with an empty
//! body, and the `authorization`, `x-amz-date` (and, for temporary credentials,
//! `x-amz-security-token`) headers ride on the upgrade request. A `StreamUrl` that is already
//! presigned (its query carries `X-Amz-Signature`) is dialled as it is.
//!
//! Credentials are asked for on every dial, resumes included, so a role renewed while a
//! session was open signs the resume with its new keys, never an expired one. The signature is
//! made by the AWS SDK's own signer (`aws-sigv4`) with its default settings, which sign `host`,
//! `x-amz-date` and the session token as the plugin's Go signer does.

use std::time::SystemTime;

use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use unyo_core::{AppError, ErrorCode};

/// The service name the data channel is signed for.
pub const SERVICE: &str = "ssmmessages";

/// Whether `stream_url` carries its own signature in its query.
pub fn is_presigned(stream_url: &str) -> bool {
    let query = stream_url.split_once('?').map_or("", |(_, q)| q);
    query.split('&').any(|pair| {
        let key = pair.split_once('=').map_or(pair, |(k, _)| k);
        key.eq_ignore_ascii_case("X-Amz-Signature") || key.eq_ignore_ascii_case("X-Amz-Credential")
    })
}

/// The headers that sign the upgrade request to `stream_url` in `region` at `at`, with the
/// credentials `provider` gives now; none for a presigned URL.
pub async fn upgrade_headers(
    provider: &SharedCredentialsProvider,
    region: &str,
    stream_url: &str,
    at: SystemTime,
) -> Result<Vec<(String, String)>, AppError> {
    if is_presigned(stream_url) {
        return Ok(Vec::new());
    }
    let credentials = provider.provide_credentials().await.map_err(|err| {
        AppError::new(
            ErrorCode::CredentialsExpired,
            format!(
                "the credentials to sign the session's data channel could not be refreshed: {}",
                crate::error::chain(&err)
            ),
        )
    })?;
    sign_with(credentials.into(), region, stream_url, at)
}

/// The signature itself, for `identity` (credentials) in `region`.
pub fn sign_with(
    identity: Identity,
    region: &str,
    stream_url: &str,
    at: SystemTime,
) -> Result<Vec<(String, String)>, AppError> {
    let failed = |what: &dyn std::fmt::Display| {
        AppError::new(
            ErrorCode::Internal,
            format!("the session's data channel could not be signed: {what}"),
        )
    };
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(SERVICE)
        .time(at)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| failed(&e))?
        .into();
    let request = SignableRequest::new(
        "GET",
        stream_url,
        std::iter::empty(),
        SignableBody::Bytes(&[]),
    )
    .map_err(|e| failed(&e))?;
    let (instructions, _signature) = sign(request, &params).map_err(|e| failed(&e))?.into_parts();
    Ok(instructions
        .headers()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect())
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use aws_credential_types::Credentials;

    use super::*;

    const URL: &str = "wss://ssmmessages.ap-northeast-1.amazonaws.com/v1/data-channel/ops-0123456789abcdef0?role=publish_subscribe&cell-number=AAEAAQ";

    fn at() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_796_670_000)
    }

    fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn the_upgrade_is_signed_for_ssmmessages_in_the_sessions_region() {
        let keys = Credentials::new("AKIDEXAMPLE", "secret", None, None, "test");
        let headers = sign_with(keys.into(), "ap-northeast-1", URL, at()).unwrap();
        let authorization = header(&headers, "authorization").unwrap();
        assert!(
            authorization.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/ap-northeast-1/ssmmessages/aws4_request, SignedHeaders=host;x-amz-date, Signature="
            ),
            "{authorization}"
        );
        assert_eq!(header(&headers, "x-amz-date"), Some("20261207T190000Z"));
        assert_eq!(header(&headers, "x-amz-security-token"), None);
    }

    #[test]
    fn temporary_credentials_carry_and_sign_their_session_token() {
        let keys = Credentials::new("ASIAEXAMPLE", "secret", Some("token".into()), None, "t");
        let headers = sign_with(keys.into(), "ap-northeast-1", URL, at()).unwrap();
        assert_eq!(header(&headers, "x-amz-security-token"), Some("token"));
        assert!(
            header(&headers, "authorization")
                .unwrap()
                .contains("SignedHeaders=host;x-amz-date;x-amz-security-token,")
        );
    }

    #[test]
    fn the_same_request_signs_the_same_and_another_key_signs_otherwise() {
        let sign_as = |secret: &str| {
            let keys = Credentials::new("AKIDEXAMPLE", secret, None, None, "test");
            sign_with(keys.into(), "ap-northeast-1", URL, at()).unwrap()
        };
        assert_eq!(sign_as("secret"), sign_as("secret"));
        assert_ne!(sign_as("secret"), sign_as("other"));
    }

    #[test]
    fn presigned_urls_are_recognised_by_their_query() {
        assert!(is_presigned(
            "wss://x/v1/data-channel/s?role=publish_subscribe&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a&X-Amz-Signature=b"
        ));
        assert!(!is_presigned(URL));
        assert!(!is_presigned("wss://x/v1/data-channel/s"));
    }
}
