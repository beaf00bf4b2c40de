//! A Session Manager shell behind the app's [`ShellSession`] port: input and terminal size go
//! to the data channel, channel events come back as [`SessionEvent`]s, and the session is
//! terminated on the service however it ends locally.
//!
//! Reconnections are not shown in the output stream: text injected into a terminal would
//! corrupt whatever full-screen program is running, and [`SessionEvent`] has no status
//! variant. They are logged, and input typed meanwhile is delivered after the resume. The
//! end of a session is different: its reason is printed on its own line before
//! [`SessionEvent::Closed`], as the plugin prints the service's `channel_closed` text.

use std::sync::Arc;

use async_trait::async_trait;
use tokio::sync::mpsc;
use unyo_core::AppError;
use unyo_core::session::{
    EVENT_BUFFER, OpenedShell, SessionEnd, SessionEndReason, SessionEvent, ShellSession,
    TerminalSize,
};
use unyo_session::{CloseReason, DataChannel, Event};

use super::ending::Ending;
use super::{SessionChannel, Sessions};

/// An open Session Manager shell. Dropping every handle without [`ShellSession::terminate`]
/// still ends the session: the channel closes and the session is terminated on the service.
#[derive(Debug)]
pub struct AwsShell {
    session_id: String,
    channel: DataChannel,
    ending: Arc<Ending>,
}

/// Wraps an opened channel as a shell and starts translating its events.
pub(super) fn open(sessions: Sessions, opened: SessionChannel) -> OpenedShell {
    let SessionChannel {
        session_id,
        channel,
        events,
    } = opened;
    let ending = Arc::new(Ending::new(sessions, session_id.clone()));
    let (sender, receiver) = mpsc::channel(EVENT_BUFFER);
    tokio::spawn(translate(events, sender, Arc::clone(&ending)));
    OpenedShell {
        session: Arc::new(AwsShell {
            session_id,
            channel,
            ending,
        }),
        events: receiver,
    }
}

#[async_trait]
impl ShellSession for AwsShell {
    fn id(&self) -> &str {
        &self.session_id
    }

    async fn write(&self, input: &[u8]) -> Result<(), AppError> {
        self.channel.send(input).await.map_err(|_| self.ended())
    }

    async fn resize(&self, size: TerminalSize) -> Result<(), AppError> {
        self.channel
            .resize(size.cols.into(), size.rows.into())
            .await
            .map_err(|_| self.ended())
    }

    async fn terminate(&self) -> Result<(), AppError> {
        // Claimed before the channel closes, so that the event translator, which sees the
        // close, leaves the call to us and our caller hears how it went.
        let claimed = self.ending.claim();
        self.channel.close();
        if claimed {
            self.ending.terminate().await?;
        }
        Ok(())
    }
}

impl AwsShell {
    fn ended(&self) -> AppError {
        AppError::invalid_input(format!("session {} has ended", self.session_id))
    }
}

/// Forwards the channel's events as session events until the session ends or the reader goes
/// away; either way the session is terminated on the service unless the service ended it.
async fn translate(
    mut events: mpsc::Receiver<Event>,
    sender: mpsc::Sender<SessionEvent>,
    ending: Arc<Ending>,
) {
    let session_id = ending.session_id();
    while let Some(event) = events.recv().await {
        let forward = match event {
            Event::Ready(info) => info
                .notice
                .map(|notice| SessionEvent::Output(format!("{notice}\r\n").into_bytes())),
            // A shell has one screen; the rare separate error stream goes to it too.
            Event::Output(bytes) | Event::Stderr(bytes) => Some(SessionEvent::Output(bytes)),
            Event::Reconnecting { cause } => {
                tracing::warn!(session_id, %cause, "session connection lost; resuming");
                // Shells are opened with the default policy.
                let budget = unyo_session::ReconnectPolicy::default().give_up_after;
                Some(SessionEvent::Reconnecting {
                    cause,
                    gives_up_in_seconds: u32::try_from(budget.as_secs()).unwrap_or(u32::MAX),
                })
            }
            Event::Reconnected => Some(SessionEvent::Reconnected),
            Event::Closed { reason, exit_code } => {
                finish(&ending, &sender, &reason, exit_code).await;
                return;
            }
            other => {
                tracing::debug!(session_id, ?other, "session event");
                None
            }
        };
        let Some(event) = forward else {
            continue;
        };
        if sender.send(event).await.is_err() {
            // Nobody reads the session any more; dropping `events` closes the channel.
            tracing::info!(session_id, "session reader gone; terminating");
            ending.terminate_claimed().await;
            return;
        }
    }
}

/// Reports the end of the session, after terminating it on the service when it did not end
/// there.
async fn finish(
    ending: &Ending,
    sender: &mpsc::Sender<SessionEvent>,
    reason: &CloseReason,
    exit_code: Option<i32>,
) {
    tracing::info!(session_id = ending.session_id(), %reason, "session ended");
    let (end_reason, notice) = match reason {
        CloseReason::ChannelClosed { output } => {
            // The service ended the session; there is nothing left to terminate.
            ending.claim();
            (SessionEndReason::Exited, Some(output.clone()))
        }
        CloseReason::ClosedByClient => {
            ending.terminate_claimed().await;
            (SessionEndReason::Terminated, None)
        }
        other => {
            ending.terminate_claimed().await;
            (SessionEndReason::Terminated, Some(other.to_string()))
        }
    };
    if let Some(notice) = notice.filter(|text| !text.is_empty()) {
        let line = format!("\r\n{notice}\r\n").into_bytes();
        let _ = sender.send(SessionEvent::Output(line)).await;
    }
    let end = SessionEnd {
        reason: end_reason,
        exit_code,
    };
    // A reader that has gone away no longer needs to hear about the end.
    let _ = sender.send(SessionEvent::Closed(end)).await;
}
