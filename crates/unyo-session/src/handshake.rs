//! The handshake payloads (§6): the agent's request, our response, and its completion notice.
//!
//! The agent asks for a list of actions (always `SessionType` first, `KMSEncryption` when the
//! account's preferences name a key); the client answers each, in order. The client version it
//! reports is protocol-significant: the agent picks multiplexed port forwarding and the smux
//! keep-alive behaviour from it (§8.3).

use serde::{Deserialize, Serialize};

use crate::session_type::SessionTypeRequest;

/// The version this client reports, in the handshake and in the OpenDataChannel frame.
///
/// It must look like a plugin version (four numeric parts): the agent compares it to decide
/// behaviour, and above 1.2.331.0 it turns its smux keep-alive off. 1.2.764.0 is AWS's current
/// minimum supported plugin version ("if you're running an earlier version, your Session
/// Manager operations might not succeed"), the release that signs the data channel's upgrade,
/// as `unyo-aws` does; the wire frames are those of 1.2.677.0, which 1.2.764.0 left unchanged.
pub const CLIENT_VERSION: &str = "1.2.764.0";

/// The agent's `HandshakeRequest` (payload type 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HandshakeRequest {
    /// Needed for the port-forwarding version gates (§8).
    #[serde(default)]
    pub agent_version: String,
    #[serde(default)]
    pub requested_client_actions: Vec<RequestedClientAction>,
}

/// One action the agent asks the client to perform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RequestedClientAction {
    /// Kept verbatim so that the response can name an action this client does not know.
    pub action_type: String,
    /// Shaped by the action type; read it with [`RequestedClientAction::parameters`].
    #[serde(default)]
    pub action_parameters: serde_json::Value,
}

/// The parameters of a requested action, read according to its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionParameters {
    SessionType(SessionTypeRequest),
    KmsEncryption(KmsEncryptionRequest),
    /// An action type this client does not know; answer it as unsupported.
    Unknown,
}

/// The `ActionParameters` of a `KMSEncryption` action (§10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KmsEncryptionRequest {
    #[serde(rename = "KMSKeyId")]
    pub kms_key_id: String,
    /// Base64 of 16 random bytes; only used for the optional challenge acknowledgement.
    #[serde(rename = "Challenge", default)]
    pub challenge: String,
}

impl RequestedClientAction {
    pub const SESSION_TYPE: &'static str = "SessionType";
    pub const KMS_ENCRYPTION: &'static str = "KMSEncryption";

    pub fn parameters(&self) -> Result<ActionParameters, serde_json::Error> {
        match self.action_type.as_str() {
            Self::SESSION_TYPE => SessionTypeRequest::deserialize(&self.action_parameters)
                .map(ActionParameters::SessionType),
            Self::KMS_ENCRYPTION => KmsEncryptionRequest::deserialize(&self.action_parameters)
                .map(ActionParameters::KmsEncryption),
            _ => Ok(ActionParameters::Unknown),
        }
    }
}

/// The client's `HandshakeResponse` (payload type 6). Fields are declared in wire order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HandshakeResponse {
    pub client_version: String,
    /// One entry per requested action, in the order requested.
    pub processed_client_actions: Vec<ProcessedClientAction>,
    /// `null` when there are none, as the plugin writes it.
    pub errors: Option<Vec<String>>,
}

impl HandshakeResponse {
    pub fn new(processed_client_actions: Vec<ProcessedClientAction>) -> Self {
        Self {
            client_version: CLIENT_VERSION.to_owned(),
            processed_client_actions,
            errors: None,
        }
    }
}

/// The answer to one requested action. Fields are declared in wire order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProcessedClientAction {
    pub action_type: String,
    pub action_status: ActionStatus,
    /// `null` except for a successful `KMSEncryption`, which returns the encrypted data key.
    pub action_result: serde_json::Value,
    pub error: String,
}

impl ProcessedClientAction {
    pub fn success(action_type: impl Into<String>) -> Self {
        Self {
            action_type: action_type.into(),
            action_status: ActionStatus::SUCCESS,
            action_result: serde_json::Value::Null,
            error: String::new(),
        }
    }

    /// A successful action with a result, as `KMSEncryption` has.
    pub fn success_with(action_type: impl Into<String>, action_result: serde_json::Value) -> Self {
        Self {
            action_result,
            ..Self::success(action_type)
        }
    }

    /// A failed or unsupported action; the agent cancels the session on either.
    pub fn failure(
        action_type: impl Into<String>,
        action_status: ActionStatus,
        error: impl Into<String>,
    ) -> Self {
        Self {
            action_type: action_type.into(),
            action_status,
            action_result: serde_json::Value::Null,
            error: error.into(),
        }
    }
}

/// The `ActionResult` of an accepted `KMSEncryption` action (§10): the data key encrypted
/// under the KMS key, for the agent to decrypt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KmsEncryptionResponse {
    /// Base64, as Go writes a byte slice.
    #[serde(rename = "KMSCipherTextKey")]
    pub kms_cipher_text_key: String,
    /// Unused by both peers; `null`, as the plugin writes it.
    #[serde(rename = "KMSCipherTextHash", default)]
    pub kms_cipher_text_hash: Option<String>,
    /// The agent's challenge is part of the encryption context (see
    /// [`crate::kms::KmsOptions::acknowledge_challenge`]); left out when false.
    #[serde(
        rename = "ChallengeAcknowledgement",
        default,
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub challenge_acknowledgement: bool,
}

/// The payload of `EncChallengeRequest` and `EncChallengeResponse` (payload types 8 and 9):
/// an encrypted random challenge, base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptionChallenge {
    #[serde(rename = "Challenge")]
    pub challenge: String,
}

/// The `ActionStatus` code. A newtype over the wire integer, because the plugin is known to
/// write 0 for unknown actions and a reader must not choke on that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActionStatus(pub u32);

impl ActionStatus {
    pub const SUCCESS: Self = Self(1);
    pub const FAILED: Self = Self(2);
    pub const UNSUPPORTED: Self = Self(3);
}

/// The agent's `HandshakeComplete` (payload type 7): the session is ready for data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct HandshakeComplete {
    /// Nanoseconds the agent spent on the handshake.
    pub handshake_time_to_complete: i64,
    /// Text for the user, for example that the session is encrypted; may be empty.
    pub customer_message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session_type::SessionType;
    use serde_json::json;

    #[test]
    fn reads_a_port_session_request_with_kms() {
        let request: HandshakeRequest = serde_json::from_slice(
            br#"{"AgentVersion":"3.3.0.0","RequestedClientActions":[
                {"ActionType":"SessionType","ActionParameters":{"SessionType":"Port","Properties":{"portNumber":"80","type":"LocalPortForwarding","localPortNumber":"8080"}}},
                {"ActionType":"KMSEncryption","ActionParameters":{"KMSKeyId":"arn:aws:kms:eu-west-1:111122223333:key/k","Challenge":"AAECAwQFBgcICQoLDA0ODw=="}},
                {"ActionType":"Teleport","ActionParameters":{}}]}"#,
        )
        .unwrap();
        assert_eq!(request.agent_version, "3.3.0.0");
        let parameters: Vec<_> = request
            .requested_client_actions
            .iter()
            .map(|action| action.parameters().unwrap())
            .collect();
        let ActionParameters::SessionType(session) = &parameters[0] else {
            panic!("expected SessionType first, got {parameters:?}");
        };
        assert_eq!(session.session_type, SessionType::Port);
        assert_eq!(
            parameters[1],
            ActionParameters::KmsEncryption(KmsEncryptionRequest {
                kms_key_id: "arn:aws:kms:eu-west-1:111122223333:key/k".to_owned(),
                challenge: "AAECAwQFBgcICQoLDA0ODw==".to_owned(),
            })
        );
        assert_eq!(parameters[2], ActionParameters::Unknown);
    }

    #[test]
    fn a_session_type_action_without_parameters_is_an_error_not_a_panic() {
        let action = RequestedClientAction {
            action_type: RequestedClientAction::SESSION_TYPE.to_owned(),
            action_parameters: serde_json::Value::Null,
        };
        assert!(action.parameters().is_err());
    }

    #[test]
    fn writes_the_response_the_plugin_writes_byte_for_byte() {
        let response = HandshakeResponse::new(vec![ProcessedClientAction::success("SessionType")]);
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            r#"{"ClientVersion":"1.2.764.0","ProcessedClientActions":[{"ActionType":"SessionType","ActionStatus":1,"ActionResult":null,"Error":""}],"Errors":null}"#
        );
    }

    #[test]
    fn writes_failures_with_their_status_code() {
        let failed = ProcessedClientAction::failure(
            "Teleport",
            ActionStatus::UNSUPPORTED,
            "unsupported action Teleport",
        );
        assert_eq!(
            serde_json::to_value(&failed).unwrap(),
            json!({"ActionType":"Teleport","ActionStatus":3,"ActionResult":null,"Error":"unsupported action Teleport"})
        );
        let plugin_bug: ProcessedClientAction = serde_json::from_value(
            json!({"ActionType":"X","ActionStatus":0,"ActionResult":3,"Error":""}),
        )
        .unwrap();
        assert_eq!(plugin_bug.action_status, ActionStatus(0));
    }

    #[test]
    fn writes_the_kms_result_and_challenge_as_the_plugin_does() {
        let result = KmsEncryptionResponse {
            kms_cipher_text_key: "AQID".to_owned(),
            kms_cipher_text_hash: None,
            challenge_acknowledgement: false,
        };
        assert_eq!(
            serde_json::to_string(&result).unwrap(),
            r#"{"KMSCipherTextKey":"AQID","KMSCipherTextHash":null}"#
        );
        let acknowledged = KmsEncryptionResponse {
            challenge_acknowledgement: true,
            ..result
        };
        assert_eq!(
            serde_json::to_string(&acknowledged).unwrap(),
            r#"{"KMSCipherTextKey":"AQID","KMSCipherTextHash":null,"ChallengeAcknowledgement":true}"#
        );
        let challenge: EncryptionChallenge =
            serde_json::from_str(r#"{"Challenge":"AAECAw=="}"#).unwrap();
        assert_eq!(challenge.challenge, "AAECAw==");
    }

    #[test]
    fn reads_the_completion_notice() {
        let complete: HandshakeComplete = serde_json::from_slice(
            br#"{"HandshakeTimeToComplete":1000000,"CustomerMessage":"This session is encrypted using AWS KMS."}"#,
        )
        .unwrap();
        assert_eq!(complete.handshake_time_to_complete, 1_000_000);
        assert_eq!(
            complete.customer_message,
            "This session is encrypted using AWS KMS."
        );
        assert_eq!(
            serde_json::to_string(&complete).unwrap(),
            r#"{"HandshakeTimeToComplete":1000000,"CustomerMessage":"This session is encrypted using AWS KMS."}"#
        );
    }
}
