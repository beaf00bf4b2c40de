//! Just enough of the far end of a data channel for the AWS glue to be tested end to end on
//! loopback: the relay's token check, and an agent that performs the handshake and echoes
//! what it is sent. Sequence numbers live with the session, not the connection, so a resumed
//! client carries on where it left off.
//!
//! The agent is reliable only because loopback is: it never resends. The data channel's own
//! tests in `unyo-session` cover faults; these cover what `StartSession` and `ResumeSession`
//! hand to it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use super::signature_check;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use unyo_session::message_type::{
    ACKNOWLEDGE, CHANNEL_CLOSED, INPUT_STREAM_DATA, OUTPUT_STREAM_DATA,
};
use unyo_session::{
    AcknowledgeContent, ChannelClosed, ClientMessage, HandshakeComplete, HandshakeRequest,
    OpenDataChannel, PayloadType, RequestedClientAction, Stamp, TerminalSize,
};

/// What the shell prints when it is ready for a command.
pub const PROMPT: &[u8] = b"sh-5.2$ ";
/// Typing this ends the session from the far side, as the shell's `exit` does.
pub const EXIT: &[u8] = b"exit\r";
/// The text of the `channel_closed` that follows [`EXIT`].
pub const GOODBYE: &str = "Exiting session with sessionId: s-1.";

#[derive(Debug, Default)]
struct State {
    /// Tokens the relay accepts.
    tokens: HashSet<String>,
    /// The token of every accepted connection, in order.
    used_tokens: Vec<String>,
    /// The request path and query of every websocket upgrade, in order.
    paths: Vec<String>,
    /// The agent's next output sequence number.
    next_out: i64,
    /// The client's next expected input sequence number.
    expected_in: i64,
    /// Every terminal size the client reported, in order.
    sizes: Vec<TerminalSize>,
    /// When set, the relay's region and the keys it trusts: an upgrade without a valid
    /// signature by one of them is refused with HTTP 403.
    signing: Option<(String, HashMap<String, String>)>,
    /// The key that signed each accepted upgrade, in order.
    signed_by: Vec<String>,
}

/// The far end; lives as long as the test's runtime.
#[derive(Debug, Clone)]
pub struct FarEnd {
    port: u16,
    state: Arc<Mutex<State>>,
    /// Bumped to cut every open connection, as the relay's hourly recycling does.
    cut: Arc<watch::Sender<u32>>,
}

impl FarEnd {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let far_end = Self {
            port: listener.local_addr().unwrap().port(),
            state: Arc::default(),
            cut: Arc::new(watch::channel(0).0),
        };
        let serving = far_end.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                tokio::spawn(serving.clone().serve(tcp));
            }
        });
        far_end
    }

    /// A stream URL shaped like the service's, with `tag` where the session id goes.
    pub fn url(&self, tag: &str) -> String {
        format!(
            "ws://127.0.0.1:{}/v1/data-channel/{tag}?role=publish_subscribe&cell-number=AAEAAQ",
            self.port
        )
    }

    /// Refuses upgrades that are not signed for `region` by a key [`FarEnd::trust_key`] names.
    pub fn require_signature(&self, region: &str) {
        self.state.lock().unwrap().signing = Some((region.to_owned(), HashMap::new()));
    }

    pub fn trust_key(&self, key: &str, secret: &str) {
        if let Some((_, keys)) = &mut self.state.lock().unwrap().signing {
            keys.insert(key.to_owned(), secret.to_owned());
        }
    }

    /// Stops trusting `key`, as when a role's session has expired.
    pub fn distrust_key(&self, key: &str) {
        if let Some((_, keys)) = &mut self.state.lock().unwrap().signing {
            keys.remove(key);
        }
    }

    pub fn signed_by(&self) -> Vec<String> {
        self.state.lock().unwrap().signed_by.clone()
    }

    pub fn accept_token(&self, token: &str) {
        self.state.lock().unwrap().tokens.insert(token.to_owned());
    }

    pub fn used_tokens(&self) -> Vec<String> {
        self.state.lock().unwrap().used_tokens.clone()
    }

    pub fn paths(&self) -> Vec<String> {
        self.state.lock().unwrap().paths.clone()
    }

    pub fn sizes(&self) -> Vec<TerminalSize> {
        self.state.lock().unwrap().sizes.clone()
    }

    /// Closes every open connection with `1000 Bye`; the session itself goes on.
    pub fn cut_connections(&self) {
        self.cut.send_modify(|cuts| *cuts += 1);
    }

    #[allow(
        clippy::result_large_err,
        reason = "the upgrade callback's signature is tungstenite's"
    )]
    async fn serve(self, tcp: TcpStream) {
        let mut cut = self.cut.subscribe();
        let state = Arc::clone(&self.state);
        let record_path = move |request: &Request, response: Response| {
            let mut state = state.lock().unwrap();
            state.paths.push(request.uri().to_string());
            if let Some((region, keys)) = &state.signing {
                match signature_check::verify(request, region, keys) {
                    Ok(key) => state.signed_by.push(key),
                    Err(why) => {
                        let mut refused = ErrorResponse::new(Some(why));
                        *refused.status_mut() = StatusCode::FORBIDDEN;
                        return Err(refused);
                    }
                }
            }
            Ok(response)
        };
        let Ok(mut socket) = tokio_tungstenite::accept_hdr_async(tcp, record_path).await else {
            return;
        };
        let Some(Ok(Message::Text(text))) = socket.next().await else {
            return;
        };
        let open: OpenDataChannel = serde_json::from_str(&text).unwrap();
        let first_connection = {
            let mut state = self.state.lock().unwrap();
            let accepted = state.tokens.contains(&open.token_value);
            accepted.then(|| {
                state.used_tokens.push(open.token_value);
                state.used_tokens.len() == 1
            })
        };
        let Some(first_connection) = first_connection else {
            let _ = socket.close(None).await;
            return;
        };
        if first_connection {
            let request = self.handshake_request();
            socket.send(request).await.unwrap();
        }
        loop {
            tokio::select! {
                _ = cut.changed() => {
                    let bye = CloseFrame { code: CloseCode::Normal, reason: "Bye".into() };
                    let _ = socket.close(Some(bye)).await;
                    return;
                }
                frame = socket.next() => match frame {
                    Some(Ok(Message::Binary(frame))) => {
                        for reply in self.receive(&frame) {
                            if socket.send(reply).await.is_err() {
                                return;
                            }
                        }
                    }
                    // Pings are answered inside tungstenite; the client's first comes at once.
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    _ => return,
                },
            }
        }
    }

    /// The agent's answer to one client frame: an ack for input, then what the input causes.
    fn receive(&self, frame: &[u8]) -> Vec<Message> {
        let message = ClientMessage::decode(frame).unwrap().message;
        if message.message_type == ACKNOWLEDGE {
            return Vec::new();
        }
        assert_eq!(message.message_type, INPUT_STREAM_DATA);
        let mut state = self.state.lock().unwrap();
        if message.sequence_number > state.expected_in {
            // Early: left unacknowledged for the client to resend in order.
            return Vec::new();
        }
        let ack = AcknowledgeContent::for_message(&message)
            .to_message(Stamp::now())
            .unwrap();
        let mut replies = vec![binary(&ack)];
        if message.sequence_number < state.expected_in {
            // A duplicate: acknowledged again, not acted on again.
            return replies;
        }
        state.expected_in += 1;
        match message.payload_type {
            PayloadType::HANDSHAKE_RESPONSE => {
                let complete = HandshakeComplete {
                    handshake_time_to_complete: 1_000_000,
                    customer_message: String::new(),
                };
                let complete = serde_json::to_vec(&complete).unwrap();
                replies.push(output(
                    &mut state,
                    PayloadType::HANDSHAKE_COMPLETE,
                    complete,
                ));
                replies.push(output(&mut state, PayloadType::OUTPUT, PROMPT.to_vec()));
            }
            PayloadType::OUTPUT if message.payload == EXIT => {
                replies.push(output(
                    &mut state,
                    PayloadType::OUTPUT,
                    b"exit\r\n".to_vec(),
                ));
                replies.push(channel_closed());
            }
            PayloadType::OUTPUT => {
                replies.push(output(&mut state, PayloadType::OUTPUT, message.payload));
            }
            PayloadType::SIZE => {
                let size = serde_json::from_slice(&message.payload).unwrap();
                state.sizes.push(size);
            }
            other => panic!("unexpected input of payload type {}", other.0),
        }
        replies
    }

    fn handshake_request(&self) -> Message {
        let request = HandshakeRequest {
            agent_version: "3.3.987.0".to_owned(),
            requested_client_actions: vec![RequestedClientAction {
                action_type: RequestedClientAction::SESSION_TYPE.to_owned(),
                action_parameters: json!({"SessionType": "Standard_Stream", "Properties": null}),
            }],
        };
        let payload = serde_json::to_vec(&request).unwrap();
        output(
            &mut self.state.lock().unwrap(),
            PayloadType::HANDSHAKE_REQUEST,
            payload,
        )
    }
}

/// The agent's next sequenced output message.
fn output(state: &mut State, payload_type: PayloadType, payload: Vec<u8>) -> Message {
    let stamp = Stamp::now();
    let message = ClientMessage {
        message_type: OUTPUT_STREAM_DATA.to_owned(),
        schema_version: 1,
        created_date: stamp.created_date,
        sequence_number: state.next_out,
        flags: u64::from(state.next_out == 0),
        message_id: stamp.message_id,
        payload_type,
        payload,
    };
    state.next_out += 1;
    binary(&message)
}

/// The relay's notice that the session is over.
fn channel_closed() -> Message {
    let stamp = Stamp::now();
    let content = ChannelClosed {
        session_id: "s-1".to_owned(),
        message_type: CHANNEL_CLOSED.to_owned(),
        schema_version: 1,
        output: GOODBYE.to_owned(),
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
