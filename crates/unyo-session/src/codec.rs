//! The binary layout of a [`ClientMessage`] (§3): a strict encoder that writes exactly what
//! the official plugin writes, and a lenient decoder that accepts every variant peers and the
//! relay service are known to send, rejecting only what the plugin itself would drop.
//!
//! Layout, all integers big-endian: header length u32 (116) | message type 32 bytes, space
//! padded | schema version u32 | created date u64 | sequence number i64 | flags u64 | message
//! id 16 bytes, halves swapped | payload digest 32 bytes, SHA-256 | payload type u32 | payload
//! length u32 | payload.

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::message::ClientMessage;
use crate::message_type;
use crate::payload_type::PayloadType;

/// The header length writers put in the first field: the offset of the payload length field.
pub const HEADER_LENGTH: u32 = 116;
/// The smallest header length accepted: `channel_closed` from the relay has been seen with 112,
/// that is, without the payload type field.
pub const MIN_HEADER_LENGTH: u32 = 112;
/// The shortest frame the decoder looks at (a 112-byte header plus the payload length).
pub const MIN_FRAME_LENGTH: usize = MIN_HEADER_LENGTH as usize + 4;

/// Why a message cannot be encoded. Each is something a peer would drop or misread.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("the message type is empty")]
    EmptyMessageType,
    #[error("message type {name:?} is {} bytes; the header field holds 32", name.len())]
    MessageTypeTooLong { name: String },
    // Spaces and NULs are padding on the wire and would be trimmed away when read back.
    #[error("message type {name:?} must be printable ASCII without spaces")]
    MessageTypeNotPrintable { name: String },
    #[error("the created date is zero, and peers drop such messages")]
    ZeroCreatedDate,
    #[error("sequence number {sequence_number} is negative")]
    NegativeSequenceNumber { sequence_number: i64 },
    // The agent returns early on an empty stream payload without acknowledging it, so the
    // message would be resent for ever.
    #[error("{message_type} needs a payload: the agent drops empty ones without an ack")]
    EmptyStreamPayload { message_type: String },
    #[error("a payload of {len} bytes does not fit the 32-bit length field")]
    PayloadTooLong { len: usize },
}

/// Why a received frame is dropped (and, being dropped, not acknowledged).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("a frame of {len} bytes is shorter than the {MIN_FRAME_LENGTH}-byte minimum")]
    TooShort { len: usize },
    #[error("header length {header_length} is below the minimum of {MIN_HEADER_LENGTH}")]
    HeaderTooShort { header_length: u32 },
    #[error("header length {header_length} runs past the end of a {len}-byte frame")]
    Truncated { header_length: u32, len: usize },
    #[error("the message type is empty")]
    EmptyMessageType,
    #[error("{message_type} message has a zero created date")]
    ZeroCreatedDate { message_type: String },
    #[error("payload digest of {message_type} #{sequence_number} does not match its SHA-256")]
    DigestMismatch {
        message_type: String,
        sequence_number: i64,
    },
}

/// A decoded frame: the message, and the derived header fields as the peer wrote them, for
/// logging the oddities the decoder tolerated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub message: ClientMessage,
    /// 116 from conforming writers; 112 from some relay `channel_closed` messages.
    pub header_length: u32,
    /// The payload length field. Not used for slicing: the payload is the rest of the frame.
    pub declared_payload_length: u32,
    pub payload_digest: [u8; 32],
    pub digest_check: DigestCheck,
}

impl Decoded {
    /// Whether the payload length field agrees with the bytes that followed it.
    pub fn declared_length_matches(&self) -> bool {
        usize::try_from(self.declared_payload_length).ok() == Some(self.message.payload.len())
    }
}

/// What the decoder did with the payload digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestCheck {
    /// The digest is the SHA-256 of the payload.
    Verified,
    /// Not checked: the payload is empty, and empty control messages may carry zeros.
    EmptyPayload,
    /// Not checked: the digest is all zeros, as some peers write for control messages.
    ZeroDigest,
    /// Not checked: publication notices skip every check in the reference client.
    PublicationNotice,
}

/// Writes `message` as the plugin does: header length 116, the type right-padded with spaces,
/// payload length and SHA-256 digest computed from the payload.
pub fn encode(message: &ClientMessage) -> Result<Vec<u8>, EncodeError> {
    let name = message.message_type.as_bytes();
    if name.is_empty() {
        return Err(EncodeError::EmptyMessageType);
    }
    if name.len() > message_type::MAX_LEN {
        return Err(EncodeError::MessageTypeTooLong {
            name: message.message_type.clone(),
        });
    }
    if !name.iter().all(u8::is_ascii_graphic) {
        return Err(EncodeError::MessageTypeNotPrintable {
            name: message.message_type.clone(),
        });
    }
    if message.created_date == 0 {
        return Err(EncodeError::ZeroCreatedDate);
    }
    if message.sequence_number < 0 {
        return Err(EncodeError::NegativeSequenceNumber {
            sequence_number: message.sequence_number,
        });
    }
    if message.payload.is_empty() && message_type::is_stream_data(&message.message_type) {
        return Err(EncodeError::EmptyStreamPayload {
            message_type: message.message_type.clone(),
        });
    }
    let payload_length =
        u32::try_from(message.payload.len()).map_err(|_| EncodeError::PayloadTooLong {
            len: message.payload.len(),
        })?;

    let mut padded_name = [b' '; message_type::MAX_LEN];
    padded_name
        .iter_mut()
        .zip(name)
        .for_each(|(slot, byte)| *slot = *byte);
    let digest: [u8; 32] = Sha256::digest(&message.payload).into();

    let mut frame = Vec::with_capacity(HEADER_LENGTH as usize + 4 + message.payload.len());
    frame.extend_from_slice(&HEADER_LENGTH.to_be_bytes());
    frame.extend_from_slice(&padded_name);
    frame.extend_from_slice(&message.schema_version.to_be_bytes());
    frame.extend_from_slice(&message.created_date.to_be_bytes());
    frame.extend_from_slice(&message.sequence_number.to_be_bytes());
    frame.extend_from_slice(&message.flags.to_be_bytes());
    frame.extend_from_slice(&message_id_to_wire(message.message_id));
    frame.extend_from_slice(&digest);
    frame.extend_from_slice(&message.payload_type.0.to_be_bytes());
    frame.extend_from_slice(&payload_length.to_be_bytes());
    frame.extend_from_slice(&message.payload);
    Ok(frame)
}

/// Reads a received frame the lenient way §3 recommends.
///
/// Accepted: header lengths from 112 up (the payload type exists only from 116; the payload
/// length sits at the header length and the payload follows it), message types padded with
/// NULs or spaces on either side, payload length fields that disagree with the frame, zero
/// digests, unknown message and payload types. Rejected, as the plugin rejects them: frames too
/// short to hold a header, an empty type or zero date (except on publication notices), and a
/// non-empty payload whose non-zero digest is not its SHA-256.
pub fn decode(frame: &[u8]) -> Result<Decoded, DecodeError> {
    let mut header = Fields(frame);
    let too_short = || DecodeError::TooShort { len: frame.len() };
    let header_length = u32::from_be_bytes(header.take().ok_or_else(too_short)?);
    let raw_type: [u8; 32] = header.take().ok_or_else(too_short)?;
    let schema_version = u32::from_be_bytes(header.take().ok_or_else(too_short)?);
    let created_date = u64::from_be_bytes(header.take().ok_or_else(too_short)?);
    let sequence_number = i64::from_be_bytes(header.take().ok_or_else(too_short)?);
    let flags = u64::from_be_bytes(header.take().ok_or_else(too_short)?);
    let message_id = message_id_from_wire(header.take().ok_or_else(too_short)?);
    let payload_digest: [u8; 32] = header.take().ok_or_else(too_short)?;
    // Bytes 112..116 are the payload type only when the header is long enough to hold it.
    let type_or_length: [u8; 4] = header.take().ok_or_else(too_short)?;

    if header_length < MIN_HEADER_LENGTH {
        return Err(DecodeError::HeaderTooShort { header_length });
    }
    let truncated = || DecodeError::Truncated {
        header_length,
        len: frame.len(),
    };
    let length_at = usize::try_from(header_length).map_err(|_| truncated())?;
    let mut rest = Fields(frame.get(length_at..).ok_or_else(truncated)?);
    let declared_payload_length = u32::from_be_bytes(rest.take().ok_or_else(truncated)?);
    let payload = rest.0.to_vec();
    let payload_type = if header_length >= HEADER_LENGTH {
        PayloadType(u32::from_be_bytes(type_or_length))
    } else {
        PayloadType::UNSET
    };

    let message_type = String::from_utf8_lossy(&raw_type)
        .trim_matches(|c: char| c == '\0' || c.is_whitespace())
        .to_owned();
    let publication_notice = message_type::is_publication_notice(&message_type);
    if !publication_notice {
        if message_type.is_empty() {
            return Err(DecodeError::EmptyMessageType);
        }
        if created_date == 0 {
            return Err(DecodeError::ZeroCreatedDate { message_type });
        }
    }

    let digest_check = if publication_notice {
        DigestCheck::PublicationNotice
    } else if payload.is_empty() {
        DigestCheck::EmptyPayload
    } else if payload_digest == [0; 32] {
        DigestCheck::ZeroDigest
    } else if <[u8; 32]>::from(Sha256::digest(&payload)) == payload_digest {
        DigestCheck::Verified
    } else {
        return Err(DecodeError::DigestMismatch {
            message_type,
            sequence_number,
        });
    };

    Ok(Decoded {
        message: ClientMessage {
            message_type,
            schema_version,
            created_date,
            sequence_number,
            flags,
            message_id,
            payload_type,
            payload,
        },
        header_length,
        declared_payload_length,
        payload_digest,
        digest_check,
    })
}

/// The reference code stores the id as two big-endian 64-bit longs, least significant half
/// first, so the wire holds the RFC 4122 bytes with their halves swapped; rotating the 128-bit
/// value by 64 bits is exactly that swap.
fn message_id_to_wire(id: Uuid) -> [u8; 16] {
    id.as_u128().rotate_left(64).to_be_bytes()
}

fn message_id_from_wire(wire: [u8; 16]) -> Uuid {
    Uuid::from_u128(u128::from_be_bytes(wire).rotate_left(64))
}

/// Reads fixed-size fields one after another, without indexing that could panic.
struct Fields<'a>(&'a [u8]);

impl Fields<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (field, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*field)
    }
}

#[cfg(test)]
mod tests;
