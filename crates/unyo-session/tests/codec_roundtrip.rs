//! Property tests of the codec: every message the strict encoder accepts decodes to itself,
//! and the decoder never panics, whatever bytes arrive.
#![allow(
    clippy::unwrap_used,
    reason = "a property that cannot encode its own input should fail loudly"
)]

use proptest::prelude::*;
use unyo_session::message_type;
use unyo_session::{
    AcknowledgeContent, ClientMessage, DigestCheck, FlagCode, PayloadType, TerminalSize,
};
use uuid::Uuid;

fn any_message_type() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(message_type::INPUT_STREAM_DATA.to_owned()),
        Just(message_type::OUTPUT_STREAM_DATA.to_owned()),
        Just(message_type::ACKNOWLEDGE.to_owned()),
        Just(message_type::CHANNEL_CLOSED.to_owned()),
        Just(message_type::START_PUBLICATION.to_owned()),
        Just(message_type::PAUSE_PUBLICATION.to_owned()),
        "[!-~]{1,32}",
    ]
}

prop_compose! {
    fn any_message()(
        message_type in any_message_type(),
        schema_version in any::<u32>(),
        created_date in 1..=u64::MAX,
        sequence_number in 0..=i64::MAX,
        flags in any::<u64>(),
        message_id in any::<u128>(),
        payload_type in any::<u32>(),
        payload in proptest::collection::vec(any::<u8>(), 0..2048),
    ) -> ClientMessage {
        // Stream data with an empty payload is refused by the encoder, so give it one byte.
        let payload = if payload.is_empty() && message_type::is_stream_data(&message_type) {
            vec![0]
        } else {
            payload
        };
        ClientMessage {
            message_type,
            schema_version,
            created_date,
            sequence_number,
            flags,
            message_id: Uuid::from_u128(message_id),
            payload_type: PayloadType(payload_type),
            payload,
        }
    }
}

proptest! {
    #[test]
    fn every_encodable_message_decodes_to_itself(message in any_message()) {
        let frame = message.encode().unwrap();
        prop_assert_eq!(frame.len(), 120 + message.payload.len());
        let decoded = ClientMessage::decode(&frame).unwrap();
        prop_assert_eq!(decoded.header_length, 116);
        prop_assert!(decoded.declared_length_matches());
        let expected_check = if message_type::is_publication_notice(&message.message_type) {
            DigestCheck::PublicationNotice
        } else if message.payload.is_empty() {
            DigestCheck::EmptyPayload
        } else {
            DigestCheck::Verified
        };
        prop_assert_eq!(decoded.digest_check, expected_check);
        prop_assert_eq!(decoded.message, message);
    }

    #[test]
    fn the_message_id_travels_with_its_halves_swapped(message in any_message()) {
        let frame = message.encode().unwrap();
        let id = message.message_id.as_bytes();
        prop_assert_eq!(&frame[64..72], &id[8..16]);
        prop_assert_eq!(&frame[72..80], &id[0..8]);
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(frame in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = ClientMessage::decode(&frame);
    }

    #[test]
    fn decoding_a_damaged_frame_never_panics(
        message in any_message(),
        damage in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut frame = message.encode().unwrap();
        for (at, byte) in damage {
            let index = at.index(frame.len());
            frame[index] = byte;
        }
        frame.truncate(cut.index(frame.len() + 1));
        let _ = ClientMessage::decode(&frame);
    }

    #[test]
    fn acknowledgements_survive_the_wire(message in any_message(), created_date in 1..=u64::MAX) {
        let content = AcknowledgeContent::for_message(&message);
        let stamp = unyo_session::Stamp { message_id: Uuid::from_u128(1), created_date };
        let frame = content.to_message(stamp).unwrap().encode().unwrap();
        let decoded = ClientMessage::decode(&frame).unwrap().message;
        prop_assert_eq!(AcknowledgeContent::from_payload(&decoded.payload).unwrap(), content);
    }

    #[test]
    fn small_payloads_round_trip(cols in any::<u32>(), rows in any::<u32>(), code in any::<u32>()) {
        let size = TerminalSize { cols, rows };
        let json = serde_json::to_vec(&size).unwrap();
        prop_assert_eq!(serde_json::from_slice::<TerminalSize>(&json).unwrap(), size);
        let flag = FlagCode(code);
        prop_assert_eq!(FlagCode::from_payload(&flag.to_payload()), Ok(flag));
    }
}
