//! Port forwarding over a data channel (§8): local TCP connections accepted on a listener the
//! caller bound, carried to the agent, which connects each to the destination the session's
//! document names (`AWS-StartPortForwardingSession`, `…ToRemoteHost`, `AWS-StartSSHSession`).
//!
//! The mode follows from the handshake, as the plugin decides it (the agent decides the same
//! from our client version, and the two must agree):
//! * [`ForwardMode::Multiplexed`]: a forwarding document and an agent after 3.0.196.0; any
//!   number of concurrent connections, each an smux stream ([`crate::smux`]);
//! * [`ForwardMode::Basic`]: a forwarding document and an older agent; one connection at a
//!   time, and each closed connection is announced with the `DisconnectToPort` flag so that
//!   the agent dials the destination afresh for the next;
//! * [`ForwardMode::SingleConnection`]: `AWS-StartSSHSession`, a plain byte stream; the
//!   session ends with its one connection.
//!
//! One task runs the tunnel; each local connection has a reading and a writing task. The
//! [`TunnelState`] (phase, connections, byte counters) is published on a `watch` channel for
//! the app and the CLI. Back-pressure is end to end: a local reader waits for room in the data
//! channel's send window, and past [`ForwardOptions::receive_buffer`] bytes not yet written to
//! slow local connections the tunnel stops taking output, which the channel then leaves
//! unacknowledged for the agent to resend.
//!
//! Non-goal: `ssm:TerminateSession`. [`PortForward::stop`] sends the `TerminateSession` flag,
//! which ends the session on agents that know it; the API call stays the caller's.

mod basic;
mod mux;
mod pump;
mod tunnel;

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

use crate::agent_version::{self, TCP_MULTIPLEXING_AFTER};
use crate::channel::{CloseReason, DataChannel, Event, SessionInfo};
use crate::session_type::SessionType;

/// Tuning of one tunnel. `Default` gives the production values.
#[derive(Debug, Clone)]
pub struct ForwardOptions {
    /// The most bytes read from a local connection at once: one smux frame, or the input
    /// of one `send` in basic mode. Capped at [`crate::smux::MAX_FRAME_DATA`].
    pub read_chunk: usize,
    /// How many received bytes may wait for slow local connections before the tunnel stops
    /// taking output from the channel (smux's default receive buffer).
    pub receive_buffer: usize,
    /// How often NOPs go to agents that keep smux keep-alive on (3.1.1511.0 and older).
    pub smux_keepalive: Duration,
    /// How long [`PortForward::stop`] waits for the agent to end the session after the
    /// `TerminateSession` flag before closing the connection itself.
    pub terminate_timeout: Duration,
    /// How often the byte counters in [`TunnelState`] are refreshed.
    pub counters_interval: Duration,
}

impl Default for ForwardOptions {
    fn default() -> Self {
        Self {
            read_chunk: 16 * 1024,
            receive_buffer: 4 * 1024 * 1024,
            smux_keepalive: Duration::from_secs(10),
            terminate_timeout: Duration::from_secs(3),
            counters_interval: Duration::from_millis(250),
        }
    }
}

/// How local connections are carried (§8, see the module notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardMode {
    Multiplexed,
    Basic,
    SingleConnection,
}

impl ForwardMode {
    /// The mode for a session, as the plugin picks it from the handshake.
    pub fn for_session(info: &SessionInfo) -> Result<Self, TunnelEnd> {
        let session = &info.session;
        if session.session_type != SessionType::Port {
            return Err(TunnelEnd::NotPortSession {
                session_type: session.session_type.clone(),
            });
        }
        let properties = session
            .port_properties()
            .map_err(|error| TunnelEnd::Unsupported {
                detail: format!("unreadable port session properties: {error}"),
            })?
            .unwrap_or_default();
        if !properties.is_local_port_forwarding() {
            return Ok(Self::SingleConnection);
        }
        let agent = info.agent_version.as_deref().unwrap_or_default();
        Ok(if agent_version::is_after(agent, TCP_MULTIPLEXING_AFTER) {
            Self::Multiplexed
        } else {
            Self::Basic
        })
    }
}

/// What a tunnel is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TunnelPhase {
    /// Waiting for the session to start, which tells the mode.
    Starting,
    /// Accepting local connections and carrying their data.
    Listening,
    /// The data channel is resuming after a dropped connection; local connections stay
    /// open and their data waits.
    Reconnecting {
        cause: String,
    },
    /// Asked to stop: no new connections; waiting for the agent to end the session.
    Stopping,
    Closed(TunnelEnd),
}

/// Why a tunnel ended.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TunnelEnd {
    /// [`PortForward::stop`] was called, or the handle was dropped.
    #[error("the tunnel was stopped")]
    Stopped,
    /// The one connection of a [`ForwardMode::SingleConnection`] session closed, and with
    /// it the session.
    #[error("the connection closed, and with it the session")]
    Completed,
    /// The data channel ended: the agent or the service ended the session, or the
    /// connection was lost for good.
    #[error(transparent)]
    ChannelEnded(CloseReason),
    /// The session is a shell or a command, not a port session.
    #[error("the session is not a port session but {session_type:?}")]
    NotPortSession { session_type: SessionType },
    /// The session cannot be forwarded by this client.
    #[error("the port session cannot be forwarded: {detail}")]
    Unsupported { detail: String },
    /// The agent's smux stream broke the protocol; the session was ended.
    #[error("the agent broke the multiplexing protocol: {detail}")]
    Protocol { detail: String },
}

/// The published state of a tunnel, for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TunnelState {
    /// Where local clients connect.
    pub local_addr: Option<SocketAddr>,
    pub phase: TunnelPhase,
    /// Known once the session started.
    pub mode: Option<ForwardMode>,
    /// The agent's version from the handshake.
    pub agent_version: Option<String>,
    /// Local connections accepted and not yet closed on both sides.
    pub open_connections: usize,
    /// Local connections accepted since the start.
    pub total_connections: u64,
    /// Bytes read from local connections and handed to the channel.
    pub bytes_sent: u64,
    /// Bytes written to local connections.
    pub bytes_received: u64,
    /// Connections the agent could not open to the destination (`ConnectToPortError`).
    pub connect_failures: u64,
}

/// A running tunnel. Dropping the handle stops it as [`PortForward::stop`] does.
#[derive(Debug)]
pub struct PortForward {
    state: watch::Receiver<TunnelState>,
    stop: watch::Sender<bool>,
}

impl PortForward {
    /// Starts forwarding the connections `listener` accepts over the session of `channel`,
    /// with default options. `events` must be the channel's receiver, unread: the tunnel
    /// learns the mode from [`Event::Ready`]. Spawns onto the current tokio runtime.
    pub fn start(
        channel: DataChannel,
        events: mpsc::Receiver<Event>,
        listener: TcpListener,
    ) -> Self {
        Self::start_with(channel, events, listener, ForwardOptions::default())
    }

    /// [`PortForward::start`] with `options`.
    pub fn start_with(
        channel: DataChannel,
        events: mpsc::Receiver<Event>,
        listener: TcpListener,
        options: ForwardOptions,
    ) -> Self {
        let initial = TunnelState {
            local_addr: listener.local_addr().ok(),
            phase: TunnelPhase::Starting,
            mode: None,
            agent_version: None,
            open_connections: 0,
            total_connections: 0,
            bytes_sent: 0,
            bytes_received: 0,
            connect_failures: 0,
        };
        let (state_tx, state) = watch::channel(initial);
        let (stop, stop_rx) = watch::channel(false);
        let tunnel = tunnel::Tunnel::new(channel, events, listener, options, state_tx, stop_rx);
        tokio::spawn(tunnel.run());
        Self { state, stop }
    }

    /// The tunnel's state, updated as it changes (byte counters every
    /// [`ForwardOptions::counters_interval`]).
    pub fn state(&self) -> watch::Receiver<TunnelState> {
        self.state.clone()
    }

    /// Stops the tunnel: no new connections, the `TerminateSession` flag to the agent, and
    /// after [`ForwardOptions::terminate_timeout`] the channel closes regardless.
    pub fn stop(&self) {
        self.stop.send_replace(true);
    }

    /// Waits until the tunnel has ended and says why.
    pub async fn closed(&self) -> TunnelEnd {
        let mut state = self.state.clone();
        let ended = state
            .wait_for(|state| matches!(state.phase, TunnelPhase::Closed(_)))
            .await
            .map(|state| state.phase.clone());
        match ended {
            Ok(TunnelPhase::Closed(end)) => end,
            // The task published Closed before it ended, so this only follows a panic.
            _ => TunnelEnd::ChannelEnded(CloseReason::Failed {
                detail: "the tunnel's task ended without a reason".to_owned(),
            }),
        }
    }
}

#[cfg(test)]
mod tests;
