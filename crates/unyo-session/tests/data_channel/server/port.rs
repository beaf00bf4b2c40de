//! The agent's port plugin (§8): basic forwarding to one destination connection at a time,
//! or an smux v1 server that gives every stream its own destination connection. Written from
//! the protocol notes (§8.1, §8.3, §16 D14) and independent of the client's smux module, so
//! that the two do not share a misreading.
//!
//! Like the agent, it dials the destination for basic sessions at the start and again after
//! `DisconnectToPort`, cuts what it sends into payloads regardless of smux frame boundaries,
//! answers a stream it cannot connect with `ConnectToPortError` and a `FIN`, closes a stream
//! and its destination connection together, and stops taking input (no acknowledgement)
//! while its destinations lag behind.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;
use tokio::task::AbortHandle;
use tokio::time::Instant;

use super::Shared;

/// Flag codes (§8.4).
pub const DISCONNECT_TO_PORT: u32 = 1;
pub const TERMINATE_SESSION: u32 = 2;
const CONNECT_TO_PORT_ERROR: u32 = 3;

/// Bytes the destinations may lag behind before input is left unacknowledged.
const TARGET_BACKLOG: usize = 4 * 1024 * 1024;
/// What the agent reads at once in mux mode, `io.Copy`'s buffer; in basic mode it reads a
/// payload's worth.
const MUX_READ: usize = 32 * 1024;
const SMUX_HEADER: usize = 8;

/// How the far side of a port session behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortBackend {
    /// What the agent reports; it multiplexes only after 3.0.196.0, as real agents do.
    pub agent_version: &'static str,
    /// A forwarding document (`type: LocalPortForwarding`); otherwise an SSH session.
    pub forwarding: bool,
    /// Where the destination listens.
    pub target: SocketAddr,
    /// The most bytes per output payload (the agent's 1024 by default), and what a basic
    /// session reads from its destination at once.
    pub output_payload: usize,
    /// smux keep-alive as older agents run it: a NOP every third of this, and the session
    /// ends when no frame arrived for this long.
    pub keepalive_timeout: Option<Duration>,
}

impl PortBackend {
    pub fn forwarding(agent_version: &'static str, target: SocketAddr) -> Self {
        Self {
            agent_version,
            forwarding: true,
            target,
            output_payload: 1024,
            keepalive_timeout: None,
        }
    }

    /// The session type action parameters' properties, as the documents substitute them.
    pub fn properties(&self) -> serde_json::Value {
        let port = self.target.port().to_string();
        if self.forwarding {
            serde_json::json!({"portNumber": port, "type": "LocalPortForwarding",
                "localPortNumber": "0"})
        } else {
            serde_json::json!({"portNumber": port})
        }
    }

    fn multiplexed(&self) -> bool {
        self.forwarding && newer(self.agent_version, "3.0.196.0")
    }
}

/// Whether dotted version `a` is greater than `b`.
fn newer(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap()).collect() };
    parts(a) > parts(b)
}

/// What the port plugin asks the agent's data channel to do.
#[derive(Debug)]
pub enum Out {
    Output(Vec<u8>),
    Flag(u32),
    Close(String),
}

/// From the destination connections' reading tasks.
#[derive(Debug)]
pub enum TargetEvent {
    Data(u64, Vec<u8>),
    End(u64),
}

struct Target {
    writer: mpsc::UnboundedSender<Vec<u8>>,
    reader: AbortHandle,
}

impl Drop for Target {
    fn drop(&mut self) {
        // Dropping the writer's sender lets it finish what was queued; the read side stops
        // at once, so the destination sees its connection closed.
        self.reader.abort();
    }
}

pub struct PortAgent {
    backend: PortBackend,
    mux: bool,
    shared: Arc<Shared>,
    /// smux bytes received and not yet read as frames.
    inbound: Vec<u8>,
    /// Destination connections by smux stream id, or the one basic connection by number.
    targets: HashMap<u64, Target>,
    next_basic: u64,
    events_tx: mpsc::Sender<TargetEvent>,
    pub events: mpsc::Receiver<TargetEvent>,
    queued: Arc<AtomicUsize>,
    last_frame_at: Instant,
    last_nop_at: Instant,
}

impl PortAgent {
    pub fn new(backend: PortBackend, shared: Arc<Shared>) -> Self {
        let (events_tx, events) = mpsc::channel(8);
        Self {
            backend,
            mux: backend.multiplexed(),
            shared,
            inbound: Vec::new(),
            targets: HashMap::new(),
            next_basic: 0,
            events_tx,
            events,
            queued: Arc::new(AtomicUsize::new(0)),
            last_frame_at: Instant::now(),
            last_nop_at: Instant::now(),
        }
    }

    /// Whether input may be processed now: the destinations keep up.
    pub fn ready(&self) -> bool {
        self.queued.load(Ordering::Acquire) < TARGET_BACKLOG
    }

    /// After the handshake: basic sessions connect to the destination straight away.
    pub async fn start(&mut self) -> Vec<Out> {
        self.last_frame_at = Instant::now();
        if self.mux {
            return Vec::new();
        }
        match self.dial_basic().await {
            true => Vec::new(),
            false => vec![Out::Close("Unable to connect to specified port".to_owned())],
        }
    }

    pub async fn input(&mut self, payload: Vec<u8>) -> Vec<Out> {
        self.shared.stats().port_input += payload.len() as u64;
        if !self.mux {
            if self.targets.is_empty() && !self.dial_basic().await {
                return vec![Out::Close("Unable to connect to specified port".to_owned())];
            }
            self.write(self.next_basic, payload);
            return Vec::new();
        }
        self.inbound.extend_from_slice(&payload);
        let mut outs = Vec::new();
        while let Some((command, stream, data)) = self.next_frame() {
            self.last_frame_at = Instant::now();
            match command {
                0 => {
                    self.shared.stats().smux_syns += 1;
                    if !self.dial(u64::from(stream), MUX_READ).await {
                        outs.push(Out::Flag(CONNECT_TO_PORT_ERROR));
                        outs.extend(self.frame_out(1, stream, &[]));
                    }
                }
                1 => {
                    self.shared.stats().smux_fins += 1;
                    if self.targets.remove(&u64::from(stream)).is_some() {
                        outs.extend(self.frame_out(1, stream, &[]));
                    }
                }
                2 => self.write(u64::from(stream), data),
                3 => self.shared.stats().smux_nops += 1,
                other => panic!("the client sent smux command {other}"),
            }
        }
        outs
    }

    pub fn flag(&mut self, code: u32) -> Vec<Out> {
        self.shared.stats().port_flags.push(code);
        match code {
            DISCONNECT_TO_PORT => {
                // The next data dials again.
                self.targets.clear();
                Vec::new()
            }
            TERMINATE_SESSION => vec![Out::Close(String::new())],
            _ => Vec::new(),
        }
    }

    pub fn target_event(&mut self, event: TargetEvent) -> Vec<Out> {
        match event {
            TargetEvent::Data(id, data) if self.targets.contains_key(&id) => {
                self.shared.stats().target_output += data.len() as u64;
                if self.mux {
                    let stream = u32::try_from(id).unwrap();
                    self.frame_out(2, stream, &data)
                } else {
                    self.chunks(&data)
                }
            }
            TargetEvent::End(id) if self.targets.remove(&id).is_some() => {
                if self.mux {
                    self.frame_out(1, u32::try_from(id).unwrap(), &[])
                } else if self.backend.forwarding {
                    // The destination closed: the agent dials again on the next data.
                    Vec::new()
                } else {
                    vec![Out::Close(String::new())]
                }
            }
            // From a connection already closed.
            TargetEvent::Data(..) | TargetEvent::End(_) => Vec::new(),
        }
    }

    /// smux keep-alive of older agents: NOPs out, and the end of a silent session.
    pub fn tick(&mut self, now: Instant) -> Vec<Out> {
        let Some(timeout) = self.backend.keepalive_timeout.filter(|_| self.mux) else {
            return Vec::new();
        };
        if now.duration_since(self.last_frame_at) > timeout {
            return vec![Out::Close("smux keep-alive timed out".to_owned())];
        }
        if now.duration_since(self.last_nop_at) > timeout / 3 {
            self.last_nop_at = now;
            return self.frame_out(3, 0, &[]);
        }
        Vec::new()
    }

    /// The next complete frame: (command, stream, data).
    fn next_frame(&mut self) -> Option<(u8, u32, Vec<u8>)> {
        if self.inbound.len() < SMUX_HEADER {
            return None;
        }
        let header = &self.inbound[..SMUX_HEADER];
        assert_eq!(header[0], 1, "smux version");
        let command = header[1];
        let length = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let stream = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        let body = if command == 2 { length } else { 0 };
        if self.inbound.len() < SMUX_HEADER + body {
            return None;
        }
        let data = self.inbound[SMUX_HEADER..SMUX_HEADER + body].to_vec();
        self.inbound.drain(..SMUX_HEADER + body);
        Some((command, stream, data))
    }

    fn frame_out(&self, command: u8, stream: u32, data: &[u8]) -> Vec<Out> {
        let mut bytes = Vec::with_capacity(SMUX_HEADER + data.len());
        bytes.extend_from_slice(&[1, command]);
        bytes.extend_from_slice(&u16::try_from(data.len()).unwrap().to_le_bytes());
        bytes.extend_from_slice(&stream.to_le_bytes());
        bytes.extend_from_slice(data);
        self.chunks(&bytes)
    }

    fn chunks(&self, bytes: &[u8]) -> Vec<Out> {
        bytes
            .chunks(self.backend.output_payload)
            .map(|chunk| Out::Output(chunk.to_vec()))
            .collect()
    }

    fn write(&self, id: u64, data: Vec<u8>) {
        let Some(target) = self.targets.get(&id) else {
            return;
        };
        let len = data.len();
        self.queued.fetch_add(len, Ordering::AcqRel);
        if target.writer.send(data).is_err() {
            self.queued.fetch_sub(len, Ordering::AcqRel);
        }
    }

    async fn dial_basic(&mut self) -> bool {
        self.next_basic += 1;
        self.dial(self.next_basic, self.backend.output_payload)
            .await
    }

    async fn dial(&mut self, id: u64, read_size: usize) -> bool {
        self.shared.stats().target_dials += 1;
        let Ok(socket) = TcpStream::connect(self.backend.target).await else {
            return false;
        };
        socket.set_nodelay(true).unwrap();
        let (read, write) = socket.into_split();
        let (writer, rx) = mpsc::unbounded_channel();
        tokio::spawn(write_target(write, rx, Arc::clone(&self.queued)));
        let reader = tokio::spawn(read_target(read, id, self.events_tx.clone(), read_size));
        self.targets.insert(
            id,
            Target {
                writer,
                reader: reader.abort_handle(),
            },
        );
        true
    }
}

async fn write_target(
    mut socket: OwnedWriteHalf,
    mut data: mpsc::UnboundedReceiver<Vec<u8>>,
    queued: Arc<AtomicUsize>,
) {
    while let Some(chunk) = data.recv().await {
        let written = socket.write_all(&chunk).await;
        queued.fetch_sub(chunk.len(), Ordering::AcqRel);
        if written.is_err() {
            data.close();
            while let Some(chunk) = data.recv().await {
                queued.fetch_sub(chunk.len(), Ordering::AcqRel);
            }
            return;
        }
    }
}

async fn read_target(
    mut socket: OwnedReadHalf,
    id: u64,
    events: mpsc::Sender<TargetEvent>,
    read_size: usize,
) {
    let mut buffer = vec![0; read_size];
    loop {
        let event = match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => TargetEvent::End(id),
            Ok(len) => TargetEvent::Data(id, buffer[..len].to_vec()),
        };
        let end = matches!(event, TargetEvent::End(_));
        if events.send(event).await.is_err() || end {
            return;
        }
    }
}
