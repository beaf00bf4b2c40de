//! Port forwarding through Session Manager: a local TCP port whose connections reach a port
//! on an instance (or on a host the instance can reach). The caller binds the listener, so it
//! chooses the address; a [`Cloud`](crate::Cloud) serves the connections and reports how the
//! tunnel is doing.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use ts_rs::TS;

use crate::AppError;

/// Where a tunnel's connections go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TunnelTarget {
    pub instance_id: String,
    /// A host the instance connects to (a database endpoint, another server), or `None` for a
    /// port on the instance itself.
    pub remote_host: Option<String>,
    pub remote_port: u16,
}

impl TunnelTarget {
    /// `host:port` or `instance:port`, as the tunnels panel shows it.
    pub fn describe(&self) -> String {
        match &self.remote_host {
            Some(host) => format!("{host}:{} via {}", self.remote_port, self.instance_id),
            None => format!("{}:{}", self.instance_id, self.remote_port),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "state"
)]
#[ts(export)]
pub enum TunnelState {
    /// The local port is bound and the session's handshake with the agent is under way;
    /// connections made now wait and are served once it completes.
    Connecting,
    /// Accepting connections on the local port.
    Listening,
    /// The session dropped and is being resumed; connections wait. Unyo gives up
    /// `gives_up_in_seconds` after the drop.
    Reconnecting {
        cause: String,
        gives_up_in_seconds: u32,
    },
    /// The tunnel is over; `reason` says why (stopped by the user, the session ended).
    Closed { reason: String },
}

/// What the tunnels panel shows for one tunnel, updated as it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TunnelStatus {
    pub state: TunnelState,
    pub connections_open: u32,
    #[ts(type = "number")]
    pub connections_total: u64,
    /// Bytes from the remote side to local clients.
    #[ts(type = "number")]
    pub bytes_in: u64,
    /// Bytes from local clients to the remote side.
    #[ts(type = "number")]
    pub bytes_out: u64,
    /// The latest connection that failed, and why (nothing listens on the remote port, the
    /// instance cannot reach the host).
    pub last_error: Option<String>,
}

impl TunnelStatus {
    pub fn listening() -> Self {
        Self::in_state(TunnelState::Listening)
    }

    pub fn connecting() -> Self {
        Self::in_state(TunnelState::Connecting)
    }

    fn in_state(state: TunnelState) -> Self {
        Self {
            state,
            connections_open: 0,
            connections_total: 0,
            bytes_in: 0,
            bytes_out: 0,
            last_error: None,
        }
    }
}

/// Stops a tunnel: the listener closes, open connections end, and the far side's session is
/// terminated.
#[async_trait]
pub trait TunnelControl: Send + Sync + std::fmt::Debug {
    async fn stop(&self) -> Result<(), AppError>;
}

#[derive(Debug)]
pub struct OpenedTunnel {
    pub control: Box<dyn TunnelControl>,
    pub status: watch::Receiver<TunnelStatus>,
}
