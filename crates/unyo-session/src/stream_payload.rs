//! The small fixed-shape payloads of stream messages besides raw bytes and the handshake: the
//! terminal size (payload type 3), the flag codes (payload type 10, §8.4) and the exit code
//! (payload type 12).

use serde::{Deserialize, Serialize};

/// The terminal size the client reports. Fields are declared in wire order: `{"cols","rows"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalSize {
    pub cols: u32,
    pub rows: u32,
}

impl TerminalSize {
    /// What the plugin reports when its output is not a terminal.
    pub const FALLBACK: Self = Self {
        cols: 300,
        rows: 100,
    };
}

/// A flag code. A newtype over the wire value, because an unknown code must still be readable
/// (and then ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FlagCode(pub u32);

impl FlagCode {
    /// Client to agent, basic port forwarding: the local connection closed; the agent closes
    /// its connection to the target and dials again on the next data.
    pub const DISCONNECT_TO_PORT: Self = Self(1);
    /// Client to agent, port sessions: end the session.
    pub const TERMINATE_SESSION: Self = Self(2);
    /// Agent to client, multiplexed forwarding: the destination could not be reached.
    pub const CONNECT_TO_PORT_ERROR: Self = Self(3);

    /// The payload: the code as a big-endian u32.
    pub fn to_payload(self) -> Vec<u8> {
        self.0.to_be_bytes().to_vec()
    }

    pub fn from_payload(payload: &[u8]) -> Result<Self, FlagPayloadError> {
        <[u8; 4]>::try_from(payload)
            .map(|code| Self(u32::from_be_bytes(code)))
            .map_err(|_| FlagPayloadError { len: payload.len() })
    }
}

/// Reads the ASCII `EXIT_CODE: <n>` payload (payload type 12) of a non-interactive command.
pub fn parse_exit_code(payload: &[u8]) -> Option<i32> {
    std::str::from_utf8(payload)
        .ok()?
        .trim()
        .strip_prefix("EXIT_CODE:")?
        .trim()
        .parse()
        .ok()
}

/// A flag payload that is not exactly four bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a flag payload is 4 bytes, not {len}")]
pub struct FlagPayloadError {
    pub len: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_is_cols_then_rows() {
        let size = TerminalSize {
            cols: 120,
            rows: 40,
        };
        assert_eq!(
            serde_json::to_string(&size).unwrap(),
            r#"{"cols":120,"rows":40}"#
        );
        assert_eq!(
            serde_json::to_string(&TerminalSize::FALLBACK).unwrap(),
            r#"{"cols":300,"rows":100}"#
        );
        assert_eq!(
            serde_json::from_str::<TerminalSize>(r#"{"rows":40,"cols":120}"#).unwrap(),
            size
        );
    }

    #[test]
    fn reads_exit_codes_and_rejects_other_text() {
        assert_eq!(parse_exit_code(b"EXIT_CODE: 0"), Some(0));
        assert_eq!(parse_exit_code(b"EXIT_CODE: 127\n"), Some(127));
        assert_eq!(parse_exit_code(b"EXIT_CODE:-1"), Some(-1));
        assert_eq!(parse_exit_code(b"exit 3"), None);
        assert_eq!(parse_exit_code(b"EXIT_CODE: x"), None);
        assert_eq!(parse_exit_code(&[0xff, 0xfe]), None);
    }

    #[test]
    fn terminate_session_is_the_payload_the_plugin_sends() {
        assert_eq!(FlagCode::TERMINATE_SESSION.to_payload(), [0, 0, 0, 2]);
        assert_eq!(
            FlagCode::from_payload(&[0, 0, 0, 3]),
            Ok(FlagCode::CONNECT_TO_PORT_ERROR)
        );
        assert_eq!(
            FlagCode::from_payload(&[0, 0, 1]),
            Err(FlagPayloadError { len: 3 })
        );
    }
}
