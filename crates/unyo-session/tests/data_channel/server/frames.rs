//! The frames the test server writes, built the way the agent and the relay write them,
//! including the relay's odd `channel_closed` layout.

use bytes::Bytes;
use serde_json::json;
use unyo_session::message_type::{CHANNEL_CLOSED, OUTPUT_STREAM_DATA};
use unyo_session::{AcknowledgeContent, ChannelClosed, ClientMessage, PayloadType, Stamp};
use uuid::Uuid;

/// Where the payload digest sits in the header (§3).
const DIGEST_AT: usize = 80;

/// A sequenced agent message.
pub fn output(sequence: i64, payload_type: PayloadType, payload: Vec<u8>) -> Bytes {
    let stamp = Stamp::now();
    let message = ClientMessage {
        message_type: OUTPUT_STREAM_DATA.to_owned(),
        schema_version: 1,
        created_date: stamp.created_date,
        sequence_number: sequence,
        // The agent marks its first output message, as observed (§3 flags).
        flags: u64::from(sequence == 0),
        message_id: stamp.message_id,
        payload_type,
        payload,
    };
    Bytes::from(message.encode().unwrap())
}

/// An unsequenced message from the relay, such as a publication notice.
pub fn control(message_type: &str, payload: Vec<u8>) -> Bytes {
    let stamp = Stamp::now();
    let message = ClientMessage {
        message_type: message_type.to_owned(),
        schema_version: 1,
        created_date: stamp.created_date,
        sequence_number: 0,
        flags: 0,
        message_id: stamp.message_id,
        payload_type: PayloadType::UNSET,
        payload,
    };
    Bytes::from(message.encode().unwrap())
}

pub fn ack(message: &ClientMessage) -> Bytes {
    let ack = AcknowledgeContent::for_message(message)
        .to_message(Stamp::now())
        .unwrap();
    Bytes::from(ack.encode().unwrap())
}

/// The agent's handshake request for a shell, optionally asking for KMS encryption too.
pub fn handshake_request(kms: bool) -> Vec<u8> {
    let mut actions = vec![json!({"ActionType": "SessionType",
        "ActionParameters": {"SessionType": "Standard_Stream", "Properties": null}})];
    if kms {
        actions.push(json!({"ActionType": "KMSEncryption", "ActionParameters":
            {"KMSKeyId": "alias/session", "Challenge": "AAECAwQFBgcICQoLDA0ODw=="}}));
    }
    let request = json!({"AgentVersion": "3.3.987.0", "RequestedClientActions": actions});
    serde_json::to_vec(&request).unwrap()
}

/// The agent's handshake request for a port session.
pub fn port_handshake_request(agent_version: &str, properties: serde_json::Value) -> Vec<u8> {
    let request = json!({"AgentVersion": agent_version, "RequestedClientActions": [
        {"ActionType": "SessionType",
            "ActionParameters": {"SessionType": "Port", "Properties": properties}}]});
    serde_json::to_vec(&request).unwrap()
}

/// `channel_closed` the way the relay has been seen to write it (§3 quirks): header length
/// 112, no payload type field, the type padded with NULs.
pub fn channel_closed(output: String) -> Bytes {
    let content = ChannelClosed {
        message_id: Uuid::new_v4().to_string(),
        created_date: "1700000000000".to_owned(),
        destination_id: "i-0123456789abcdef0".to_owned(),
        session_id: "session-1".to_owned(),
        message_type: CHANNEL_CLOSED.to_owned(),
        schema_version: 1,
        output,
    };
    let standard = control(CHANNEL_CLOSED, serde_json::to_vec(&content).unwrap());
    let mut frame = Vec::with_capacity(standard.len() - 4);
    frame.extend_from_slice(&112u32.to_be_bytes());
    let mut name = [0u8; 32];
    name[..CHANNEL_CLOSED.len()].copy_from_slice(CHANNEL_CLOSED.as_bytes());
    frame.extend_from_slice(&name);
    // Schema version through digest, then the payload length and payload, skipping the
    // payload type field.
    frame.extend_from_slice(&standard[36..112]);
    frame.extend_from_slice(&standard[116..]);
    Bytes::from(frame)
}

/// A copy of `frame` whose digest no longer matches its payload.
pub fn spoil_digest(frame: &Bytes) -> Bytes {
    let mut spoiled = frame.to_vec();
    spoiled[DIGEST_AT] ^= 0x5a;
    Bytes::from(spoiled)
}
