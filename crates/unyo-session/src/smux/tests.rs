//! Byte layouts written by hand from the reference's frame format, the reading rules of its
//! receive loop, and round trips through arbitrary cuts of the byte stream.

use proptest::prelude::*;

use super::*;

fn encoded(frames: &[Frame]) -> Vec<u8> {
    let mut out = BytesMut::new();
    for frame in frames {
        frame.encode(&mut out).unwrap();
    }
    out.to_vec()
}

fn read_all(reader: &mut FrameReader) -> Vec<Frame> {
    let mut frames = Vec::new();
    while let Some(frame) = reader.next_frame().unwrap() {
        frames.push(frame);
    }
    frames
}

#[test]
fn frames_have_the_reference_layout() {
    assert_eq!(
        encoded(&[Frame::Syn { stream: 3 }]),
        [1, 0, 0, 0, 3, 0, 0, 0]
    );
    assert_eq!(
        encoded(&[Frame::Fin {
            stream: 0x0102_0305
        }]),
        [1, 1, 0, 0, 5, 3, 2, 1]
    );
    assert_eq!(
        encoded(&[Frame::Push {
            stream: 5,
            data: Bytes::from_static(b"hi"),
        }]),
        [1, 2, 2, 0, 5, 0, 0, 0, b'h', b'i']
    );
    assert_eq!(
        encoded(&[Frame::Nop { stream: 0 }]),
        [1, 3, 0, 0, 0, 0, 0, 0]
    );
    assert_eq!(
        encoded(&[Frame::Update {
            stream: 7,
            consumed: 1,
            window: 0x100,
        }]),
        [1, 4, 8, 0, 7, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0]
    );
}

#[test]
fn a_push_longer_than_sixteen_bits_is_refused() {
    let too_long = Frame::Push {
        stream: 3,
        data: Bytes::from(vec![7u8; 70_000]),
    };
    assert_eq!(
        too_long.encode(&mut BytesMut::new()),
        Err(SmuxError::DataTooLong { len: 70_000 })
    );
}

#[test]
fn control_frame_helpers_match_the_encoded_frames() {
    assert_eq!(syn(3)[..], Frame::Syn { stream: 3 }.to_bytes().unwrap());
    assert_eq!(fin(5)[..], Frame::Fin { stream: 5 }.to_bytes().unwrap());
    assert_eq!(nop()[..], Frame::Nop { stream: 0 }.to_bytes().unwrap());
}

#[test]
fn push_header_matches_the_encoded_frame() {
    let frame = Frame::Push {
        stream: 0x0a0b_0c0d,
        data: Bytes::from(vec![0u8; MAX_FRAME_DATA]),
    };
    let bytes = frame.to_bytes().unwrap();
    assert_eq!(
        push_header(0x0a0b_0c0d, MAX_FRAME_DATA as u16),
        bytes[..HEADER_LEN]
    );
}

#[test]
fn a_frame_split_across_payloads_is_read_once_complete() {
    let bytes = encoded(&[Frame::Push {
        stream: 9,
        data: Bytes::from_static(b"hello"),
    }]);
    let mut reader = FrameReader::default();
    reader.push(&bytes[..5]);
    assert_eq!(reader.next_frame(), Ok(None), "half a header");
    reader.push(&bytes[5..10]);
    assert_eq!(reader.next_frame(), Ok(None), "header without all its data");
    reader.push(&bytes[10..]);
    assert_eq!(
        reader.next_frame(),
        Ok(Some(Frame::Push {
            stream: 9,
            data: Bytes::from_static(b"hello"),
        }))
    );
    assert_eq!(reader.buffered(), 0);
}

#[test]
fn control_frames_carry_no_data_whatever_their_length_says() {
    // The reference's reader never reads a body for SYN, FIN or NOP, so the next frame
    // starts right after their header.
    let mut reader = FrameReader::default();
    reader.push(&[1, 0, 9, 0, 3, 0, 0, 0]);
    reader.push(&[1, 2, 1, 0, 3, 0, 0, 0, b'x']);
    assert_eq!(
        read_all(&mut reader),
        [
            Frame::Syn { stream: 3 },
            Frame::Push {
                stream: 3,
                data: Bytes::from_static(b"x"),
            }
        ]
    );
}

#[test]
fn a_wrong_version_or_unknown_command_is_a_final_protocol_error() {
    let mut reader = FrameReader::default();
    reader.push(&[2, 0, 0, 0, 3, 0, 0, 0]);
    let error = SmuxError::InvalidVersion { version: 2 };
    assert_eq!(reader.next_frame(), Err(error.clone()));
    reader.push(&encoded(&[Frame::Syn { stream: 3 }]));
    assert_eq!(
        reader.next_frame(),
        Err(error),
        "no recovery from a broken stream"
    );

    let mut reader = FrameReader::default();
    reader.push(&[1, 5, 0, 0, 3, 0, 0, 0]);
    assert_eq!(
        reader.next_frame(),
        Err(SmuxError::UnknownCommand { command: 5 })
    );
}

#[test]
fn debug_output_never_shows_forwarded_data() {
    let frame = Frame::Push {
        stream: 3,
        data: Bytes::from_static(b"PASSWORD=hunter2"),
    };
    let shown = format!("{frame:?}");
    assert_eq!(shown, "Push(3, 16 bytes)");
}

fn any_frame() -> impl Strategy<Value = Frame> {
    prop_oneof![
        any::<u32>().prop_map(|stream| Frame::Syn { stream }),
        any::<u32>().prop_map(|stream| Frame::Fin { stream }),
        any::<u32>().prop_map(|stream| Frame::Nop { stream }),
        (
            any::<u32>(),
            proptest::collection::vec(any::<u8>(), 0..3000)
        )
            .prop_map(|(stream, data)| Frame::Push {
                stream,
                data: Bytes::from(data),
            }),
        (any::<u32>(), any::<u32>(), any::<u32>()).prop_map(|(stream, consumed, window)| {
            Frame::Update {
                stream,
                consumed,
                window,
            }
        }),
    ]
}

proptest! {
    #[test]
    fn frames_survive_any_cut_of_the_byte_stream(
        frames in proptest::collection::vec(any_frame(), 0..40),
        cuts in proptest::collection::vec(1usize..2048, 1..64),
    ) {
        let bytes = encoded(&frames);
        let mut reader = FrameReader::default();
        let mut read = Vec::new();
        let mut rest = bytes.as_slice();
        for cut in cuts.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (piece, tail) = rest.split_at((*cut).min(rest.len()));
            reader.push(piece);
            rest = tail;
            read.extend(read_all(&mut reader));
        }
        prop_assert_eq!(read, frames);
        prop_assert_eq!(reader.buffered(), 0);
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_errors_are_final(
        bytes in proptest::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut reader = FrameReader::default();
        reader.push(&bytes);
        loop {
            match reader.next_frame() {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(error) => {
                    prop_assert_eq!(reader.next_frame(), Err(error));
                    break;
                }
            }
        }
    }
}
