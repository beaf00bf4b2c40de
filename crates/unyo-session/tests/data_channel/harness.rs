//! Shared test plumbing: fast channel options, a resume callback backed by the test server,
//! and a bounded reader that folds events into what a terminal would show.

use std::time::Duration;

use tokio::sync::mpsc;
use unyo_session::{ChannelOptions, CloseReason, DataChannel, Event, ReconnectPolicy, SessionInfo};

use crate::server::{PROMPT, TestServer};

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

/// What a consumer has seen so far.
#[derive(Debug, Default)]
pub struct Seen {
    pub output: Vec<u8>,
    pub ready: Option<SessionInfo>,
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
