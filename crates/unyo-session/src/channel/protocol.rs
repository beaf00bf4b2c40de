//! The session state one data channel keeps across connections (§5, §6, §7): reliable delivery
//! both ways, the session start (handshake or first output), terminal size, exit code, and the
//! relay's notices. Pure and synchronous: it is fed received frames, user input and the current
//! [`Instant`], and answers with the frames to write and the events to report; the driver does
//! the I/O.
//!
//! What survives a reconnect is exactly this value: sequence numbers and both buffers (§2.6).

use std::collections::VecDeque;
use std::time::Instant;

use bytes::{Bytes, BytesMut};

use super::answer;
use super::encryption::Encryption;
use crate::channel::{CloseReason, Event, SessionInfo};
use crate::handshake::{HandshakeComplete, HandshakeResponse};
use crate::incoming::{Arrival, Incoming, Readiness};
use crate::kms::{DataKey, DataKeyError, DataKeyRequest, KmsOptions};
use crate::message::{ClientMessage, Stamp};
use crate::outgoing::{Outgoing, SendError};
use crate::session_type::{SessionType, SessionTypeRequest};
use crate::stream_payload::{FlagCode, TerminalSize, parse_exit_code};
use crate::{AcknowledgeContent, ChannelClosed, PayloadType, message_type};

/// Where the session start stands (§6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Connected; the agent speaks first, with a handshake request or with output.
    AwaitingAgent,
    /// The handshake response is sent; input waits for the completion notice.
    Handshaking,
    /// Handlers started: input and terminal size may flow.
    Ready,
}

/// One item of staged input.
#[derive(Debug)]
enum Staged {
    Bytes(BytesMut),
    Flag(FlagCode),
}

/// How many staged items the driver may hold before it stops taking commands; flags are
/// small but must not pile up without bound while the window is full.
const MAX_STAGED_ITEMS: usize = 16;

/// The answer to one received frame or timer: frames to write now, in this order, events for
/// the consumer, whether the session is over, and a data key to ask the caller's KMS for.
#[derive(Debug, Default)]
pub(crate) struct Reaction {
    pub(crate) frames: Vec<Bytes>,
    pub(crate) events: Vec<Event>,
    pub(crate) closed: Option<CloseReason>,
    /// Answer with [`Protocol::data_key_arrived`]; the handshake response waits for it.
    pub(crate) data_key: Option<DataKeyRequest>,
}

#[derive(Debug)]
pub(crate) struct Protocol {
    outgoing: Outgoing,
    incoming: Incoming,
    phase: Phase,
    session: Option<SessionTypeRequest>,
    agent_version: Option<String>,
    /// Why we refused or failed a handshake action; the agent then ends the session, and
    /// this is the reason reported.
    refused: Option<CloseReason>,
    encryption: Encryption,
    max_payload: usize,
    /// Input and flags accepted from the caller and not yet numbered into messages, in the
    /// caller's order: a flag such as `DisconnectToPort` must follow the data sent before it.
    staged: VecDeque<Staged>,
    /// The input bytes in `staged`.
    staged_bytes: usize,
    size: Option<TerminalSize>,
    size_due: bool,
    /// After a handshake the size goes out once more with the first output, because agents
    /// reject it until their pty exists (plugin issue #48).
    resend_size_on_output: bool,
    exit_code: Option<i32>,
}

impl Protocol {
    /// `window` messages may wait for acknowledgement; input is cut into payloads of at most
    /// `max_payload` bytes.
    pub(crate) fn new(window: usize, max_payload: usize, size: Option<TerminalSize>) -> Self {
        Self {
            outgoing: Outgoing::new(window.max(1)),
            incoming: Incoming::default(),
            phase: Phase::AwaitingAgent,
            session: None,
            agent_version: None,
            refused: None,
            encryption: Encryption::default(),
            max_payload: max_payload.max(1),
            staged: VecDeque::new(),
            staged_bytes: 0,
            size,
            size_due: false,
            resend_size_on_output: false,
            exit_code: None,
        }
    }

    /// This protocol accepting KMS encryption with data keys from `kms`.
    pub(crate) fn with_kms(mut self, kms: Option<KmsOptions>) -> Self {
        self.encryption = Encryption::new(kms);
        self
    }

    /// Handles one received websocket frame. `consumer_ready` says whether the consumer can
    /// take more output now; when it cannot, output is left unacknowledged for the agent to
    /// resend later (§5.4 not-ready rule), which is the channel's back-pressure.
    pub(crate) fn receive(&mut self, now: Instant, frame: &[u8], consumer_ready: bool) -> Reaction {
        let mut reaction = Reaction::default();
        let message = match ClientMessage::decode(frame) {
            Ok(decoded) => decoded.message,
            Err(error) => {
                // Dropped without an ack, as the plugin does; the agent resends it.
                tracing::warn!(%error, "dropped an unreadable frame");
                return reaction;
            }
        };
        match message.message_type.as_str() {
            message_type::OUTPUT_STREAM_DATA => {
                self.receive_stream(now, message, consumer_ready, &mut reaction);
            }
            message_type::ACKNOWLEDGE => self.receive_ack(now, &message.payload),
            message_type::CHANNEL_CLOSED => {
                reaction.closed = Some(self.closed_by_service(&message.payload));
            }
            message_type::PAUSE_PUBLICATION => {
                tracing::info!("the relay reports the agent unreachable; resends paused");
                self.outgoing.pause();
            }
            message_type::START_PUBLICATION => {
                tracing::info!("the relay reports the agent reachable");
                self.outgoing.resume(now);
            }
            other => tracing::debug!(message_type = other, "ignored a message of unknown type"),
        }
        reaction
    }

    fn receive_stream(
        &mut self,
        now: Instant,
        message: ClientMessage,
        consumer_ready: bool,
        reaction: &mut Reaction,
    ) {
        let payload_type = message.payload_type;
        let readiness = if consumer_ready || !is_consumer_output(payload_type) {
            Readiness::Ready
        } else {
            Readiness::NotReady
        };
        let receipt = self.incoming.receive(message, readiness);
        let ack = receipt.ack.as_ref().and_then(encode_ack);
        if receipt.arrival != Arrival::InOrder {
            tracing::trace!(arrival = ?receipt.arrival, "out-of-order output");
            reaction.frames.extend(ack);
            return;
        }
        // Handshake steps are acknowledged first: answering them may take a while, and the
        // agent would resend in the meantime (§5.4).
        let ack_first = payload_type.is_acknowledged_before_processing();
        if ack_first {
            reaction.frames.extend(ack.clone());
        }
        for delivered in receipt.deliver {
            if reaction.closed.is_some() {
                break;
            }
            self.process(now, delivered, reaction);
        }
        if !ack_first {
            reaction.frames.extend(ack);
        }
    }

    fn process(&mut self, now: Instant, mut message: ClientMessage, reaction: &mut Reaction) {
        match self.encryption.open(message.payload_type, message.payload) {
            Ok(payload) => message.payload = payload,
            Err(detail) => {
                // Nothing further can be read; the agent would resend this for ever.
                reaction.closed = Some(CloseReason::Encryption { detail });
                return;
            }
        }
        match message.payload_type {
            PayloadType::OUTPUT | PayloadType::ERROR => {
                if self.phase == Phase::AwaitingAgent {
                    // Old agents and plain shells skip the handshake: output starts the shell.
                    self.start(None, reaction);
                }
                if self.resend_size_on_output {
                    self.resend_size_on_output = false;
                    self.size_due = true;
                }
                reaction.events.push(Event::Output(message.payload));
            }
            PayloadType::STD_ERR => reaction.events.push(Event::Stderr(message.payload)),
            PayloadType::EXIT_CODE => match parse_exit_code(&message.payload) {
                Some(code) => self.exit_code = Some(code),
                None => tracing::warn!("ignored an unreadable exit code payload"),
            },
            PayloadType::HANDSHAKE_REQUEST => {
                self.answer_handshake(now, &message.payload, reaction)
            }
            PayloadType::ENC_CHALLENGE_REQUEST => {
                let sent = self
                    .encryption
                    .answer_challenge(&message.payload)
                    .map_err(|detail| CloseReason::Encryption { detail })
                    .and_then(|json| self.send(now, PayloadType::ENC_CHALLENGE_RESPONSE, json));
                match sent {
                    Ok(frame) => reaction.frames.push(frame),
                    Err(reason) => reaction.closed = Some(reason),
                }
            }
            PayloadType::HANDSHAKE_COMPLETE => {
                let complete = serde_json::from_slice::<HandshakeComplete>(&message.payload)
                    .unwrap_or_else(|error| {
                        tracing::warn!(%error, "unreadable handshake completion; starting anyway");
                        HandshakeComplete::default()
                    });
                let notice = Some(complete.customer_message).filter(|text| !text.is_empty());
                self.start(notice, reaction);
                self.resend_size_on_output = true;
            }
            PayloadType::FLAG => match FlagCode::from_payload(&message.payload) {
                Ok(code) => {
                    tracing::debug!(code = code.0, "the agent sent a flag");
                    reaction.events.push(Event::Flag(code));
                }
                Err(error) => tracing::warn!(%error, "ignored an unreadable flag"),
            },
            other => tracing::debug!(payload_type = other.0, "ignored output of unknown type"),
        }
    }

    fn answer_handshake(&mut self, now: Instant, payload: &[u8], reaction: &mut Reaction) {
        let answer = answer::answer(payload, self.encryption.available());
        self.session = answer.session.or(self.session.take());
        self.agent_version = answer.agent_version.or(self.agent_version.take());
        if self.refused.is_none() {
            self.refused = answer
                .refused
                .map(|detail| CloseReason::Unsupported { detail });
        }
        if self.phase == Phase::AwaitingAgent {
            self.phase = Phase::Handshaking;
        }
        if let Some((index, action)) = &answer.kms {
            // The response goes out with the data key, which may take a KMS round trip.
            reaction.data_key = self.encryption.hold(answer.response, *index, action);
            return;
        }
        self.send_handshake_response(now, &answer.response, reaction);
    }

    /// Completes a handshake that waited for a data key: the response goes out, with the
    /// encrypted key or with the failure that will end the session.
    pub(crate) fn data_key_arrived(
        &mut self,
        now: Instant,
        key: Result<DataKey, DataKeyError>,
    ) -> Reaction {
        let mut reaction = Reaction::default();
        let response = match self.encryption.key_arrived(key) {
            Some(Ok(response)) => response,
            Some(Err((response, detail))) => {
                tracing::warn!(%detail, "KMS encryption failed; the agent will end the session");
                self.refused
                    .get_or_insert(CloseReason::Encryption { detail });
                response
            }
            None => return reaction,
        };
        self.send_handshake_response(now, &response, &mut reaction);
        reaction
    }

    fn send_handshake_response(
        &mut self,
        now: Instant,
        response: &HandshakeResponse,
        reaction: &mut Reaction,
    ) {
        let sent = serde_json::to_vec(response)
            .map_err(|error| CloseReason::Failed {
                detail: format!("handshake response: {error}"),
            })
            .and_then(|json| self.send(now, PayloadType::HANDSHAKE_RESPONSE, json));
        match sent {
            Ok(frame) => reaction.frames.push(frame),
            Err(reason) => reaction.closed = Some(reason),
        }
    }

    fn start(&mut self, notice: Option<String>, reaction: &mut Reaction) {
        if self.phase == Phase::Ready {
            return;
        }
        self.phase = Phase::Ready;
        let session = self.session.clone().unwrap_or(SessionTypeRequest {
            session_type: SessionType::StandardStream,
            properties: serde_json::Value::Null,
        });
        self.size_due = self.size.is_some();
        reaction.events.push(Event::Ready(SessionInfo {
            session,
            agent_version: self.agent_version.clone(),
            notice,
        }));
    }

    fn receive_ack(&mut self, now: Instant, payload: &[u8]) {
        match AcknowledgeContent::from_payload(payload) {
            Ok(ack) => {
                let sequence = ack.acknowledged_message_sequence_number;
                let outcome = self.outgoing.acknowledge(now, sequence);
                tracing::trace!(sequence, ?outcome, "acknowledgement");
            }
            Err(error) => tracing::warn!(%error, "ignored an unreadable acknowledgement"),
        }
    }

    fn closed_by_service(&self, payload: &[u8]) -> CloseReason {
        let output = ChannelClosed::from_payload(payload)
            .map(|closed| closed.output)
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "unreadable channel_closed payload");
                String::new()
            });
        self.refused
            .clone()
            .unwrap_or(CloseReason::ChannelClosed { output })
    }

    /// Whether the driver may take more input from the caller now. Nothing but handshake
    /// replies may be sent before the session starts (§6); the agent would ack and discard it.
    pub(crate) fn accepts_input(&self) -> bool {
        self.phase == Phase::Ready
            && self.staged_bytes < self.max_payload
            && self.staged.len() < MAX_STAGED_ITEMS
    }

    pub(crate) fn push_input(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            // An empty payload is never sent: the agent would drop it unacknowledged.
            return;
        }
        self.staged_bytes += bytes.len();
        if let Some(Staged::Bytes(last)) = self.staged.back_mut() {
            last.extend_from_slice(bytes);
        } else {
            self.staged.push_back(Staged::Bytes(BytesMut::from(bytes)));
        }
    }

    /// Queues a flag message behind the input staged so far.
    pub(crate) fn push_flag(&mut self, code: FlagCode) {
        self.staged.push_back(Staged::Flag(code));
    }

    pub(crate) fn resize(&mut self, size: TerminalSize) {
        self.size = Some(size);
        self.size_due = self.phase == Phase::Ready;
    }

    /// Numbers staged input and a due terminal size into messages while the send window has
    /// room, and returns their frames.
    pub(crate) fn take_sends(&mut self, now: Instant) -> Result<Vec<Bytes>, CloseReason> {
        let mut frames = Vec::new();
        if self.phase != Phase::Ready {
            return Ok(frames);
        }
        while self.outgoing.has_room() {
            if self.size_due {
                self.size_due = false;
                let shell = self
                    .session
                    .as_ref()
                    .is_none_or(|s| s.session_type.is_shell_like());
                if let Some(size) = self.size.filter(|_| shell) {
                    let json = serde_json::to_vec(&size).map_err(|error| CloseReason::Failed {
                        detail: format!("terminal size: {error}"),
                    })?;
                    frames.push(self.send(now, PayloadType::SIZE, json)?);
                }
            } else {
                match self.staged.front_mut() {
                    Some(Staged::Bytes(bytes)) => {
                        let chunk = bytes.split_to(self.max_payload.min(bytes.len()));
                        if bytes.is_empty() {
                            self.staged.pop_front();
                        }
                        self.staged_bytes -= chunk.len();
                        let payload = self
                            .encryption
                            .seal(PayloadType::OUTPUT, chunk.to_vec())
                            .map_err(|detail| CloseReason::Encryption { detail })?;
                        frames.push(self.send(now, PayloadType::OUTPUT, payload)?);
                    }
                    Some(Staged::Flag(code)) => {
                        let payload = code.to_payload();
                        self.staged.pop_front();
                        frames.push(self.send(now, PayloadType::FLAG, payload)?);
                    }
                    None => break,
                }
            }
        }
        Ok(frames)
    }

    fn send(
        &mut self,
        now: Instant,
        payload_type: PayloadType,
        payload: Vec<u8>,
    ) -> Result<Bytes, CloseReason> {
        self.outgoing
            .send(now, payload_type, payload, Stamp::now())
            .map_err(|error: SendError| CloseReason::Failed {
                detail: format!("cannot send: {error}"),
            })
    }

    /// A new connection stands; returns the frames to resend on it: everything still
    /// unacknowledged, since whatever was in flight went down with the old socket.
    ///
    /// A pause announced on the old connection ends with it: the relay announces the state
    /// of each connection afresh, and a `start_publication` that was due while no
    /// connection stood would otherwise never come, holding resends for ever.
    pub(crate) fn connection_replaced(&mut self, now: Instant) -> Vec<Bytes> {
        self.outgoing.resume(now);
        self.outgoing.resend_all(now)
    }

    pub(crate) fn next_resend_at(&self) -> Option<Instant> {
        self.outgoing.next_resend_at()
    }

    pub(crate) fn poll_resend(&mut self, now: Instant) -> Option<Bytes> {
        self.outgoing.poll_resend(now)
    }

    pub(crate) fn is_stalled(&self, now: Instant) -> bool {
        self.outgoing.is_stalled(now)
    }

    /// The exit code the agent reported (non-interactive commands), if any.
    pub(crate) fn exit_code(&self) -> Option<i32> {
        self.exit_code
    }
}

/// Payload types that go to the consumer; the driver's own messages are always taken.
fn is_consumer_output(payload_type: PayloadType) -> bool {
    matches!(
        payload_type,
        PayloadType::OUTPUT | PayloadType::ERROR | PayloadType::STD_ERR
    )
}

fn encode_ack(content: &AcknowledgeContent) -> Option<Bytes> {
    let encoded = content
        .to_message(Stamp::now())
        .map_err(|error| error.to_string())
        .and_then(|message| message.encode().map_err(|error| error.to_string()));
    match encoded {
        Ok(frame) => Some(Bytes::from(frame)),
        Err(error) => {
            tracing::warn!(%error, "could not encode an acknowledgement");
            None
        }
    }
}

#[cfg(test)]
mod tests;
