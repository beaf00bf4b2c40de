//! The client's answer to a `HandshakeRequest` (§6.2): one entry per requested action, in the
//! order requested. The session type is accepted when this client knows it. KMS encryption
//! (§10) is accepted when the caller gave the channel a way to get data keys; its entry is
//! then completed once the key is there. Without one, and for unknown actions, the action is
//! refused. The agent ends the session after any refusal, so the first one is kept to explain
//! that end.

use crate::handshake::{
    ActionParameters, ActionStatus, HandshakeRequest, HandshakeResponse, KmsEncryptionRequest,
    ProcessedClientAction,
};
use crate::session_type::{SessionType, SessionTypeRequest};

/// What the handshake answers for `KMSEncryption` when the channel has no data key source.
pub(crate) const KMS_UNSUPPORTED: &str = "KMS encryption of session data was requested, but \
    this client was not given access to KMS; remove the KMS key from the Session Manager \
    preferences, or connect with KMS options";

/// The response to send, and what the request told about the session.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) response: HandshakeResponse,
    pub(crate) session: Option<SessionTypeRequest>,
    pub(crate) agent_version: Option<String>,
    /// The first refused action's error.
    pub(crate) refused: Option<String>,
    /// An accepted `KMSEncryption` action: its place in the response, to be completed with
    /// the data key, and its parameters.
    pub(crate) kms: Option<(usize, KmsEncryptionRequest)>,
}

/// Answers the JSON payload of a `HandshakeRequest`; `kms_enabled` says whether encryption
/// can be accepted.
pub(crate) fn answer(payload: &[u8], kms_enabled: bool) -> Answer {
    let request = match serde_json::from_slice::<HandshakeRequest>(payload) {
        Ok(request) => request,
        Err(error) => {
            let error = format!("unreadable handshake request: {error}");
            return Answer {
                response: HandshakeResponse {
                    errors: Some(vec![error.clone()]),
                    ..HandshakeResponse::new(Vec::new())
                },
                session: None,
                agent_version: None,
                refused: Some(error),
                kms: None,
            };
        }
    };
    let mut session = None;
    let mut refused = None;
    let mut kms = None;
    let mut refuse = |status: ActionStatus, kind: String, error: String| {
        refused.get_or_insert_with(|| error.clone());
        ProcessedClientAction::failure(kind, status, error)
    };
    let answers = request
        .requested_client_actions
        .iter()
        .enumerate()
        .map(|(index, action)| {
            let kind = action.action_type.clone();
            match action.parameters() {
                Ok(ActionParameters::SessionType(requested)) => {
                    if let SessionType::Other(name) = &requested.session_type {
                        let error = format!("session type {name} is not supported");
                        refuse(ActionStatus::FAILED, kind, error)
                    } else {
                        session = Some(requested);
                        ProcessedClientAction::success(kind)
                    }
                }
                Ok(ActionParameters::KmsEncryption(request)) if kms_enabled && kms.is_none() => {
                    kms = Some((index, request));
                    ProcessedClientAction::success(kind)
                }
                Ok(ActionParameters::KmsEncryption(_)) => {
                    refuse(ActionStatus::FAILED, kind, KMS_UNSUPPORTED.to_owned())
                }
                Ok(ActionParameters::Unknown) => {
                    let error = format!("action {kind} is not supported");
                    refuse(ActionStatus::UNSUPPORTED, kind, error)
                }
                Err(error) => {
                    let error = format!("unreadable parameters of {kind}: {error}");
                    refuse(ActionStatus::FAILED, kind, error)
                }
            }
        })
        .collect();
    if let Some(error) = &refused {
        tracing::warn!(
            error,
            "refused a handshake action; the agent will end the session"
        );
    }
    Answer {
        response: HandshakeResponse::new(answers),
        session,
        agent_version: Some(request.agent_version).filter(|version| !version.is_empty()),
        refused,
        kms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_session_is_accepted_with_its_properties() {
        let answer = answer(
            br#"{"AgentVersion":"3.3.0.0","RequestedClientActions":[{"ActionType":"SessionType",
            "ActionParameters":{"SessionType":"Port","Properties":{"portNumber":"22"}}}]}"#,
            false,
        );
        let session = answer.session.unwrap();
        assert_eq!(session.session_type, SessionType::Port);
        let port = session.port_properties().unwrap().unwrap().port_number;
        assert_eq!(port.as_deref(), Some("22"));
        assert_eq!(answer.agent_version.as_deref(), Some("3.3.0.0"));
        assert_eq!(answer.refused, None);
        let action = &answer.response.processed_client_actions[0];
        assert_eq!(action.action_status, ActionStatus::SUCCESS);
    }

    #[test]
    fn kms_is_accepted_pending_its_key_only_with_a_data_key_source() {
        let request = br#"{"AgentVersion":"3.3.0.0","RequestedClientActions":[
            {"ActionType":"SessionType","ActionParameters":{"SessionType":"Standard_Stream"}},
            {"ActionType":"KMSEncryption","ActionParameters":{"KMSKeyId":"alias/k","Challenge":"AA=="}}]}"#;
        let accepted = answer(request, true);
        let (index, kms) = accepted.kms.unwrap();
        assert_eq!((index, kms.kms_key_id.as_str()), (1, "alias/k"));
        assert_eq!(accepted.refused, None);

        let refused = answer(request, false);
        assert_eq!(refused.kms, None);
        assert_eq!(refused.refused.as_deref(), Some(KMS_UNSUPPORTED));
        let action = &refused.response.processed_client_actions[1];
        assert_eq!(action.action_status, ActionStatus::FAILED);
    }

    #[test]
    fn an_unreadable_request_is_answered_with_an_error_not_silence() {
        let answer = answer(b"{not json", true);
        assert!(answer.response.processed_client_actions.is_empty());
        let errors = answer.response.errors.unwrap();
        assert!(errors[0].starts_with("unreadable handshake request"));
        assert_eq!(answer.refused.as_ref(), Some(&errors[0]));
    }
}
