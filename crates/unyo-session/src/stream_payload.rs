//! The two small fixed-shape payloads of stream messages besides raw bytes and the handshake:
//! the terminal size (payload type 3) and the flag codes (payload type 10, §8.4).

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
