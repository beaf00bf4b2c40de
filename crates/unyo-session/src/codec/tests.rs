//! Byte-level tests of the codec: a frame written from the layout table, the message id
//! quirk, and every variant the lenient decoder accepts or rejects.

use super::*;
use crate::message::Stamp;

const REFERENCE_ID: &str = "dd01e56b-ff48-483e-a508-b5f073f31b16";

/// The values of the plugin's own parser tests, as an input message.
fn reference_message() -> ClientMessage {
    let stamp = Stamp {
        message_id: Uuid::parse_str(REFERENCE_ID).unwrap(),
        created_date: 1_503_434_274_948,
    };
    ClientMessage::input_stream_data(2, PayloadType::OUTPUT, b"payload".to_vec(), stamp)
}

/// A frame written field by field from the layout table, independent of the encoder.
fn reference_frame() -> Vec<u8> {
    let name = format!("{}{}", hex::encode("input_stream_data"), "20".repeat(15));
    let fields = [
        "00000074",
        &name,
        "00000001",
        "0000015e0baa7884",
        "0000000000000002",
        "0000000000000000",
        "a508b5f073f31b16dd01e56bff48483e",
        "239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5",
        "00000001",
        "00000007",
        &hex::encode("payload"),
    ];
    hex::decode(fields.concat()).unwrap()
}

/// Rewrites a field of an encoded frame, then repairs nothing: callers that change the
/// payload set the digest themselves.
fn patched(mut frame: Vec<u8>, at: usize, bytes: &[u8]) -> Vec<u8> {
    frame[at..at + bytes.len()].copy_from_slice(bytes);
    frame
}

#[test]
fn encodes_the_reference_layout_byte_for_byte() {
    assert_eq!(reference_message().encode().unwrap(), reference_frame());
}

#[test]
fn message_id_is_written_with_its_halves_swapped() {
    let frame = reference_message().encode().unwrap();
    assert_eq!(
        hex::encode(&frame[64..80]),
        "a508b5f073f31b16dd01e56bff48483e"
    );
    let decoded = decode(&frame).unwrap();
    assert_eq!(decoded.message.message_id.to_string(), REFERENCE_ID);
}

#[test]
fn decodes_the_reference_frame() {
    let decoded = decode(&reference_frame()).unwrap();
    assert_eq!(decoded.message, reference_message());
    assert_eq!(decoded.header_length, 116);
    assert_eq!(decoded.declared_payload_length, 7);
    assert!(decoded.declared_length_matches());
    assert_eq!(decoded.digest_check, DigestCheck::Verified);
}

#[test]
fn an_empty_payload_still_gets_the_sha256_of_nothing() {
    let notice = ClientMessage {
        message_type: message_type::START_PUBLICATION.to_owned(),
        payload: Vec::new(),
        payload_type: PayloadType::UNSET,
        ..reference_message()
    };
    let frame = notice.encode().unwrap();
    assert_eq!(frame.len(), 120);
    assert_eq!(
        hex::encode(&frame[80..112]),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(&frame[116..120], &[0, 0, 0, 0]);
}

#[test]
fn encoder_refuses_what_a_peer_would_drop_or_misread() {
    let cases = [
        (
            String::new(),
            1,
            0,
            b"x".to_vec(),
            EncodeError::EmptyMessageType,
        ),
        (
            "a".repeat(33),
            1,
            0,
            b"x".to_vec(),
            EncodeError::MessageTypeTooLong {
                name: "a".repeat(33),
            },
        ),
        (
            "input stream".to_owned(),
            1,
            0,
            b"x".to_vec(),
            EncodeError::MessageTypeNotPrintable {
                name: "input stream".to_owned(),
            },
        ),
        (
            "\0ack".to_owned(),
            1,
            0,
            b"x".to_vec(),
            EncodeError::MessageTypeNotPrintable {
                name: "\0ack".to_owned(),
            },
        ),
        (
            "acknowledge".to_owned(),
            0,
            0,
            b"x".to_vec(),
            EncodeError::ZeroCreatedDate,
        ),
        (
            "acknowledge".to_owned(),
            1,
            -1,
            b"x".to_vec(),
            EncodeError::NegativeSequenceNumber {
                sequence_number: -1,
            },
        ),
        (
            "input_stream_data".to_owned(),
            1,
            0,
            Vec::new(),
            EncodeError::EmptyStreamPayload {
                message_type: "input_stream_data".to_owned(),
            },
        ),
    ];
    for (message_type, created_date, sequence_number, payload, expected) in cases {
        let message = ClientMessage {
            message_type,
            created_date,
            sequence_number,
            payload,
            ..reference_message()
        };
        assert_eq!(message.encode(), Err(expected));
    }
    let exactly_32 = ClientMessage {
        message_type: "a".repeat(32),
        ..reference_message()
    };
    assert!(exactly_32.encode().is_ok());
}

#[test]
fn reads_relay_channel_closed_with_header_length_112() {
    // As reported by a native client: no payload type field, NUL-padded type.
    let payload = br#"{"Output":"bye"}"#;
    let mut name = [0u8; 32];
    name[..14].copy_from_slice(b"channel_closed");
    let mut frame = Vec::new();
    frame.extend_from_slice(&112u32.to_be_bytes());
    frame.extend_from_slice(&name);
    frame.extend_from_slice(&1u32.to_be_bytes());
    frame.extend_from_slice(&1_503_434_274_948u64.to_be_bytes());
    frame.extend_from_slice(&0i64.to_be_bytes());
    frame.extend_from_slice(&0u64.to_be_bytes());
    frame.extend_from_slice(&[7; 16]);
    frame.extend_from_slice(&<[u8; 32]>::from(Sha256::digest(payload)));
    frame.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    frame.extend_from_slice(payload);

    let decoded = decode(&frame).unwrap();
    assert_eq!(decoded.header_length, 112);
    assert_eq!(decoded.message.message_type, "channel_closed");
    assert_eq!(decoded.message.payload_type, PayloadType::UNSET);
    assert_eq!(decoded.message.payload, payload);
    assert_eq!(decoded.digest_check, DigestCheck::Verified);
}

#[test]
fn trims_nul_and_space_padding_on_either_side() {
    let mut name = [0u8; 32];
    name[10..21].copy_from_slice(b"acknowledge");
    name[21..24].copy_from_slice(b"   ");
    let frame = patched(reference_message().encode().unwrap(), 4, &name);
    assert_eq!(decode(&frame).unwrap().message.message_type, "acknowledge");
}

#[test]
fn reads_a_longer_header_and_ignores_its_extra_bytes() {
    let mut frame = reference_message().encode().unwrap();
    frame.splice(116..116, [0xAA; 4]);
    frame[0..4].copy_from_slice(&120u32.to_be_bytes());
    let decoded = decode(&frame).unwrap();
    assert_eq!(decoded.header_length, 120);
    assert_eq!(decoded.message, reference_message());
}

#[test]
fn rejects_a_payload_whose_digest_does_not_match() {
    let frame = patched(reference_message().encode().unwrap(), 120, b"PAYLOAD");
    assert_eq!(
        decode(&frame),
        Err(DecodeError::DigestMismatch {
            message_type: "input_stream_data".to_owned(),
            sequence_number: 2,
        })
    );
}

#[test]
fn skips_the_digest_check_where_peers_are_known_to_skip_the_digest() {
    let zeroed = patched(reference_message().encode().unwrap(), 80, &[0; 32]);
    assert_eq!(
        decode(&zeroed).unwrap().digest_check,
        DigestCheck::ZeroDigest
    );

    let empty = ClientMessage {
        message_type: message_type::ACKNOWLEDGE.to_owned(),
        payload: Vec::new(),
        ..reference_message()
    };
    let garbage_digest = patched(empty.encode().unwrap(), 80, &[0xEE; 32]);
    assert_eq!(
        decode(&garbage_digest).unwrap().digest_check,
        DigestCheck::EmptyPayload
    );

    // Publication notices skip every check: bad digest, zero date.
    let notice = ClientMessage {
        message_type: message_type::PAUSE_PUBLICATION.to_owned(),
        ..reference_message()
    };
    let frame = patched(notice.encode().unwrap(), 80, &[0xEE; 32]);
    let frame = patched(frame, 40, &[0; 8]);
    let decoded = decode(&frame).unwrap();
    assert_eq!(decoded.digest_check, DigestCheck::PublicationNotice);
    assert_eq!(decoded.message.created_date, 0);
}

#[test]
fn slices_the_payload_by_frame_end_not_by_the_length_field() {
    let frame = patched(
        reference_message().encode().unwrap(),
        116,
        &3u32.to_be_bytes(),
    );
    let decoded = decode(&frame).unwrap();
    assert_eq!(decoded.message.payload, b"payload");
    assert_eq!(decoded.declared_payload_length, 3);
    assert!(!decoded.declared_length_matches());
}

#[test]
fn rejects_truncated_frames() {
    let frame = reference_message().encode().unwrap();
    assert_eq!(decode(&[]), Err(DecodeError::TooShort { len: 0 }));
    assert_eq!(
        decode(&frame[..115]),
        Err(DecodeError::TooShort { len: 115 })
    );
    assert_eq!(
        decode(&frame[..118]),
        Err(DecodeError::Truncated {
            header_length: 116,
            len: 118
        })
    );
    let oversized = patched(frame.clone(), 0, &200u32.to_be_bytes());
    assert_eq!(
        decode(&oversized),
        Err(DecodeError::Truncated {
            header_length: 200,
            len: 127
        })
    );
    let zero = patched(frame, 0, &0u32.to_be_bytes());
    assert_eq!(
        decode(&zero),
        Err(DecodeError::HeaderTooShort { header_length: 0 })
    );
}

#[test]
fn rejects_an_empty_type_or_a_zero_date() {
    let frame = reference_message().encode().unwrap();
    let blank = patched(frame.clone(), 4, &[b' '; 32]);
    assert_eq!(decode(&blank), Err(DecodeError::EmptyMessageType));
    let undated = patched(frame, 40, &[0; 8]);
    assert_eq!(
        decode(&undated),
        Err(DecodeError::ZeroCreatedDate {
            message_type: "input_stream_data".to_owned()
        })
    );
}

#[test]
fn carries_unknown_message_and_payload_types_through() {
    let message = ClientMessage {
        message_type: "agent_session_state".to_owned(),
        payload_type: PayloadType(4242),
        ..reference_message()
    };
    let decoded = decode(&message.encode().unwrap()).unwrap();
    assert_eq!(decoded.message, message);
}

#[test]
fn errors_say_what_was_wrong() {
    let too_long = EncodeError::MessageTypeTooLong {
        name: "a".repeat(33),
    };
    assert_eq!(
        too_long.to_string(),
        format!(
            "message type \"{}\" is 33 bytes; the header field holds 32",
            "a".repeat(33)
        )
    );
    assert_eq!(
        DecodeError::TooShort { len: 3 }.to_string(),
        "a frame of 3 bytes is shorter than the 116-byte minimum"
    );
}
