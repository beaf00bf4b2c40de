//! The `MessageType` names that travel in the 32-byte header field (§4.1).
//!
//! They stay plain strings rather than an enum because the decoder must carry unknown names
//! through unchanged: a peer may send types this client does not know, and those are logged
//! and ignored, never rejected.

/// Sequenced client data: keystrokes, terminal size, handshake replies, flags.
pub const INPUT_STREAM_DATA: &str = "input_stream_data";
/// Sequenced agent data: output, handshake request and completion, flags.
pub const OUTPUT_STREAM_DATA: &str = "output_stream_data";
/// The acknowledgement of one stream message; not sequenced itself.
pub const ACKNOWLEDGE: &str = "acknowledge";
/// Sent by the relay service when the session is over.
pub const CHANNEL_CLOSED: &str = "channel_closed";
/// Sent by the relay service when the agent side is reachable (again).
pub const START_PUBLICATION: &str = "start_publication";
/// Sent by the relay service when the agent side is temporarily unreachable.
pub const PAUSE_PUBLICATION: &str = "pause_publication";

/// The width of the header field; longer names cannot be encoded.
pub const MAX_LEN: usize = 32;

/// Whether messages of this type carry a sequence number that must be acknowledged.
pub fn is_stream_data(message_type: &str) -> bool {
    message_type == INPUT_STREAM_DATA || message_type == OUTPUT_STREAM_DATA
}

/// Whether this is one of the relay's publication notices, which the reference client reads
/// without any validation (§3 `Validate`, step 1).
pub fn is_publication_notice(message_type: &str) -> bool {
    message_type == START_PUBLICATION || message_type == PAUSE_PUBLICATION
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_fits_the_header_field() {
        for name in [
            INPUT_STREAM_DATA,
            OUTPUT_STREAM_DATA,
            ACKNOWLEDGE,
            CHANNEL_CLOSED,
            START_PUBLICATION,
            PAUSE_PUBLICATION,
        ] {
            assert!(name.len() <= MAX_LEN, "{name}");
        }
    }

    #[test]
    fn only_the_two_data_types_are_sequenced() {
        assert!(is_stream_data(INPUT_STREAM_DATA));
        assert!(is_stream_data(OUTPUT_STREAM_DATA));
        assert!(!is_stream_data(ACKNOWLEDGE));
        assert!(!is_stream_data(CHANNEL_CLOSED));
        assert!(is_publication_notice(PAUSE_PUBLICATION));
        assert!(!is_publication_notice(CHANNEL_CLOSED));
    }
}
