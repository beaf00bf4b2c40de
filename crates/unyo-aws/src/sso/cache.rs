//! The AWS CLI's SSO cache directory, read and written the way AWS CLI v2 does: one token file
//! per session (`sha1(session name)`, or `sha1(start URL)` for a legacy profile) and one
//! client-registration file per start URL, region, scopes and session. Files are replaced
//! atomically (a reader, maybe the AWS CLI, never sees half a file) and readable only by the
//! user, since they hold bearer tokens.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};
use unyo_core::secret::{ExposeSecret, SecretString};
use unyo_core::{AppError, ErrorCode};

use super::{SsoSession, TokenStatus};

/// A token with less than this left counts as expired: a call started with it could fail
/// midway. The SDK's own token provider refreshes five minutes ahead for the same reason.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// The directory holding the AWS CLI's SSO tokens and client registrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenCache {
    dir: PathBuf,
}

impl TokenCache {
    /// `~/.aws/sso/cache`, where the AWS CLI and the AWS SDKs look (no variable moves it).
    pub fn aws_cli_default() -> Option<Self> {
        std::env::home_dir().map(|home| Self::at(home.join(".aws").join("sso").join("cache")))
    }

    pub fn at(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// The token file of `session`.
    pub fn token_path(&self, session: &SsoSession) -> PathBuf {
        self.dir
            .join(format!("{}.json", sha1_hex(session.cache_key())))
    }

    /// The client-registration file of `session`.
    pub fn registration_path(&self, session: &SsoSession) -> PathBuf {
        self.dir
            .join(format!("{}.json", sha1_hex(&registration_key(session))))
    }

    pub(super) fn read_token(&self, session: &SsoSession) -> Result<Option<CachedToken>, AppError> {
        let path = self.token_path(session);
        let Some(text) = read(&path)? else {
            return Ok(None);
        };
        let file: TokenFileIn =
            serde_json::from_str(text.expose_secret()).map_err(|_| damaged(&path))?;
        Ok(Some(CachedToken {
            start_url: file.start_url,
            region: file.region,
            access_token: file.access_token.into(),
            expires_at: parse_time(&file.expires_at).ok_or_else(|| damaged(&path))?,
            client_id: file.client_id,
            client_secret: file.client_secret.map(SecretString::from),
            registration_expires_at: file.registration_expires_at.as_deref().and_then(parse_time),
            refresh_token: file.refresh_token.map(SecretString::from),
        }))
    }

    pub(super) fn write_token(
        &self,
        session: &SsoSession,
        token: &CachedToken,
    ) -> Result<(), AppError> {
        let file = TokenFileOut {
            start_url: token.start_url.as_deref(),
            region: token.region.as_deref(),
            access_token: token.access_token.expose_secret(),
            expires_at: rfc3339(token.expires_at),
            client_id: token.client_id.as_deref(),
            client_secret: token
                .client_secret
                .as_ref()
                .map(ExposeSecret::expose_secret),
            registration_expires_at: token.registration_expires_at.map(rfc3339),
            refresh_token: token
                .refresh_token
                .as_ref()
                .map(ExposeSecret::expose_secret),
        };
        self.write(&self.token_path(session), &file)
    }

    /// Signing out: the token file goes; the client registration stays for the next sign-in.
    pub(super) fn remove_token(&self, session: &SsoSession) -> Result<(), AppError> {
        let path = self.token_path(session);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(storage(&path, &e)),
            _ => Ok(()),
        }
    }

    pub(super) fn read_registration(
        &self,
        session: &SsoSession,
    ) -> Result<Option<Registration>, AppError> {
        let path = self.registration_path(session);
        let Some(text) = read(&path)? else {
            return Ok(None);
        };
        let file: RegistrationFileIn =
            serde_json::from_str(text.expose_secret()).map_err(|_| damaged(&path))?;
        Ok(Some(Registration {
            client_id: file.client_id,
            client_secret: file.client_secret.into(),
            expires_at: parse_time(&file.expires_at).ok_or_else(|| damaged(&path))?,
            for_authorization_code: file
                .grant_types
                .is_some_and(|grants| grants.iter().any(|g| g == "authorization_code")),
        }))
    }

    pub(super) fn write_registration(
        &self,
        session: &SsoSession,
        registration: &Registration,
    ) -> Result<(), AppError> {
        let file = RegistrationFileOut {
            client_id: &registration.client_id,
            client_secret: registration.client_secret.expose_secret(),
            expires_at: rfc3339(registration.expires_at),
            scopes: (!session.scopes.is_empty()).then_some(&session.scopes),
        };
        self.write(&self.registration_path(session), &file)
    }

    /// Temp file in the same directory, then rename: atomic on every OS Unyo runs on.
    /// `tempfile` creates the file readable by the user alone (0600 on Unix).
    fn write(&self, path: &Path, contents: &impl Serialize) -> Result<(), AppError> {
        let json = SecretString::from(serde_json::to_string(contents).map_err(|e| {
            AppError::new(
                ErrorCode::Internal,
                format!("cannot encode {}: {e}", path.display()),
            )
        })?);
        create_private_dir(&self.dir).map_err(|e| storage(&self.dir, &e))?;
        let mut temp =
            tempfile::NamedTempFile::new_in(&self.dir).map_err(|e| storage(&self.dir, &e))?;
        temp.write_all(json.expose_secret().as_bytes())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|e| storage(path, &e))?;
        temp.persist(path).map_err(|e| storage(path, &e.error))?;
        Ok(())
    }
}

/// A token file's contents. Secrets stay wrapped so no `Debug` or log can show them.
#[derive(Debug, Clone)]
pub(super) struct CachedToken {
    pub start_url: Option<String>,
    pub region: Option<String>,
    pub access_token: SecretString,
    pub expires_at: SystemTime,
    pub client_id: Option<String>,
    pub client_secret: Option<SecretString>,
    pub registration_expires_at: Option<SystemTime>,
    pub refresh_token: Option<SecretString>,
}

impl CachedToken {
    pub fn status(&self, now: SystemTime) -> TokenStatus {
        if self.expires_at > now + EXPIRY_MARGIN {
            TokenStatus::SignedIn {
                expires_at: rfc3339(self.expires_at),
            }
        } else if self.refreshable(now) {
            TokenStatus::Refreshable
        } else {
            TokenStatus::SignedOut
        }
    }

    /// A refresh token, and the client registration it was issued to still valid.
    pub fn refreshable(&self, now: SystemTime) -> bool {
        self.refresh_token.is_some()
            && self.client_id.is_some()
            && self.client_secret.is_some()
            && self.registration_expires_at.is_some_and(|at| at > now)
    }
}

/// Unyo's client registration with IAM Identity Center (public client, device grant).
#[derive(Debug, Clone)]
pub(super) struct Registration {
    pub client_id: String,
    pub client_secret: SecretString,
    pub expires_at: SystemTime,
    /// The AWS CLI's browser flow registers clients that cannot be used for the device grant.
    pub for_authorization_code: bool,
}

// The files' wire form, as AWS CLI v2 writes it. Borrowed on the way out so that secrets are
// only ever plain text inside the JSON being written.

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenFileIn {
    start_url: Option<String>,
    region: Option<String>,
    access_token: String,
    expires_at: String,
    client_id: Option<String>,
    client_secret: Option<String>,
    registration_expires_at: Option<String>,
    refresh_token: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenFileOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    access_token: &'a str,
    expires_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    registration_expires_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegistrationFileIn {
    client_id: String,
    client_secret: String,
    expires_at: String,
    grant_types: Option<Vec<String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RegistrationFileOut<'a> {
    client_id: &'a str,
    client_secret: &'a str,
    expires_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    scopes: Option<&'a Vec<String>>,
}

/// RFC 3339 UTC to the second (`2026-01-02T03:04:05Z`): what the AWS CLI writes, and the only
/// form the SDK's token provider accepts (it refuses offsets).
pub(super) fn rfc3339(at: SystemTime) -> String {
    let seconds = DateTime::from(at).secs();
    // Only a time past year 9999 cannot be formatted; writing the epoch instead makes such a
    // token count as expired rather than unreadable.
    DateTime::from_secs(seconds)
        .fmt(Format::DateTime)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// Reads what AWS CLI versions have written: RFC 3339 with `Z` or an offset, and the
/// `…UTC` suffix of older versions.
pub(super) fn parse_time(text: &str) -> Option<SystemTime> {
    let normalized = match text.strip_suffix("UTC") {
        Some(head) => format!("{head}Z"),
        None => text.to_owned(),
    };
    let at = DateTime::from_str(&normalized, Format::DateTimeWithOffset).ok()?;
    SystemTime::try_from(at).ok()
}

pub(super) fn epoch_seconds(seconds: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(seconds).unwrap_or(0))
}

fn sha1_hex(text: &str) -> String {
    Sha1::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The AWS CLI names a registration file after the SHA-1 of Python's
/// `json.dumps({"tool": "botocore", "startUrl", "region", "scopes", "session_name"},
/// sort_keys=True)`; the same text, byte for byte, lets both share one registration.
fn registration_key(session: &SsoSession) -> String {
    let scopes = if session.scopes.is_empty() {
        "null".to_owned()
    } else {
        let items: Vec<String> = session
            .scopes
            .iter()
            .map(|s| python_json_string(s))
            .collect();
        format!("[{}]", items.join(", "))
    };
    let name = session
        .name
        .as_deref()
        .map_or_else(|| "null".to_owned(), python_json_string);
    format!(
        "{{\"region\": {}, \"scopes\": {scopes}, \"session_name\": {name}, \"startUrl\": {}, \"tool\": \"botocore\"}}",
        python_json_string(&session.region),
        python_json_string(&session.start_url),
    )
}

/// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`: everything outside
/// printable ASCII as `\uXXXX`, UTF-16 halves for the rest of Unicode).
fn python_json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

fn read(path: &Path) -> Result<Option<SecretString>, AppError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text.into())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(storage(path, &e)),
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

fn storage(path: &Path, err: &std::io::Error) -> AppError {
    AppError::new(ErrorCode::Storage, format!("{}: {err}", path.display()))
}

fn damaged(path: &Path) -> AppError {
    AppError::new(
        ErrorCode::Storage,
        format!("{} is not an SSO cache file Unyo can read", path.display()),
    )
}

#[cfg(test)]
mod tests;
