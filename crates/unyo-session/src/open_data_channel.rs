//! The first frame on a new websocket (§2.2): a text frame of compact JSON that authenticates
//! the connection with the session token. No reply is defined; agent traffic follows.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The `MessageSchemaVersion` of the frame.
pub const SCHEMA_VERSION: &str = "1.0";

/// The OpenDataChannel frame. Fields are declared in wire order, which serde keeps.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OpenDataChannel {
    pub message_schema_version: String,
    /// Fresh for every frame.
    pub request_id: Uuid,
    /// From `StartSession` or, after a reconnect, `ResumeSession`.
    pub token_value: String,
    /// Generated once per session and reused on every reconnect.
    pub client_id: Uuid,
    /// Older plugins omit it; send the version the handshake response reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_version: Option<String>,
}

impl OpenDataChannel {
    pub fn new(
        token_value: String,
        client_id: Uuid,
        request_id: Uuid,
        client_version: impl Into<String>,
    ) -> Self {
        Self {
            message_schema_version: SCHEMA_VERSION.to_owned(),
            request_id,
            token_value,
            client_id,
            client_version: Some(client_version.into()),
        }
    }

    /// The text of the websocket frame.
    pub fn to_text(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}

// The token authenticates the websocket; it must not reach logs through Debug.
impl fmt::Debug for OpenDataChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenDataChannel")
            .field("message_schema_version", &self.message_schema_version)
            .field("request_id", &self.request_id)
            .field("token_value", &"<redacted>")
            .field("client_id", &self.client_id)
            .field("client_version", &self.client_version)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> OpenDataChannel {
        OpenDataChannel::new(
            "secret-token".to_owned(),
            Uuid::parse_str("9a7c9a2e-6c3f-4e6b-8f1e-2d6b1c0f5a11").unwrap(),
            Uuid::parse_str("DD01E56B-FF48-483E-A508-B5F073F31B16").unwrap(),
            "1.2.677.0",
        )
    }

    #[test]
    fn writes_compact_json_in_wire_order_with_lowercase_ids() {
        assert_eq!(
            frame().to_text().unwrap(),
            r#"{"MessageSchemaVersion":"1.0","RequestId":"dd01e56b-ff48-483e-a508-b5f073f31b16","TokenValue":"secret-token","ClientId":"9a7c9a2e-6c3f-4e6b-8f1e-2d6b1c0f5a11","ClientVersion":"1.2.677.0"}"#
        );
    }

    #[test]
    fn omits_the_client_version_when_unset_as_older_clients_did() {
        let older = OpenDataChannel {
            client_version: None,
            ..frame()
        };
        let text = older.to_text().unwrap();
        assert!(!text.contains("ClientVersion"));
        assert_eq!(
            serde_json::from_str::<OpenDataChannel>(&text).unwrap(),
            older
        );
    }

    #[test]
    fn debug_output_hides_the_token() {
        let shown = format!("{:?}", frame());
        assert!(!shown.contains("secret-token"));
        assert!(shown.contains("<redacted>"));
    }
}
