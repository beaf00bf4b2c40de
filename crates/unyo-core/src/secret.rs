//! Secrets in memory: wrapped so that they cannot be printed, logged or serialized by accident
//! (`secrecy` redacts `Debug` and has no `Serialize`), and the one port through which Unyo keeps
//! them, the OS keychain ([`SecretStore`], implemented by `unyo-keychain`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::AppError;

/// Where secrets live between runs. Implementations never write to files Unyo owns.
pub trait SecretStore: Send + Sync + std::fmt::Debug {
    fn put(&self, item: &str, secret: &SecretString) -> Result<(), AppError>;
    /// `Ok(None)` when there is no such item.
    fn get(&self, item: &str) -> Result<Option<SecretString>, AppError>;
    /// Deleting an item that is not there succeeds.
    fn delete(&self, item: &str) -> Result<(), AppError>;
}

/// The keychain item holding a Unyo profile's access keys.
pub fn keys_item(profile: &str) -> String {
    format!("profile/{profile}/keys")
}

/// The keychain item caching the MFA session of `mfa_serial` over `source_profile`'s keys.
pub fn mfa_session_item(source_profile: &str, mfa_serial: &str) -> String {
    format!("mfa/{source_profile}/{mfa_serial}")
}

/// An IAM user's long-lived access key pair.
#[derive(Debug, Clone)]
pub struct AccessKeys {
    pub access_key_id: String,
    pub secret_access_key: SecretString,
}

/// Temporary credentials from STS, with the moment they stop working.
#[derive(Debug, Clone)]
pub struct SessionCredentials {
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    pub session_token: SecretString,
    pub expires_at: SystemTime,
}

impl SessionCredentials {
    /// Still usable for at least `margin` (so a call started now does not fail midway).
    pub fn valid_for(&self, margin: Duration, now: SystemTime) -> bool {
        self.expires_at
            .duration_since(now)
            .is_ok_and(|left| left > margin)
    }
}

/// The keychain's wire form; exists only inside [`encode_keys`]/[`decode_keys`] and friends.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    #[serde(rename = "AccessKeyId")]
    access_key_id: &'a str,
    #[serde(rename = "SecretAccessKey")]
    secret_access_key: &'a str,
    #[serde(rename = "SessionToken", skip_serializing_if = "Option::is_none")]
    session_token: Option<&'a str>,
    #[serde(rename = "ExpiresAt", skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
}

fn encode(stored: &Stored<'_>) -> SecretString {
    // Serializing a struct of strings cannot fail; an empty secret would be refused on use.
    SecretString::from(serde_json::to_string(stored).unwrap_or_default())
}

fn damaged(what: &str) -> AppError {
    AppError::new(
        crate::ErrorCode::KeychainUnavailable,
        format!(
            "the {what} in the keychain is damaged; delete the profile's keys and add them again"
        ),
    )
}

pub fn encode_keys(keys: &AccessKeys) -> SecretString {
    encode(&Stored {
        access_key_id: &keys.access_key_id,
        secret_access_key: keys.secret_access_key.expose_secret(),
        session_token: None,
        expires_at: None,
    })
}

pub fn decode_keys(secret: &SecretString) -> Result<AccessKeys, AppError> {
    let stored: Stored<'_> =
        serde_json::from_str(secret.expose_secret()).map_err(|_| damaged("access key"))?;
    Ok(AccessKeys {
        access_key_id: stored.access_key_id.to_owned(),
        secret_access_key: SecretString::from(stored.secret_access_key.to_owned()),
    })
}

pub fn encode_session(session: &SessionCredentials) -> SecretString {
    let expires_at = session
        .expires_at
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    encode(&Stored {
        access_key_id: &session.access_key_id,
        secret_access_key: session.secret_access_key.expose_secret(),
        session_token: Some(session.session_token.expose_secret()),
        expires_at: Some(expires_at),
    })
}

pub fn decode_session(secret: &SecretString) -> Result<SessionCredentials, AppError> {
    let stored: Stored<'_> =
        serde_json::from_str(secret.expose_secret()).map_err(|_| damaged("MFA session"))?;
    let (Some(token), Some(expires_at)) = (stored.session_token, stored.expires_at) else {
        return Err(damaged("MFA session"));
    };
    Ok(SessionCredentials {
        access_key_id: stored.access_key_id.to_owned(),
        secret_access_key: SecretString::from(stored.secret_access_key.to_owned()),
        session_token: SecretString::from(token.to_owned()),
        expires_at: UNIX_EPOCH + Duration::from_secs(expires_at),
    })
}

/// An access key id as the UI may show it: the first and last four characters
/// (`AKIA************WXYZ`), enough to tell keys apart in the IAM console.
pub fn mask_access_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 12 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_masked_except_the_ends() {
        assert_eq!(
            mask_access_key_id("AKIAIOSFODNN7EXAMPLE"),
            "AKIA************MPLE"
        );
        assert_eq!(mask_access_key_id("short"), "*****");
    }

    #[test]
    fn debug_output_never_shows_a_secret() {
        let session = SessionCredentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: SecretString::from("wJalrXUtnFEMI/K7MDENG".to_owned()),
            session_token: SecretString::from("FwoGZXIvYXdzEBYaD".to_owned()),
            expires_at: SystemTime::now(),
        };
        let text = format!("{session:?}");
        assert!(!text.contains("wJalr"), "{text}");
        assert!(!text.contains("FwoGZ"), "{text}");
    }

    #[test]
    fn sessions_round_trip_through_the_keychain_form() {
        let expires_at = UNIX_EPOCH + Duration::from_secs(1_900_000_000);
        let session = SessionCredentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: SecretString::from("secret".to_owned()),
            session_token: SecretString::from("token".to_owned()),
            expires_at,
        };
        let back = decode_session(&encode_session(&session)).unwrap();
        assert_eq!(back.access_key_id, "ASIAEXAMPLE");
        assert_eq!(back.session_token.expose_secret(), "token");
        assert_eq!(back.expires_at, expires_at);
        assert!(back.valid_for(
            Duration::from_secs(300),
            expires_at - Duration::from_secs(301)
        ));
        assert!(!back.valid_for(
            Duration::from_secs(300),
            expires_at - Duration::from_secs(299)
        ));
        assert!(
            decode_session(&encode_keys(&AccessKeys {
                access_key_id: "AKIA".into(),
                secret_access_key: SecretString::from("s".to_owned()),
            }))
            .is_err()
        );
    }
}
