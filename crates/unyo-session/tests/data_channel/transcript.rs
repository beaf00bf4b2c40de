//! Typed input comes back through the echo shell byte for byte, nothing lost and nothing
//! doubled, while the server drops connections (resumed with fresh tokens), reorders,
//! duplicates and corrupts output, loses and delays acknowledgements, and pauses publication;
//! in a plain session and in one encrypted with KMS.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use unyo_session::{ChannelOptions, CloseReason, KmsOptions};

use crate::harness::{Seen, connect, fast_options, resuming};
use crate::server::{Faults, PROMPT, ServerConfig, Start, Stats, TestServer, fake_kms};

/// Keystrokes as a terminal widget sends them: mostly printable ASCII, some Enter, Ctrl-C
/// and multi-byte UTF-8 characters, from a fixed-seed generator.
fn keystrokes(count: usize) -> Vec<Vec<u8>> {
    let mut state: u32 = 0x1234_5678;
    (0..count)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            match (state >> 24) % 50 {
                0 | 1 => b"\r".to_vec(),
                2 => "運".as_bytes().to_vec(),
                3 => vec![0x03],
                _ => vec![b' ' + u8::try_from((state >> 8) % 95).unwrap()],
            }
        })
        .collect()
}

/// Types `count` keystrokes, one `send` each, and reads the echo until the whole transcript
/// is back; then waits past the server's resend interval for any stray repeat and closes.
async fn type_through(
    config: ServerConfig,
    count: usize,
    limit: Duration,
    kms: Option<KmsOptions>,
) -> (Stats, Seen, Vec<u8>) {
    let server = TestServer::start(config).await;
    // Small payloads keep the message count near the keystroke count even when queued
    // keystrokes are merged under back-pressure.
    let options = ChannelOptions {
        max_payload: 4,
        kms,
        ..resuming(&server, fast_options())
    };
    let (channel, mut events) = connect(&server, options).await;
    let keys = keystrokes(count);
    let typed = keys.concat();
    let typist = tokio::spawn(async move {
        for key in keys {
            channel.send(key).await.unwrap();
        }
        channel
    });

    let mut seen = Seen::default();
    let whole = PROMPT.len() + typed.len();
    seen.read_until(&mut events, limit, |seen| seen.output.len() >= whole)
        .await;
    let channel = typist.await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    channel.close();
    seen.read_to_close(&mut events, Duration::from_secs(5))
        .await;
    assert_eq!(seen.closed, Some((CloseReason::ClosedByClient, None)));
    (server.stats(), seen, typed)
}

fn assert_exact(stats: &Stats, seen: &Seen, typed: &[u8]) {
    assert!(
        seen.output.starts_with(PROMPT),
        "the prompt comes first: {:?}",
        &seen.output[..seen.output.len().min(16)]
    );
    assert_eq!(
        seen.output.len(),
        PROMPT.len() + typed.len(),
        "nothing lost or doubled"
    );
    assert!(
        seen.output[PROMPT.len()..] == *typed,
        "the echo matches the typing"
    );
    assert!(
        stats.input == typed,
        "the shell received exactly what was typed"
    );
    assert_eq!(stats.undecodable_frames, 0);
    assert_eq!(stats.early_inputs, 0, "no input before the session started");
    assert_eq!(
        stats.refused_tokens, 0,
        "every reconnect used a fresh token and URL"
    );
    assert_eq!(
        stats.foreign_client_ids, 0,
        "one client id across connections"
    );
    assert_eq!(seen.reconnected, stats.connections - 1);
    assert_eq!(seen.reconnecting, seen.reconnected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_keystrokes_survive_every_fault_at_once() {
    let faults = Faults {
        drop_every: Some(800),
        reorder_every: Some(7),
        duplicate_every: Some(11),
        corrupt_every: Some(13),
        lose_ack_every: Some(17),
        ack_delay: Some(Duration::from_millis(2)),
        pause_every: Some(1_800),
        pause_for: Duration::from_millis(30),
    };
    let config = ServerConfig {
        start: Start::Handshake,
        faults,
    };
    let (stats, seen, typed) = type_through(config, 10_000, Duration::from_secs(60), None).await;
    assert_exact(&stats, &seen, &typed);
    // Lower bounds for the fewest messages possible (every payload merged to 4 bytes).
    let fired = [
        ("drops", stats.drops >= 5),
        ("reorder", stats.reordered > 100),
        ("duplicates", stats.duplicated > 100),
        (
            "corrupt digests",
            stats.corrupted > 100 && stats.resent >= stats.corrupted,
        ),
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
}

/// A fault configuration, and what must show in the stats for it to have been exercised
/// (lower bounds for the fewest messages possible).
type Case = (&'static str, Faults, fn(&Stats, &Seen) -> bool);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_alone_keeps_a_thousand_keystrokes_exact() {
    let none = Faults::default();
    let cases: [Case; 7] = [
        (
            "drops",
            Faults {
                drop_every: Some(100),
                ..none
            },
            |stats, seen| stats.drops >= 3 && seen.reconnected == stats.drops,
        ),
        (
            "reorder",
            Faults {
                reorder_every: Some(3),
                ..none
            },
            |stats, _| stats.reordered > 40,
        ),
        (
            "duplicates",
            Faults {
                duplicate_every: Some(2),
                ..none
            },
            |stats, _| stats.duplicated > 60,
        ),
        (
            "corrupt digests",
            Faults {
                corrupt_every: Some(5),
                ..none
            },
            |stats, _| stats.corrupted > 20 && stats.resent >= stats.corrupted,
        ),
        (
            "lost acks",
            Faults {
                lose_ack_every: Some(4),
                ..none
            },
            |stats, _| stats.acks_lost > 30 && stats.repeated_inputs > 0,
        ),
        (
            "delayed acks",
            Faults {
                ack_delay: Some(Duration::from_millis(20)),
                ..none
            },
            |stats, _| stats.acks_delayed > 100,
        ),
        (
            "paused publication",
            Faults {
                pause_every: Some(150),
                pause_for: Duration::from_millis(50),
                ..none
            },
            |stats, _| stats.pauses >= 2 && stats.lost_while_paused >= stats.pauses,
        ),
    ];
    for (name, faults, fired) in cases {
        let config = ServerConfig {
            start: Start::Prompt,
            faults,
        };
        let (stats, seen, typed) = type_through(config, 1_000, Duration::from_secs(30), None).await;
        assert_exact(&stats, &seen, &typed);
        assert!(
            fired(&stats, &seen),
            "{name} did not fire as configured: {stats:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_encrypted_session_keeps_two_thousand_keystrokes_exact_under_every_fault() {
    let faults = Faults {
        drop_every: Some(300),
        reorder_every: Some(7),
        duplicate_every: Some(11),
        corrupt_every: Some(13),
        lose_ack_every: Some(17),
        ack_delay: Some(Duration::from_millis(2)),
        pause_every: Some(700),
        pause_for: Duration::from_millis(30),
    };
    let config = ServerConfig {
        start: Start::HandshakeWithKms,
        faults,
    };
    let kms = KmsOptions::new(
        "session-1",
        "i-0123456789abcdef0",
        fake_kms(Arc::new(Mutex::new(Vec::new()))),
    );
    let (stats, seen, typed) =
        type_through(config, 2_000, Duration::from_secs(30), Some(kms)).await;
    assert_exact(&stats, &seen, &typed);
    assert_eq!(stats.kms_challenges_passed, 1);
    assert_eq!(stats.undecryptable_inputs, 0);
    assert!(stats.encrypted_inputs >= 500, "{stats:?}");
    assert!(
        stats.drops >= 2 && stats.reordered > 40 && stats.corrupted > 20,
        "{stats:?}"
    );
}
