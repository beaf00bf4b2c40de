//! Shells end to end: the mocked StartSession hands out the stream URL of a loopback far end,
//! and `Sessions::open_shell` connects to it, echoes input, follows a resize, resumes through
//! ResumeSession after a dropped connection, and terminates the session on the service
//! whichever way it ends.

use std::time::Duration;

use aws_smithy_mocks::Rule;
use tokio::sync::mpsc;
use unyo_core::ErrorCode;
use unyo_core::session::{OpenedShell, SessionEnd, SessionEndReason, SessionEvent, TerminalSize};
use unyo_session::{ChannelOptions, ReconnectPolicy};

use crate::far_end::{EXIT, FarEnd, GOODBYE, PROMPT};
use crate::{FRESH_TOKEN, SESSION, TARGET, TOKEN, resumed_at, sessions, started_at, terminated};

/// How long a test waits for what it expects before it fails.
const LIMIT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn a_shell_echoes_input_and_terminate_ends_it_on_the_service() {
    let far = FarEnd::start().await;
    far.accept_token(TOKEN);
    let (start, terminate) = (started_at(far.url(SESSION)), terminated());
    let mut shell = open_shell(&[&start, &terminate]).await;
    shell
        .read_until(|screen| screen.output.ends_with(PROMPT))
        .await;

    shell.type_in(b"echo hello\r").await;
    shell
        .read_until(|screen| screen.output.ends_with(b"echo hello\r"))
        .await;
    let size = TerminalSize {
        cols: 132,
        rows: 43,
    };
    shell.opened.session.resize(size).await.unwrap();
    // Input is numbered after the size, so its echo means the far end has the size.
    shell.type_in(b"stty size\r").await;
    shell
        .read_until(|screen| screen.output.ends_with(b"stty size\r"))
        .await;
    assert_eq!(
        far.sizes().last(),
        Some(&unyo_session::TerminalSize {
            cols: 132,
            rows: 43
        })
    );

    shell.opened.session.terminate().await.unwrap();
    assert_eq!(terminate.num_calls(), 1);
    let end = shell.read_to_close().await;
    assert_eq!(end.reason, SessionEndReason::Terminated);
    assert_eq!(end.exit_code, None);
    shell.opened.session.terminate().await.unwrap();
    assert_eq!(terminate.num_calls(), 1, "terminate is idempotent");
    assert_eq!(far.used_tokens(), [TOKEN]);
}

#[tokio::test]
async fn a_dropped_connection_resumes_with_the_fresh_url_and_token() {
    let far = FarEnd::start().await;
    far.accept_token(TOKEN);
    far.accept_token(FRESH_TOKEN);
    let moved = far.url("s-1-moved");
    let (start, resume, terminate) = (
        started_at(far.url(SESSION)),
        resumed_at(Some(moved)),
        terminated(),
    );
    let mut shell = open_shell(&[&start, &resume, &terminate]).await;
    shell
        .read_until(|screen| screen.output.ends_with(PROMPT))
        .await;
    shell.type_in(b"one\r").await;
    shell
        .read_until(|screen| screen.output.ends_with(b"one\r"))
        .await;

    far.cut_connections();
    shell.type_in(b"two\r").await;
    shell
        .read_until(|screen| screen.output.ends_with(b"two\r"))
        .await;

    assert_eq!(resume.num_calls(), 1);
    assert_eq!(far.used_tokens(), [TOKEN, FRESH_TOKEN]);
    assert!(far.paths()[1].contains("/s-1-moved?"), "{:?}", far.paths());
    assert!(
        !String::from_utf8_lossy(&shell.screen.output).contains("connection"),
        "a resume prints nothing into the terminal"
    );
    // The tab says so instead, with how long Unyo keeps trying.
    assert_eq!(shell.screen.states, ["reconnecting, 60 s", "reconnected"]);
    shell.opened.session.terminate().await.unwrap();
    assert_eq!(terminate.num_calls(), 1);
}

#[tokio::test]
async fn a_shell_the_service_ended_is_not_terminated_again() {
    let far = FarEnd::start().await;
    far.accept_token(TOKEN);
    let (start, terminate) = (started_at(far.url(SESSION)), terminated());
    let mut shell = open_shell(&[&start, &terminate]).await;
    shell
        .read_until(|screen| screen.output.ends_with(PROMPT))
        .await;

    shell.type_in(EXIT).await;
    let end = shell.read_to_close().await;
    assert_eq!(end.reason, SessionEndReason::Exited);
    let text = String::from_utf8_lossy(&shell.screen.output).into_owned();
    assert!(text.ends_with(&format!("\r\n{GOODBYE}\r\n")), "{text:?}");

    shell.opened.session.terminate().await.unwrap();
    assert_eq!(terminate.num_calls(), 0);
    let err = shell.opened.session.write(b"ls\r").await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}

#[tokio::test]
async fn a_shell_dropped_without_terminate_is_still_terminated() {
    let far = FarEnd::start().await;
    far.accept_token(TOKEN);
    let (start, terminate) = (started_at(far.url(SESSION)), terminated());
    let mut shell = open_shell(&[&start, &terminate]).await;
    shell
        .read_until(|screen| screen.output.ends_with(PROMPT))
        .await;

    drop(shell);
    let waiting = async {
        while terminate.num_calls() == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(LIMIT, waiting).await.unwrap();
    assert_eq!(terminate.num_calls(), 1);
}

#[tokio::test]
async fn a_channel_that_cannot_open_terminates_its_session() {
    // Bound without listening and held, so that no test alongside can take the port.
    let refusing = tokio::net::TcpSocket::new_v4().unwrap();
    refusing.bind(([127, 0, 0, 1], 0).into()).unwrap();
    let closed_port = refusing.local_addr().unwrap().port();
    let url = format!("ws://127.0.0.1:{closed_port}/v1/data-channel/{SESSION}");
    let (start, terminate) = (started_at(url), terminated());
    let err = sessions(&[&start, &terminate])
        .open_shell(TARGET, fast_options())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Network);
    assert!(err.message.contains(SESSION), "{}", err.message);
    assert!(!err.message.contains(TOKEN), "{}", err.message);
    assert_eq!(terminate.num_calls(), 1);
}

/// Options with the reconnection scaled down for loopback.
pub(crate) fn fast_options() -> ChannelOptions {
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

async fn open_shell(rules: &[&Rule]) -> Shell {
    let opened = sessions(rules)
        .open_shell(TARGET, fast_options())
        .await
        .unwrap();
    Shell::new(opened)
}

/// An open shell and what it has shown so far.
pub(crate) struct Shell {
    pub(crate) opened: OpenedShell,
    pub(crate) screen: Screen,
}

#[derive(Debug, Default)]
pub(crate) struct Screen {
    pub(crate) output: Vec<u8>,
    closed: Option<SessionEnd>,
    /// The connection states the terminal was told of, in order.
    pub(crate) states: Vec<String>,
}

impl Shell {
    pub(crate) fn new(opened: OpenedShell) -> Self {
        Self {
            opened,
            screen: Screen::default(),
        }
    }

    pub(crate) async fn type_in(&self, keys: &[u8]) {
        self.opened.session.write(keys).await.unwrap();
    }

    /// Reads events until `done` holds; fails after [`LIMIT`].
    pub(crate) async fn read_until(&mut self, mut done: impl FnMut(&Screen) -> bool) {
        let screen = &mut self.screen;
        let events: &mut mpsc::Receiver<SessionEvent> = &mut self.opened.events;
        let reading = async {
            while !done(screen) {
                match events.recv().await {
                    Some(SessionEvent::Output(bytes)) => screen.output.extend_from_slice(&bytes),
                    Some(SessionEvent::Closed(end)) => screen.closed = Some(end),
                    Some(SessionEvent::Reconnecting {
                        gives_up_in_seconds,
                        ..
                    }) => screen
                        .states
                        .push(format!("reconnecting, {gives_up_in_seconds} s")),
                    Some(SessionEvent::Reconnected) => screen.states.push("reconnected".into()),
                    None => panic!("the events ended without Closed: {screen:?}"),
                }
            }
        };
        if tokio::time::timeout(LIMIT, reading).await.is_err() {
            panic!(
                "gave up after {LIMIT:?}: {:?}",
                String::from_utf8_lossy(&self.screen.output)
            );
        }
    }

    async fn read_to_close(&mut self) -> SessionEnd {
        self.read_until(|screen| screen.closed.is_some()).await;
        self.screen.closed.clone().unwrap()
    }
}
