//! The one error shape that crosses every boundary (IPC, CLI JSON): a closed [`ErrorCode`] the
//! UI and scripts branch on, and a human message they show but never parse.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What went wrong, as far as a caller needs to decide what to do next.
///
/// A code is added only when some caller branches on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ErrorCode {
    /// The request itself is wrong (unknown account, region or instance id).
    InvalidInput,
    /// The account exists but this version of Unyo cannot talk to it yet.
    Unsupported,
    /// Session Manager cannot reach the instance's agent (stopped, offline or not managed);
    /// the message says which, and the UI explains what to check.
    TargetNotConnected,
    /// A file Unyo owns or reads could not be read or written.
    Storage,
    /// The credentials were refused or could not be resolved (no keys, unknown profile, a
    /// failing credential_process, a wrong key); the message names the provider and cause.
    CredentialsInvalid,
    /// The credentials or session have expired; signing in again fixes it.
    CredentialsExpired,
    /// The identity lacks the permission the call needs.
    AccessDenied,
    /// A role needs a one-time code from the user's MFA device (also when the code given was
    /// wrong); the UI asks for it and retries.
    MfaRequired,
    /// The OS keychain is locked, missing or refused access; the message says what to do on
    /// this OS.
    KeychainUnavailable,
    /// AWS refused the request because this computer's clock is wrong; fixing the clock fixes it.
    ClockSkew,
    /// AWS asked Unyo to slow down.
    Throttled,
    /// AWS could not be reached (offline, DNS, proxy, timeout).
    Network,
    /// Something Unyo did not expect; the message says what.
    Internal,
}

/// An error as the UI and the CLI see it: `{ code, message }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message() {
        let err = AppError::invalid_input("no region called mars-1");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "InvalidInput", "message": "no region called mars-1"})
        );
    }
}
