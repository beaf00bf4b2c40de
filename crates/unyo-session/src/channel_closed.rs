//! The content of `channel_closed` (§4.4), which the relay service sends when the session is
//! over. It is never acknowledged; its `Output` is the text to show the user.

use serde::{Deserialize, Serialize};

/// The JSON payload of `channel_closed`. Every field is optional on reading: only `Output`
/// matters, and a missing field must not hide it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ChannelClosed {
    pub message_id: String,
    /// Epoch milliseconds, as a string.
    pub created_date: String,
    pub destination_id: String,
    pub session_id: String,
    pub message_type: String,
    pub schema_version: i64,
    /// Why the session ended, for example an idle timeout; may be empty.
    pub output: String,
}

impl ChannelClosed {
    pub fn from_payload(payload: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_field() {
        let payload = br#"{"MessageId":"dd01e56b-ff48-483e-a508-b5f073f31b16","CreatedDate":"1503434274948","DestinationId":"destination-id","SessionId":"sessionId_01234567890abcedf","MessageType":"channel_closed","SchemaVersion":1,"Output":"Your session timed out due to inactivity and has been terminated."}"#;
        let closed = ChannelClosed::from_payload(payload).unwrap();
        assert_eq!(closed.created_date, "1503434274948");
        assert_eq!(closed.session_id, "sessionId_01234567890abcedf");
        assert_eq!(closed.schema_version, 1);
        assert_eq!(
            closed.output,
            "Your session timed out due to inactivity and has been terminated."
        );
    }

    #[test]
    fn tolerates_missing_fields() {
        let closed = ChannelClosed::from_payload(br#"{"SessionId":"s-1"}"#).unwrap();
        assert_eq!(closed.session_id, "s-1");
        assert!(closed.output.is_empty());
    }
}
