//! The receiving half of reliable delivery (§5.4): hands the agent's stream messages to the
//! consumer in sequence order, holds early ones, and says which acknowledgement to send.
//!
//! Pure state, no I/O. Rules, per the protocol notes:
//! * the expected message is delivered, then acknowledged, and any held messages that now
//!   follow it are delivered too (they were acknowledged when they arrived);
//! * an early message is acknowledged at once and held, while there is room; without room it
//!   is dropped unacknowledged and the agent resends it later;
//! * a repeated message is not delivered again but *is* acknowledged again: the agent resends
//!   until it sees an ack, and never gives up, so a lost ack would otherwise loop for ever;
//! * while the consumer is not ready the expected message is neither delivered nor acknowledged,
//!   leaving it to the agent's resend; early messages are still held and acknowledged.
//!
//! The handshake payload types are acknowledged *before* they are handled
//! ([`crate::PayloadType::is_acknowledged_before_processing`]); the ordering of "handle" and
//! "send the ack" is the caller's, as it does both.

use std::collections::BTreeMap;

use crate::acknowledge::AcknowledgeContent;
use crate::message::ClientMessage;

/// How many early messages may be held (the plugin's buffer capacity).
pub const INCOMING_BUFFER_CAPACITY: usize = 10_000;

/// Whether the consumer of the stream (the shell view, the port listener) can take data now.
/// Handshake messages are consumed by the session driver itself, which is always ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    NotReady,
}

/// What became of a received message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// It was the expected one: delivered, with any held messages that follow it.
    InOrder,
    /// It is ahead of the expected one and is held until the gap fills.
    Early,
    /// It was delivered or held already; only the acknowledgement is repeated.
    Duplicate,
    /// It is ahead and there is no room to hold it: dropped without an ack.
    Overflow,
    /// It was the expected one but the consumer is not ready: dropped without an ack.
    NotReady,
}

/// The outcome of one received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub arrival: Arrival,
    /// Messages to hand to the consumer now, in sequence order.
    pub deliver: Vec<ClientMessage>,
    /// The acknowledgement to send for the received message, if any.
    pub ack: Option<AcknowledgeContent>,
}

/// The client's incoming stream of `output_stream_data` messages. Only stream messages belong
/// here; acknowledgements and relay notices are not sequenced.
#[derive(Debug)]
pub struct Incoming {
    expected: i64,
    early: BTreeMap<i64, ClientMessage>,
    capacity: usize,
}

impl Default for Incoming {
    fn default() -> Self {
        Self::new(INCOMING_BUFFER_CAPACITY)
    }
}

impl Incoming {
    /// A stream that expects sequence number 0 first and holds at most `capacity` early
    /// messages.
    pub fn new(capacity: usize) -> Self {
        Self {
            expected: 0,
            early: BTreeMap::new(),
            capacity,
        }
    }

    pub fn receive(&mut self, message: ClientMessage, readiness: Readiness) -> Receipt {
        let sequence = message.sequence_number;
        let ack = Some(AcknowledgeContent::for_message(&message));
        if sequence < self.expected || self.early.contains_key(&sequence) {
            return Receipt {
                arrival: Arrival::Duplicate,
                deliver: Vec::new(),
                ack,
            };
        }
        if sequence > self.expected {
            if self.early.len() >= self.capacity {
                return Receipt {
                    arrival: Arrival::Overflow,
                    deliver: Vec::new(),
                    ack: None,
                };
            }
            self.early.insert(sequence, message);
            return Receipt {
                arrival: Arrival::Early,
                deliver: Vec::new(),
                ack,
            };
        }
        if readiness == Readiness::NotReady {
            return Receipt {
                arrival: Arrival::NotReady,
                deliver: Vec::new(),
                ack: None,
            };
        }
        let mut deliver = vec![message];
        self.advance();
        while let Some(held) = self.early.remove(&self.expected) {
            deliver.push(held);
            self.advance();
        }
        Receipt {
            arrival: Arrival::InOrder,
            deliver,
            ack,
        }
    }

    /// The sequence number that will be delivered next.
    pub fn expected(&self) -> i64 {
        self.expected
    }

    /// How many early messages are held.
    pub fn held(&self) -> usize {
        self.early.len()
    }

    fn advance(&mut self) {
        // 2^63 messages cannot arrive within a session; saturating only avoids a panic path.
        self.expected = self.expected.saturating_add(1);
    }
}

#[cfg(test)]
mod tests;
