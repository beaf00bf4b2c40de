//! The `PayloadType` header field (§4.2): what the payload bytes of a stream message mean.

/// A payload type code. A newtype over the wire value rather than an enum, because unknown
/// codes from a newer agent must decode and be ignored, not rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PayloadType(pub u32);

impl PayloadType {
    /// Not set; what acknowledgements carry.
    pub const UNSET: Self = Self(0);
    /// Raw bytes: terminal output, keystrokes, TCP bytes, smux frames.
    pub const OUTPUT: Self = Self(1);
    /// Raw bytes of an agent-side error, shown to the user.
    pub const ERROR: Self = Self(2);
    /// JSON terminal size, see [`crate::TerminalSize`].
    pub const SIZE: Self = Self(3);
    /// Defined by the protocol, used by neither side.
    pub const PARAMETER: Self = Self(4);
    /// JSON [`crate::HandshakeRequest`] from the agent.
    pub const HANDSHAKE_REQUEST: Self = Self(5);
    /// JSON [`crate::HandshakeResponse`] from the client.
    pub const HANDSHAKE_RESPONSE: Self = Self(6);
    /// JSON [`crate::HandshakeComplete`] from the agent.
    pub const HANDSHAKE_COMPLETE: Self = Self(7);
    /// JSON `{"Challenge":"<base64>"}` from the agent (KMS encryption).
    pub const ENC_CHALLENGE_REQUEST: Self = Self(8);
    /// JSON `{"Challenge":"<base64>"}` from the client (KMS encryption).
    pub const ENC_CHALLENGE_RESPONSE: Self = Self(9);
    /// A 4-byte big-endian [`crate::FlagCode`].
    pub const FLAG: Self = Self(10);
    /// Raw stderr bytes of a non-interactive command.
    pub const STD_ERR: Self = Self(11);
    /// ASCII `EXIT_CODE: <n>` of a non-interactive command.
    pub const EXIT_CODE: Self = Self(12);

    /// Whether the reference client acknowledges a message of this type before handling it
    /// (§5.4). These are the handshake steps: answering one can take seconds (a KMS call), and
    /// the agent would resend in the meantime.
    pub fn is_acknowledged_before_processing(self) -> bool {
        matches!(
            self,
            Self::HANDSHAKE_REQUEST | Self::HANDSHAKE_COMPLETE | Self::ENC_CHALLENGE_REQUEST
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_match_the_protocol_table() {
        assert_eq!(PayloadType::UNSET.0, 0);
        assert_eq!(PayloadType::OUTPUT.0, 1);
        assert_eq!(PayloadType::SIZE.0, 3);
        assert_eq!(PayloadType::HANDSHAKE_REQUEST.0, 5);
        assert_eq!(PayloadType::HANDSHAKE_RESPONSE.0, 6);
        assert_eq!(PayloadType::HANDSHAKE_COMPLETE.0, 7);
        assert_eq!(PayloadType::FLAG.0, 10);
        assert_eq!(PayloadType::EXIT_CODE.0, 12);
    }

    #[test]
    fn only_handshake_steps_are_acknowledged_first() {
        assert!(PayloadType::HANDSHAKE_REQUEST.is_acknowledged_before_processing());
        assert!(PayloadType::HANDSHAKE_COMPLETE.is_acknowledged_before_processing());
        assert!(PayloadType::ENC_CHALLENGE_REQUEST.is_acknowledged_before_processing());
        assert!(!PayloadType::OUTPUT.is_acknowledged_before_processing());
        assert!(!PayloadType(99).is_acknowledged_before_processing());
    }
}
