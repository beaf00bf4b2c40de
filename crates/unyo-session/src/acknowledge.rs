//! The content of an `acknowledge` message (§4.3) and the header it travels under.
//!
//! Acknowledgements are per message and selective: the receiver matches only on the sequence
//! number; the type and id are informational.

use serde::{Deserialize, Serialize};

use crate::message::{ACKNOWLEDGE_FLAGS, ClientMessage, SCHEMA_VERSION, Stamp};
use crate::message_type;
use crate::payload_type::PayloadType;

/// The JSON payload of an acknowledgement. Fields are declared in wire order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AcknowledgeContent {
    #[serde(default)]
    pub acknowledged_message_type: String,
    /// Lowercase hyphenated, as the acknowledged message's id prints. Kept as a string so that
    /// an odd id from a peer cannot make the whole acknowledgement unreadable.
    #[serde(default)]
    pub acknowledged_message_id: String,
    pub acknowledged_message_sequence_number: i64,
    #[serde(default = "sequential")]
    pub is_sequential_message: bool,
}

fn sequential() -> bool {
    true
}

impl AcknowledgeContent {
    /// The acknowledgement of `message`.
    pub fn for_message(message: &ClientMessage) -> Self {
        Self {
            acknowledged_message_type: message.message_type.clone(),
            acknowledged_message_id: message.message_id.to_string(),
            acknowledged_message_sequence_number: message.sequence_number,
            is_sequential_message: true,
        }
    }

    /// Reads the payload of a received `acknowledge` message.
    pub fn from_payload(payload: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(payload)
    }

    /// The `acknowledge` message carrying this content, with the header both peers write:
    /// sequence number 0, flags 3, payload type unset.
    pub fn to_message(&self, stamp: Stamp) -> Result<ClientMessage, serde_json::Error> {
        Ok(ClientMessage {
            message_type: message_type::ACKNOWLEDGE.to_owned(),
            schema_version: SCHEMA_VERSION,
            created_date: stamp.created_date,
            sequence_number: 0,
            flags: ACKNOWLEDGE_FLAGS,
            message_id: stamp.message_id,
            payload_type: PayloadType::UNSET,
            payload: serde_json::to_vec(self)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn output(sequence_number: i64) -> ClientMessage {
        ClientMessage {
            message_type: message_type::OUTPUT_STREAM_DATA.to_owned(),
            schema_version: 1,
            created_date: 1,
            sequence_number,
            flags: 0,
            message_id: Uuid::parse_str("dd01e56b-ff48-483e-a508-b5f073f31b16").unwrap(),
            payload_type: PayloadType::OUTPUT,
            payload: b"$ ".to_vec(),
        }
    }

    #[test]
    fn writes_the_fields_in_wire_order() {
        let stamp = Stamp {
            message_id: Uuid::from_u128(1),
            created_date: 1_700_000_000_000,
        };
        let ack = AcknowledgeContent::for_message(&output(5))
            .to_message(stamp)
            .unwrap();
        assert_eq!(
            String::from_utf8(ack.payload.clone()).unwrap(),
            r#"{"AcknowledgedMessageType":"output_stream_data","AcknowledgedMessageId":"dd01e56b-ff48-483e-a508-b5f073f31b16","AcknowledgedMessageSequenceNumber":5,"IsSequentialMessage":true}"#
        );
        assert_eq!(ack.message_type, "acknowledge");
        assert_eq!(ack.sequence_number, 0);
        assert_eq!(ack.flags, 3);
        assert_eq!(ack.payload_type, PayloadType::UNSET);
        assert_eq!(ack.message_id, Uuid::from_u128(1));
        assert_eq!(ack.created_date, 1_700_000_000_000);
    }

    #[test]
    fn reads_an_acknowledgement_that_carries_only_the_sequence_number() {
        let content = AcknowledgeContent::from_payload(
            br#"{"AcknowledgedMessageSequenceNumber":12,"SomethingNew":1}"#,
        )
        .unwrap();
        assert_eq!(content.acknowledged_message_sequence_number, 12);
        assert!(content.is_sequential_message);
        assert!(content.acknowledged_message_type.is_empty());
    }

    #[test]
    fn refuses_an_acknowledgement_without_a_sequence_number() {
        assert!(AcknowledgeContent::from_payload(br#"{"AcknowledgedMessageId":"x"}"#).is_err());
    }
}
