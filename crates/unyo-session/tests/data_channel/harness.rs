//! Shared test plumbing: fast channel options, a resume callback backed by the test server,
//! a bounded reader that folds events into what a terminal would show, and tunnels for port
//! sessions.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::mpsc;
use unyo_session::{
    ChannelOptions, CloseReason, DataChannel, Event, FlagCode, ForwardOptions, PortForward,
    ReconnectPolicy, SessionInfo, TunnelState,
};

use crate::server::{Faults, PROMPT, PortBackend, ServerConfig, Start, TestServer};

/// Options with intervals scaled down for tests; no resume unless added.
pub fn fast_options() -> ChannelOptions {
    init_logs();
    ChannelOptions {
        reconnect: ReconnectPolicy {
            initial_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
            give_up_after: Duration::from_secs(5),
            jitter_seed: 7,
        },
        connect_timeout: Duration::from_secs(2),
        ..ChannelOptions::default()
    }
}

/// `options` resuming through `server`, as production resumes through `ssm:ResumeSession`.
pub fn resuming(server: &TestServer, options: ChannelOptions) -> ChannelOptions {
    let server = server.clone();
    options.with_resume(move || {
        let server = server.clone();
        async move { Ok(server.resume()) }
    })
}

/// How long a test waits for what it expects before it fails.
pub const LIMIT: Duration = Duration::from_secs(10);

/// Connects and waits for the shell's prompt; returns what was seen so far with the channel.
pub async fn connect_to_prompt(
    server: &TestServer,
    options: ChannelOptions,
) -> (DataChannel, mpsc::Receiver<Event>, Seen) {
    let (channel, mut events) = connect(server, options).await;
    let mut seen = Seen::default();
    seen.read_until(&mut events, LIMIT, |seen| seen.output == PROMPT)
        .await;
    (channel, events, seen)
}

pub async fn connect(
    server: &TestServer,
    options: ChannelOptions,
) -> (DataChannel, mpsc::Receiver<Event>) {
    DataChannel::connect(server.endpoint(), options)
        .await
        .unwrap()
}

/// An agent that multiplexes port sessions, and one too old to.
pub const MUX_AGENT: &str = "3.3.987.0";
pub const BASIC_AGENT: &str = "3.0.196.0";

/// A port session to `backend`, with `faults`.
pub fn port(backend: PortBackend, faults: Faults) -> ServerConfig {
    ServerConfig {
        start: Start::Port(backend),
        faults,
    }
}

/// A tunnel through `server`, listening on a free loopback port.
pub async fn open_tunnel(
    server: &TestServer,
    options: ChannelOptions,
    forward: ForwardOptions,
) -> (PortForward, SocketAddr) {
    open_tunnel_on(
        server,
        options,
        forward,
        TcpListener::bind("127.0.0.1:0").await.unwrap(),
    )
    .await
}

/// A tunnel through `server` on a listener the test prepared.
pub async fn open_tunnel_on(
    server: &TestServer,
    options: ChannelOptions,
    forward: ForwardOptions,
    listener: TcpListener,
) -> (PortForward, SocketAddr) {
    let (channel, events) = connect(server, options).await;
    let address = listener.local_addr().unwrap();
    (
        PortForward::start_with(channel, events, listener, forward),
        address,
    )
}

/// Waits until the tunnel's state satisfies `done`.
pub async fn state_until(
    forward: &PortForward,
    limit: Duration,
    done: impl FnMut(&TunnelState) -> bool,
) -> TunnelState {
    let mut state = forward.state();
    match tokio::time::timeout(limit, state.wait_for(done)).await {
        Ok(Ok(state)) => state.clone(),
        _ => panic!(
            "tunnel state not reached in {limit:?}: {:?}",
            forward.state().borrow()
        ),
    }
}

/// What a consumer has seen so far.
#[derive(Debug, Default)]
pub struct Seen {
    pub output: Vec<u8>,
    pub ready: Option<SessionInfo>,
    pub flags: Vec<FlagCode>,
    pub reconnecting: u32,
    pub reconnected: u32,
    pub closed: Option<(CloseReason, Option<i32>)>,
    /// Whether the event stream ended after `Closed`.
    pub ended: bool,
}

impl Seen {
    /// Reads events until `done` holds, the stream ends, or `limit` passes (a failure).
    pub async fn read_until(
        &mut self,
        events: &mut mpsc::Receiver<Event>,
        limit: Duration,
        mut done: impl FnMut(&Seen) -> bool,
    ) {
        let reading = async {
            while !done(self) {
                match events.recv().await {
                    Some(event) => self.record(event),
                    None => {
                        self.ended = true;
                        return;
                    }
                }
            }
        };
        if tokio::time::timeout(limit, reading).await.is_err() {
            panic!(
                "gave up after {limit:?}: {} output bytes, reconnecting {}, reconnected {}, closed {:?}",
                self.output.len(),
                self.reconnecting,
                self.reconnected,
                self.closed
            );
        }
    }

    /// Reads until the channel reports its end.
    pub async fn read_to_close(&mut self, events: &mut mpsc::Receiver<Event>, limit: Duration) {
        self.read_until(events, limit, |seen| seen.closed.is_some())
            .await;
    }

    fn record(&mut self, event: Event) {
        assert!(self.closed.is_none(), "{event:?} after Closed");
        match event {
            Event::Ready(info) => {
                assert!(self.ready.is_none(), "Ready twice");
                self.ready = Some(info);
            }
            Event::Output(bytes) => self.output.extend_from_slice(&bytes),
            Event::Stderr(bytes) => panic!("unexpected stderr {bytes:?}"),
            Event::Flag(code) => self.flags.push(code),
            Event::Reconnecting { .. } => self.reconnecting += 1,
            Event::Reconnected => self.reconnected += 1,
            Event::Closed { reason, exit_code } => self.closed = Some((reason, exit_code)),
        }
    }
}

/// Logs go to the test's captured output; `RUST_LOG=unyo_session=debug` shows them.
fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}
