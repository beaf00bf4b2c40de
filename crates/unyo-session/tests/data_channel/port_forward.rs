//! Bulk port forwarding end to end: local TCP clients, the tunnel, the test server's agent
//! (smux or basic, by its version) and an echo destination on loopback. Every byte comes back
//! exactly while every fault of the test server fires at once.

use std::time::Duration;

use unyo_session::{ChannelOptions, ForwardMode, ForwardOptions, TunnelEnd};

use crate::harness::{BASIC_AGENT, MUX_AGENT, fast_options, open_tunnel, port, resuming};
use crate::server::{Faults, PortBackend, Stats, TestServer};
use crate::tcp;

/// Every fault of the test server at once. The periods suit a transfer of some thousands of
/// messages each way.
fn every_fault(drop_every: u32, pause_every: u32) -> Faults {
    Faults {
        drop_every: Some(drop_every),
        reorder_every: Some(7),
        duplicate_every: Some(11),
        corrupt_every: Some(13),
        lose_ack_every: Some(17),
        ack_delay: Some(Duration::from_millis(2)),
        pause_every: Some(pause_every),
        pause_for: Duration::from_millis(30),
    }
}

fn assert_faults_fired(stats: &Stats) {
    let fired = [
        ("drops", stats.drops >= 3),
        ("reorder", stats.reordered > 100),
        ("duplicates", stats.duplicated > 100),
        ("corrupt digests", stats.corrupted > 100),
        (
            "lost acks",
            stats.acks_lost > 100 && stats.repeated_inputs > 0,
        ),
        ("delayed acks", stats.acks_delayed > 1_000),
        ("pauses", stats.pauses >= 2 && stats.lost_while_paused > 0),
    ];
    for (fault, did) in fired {
        assert!(did, "{fault} did not fire as configured: {stats:?}");
    }
    assert_eq!(stats.undecodable_frames, 0);
    assert_eq!(stats.refused_tokens, 0, "every resume used a fresh token");
}

const MB: usize = 1024 * 1024;

/// Echoes `total` bytes split over `connections` concurrent connections through a tunnel to
/// an agent of `agent_version`, with `payload`-byte messages both ways and `faults` on;
/// checks every byte, then stops the tunnel and checks its counters.
async fn bulk_echo(
    agent_version: &'static str,
    connections: u64,
    total: usize,
    payload: usize,
    faults: Faults,
) -> Stats {
    let echo = tcp::echo_server().await;
    let backend = PortBackend {
        output_payload: payload,
        ..PortBackend::forwarding(agent_version, echo)
    };
    let server = TestServer::start(port(backend, faults)).await;
    let options = ChannelOptions {
        max_payload: payload,
        ..resuming(&server, fast_options())
    };
    let (forward, address) = open_tunnel(&server, options, ForwardOptions::default()).await;
    let each = total / connections as usize;
    let clients: Vec<_> = (1..=connections)
        .map(|seed| {
            tokio::spawn(tcp::echo_through(
                address,
                seed,
                each,
                Duration::from_secs(120),
            ))
        })
        .collect();
    for client in clients {
        client.await.unwrap();
    }
    let stats = server.stats();
    let mode = forward.state().borrow().mode;
    forward.stop();
    assert_eq!(forward.closed().await, TunnelEnd::Stopped);
    let state = forward.state().borrow().clone();
    let moved = (each * connections as usize) as u64;
    assert_eq!(
        (state.bytes_sent, state.bytes_received),
        (moved, moved),
        "{state:?}"
    );
    assert_eq!(state.total_connections, connections);
    assert_eq!(state.open_connections, 0);
    let expected = if agent_version == MUX_AGENT {
        ForwardMode::Multiplexed
    } else {
        ForwardMode::Basic
    };
    assert_eq!(mode, Some(expected));
    stats
}

// 50 MB in 8 KiB messages: the same faults per message as the production 1 KiB size,
// an eighth of the messages, so that the test stays well within a minute in a debug build.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_megabytes_over_four_smux_connections_survive_every_fault() {
    let stats = bulk_echo(MUX_AGENT, 4, 50 * MB, 8 * 1024, every_fault(2_000, 3_000)).await;
    assert_faults_fired(&stats);
    assert_eq!((stats.smux_syns, stats.target_dials), (4, 4));
    assert!(stats.port_flags.is_empty(), "{:?}", stats.port_flags);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_megabytes_over_basic_forwarding_survive_every_fault() {
    let stats = bulk_echo(BASIC_AGENT, 1, 50 * MB, 8 * 1024, every_fault(2_000, 3_000)).await;
    assert_faults_fired(&stats);
    assert_eq!(
        stats.port_input,
        50 * MB as u64,
        "raw bytes, no smux framing"
    );
    assert_eq!(stats.smux_syns, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_kib_messages_survive_every_fault_in_both_modes() {
    for (agent, connections) in [(MUX_AGENT, 3), (BASIC_AGENT, 1)] {
        let stats = bulk_echo(agent, connections, 5 * MB, 1024, every_fault(1_500, 2_500)).await;
        assert_faults_fired(&stats);
    }
}
