//! [`ClientMessage`], the one binary message shape of the data channel (§3), and the
//! [`Stamp`] every new message needs. The byte layout lives in [`crate::codec`].

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use uuid::Uuid;

use crate::codec::{self, DecodeError, Decoded, EncodeError};
use crate::message_type;
use crate::payload_type::PayloadType;

/// The schema version every writer puts in the header.
pub const SCHEMA_VERSION: u32 = 1;

/// Flags bit 0. The agent sets it on its first output message; nobody reads it.
pub const FLAG_SYN: u64 = 1;
/// Flags bit 1. Informational, like [`FLAG_SYN`].
pub const FLAG_FIN: u64 = 2;
/// The flags both the plugin and the agent put on acknowledgements.
pub const ACKNOWLEDGE_FLAGS: u64 = FLAG_SYN | FLAG_FIN;
/// The flags the plugin puts on its input messages; mirrored so the agent sees nothing new.
pub const INPUT_FLAGS: u64 = 0;

/// One data-channel message with every header field that is not derived from the payload.
///
/// The header length, payload length and payload digest are computed by the encoder and
/// reported separately by the decoder ([`Decoded`]), so that two messages with the same
/// content are equal whatever the peer wrote in those fields.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientMessage {
    /// See [`crate::message_type`]; at most 32 printable ASCII bytes when encoding.
    pub message_type: String,
    pub schema_version: u32,
    /// Unix epoch milliseconds; peers drop messages where it is zero.
    pub created_date: u64,
    /// Per-direction stream counter for stream data; 0 for everything else.
    pub sequence_number: i64,
    pub flags: u64,
    pub message_id: Uuid,
    pub payload_type: PayloadType,
    pub payload: Vec<u8>,
}

impl ClientMessage {
    /// A client stream message as the plugin writes it (flags 0, schema version 1).
    pub fn input_stream_data(
        sequence_number: i64,
        payload_type: PayloadType,
        payload: Vec<u8>,
        stamp: Stamp,
    ) -> Self {
        Self {
            message_type: message_type::INPUT_STREAM_DATA.to_owned(),
            schema_version: SCHEMA_VERSION,
            created_date: stamp.created_date,
            sequence_number,
            flags: INPUT_FLAGS,
            message_id: stamp.message_id,
            payload_type,
            payload,
        }
    }

    /// The binary frame for this message; see [`codec::encode`].
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        codec::encode(self)
    }

    /// Reads a received frame; see [`codec::decode`].
    pub fn decode(frame: &[u8]) -> Result<Decoded, DecodeError> {
        codec::decode(frame)
    }
}

// The payload is left out because it carries whatever the user types, passwords included,
// and a message's Debug output ends up in logs.
impl fmt::Debug for ClientMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientMessage")
            .field("message_type", &self.message_type)
            .field("schema_version", &self.schema_version)
            .field("created_date", &self.created_date)
            .field("sequence_number", &self.sequence_number)
            .field("flags", &self.flags)
            .field("message_id", &self.message_id)
            .field("payload_type", &self.payload_type)
            .field("payload_len", &self.payload.len())
            .finish()
    }
}

/// The identity and creation time of a new message: the two header fields that need
/// randomness and the wall clock, passed in so that tests can fix them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub message_id: Uuid,
    /// Unix epoch milliseconds.
    pub created_date: u64,
}

impl Stamp {
    /// A fresh version 4 id and the current wall-clock time.
    pub fn now() -> Self {
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|since| u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        Self {
            message_id: next_message_id(),
            // Peers drop messages dated zero, so a clock set before 1970 still yields 1.
            created_date: millis.max(1),
        }
    }
}

/// A message id: a random version 4 UUID drawn once per process, with a counter mixed into
/// its last 56 bits, so that ids are unique within the process and unrelated across
/// processes. Drawing each from the OS random source took 8 % of the CPU time of a bulk
/// transfer, for ids that peers only echo back (acknowledgements match on sequence numbers).
fn next_message_id() -> Uuid {
    static BASE: OnceLock<u128> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let base = *BASE.get_or_init(|| Uuid::new_v4().as_u128());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed) & ((1 << 56) - 1);
    // The counter stays clear of the version and variant bits, which the builder sets.
    uuid::Builder::from_random_bytes((base ^ u128::from(count)).to_be_bytes()).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_stream_data_mirrors_the_plugin_header() {
        let stamp = Stamp {
            message_id: Uuid::from_u128(7),
            created_date: 1_503_434_274_948,
        };
        let message =
            ClientMessage::input_stream_data(4, PayloadType::OUTPUT, b"ls\r".to_vec(), stamp);
        assert_eq!(message.message_type, "input_stream_data");
        assert_eq!(message.schema_version, 1);
        assert_eq!(message.flags, 0);
        assert_eq!(message.sequence_number, 4);
        assert_eq!(message.message_id, Uuid::from_u128(7));
        assert_eq!(message.created_date, 1_503_434_274_948);
    }

    #[test]
    fn debug_output_never_shows_the_payload() {
        let stamp = Stamp {
            message_id: Uuid::nil(),
            created_date: 1,
        };
        let message =
            ClientMessage::input_stream_data(0, PayloadType::OUTPUT, b"hunter2".to_vec(), stamp);
        let shown = format!("{message:?}");
        assert!(!shown.contains("hunter2"));
        assert!(!shown.contains("104, 117"), "no byte list either: {shown}");
        assert!(shown.contains("payload_len: 7"));
    }

    #[test]
    fn a_fresh_stamp_is_dated_and_unique() {
        let first = Stamp::now();
        let second = Stamp::now();
        assert!(first.created_date > 1_700_000_000_000);
        assert_ne!(first.message_id, second.message_id);
        assert_eq!(first.message_id.get_version_num(), 4);
        assert_eq!(first.message_id.get_variant(), uuid::Variant::RFC4122);
    }

    #[test]
    fn message_ids_do_not_repeat_across_threads() {
        let ids: Vec<Uuid> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| (0..10_000).map(|_| next_message_id()).collect::<Vec<_>>()))
                .collect();
            workers
                .into_iter()
                .flat_map(|worker| worker.join().unwrap())
                .collect()
        });
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        assert!(ids.iter().all(|id| id.get_version_num() == 4));
    }
}
