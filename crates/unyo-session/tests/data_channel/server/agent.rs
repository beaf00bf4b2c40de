//! The agent side of the test server: one task per session that outlives its connections,
//! with its own reliable delivery (every unacknowledged output is resent after 100 ms, as
//! the agent never gives up), the session start, an echo shell, and the configured faults.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{FutureExt, SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use unyo_session::message_type::{
    ACKNOWLEDGE, INPUT_STREAM_DATA, PAUSE_PUBLICATION, START_PUBLICATION,
};
use unyo_session::{
    AcknowledgeContent, ActionStatus, ClientMessage, HandshakeResponse, PayloadType, TerminalSize,
};
use uuid::Uuid;

use super::kms::{AgentCipher, ENCRYPTED_NOTICE};
use super::port::{Out, PortAgent, TargetEvent};
use super::{Admitted, Order, ServerConfig, Shared, Start, frames};

/// What the shell prints first; the client must not send before it sees output (§16 D6).
pub const PROMPT: &[u8] = b"$ ";
const RESEND_AFTER: Duration = Duration::from_millis(100);
const TICK: Duration = Duration::from_millis(5);
/// A held-back (reordered) frame goes out at the latest this long after it was due.
const HOLD_AT_MOST: Duration = Duration::from_millis(20);
/// How many output messages may wait for acknowledgement before a port session stops
/// reading its destinations.
const OUTPUT_WINDOW: usize = 256;

struct Connection {
    socket: WebSocketStream<TcpStream>,
    frames: u32,
    frozen: bool,
}

struct Agent {
    config: ServerConfig,
    shared: Arc<Shared>,
    connection: Option<Connection>,
    client_id: Option<Uuid>,
    next_output: i64,
    unacked: BTreeMap<i64, (Bytes, Instant)>,
    held: Option<(Bytes, Instant)>,
    outputs: u32,
    expected: i64,
    early: BTreeMap<i64, ClientMessage>,
    acks: u32,
    delayed_acks: VecDeque<(Instant, Bytes)>,
    started: bool,
    client_frames: u32,
    paused_until: Option<Instant>,
    drops: u32,
    /// `channel_closed` was sent: the session is over and the client closes the socket.
    closed: bool,
    port: Option<PortAgent>,
    /// Set once the client accepted KMS encryption.
    kms: Option<AgentCipher>,
}

pub(super) async fn run(
    config: ServerConfig,
    shared: Arc<Shared>,
    mut incoming: mpsc::UnboundedReceiver<Admitted>,
    mut orders: mpsc::UnboundedReceiver<Order>,
) {
    let mut agent = Agent {
        config,
        shared,
        connection: None,
        client_id: None,
        next_output: 0,
        unacked: BTreeMap::new(),
        held: None,
        outputs: 0,
        expected: 0,
        early: BTreeMap::new(),
        acks: 0,
        delayed_acks: VecDeque::new(),
        started: false,
        client_frames: 0,
        paused_until: None,
        drops: 0,
        closed: false,
        port: None,
        kms: None,
    };
    if let Start::Port(backend) = agent.config.start {
        agent.port = Some(PortAgent::new(backend, Arc::clone(&agent.shared)));
    }
    let mut tick = tokio::time::interval(TICK);
    loop {
        tokio::select! {
            admitted = incoming.recv() => match admitted {
                Some(admitted) => agent.attach(admitted).await,
                None => return,
            },
            message = next_message(&mut agent.connection) => {
                agent.on_message(message).await;
                // What already arrived is handled before the answers are flushed together.
                for _ in 1..64 {
                    match next_message(&mut agent.connection).now_or_never() {
                        Some(message) => agent.on_message(message).await,
                        None => break,
                    }
                }
            }
            event = next_target_event(&mut agent.port), if agent.output_window_open() => {
                agent.on_target_event(event).await;
            }
            _ = tick.tick() => agent.on_tick().await,
            order = orders.recv() => match order {
                Some(order) => agent.on_order(order).await,
                None => return,
            },
        }
        agent.flush().await;
    }
}

async fn next_message(
    connection: &mut Option<Connection>,
) -> Option<Result<Message, tokio_tungstenite::tungstenite::Error>> {
    match connection {
        Some(connection) if !connection.frozen => connection.socket.next().await,
        _ => std::future::pending().await,
    }
}

async fn next_target_event(port: &mut Option<PortAgent>) -> TargetEvent {
    match port {
        Some(port) => match port.events.recv().await {
            Some(event) => event,
            None => std::future::pending().await,
        },
        None => std::future::pending().await,
    }
}

fn every(period: Option<u32>, count: u32) -> bool {
    period.is_some_and(|period| period > 0 && count % period == 0)
}

impl Agent {
    async fn attach(&mut self, admitted: Admitted) {
        if *self.client_id.get_or_insert(admitted.client_id) != admitted.client_id {
            self.shared.stats().foreign_client_ids += 1;
            return;
        }
        self.shared.stats().connections += 1;
        let first = self.next_output == 0;
        self.connection = Some(Connection {
            socket: admitted.socket,
            frames: 0,
            frozen: false,
        });
        if first {
            self.begin().await;
        } else {
            let waiting: Vec<Bytes> = self.unacked.values().map(|(f, _)| f.clone()).collect();
            for frame in waiting {
                // A resend like the timer's: corrupted frames are often recovered this way.
                self.shared.stats().resent += 1;
                self.write(frame).await;
            }
        }
    }

    async fn begin(&mut self) {
        let kms = match self.config.start {
            Start::Prompt => {
                self.started = true;
                self.send_output(PayloadType::OUTPUT, PROMPT.to_vec()).await;
                return;
            }
            Start::Handshake => false,
            Start::HandshakeWithKms => true,
            Start::Port(backend) => {
                let request =
                    frames::port_handshake_request(backend.agent_version, backend.properties());
                self.send_output(PayloadType::HANDSHAKE_REQUEST, request)
                    .await;
                return;
            }
        };
        let request = frames::handshake_request(kms);
        self.send_output(PayloadType::HANDSHAKE_REQUEST, request)
            .await;
    }

    async fn on_message(
        &mut self,
        message: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>,
    ) {
        match message {
            Some(Ok(Message::Binary(frame))) => self.on_frame(&frame).await,
            Some(Ok(Message::Ping(payload))) => self.shared.stats().pings.push(payload.to_vec()),
            Some(Ok(Message::Close(_)) | Err(_)) | None => self.lose_connection(),
            Some(Ok(_)) => {}
        }
    }

    async fn on_frame(&mut self, frame: &[u8]) {
        if self.closed {
            return;
        }
        self.client_frames += 1;
        let Some(connection) = self.connection.as_mut() else {
            return;
        };
        connection.frames += 1;
        if every(self.config.faults.drop_every, connection.frames) {
            self.drop_connection().await;
            return;
        }
        if self.paused_until.is_some() {
            self.shared.stats().lost_while_paused += 1;
            return;
        }
        if every(self.config.faults.pause_every, self.client_frames) {
            self.shared.stats().lost_while_paused += 1;
            self.pause(self.config.faults.pause_for).await;
            return;
        }
        let Ok(decoded) = ClientMessage::decode(frame) else {
            self.shared.stats().undecodable_frames += 1;
            return;
        };
        let message = decoded.message;
        match message.message_type.as_str() {
            INPUT_STREAM_DATA => self.receive_input(message).await,
            ACKNOWLEDGE => {
                let ack = AcknowledgeContent::from_payload(&message.payload).unwrap();
                self.unacked
                    .remove(&ack.acknowledged_message_sequence_number);
            }
            other => panic!("the client sent a {other} message"),
        }
    }

    /// The agent's receiver (§5.4): deliver in order, hold early ones, re-ack repeats.
    async fn receive_input(&mut self, message: ClientMessage) {
        let sequence = message.sequence_number;
        if sequence < self.expected || self.early.contains_key(&sequence) {
            self.shared.stats().repeated_inputs += 1;
        } else if sequence > self.expected {
            self.early.insert(sequence, message.clone());
        } else if self.port.as_ref().is_some_and(|port| !port.ready()) {
            // Like the agent's ErrHandlerNotReady: not processed, not acknowledged; the
            // client resends it.
            self.shared.stats().not_ready_inputs += 1;
            return;
        } else {
            self.process(message.clone()).await;
            self.expected += 1;
            while let Some(held) = self.early.remove(&self.expected) {
                self.process(held).await;
                self.expected += 1;
            }
        }
        self.acknowledge(&message).await;
    }

    async fn process(&mut self, message: ClientMessage) {
        if message.payload_type == PayloadType::HANDSHAKE_RESPONSE {
            let response: HandshakeResponse = serde_json::from_slice(&message.payload).unwrap();
            let refused = response
                .processed_client_actions
                .iter()
                .find(|action| action.action_status != ActionStatus::SUCCESS)
                .map(|action| action.error.clone());
            let encrypted = self.config.start == Start::HandshakeWithKms && refused.is_none();
            self.kms = AgentCipher::from_response(&response).filter(|_| encrypted);
            self.shared.stats().handshake_responses.push(response);
            if let Some(error) = refused {
                // The agent cancels a session whose client failed an action (§6.2).
                self.close_channel(format!("Session cancelled: {error}"))
                    .await;
                return;
            }
            if encrypted {
                // The key is proven by a challenge before the session starts.
                let Some(challenge) = self.kms.as_mut().map(AgentCipher::challenge) else {
                    self.close_channel("KMS could not decrypt the data key".to_owned())
                        .await;
                    return;
                };
                self.send_output(PayloadType::ENC_CHALLENGE_REQUEST, challenge)
                    .await;
                return;
            }
            self.complete("").await;
            return;
        }
        if message.payload_type == PayloadType::ENC_CHALLENGE_RESPONSE {
            if self
                .kms
                .as_ref()
                .is_some_and(|kms| kms.answered(&message.payload))
            {
                self.shared.stats().kms_challenges_passed += 1;
                self.complete(ENCRYPTED_NOTICE).await;
            } else {
                self.close_channel("Encryption challenge failed".to_owned())
                    .await;
            }
            return;
        }
        if !self.started {
            // The agent acks and discards input during the handshake (§6).
            self.shared.stats().early_inputs += 1;
            return;
        }
        self.handle_input(message).await;
    }

    /// Ends the handshake and starts the session: the prompt, or the port plugin.
    async fn complete(&mut self, notice: &str) {
        let complete = serde_json::json!({
            "HandshakeTimeToComplete": 2_000_000, "CustomerMessage": notice});
        self.send_output(
            PayloadType::HANDSHAKE_COMPLETE,
            serde_json::to_vec(&complete).unwrap(),
        )
        .await;
        self.started = true;
        match self.port.as_mut() {
            Some(port) => {
                let outs = port.start().await;
                self.apply_port(outs).await;
            }
            None => self.send_output(PayloadType::OUTPUT, PROMPT.to_vec()).await,
        }
    }

    async fn handle_input(&mut self, mut message: ClientMessage) {
        if let Some(kms) = &self.kms
            && message.payload_type == PayloadType::OUTPUT
        {
            let Some(plaintext) = kms.open(&message.payload) else {
                self.shared.stats().undecryptable_inputs += 1;
                return;
            };
            self.shared.stats().encrypted_inputs += 1;
            message.payload = plaintext;
        }
        if let Some(port) = self.port.as_mut() {
            let outs = match message.payload_type {
                PayloadType::OUTPUT => port.input(message.payload).await,
                PayloadType::FLAG => {
                    let code = <[u8; 4]>::try_from(message.payload.as_slice()).unwrap();
                    port.flag(u32::from_be_bytes(code))
                }
                other => panic!("a port session got payload type {other:?}"),
            };
            self.apply_port(outs).await;
            return;
        }
        match message.payload_type {
            PayloadType::OUTPUT => {
                self.shared
                    .stats()
                    .input
                    .extend_from_slice(&message.payload);
                self.send_output(PayloadType::OUTPUT, message.payload).await;
            }
            PayloadType::SIZE => {
                let size: TerminalSize = serde_json::from_slice(&message.payload).unwrap();
                self.shared.stats().sizes.push(size);
            }
            _ => {}
        }
    }

    fn output_window_open(&self) -> bool {
        self.unacked.len() < OUTPUT_WINDOW && !self.closed
    }

    async fn on_target_event(&mut self, event: TargetEvent) {
        if let Some(port) = self.port.as_mut() {
            let outs = port.target_event(event);
            self.apply_port(outs).await;
        }
    }

    async fn apply_port(&mut self, outs: Vec<Out>) {
        for out in outs {
            match out {
                Out::Output(payload) => self.send_output(PayloadType::OUTPUT, payload).await,
                Out::Flag(code) => {
                    let payload = code.to_be_bytes().to_vec();
                    self.send_output(PayloadType::FLAG, payload).await;
                }
                Out::Close(output) => {
                    self.close_channel(output).await;
                    return;
                }
            }
        }
    }

    async fn acknowledge(&mut self, message: &ClientMessage) {
        let frame = frames::ack(message);
        self.acks += 1;
        if every(self.config.faults.lose_ack_every, self.acks) {
            self.shared.stats().acks_lost += 1;
        } else if let Some(delay) = self.config.faults.ack_delay {
            self.shared.stats().acks_delayed += 1;
            self.delayed_acks.push_back((Instant::now() + delay, frame));
        } else {
            self.write(frame).await;
        }
    }

    async fn send_output(&mut self, payload_type: PayloadType, mut payload: Vec<u8>) {
        if let Some(kms) = self.kms.as_mut()
            && matches!(
                payload_type,
                PayloadType::OUTPUT | PayloadType::STD_ERR | PayloadType::EXIT_CODE
            )
        {
            payload = kms.seal(&payload);
        }
        let sequence = self.next_output;
        self.next_output += 1;
        let frame = frames::output(sequence, payload_type, payload);
        self.unacked
            .insert(sequence, (frame.clone(), Instant::now()));
        if self.paused_until.is_none() {
            self.transmit(frame).await;
        }
    }

    /// The first transmission of an output frame, where the output faults apply.
    async fn transmit(&mut self, frame: Bytes) {
        self.outputs += 1;
        let faults = self.config.faults;
        if every(faults.corrupt_every, self.outputs) {
            self.shared.stats().corrupted += 1;
            self.write(frames::spoil_digest(&frame)).await;
            return;
        }
        if every(faults.reorder_every, self.outputs) && self.held.is_none() {
            self.shared.stats().reordered += 1;
            self.held = Some((frame, Instant::now()));
            return;
        }
        self.write(frame.clone()).await;
        if every(faults.duplicate_every, self.outputs) {
            self.shared.stats().duplicated += 1;
            self.write(frame).await;
        }
        if let Some((held, _)) = self.held.take() {
            self.write(held).await;
        }
    }

    async fn on_tick(&mut self) {
        if self.closed {
            return;
        }
        let now = Instant::now();
        if self.started
            && let Some(port) = self.port.as_mut()
        {
            let outs = port.tick(now);
            self.apply_port(outs).await;
        }
        if self.paused_until.is_some_and(|until| until <= now) {
            self.paused_until = None;
            self.write(frames::control(START_PUBLICATION, Vec::new()))
                .await;
        }
        while let Some((due, frame)) = self.delayed_acks.front().cloned() {
            if due > now {
                break;
            }
            self.delayed_acks.pop_front();
            self.write(frame).await;
        }
        if let Some((frame, since)) = self.held.take() {
            if now.duration_since(since) >= HOLD_AT_MOST {
                self.write(frame).await;
            } else {
                self.held = Some((frame, since));
            }
        }
        if self.connection.is_none() || self.paused_until.is_some() {
            return;
        }
        let stale: Vec<i64> = self
            .unacked
            .iter()
            .filter(|(_, (_, sent))| now.duration_since(*sent) >= RESEND_AFTER)
            .map(|(sequence, _)| *sequence)
            .collect();
        for sequence in stale {
            if let Some((frame, sent)) = self.unacked.get_mut(&sequence) {
                *sent = now;
                let frame = frame.clone();
                self.shared.stats().resent += 1;
                self.write(frame).await;
            }
        }
    }

    async fn on_order(&mut self, order: Order) {
        match order {
            Order::CloseChannel(output) => self.close_channel(output).await,
            Order::ExitCode(code) => {
                let payload = format!("EXIT_CODE: {code}").into_bytes();
                self.send_output(PayloadType::EXIT_CODE, payload).await;
            }
            Order::Drop(done) => {
                self.shared.stats().drops += 1;
                self.lose_connection();
                let _ = done.send(());
            }
            Order::Pause(pause_for, done) => {
                self.pause(pause_for).await;
                let _ = done.send(());
            }
            Order::Freeze(done) => {
                if let Some(connection) = self.connection.as_mut() {
                    connection.frozen = true;
                }
                let _ = done.send(());
            }
        }
    }

    /// Ends the session as the relay does.
    async fn close_channel(&mut self, output: String) {
        self.write(frames::channel_closed(output)).await;
        // The connection stays open for the client to close: closing it here races the
        // client's last acknowledgement, and the reset that causes can discard the
        // `channel_closed` still unread in the client's receive buffer.
        self.closed = true;
    }

    /// Announces `pause_publication` and loses client frames until `pause_for` has passed
    /// or the connection drops.
    async fn pause(&mut self, pause_for: Duration) {
        self.shared.stats().pauses += 1;
        self.paused_until = Some(Instant::now() + pause_for);
        self.write(frames::control(PAUSE_PUBLICATION, Vec::new()))
            .await;
    }

    /// Forgets the connection. A pause ends with it, silently: the relay announces each
    /// connection's state afresh, so no `start_publication` follows.
    fn lose_connection(&mut self) {
        self.connection = None;
        self.paused_until = None;
    }

    /// Drops the connection, alternately the way the relay recycles sockets (`1000 Bye`)
    /// and the way a network does (no close frame).
    async fn drop_connection(&mut self) {
        self.drops += 1;
        self.shared.stats().drops += 1;
        let Some(mut connection) = self.connection.take() else {
            return;
        };
        self.lose_connection();
        if self.drops % 2 == 1 {
            let bye = CloseFrame {
                code: CloseCode::Normal,
                reason: "Bye".into(),
            };
            let _ = connection.socket.send(Message::Close(Some(bye))).await;
        }
    }

    /// Queues a frame; [`Agent::flush`] sends what was queued, after each turn of the loop.
    async fn write(&mut self, frame: Bytes) {
        let Some(connection) = self.connection.as_mut().filter(|c| !c.frozen) else {
            return;
        };
        if connection
            .socket
            .feed(Message::Binary(frame))
            .await
            .is_err()
        {
            self.lose_connection();
        }
    }

    async fn flush(&mut self) {
        let Some(connection) = self.connection.as_mut().filter(|c| !c.frozen) else {
            return;
        };
        if connection.socket.flush().await.is_err() {
            self.lose_connection();
        }
    }
}
