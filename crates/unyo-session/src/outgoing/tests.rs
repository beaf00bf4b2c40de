//! The sender with a fixed clock: numbering, selective acks, resend timing and back-pressure.

use super::*;
use crate::codec::DecodeError;
use uuid::Uuid;

fn stamp(n: u128) -> Stamp {
    Stamp {
        message_id: Uuid::from_u128(n),
        created_date: 1_700_000_000_000,
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn send(outgoing: &mut Outgoing, now: Instant, text: &str) -> Bytes {
    outgoing
        .send(now, PayloadType::OUTPUT, text.as_bytes().to_vec(), stamp(1))
        .unwrap()
}

fn sequence_of(frame: &[u8]) -> Result<i64, DecodeError> {
    ClientMessage::decode(frame).map(|decoded| decoded.message.sequence_number)
}

#[test]
fn numbers_messages_from_zero_as_plugin_input() {
    let t0 = Instant::now();
    let mut outgoing = Outgoing::default();
    let first = send(&mut outgoing, t0, "a");
    let second = send(&mut outgoing, t0, "b");
    assert_eq!(sequence_of(&first), Ok(0));
    assert_eq!(sequence_of(&second), Ok(1));
    let decoded = ClientMessage::decode(&second).unwrap().message;
    assert_eq!(decoded.message_type, "input_stream_data");
    assert_eq!(decoded.flags, 0);
    assert_eq!(decoded.payload, b"b");
    assert_eq!(outgoing.next_sequence(), 2);
    assert_eq!(outgoing.in_flight(), 2);
}

#[test]
fn an_unencodable_message_uses_no_sequence_number() {
    let t0 = Instant::now();
    let mut outgoing = Outgoing::default();
    let refused = outgoing.send(t0, PayloadType::OUTPUT, Vec::new(), stamp(1));
    assert!(matches!(refused, Err(SendError::Encode(_))));
    assert_eq!(outgoing.next_sequence(), 0);
    assert_eq!(outgoing.in_flight(), 0);
}

#[test]
fn acks_release_exactly_the_message_they_name() {
    let t0 = Instant::now();
    let mut outgoing = Outgoing::default();
    for text in ["a", "b", "c"] {
        send(&mut outgoing, t0, text);
    }
    assert_eq!(outgoing.acknowledge(t0, 1), AckOutcome::Released);
    assert_eq!(outgoing.acknowledge(t0, 1), AckOutcome::Unknown);
    assert_eq!(outgoing.acknowledge(t0, 7), AckOutcome::Unknown);
    assert_eq!(outgoing.in_flight(), 2);
    // An ack for 2 says nothing about 0: it is still waiting.
    assert_eq!(outgoing.acknowledge(t0, 2), AckOutcome::Released);
    assert_eq!(outgoing.in_flight(), 1);
    assert_eq!(outgoing.acknowledge(t0, 0), AckOutcome::Released);
    assert_eq!(outgoing.in_flight(), 0);
    assert_eq!(outgoing.next_resend_at(), None);
}

#[test]
fn resends_the_oldest_after_the_initial_timeout_then_backs_off_to_one_second() {
    let t0 = Instant::now();
    let mut outgoing = Outgoing::default();
    let frame = send(&mut outgoing, t0, "size");
    assert_eq!(outgoing.next_resend_at(), Some(t0 + ms(200)));
    assert_eq!(outgoing.poll_resend(t0 + ms(199)), None);
    assert_eq!(outgoing.poll_resend(t0 + ms(200)), Some(frame.clone()));

    // Each resend doubles the wait: 400 ms, 800 ms, then the 1 s cap for good.
    let mut at = t0 + ms(200);
    for wait in [400, 800, 1000, 1000] {
        assert_eq!(outgoing.next_resend_at(), Some(at + ms(wait)));
        assert_eq!(outgoing.poll_resend(at + ms(wait - 1)), None);
        at += ms(wait);
        assert_eq!(outgoing.poll_resend(at), Some(frame.clone()));
    }
}

#[test]
fn only_the_oldest_is_resent_and_the_next_follows_its_ack() {
    let t0 = Instant::now();
    let mut outgoing = Outgoing::default();
    let first = send(&mut outgoing, t0, "a");
    let second = send(&mut outgoing, t0 + ms(10), "b");
    let t1 = t0 + ms(500);
    assert_eq!(outgoing.poll_resend(t1), Some(first));
    assert_eq!(outgoing.poll_resend(t1), None);
    assert_eq!(outgoing.acknowledge(t1 + ms(5), 0), AckOutcome::Released);
    // The second has waited far longer than its timeout, so it goes at once.
    assert_eq!(outgoing.poll_resend(t1 + ms(5)), Some(second));
}

#[test]
fn clean_round_trips_update_the_timeout_and_resent_ones_do_not() {
    let t0 = Instant::now();
    let mut outgoing = Outgoing::default();
    send(&mut outgoing, t0, "a");
    outgoing.acknowledge(t0 + ms(50), 0);
    assert_eq!(outgoing.rtt().timeout(), Duration::from_micros(143_750));

    let t1 = t0 + ms(100);
    send(&mut outgoing, t1, "b");
    let resent_at = t1 + ms(143_750 / 1000 + 1);
    assert!(outgoing.poll_resend(resent_at).is_some());
    outgoing.acknowledge(resent_at + ms(900), 1);
    assert_eq!(outgoing.rtt().timeout(), Duration::from_micros(143_750));
}

#[test]
fn a_full_buffer_refuses_instead_of_evicting() {
    let t0 = Instant::now();
    let mut outgoing = Outgoing::new(2);
    send(&mut outgoing, t0, "a");
    send(&mut outgoing, t0, "b");
    assert!(!outgoing.has_room());
    assert_eq!(
        outgoing.send(t0, PayloadType::OUTPUT, b"c".to_vec(), stamp(3)),
        Err(SendError::Full { capacity: 2 })
    );
    assert_eq!(outgoing.next_sequence(), 2);
    outgoing.acknowledge(t0, 0);
    assert_eq!(sequence_of(&send(&mut outgoing, t0, "c")), Ok(2));
}

#[test]
fn nothing_is_resent_while_the_agent_is_unreachable() {
    let t0 = Instant::now();
    let mut outgoing = Outgoing::default();
    let frame = send(&mut outgoing, t0, "a");
    outgoing.pause();
    assert!(outgoing.is_paused());
    assert_eq!(outgoing.next_resend_at(), None);
    assert_eq!(outgoing.poll_resend(t0 + ms(5_000)), None);
    // Input is still accepted while paused.
    send(&mut outgoing, t0 + ms(5_000), "b");
    outgoing.resume(t0 + ms(6_000));
    assert_eq!(outgoing.poll_resend(t0 + ms(6_000)), Some(frame));
}

#[test]
fn stalls_after_five_minutes_without_an_ack_not_counting_pauses() {
    let t0 = Instant::now();
    let mut outgoing = Outgoing::default();
    assert!(!outgoing.is_stalled(t0 + STALL_TIMEOUT));
    send(&mut outgoing, t0, "a");
    assert!(!outgoing.is_stalled(t0 + STALL_TIMEOUT - ms(1)));
    assert!(outgoing.is_stalled(t0 + STALL_TIMEOUT));

    let mut paused = Outgoing::default();
    send(&mut paused, t0, "a");
    paused.pause();
    assert!(!paused.is_stalled(t0 + ms(400_000)));
    paused.resume(t0 + ms(400_000));
    assert!(!paused.is_stalled(t0 + ms(400_000) + STALL_TIMEOUT - ms(1)));
    assert!(paused.is_stalled(t0 + ms(400_000) + STALL_TIMEOUT));
}

#[test]
fn resend_all_hands_back_every_waiting_frame_oldest_first_without_rtt_samples() {
    let t0 = Instant::now();
    let mut outgoing = Outgoing::default();
    let frames: Vec<Bytes> = ["a", "b", "c"]
        .map(|text| send(&mut outgoing, t0, text))
        .into();
    outgoing.acknowledge(t0 + ms(1), 1);
    let rtt_before = *outgoing.rtt();

    let again = outgoing.resend_all(t0 + ms(50));
    assert_eq!(again, [frames[0].clone(), frames[2].clone()]);
    assert_eq!(outgoing.in_flight(), 2, "still waiting for their acks");
    // Counted as resent: the next timeout is doubled and their acks are not sampled.
    assert!(outgoing.next_resend_at().unwrap() > t0 + ms(50) + outgoing.rtt().timeout());
    outgoing.acknowledge(t0 + ms(60), 0);
    assert_eq!(*outgoing.rtt(), rtt_before);
}
