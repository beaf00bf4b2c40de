//! The two delivery state machines against each other over a channel that reorders and
//! duplicates frames: every message arrives exactly once, in order, and every ack releases.
#![allow(
    clippy::unwrap_used,
    reason = "a property that cannot encode its own input should fail loudly"
)]

use std::time::{Duration, Instant};

use proptest::prelude::*;
use unyo_session::{AckOutcome, ClientMessage, Incoming, Outgoing, PayloadType, Readiness, Stamp};
use uuid::Uuid;

/// How many messages to send, and the order in which the channel hands their frames over:
/// each index at least once, some more than once, shuffled.
fn arrival_order() -> impl Strategy<Value = (usize, Vec<usize>)> {
    (1usize..60)
        .prop_flat_map(|count| (Just(count), proptest::collection::vec(0..count, 0..30)))
        .prop_flat_map(|(count, repeats)| {
            let order: Vec<usize> = (0..count).chain(repeats).collect();
            (Just(count), Just(order).prop_shuffle())
        })
}

proptest! {
    #[test]
    fn reordered_and_repeated_frames_are_delivered_once_in_order(
        (count, order) in arrival_order(),
    ) {
        let t0 = Instant::now();
        let mut sender = Outgoing::default();
        let mut frames = Vec::new();
        for n in 0..count {
            let stamp = Stamp { message_id: Uuid::from_u128(n as u128), created_date: 1 };
            let payload = format!("message {n}").into_bytes();
            frames.push(sender.send(t0, PayloadType::OUTPUT, payload, stamp).unwrap());
        }

        let mut receiver = Incoming::default();
        let mut delivered = Vec::new();
        let mut released = 0;
        for n in order {
            let message = ClientMessage::decode(&frames[n]).unwrap().message;
            let receipt = receiver.receive(message, Readiness::Ready);
            delivered.extend(receipt.deliver.into_iter().map(|m| m.payload));
            // Every arrival is acknowledged, repeats included.
            let ack = receipt.ack.unwrap();
            let now = t0 + Duration::from_millis(5);
            if sender.acknowledge(now, ack.acknowledged_message_sequence_number)
                == AckOutcome::Released
            {
                released += 1;
            }
        }

        let expected: Vec<Vec<u8>> =
            (0..count).map(|n| format!("message {n}").into_bytes()).collect();
        prop_assert_eq!(delivered, expected);
        prop_assert_eq!(released, count);
        prop_assert_eq!(sender.in_flight(), 0);
        prop_assert_eq!(receiver.held(), 0);
        prop_assert_eq!(sender.next_resend_at(), None);
    }
}
