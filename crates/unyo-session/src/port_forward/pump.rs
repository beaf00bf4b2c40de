//! The two tasks of every local connection, and what they share with the tunnel: the byte
//! counters and the budget of received bytes not yet written to local sockets.
//!
//! The reading task owns everything that goes from its connection to the agent, in order:
//! the smux `SYN`, the data, and the `FIN` (or, in basic mode, the `DisconnectToPort` flag
//! after the last data). The tunnel's own task never waits on the channel, so a full send
//! window can never stop it from draining output, which is what frees the window.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::{Notify, mpsc, oneshot};

use crate::channel::{ChannelGone, DataChannel};
use crate::smux::{self, HEADER_LEN};
use crate::stream_payload::FlagCode;

/// Byte counters of the tunnel, updated by the connection tasks.
#[derive(Debug, Default)]
pub(super) struct Counters {
    pub(super) sent: AtomicU64,
    pub(super) received: AtomicU64,
}

/// Received bytes queued for local sockets, against a limit. The tunnel takes output from
/// the channel only while there is room; writers give room back as they write.
#[derive(Debug)]
pub(super) struct Budget {
    queued: AtomicUsize,
    limit: usize,
    room: Notify,
}

impl Budget {
    pub(super) fn new(limit: usize) -> Self {
        Self {
            queued: AtomicUsize::new(0),
            limit: limit.max(1),
            room: Notify::new(),
        }
    }

    pub(super) fn has_room(&self) -> bool {
        self.queued.load(Ordering::Acquire) < self.limit
    }

    pub(super) fn take(&self, len: usize) {
        self.queued.fetch_add(len, Ordering::AcqRel);
    }

    pub(super) fn release(&self, len: usize) {
        self.queued.fetch_sub(len, Ordering::AcqRel);
        // One waiter, the tunnel; `notify_one` keeps the wake-up if it is not waiting yet.
        self.room.notify_one();
    }

    /// Waits until there is room.
    pub(super) async fn room(&self) {
        while !self.has_room() {
            self.room.notified().await;
        }
    }
}

/// The tunnel's end of a connection's writing task.
#[derive(Debug)]
pub(super) struct Downstream {
    chunks: mpsc::UnboundedSender<Bytes>,
    budget: Arc<Budget>,
}

impl Downstream {
    /// Queues received bytes for the local socket, counting them against the budget.
    pub(super) fn deliver(&self, chunk: Bytes) {
        self.budget.take(chunk.len());
        self.deliver_counted(chunk);
    }

    /// Queues bytes already counted against the budget.
    pub(super) fn deliver_counted(&self, chunk: Bytes) {
        if let Err(refused) = self.chunks.send(chunk) {
            // The socket failed and its task stopped taking data; the bytes go nowhere.
            self.budget.release(refused.0.len());
        }
    }
}

/// Writes received bytes to the local socket until the tunnel drops its [`Downstream`],
/// then shuts the socket's sending side, so the local client reads an end of stream.
pub(super) fn spawn_writer(
    tasks: &mut tokio::task::JoinSet<()>,
    socket: OwnedWriteHalf,
    budget: &Arc<Budget>,
    counters: &Arc<Counters>,
) -> Downstream {
    let (chunks, rx) = mpsc::unbounded_channel();
    tasks.spawn(write_down(
        socket,
        rx,
        Arc::clone(budget),
        Arc::clone(counters),
    ));
    Downstream {
        chunks,
        budget: Arc::clone(budget),
    }
}

async fn write_down(
    mut socket: OwnedWriteHalf,
    mut chunks: mpsc::UnboundedReceiver<Bytes>,
    budget: Arc<Budget>,
    counters: Arc<Counters>,
) {
    while let Some(chunk) = chunks.recv().await {
        let written = socket.write_all(&chunk).await;
        budget.release(chunk.len());
        if let Err(error) = written {
            tracing::debug!(%error, "a local connection stopped taking data");
            chunks.close();
            while let Some(dropped) = chunks.recv().await {
                budget.release(dropped.len());
            }
            return;
        }
        counters
            .received
            .fetch_add(chunk.len() as u64, Ordering::Relaxed);
    }
    if let Err(error) = socket.shutdown().await {
        tracing::debug!(%error, "could not shut a local connection's sending side");
    }
}

/// How a reading task frames what it reads.
#[derive(Debug, Clone, Copy)]
pub(super) enum Framing {
    /// As smux frames of this stream, between a `SYN` and a `FIN`.
    Mux { stream: u32 },
    /// As raw bytes; `disconnect` sends `DisconnectToPort` after the last of them.
    Basic { disconnect: bool },
}

/// A reading task's parts; it reports its end with `id` on `done`.
#[derive(Debug)]
pub(super) struct Reader {
    pub(super) id: u64,
    pub(super) framing: Framing,
    pub(super) chunk: usize,
    pub(super) channel: DataChannel,
    pub(super) counters: Arc<Counters>,
    pub(super) done: mpsc::UnboundedSender<u64>,
}

impl Reader {
    /// Spawns the task; sending on (or dropping) the returned sender makes it stop reading,
    /// when the agent has closed the stream.
    pub(super) fn spawn(
        self,
        tasks: &mut tokio::task::JoinSet<()>,
        socket: OwnedReadHalf,
    ) -> oneshot::Sender<()> {
        let (stop, stop_rx) = oneshot::channel();
        tasks.spawn(self.run(socket, stop_rx));
        stop
    }

    async fn run(self, socket: OwnedReadHalf, stop: oneshot::Receiver<()>) {
        if let Err(ChannelGone) = self.pump(socket, stop).await {
            tracing::debug!(id = self.id, "the channel ended under a local connection");
        }
        let _ = self.done.send(self.id);
    }

    async fn pump(
        &self,
        mut socket: OwnedReadHalf,
        mut stop: oneshot::Receiver<()>,
    ) -> Result<(), ChannelGone> {
        let header = match self.framing {
            Framing::Mux { stream } => {
                self.channel.send(smux::syn(stream)).await?;
                HEADER_LEN
            }
            Framing::Basic { .. } => 0,
        };
        let chunk = self.chunk.clamp(1, smux::MAX_FRAME_DATA);
        loop {
            // Read straight into the message buffer, behind room for the frame header.
            let mut buffer = vec![0; header + chunk];
            let read = tokio::select! {
                read = socket.read(&mut buffer[header..]) => read,
                _ = &mut stop => break,
            };
            let len = match read {
                Ok(0) => break,
                Ok(len) => len,
                Err(error) => {
                    tracing::debug!(%error, "reading a local connection failed");
                    break;
                }
            };
            buffer.truncate(header + len);
            if let Framing::Mux { stream } = self.framing {
                // `chunk` is capped at MAX_FRAME_DATA, which fits 16 bits.
                buffer[..header].copy_from_slice(&smux::push_header(stream, len as u16));
            }
            self.channel.send(buffer).await?;
            self.counters.sent.fetch_add(len as u64, Ordering::Relaxed);
        }
        match self.framing {
            Framing::Mux { stream } => self.channel.send(smux::fin(stream)).await,
            Framing::Basic { disconnect: true } => {
                self.channel.send_flag(FlagCode::DISCONNECT_TO_PORT).await
            }
            Framing::Basic { disconnect: false } => Ok(()),
        }
    }
}
