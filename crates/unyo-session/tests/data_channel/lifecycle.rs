//! How a session ends, and what keeps it alive: `channel_closed` with its reason and the
//! reported exit code, closing from the caller's side, keep-alive pings, and a silent
//! transport detected and replaced.

use std::time::Duration;

use unyo_session::{ChannelGone, ChannelOptions, CloseReason};

use crate::harness::{LIMIT, connect_to_prompt, fast_options, resuming};
use crate::server::{ServerConfig, Start, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channel_closed_ends_the_session_with_its_reason_and_exit_code() {
    let server = TestServer::start(ServerConfig::echo(Start::Prompt)).await;
    let (channel, mut events, mut seen) = connect_to_prompt(&server, fast_options()).await;
    server.exit_code(3);
    let goodbye = "Exiting session with sessionId: session-1.";
    server.close_channel(goodbye);

    seen.read_to_close(&mut events, LIMIT).await;
    let reason = CloseReason::ChannelClosed {
        output: goodbye.to_owned(),
    };
    assert_eq!(seen.closed, Some((reason, Some(3))));
    assert!(events.recv().await.is_none(), "Closed is the last event");
    wait_until_gone(&channel).await;
    assert_eq!(channel.send(*b"x").await, Err(ChannelGone));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_from_the_handle_ends_the_session() {
    let server = TestServer::start(ServerConfig::echo(Start::Prompt)).await;
    let (channel, mut events, mut seen) = connect_to_prompt(&server, fast_options()).await;
    channel.close();
    seen.read_to_close(&mut events, LIMIT).await;
    assert_eq!(seen.closed, Some((CloseReason::ClosedByClient, None)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_every_handle_ends_the_session() {
    let server = TestServer::start(ServerConfig::echo(Start::Prompt)).await;
    let (channel, mut events, mut seen) = connect_to_prompt(&server, fast_options()).await;
    let copy = channel.clone();
    drop(channel);
    copy.send(*b"still here\r").await.unwrap();
    drop(copy);
    seen.read_to_close(&mut events, LIMIT).await;
    assert_eq!(seen.closed.unwrap().0, CloseReason::ClosedByClient);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keepalive_pings_go_out_at_the_injected_interval() {
    let server = TestServer::start(ServerConfig::echo(Start::Prompt)).await;
    let interval = Duration::from_millis(40);
    let options = ChannelOptions {
        keepalive_interval: interval,
        ..fast_options()
    };
    let connected_at = std::time::Instant::now();
    let (_channel, _events, _seen) = connect_to_prompt(&server, options).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let pings = server.stats().pings;
    // One at once, then one per interval; a loaded machine may delay some, never add any.
    let most = connected_at.elapsed().as_millis() / interval.as_millis() + 1;
    assert!(pings.len() >= 4, "{} pings", pings.len());
    assert!(
        pings.len() as u128 <= most,
        "{} pings, at most {most}",
        pings.len()
    );
    assert!(pings.iter().all(|payload| payload == b"keepalive"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_connection_is_detected_and_resumed() {
    let server = TestServer::start(ServerConfig::echo(Start::Prompt)).await;
    let options = ChannelOptions {
        keepalive_interval: Duration::from_millis(40),
        dead_after: Duration::from_millis(250),
        ..resuming(&server, fast_options())
    };
    let (channel, mut events, mut seen) = connect_to_prompt(&server, options).await;
    server.freeze().await;
    // Typed into the dead connection: must arrive through the resumed one.
    channel.send(*b"date\r").await.unwrap();
    seen.read_until(&mut events, LIMIT, |seen| seen.output.len() >= 7)
        .await;
    assert_eq!(seen.output, b"$ date\r");
    assert_eq!((seen.reconnecting, seen.reconnected), (1, 1));
    assert_eq!(server.stats().connections, 2);
}

async fn wait_until_gone(channel: &unyo_session::DataChannel) {
    for _ in 0..200 {
        if channel.is_closed() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the channel's task did not end");
}
