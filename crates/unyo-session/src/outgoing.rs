//! The sending half of reliable delivery (§5.1, §5.3): numbers our stream messages, keeps each
//! until the agent acknowledges it, and says when to send it again.
//!
//! Pure state, no I/O: the caller passes the current [`Instant`], writes the frames this hands
//! back, and feeds in the acknowledgements it reads. A message is buffered *before* its frame
//! is handed out, so an acknowledgement that races the write always finds it (the plugin
//! buffers after writing and loses such acks, §16 D1).
//!
//! Resend policy, per the protocol notes' recommendations:
//! * only the oldest unacknowledged message is resent on a timeout, as both peers do, so a peer
//!   that is not ready yet (no pty, no TCP connection) sees one resend at a time, not a storm;
//!   after a reconnect, when everything in flight was lost with the old socket, the caller
//!   resends them all at once ([`Outgoing::resend_all`]);
//! * its first timeout is the estimator's ([`RttEstimator`]); each resend doubles the wait, up
//!   to [`MAX_TRANSMISSION_TIMEOUT`]. The transport is TCP, so a resend recovers from a peer
//!   that was not ready or a socket that was replaced, never from congestion; waiting longer
//!   than a second would only delay that recovery;
//! * round trips of resent messages are not sampled (Karn's rule): their ack cannot be matched
//!   to one send;
//! * acknowledgements are selective: each removes exactly the message it names;
//! * a full buffer refuses new messages (back-pressure) instead of evicting old ones;
//! * while the relay reports the agent unreachable (`pause_publication`) nothing is resent,
//!   and after [`STALL_TIMEOUT`] without an ack for the oldest message the caller should treat
//!   the session as stuck (reconnect, then terminate).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::codec::EncodeError;
use crate::message::{ClientMessage, Stamp};
use crate::payload_type::PayloadType;
use crate::rtt::{MAX_TRANSMISSION_TIMEOUT, RttEstimator};

/// How many messages may wait for acknowledgement (the plugin's buffer capacity).
pub const OUTGOING_BUFFER_CAPACITY: usize = 10_000;
/// How often the plugin and the agent check for resends (`ResendSleepInterval`). Callers may
/// tick at this rate or sleep until [`Outgoing::next_resend_at`].
pub const RESEND_TICK: Duration = Duration::from_millis(100);
/// How long the oldest message may go unacknowledged before the session counts as stuck;
/// the plugin gives up after 3000 ticks, the same five minutes.
pub const STALL_TIMEOUT: Duration = Duration::from_secs(300);

/// Why a message was not accepted for sending.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("{capacity} messages are waiting for acknowledgement; wait for acks before sending")]
    Full { capacity: usize },
    #[error("sequence numbers are exhausted")]
    SequenceExhausted,
    #[error(transparent)]
    Encode(#[from] EncodeError),
}

/// What an acknowledgement did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckOutcome {
    /// The message it names was waiting and is now released.
    Released,
    /// Nothing was waiting under that number: a repeated ack, or one for another stream.
    Unknown,
}

/// The client's outgoing stream of `input_stream_data` messages.
#[derive(Debug)]
pub struct Outgoing {
    next_sequence: i64,
    /// Ordered by sequence number, oldest first.
    unacked: VecDeque<Unacked>,
    capacity: usize,
    rtt: RttEstimator,
    paused: bool,
    /// When the last pause ended; the stall clock does not count time spent paused.
    resumed_at: Option<Instant>,
}

#[derive(Debug)]
struct Unacked {
    sequence: i64,
    frame: Bytes,
    first_sent: Instant,
    last_sent: Instant,
    resends: u32,
}

impl Default for Outgoing {
    fn default() -> Self {
        Self::new(OUTGOING_BUFFER_CAPACITY)
    }
}

impl Outgoing {
    /// An empty stream whose first message gets sequence number 0, holding at most `capacity`
    /// unacknowledged messages.
    pub fn new(capacity: usize) -> Self {
        Self {
            next_sequence: 0,
            unacked: VecDeque::new(),
            capacity,
            rtt: RttEstimator::default(),
            paused: false,
            resumed_at: None,
        }
    }

    /// Numbers, encodes and buffers a new message, and returns the frame to write now.
    ///
    /// `payload` is the payload as sent: already encrypted when the session uses KMS, since
    /// the digest covers the bytes on the wire.
    pub fn send(
        &mut self,
        now: Instant,
        payload_type: PayloadType,
        payload: Vec<u8>,
        stamp: Stamp,
    ) -> Result<Bytes, SendError> {
        if !self.has_room() {
            return Err(SendError::Full {
                capacity: self.capacity,
            });
        }
        let sequence = self.next_sequence;
        let following = sequence
            .checked_add(1)
            .ok_or(SendError::SequenceExhausted)?;
        let message = ClientMessage::input_stream_data(sequence, payload_type, payload, stamp);
        let frame = Bytes::from(message.encode()?);
        self.next_sequence = following;
        self.unacked.push_back(Unacked {
            sequence,
            frame: frame.clone(),
            first_sent: now,
            last_sent: now,
            resends: 0,
        });
        Ok(frame)
    }

    /// Releases the message with this sequence number, wherever it is in the buffer.
    pub fn acknowledge(&mut self, now: Instant, sequence: i64) -> AckOutcome {
        let Ok(index) = self
            .unacked
            .binary_search_by_key(&sequence, |message| message.sequence)
        else {
            return AckOutcome::Unknown;
        };
        let Some(released) = self.unacked.remove(index) else {
            return AckOutcome::Unknown;
        };
        if released.resends == 0 {
            self.rtt
                .sample(now.saturating_duration_since(released.last_sent));
        }
        AckOutcome::Released
    }

    /// The frame to send again now, if the oldest unacknowledged message has waited its
    /// timeout. Call on every tick, and again after an ack: the next oldest may be due at once.
    pub fn poll_resend(&mut self, now: Instant) -> Option<Bytes> {
        let due = self.next_resend_at().is_some_and(|at| now >= at);
        let oldest = self.unacked.front_mut().filter(|_| due)?;
        oldest.last_sent = now;
        oldest.resends = oldest.resends.saturating_add(1);
        Some(oldest.frame.clone())
    }

    /// Every unacknowledged frame, oldest first, counted as resent now. For a fresh
    /// connection, on which nothing is in flight: resending only the oldest, one per round
    /// trip, would stall a busy stream for as many round trips as the window holds.
    pub fn resend_all(&mut self, now: Instant) -> Vec<Bytes> {
        self.unacked
            .iter_mut()
            .map(|message| {
                message.last_sent = now;
                message.resends = message.resends.saturating_add(1);
                message.frame.clone()
            })
            .collect()
    }

    /// When [`Outgoing::poll_resend`] will next have something; `None` when nothing waits or
    /// resends are paused.
    pub fn next_resend_at(&self) -> Option<Instant> {
        if self.paused {
            return None;
        }
        let oldest = self.unacked.front()?;
        Some(oldest.last_sent + self.resend_timeout(oldest.resends))
    }

    /// The relay reported the agent unreachable (`pause_publication`): stop resending.
    /// New messages are still accepted.
    pub fn pause(&mut self) {
        self.paused = true;
    }

    /// The relay reported the agent reachable (`start_publication`): resend what is due.
    pub fn resume(&mut self, now: Instant) {
        if self.paused {
            self.paused = false;
            self.resumed_at = Some(now);
        }
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// Whether the oldest message has gone unacknowledged for [`STALL_TIMEOUT`], not counting
    /// time before the last pause ended.
    pub fn is_stalled(&self, now: Instant) -> bool {
        if self.paused {
            return false;
        }
        let Some(oldest) = self.unacked.front() else {
            return false;
        };
        let since = self
            .resumed_at
            .map_or(oldest.first_sent, |resumed| resumed.max(oldest.first_sent));
        now.saturating_duration_since(since) >= STALL_TIMEOUT
    }

    /// The sequence number the next message will get.
    pub fn next_sequence(&self) -> i64 {
        self.next_sequence
    }

    /// How many messages wait for acknowledgement.
    pub fn in_flight(&self) -> usize {
        self.unacked.len()
    }

    pub fn has_room(&self) -> bool {
        self.unacked.len() < self.capacity
    }

    pub fn rtt(&self) -> &RttEstimator {
        &self.rtt
    }

    fn resend_timeout(&self, resends: u32) -> Duration {
        // Doubling past the cap changes nothing, so the shift is bounded to avoid overflow.
        let factor = 1u32 << resends.min(16);
        self.rtt
            .timeout()
            .saturating_mul(factor)
            .min(MAX_TRANSMISSION_TIMEOUT)
    }
}

#[cfg(test)]
mod tests;
