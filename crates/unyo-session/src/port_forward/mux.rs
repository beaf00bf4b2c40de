//! Multiplexed forwarding: the client side of an smux v1 session over the channel (§8.3).
//! Each accepted connection is a stream with an odd id from 3 on; received frames are read
//! out of the output and routed to their stream's socket.
//!
//! A stream closes like an xtaci/smux stream does on the agent: our `FIN` after the local
//! client's end of stream, the agent's `FIN` after the destination's. Between the two the
//! connection is half closed, and data from the agent still reaches the local client. The
//! agent's `FIN` ends the connection: the agent discards anything sent after it.

use std::collections::HashMap;

use bytes::Bytes;
use tokio::net::TcpStream;
use tokio::sync::oneshot;

use super::pump::{Downstream, Framing, spawn_writer};
use super::tunnel::Context;
use crate::smux::{Frame, FrameReader, SmuxError};

/// Stream ids a client opens: odd, from 3 on, as smux's client counts them.
#[derive(Debug)]
struct StreamIds {
    last: u32,
}

impl StreamIds {
    fn next(&mut self) -> Option<u32> {
        // Like smux, give up rather than wrap around onto ids that may still be in use.
        self.last = self.last.checked_add(2)?;
        Some(self.last)
    }
}

#[derive(Debug)]
struct Stream {
    /// `None` once the agent closed the stream.
    downstream: Option<Downstream>,
    /// Dropping it stops the reading task; `None` once that task ended.
    stop_reading: Option<oneshot::Sender<()>>,
}

#[derive(Debug)]
pub(super) struct Mux {
    frames: FrameReader,
    ids: StreamIds,
    streams: HashMap<u32, Stream>,
}

impl Mux {
    pub(super) fn new() -> Self {
        Self {
            frames: FrameReader::default(),
            ids: StreamIds { last: 1 },
            streams: HashMap::new(),
        }
    }

    pub(super) fn open_connections(&self) -> usize {
        self.streams.len()
    }

    pub(super) fn accept(&mut self, socket: TcpStream, context: &mut Context) {
        let Some(stream) = self.ids.next() else {
            tracing::warn!("smux stream ids are exhausted; refusing the connection");
            return;
        };
        let (read, write) = socket.into_split();
        let downstream = spawn_writer(
            &mut context.tasks,
            write,
            &context.budget,
            &context.counters,
        );
        let reader = context.reader(u64::from(stream), Framing::Mux { stream });
        let stop_reading = reader.spawn(&mut context.tasks, read);
        self.streams.insert(
            stream,
            Stream {
                downstream: Some(downstream),
                stop_reading: Some(stop_reading),
            },
        );
    }

    /// Reads the frames in a piece of output and routes them.
    pub(super) fn output(&mut self, payload: &[u8]) -> Result<(), SmuxError> {
        self.frames.push(payload);
        while let Some(frame) = self.frames.next_frame()? {
            match frame {
                Frame::Push { stream, data } => self.push(stream, data),
                Frame::Fin { stream } => self.agent_closed(stream),
                Frame::Syn { stream } => {
                    // The agent runs the smux server and never opens streams.
                    tracing::warn!(stream, "ignored a stream opened by the agent");
                }
                Frame::Nop { .. } | Frame::Update { .. } => {}
            }
        }
        Ok(())
    }

    fn push(&mut self, stream: u32, data: Bytes) {
        let downstream = self
            .streams
            .get(&stream)
            .and_then(|entry| entry.downstream.as_ref());
        match downstream {
            Some(downstream) if !data.is_empty() => downstream.deliver(data),
            Some(_) => {}
            // Data for a closed stream, as smux itself discards it.
            None => tracing::trace!(stream, len = data.len(), "data for a closed stream"),
        }
    }

    /// The agent's `FIN`: the local client gets what was received, then an end of stream;
    /// reading stops, and our own `FIN` follows if it has not gone yet.
    fn agent_closed(&mut self, stream: u32) {
        let Some(entry) = self.streams.get_mut(&stream) else {
            return;
        };
        entry.downstream = None;
        entry.stop_reading = None;
        self.forget_if_done(stream);
    }

    /// A reading task ended, after sending our `FIN`.
    pub(super) fn reader_done(&mut self, id: u64) {
        let Ok(stream) = u32::try_from(id) else {
            return;
        };
        if let Some(entry) = self.streams.get_mut(&stream) {
            entry.stop_reading = None;
        }
        self.forget_if_done(stream);
    }

    /// Forgets a stream once the agent closed it and its reading task ended or was told to.
    fn forget_if_done(&mut self, stream: u32) {
        let done = self
            .streams
            .get(&stream)
            .is_some_and(|entry| entry.downstream.is_none() && entry.stop_reading.is_none());
        if done {
            self.streams.remove(&stream);
        }
    }

    /// Ends every stream: writers flush and close, readers stop.
    pub(super) fn shutdown(&mut self) {
        self.streams.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_stream_ids_are_odd_from_three_and_stop_before_wrapping() {
        let mut ids = StreamIds { last: 1 };
        assert_eq!(
            [ids.next(), ids.next(), ids.next()],
            [Some(3), Some(5), Some(7)]
        );
        let mut ids = StreamIds { last: u32::MAX - 2 };
        assert_eq!(ids.next(), Some(u32::MAX));
        assert_eq!(ids.next(), None);
    }
}
