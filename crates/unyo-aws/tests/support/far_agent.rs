//! The far end of port, SSH and shell sessions for the AWS glue's tests, on loopback: the
//! relay's token check and an agent that answers the handshake, then
//! * [`Kind::Mux`]: runs the smux server of a port-forwarding session and connects every
//!   stream to a local TCP backend, as the agent dials the destination;
//! * [`Kind::Ssh`]: connects one backend connection at the start of the session and carries
//!   raw bytes, as `AWS-StartSSHSession` does;
//! * [`Kind::Echo`]: a shell that echoes its input.
//!
//! With a data key it asks for KMS encryption and checks that the client's answer carries the
//! blob the (mocked) KMS issued; output is then sealed with the first half of the key and
//! input opened with the second, as the agent does.
//!
//! It never resends: loopback is reliable. One connection per session; resume is covered by
//! the shell tests' far end and by `unyo-session`'s own.

#![allow(dead_code, reason = "each test file uses part of it")]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use aws_smithy_types::base64;
use futures_util::{SinkExt, StreamExt};
use secrecy::SecretSlice;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use unyo_session::message_type::{
    ACKNOWLEDGE, CHANNEL_CLOSED, INPUT_STREAM_DATA, OUTPUT_STREAM_DATA,
};
use unyo_session::smux::{self, Frame, FrameReader};
use unyo_session::{
    AcknowledgeContent, ChannelClosed, ClientMessage, FlagCode, HandshakeComplete,
    HandshakeRequest, HandshakeResponse, OpenDataChannel, PayloadType, RequestedClientAction,
    SessionCipher, Stamp,
};

pub const KMS_KEY_ID: &str = "arn:aws:kms:eu-west-1:111122223333:key/test";
/// What the agent says once the session is encrypted.
pub const ENCRYPTED_NOTICE: &str = "This session is encrypted using AWS KMS.";
/// How long a closing connection waits for the client's close frame.
const CLOSE_DRAIN: std::time::Duration = std::time::Duration::from_secs(2);
/// The agent's `channel_closed` text when a session ends on its side.
pub const SESSION_ENDED: &str = "Exiting session with sessionId: s-1.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Mux,
    Ssh,
    Echo,
}

/// A data key as the mocked KMS issued it.
#[derive(Debug, Clone)]
pub struct IssuedKey {
    pub plaintext: [u8; 64],
    pub blob: Vec<u8>,
}

#[derive(Debug, Default)]
struct State {
    token: String,
    /// Flags the client sent, in order.
    flags: Vec<u32>,
    /// Whether the KMS blob in the handshake response was the issued one.
    kms_blob_matched: Option<bool>,
    /// Sends `channel_closed` on the open connection, to end the session from the far side.
    end_session: Option<mpsc::UnboundedSender<Out>>,
}

#[derive(Debug, Clone)]
pub struct FarAgent {
    port: u16,
    kind: Kind,
    backend: Option<SocketAddr>,
    key: Option<IssuedKey>,
    state: Arc<Mutex<State>>,
}

/// What the connection's loop sends to the client.
#[derive(Debug)]
enum Out {
    Output(Vec<u8>),
    Flag(FlagCode),
    Closed(String),
}

impl FarAgent {
    /// An agent of `kind` whose connections go to `backend`, accepting `token`.
    pub async fn start(
        kind: Kind,
        backend: Option<SocketAddr>,
        token: &str,
        key: Option<IssuedKey>,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let agent = Self {
            port: listener.local_addr().unwrap().port(),
            kind,
            backend,
            key,
            state: Arc::new(Mutex::new(State {
                token: token.to_owned(),
                ..State::default()
            })),
        };
        let serving = agent.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                tokio::spawn(serving.clone().serve(tcp));
            }
        });
        agent
    }

    pub fn url(&self) -> String {
        format!(
            "ws://127.0.0.1:{}/v1/data-channel/s-1?role=publish_subscribe&cell-number=AAEAAQ",
            self.port
        )
    }

    pub fn flags(&self) -> Vec<u32> {
        self.state.lock().unwrap().flags.clone()
    }

    pub fn kms_blob_matched(&self) -> Option<bool> {
        self.state.lock().unwrap().kms_blob_matched
    }

    /// Ends the session from the far side with `text`, as the service does after a timeout.
    pub fn end_session(&self, text: &str) {
        if let Some(out) = &self.state.lock().unwrap().end_session {
            let _ = out.send(Out::Closed(text.to_owned()));
        }
    }

    async fn serve(self, tcp: TcpStream) {
        let Ok(mut socket) = tokio_tungstenite::accept_async(tcp).await else {
            return;
        };
        let Some(Ok(Message::Text(text))) = socket.next().await else {
            return;
        };
        let open: OpenDataChannel = serde_json::from_str(&text).unwrap();
        if open.token_value != self.state.lock().unwrap().token {
            let _ = socket.close(None).await;
            return;
        }
        let (out_tx, mut out_rx) = mpsc::unbounded_channel();
        self.state.lock().unwrap().end_session = Some(out_tx.clone());
        let mut session = Session {
            agent: self.clone(),
            out: out_tx,
            next_out: 0,
            expected_in: 0,
            cipher: None,
            frames: FrameReader::default(),
            streams: HashMap::new(),
            raw: None,
        };
        socket
            .send(session.output(PayloadType::HANDSHAKE_REQUEST, self.handshake()))
            .await
            .unwrap();
        loop {
            let replies = tokio::select! {
                frame = socket.next() => match frame {
                    Some(Ok(Message::Binary(frame))) => session.receive(&frame).await,
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => Vec::new(),
                    _ => return,
                },
                Some(out) = out_rx.recv() => session.send(out),
            };
            for reply in replies {
                let closing = matches!(&reply, Reply::Close(_));
                let message = match reply {
                    Reply::Message(message) | Reply::Close(message) => message,
                };
                if socket.send(message).await.is_err() {
                    return;
                }
                if closing {
                    // As the relay does: the close handshake completes before the socket is
                    // dropped. Dropping it with the client's last frames unread would reset the
                    // connection, and a reset can discard the `channel_closed` just sent.
                    let _ = socket.close(None).await;
                    let drained = tokio::time::timeout(CLOSE_DRAIN, async {
                        while let Some(Ok(_)) = socket.next().await {}
                    });
                    let _ = drained.await;
                    return;
                }
            }
        }
    }

    fn handshake(&self) -> Vec<u8> {
        let session = match self.kind {
            Kind::Mux => json!({"SessionType": "Port", "Properties": {
                "portNumber": "80", "type": "LocalPortForwarding", "localPortNumber": "0"}}),
            Kind::Ssh => json!({"SessionType": "Port", "Properties": {"portNumber": "22"}}),
            Kind::Echo => json!({"SessionType": "Standard_Stream", "Properties": null}),
        };
        let mut actions = vec![RequestedClientAction {
            action_type: RequestedClientAction::SESSION_TYPE.to_owned(),
            action_parameters: session,
        }];
        if self.key.is_some() {
            actions.push(RequestedClientAction {
                action_type: RequestedClientAction::KMS_ENCRYPTION.to_owned(),
                action_parameters: json!({"KMSKeyId": KMS_KEY_ID,
                    "Challenge": base64::encode([7u8; 16])}),
            });
        }
        let request = HandshakeRequest {
            agent_version: "3.3.987.0".to_owned(),
            requested_client_actions: actions,
        };
        serde_json::to_vec(&request).unwrap()
    }
}

enum Reply {
    Message(Message),
    /// Sent, then the connection is closed.
    Close(Message),
}

/// One session's agent state.
struct Session {
    agent: FarAgent,
    out: mpsc::UnboundedSender<Out>,
    next_out: i64,
    expected_in: i64,
    cipher: Option<SessionCipher>,
    frames: FrameReader,
    /// Writers to the backend connection of each smux stream.
    streams: HashMap<u32, mpsc::UnboundedSender<Vec<u8>>>,
    /// The one backend connection of an SSH session.
    raw: Option<mpsc::UnboundedSender<Vec<u8>>>,
}

impl Session {
    async fn receive(&mut self, frame: &[u8]) -> Vec<Reply> {
        let message = ClientMessage::decode(frame).unwrap().message;
        if message.message_type == ACKNOWLEDGE {
            return Vec::new();
        }
        assert_eq!(message.message_type, INPUT_STREAM_DATA);
        if message.sequence_number > self.expected_in {
            // Early: left unacknowledged for the client to resend in order.
            return Vec::new();
        }
        let ack = AcknowledgeContent::for_message(&message)
            .to_message(Stamp::now())
            .unwrap();
        let mut replies = vec![Reply::Message(binary(&ack))];
        if message.sequence_number < self.expected_in {
            return replies;
        }
        self.expected_in += 1;
        match message.payload_type {
            PayloadType::HANDSHAKE_RESPONSE => {
                replies.extend(self.handshake_done(&message.payload).await)
            }
            PayloadType::OUTPUT => {
                let payload = match &self.cipher {
                    Some(cipher) => cipher.decrypt(&message.payload).unwrap(),
                    None => message.payload,
                };
                self.input(payload).await;
            }
            PayloadType::FLAG => {
                let code = u32::from_be_bytes(message.payload[..4].try_into().unwrap());
                self.agent.state.lock().unwrap().flags.push(code);
                if FlagCode(code) == FlagCode::TERMINATE_SESSION {
                    replies.push(Reply::Close(channel_closed(SESSION_ENDED)));
                }
            }
            PayloadType::SIZE => {}
            other => panic!("unexpected input of payload type {}", other.0),
        }
        replies
    }

    async fn handshake_done(&mut self, payload: &[u8]) -> Vec<Reply> {
        let response: HandshakeResponse = serde_json::from_slice(payload).unwrap();
        let mut notice = String::new();
        if let Some(key) = &self.agent.key {
            let blob = response
                .processed_client_actions
                .iter()
                .find(|action| action.action_type == RequestedClientAction::KMS_ENCRYPTION)
                .and_then(|action| {
                    action
                        .action_result
                        .get("KMSCipherTextKey")?
                        .as_str()
                        .map(str::to_owned)
                });
            let matched = blob.as_deref() == Some(base64::encode(&key.blob).as_str());
            self.agent.state.lock().unwrap().kms_blob_matched = Some(matched);
            if !matched {
                return vec![Reply::Close(channel_closed(
                    "KMS data key could not be decrypted",
                ))];
            }
            // The agent's halves are the client's swapped: it seals with the first.
            let swapped = [&key.plaintext[32..], &key.plaintext[..32]].concat();
            self.cipher = Some(SessionCipher::from_data_key(&SecretSlice::from(swapped)).unwrap());
            notice = ENCRYPTED_NOTICE.to_owned();
        }
        let complete = HandshakeComplete {
            handshake_time_to_complete: 1_000_000,
            customer_message: notice,
        };
        let mut replies = vec![Reply::Message(self.output(
            PayloadType::HANDSHAKE_COMPLETE,
            serde_json::to_vec(&complete).unwrap(),
        ))];
        match self.agent.kind {
            Kind::Ssh => {
                // The agent dials the destination as the session starts; sshd speaks first.
                let tcp = TcpStream::connect(self.agent.backend.unwrap())
                    .await
                    .unwrap();
                self.raw = Some(connect(tcp, self.out.clone(), None));
            }
            Kind::Echo => {
                let prompt = self.seal(b"sh-5.2$ ".to_vec());
                replies.push(Reply::Message(self.output(PayloadType::OUTPUT, prompt)));
            }
            Kind::Mux => {}
        }
        replies
    }

    async fn input(&mut self, payload: Vec<u8>) {
        match self.agent.kind {
            Kind::Echo => {
                let _ = self.out.send(Out::Output(payload));
            }
            Kind::Ssh => {
                if let Some(raw) = &self.raw {
                    let _ = raw.send(payload);
                }
            }
            Kind::Mux => {
                self.frames.push(&payload);
                while let Some(frame) = self.frames.next_frame().unwrap() {
                    self.frame(frame).await;
                }
            }
        }
    }

    async fn frame(&mut self, frame: Frame) {
        match frame {
            Frame::Syn { stream } => match TcpStream::connect(self.agent.backend.unwrap()).await {
                Ok(tcp) => {
                    let writer = connect(tcp, self.out.clone(), Some(stream));
                    self.streams.insert(stream, writer);
                }
                Err(_) => {
                    let _ = self.out.send(Out::Flag(FlagCode::CONNECT_TO_PORT_ERROR));
                    let _ = self.out.send(Out::Output(smux::fin(stream).to_vec()));
                }
            },
            Frame::Push { stream, data } => {
                if let Some(writer) = self.streams.get(&stream) {
                    let _ = writer.send(data.to_vec());
                }
            }
            Frame::Fin { stream } => {
                self.streams.remove(&stream);
            }
            Frame::Nop { .. } | Frame::Update { .. } => {}
        }
    }

    fn send(&mut self, out: Out) -> Vec<Reply> {
        match out {
            Out::Output(bytes) => {
                let sealed = self.seal(bytes);
                vec![Reply::Message(self.output(PayloadType::OUTPUT, sealed))]
            }
            Out::Flag(code) => {
                let payload = code.0.to_be_bytes().to_vec();
                vec![Reply::Message(self.output(PayloadType::FLAG, payload))]
            }
            Out::Closed(text) => vec![Reply::Close(channel_closed(&text))],
        }
    }

    fn seal(&self, bytes: Vec<u8>) -> Vec<u8> {
        match &self.cipher {
            Some(cipher) => cipher.encrypt(&bytes).unwrap(),
            None => bytes,
        }
    }

    /// The agent's next sequenced output message.
    fn output(&mut self, payload_type: PayloadType, payload: Vec<u8>) -> Message {
        let stamp = Stamp::now();
        let message = ClientMessage {
            message_type: OUTPUT_STREAM_DATA.to_owned(),
            schema_version: 1,
            created_date: stamp.created_date,
            sequence_number: self.next_out,
            flags: u64::from(self.next_out == 0),
            message_id: stamp.message_id,
            payload_type,
            payload,
        };
        self.next_out += 1;
        binary(&message)
    }
}

/// Carries one backend connection: what it sends goes out (as smux frames of `stream`, or
/// raw), and the returned sender writes to it; dropping the sender closes its write side.
/// When an SSH session's connection closes, the session ends, as the agent ends it.
fn connect(
    tcp: TcpStream,
    out: mpsc::UnboundedSender<Out>,
    stream: Option<u32>,
) -> mpsc::UnboundedSender<Vec<u8>> {
    let (mut reader, mut writer) = tcp.into_split();
    tokio::spawn(async move {
        let mut buffer = vec![0; 1024];
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let bytes = match stream {
                        Some(stream) => {
                            let header = smux::push_header(stream, u16::try_from(n).unwrap());
                            [header.as_slice(), &buffer[..n]].concat()
                        }
                        None => buffer[..n].to_vec(),
                    };
                    let _ = out.send(Out::Output(bytes));
                }
            }
        }
        let _ = out.send(match stream {
            Some(stream) => Out::Output(smux::fin(stream).to_vec()),
            None => Out::Closed(SESSION_ENDED.to_owned()),
        });
    });
    let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
    tokio::spawn(async move {
        while let Some(bytes) = rx.recv().await {
            if writer.write_all(&bytes).await.is_err() {
                return;
            }
        }
        let _ = writer.shutdown().await;
    });
    tx
}

/// The relay's notice that the session is over.
fn channel_closed(text: &str) -> Message {
    let stamp = Stamp::now();
    let content = ChannelClosed {
        session_id: "s-1".to_owned(),
        message_type: CHANNEL_CLOSED.to_owned(),
        schema_version: 1,
        output: text.to_owned(),
        ..ChannelClosed::default()
    };
    binary(&ClientMessage {
        message_type: CHANNEL_CLOSED.to_owned(),
        schema_version: 1,
        created_date: stamp.created_date,
        sequence_number: 0,
        flags: 0,
        message_id: stamp.message_id,
        payload_type: PayloadType::OUTPUT,
        payload: serde_json::to_vec(&content).unwrap(),
    })
}

fn binary(message: &ClientMessage) -> Message {
    Message::binary(message.encode().unwrap())
}

/// A loopback TCP server that sends `greeting` to each connection and then echoes.
pub async fn echo_server(greeting: &'static [u8]) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            tokio::spawn(async move {
                if tcp.write_all(greeting).await.is_err() {
                    return;
                }
                let mut buffer = vec![0; 4096];
                while let Ok(n @ 1..) = tcp.read(&mut buffer).await {
                    if tcp.write_all(&buffer[..n]).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    address
}

/// A loopback port nothing listens on, held while the value lives: bound without listening,
/// so a connection to it is refused, and no test running alongside can take the port (a
/// port merely freed could become another test's listener or ephemeral port).
pub struct ClosedPort(tokio::net::TcpSocket);

impl ClosedPort {
    pub fn reserve() -> Self {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
        Self(socket)
    }

    pub fn address(&self) -> SocketAddr {
        self.0.local_addr().unwrap()
    }
}
