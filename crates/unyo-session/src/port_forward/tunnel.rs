//! The tunnel's task: waits for the session to start, then accepts local connections, routes
//! the channel's output to them, publishes the state, and ends the session on request.
//!
//! It never waits on the data channel's input queue (the connections' reading tasks do), so
//! it always drains output and flags; what it waits for instead is room in the receive
//! budget, which is the back-pressure towards the agent.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::{AbortHandle, JoinSet};
use tokio::time::{Instant, MissedTickBehavior};

use super::basic::{Basic, Ended};
use super::mux::Mux;
use super::pump::{Budget, Counters, Framing, Reader};
use super::{ForwardMode, ForwardOptions, TunnelEnd, TunnelPhase, TunnelState};
use crate::agent_version::{self, SMUX_KEEPALIVE_DISABLED_AFTER, TERMINATE_SESSION_FLAG_AFTER};
use crate::channel::{CloseReason, DataChannel, Event, SessionInfo};
use crate::smux;
use crate::stream_payload::FlagCode;

/// How long local connections may take to be flushed and closed when the tunnel ends.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(1);
/// How long accepting pauses after the listener failed (for example, out of descriptors).
const ACCEPT_RETRY: Duration = Duration::from_millis(100);
/// How many waiting events are taken at once. The receive budget may be overrun by one
/// batch, at most this many payloads.
const EVENT_BATCH: usize = 64;

/// What the connection handlers need from the tunnel.
#[derive(Debug)]
pub(super) struct Context {
    pub(super) tasks: JoinSet<()>,
    pub(super) budget: Arc<Budget>,
    pub(super) counters: Arc<Counters>,
    channel: DataChannel,
    done: mpsc::UnboundedSender<u64>,
    read_chunk: usize,
}

impl Context {
    /// A reading task for connection `id`.
    pub(super) fn reader(&self, id: u64, framing: Framing) -> Reader {
        Reader {
            id,
            framing,
            chunk: self.read_chunk,
            channel: self.channel.clone(),
            counters: Arc::clone(&self.counters),
            done: self.done.clone(),
        }
    }
}

#[derive(Debug)]
enum Handler {
    Mux(Mux),
    Basic(Basic),
}

pub(super) struct Tunnel {
    channel: DataChannel,
    events: mpsc::Receiver<Event>,
    listener: TcpListener,
    options: ForwardOptions,
    state: watch::Sender<TunnelState>,
    stop: watch::Receiver<bool>,
    context: Context,
    done: mpsc::UnboundedReceiver<u64>,
    agent_version: Option<String>,
    /// No new connections; the session is being ended.
    stopping: bool,
    /// When to close the channel if the agent has not ended the session by then.
    close_at: Option<Instant>,
    /// Why the tunnel is stopping when it was not asked to.
    cause: Option<TunnelEnd>,
    /// The NOP task for older agents; it would otherwise sleep through the end of the tunnel.
    keepalive: Option<AbortHandle>,
}

impl Tunnel {
    pub(super) fn new(
        channel: DataChannel,
        events: mpsc::Receiver<Event>,
        listener: TcpListener,
        options: ForwardOptions,
        state: watch::Sender<TunnelState>,
        stop: watch::Receiver<bool>,
    ) -> Self {
        let (done_tx, done) = mpsc::unbounded_channel();
        let context = Context {
            tasks: JoinSet::new(),
            budget: Arc::new(Budget::new(options.receive_buffer)),
            counters: Arc::new(Counters::default()),
            channel: channel.clone(),
            done: done_tx,
            read_chunk: options.read_chunk,
        };
        Self {
            channel,
            events,
            listener,
            options,
            state,
            stop,
            context,
            done,
            agent_version: None,
            stopping: false,
            close_at: None,
            cause: None,
            keepalive: None,
        }
    }

    pub(super) async fn run(mut self) {
        let (end, mut handler) = match self.start().await {
            Ok(mut handler) => {
                let end = self.serve(&mut handler).await;
                (end, Some(handler))
            }
            Err(end) => (end, None),
        };
        tracing::info!(%end, "port forwarding ended");
        if let Some(handler) = &mut handler {
            match handler {
                Handler::Mux(mux) => mux.shutdown(),
                Handler::Basic(basic) => basic.shutdown(),
            }
        }
        if let Some(keepalive) = self.keepalive.take() {
            keepalive.abort();
        }
        self.channel.close();
        // Writers flush what was received; readers see the channel gone. Bounded, because a
        // local client that stopped reading would hold its writer for ever.
        let tasks = &mut self.context.tasks;
        let flushed = tokio::time::timeout(FLUSH_TIMEOUT, async {
            while tasks.join_next().await.is_some() {}
        })
        .await;
        if flushed.is_err() {
            tracing::debug!("local connections did not close in time; aborting them");
            tasks.abort_all();
        }
        // The port is free before the tunnel reports itself closed.
        let Self {
            listener,
            state,
            context,
            ..
        } = self;
        drop(listener);
        state.send_modify(|state| {
            state.phase = TunnelPhase::Closed(end);
            state.open_connections = 0;
            state.bytes_sent = context.counters.sent.load(Ordering::Relaxed);
            state.bytes_received = context.counters.received.load(Ordering::Relaxed);
        });
    }

    /// Waits for the session to start and picks the handler for its mode.
    async fn start(&mut self) -> Result<Handler, TunnelEnd> {
        let info = loop {
            tokio::select! {
                changed = self.stop.changed() => {
                    if changed.is_err() || *self.stop.borrow() {
                        return Err(TunnelEnd::Stopped);
                    }
                }
                event = self.events.recv() => match event {
                    Some(Event::Ready(info)) => break info,
                    Some(Event::Closed { reason, .. }) => return Err(TunnelEnd::ChannelEnded(reason)),
                    Some(event) => self.on_connection_event(&event),
                    None => return Err(events_gone()),
                },
            }
        };
        let mode = ForwardMode::for_session(&info)?;
        tracing::info!(?mode, agent_version = ?info.agent_version, "port forwarding started");
        self.agent_version = info.agent_version.clone();
        self.start_keepalive(mode, &info);
        self.state.send_modify(|state| {
            state.phase = TunnelPhase::Listening;
            state.mode = Some(mode);
            state.agent_version = info.agent_version.clone();
        });
        let budget = Arc::clone(&self.context.budget);
        Ok(match mode {
            ForwardMode::Multiplexed => Handler::Mux(Mux::new()),
            ForwardMode::Basic => Handler::Basic(Basic::new(false, budget)),
            ForwardMode::SingleConnection => Handler::Basic(Basic::new(true, budget)),
        })
    }

    /// Agents up to 3.1.1511.0 close a silent smux session; NOPs keep it open (§8.3).
    fn start_keepalive(&mut self, mode: ForwardMode, info: &SessionInfo) {
        let agent = info.agent_version.as_deref().unwrap_or_default();
        if mode != ForwardMode::Multiplexed
            || agent_version::is_after(agent, SMUX_KEEPALIVE_DISABLED_AFTER)
        {
            return;
        }
        let channel = self.channel.clone();
        let period = self.options.smux_keepalive.max(Duration::from_millis(1));
        let task = self.context.tasks.spawn(async move {
            let mut ticks = tokio::time::interval_at(Instant::now() + period, period);
            ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                if channel.send(smux::nop()).await.is_err() {
                    return;
                }
            }
        });
        self.keepalive = Some(task);
    }

    async fn serve(&mut self, handler: &mut Handler) -> TunnelEnd {
        let period = self.options.counters_interval.max(Duration::from_millis(1));
        let mut counters_tick = tokio::time::interval(period);
        counters_tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut batch = Vec::with_capacity(EVENT_BATCH);
        loop {
            let room = self.context.budget.has_room();
            let accepting = !self.stopping
                && match handler {
                    Handler::Mux(_) => true,
                    Handler::Basic(basic) => basic.accepts(),
                };
            tokio::select! {
                changed = self.stop.changed(), if !self.stopping => {
                    // An error means the handle was dropped, which stops the tunnel too.
                    if changed.is_err() || *self.stop.borrow() {
                        self.begin_stop();
                    }
                }
                () = sleep_until(self.close_at) => {
                    tracing::debug!("the agent did not end the session in time; closing");
                    self.close_at = None;
                    self.channel.close();
                }
                taken = self.events.recv_many(&mut batch, EVENT_BATCH), if room => {
                    if taken == 0 {
                        return events_gone();
                    }
                    for event in batch.drain(..) {
                        if let Some(end) = self.on_event(handler, event) {
                            return end;
                        }
                    }
                }
                () = self.context.budget.room(), if !room => {}
                accepted = self.listener.accept(), if accepting => match accepted {
                    Ok((socket, peer)) => self.accept(handler, socket, peer),
                    Err(error) => {
                        tracing::warn!(%error, "accepting a local connection failed");
                        tokio::time::sleep(ACCEPT_RETRY).await;
                    }
                },
                Some(id) = self.done.recv() => {
                    let ended = match handler {
                        Handler::Mux(mux) => {
                            mux.reader_done(id);
                            Ended::Continue
                        }
                        Handler::Basic(basic) => basic.reader_done(id),
                    };
                    self.publish_connections(handler);
                    if ended == Ended::SessionDone && !self.stopping {
                        self.cause.get_or_insert(TunnelEnd::Completed);
                        self.begin_stop();
                    }
                }
                _ = counters_tick.tick() => self.publish_counters(),
            }
        }
    }

    fn accept(&mut self, handler: &mut Handler, socket: TcpStream, peer: std::net::SocketAddr) {
        tracing::debug!(%peer, "local connection accepted");
        // Keystrokes through a forwarded SSH session should not wait for Nagle.
        if let Err(error) = socket.set_nodelay(true) {
            tracing::debug!(%error, "could not turn Nagle off on a local connection");
        }
        // Counted before any of its data can flow.
        self.state.send_modify(|state| state.total_connections += 1);
        match handler {
            Handler::Mux(mux) => mux.accept(socket, &mut self.context),
            Handler::Basic(basic) => basic.accept(socket, &mut self.context),
        }
        self.publish_connections(handler);
    }

    /// Handles one channel event; `Some` when the tunnel is over.
    fn on_event(&mut self, handler: &mut Handler, event: Event) -> Option<TunnelEnd> {
        match event {
            Event::Output(payload) => match handler {
                Handler::Mux(mux) => {
                    let routed = mux.output(&payload);
                    self.publish_connections(handler);
                    if let Err(error) = routed {
                        tracing::warn!(%error, "the agent broke the smux protocol; ending");
                        self.cause.get_or_insert(TunnelEnd::Protocol {
                            detail: error.to_string(),
                        });
                        self.begin_stop();
                    }
                }
                Handler::Basic(basic) => basic.output(payload),
            },
            Event::Flag(FlagCode::CONNECT_TO_PORT_ERROR) => {
                tracing::warn!("the agent could not connect to the destination port");
                self.state.send_modify(|state| state.connect_failures += 1);
            }
            Event::Flag(code) => tracing::debug!(code = code.0, "ignored a flag"),
            Event::Closed { reason, .. } => {
                return Some(match self.cause.take() {
                    Some(cause) => cause,
                    None if self.stopping => TunnelEnd::Stopped,
                    None => TunnelEnd::ChannelEnded(reason),
                });
            }
            Event::Ready(_) | Event::Stderr(_) => {}
            Event::Reconnecting { .. } | Event::Reconnected => self.on_connection_event(&event),
        }
        None
    }

    fn on_connection_event(&mut self, event: &Event) {
        if self.stopping {
            return;
        }
        self.state.send_modify(|state| match event {
            Event::Reconnecting { cause } => {
                state.phase = TunnelPhase::Reconnecting {
                    cause: cause.clone(),
                };
            }
            Event::Reconnected if state.mode.is_some() => state.phase = TunnelPhase::Listening,
            Event::Reconnected => state.phase = TunnelPhase::Starting,
            _ => {}
        });
    }

    /// Stops taking connections and asks the agent to end the session; the channel is closed
    /// if it has not ended after the timeout, or at once for agents without the flag.
    fn begin_stop(&mut self) {
        self.stopping = true;
        self.state
            .send_modify(|state| state.phase = TunnelPhase::Stopping);
        let agent = self.agent_version.as_deref().unwrap_or_default();
        if !agent_version::is_after(agent, TERMINATE_SESSION_FLAG_AFTER) {
            self.channel.close();
            return;
        }
        self.close_at = Some(Instant::now() + self.options.terminate_timeout);
        let channel = self.channel.clone();
        self.context.tasks.spawn(async move {
            // Queued behind data already read from local connections, so that it arrives.
            let _ = channel.send_flag(FlagCode::TERMINATE_SESSION).await;
        });
    }

    fn publish_connections(&self, handler: &Handler) {
        let open = match handler {
            Handler::Mux(mux) => mux.open_connections(),
            Handler::Basic(basic) => basic.open_connections(),
        };
        self.state.send_if_modified(|state| {
            let changed = state.open_connections != open;
            state.open_connections = open;
            changed
        });
    }

    fn publish_counters(&self) {
        let sent = self.context.counters.sent.load(Ordering::Relaxed);
        let received = self.context.counters.received.load(Ordering::Relaxed);
        self.state.send_if_modified(|state| {
            let changed = state.bytes_sent != sent || state.bytes_received != received;
            state.bytes_sent = sent;
            state.bytes_received = received;
            changed
        });
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// The channel always reports `Closed` before its events end, so this follows a bug.
fn events_gone() -> TunnelEnd {
    TunnelEnd::ChannelEnded(CloseReason::Failed {
        detail: "the channel's events ended without a reason".to_owned(),
    })
}
