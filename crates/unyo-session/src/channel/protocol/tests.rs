//! The session state with a fixed clock and hand-made agent frames: session start with and
//! without a handshake, the KMS refusal, terminal size, back-pressure, relay notices.

use std::time::Duration;

use serde_json::json;
use uuid::Uuid;

use super::*;
use crate::channel::answer::KMS_UNSUPPORTED;
use crate::handshake::{ActionStatus, HandshakeResponse};

fn agent_frame(
    message_type: &str,
    sequence: i64,
    payload_type: PayloadType,
    payload: &[u8],
) -> Vec<u8> {
    ClientMessage {
        message_type: message_type.to_owned(),
        schema_version: 1,
        created_date: 1_700_000_000_000,
        sequence_number: sequence,
        flags: 0,
        message_id: Uuid::from_u128(1000 + sequence as u128),
        payload_type,
        payload: payload.to_vec(),
    }
    .encode()
    .unwrap()
}

fn output(sequence: i64, payload_type: PayloadType, payload: &[u8]) -> Vec<u8> {
    agent_frame(
        message_type::OUTPUT_STREAM_DATA,
        sequence,
        payload_type,
        payload,
    )
}

fn text(sequence: i64, payload: &str) -> Vec<u8> {
    output(sequence, PayloadType::OUTPUT, payload.as_bytes())
}

fn ack_of(sequence: i64) -> Vec<u8> {
    let content = AcknowledgeContent {
        acknowledged_message_type: message_type::INPUT_STREAM_DATA.to_owned(),
        acknowledged_message_id: String::new(),
        acknowledged_message_sequence_number: sequence,
        is_sequential_message: true,
    };
    content.to_message(Stamp::now()).unwrap().encode().unwrap()
}

fn decoded(frames: &[Bytes]) -> Vec<ClientMessage> {
    frames
        .iter()
        .map(|frame| ClientMessage::decode(frame).unwrap().message)
        .collect()
}

/// The sequence numbers the frames acknowledge, for acknowledgement frames only.
fn acked(frames: &[Bytes]) -> Vec<i64> {
    decoded(frames)
        .iter()
        .filter(|message| message.message_type == message_type::ACKNOWLEDGE)
        .map(|message| {
            AcknowledgeContent::from_payload(&message.payload)
                .unwrap()
                .acknowledged_message_sequence_number
        })
        .collect()
}

fn shell(size: Option<TerminalSize>) -> Protocol {
    Protocol::new(64, 1024, size)
}

const SIZE: TerminalSize = TerminalSize {
    cols: 120,
    rows: 40,
};

fn handshake_request(actions: serde_json::Value) -> Vec<u8> {
    let request = json!({"AgentVersion": "3.3.987.0", "RequestedClientActions": actions});
    output(
        0,
        PayloadType::HANDSHAKE_REQUEST,
        request.to_string().as_bytes(),
    )
}

#[test]
fn a_shell_without_handshake_sends_nothing_until_the_agent_speaks() {
    let t0 = Instant::now();
    let mut protocol = shell(Some(SIZE));
    assert!(!protocol.accepts_input());
    assert!(protocol.take_sends(t0).unwrap().is_empty());

    let reaction = protocol.receive(t0, &text(0, "$ "), true);
    assert_eq!(acked(&reaction.frames), [0]);
    let Event::Ready(info) = &reaction.events[0] else {
        panic!("expected Ready first: {:?}", reaction.events);
    };
    assert_eq!(info.session.session_type, SessionType::StandardStream);
    assert_eq!(reaction.events[1], Event::Output(b"$ ".to_vec()));

    assert!(protocol.accepts_input());
    protocol.push_input(b"ls\r");
    let sent = decoded(&protocol.take_sends(t0).unwrap());
    assert_eq!(sent.len(), 2);
    assert_eq!(
        (sent[0].sequence_number, sent[0].payload_type),
        (0, PayloadType::SIZE)
    );
    assert_eq!(sent[0].payload, br#"{"cols":120,"rows":40}"#);
    assert_eq!(
        (sent[1].sequence_number, sent[1].payload_type),
        (1, PayloadType::OUTPUT)
    );
    assert_eq!(sent[1].payload, b"ls\r");
}

#[test]
fn answers_the_handshake_acknowledging_first_and_starts_on_completion() {
    let t0 = Instant::now();
    let mut protocol = shell(Some(SIZE));
    let request = handshake_request(json!([{"ActionType": "SessionType",
        "ActionParameters": {"SessionType": "Standard_Stream", "Properties": null}}]));
    let reaction = protocol.receive(t0, &request, true);
    let frames = decoded(&reaction.frames);
    assert_eq!(frames.len(), 2);
    assert_eq!(
        frames[0].message_type,
        message_type::ACKNOWLEDGE,
        "ack before the answer"
    );
    assert_eq!(frames[1].payload_type, PayloadType::HANDSHAKE_RESPONSE);
    assert_eq!(frames[1].sequence_number, 0);
    assert_eq!(
        String::from_utf8(frames[1].payload.clone()).unwrap(),
        r#"{"ClientVersion":"1.2.764.0","ProcessedClientActions":[{"ActionType":"SessionType","ActionStatus":1,"ActionResult":null,"Error":""}],"Errors":null}"#
    );
    assert!(reaction.events.is_empty());
    assert!(!protocol.accepts_input(), "no input during the handshake");

    let complete = br#"{"HandshakeTimeToComplete":1000,"CustomerMessage":"Welcome"}"#;
    let reaction = protocol.receive(
        t0,
        &output(1, PayloadType::HANDSHAKE_COMPLETE, complete),
        true,
    );
    assert_eq!(acked(&reaction.frames), [1]);
    assert_eq!(
        reaction.events,
        [Event::Ready(SessionInfo {
            session: SessionTypeRequest {
                session_type: SessionType::StandardStream,
                properties: serde_json::Value::Null,
            },
            agent_version: Some("3.3.987.0".to_owned()),
            notice: Some("Welcome".to_owned()),
        })]
    );
    let sizes = decoded(&protocol.take_sends(t0).unwrap());
    assert_eq!(
        (sizes[0].sequence_number, sizes[0].payload_type),
        (1, PayloadType::SIZE)
    );

    // The size goes out once more with the first output, for agents whose pty came late.
    protocol.receive(t0, &text(2, "$ "), true);
    let again = decoded(&protocol.take_sends(t0).unwrap());
    assert_eq!(
        (again[0].sequence_number, again[0].payload_type),
        (2, PayloadType::SIZE)
    );
    protocol.receive(t0, &text(3, "more"), true);
    assert!(protocol.take_sends(t0).unwrap().is_empty());
}

#[test]
fn refuses_kms_with_a_clear_error_and_reports_it_when_the_session_ends() {
    let t0 = Instant::now();
    let mut protocol = shell(None);
    let request = handshake_request(json!([
        {"ActionType": "SessionType", "ActionParameters": {"SessionType": "Standard_Stream"}},
        {"ActionType": "KMSEncryption",
         "ActionParameters": {"KMSKeyId": "arn:aws:kms:eu-west-1:111122223333:key/k", "Challenge": "AA=="}},
        {"ActionType": "Teleport", "ActionParameters": {}}
    ]));
    let reaction = protocol.receive(t0, &request, true);
    let answer: HandshakeResponse =
        serde_json::from_slice(&decoded(&reaction.frames)[1].payload).unwrap();
    let statuses: Vec<_> = answer
        .processed_client_actions
        .iter()
        .map(|action| (action.action_type.as_str(), action.action_status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("SessionType", ActionStatus::SUCCESS),
            ("KMSEncryption", ActionStatus::FAILED),
            ("Teleport", ActionStatus::UNSUPPORTED),
        ]
    );
    assert_eq!(answer.processed_client_actions[1].error, KMS_UNSUPPORTED);

    let closed = agent_frame(
        message_type::CHANNEL_CLOSED,
        0,
        PayloadType::UNSET,
        br#"{"Output":"Session cancelled"}"#,
    );
    let reaction = protocol.receive(t0, &closed, true);
    assert_eq!(
        reaction.closed,
        Some(CloseReason::Unsupported {
            detail: KMS_UNSUPPORTED.to_owned()
        })
    );
}

#[test]
fn an_unknown_session_type_is_answered_as_failed() {
    let mut protocol = shell(None);
    let request = handshake_request(json!([{"ActionType": "SessionType",
        "ActionParameters": {"SessionType": "Telepathy"}}]));
    let reaction = protocol.receive(Instant::now(), &request, true);
    let answer: HandshakeResponse =
        serde_json::from_slice(&decoded(&reaction.frames)[1].payload).unwrap();
    assert_eq!(
        answer.processed_client_actions[0].action_status,
        ActionStatus::FAILED
    );
    assert!(
        answer.processed_client_actions[0]
            .error
            .contains("Telepathy")
    );
}

#[test]
fn channel_closed_ends_with_its_output_and_the_reported_exit_code_unacknowledged() {
    let t0 = Instant::now();
    let mut protocol = shell(None);
    protocol.receive(t0, &text(0, "done\r\n"), true);
    protocol.receive(
        t0,
        &output(1, PayloadType::EXIT_CODE, b"EXIT_CODE: 3"),
        true,
    );
    assert_eq!(protocol.exit_code(), Some(3));

    let payload = br#"{"SessionId":"s-1","Output":"Your session timed out due to inactivity."}"#;
    let closed = agent_frame(message_type::CHANNEL_CLOSED, 0, PayloadType::UNSET, payload);
    let reaction = protocol.receive(t0, &closed, true);
    assert!(
        reaction.frames.is_empty(),
        "channel_closed is never acknowledged"
    );
    assert_eq!(
        reaction.closed,
        Some(CloseReason::ChannelClosed {
            output: "Your session timed out due to inactivity.".to_owned()
        })
    );
}

#[test]
fn a_busy_consumer_leaves_output_to_the_agents_resend() {
    let t0 = Instant::now();
    let mut protocol = shell(None);
    let busy = protocol.receive(t0, &text(0, "$ "), false);
    assert!(busy.frames.is_empty() && busy.events.is_empty());
    let ready = protocol.receive(t0, &text(0, "$ "), true);
    assert_eq!(acked(&ready.frames), [0]);
    assert_eq!(ready.events.len(), 2);
}

#[test]
fn early_output_is_acknowledged_held_and_delivered_in_order() {
    let t0 = Instant::now();
    let mut protocol = shell(None);
    let early = protocol.receive(t0, &text(1, "world"), true);
    assert_eq!(acked(&early.frames), [1]);
    assert!(early.events.is_empty());
    let gap_filled = protocol.receive(t0, &text(0, "hello "), true);
    let outputs: Vec<_> = gap_filled
        .events
        .iter()
        .filter_map(|event| match event {
            Event::Output(bytes) => Some(bytes.as_slice()),
            _ => None,
        })
        .collect();
    assert_eq!(outputs, [b"hello ".as_slice(), b"world".as_slice()]);
    let duplicate = protocol.receive(t0, &text(1, "world"), true);
    assert_eq!(
        acked(&duplicate.frames),
        [1],
        "a repeat is acknowledged again"
    );
    assert!(duplicate.events.is_empty());
}

#[test]
fn a_frame_with_a_corrupted_digest_is_dropped_without_an_ack() {
    let mut frame = text(0, "$ ");
    // The digest field spans bytes 80..112 (§3).
    frame[80] ^= 0xff;
    let reaction = shell(None).receive(Instant::now(), &frame, true);
    assert!(reaction.frames.is_empty() && reaction.events.is_empty());
}

#[test]
fn input_is_cut_to_the_payload_limit_and_paced_by_the_window() {
    let t0 = Instant::now();
    let mut protocol = Protocol::new(2, 4, None);
    protocol.receive(t0, &text(0, "$ "), true);
    protocol.push_input(b"0123456789");
    let first = decoded(&protocol.take_sends(t0).unwrap());
    let payloads: Vec<_> = first.iter().map(|m| m.payload.as_slice()).collect();
    assert_eq!(payloads, [b"0123".as_slice(), b"4567".as_slice()]);
    assert!(
        protocol.take_sends(t0).unwrap().is_empty(),
        "the window is full"
    );

    protocol.receive(t0, &ack_of(1), true);
    let next = decoded(&protocol.take_sends(t0).unwrap());
    assert_eq!(
        (next[0].sequence_number, next[0].payload.as_slice()),
        (2, b"89".as_slice())
    );
}

#[test]
fn pause_publication_holds_resends_until_start_publication() {
    let t0 = Instant::now();
    let mut protocol = shell(None);
    protocol.receive(t0, &text(0, "$ "), true);
    protocol.push_input(b"x");
    protocol.take_sends(t0).unwrap();
    assert!(protocol.next_resend_at().is_some());

    let pause = agent_frame(message_type::PAUSE_PUBLICATION, 0, PayloadType::UNSET, b"");
    protocol.receive(t0, &pause, true);
    assert_eq!(protocol.next_resend_at(), None);
    assert_eq!(protocol.poll_resend(t0 + Duration::from_secs(5)), None);

    let start = agent_frame(message_type::START_PUBLICATION, 0, PayloadType::UNSET, b"");
    protocol.receive(t0 + Duration::from_secs(5), &start, true);
    let resent = protocol.poll_resend(t0 + Duration::from_secs(6)).unwrap();
    assert_eq!(decoded(&[resent])[0].payload, b"x");
}

#[test]
fn input_unacknowledged_for_five_minutes_is_a_stall() {
    let t0 = Instant::now();
    let mut protocol = shell(None);
    protocol.receive(t0, &text(0, "$ "), true);
    protocol.push_input(b"x");
    protocol.take_sends(t0).unwrap();
    assert!(!protocol.is_stalled(t0 + Duration::from_secs(299)));
    assert!(protocol.is_stalled(t0 + Duration::from_secs(300)));
}

#[test]
fn a_pause_ends_with_the_connection_it_was_announced_on() {
    // Regression: a pause announced just before a drop held resends after the resume, so
    // input lost in the drop never arrived and the transcript stalled.
    let t0 = Instant::now();
    let mut protocol = shell(None);
    protocol.receive(t0, &text(0, "$ "), true);
    protocol.push_input(b"x");
    protocol.take_sends(t0).unwrap();
    let pause = agent_frame(message_type::PAUSE_PUBLICATION, 0, PayloadType::UNSET, b"");
    protocol.receive(t0, &pause, true);
    assert_eq!(protocol.next_resend_at(), None);

    let resent = protocol.connection_replaced(t0 + Duration::from_secs(1));
    assert_eq!(decoded(&resent)[0].payload, b"x");
    assert!(protocol.poll_resend(t0 + Duration::from_secs(3)).is_some());
}

#[test]
fn a_flag_follows_the_input_staged_before_it_in_its_own_message() {
    let t0 = Instant::now();
    let mut protocol = Protocol::new(8, 4, None);
    protocol.receive(t0, &text(0, "$ "), true);
    protocol.push_input(b"012345");
    protocol.push_flag(FlagCode::DISCONNECT_TO_PORT);
    protocol.push_input(b"");
    protocol.push_input(b"ab");
    let sent: Vec<_> = decoded(&protocol.take_sends(t0).unwrap())
        .into_iter()
        .map(|m| (m.sequence_number, m.payload_type, m.payload))
        .collect();
    assert_eq!(
        sent,
        [
            (0, PayloadType::OUTPUT, b"0123".to_vec()),
            (1, PayloadType::OUTPUT, b"45".to_vec()),
            (2, PayloadType::FLAG, vec![0, 0, 0, 1]),
            (3, PayloadType::OUTPUT, b"ab".to_vec()),
        ]
    );
}

#[test]
fn staged_flags_are_bounded_while_the_window_is_full() {
    let t0 = Instant::now();
    let mut protocol = Protocol::new(1, 1024, None);
    protocol.receive(t0, &text(0, "$ "), true);
    protocol.push_input(b"x");
    protocol.take_sends(t0).unwrap();
    let mut taken = 0;
    while protocol.accepts_input() {
        protocol.push_flag(FlagCode::TERMINATE_SESSION);
        taken += 1;
        assert!(taken <= MAX_STAGED_ITEMS, "flags pile up without bound");
    }
    assert_eq!(taken, MAX_STAGED_ITEMS);
}

#[test]
fn the_agents_flags_are_reported_in_stream_order() {
    let t0 = Instant::now();
    let mut protocol = shell(None);
    protocol.receive(t0, &text(0, "$ "), true);
    let error = output(1, PayloadType::FLAG, &[0, 0, 0, 3]);
    let reaction = protocol.receive(t0, &error, true);
    assert_eq!(
        reaction.events,
        [Event::Flag(FlagCode::CONNECT_TO_PORT_ERROR)]
    );
    assert_eq!(acked(&reaction.frames), [1]);
    let unreadable = protocol.receive(t0, &output(2, PayloadType::FLAG, &[3]), true);
    assert!(unreadable.events.is_empty(), "{:?}", unreadable.events);
    assert_eq!(
        acked(&unreadable.frames),
        [2],
        "still acknowledged, not resent"
    );
}

mod kms;
