//! Interactive sessions on an instance, whichever Cloud opens them: a byte stream in each
//! direction, like a terminal attached to a shell. The practice account serves them from a
//! simulated shell; real accounts through the Session Manager data channel.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use ts_rs::TS;

use crate::AppError;

/// How many output events may wait for a slow reader before the producer waits too.
pub const EVENT_BUFFER: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TerminalSize {
    pub cols: u16,
    pub rows: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SessionEndReason {
    /// The remote shell exited (the user typed `exit`).
    Exited,
    /// The user closed the session; it was terminated.
    Terminated,
}

/// Why and how a session ended, shown in the terminal and recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SessionEnd {
    pub reason: SessionEndReason,
    pub exit_code: Option<i32>,
}

/// What a session sends back, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    Output(Vec<u8>),
    /// The connection dropped and the session is being resumed; typing waits and nothing is
    /// lost. Unyo gives up `gives_up_in_seconds` after the drop.
    Reconnecting {
        cause: String,
        gives_up_in_seconds: u32,
    },
    /// Connected again after [`SessionEvent::Reconnecting`].
    Reconnected,
    Closed(SessionEnd),
}

/// The client's side of an open session. Output arrives on the receiver returned with it.
#[async_trait]
pub trait ShellSession: Send + Sync + std::fmt::Debug {
    /// The session id (Session Manager's `SessionId`, or the practice account's own).
    fn id(&self) -> &str;

    /// Sends keystrokes or pasted text.
    async fn write(&self, input: &[u8]) -> Result<(), AppError>;

    /// Tells the far end the terminal's new size.
    async fn resize(&self, size: TerminalSize) -> Result<(), AppError>;

    /// Ends the session (Session Manager's `TerminateSession`); idempotent.
    async fn terminate(&self) -> Result<(), AppError>;
}

/// A session just opened: its handle, and the stream of what it prints.
#[derive(Debug)]
pub struct OpenedShell {
    pub session: Arc<dyn ShellSession>,
    pub events: mpsc::Receiver<SessionEvent>,
}
