//! The one task that owns a channel's websocket: it multiplexes received frames, resend and
//! keep-alive timers, the caller's commands and the consumer's pace in a single `select!`, and
//! keeps the session alive across connections (§2.6).
//!
//! A dropped connection never loses input (§16 D2): while the link is down, input still goes
//! into the outgoing buffer, and the normal resend delivers it once a resumed connection
//! stands. Sequence numbers and both buffers live in [`Protocol`], which outlives sockets.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{FutureExt, SinkExt};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior};
use tokio_tungstenite::tungstenite::Message;

use super::link::{Attempt, Failure, Link, LinkEvent, Reconnect};
use super::protocol::{Protocol, Reaction};
use super::reconnect::Backoff;
use super::transport::{self, Socket};
use super::{ChannelOptions, CloseReason, Command, Event};
use crate::kms::{DataKey, DataKeyError, DataKeyFuture, DataKeyRequest};

/// The payload of keep-alive pings, as the plugin sends it.
const KEEPALIVE_PAYLOAD: &[u8] = b"keepalive";
/// How long closing the socket may take at the end of a session.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);
/// A deadline far enough away to stand for "never" in `sleep_until`.
const FAR_FUTURE: Duration = Duration::from_secs(86_400);
/// How many frames that are already waiting are handled in one turn of the loop, before
/// the writes they caused go out together.
const READ_BATCH: usize = 64;
/// How long the caller's KMS may take for a data key; the agent gives each handshake step
/// 15 s (agent issue #636).
const DATA_KEY_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether the loop goes on after handling one thing.
type Flow = Result<(), CloseReason>;

pub(crate) struct Driver {
    protocol: Protocol,
    link: Link,
    options: ChannelOptions,
    backoff: Backoff,
    commands: mpsc::Receiver<Command>,
    close: watch::Receiver<bool>,
    events: mpsc::Sender<Event>,
    /// Events produced but not yet taken by the consumer, oldest first.
    backlog: VecDeque<Event>,
    /// The current outage. It outlasts a connection that drops before carrying session
    /// traffic, so that a server that accepts and drops at once meets the back-off and the
    /// budget instead of a tight loop.
    outage: Option<Outage>,
    /// The data key the handshake waits for.
    data_key: Option<DataKeyFuture>,
}

#[derive(Debug, Clone, Copy)]
struct Outage {
    since: Instant,
    /// Attempts that failed, connections that dropped unused included.
    failed: u32,
}

impl Driver {
    pub(super) fn new(
        socket: Socket,
        options: ChannelOptions,
        commands: mpsc::Receiver<Command>,
        close: watch::Receiver<bool>,
        events: mpsc::Sender<Event>,
    ) -> Self {
        Self {
            protocol: Protocol::new(
                options.send_window,
                options.max_payload,
                options.terminal_size,
            )
            .with_kms(options.kms.clone()),
            link: Link::up(Box::new(socket), Instant::now()),
            backoff: Backoff::new(options.reconnect),
            options,
            commands,
            close,
            events,
            backlog: VecDeque::new(),
            outage: None,
            data_key: None,
        }
    }

    pub(super) async fn run(mut self) {
        let reason = match self.serve().await {
            Ok(()) => CloseReason::ClosedByClient,
            Err(reason) => reason,
        };
        tracing::info!(%reason, "data channel closed");
        if let Link::Up { socket, .. } = &mut self.link {
            // Best effort, and bounded: the session is over whether or not the peer hears it.
            let _ = tokio::time::timeout(CLOSE_TIMEOUT, socket.send(Message::Close(None))).await;
        }
        let exit_code = self.protocol.exit_code();
        self.backlog.push_back(Event::Closed { reason, exit_code });
        for event in self.backlog.drain(..) {
            if self.events.send(event).await.is_err() {
                break;
            }
        }
    }

    /// Runs until the session ends; `Ok` only when the caller closed it.
    async fn serve(&mut self) -> Flow {
        // A zero period would make tokio's interval panic.
        let period = self
            .options
            .keepalive_interval
            .max(Duration::from_millis(1));
        let mut keepalive = tokio::time::interval(period);
        keepalive.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            self.send_staged().await?;
            self.flush().await;
            let resend_at = self
                .link
                .is_up()
                .then(|| self.protocol.next_resend_at())
                .flatten()
                .map(Instant::from_std);
            let accepts_input = self.protocol.accepts_input();
            tokio::select! {
                changed = self.close.changed() => {
                    // An error means every handle is gone, which closes the channel too.
                    if changed.is_err() || *self.close.borrow() {
                        return Ok(());
                    }
                }
                event = self.link.next_event() => {
                    self.on_link_event(event).await?;
                    // Frames that arrived together are handled before their acknowledgements
                    // are flushed: one write for many, instead of a system call each.
                    for _ in 1..READ_BATCH {
                        match self.link.next_event().now_or_never() {
                            Some(event) => self.on_link_event(event).await?,
                            None => break,
                        }
                    }
                }
                () = tokio::time::sleep_until(resend_at.unwrap_or_else(far_future)),
                    if resend_at.is_some() =>
                {
                    if let Some(frame) = self.protocol.poll_resend(std_now()) {
                        tracing::debug!("resending the oldest unacknowledged message");
                        self.write(Message::Binary(frame)).await;
                    }
                }
                _ = keepalive.tick() => self.keep_alive().await?,
                key = data_key(&mut self.data_key), if self.data_key.is_some() => {
                    self.data_key = None;
                    let reaction = self.protocol.data_key_arrived(std_now(), key);
                    self.apply(reaction).await?;
                }
                flushed = hand_over(&self.events, &mut self.backlog),
                    if !self.backlog.is_empty() => flushed?,
                command = self.commands.recv(), if accepts_input => match command {
                    Some(Command::Input(bytes)) => self.protocol.push_input(&bytes),
                    Some(Command::Flag(code)) => self.protocol.push_flag(code),
                    Some(Command::Resize(size)) => self.protocol.resize(size),
                    None => return Ok(()),
                },
            }
        }
    }

    async fn on_link_event(&mut self, event: LinkEvent) -> Flow {
        match event {
            LinkEvent::Frame(Some(Ok(message))) => self.on_message(message).await,
            LinkEvent::Frame(Some(Err(error))) => self.link_lost(error.to_string()),
            LinkEvent::Frame(None) => self.link_lost("the connection closed".to_owned()),
            LinkEvent::Attempt(attempt) => self.on_attempt(attempt).await,
        }
    }

    async fn on_message(&mut self, message: Message) -> Flow {
        let data = matches!(message, Message::Binary(_) | Message::Text(_));
        self.link.heard_from(Instant::now(), data);
        let frame = match message {
            Message::Binary(frame) => frame,
            // Some peers send messages as text frames; the bytes are the same (§2.4).
            Message::Text(text) => Bytes::from(text),
            Message::Close(frame) => {
                // The relay recycles sockets about hourly with `1000 Bye` (§9): a drop, not
                // the end of the session, which only `channel_closed` announces.
                let detail = frame.map_or_else(
                    || "closed by the service".to_owned(),
                    |frame| format!("closed by the service ({} {})", frame.code, frame.reason),
                );
                return self.link_lost(detail);
            }
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => return Ok(()),
        };
        let consumer_ready = self.backlog.len() < self.options.event_backlog;
        let reaction = self.protocol.receive(std_now(), &frame, consumer_ready);
        self.apply(reaction).await
    }

    async fn apply(&mut self, reaction: Reaction) -> Flow {
        if let Some(request) = reaction.data_key {
            self.data_key = self.ask_for_data_key(request);
        }
        self.backlog.extend(reaction.events);
        for frame in reaction.frames {
            self.write(Message::Binary(frame)).await;
        }
        match reaction.closed {
            Some(reason) => Err(reason),
            None => Ok(()),
        }
    }

    /// Starts the caller's KMS call, bounded by [`DATA_KEY_TIMEOUT`].
    fn ask_for_data_key(&self, request: DataKeyRequest) -> Option<DataKeyFuture> {
        let source = std::sync::Arc::clone(&self.options.kms.as_ref()?.data_keys);
        Some(Box::pin(async move {
            tokio::time::timeout(DATA_KEY_TIMEOUT, source.generate_data_key(request))
                .await
                .unwrap_or_else(|_| {
                    Err(DataKeyError(format!(
                        "KMS did not answer within {DATA_KEY_TIMEOUT:?}"
                    )))
                })
        }))
    }

    /// Numbers staged input into messages while the window allows, and writes them when a
    /// connection stands; otherwise they wait in the buffer for the resend after a resume.
    async fn send_staged(&mut self) -> Flow {
        for frame in self.protocol.take_sends(std_now())? {
            self.write(Message::Binary(frame)).await;
        }
        Ok(())
    }

    /// Queues a frame on the current connection, if there is one that still takes writes;
    /// [`Driver::flush`] sends what was queued. A failed write marks the connection; the
    /// read side then reports its end (after any frames still buffered), or the next
    /// keep-alive tick gives it up. What was not written stays in the outgoing buffer and is
    /// resent on the next connection.
    async fn write(&mut self, message: Message) {
        let Link::Up {
            socket,
            write_failed: None,
            ..
        } = &mut self.link
        else {
            return;
        };
        let fed = socket.feed(message).await;
        self.note_write(fed);
    }

    /// Sends the frames queued since the last flush.
    async fn flush(&mut self) {
        let Link::Up {
            socket,
            write_failed: None,
            ..
        } = &mut self.link
        else {
            return;
        };
        let flushed = socket.flush().await;
        self.note_write(flushed);
    }

    fn note_write(&mut self, result: Result<(), tokio_tungstenite::tungstenite::Error>) {
        if let Err(error) = result {
            tracing::debug!(%error, "write failed; reading what the peer sent before");
            if let Link::Up { write_failed, .. } = &mut self.link {
                *write_failed = Some(format!("write failed: {error}"));
            }
        }
    }

    async fn keep_alive(&mut self) -> Flow {
        let now = Instant::now();
        if self.protocol.is_stalled(std_now()) {
            return Err(CloseReason::Stalled);
        }
        let (silent_for, write_failed) = match &self.link {
            Link::Up {
                heard_at,
                write_failed,
                ..
            } => (
                now.saturating_duration_since(*heard_at),
                write_failed.clone(),
            ),
            Link::Down(_) => return Ok(()),
        };
        if let Some(cause) = write_failed {
            return self.link_lost(cause);
        }
        if silent_for >= self.options.dead_after {
            return self.link_lost(format!("nothing received for {silent_for:?}"));
        }
        let ping = Message::Ping(Bytes::from_static(KEEPALIVE_PAYLOAD));
        self.write(ping).await;
        Ok(())
    }

    /// Replaces a dropped connection with a reconnection, or ends the session when it
    /// cannot be resumed.
    fn link_lost(&mut self, cause: String) -> Flow {
        let now = Instant::now();
        let Some(resume) = self.options.resume.clone() else {
            return Err(CloseReason::ConnectionLost { detail: cause });
        };
        tracing::warn!(%cause, "data channel connection lost; resuming");
        let outage = match self.outage {
            Some(outage) if !self.link.was_proven() => Outage {
                failed: outage.failed.saturating_add(1),
                ..outage
            },
            _ => Outage {
                since: now,
                failed: 0,
            },
        };
        self.outage = Some(outage);
        let first_try_at = self.next_try(outage, now, &cause)?;
        let client_id = self.options.client_id;
        let timeout = self.options.connect_timeout;
        let attempt: Attempt = Arc::new(move || {
            let resume = Arc::clone(&resume);
            Box::pin(async move {
                let endpoint = tokio::time::timeout(timeout, resume.resume())
                    .await
                    .map_err(|_| Failure::Retry(format!("no endpoint within {timeout:?}")))?
                    .map_err(Failure::from)?;
                transport::open(&endpoint, client_id, timeout)
                    .await
                    .map(Box::new)
                    .map_err(|error| Failure::Retry(error.to_string()))
            })
        });
        self.link = Link::Down(Reconnect::new(attempt, first_try_at));
        self.backlog.push_back(Event::Reconnecting { cause });
        Ok(())
    }

    async fn on_attempt(&mut self, result: Result<Box<Socket>, Failure>) -> Flow {
        let now = Instant::now();
        match result {
            Ok(socket) => {
                tracing::info!("data channel resumed");
                self.link = Link::up(socket, now);
                self.backlog.push_back(Event::Reconnected);
                for frame in self.protocol.connection_replaced(std_now()) {
                    self.write(Message::Binary(frame)).await;
                }
                Ok(())
            }
            Err(Failure::Expired(detail)) => Err(CloseReason::SessionExpired { detail }),
            Err(Failure::Retry(error)) => {
                let Some(outage) = self.outage.as_mut() else {
                    return Err(CloseReason::Failed {
                        detail: "a resume attempt ended outside an outage".to_owned(),
                    });
                };
                outage.failed = outage.failed.saturating_add(1);
                let outage = *outage;
                let next = self.next_try(outage, now, &error)?;
                tracing::debug!(failed = outage.failed, %error, "resume attempt failed");
                if let Link::Down(reconnect) = &mut self.link {
                    reconnect.retry_at(next);
                }
                Ok(())
            }
        }
    }

    /// When to try next in `outage`: at once after a working connection dropped, after the
    /// back-off otherwise; an error once the budget would be exceeded.
    fn next_try(
        &mut self,
        outage: Outage,
        now: Instant,
        last_error: &str,
    ) -> Result<Instant, CloseReason> {
        if outage.failed == 0 {
            return Ok(now);
        }
        let next = now + self.backoff.delay(outage.failed);
        let budget = self.backoff.give_up_after();
        if next.saturating_duration_since(outage.since) > budget {
            return Err(CloseReason::ConnectionLost {
                detail: format!(
                    "gave up resuming after {} failed attempts in {budget:?}: {last_error}",
                    outage.failed
                ),
            });
        }
        Ok(next)
    }
}

/// Hands waiting events to the consumer once it has room: the oldest when room comes, and
/// then as many more as fit without waiting. A consumer that went away closes the channel.
async fn hand_over(events: &mpsc::Sender<Event>, backlog: &mut VecDeque<Event>) -> Flow {
    let permit = events
        .reserve()
        .await
        .map_err(|_| CloseReason::ClosedByClient)?;
    if let Some(event) = backlog.pop_front() {
        permit.send(event);
    }
    while !backlog.is_empty() {
        let Ok(permit) = events.try_reserve() else {
            break;
        };
        if let Some(event) = backlog.pop_front() {
            permit.send(event);
        }
    }
    Ok(())
}

/// The outcome of the pending data key request; never ready without one.
async fn data_key(pending: &mut Option<DataKeyFuture>) -> Result<DataKey, DataKeyError> {
    match pending {
        Some(key) => key.await,
        None => std::future::pending().await,
    }
}

/// The clock the delivery state machines read; tokio's, so that a paused test clock holds.
fn std_now() -> std::time::Instant {
    Instant::now().into_std()
}

fn far_future() -> Instant {
    Instant::now() + FAR_FUTURE
}
