//! A loopback stand-in for the far side of a data channel: the relay service (tokens, resume,
//! publication notices, `channel_closed`) and the agent (handshake, reliable delivery, an
//! echo shell) in one process, written from the protocol notes rather than from the client's
//! code, so that the two sides do not share their mistakes.
//!
//! Faults are configured per test and fire on fixed counts, so every run is the same. The
//! server binds to 127.0.0.1 on a free port and lives as long as its [`TestServer`] handle.

mod agent;
mod frames;
mod kms;
mod port;

pub use agent::PROMPT;
pub use kms::{ENCRYPTED_NOTICE, fake_kms};
pub use port::{DISCONNECT_TO_PORT, PortBackend, TERMINATE_SESSION};

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
use unyo_session::{Endpoint, HandshakeResponse, OpenDataChannel, TerminalSize};
use uuid::Uuid;

/// What the agent does first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Prints the prompt straight away, as old agents and plain shells do.
    Prompt,
    /// Asks for the session type, then prints the prompt after the answer.
    Handshake,
    /// Asks for the session type and KMS encryption; a refusal ends the session, an
    /// acceptance is followed by the encryption challenge and an encrypted shell.
    HandshakeWithKms,
    /// A port session: the handshake names it, and the agent forwards to a destination.
    Port(PortBackend),
}

/// Faults, each firing on every n-th occurrence of its event. `None` leaves it off.
#[derive(Debug, Clone, Copy, Default)]
pub struct Faults {
    /// Drop the connection on every n-th client frame it carries (that frame is lost),
    /// alternately with a `1000 Bye` close frame and without one.
    pub drop_every: Option<u32>,
    /// Hold every n-th output frame back and send it after the one that follows.
    pub reorder_every: Option<u32>,
    /// Send every n-th output frame twice.
    pub duplicate_every: Option<u32>,
    /// Spoil the digest of every n-th output frame; the resend carries the right one.
    pub corrupt_every: Option<u32>,
    /// Never send every n-th acknowledgement.
    pub lose_ack_every: Option<u32>,
    /// Send every acknowledgement this late.
    pub ack_delay: Option<Duration>,
    /// On every n-th client frame announce `pause_publication`, lose client frames for
    /// [`Faults::pause_for`], then announce `start_publication`. A drop ends the pause
    /// without the announcement.
    pub pause_every: Option<u32>,
    pub pause_for: Duration,
}

#[derive(Debug, Clone, Copy)]
pub struct ServerConfig {
    pub start: Start,
    pub faults: Faults,
}

impl ServerConfig {
    pub fn echo(start: Start) -> Self {
        Self {
            start,
            faults: Faults::default(),
        }
    }
}

/// What the server saw and did, for the tests' assertions.
#[derive(Clone, Default)]
pub struct Stats {
    /// Connections accepted with a valid token.
    pub connections: u32,
    pub drops: u32,
    pub refused_tokens: u32,
    pub foreign_client_ids: u32,
    /// Payloads of websocket pings received.
    pub pings: Vec<Vec<u8>>,
    pub sizes: Vec<TerminalSize>,
    pub handshake_responses: Vec<HandshakeResponse>,
    /// Input bytes the shell received, in delivery order.
    pub input: Vec<u8>,
    /// Input messages received again after delivery or while held.
    pub repeated_inputs: u32,
    /// Input messages other than handshake replies that arrived before the shell started.
    pub early_inputs: u32,
    pub undecodable_frames: u32,
    pub reordered: u32,
    pub duplicated: u32,
    pub corrupted: u32,
    pub acks_lost: u32,
    pub acks_delayed: u32,
    pub pauses: u32,
    pub lost_while_paused: u32,
    /// Output frames the server sent again for want of an ack.
    pub resent: u32,
    /// Input messages left unacknowledged because the destinations lagged behind.
    pub not_ready_inputs: u32,
    /// KMS sessions: challenges answered correctly, input payloads that arrived encrypted,
    /// and ones that did not decrypt.
    pub kms_challenges_passed: u32,
    pub encrypted_inputs: u32,
    pub undecryptable_inputs: u32,
    /// Port sessions: bytes of input (raw or smux), bytes read from destinations, flags
    /// received, destination dials, and smux frames by kind.
    pub port_input: u64,
    pub target_output: u64,
    pub port_flags: Vec<u32>,
    pub target_dials: u32,
    pub smux_syns: u32,
    pub smux_fins: u32,
    pub smux_nops: u32,
}

// The input can be 10 kB; failure messages show its length instead.
impl fmt::Debug for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stats")
            .field("connections", &self.connections)
            .field("drops", &self.drops)
            .field("refused_tokens", &self.refused_tokens)
            .field("foreign_client_ids", &self.foreign_client_ids)
            .field("pings", &self.pings.len())
            .field("sizes", &self.sizes)
            .field("handshake_responses", &self.handshake_responses.len())
            .field("input_len", &self.input.len())
            .field("repeated_inputs", &self.repeated_inputs)
            .field("early_inputs", &self.early_inputs)
            .field("undecodable_frames", &self.undecodable_frames)
            .field("reordered", &self.reordered)
            .field("duplicated", &self.duplicated)
            .field("corrupted", &self.corrupted)
            .field("acks_lost", &self.acks_lost)
            .field("acks_delayed", &self.acks_delayed)
            .field("pauses", &self.pauses)
            .field("lost_while_paused", &self.lost_while_paused)
            .field("resent", &self.resent)
            .field("not_ready_inputs", &self.not_ready_inputs)
            .field("kms_challenges_passed", &self.kms_challenges_passed)
            .field("encrypted_inputs", &self.encrypted_inputs)
            .field("undecryptable_inputs", &self.undecryptable_inputs)
            .field("port_input", &self.port_input)
            .field("target_output", &self.target_output)
            .field("port_flags", &self.port_flags)
            .field("target_dials", &self.target_dials)
            .field("smux_syns", &self.smux_syns)
            .field("smux_fins", &self.smux_fins)
            .field("smux_nops", &self.smux_nops)
            .finish()
    }
}

/// Orders from the test to the running agent.
#[derive(Debug)]
enum Order {
    CloseChannel(String),
    ExitCode(i32),
    Drop(oneshot::Sender<()>),
    Pause(Duration, oneshot::Sender<()>),
    Freeze(oneshot::Sender<()>),
}

/// Tokens the relay issued; only the newest is valid, tied to the cell in its URL.
#[derive(Debug, Default)]
struct Tokens {
    issued: u32,
    valid: Option<(String, u32)>,
}

#[derive(Debug)]
struct Shared {
    port: u16,
    tokens: Mutex<Tokens>,
    stats: Mutex<Stats>,
}

impl Shared {
    fn stats(&self) -> MutexGuard<'_, Stats> {
        self.stats.lock().unwrap()
    }

    fn issue(&self) -> Endpoint {
        let mut tokens = self.tokens.lock().unwrap();
        tokens.issued += 1;
        let cell = tokens.issued;
        let token = format!("token-{cell}-{}", Uuid::new_v4());
        tokens.valid = Some((token.clone(), cell));
        let url = format!(
            "ws://127.0.0.1:{}/v1/data-channel/session-1?role=publish_subscribe&cell-number={cell}",
            self.port
        );
        Endpoint::new(url, token)
    }

    /// Whether `token` is the newest one and arrived on the URL issued with it.
    fn admits(&self, token: &str, uri: &str) -> bool {
        let tokens = self.tokens.lock().unwrap();
        tokens.valid.as_ref().is_some_and(|(valid, cell)| {
            valid == token && uri.ends_with(&format!("cell-number={cell}"))
        })
    }
}

/// A running loopback server; dropping it stops accepting.
#[derive(Debug, Clone)]
pub struct TestServer {
    shared: Arc<Shared>,
    orders: mpsc::UnboundedSender<Order>,
    first: Endpoint,
}

impl TestServer {
    pub async fn start(config: ServerConfig) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let shared = Arc::new(Shared {
            port: listener.local_addr().unwrap().port(),
            tokens: Mutex::default(),
            stats: Mutex::default(),
        });
        let first = shared.issue();
        let (connections, incoming) = mpsc::unbounded_channel();
        let (orders, order_rx) = mpsc::unbounded_channel();
        tokio::spawn(accept_loop(listener, Arc::clone(&shared), connections));
        tokio::spawn(agent::run(config, Arc::clone(&shared), incoming, order_rx));
        Self {
            shared,
            orders,
            first,
        }
    }

    /// The endpoint `StartSession` would return.
    pub fn endpoint(&self) -> Endpoint {
        self.first.clone()
    }

    /// What `ResumeSession` would return: a fresh token on a new cell; older ones stop working.
    pub fn resume(&self) -> Endpoint {
        self.shared.issue()
    }

    pub fn stats(&self) -> Stats {
        self.shared.stats().clone()
    }

    /// Ends the session as the relay does, with `channel_closed` carrying `output`.
    pub fn close_channel(&self, output: &str) {
        self.orders
            .send(Order::CloseChannel(output.to_owned()))
            .unwrap();
    }

    /// Sends an `EXIT_CODE: n` output message, as a finished non-interactive command does.
    pub fn exit_code(&self, code: i32) {
        self.orders.send(Order::ExitCode(code)).unwrap();
    }

    /// Drops the current connection abruptly. Returns once dropped, so that what the test
    /// does next meets the dropped connection.
    pub async fn drop_connection(&self) {
        let (done, dropped) = oneshot::channel();
        self.orders.send(Order::Drop(done)).unwrap();
        dropped.await.unwrap();
    }

    /// Announces `pause_publication` and loses client frames for `pause_for`, or until the
    /// connection drops. Returns once announced.
    pub async fn pause(&self, pause_for: Duration) {
        let (done, paused) = oneshot::channel();
        self.orders.send(Order::Pause(pause_for, done)).unwrap();
        paused.await.unwrap();
    }

    /// Stops reading and writing the current connection while keeping it open: a dead
    /// transport that only the client's liveness check can detect. Returns once frozen.
    pub async fn freeze(&self) {
        let (done, frozen) = oneshot::channel();
        self.orders.send(Order::Freeze(done)).unwrap();
        frozen.await.unwrap();
    }
}

/// A connection that passed the OpenDataChannel check.
#[derive(Debug)]
struct Admitted {
    socket: WebSocketStream<TcpStream>,
    client_id: Uuid,
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    connections: mpsc::UnboundedSender<Admitted>,
) {
    while let Ok((tcp, _)) = listener.accept().await {
        let shared = Arc::clone(&shared);
        let connections = connections.clone();
        tokio::spawn(async move {
            if let Some(socket) = admit(tcp, &shared).await {
                let _ = connections.send(socket);
            }
        });
    }
}

/// Upgrades the connection and checks its OpenDataChannel frame (§2.2).
#[allow(
    clippy::result_large_err,
    reason = "the upgrade callback's signature is tungstenite's"
)]
async fn admit(tcp: TcpStream, shared: &Shared) -> Option<Admitted> {
    let mut uri = String::new();
    let callback = |request: &Request, response: Response| {
        uri = request.uri().to_string();
        Ok(response)
    };
    // Acknowledgements and output are separate small frames; with Nagle's algorithm the
    // second waits for the client's delayed ACK of the first, some 40 ms.
    tcp.set_nodelay(true).ok()?;
    let mut socket = tokio_tungstenite::accept_hdr_async(tcp, callback)
        .await
        .ok()?;
    let first = tokio::time::timeout(Duration::from_secs(5), socket.next()).await;
    let Ok(Some(Ok(Message::Text(text)))) = first else {
        return None;
    };
    let open: OpenDataChannel = serde_json::from_str(&text).ok()?;
    if !shared.admits(&open.token_value, &uri) {
        shared.stats().refused_tokens += 1;
        return None;
    }
    assert_eq!(open.message_schema_version, "1.0");
    assert_eq!(open.client_version.as_deref(), Some("1.2.764.0"));
    Some(Admitted {
        socket,
        client_id: open.client_id,
    })
}
