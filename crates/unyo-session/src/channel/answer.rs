//! The client's answer to a `HandshakeRequest` (§6.2): one entry per requested action, in the
//! order requested. The session type is accepted when this client knows it. KMS encryption
//! (§10) is refused: it needs `kms:GenerateDataKey` and AES-GCM on every payload, which this
//! client does not do yet. Unknown actions are refused too. The agent ends the session after
//! any refusal, so the first one is kept to explain that end.

use crate::handshake::{
    ActionParameters, ActionStatus, HandshakeRequest, HandshakeResponse, ProcessedClientAction,
};
use crate::session_type::{SessionType, SessionTypeRequest};

/// What the handshake answers for `KMSEncryption`.
pub(crate) const KMS_UNSUPPORTED: &str = "KMS encryption of session data is not supported by \
    this client; remove the KMS key from the Session Manager preferences to connect";

/// The response to send, and what the request told about the session.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) response: HandshakeResponse,
    pub(crate) session: Option<SessionTypeRequest>,
    pub(crate) agent_version: Option<String>,
    /// The first refused action's error.
    pub(crate) refused: Option<String>,
}

/// Answers the JSON payload of a `HandshakeRequest`.
pub(crate) fn answer(payload: &[u8]) -> Answer {
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
            };
        }
    };
    let mut session = None;
    let mut refused = None;
    let mut refuse = |status: ActionStatus, kind: String, error: String| {
        refused.get_or_insert_with(|| error.clone());
        ProcessedClientAction::failure(kind, status, error)
    };
    let answers = request
        .requested_client_actions
        .iter()
        .map(|action| {
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
    fn an_unreadable_request_is_answered_with_an_error_not_silence() {
        let answer = answer(b"{not json");
        assert!(answer.response.processed_client_actions.is_empty());
        let errors = answer.response.errors.unwrap();
        assert!(errors[0].starts_with("unreadable handshake request"));
        assert_eq!(answer.refused.as_ref(), Some(&errors[0]));
    }
}
