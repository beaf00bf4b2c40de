//! The driver's connection state: a websocket that stands, or a reconnection in progress.
//! Both yield their next happening through one cancel-safe [`Link::next_event`], so that the
//! driver's `select!` needs a single branch for "the network did something".

use std::future::{self, Future};
use std::pin::Pin;
use std::sync::Arc;

use futures_util::StreamExt;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::{self, Message};

use super::ResumeError;
use super::transport::Socket;

/// One try at resuming: ask for a fresh endpoint, connect, send OpenDataChannel.
/// Sockets are boxed: they are large, and the link moves between states.
pub(crate) type AttemptFuture = Pin<Box<dyn Future<Output = Result<Box<Socket>, Failure>> + Send>>;
/// Starts a new [`AttemptFuture`] each time it is called.
pub(crate) type Attempt = Arc<dyn Fn() -> AttemptFuture + Send + Sync>;

/// Why one attempt to resume failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Worth another attempt after a wait.
    Retry(String),
    /// The session cannot be resumed at all.
    Expired(String),
}

impl From<ResumeError> for Failure {
    fn from(error: ResumeError) -> Self {
        match error {
            ResumeError::Expired(detail) => Self::Expired(detail),
            ResumeError::Unavailable(detail) => Self::Retry(detail),
        }
    }
}

pub(crate) enum Link {
    Up {
        socket: Box<Socket>,
        /// When anything, a pong included, last arrived: the liveness clock.
        heard_at: Instant,
        /// Whether session traffic arrived on this connection. A connection that drops
        /// before any does is not counted as the end of an outage.
        proven: bool,
        /// Why a write failed. The connection is not given up at once: frames the peer sent
        /// before it closed, `channel_closed` above all, are still to be read.
        write_failed: Option<String>,
    },
    Down(Reconnect),
}

/// What the link produced.
pub(crate) enum LinkEvent {
    /// The next websocket message; `None` when the stream ended.
    Frame(Option<Result<Message, tungstenite::Error>>),
    /// The outcome of a resume attempt.
    Attempt(Result<Box<Socket>, Failure>),
}

impl Link {
    pub(crate) fn up(socket: Box<Socket>, now: Instant) -> Self {
        Self::Up {
            socket,
            heard_at: now,
            proven: false,
            write_failed: None,
        }
    }

    pub(crate) fn is_up(&self) -> bool {
        matches!(self, Self::Up { .. })
    }

    /// Records that something arrived; `session_traffic` for data frames.
    pub(crate) fn heard_from(&mut self, now: Instant, session_traffic: bool) {
        if let Self::Up {
            heard_at, proven, ..
        } = self
        {
            *heard_at = now;
            *proven |= session_traffic;
        }
    }

    pub(crate) fn was_proven(&self) -> bool {
        matches!(self, Self::Up { proven: true, .. })
    }

    /// Waits for the next message or attempt outcome. Cancel-safe: a pending attempt is kept
    /// in the link and resumed by the next call.
    pub(crate) async fn next_event(&mut self) -> LinkEvent {
        match self {
            Self::Up { socket, .. } => LinkEvent::Frame(socket.next().await),
            Self::Down(reconnect) => LinkEvent::Attempt(reconnect.step().await),
        }
    }
}

/// A reconnection in progress: the attempt factory and when the next attempt starts.
pub(crate) struct Reconnect {
    attempt: Attempt,
    next_try_at: Instant,
    running: Option<AttemptFuture>,
}

impl Reconnect {
    pub(crate) fn new(attempt: Attempt, first_try_at: Instant) -> Self {
        Self {
            attempt,
            next_try_at: first_try_at,
            running: None,
        }
    }

    async fn step(&mut self) -> Result<Box<Socket>, Failure> {
        if self.running.is_none() {
            tokio::time::sleep_until(self.next_try_at).await;
            self.running = Some((self.attempt)());
        }
        let result = match self.running.as_mut() {
            Some(running) => running.await,
            None => future::pending().await,
        };
        self.running = None;
        result
    }

    /// Schedules the next attempt after a failed one.
    pub(crate) fn retry_at(&mut self, at: Instant) {
        self.next_try_at = at;
    }
}
