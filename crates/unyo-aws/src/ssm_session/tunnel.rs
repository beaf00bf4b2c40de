//! Port forwarding through Session Manager as the app's tunnels: `StartSession` with
//! `AWS-StartPortForwardingSession` (a port on the instance) or
//! `AWS-StartPortForwardingSessionToRemoteHost` (a host the instance reaches), the data
//! channel carried by `unyo-session`'s [`PortForward`], and its state and counters published
//! as the [`TunnelStatus`] the tunnels panel and `unyo forward` show.
//!
//! Stopping a tunnel ends its session on the service too: the `TerminateSession` flag tells
//! the agent, and `ssm:TerminateSession` makes sure, since an agent that never got the flag
//! would keep the session until its idle timeout. A tunnel whose session ended on its own is
//! terminated as well, unless the service itself ended it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::net::TcpListener;
use tokio::sync::watch;
use unyo_core::AppError;
use unyo_core::tunnel::{OpenedTunnel, TunnelControl, TunnelState, TunnelStatus, TunnelTarget};
use unyo_session::{
    ChannelOptions, CloseReason, ForwardOptions, PortForward, TunnelEnd, TunnelPhase,
};

use super::ending::Ending;
use super::{SessionChannel, Sessions};

/// Forwards to a port on the instance itself.
pub const PORT_FORWARDING_DOCUMENT: &str = "AWS-StartPortForwardingSession";
/// Forwards to a port on a host the instance can reach (a database, another server).
pub const REMOTE_HOST_DOCUMENT: &str = "AWS-StartPortForwardingSessionToRemoteHost";

/// Room beyond the agent's own time to end the session, before `stop` stops waiting.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// The document and parameters that forward to `target`, as `aws ssm start-session` would
/// be given them. `local_port` is only a hint the agent ignores; it is sent because the
/// plugin sends it.
pub fn forwarding_request(
    target: &TunnelTarget,
    local_port: u16,
) -> (&'static str, BTreeMap<String, Vec<String>>) {
    let mut parameters = BTreeMap::from([
        (
            "portNumber".to_owned(),
            vec![target.remote_port.to_string()],
        ),
        ("localPortNumber".to_owned(), vec![local_port.to_string()]),
    ]);
    let document = match &target.remote_host {
        Some(host) => {
            parameters.insert("host".to_owned(), vec![host.clone()]);
            REMOTE_HOST_DOCUMENT
        }
        None => PORT_FORWARDING_DOCUMENT,
    };
    (document, parameters)
}

impl Sessions {
    /// Starts a port-forwarding session to `target` and forwards the connections `listener`
    /// accepts over it until the tunnel is stopped or the session ends.
    pub async fn open_tunnel(
        &self,
        target: &TunnelTarget,
        listener: TcpListener,
        channel_options: ChannelOptions,
        forward_options: ForwardOptions,
    ) -> Result<OpenedTunnel, AppError> {
        let local_port = listener.local_addr().map_or(0, |address| address.port());
        let (document, parameters) = forwarding_request(target, local_port);
        let SessionChannel {
            session_id,
            channel,
            events,
        } = self
            .open_channel(
                &target.instance_id,
                Some(document),
                parameters,
                channel_options,
            )
            .await?;
        let stop_wait = forward_options.terminate_timeout + STOP_GRACE;
        let forward = PortForward::start_with(channel, events, listener, forward_options);
        let ending = Arc::new(Ending::new(self.clone(), session_id));
        let (status, receiver) = watch::channel(TunnelStatus::connecting());
        tokio::spawn(follow(
            forward.state(),
            status,
            Arc::clone(&ending),
            target.describe(),
        ));
        Ok(OpenedTunnel {
            control: Box::new(AwsTunnel {
                forward,
                ending,
                stop_wait,
            }),
            status: receiver,
        })
    }
}

/// Stops one tunnel; dropping it stops the tunnel too (and the follower terminates the
/// session).
#[derive(Debug)]
struct AwsTunnel {
    forward: PortForward,
    ending: Arc<Ending>,
    stop_wait: Duration,
}

#[async_trait]
impl TunnelControl for AwsTunnel {
    async fn stop(&self) -> Result<(), AppError> {
        // Claimed first, so that the follower, which sees the tunnel close, leaves the call
        // to us and our caller hears how it went.
        let claimed = self.ending.claim();
        self.forward.stop();
        if tokio::time::timeout(self.stop_wait, self.forward.closed())
            .await
            .is_err()
        {
            tracing::warn!(
                session_id = self.ending.session_id(),
                "the tunnel did not close in time; terminating its session anyway"
            );
        }
        if claimed {
            self.ending.terminate().await?;
        }
        Ok(())
    }
}

/// Publishes the tunnel's state as [`TunnelStatus`] until it closes, and then ends the
/// session on the service unless the service ended it or `stop` is doing so.
async fn follow(
    mut state: watch::Receiver<unyo_session::TunnelState>,
    status: watch::Sender<TunnelStatus>,
    ending: Arc<Ending>,
    target: String,
) {
    let mut failures_seen = 0;
    loop {
        let current = state.borrow_and_update().clone();
        let service_ended = matches!(
            &current.phase,
            TunnelPhase::Closed(TunnelEnd::ChannelEnded(CloseReason::ChannelClosed { .. }))
        );
        if service_ended {
            // Recorded before the panel hears of the end, so that a stop it sends then does
            // not terminate a session that no longer exists.
            ending.claim();
        }
        status.send_if_modified(|shown| {
            let next = status_of(&current, shown, &mut failures_seen, &target);
            let changed = *shown != next;
            *shown = next;
            changed
        });
        if let TunnelPhase::Closed(end) = &current.phase {
            tracing::info!(session_id = ending.session_id(), %end, "tunnel closed");
            if !service_ended {
                ending.terminate_claimed().await;
            }
            return;
        }
        if state.changed().await.is_err() {
            // The tunnel's task publishes Closed before it ends, so this follows a panic.
            ending.terminate_claimed().await;
            return;
        }
    }
}

/// What the panel shows for `state`, given what it showed before (`shown`).
fn status_of(
    state: &unyo_session::TunnelState,
    shown: &TunnelStatus,
    failures_seen: &mut u64,
    target: &str,
) -> TunnelStatus {
    let state_now = match &state.phase {
        // The listener is bound from the start; connections made before the handshake wait
        // in its backlog and are served once it completes.
        TunnelPhase::Starting => TunnelState::Connecting,
        TunnelPhase::Listening | TunnelPhase::Stopping => TunnelState::Listening,
        TunnelPhase::Reconnecting { cause } => TunnelState::Reconnecting {
            cause: cause.clone(),
            // Tunnels are opened with the default policy.
            gives_up_in_seconds: u32::try_from(
                unyo_session::ReconnectPolicy::default()
                    .give_up_after
                    .as_secs(),
            )
            .unwrap_or(u32::MAX),
        },
        TunnelPhase::Closed(end) => TunnelState::Closed {
            reason: closed_reason(end),
        },
    };
    let mut last_error = shown.last_error.clone();
    if state.connect_failures > *failures_seen {
        *failures_seen = state.connect_failures;
        last_error = Some(format!(
            "the instance could not connect to {target}: nothing listens on that port, or the \
             host is unreachable from the instance (security groups, routes); the SSM Agent log \
             on the instance has the details"
        ));
    }
    TunnelStatus {
        state: state_now,
        connections_open: u32::try_from(state.open_connections).unwrap_or(u32::MAX),
        connections_total: state.total_connections,
        bytes_in: state.bytes_received,
        bytes_out: state.bytes_sent,
        last_error,
    }
}

fn closed_reason(end: &TunnelEnd) -> String {
    match end {
        TunnelEnd::Stopped => "stopped".to_owned(),
        TunnelEnd::ChannelEnded(CloseReason::ChannelClosed { output }) if output.is_empty() => {
            "Session Manager ended the session".to_owned()
        }
        TunnelEnd::ChannelEnded(CloseReason::ChannelClosed { output }) => output.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_phase(phase: TunnelPhase) -> TunnelState {
        let state = unyo_session::TunnelState {
            local_addr: None,
            phase,
            mode: None,
            agent_version: None,
            open_connections: 0,
            total_connections: 0,
            bytes_sent: 0,
            bytes_received: 0,
            connect_failures: 0,
        };
        status_of(&state, &TunnelStatus::connecting(), &mut 0, "i-1:80").state
    }

    #[test]
    fn the_panel_says_connecting_until_the_handshake_is_done() {
        assert_eq!(in_phase(TunnelPhase::Starting), TunnelState::Connecting);
        assert_eq!(in_phase(TunnelPhase::Listening), TunnelState::Listening);
        assert_eq!(
            in_phase(TunnelPhase::Reconnecting { cause: "x".into() }),
            TunnelState::Reconnecting {
                cause: "x".into(),
                gives_up_in_seconds: 60
            }
        );
    }
}
