//! The session start (§6): the handshake round trip, input held until the session starts,
//! terminal size after the start and on resize, and the refusal of KMS encryption.

use std::time::Duration;

use unyo_session::{
    ActionStatus, ChannelOptions, CloseReason, HandshakeResponse, ProcessedClientAction,
    SessionType, TerminalSize,
};

use crate::harness::{LIMIT, Seen, connect, fast_options};
use crate::server::{PROMPT, ServerConfig, Start, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_handshake_round_trip_starts_a_shell_and_input_waits_for_it() {
    let server = TestServer::start(ServerConfig::echo(Start::Handshake)).await;
    let options = ChannelOptions {
        terminal_size: Some(TerminalSize {
            cols: 100,
            rows: 30,
        }),
        ..fast_options()
    };
    let (channel, mut events) = connect(&server, options).await;
    // Typed before the agent has even asked: held until the handshake completes.
    channel.send(*b"uptime\r").await.unwrap();

    let mut seen = Seen::default();
    let echoed = [PROMPT, b"uptime\r"].concat();
    seen.read_until(&mut events, LIMIT, |seen| seen.output.len() >= echoed.len())
        .await;
    assert_eq!(seen.output, echoed);
    let info = seen.ready.clone().unwrap();
    assert_eq!(info.session.session_type, SessionType::StandardStream);
    assert_eq!(info.agent_version.as_deref(), Some("3.3.987.0"));
    assert_eq!(info.notice, None, "an empty customer message is no notice");

    channel.resize(132, 50).await.unwrap();
    let resized = TerminalSize {
        cols: 132,
        rows: 50,
    };
    wait_for(|| server.stats().sizes.last() == Some(&resized)).await;

    let stats = server.stats();
    assert_eq!(
        stats.handshake_responses,
        [HandshakeResponse::new(vec![
            ProcessedClientAction::success("SessionType")
        ])]
    );
    assert_eq!(
        stats.early_inputs, 0,
        "nothing but the handshake reply before the start"
    );
    assert_eq!(stats.input, b"uptime\r");
    let initial = TerminalSize {
        cols: 100,
        rows: 30,
    };
    // The size also goes out again after the first output (the protocol's unit tests pin
    // that), unless the completion and the first output arrive together and are handled in
    // one turn: then the one size message already follows both.
    assert_eq!(
        stats.sizes.first(),
        Some(&initial),
        "the size goes out at the start"
    );
    assert_eq!(stats.sizes.last(), Some(&resized), "{:?}", stats.sizes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shell_without_handshake_starts_on_its_first_output() {
    let server = TestServer::start(ServerConfig::echo(Start::Prompt)).await;
    let (channel, mut events) = connect(&server, fast_options()).await;
    let mut seen = Seen::default();
    seen.read_until(&mut events, LIMIT, |seen| seen.ready.is_some())
        .await;
    assert_eq!(seen.ready.as_ref().unwrap().agent_version, None);
    channel.send(*b"id\r").await.unwrap();
    seen.read_until(&mut events, LIMIT, |seen| seen.output.len() >= 5)
        .await;
    assert_eq!(seen.output, b"$ id\r");
    assert!(server.stats().handshake_responses.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kms_encryption_is_refused_with_a_clear_error_and_the_session_ends() {
    let server = TestServer::start(ServerConfig::echo(Start::HandshakeWithKms)).await;
    let (_channel, mut events) = connect(&server, fast_options()).await;
    let mut seen = Seen::default();
    seen.read_to_close(&mut events, LIMIT).await;

    let (reason, exit_code) = seen.closed.unwrap();
    let CloseReason::Unsupported { detail } = &reason else {
        panic!("expected Unsupported, got {reason:?}");
    };
    assert!(detail.contains("KMS"), "{detail}");
    assert_eq!(exit_code, None);
    assert!(seen.ready.is_none(), "the session never started");

    let responses = server.stats().handshake_responses;
    let actions = &responses[0].processed_client_actions;
    assert_eq!(actions[0].action_status, ActionStatus::SUCCESS);
    assert_eq!(actions[1].action_type, "KMSEncryption");
    assert_eq!(actions[1].action_status, ActionStatus::FAILED);
    assert!(
        actions[1].error.contains("not supported"),
        "{}",
        actions[1].error
    );
}

/// Polls `condition` every 10 ms for up to five seconds.
async fn wait_for(condition: impl Fn() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the condition did not come true in 5 s");
}
