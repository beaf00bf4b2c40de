//! The mode decision of §8 from hand-made session infos.

use serde_json::json;

use super::*;
use crate::session_type::SessionTypeRequest;

fn info(
    session_type: SessionType,
    properties: serde_json::Value,
    agent: Option<&str>,
) -> SessionInfo {
    SessionInfo {
        session: SessionTypeRequest {
            session_type,
            properties,
        },
        agent_version: agent.map(str::to_owned),
        notice: None,
    }
}

fn forwarding() -> serde_json::Value {
    json!({"portNumber": "5432", "type": "LocalPortForwarding", "localPortNumber": "15432"})
}

#[test]
fn forwarding_documents_multiplex_only_on_agents_after_3_0_196_0() {
    let mode = |agent| ForwardMode::for_session(&info(SessionType::Port, forwarding(), agent));
    assert_eq!(mode(Some("3.3.987.0")), Ok(ForwardMode::Multiplexed));
    assert_eq!(mode(Some("3.0.196.1")), Ok(ForwardMode::Multiplexed));
    assert_eq!(mode(Some("3.0.196.0")), Ok(ForwardMode::Basic));
    assert_eq!(mode(Some("2.3.722.0")), Ok(ForwardMode::Basic));
    assert_eq!(
        mode(None),
        Ok(ForwardMode::Basic),
        "no version proves nothing"
    );
}

#[test]
fn ssh_sessions_carry_one_connection_and_shells_are_refused() {
    let ssh = info(
        SessionType::Port,
        json!({"portNumber": "22"}),
        Some("3.3.987.0"),
    );
    assert_eq!(
        ForwardMode::for_session(&ssh),
        Ok(ForwardMode::SingleConnection)
    );
    let no_properties = info(
        SessionType::Port,
        serde_json::Value::Null,
        Some("3.3.987.0"),
    );
    assert_eq!(
        ForwardMode::for_session(&no_properties),
        Ok(ForwardMode::SingleConnection)
    );
    let shell = info(SessionType::StandardStream, serde_json::Value::Null, None);
    assert_eq!(
        ForwardMode::for_session(&shell),
        Err(TunnelEnd::NotPortSession {
            session_type: SessionType::StandardStream
        })
    );
    let odd = info(SessionType::Port, json!({"portNumber": 22}), None);
    assert!(matches!(
        ForwardMode::for_session(&odd),
        Err(TunnelEnd::Unsupported { .. })
    ));
}
