//! The relay's check of a signed websocket upgrade, as the service makes it since the
//! 1.2.764.0 plugin: the `authorization` header must be a SigV4 signature, for `ssmmessages`
//! in the relay's region, of a bare `GET` of the URL the client dialled, made at the
//! `x-amz-date` it states (within five minutes of now) with a key the relay knows. The
//! expected signature is recomputed with the AWS SDK's signer from what arrived on the wire.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use tokio_tungstenite::tungstenite::handshake::server::Request;

/// The access key that signed `request`, or why the relay refuses it.
pub fn verify(
    request: &Request,
    region: &str,
    secrets: &HashMap<String, String>,
) -> Result<String, String> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let authorization = header("authorization").ok_or("the upgrade is not signed")?;
    let date = header("x-amz-date").ok_or("the signature has no x-amz-date")?;
    let key = authorization
        .split("Credential=")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .ok_or("the authorization names no credential")?
        .to_owned();
    let secret = secrets
        .get(&key)
        .ok_or_else(|| format!("the key {key} is unknown or has expired"))?;
    let at = parse_amz_date(&date).ok_or("x-amz-date is not YYYYMMDDTHHMMSSZ")?;
    let skew = SystemTime::now()
        .duration_since(at)
        .unwrap_or_else(|e| e.duration());
    if skew > Duration::from_secs(300) {
        return Err("the signature's time is more than five minutes off".into());
    }
    let host = header("host").ok_or("the upgrade has no host")?;
    let url = format!("ws://{host}{}", request.uri());
    let credentials = Credentials::new(
        key.clone(),
        secret.clone(),
        header("x-amz-security-token"),
        None,
        "relay",
    );
    let identity: Identity = credentials.into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("ssmmessages")
        .time(at)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let signable = SignableRequest::new("GET", url, std::iter::empty(), SignableBody::Bytes(&[]))
        .map_err(|e| e.to_string())?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    let expected = instructions
        .headers()
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.to_owned());
    if expected.as_deref() == Some(authorization.as_str()) {
        Ok(key)
    } else {
        Err("the signature does not match".into())
    }
}

fn parse_amz_date(date: &str) -> Option<SystemTime> {
    let part = |range: std::ops::Range<usize>| date.get(range);
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        part(0..4)?,
        part(4..6)?,
        part(6..8)?,
        part(9..11)?,
        part(11..13)?,
        part(13..15)?
    );
    let seconds = unyo_core::time::parse_rfc3339(&rfc3339)?;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).ok()?))
}
