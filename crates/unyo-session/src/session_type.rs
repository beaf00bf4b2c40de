//! The `SessionType` action of the handshake (§6.1): which kind of session the agent started,
//! and for port sessions the document properties that configure the client side (§8).

use serde::{Deserialize, Serialize};

/// The kind of session, from the `SessionType` action parameters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SessionType {
    /// An interactive shell (`SSM-SessionManagerRunShell`).
    #[serde(rename = "Standard_Stream")]
    StandardStream,
    /// `AWS-StartInteractiveCommand`.
    InteractiveCommands,
    /// `AWS-StartNonInteractiveCommand`.
    NonInteractiveCommands,
    /// Port forwarding and `AWS-StartSSHSession`.
    Port,
    /// A type this client does not know; the handshake reports the action as failed.
    #[serde(untagged)]
    Other(String),
}

impl SessionType {
    /// The three types the reference client serves with its shell handler (§7).
    pub fn is_shell_like(&self) -> bool {
        matches!(
            self,
            Self::StandardStream | Self::InteractiveCommands | Self::NonInteractiveCommands
        )
    }
}

/// The `ActionParameters` of a `SessionType` action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SessionTypeRequest {
    pub session_type: SessionType,
    /// The document's properties after parameter substitution: `null` or absent for shells,
    /// [`PortProperties`] for port sessions. Kept as raw JSON so that nothing is lost.
    #[serde(default)]
    pub properties: serde_json::Value,
}

impl SessionTypeRequest {
    /// The properties read as port properties; `None` when there are none.
    pub fn port_properties(&self) -> Result<Option<PortProperties>, serde_json::Error> {
        if self.properties.is_null() {
            return Ok(None);
        }
        PortProperties::deserialize(&self.properties).map(Some)
    }
}

/// The `Properties` of a port session. All optional: `AWS-StartSSHSession` sends only
/// `portNumber`. Numbers arrive as strings, as the documents' parameters are strings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PortProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_number: Option<String>,
    /// `LocalPortForwarding` for the forwarding documents; absent for SSH, which then runs as
    /// a plain byte stream.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub forwarding_type: Option<String>,
    /// A hint for the client only; the agent ignores it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_port_number: Option<String>,
    /// The remote host of `AWS-StartPortForwardingSessionToRemoteHost`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// `unix` to listen on a unix socket instead of TCP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_connection_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_unix_socket: Option<String>,
}

impl PortProperties {
    /// The `type` value of the port forwarding documents.
    pub const LOCAL_PORT_FORWARDING: &'static str = "LocalPortForwarding";

    /// Whether this is forwarding (basic or multiplexed) rather than a plain byte stream.
    pub fn is_local_port_forwarding(&self) -> bool {
        self.forwarding_type.as_deref() == Some(Self::LOCAL_PORT_FORWARDING)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_four_known_types_and_keeps_unknown_ones() {
        let read = |name: &str| serde_json::from_value::<SessionType>(json!(name)).unwrap();
        assert_eq!(read("Standard_Stream"), SessionType::StandardStream);
        assert_eq!(
            read("InteractiveCommands"),
            SessionType::InteractiveCommands
        );
        assert_eq!(
            read("NonInteractiveCommands"),
            SessionType::NonInteractiveCommands
        );
        assert_eq!(read("Port"), SessionType::Port);
        assert_eq!(
            read("Telepathy"),
            SessionType::Other("Telepathy".to_owned())
        );
        assert_eq!(
            serde_json::to_value(SessionType::Other("Telepathy".to_owned())).unwrap(),
            json!("Telepathy")
        );
        assert_eq!(
            serde_json::to_value(SessionType::StandardStream).unwrap(),
            json!("Standard_Stream")
        );
    }

    #[test]
    fn shell_like_types_exclude_port_and_unknown() {
        assert!(SessionType::StandardStream.is_shell_like());
        assert!(SessionType::NonInteractiveCommands.is_shell_like());
        assert!(!SessionType::Port.is_shell_like());
        assert!(!SessionType::Other("x".to_owned()).is_shell_like());
    }

    #[test]
    fn reads_remote_host_forwarding_properties() {
        let request: SessionTypeRequest = serde_json::from_value(json!({
            "SessionType": "Port",
            "Properties": {
                "portNumber": "5432",
                "type": "LocalPortForwarding",
                "localPortNumber": "15432",
                "host": "db.internal"
            }
        }))
        .unwrap();
        let properties = request.port_properties().unwrap().unwrap();
        assert!(properties.is_local_port_forwarding());
        assert_eq!(properties.port_number.as_deref(), Some("5432"));
        assert_eq!(properties.local_port_number.as_deref(), Some("15432"));
        assert_eq!(properties.host.as_deref(), Some("db.internal"));
    }

    #[test]
    fn ssh_sessions_are_not_forwarding_and_shells_have_no_properties() {
        let ssh: SessionTypeRequest = serde_json::from_value(json!({
            "SessionType": "Port",
            "Properties": {"portNumber": "22"}
        }))
        .unwrap();
        assert!(
            !ssh.port_properties()
                .unwrap()
                .unwrap()
                .is_local_port_forwarding()
        );

        for shell in [
            json!({"SessionType": "Standard_Stream"}),
            json!({"SessionType": "NonInteractiveCommands", "Properties": null}),
        ] {
            let request: SessionTypeRequest = serde_json::from_value(shell).unwrap();
            assert_eq!(request.port_properties().unwrap(), None);
        }
    }
}
