//! Resuming after a dropped connection (§2.6), where it cannot go the easy way: a stale
//! endpoint, a callback that keeps failing, a session that has expired, no callback at all.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use unyo_session::{ChannelOptions, CloseReason, Endpoint, ReconnectPolicy, ResumeError};

use crate::harness::{LIMIT, connect_to_prompt, fast_options, resuming};
use crate::server::{ServerConfig, Start, TestServer};

/// A resume callback that answers with `answer(call number)` and counts its calls.
fn counting(
    answer: impl Fn(u32) -> Result<Endpoint, ResumeError> + Send + Sync + 'static,
) -> (ChannelOptions, Arc<AtomicU32>) {
    let calls = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&calls);
    let answer = Arc::new(answer);
    let options = fast_options().with_resume(move || {
        let call = counter.fetch_add(1, Ordering::SeqCst) + 1;
        let result = answer(call);
        async move { result }
    });
    (options, calls)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_endpoint_is_retried_with_a_fresh_one() {
    let server = TestServer::start(ServerConfig::echo(Start::Prompt)).await;
    let stale = server.endpoint();
    let fresh = server.clone();
    // The first answer carries that stale token: the relay drops the connection at once,
    // before any session traffic, and the client goes on to ask again.
    let (options, calls) = counting(move |call| {
        Ok(if call == 1 {
            stale.clone()
        } else {
            fresh.resume()
        })
    });
    let (channel, mut events, mut seen) = connect_to_prompt(&server, options).await;
    // A resume elsewhere replaces the token the session started with.
    let _ = server.resume();
    server.drop_connection().await;
    channel.send(*b"whoami\r").await.unwrap();
    seen.read_until(&mut events, LIMIT, |seen| seen.output.len() >= 9)
        .await;
    assert_eq!(seen.output, b"$ whoami\r");
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let stats = server.stats();
    assert_eq!((stats.refused_tokens, stats.connections), (1, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resuming_gives_up_with_a_clear_reason_when_the_budget_runs_out() {
    let server = TestServer::start(ServerConfig::echo(Start::Prompt)).await;
    let (mut options, calls) = counting(|_| {
        Err(ResumeError::Unavailable(
            "ThrottlingException: rate exceeded".into(),
        ))
    });
    options.reconnect = ReconnectPolicy {
        initial_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(80),
        give_up_after: Duration::from_millis(400),
        jitter_seed: 3,
    };
    let (_channel, mut events, mut seen) = connect_to_prompt(&server, options).await;
    let dropped_at = Instant::now();
    server.drop_connection().await;
    seen.read_to_close(&mut events, LIMIT).await;

    let elapsed = dropped_at.elapsed();
    assert!(
        elapsed < Duration::from_secs(2),
        "gave up after {elapsed:?}"
    );
    let (reason, _) = seen.closed.unwrap();
    let CloseReason::ConnectionLost { detail } = &reason else {
        panic!("expected ConnectionLost, got {reason:?}");
    };
    assert!(
        detail.contains("gave up") && detail.contains("ThrottlingException"),
        "{detail}"
    );
    let attempts = calls.load(Ordering::SeqCst);
    assert!((3..=12).contains(&attempts), "{attempts} attempts");
    assert!(
        reason
            .to_string()
            .starts_with("the connection was lost: gave up resuming after")
    );
    assert_eq!(seen.reconnecting, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_ends_at_the_first_answer() {
    let server = TestServer::start(ServerConfig::echo(Start::Prompt)).await;
    let (options, calls) = counting(|_| {
        Err(ResumeError::Expired(
            "ResumeSession returned no token".into(),
        ))
    });
    let (_channel, mut events, mut seen) = connect_to_prompt(&server, options).await;
    server.drop_connection().await;
    seen.read_to_close(&mut events, LIMIT).await;
    assert_eq!(
        seen.closed.unwrap().0,
        CloseReason::SessionExpired {
            detail: "ResumeSession returned no token".to_owned()
        }
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_resume_callback_a_drop_ends_the_session() {
    let server = TestServer::start(ServerConfig::echo(Start::Prompt)).await;
    let (_channel, mut events, mut seen) = connect_to_prompt(&server, fast_options()).await;
    server.drop_connection().await;
    seen.read_to_close(&mut events, LIMIT).await;
    let (reason, _) = seen.closed.unwrap();
    assert!(
        matches!(reason, CloseReason::ConnectionLost { .. }),
        "{reason:?}"
    );
    assert_eq!(seen.reconnecting, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pause_does_not_outlive_the_connection_it_was_announced_on() {
    // Regression: input lost during a pause was never resent after a resume, because the
    // `start_publication` that would have ended the pause never came on the new connection.
    let server = TestServer::start(ServerConfig::echo(Start::Prompt)).await;
    let (channel, mut events, mut seen) =
        connect_to_prompt(&server, resuming(&server, fast_options())).await;
    server.pause(Duration::from_secs(60)).await;
    channel.send(*b"lost in the pause\r").await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(server.stats().lost_while_paused >= 1);
    server.drop_connection().await;
    seen.read_until(&mut events, LIMIT, |seen| seen.output.len() >= 20)
        .await;
    assert_eq!(seen.output, b"$ lost in the pause\r");
    assert_eq!(seen.reconnected, 1);
}
