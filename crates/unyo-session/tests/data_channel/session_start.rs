//! The session start (§6): the handshake round trip, input held until the session starts,
//! terminal size after the start and on resize, and KMS encryption (§10): refused without a
//! data key source, set up and used with one, and a KMS failure explained.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use unyo_session::{
    ActionStatus, ChannelOptions, CloseReason, DataKeyError, HandshakeResponse, KmsOptions,
    ProcessedClientAction, SessionType, TerminalSize,
};

use crate::harness::{LIMIT, Seen, connect, fast_options};
use crate::server::{ENCRYPTED_NOTICE, PROMPT, ServerConfig, Start, TestServer, fake_kms};

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
        actions[1].error.contains("not given access to KMS"),
        "{}",
        actions[1].error
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_data_key_source_kms_encryption_is_set_up_and_used_both_ways() {
    let server = TestServer::start(ServerConfig::echo(Start::HandshakeWithKms)).await;
    let requests = Arc::new(Mutex::new(Vec::new()));
    let kms = KmsOptions::new(
        "session-1",
        "i-0123456789abcdef0",
        fake_kms(Arc::clone(&requests)),
    );
    let (channel, mut events) = connect(&server, fast_options().with_kms(kms)).await;
    let mut seen = Seen::default();
    seen.read_until(&mut events, LIMIT, |seen| seen.output == PROMPT)
        .await;
    let info = seen.ready.clone().unwrap();
    assert_eq!(info.notice.as_deref(), Some(ENCRYPTED_NOTICE));

    channel.send(*b"whoami\r").await.unwrap();
    seen.read_until(&mut events, LIMIT, |seen| seen.output.len() >= 9)
        .await;
    assert_eq!(
        seen.output, b"$ whoami\r",
        "the prompt and the echo, decrypted"
    );
    server.exit_code(0);
    server.close_channel("");
    seen.read_to_close(&mut events, LIMIT).await;
    let (_, exit_code) = seen.closed.clone().unwrap();
    assert_eq!(exit_code, Some(0), "the exit code is decrypted too");

    let stats = server.stats();
    assert_eq!(stats.kms_challenges_passed, 1);
    assert_eq!(stats.input, b"whoami\r", "the agent decrypted what we sent");
    assert!(
        stats.encrypted_inputs >= 1 && stats.undecryptable_inputs == 0,
        "{stats:?}"
    );
    let requests = requests.lock().unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].key_id, "alias/session");
    assert_eq!(
        requests[0].encryption_context,
        BTreeMap::from([
            ("aws:ssm:SessionId".to_owned(), "session-1".to_owned()),
            (
                "aws:ssm:TargetId".to_owned(),
                "i-0123456789abcdef0".to_owned()
            ),
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kms_failure_ends_the_session_with_its_reason() {
    let server = TestServer::start(ServerConfig::echo(Start::HandshakeWithKms)).await;
    let denied = |_request| async {
        Err(DataKeyError(
            "AccessDeniedException: not authorized to perform kms:GenerateDataKey".to_owned(),
        ))
    };
    let kms = KmsOptions::new("session-1", "i-0123456789abcdef0", denied);
    let (_channel, mut events) = connect(&server, fast_options().with_kms(kms)).await;
    let mut seen = Seen::default();
    seen.read_to_close(&mut events, LIMIT).await;
    let (reason, _) = seen.closed.unwrap();
    let CloseReason::Encryption { detail } = &reason else {
        panic!("expected an encryption failure, got {reason:?}");
    };
    assert!(detail.contains("kms:GenerateDataKey"), "{detail}");
    assert!(seen.ready.is_none());
    let responses = server.stats().handshake_responses;
    assert_eq!(
        responses[0].processed_client_actions[1].action_status,
        ActionStatus::FAILED
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
