//! The receiver: in-order delivery, held early messages, re-acknowledged duplicates, the
//! buffer limit and the not-ready rule.

use super::*;
use crate::payload_type::PayloadType;
use uuid::Uuid;

fn output(sequence_number: i64) -> ClientMessage {
    ClientMessage {
        message_type: "output_stream_data".to_owned(),
        schema_version: 1,
        created_date: 1_700_000_000_000,
        sequence_number,
        flags: 0,
        message_id: Uuid::from_u128(sequence_number as u128 + 1),
        payload_type: PayloadType::OUTPUT,
        payload: format!("line {sequence_number}\n").into_bytes(),
    }
}

fn sequences(receipt: &Receipt) -> Vec<i64> {
    receipt
        .deliver
        .iter()
        .map(|message| message.sequence_number)
        .collect()
}

fn acked(receipt: &Receipt) -> Option<i64> {
    receipt
        .ack
        .as_ref()
        .map(|ack| ack.acknowledged_message_sequence_number)
}

#[test]
fn delivers_in_order_and_acknowledges_each() {
    let mut incoming = Incoming::default();
    for sequence in 0..3 {
        let receipt = incoming.receive(output(sequence), Readiness::Ready);
        assert_eq!(receipt.arrival, Arrival::InOrder);
        assert_eq!(sequences(&receipt), [sequence]);
        assert_eq!(acked(&receipt), Some(sequence));
    }
    assert_eq!(incoming.expected(), 3);
}

#[test]
fn the_acknowledgement_names_the_message() {
    let mut incoming = Incoming::default();
    let ack = incoming.receive(output(0), Readiness::Ready).ack.unwrap();
    assert_eq!(ack.acknowledged_message_type, "output_stream_data");
    assert_eq!(ack.acknowledged_message_id, Uuid::from_u128(1).to_string());
    assert!(ack.is_sequential_message);
}

#[test]
fn holds_early_messages_and_releases_them_when_the_gap_fills() {
    let mut incoming = Incoming::default();
    for early in [2, 1, 4] {
        let receipt = incoming.receive(output(early), Readiness::Ready);
        assert_eq!(receipt.arrival, Arrival::Early);
        assert!(receipt.deliver.is_empty());
        assert_eq!(
            acked(&receipt),
            Some(early),
            "early messages are acked at once"
        );
    }
    assert_eq!(incoming.held(), 3);

    let receipt = incoming.receive(output(0), Readiness::Ready);
    assert_eq!(receipt.arrival, Arrival::InOrder);
    assert_eq!(sequences(&receipt), [0, 1, 2]);
    assert_eq!(acked(&receipt), Some(0), "held ones were acked on arrival");
    assert_eq!(incoming.expected(), 3);
    assert_eq!(incoming.held(), 1);

    let receipt = incoming.receive(output(3), Readiness::Ready);
    assert_eq!(sequences(&receipt), [3, 4]);
    assert_eq!(incoming.held(), 0);
    assert_eq!(incoming.expected(), 5);
}

#[test]
fn duplicates_are_acknowledged_again_but_not_delivered() {
    let mut incoming = Incoming::default();
    incoming.receive(output(0), Readiness::Ready);
    incoming.receive(output(2), Readiness::Ready);

    let old = incoming.receive(output(0), Readiness::Ready);
    assert_eq!(old.arrival, Arrival::Duplicate);
    assert!(old.deliver.is_empty());
    assert_eq!(acked(&old), Some(0));

    let held_again = incoming.receive(output(2), Readiness::Ready);
    assert_eq!(held_again.arrival, Arrival::Duplicate);
    assert_eq!(acked(&held_again), Some(2));
    assert_eq!(incoming.held(), 1);

    let receipt = incoming.receive(output(1), Readiness::Ready);
    assert_eq!(
        sequences(&receipt),
        [1, 2],
        "the held copy is delivered once"
    );
}

#[test]
fn drops_early_messages_without_an_ack_when_the_buffer_is_full() {
    let mut incoming = Incoming::new(2);
    incoming.receive(output(1), Readiness::Ready);
    incoming.receive(output(2), Readiness::Ready);
    let receipt = incoming.receive(output(3), Readiness::Ready);
    assert_eq!(receipt.arrival, Arrival::Overflow);
    assert_eq!(receipt.ack, None);
    // The expected message is never refused for lack of room.
    let receipt = incoming.receive(output(0), Readiness::Ready);
    assert_eq!(sequences(&receipt), [0, 1, 2]);
    // The agent's resend of 3 now fits.
    assert_eq!(
        sequences(&incoming.receive(output(3), Readiness::Ready)),
        [3]
    );
}

#[test]
fn a_consumer_that_is_not_ready_leaves_the_message_to_the_agents_resend() {
    let mut incoming = Incoming::default();
    let receipt = incoming.receive(output(0), Readiness::NotReady);
    assert_eq!(receipt.arrival, Arrival::NotReady);
    assert!(receipt.deliver.is_empty());
    assert_eq!(receipt.ack, None);
    assert_eq!(incoming.expected(), 0);

    // Early messages are held and acked regardless.
    let early = incoming.receive(output(1), Readiness::NotReady);
    assert_eq!(early.arrival, Arrival::Early);
    assert_eq!(acked(&early), Some(1));

    let resent = incoming.receive(output(0), Readiness::Ready);
    assert_eq!(sequences(&resent), [0, 1]);
}
