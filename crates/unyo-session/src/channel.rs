//! The data channel over a websocket: [`DataChannel::connect`] opens the `StreamUrl`, and one
//! tokio task then owns the socket for the life of the session. It numbers and resends input,
//! reorders and acknowledges output, answers the handshake, pings the socket, and resumes the
//! session through the caller's [`ResumeSession`] callback when the connection drops.
//!
//! The caller holds a cheap [`DataChannel`] handle (input, terminal size, close) and reads
//! [`Event`]s from a bounded receiver. A slow reader is never buffered without limit: past
//! [`ChannelOptions::event_backlog`] output is left unacknowledged and the agent resends it.

mod answer;
mod driver;
mod encryption;
mod link;
mod protocol;
mod reconnect;
mod transport;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use uuid::Uuid;

pub use reconnect::{Endpoint, ReconnectPolicy, ResumeError, ResumeFuture, ResumeSession};
pub use transport::TransportError;

use crate::kms::KmsOptions;
use crate::session_type::SessionTypeRequest;
use crate::stream_payload::{FlagCode, TerminalSize};

/// Tuning of one channel. `Default` gives the production values.
#[derive(Clone)]
pub struct ChannelOptions {
    /// Sent in every OpenDataChannel frame of the session, so the service recognises a
    /// resumed client.
    pub client_id: Uuid,
    /// The terminal size to report when a shell starts; see [`DataChannel::resize`].
    pub terminal_size: Option<TerminalSize>,
    /// Called for a fresh endpoint when the connection drops; without it a drop ends the
    /// session.
    pub resume: Option<Arc<dyn ResumeSession>>,
    pub reconnect: ReconnectPolicy,
    /// How often the socket is pinged; idle sockets behind proxies are cut after a few
    /// minutes (plugin issue #15).
    pub keepalive_interval: Duration,
    /// A connection that has received nothing, not even a pong, for this long is treated as
    /// dropped and resumed.
    pub dead_after: Duration,
    /// The longest one attempt to resume and reconnect may take.
    pub connect_timeout: Duration,
    /// The largest input payload; bigger input is cut, queued keystrokes are merged.
    pub max_payload: usize,
    /// How many input messages may wait for acknowledgement: the pace of sending.
    pub send_window: usize,
    /// How many events may wait for the consumer before output is left to the agent's resend.
    pub event_backlog: usize,
    /// Where data keys come from when the agent asks for KMS encryption; without it such
    /// sessions are refused.
    pub kms: Option<KmsOptions>,
}

impl Default for ChannelOptions {
    fn default() -> Self {
        Self {
            client_id: Uuid::new_v4(),
            terminal_size: None,
            resume: None,
            reconnect: ReconnectPolicy::default(),
            keepalive_interval: Duration::from_secs(30),
            dead_after: Duration::from_secs(90),
            connect_timeout: Duration::from_secs(15),
            max_payload: 1024,
            send_window: 64,
            event_backlog: 256,
            kms: None,
        }
    }
}

impl ChannelOptions {
    /// These options with `resume` as the callback that supplies a fresh endpoint.
    pub fn with_resume(mut self, resume: impl ResumeSession + 'static) -> Self {
        self.resume = Some(Arc::new(resume));
        self
    }

    /// These options accepting KMS encryption with `kms`.
    pub fn with_kms(mut self, kms: KmsOptions) -> Self {
        self.kms = Some(kms);
        self
    }
}

impl fmt::Debug for ChannelOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChannelOptions")
            .field("client_id", &self.client_id)
            .field("terminal_size", &self.terminal_size)
            .field("resume", &self.resume.as_ref().map(|_| "<callback>"))
            .field("reconnect", &self.reconnect)
            .field("keepalive_interval", &self.keepalive_interval)
            .field("dead_after", &self.dead_after)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_payload", &self.max_payload)
            .field("send_window", &self.send_window)
            .field("event_backlog", &self.event_backlog)
            .field("kms", &self.kms)
            .finish()
    }
}

/// What the channel reports, in order. [`Event::Closed`] is always the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The session started: input is sent from now on.
    Ready(SessionInfo),
    /// Bytes for the terminal (or the port), in order, each exactly once.
    Output(Vec<u8>),
    /// Standard error of a non-interactive command run with separate streams.
    Stderr(Vec<u8>),
    /// A flag message from the agent, in stream order with the output: in port sessions
    /// [`FlagCode::CONNECT_TO_PORT_ERROR`] says the destination could not be reached.
    Flag(FlagCode),
    /// The connection dropped; the session is being resumed. Input is kept meanwhile.
    Reconnecting { cause: String },
    /// The session is connected again; nothing was lost.
    Reconnected,
    /// The session is over.
    Closed {
        reason: CloseReason,
        /// The exit code a non-interactive command reported, if any.
        exit_code: Option<i32>,
    },
}

/// What the agent said about the session at its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// From the handshake; a shell (`Standard_Stream`) when the agent skipped it.
    pub session: SessionTypeRequest,
    pub agent_version: Option<String>,
    /// Text for the user from the handshake completion, such as an encryption notice.
    pub notice: Option<String>,
}

/// Why the session ended.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CloseReason {
    /// The service ended it (`channel_closed`), for example after the shell exited or an idle
    /// timeout; `output` is its explanation and may be empty.
    #[error("the session ended: {output}")]
    ChannelClosed { output: String },
    /// The agent asked for something this client refuses (KMS encryption without
    /// [`ChannelOptions::kms`], an unknown session type) and ended the session.
    #[error("the session needs a feature this client does not support: {detail}")]
    Unsupported { detail: String },
    /// KMS encryption failed: no data key (KMS refused or failed), or a payload that could
    /// not be decrypted.
    #[error("session encryption failed: {detail}")]
    Encryption { detail: String },
    /// [`DataChannel::close`] was called, or every handle was dropped.
    #[error("the session was closed")]
    ClosedByClient,
    /// The connection dropped and could not be resumed in time.
    #[error("the connection was lost: {detail}")]
    ConnectionLost { detail: String },
    /// The service says the session can no longer be resumed, usually after a timeout.
    #[error("the session has expired: {detail}")]
    SessionExpired { detail: String },
    /// Input went unacknowledged for five minutes while the connection stood.
    #[error("the agent stopped acknowledging input")]
    Stalled,
    /// An internal failure that leaves the stream unusable.
    #[error("the data channel failed: {detail}")]
    Failed { detail: String },
}

/// The channel has ended; see the [`Event::Closed`] it reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the data channel is closed")]
pub struct ChannelGone;

/// What the handle asks of the driver.
#[derive(Debug)]
enum Command {
    Input(Vec<u8>),
    Flag(FlagCode),
    Resize(TerminalSize),
}

/// A handle to a running data channel. Clones share the channel; when every clone is dropped
/// the channel closes.
#[derive(Debug, Clone)]
pub struct DataChannel {
    commands: mpsc::Sender<Command>,
    close: Arc<watch::Sender<bool>>,
}

/// How many commands may queue between the handles and the driver.
const COMMAND_QUEUE: usize = 64;
/// How many events may queue between the driver and the consumer; the driver's own backlog
/// ([`ChannelOptions::event_backlog`]) comes on top.
const EVENT_QUEUE: usize = 64;

impl DataChannel {
    /// Connects to `endpoint` (the `StreamUrl` and `TokenValue` of `StartSession`), sends
    /// the OpenDataChannel frame and starts the channel's task on the current tokio runtime.
    ///
    /// The first connection is tried once: the caller just called `StartSession` and can
    /// report the failure. Later drops are resumed as [`ChannelOptions::resume`] allows.
    pub async fn connect(
        endpoint: Endpoint,
        options: ChannelOptions,
    ) -> Result<(Self, mpsc::Receiver<Event>), TransportError> {
        let socket = transport::open(&endpoint, options.client_id, options.connect_timeout).await?;
        let (commands, command_rx) = mpsc::channel(COMMAND_QUEUE);
        let (close, close_rx) = watch::channel(false);
        let (event_tx, events) = mpsc::channel(EVENT_QUEUE);
        let driver = driver::Driver::new(socket, options, command_rx, close_rx, event_tx);
        tokio::spawn(driver.run());
        let channel = Self {
            commands,
            close: Arc::new(close),
        };
        Ok((channel, events))
    }

    /// Sends input bytes (keystrokes, pasted text, forwarded TCP data). Waits while the
    /// channel's queue is full, which is the back-pressure of a slow connection. Input given
    /// before the session starts is held until it does.
    pub async fn send(&self, bytes: impl Into<Vec<u8>>) -> Result<(), ChannelGone> {
        let bytes = bytes.into();
        if bytes.is_empty() {
            return Ok(());
        }
        self.command(Command::Input(bytes)).await
    }

    /// Sends a flag message (§8.4), such as `DisconnectToPort` or `TerminateSession` in port
    /// sessions. It goes out after all input given before it, with its own sequence number.
    pub async fn send_flag(&self, code: FlagCode) -> Result<(), ChannelGone> {
        self.command(Command::Flag(code)).await
    }

    /// Reports the terminal size of a shell session; the latest one is sent when the shell
    /// starts and whenever it changes.
    pub async fn resize(&self, cols: u32, rows: u32) -> Result<(), ChannelGone> {
        self.command(Command::Resize(TerminalSize { cols, rows }))
            .await
    }

    /// Ends the session from this side: the socket is closed and [`Event::Closed`] reports
    /// [`CloseReason::ClosedByClient`]. Terminating the session on the service
    /// (`ssm:TerminateSession`) is the caller's part.
    pub fn close(&self) {
        self.close.send_replace(true);
    }

    /// Whether the channel's task has ended.
    pub fn is_closed(&self) -> bool {
        self.commands.is_closed()
    }

    async fn command(&self, command: Command) -> Result<(), ChannelGone> {
        self.commands.send(command).await.map_err(|_| ChannelGone)
    }
}
