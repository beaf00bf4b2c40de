//! Basic forwarding (§8.1, §8.2): one local connection at a time carried as raw bytes.
//!
//! The agent connects to the destination when the session starts, so output may come before
//! the first local client does (an SSH banner): it is kept for that client. When a client
//! leaves, the `DisconnectToPort` flag follows its last data and the agent closes its side and
//! dials again on the next data; output still arriving for the old connection is dropped.
//! In single-connection mode (`AWS-StartSSHSession`) the session ends with the first client.

use std::sync::Arc;

use bytes::Bytes;
use tokio::net::TcpStream;
use tokio::sync::oneshot;

use super::pump::{Budget, Downstream, Framing, spawn_writer};
use super::tunnel::Context;

#[derive(Debug)]
struct Current {
    id: u64,
    downstream: Downstream,
    /// Held so that the reading task runs until the tunnel ends; dropping it stops it.
    _stop_reading: oneshot::Sender<()>,
}

#[derive(Debug)]
pub(super) struct Basic {
    /// The session serves one connection and ends with it.
    single: bool,
    current: Option<Current>,
    served: u64,
    /// Output that came before the first local connection, counted against the budget.
    before_first: Vec<Bytes>,
    budget: Arc<Budget>,
}

/// What the end of a local connection means for the tunnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ended {
    /// Accept the next connection.
    Continue,
    /// The session served its one connection and should end.
    SessionDone,
}

impl Basic {
    pub(super) fn new(single: bool, budget: Arc<Budget>) -> Self {
        Self {
            single,
            current: None,
            served: 0,
            before_first: Vec::new(),
            budget,
        }
    }

    /// Whether a new local connection may be accepted now; others wait in the listen backlog.
    pub(super) fn accepts(&self) -> bool {
        self.current.is_none() && !(self.single && self.served > 0)
    }

    pub(super) fn open_connections(&self) -> usize {
        usize::from(self.current.is_some())
    }

    pub(super) fn accept(&mut self, socket: TcpStream, context: &mut Context) {
        self.served += 1;
        let id = self.served;
        let (read, write) = socket.into_split();
        let downstream = spawn_writer(
            &mut context.tasks,
            write,
            &context.budget,
            &context.counters,
        );
        for early in self.before_first.drain(..) {
            downstream.deliver_counted(early);
        }
        let framing = Framing::Basic {
            disconnect: !self.single,
        };
        let stop_reading = context.reader(id, framing).spawn(&mut context.tasks, read);
        self.current = Some(Current {
            id,
            downstream,
            _stop_reading: stop_reading,
        });
    }

    pub(super) fn output(&mut self, payload: Vec<u8>) {
        let data = Bytes::from(payload);
        match &self.current {
            Some(current) => current.downstream.deliver(data),
            None if self.served == 0 => {
                self.budget.take(data.len());
                self.before_first.push(data);
            }
            None => tracing::debug!(
                len = data.len(),
                "dropped output for a local connection that has closed"
            ),
        }
    }

    /// The current connection's reading task ended: the client left, and the flag is sent.
    pub(super) fn reader_done(&mut self, id: u64) -> Ended {
        if self
            .current
            .as_ref()
            .is_some_and(|current| current.id == id)
        {
            self.current = None;
        }
        if self.single {
            Ended::SessionDone
        } else {
            Ended::Continue
        }
    }

    pub(super) fn shutdown(&mut self) {
        self.current = None;
        let held: usize = self.before_first.drain(..).map(|chunk| chunk.len()).sum();
        self.budget.release(held);
    }
}
