//! smux v1 framing (§8.3): the stream multiplexer the plugin and the agent run over a port
//! session's byte stream, so that many TCP connections share one data channel.
//!
//! Only the frames, not a session: [`Frame`] encodes exactly what xtaci/smux writes, and
//! [`FrameReader`] reads the byte stream the way its receive loop does, whatever the message
//! boundaries (the agent cuts the stream into 1024-byte payloads regardless of frames, §16 D14).
//!
//! Layout, little-endian: version u8 (1) | command u8 | length u16 | stream id u32 | data.
//! Reading rules of the reference: a version other than 1 or an unknown command is a protocol
//! error that ends the session; only `PSH` carries `length` bytes of data; `UPD` (a version 2
//! window update, never negotiated here) carries 8 bytes whatever its length says; `SYN`, `FIN`
//! and `NOP` carry nothing, and their length field is not read.

use std::fmt;

use bytes::{Buf, BufMut, Bytes, BytesMut};

/// The protocol version both ends use; the agent never negotiates version 2.
pub const VERSION: u8 = 1;
/// Bytes of every frame header.
pub const HEADER_LEN: usize = 8;
/// The most data one `PSH` frame carries, smux's default `MaxFrameSize`; this client never
/// writes more in one frame.
pub const MAX_FRAME_DATA: usize = 32_768;
/// Bytes of the body of an `UPD` frame: consumed u32, window u32.
const UPDATE_BODY_LEN: usize = 8;

const CMD_SYN: u8 = 0;
const CMD_FIN: u8 = 1;
const CMD_PSH: u8 = 2;
const CMD_NOP: u8 = 3;
const CMD_UPD: u8 = 4;

/// One smux frame.
#[derive(Clone, PartialEq, Eq)]
pub enum Frame {
    /// Opens a stream; the client (us) opens odd ids from 3 on.
    Syn { stream: u32 },
    /// Closes a stream: the sender writes no more to it.
    Fin { stream: u32 },
    /// Data for a stream; at most `u16::MAX` bytes, [`MAX_FRAME_DATA`] from this client.
    Push { stream: u32, data: Bytes },
    /// Keep-alive; smux sends it for stream 0.
    Nop { stream: u32 },
    /// A version 2 window update; read so that the stream stays in step, then ignored.
    Update {
        stream: u32,
        consumed: u32,
        window: u32,
    },
}

// Data is left out: it is whatever the forwarded connection carries, secrets included.
impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syn { stream } => write!(f, "Syn({stream})"),
            Self::Fin { stream } => write!(f, "Fin({stream})"),
            Self::Push { stream, data } => write!(f, "Push({stream}, {} bytes)", data.len()),
            Self::Nop { stream } => write!(f, "Nop({stream})"),
            Self::Update {
                stream,
                consumed,
                window,
            } => write!(f, "Update({stream}, consumed {consumed}, window {window})"),
        }
    }
}

/// Why a frame cannot be written, or the byte stream cannot be read on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmuxError {
    #[error("a frame of {len} data bytes does not fit the 16-bit length field")]
    DataTooLong { len: usize },
    #[error("smux frame with version {version}; both ends speak version 1")]
    InvalidVersion { version: u8 },
    #[error("smux frame with unknown command {command}")]
    UnknownCommand { command: u8 },
}

impl Frame {
    /// Appends the frame's bytes to `out`.
    pub fn encode(&self, out: &mut BytesMut) -> Result<(), SmuxError> {
        let (command, stream, body_len) = match self {
            Self::Syn { stream } => (CMD_SYN, *stream, 0),
            Self::Fin { stream } => (CMD_FIN, *stream, 0),
            Self::Push { stream, data } => (CMD_PSH, *stream, data.len()),
            Self::Nop { stream } => (CMD_NOP, *stream, 0),
            Self::Update { stream, .. } => (CMD_UPD, *stream, UPDATE_BODY_LEN),
        };
        let length =
            u16::try_from(body_len).map_err(|_| SmuxError::DataTooLong { len: body_len })?;
        out.reserve(HEADER_LEN + body_len);
        out.put_slice(&header(command, length, stream));
        match self {
            Self::Push { data, .. } => out.put_slice(data),
            Self::Update {
                consumed, window, ..
            } => {
                out.put_u32_le(*consumed);
                out.put_u32_le(*window);
            }
            Self::Syn { .. } | Self::Fin { .. } | Self::Nop { .. } => {}
        }
        Ok(())
    }

    /// The frame as bytes.
    pub fn to_bytes(&self) -> Result<Bytes, SmuxError> {
        let mut out = BytesMut::new();
        self.encode(&mut out)?;
        Ok(out.freeze())
    }
}

/// The header of a `PSH` frame carrying `len` bytes for `stream`, for writers that read the
/// data straight into the buffer behind it.
pub fn push_header(stream: u32, len: u16) -> [u8; HEADER_LEN] {
    header(CMD_PSH, len, stream)
}

/// A `SYN` frame, opening `stream`.
pub fn syn(stream: u32) -> [u8; HEADER_LEN] {
    header(CMD_SYN, 0, stream)
}

/// A `FIN` frame, closing `stream`.
pub fn fin(stream: u32) -> [u8; HEADER_LEN] {
    header(CMD_FIN, 0, stream)
}

/// A keep-alive `NOP` frame, for stream 0 as smux writes it.
pub fn nop() -> [u8; HEADER_LEN] {
    header(CMD_NOP, 0, 0)
}

fn header(command: u8, length: u16, stream: u32) -> [u8; HEADER_LEN] {
    let [l0, l1] = length.to_le_bytes();
    let [s0, s1, s2, s3] = stream.to_le_bytes();
    [VERSION, command, l0, l1, s0, s1, s2, s3]
}

/// Reads frames out of a byte stream fed in pieces of any size.
#[derive(Debug, Default)]
pub struct FrameReader {
    buffer: BytesMut,
    /// A protocol error is final: the stream is out of step from there on.
    failed: Option<SmuxError>,
}

impl FrameReader {
    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.failed.is_none() {
            self.buffer.extend_from_slice(bytes);
        }
    }

    /// The next complete frame; `Ok(None)` until more bytes arrive.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, SmuxError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        match self.read() {
            Err(error) => {
                self.buffer.clear();
                self.failed = Some(error.clone());
                Err(error)
            }
            ok => ok,
        }
    }

    /// Bytes received and not yet read as frames.
    pub fn buffered(&self) -> usize {
        self.buffer.len()
    }

    fn read(&mut self) -> Result<Option<Frame>, SmuxError> {
        let Some(header) = self.buffer.get(..HEADER_LEN) else {
            return Ok(None);
        };
        let version = header[0];
        if version != VERSION {
            return Err(SmuxError::InvalidVersion { version });
        }
        let command = header[1];
        let length = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let stream = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        let body_len = match command {
            CMD_SYN | CMD_FIN | CMD_NOP => 0,
            CMD_PSH => length,
            CMD_UPD => UPDATE_BODY_LEN,
            command => return Err(SmuxError::UnknownCommand { command }),
        };
        if self.buffer.len() < HEADER_LEN + body_len {
            return Ok(None);
        }
        self.buffer.advance(HEADER_LEN);
        let frame = match command {
            CMD_SYN => Frame::Syn { stream },
            CMD_FIN => Frame::Fin { stream },
            CMD_NOP => Frame::Nop { stream },
            CMD_PSH => Frame::Push {
                stream,
                data: self.buffer.split_to(body_len).freeze(),
            },
            _ => Frame::Update {
                stream,
                consumed: self.buffer.get_u32_le(),
                window: self.buffer.get_u32_le(),
            },
        };
        Ok(Some(frame))
    }
}

#[cfg(test)]
mod tests;
