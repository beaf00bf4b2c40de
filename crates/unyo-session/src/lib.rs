//! A native client for the AWS Systems Manager Session Manager data channel, the protocol the
//! official `session-manager-plugin` speaks over the `StreamUrl` websocket.
//!
//! Two layers. The pure one: the binary [`ClientMessage`] codec (a strict encoder and a
//! lenient decoder), the JSON payloads of the handshake and the control messages, and the
//! reliable-delivery state machines ([`Outgoing`], [`Incoming`]) that number, acknowledge,
//! reorder and resend stream messages; nothing there does I/O or reads the clock. On top of
//! it, [`DataChannel`]: one tokio task per session that owns the websocket (tokio-tungstenite,
//! rustls for `wss://`), answers the handshake, keeps the socket alive, and resumes the session
//! through a caller-supplied callback when the connection drops.
//!
//! [`PortForward`] carries local TCP connections over a port session's channel, multiplexed
//! with smux ([`smux`]) or one at a time, as the agent's version allows.
//!
//! Sessions encrypted with KMS (§10) are served when the caller supplies data keys
//! ([`KmsOptions`]); the AES-256-GCM of their payloads is done here.
//!
//! Non-goals: no AWS SDK (`StartSession`, `ResumeSession` and `kms:GenerateDataKey` live in
//! `unyo-aws` and reach this crate as an [`Endpoint`], a [`ResumeSession`] callback and a
//! [`DataKeySource`]).
//!
//! Section numbers in the comments (§3, §5.4) refer to the team's protocol notes,
//! `ssm-session-protocol.md`, written from the official plugin's and agent's sources.

pub mod acknowledge;
pub mod agent_version;
pub mod channel;
pub mod channel_closed;
pub mod codec;
pub mod handshake;
pub mod incoming;
pub mod kms;
pub mod message;
pub mod message_type;
pub mod open_data_channel;
pub mod outgoing;
pub mod payload_type;
pub mod port_forward;
pub mod rtt;
pub mod session_type;
pub mod smux;
pub mod stream_payload;

pub use acknowledge::AcknowledgeContent;
pub use channel::{
    ChannelGone, ChannelOptions, CloseReason, DataChannel, Endpoint, Event, ReconnectPolicy,
    ResumeError, ResumeFuture, ResumeSession, SessionInfo, TransportError,
};
pub use channel_closed::ChannelClosed;
pub use codec::{DecodeError, Decoded, DigestCheck, EncodeError};
pub use handshake::{
    ActionParameters, ActionStatus, CLIENT_VERSION, EncryptionChallenge, HandshakeComplete,
    HandshakeRequest, HandshakeResponse, KmsEncryptionRequest, KmsEncryptionResponse,
    ProcessedClientAction, RequestedClientAction,
};
pub use incoming::{Arrival, Incoming, Readiness, Receipt};
pub use kms::{
    CipherError, DataKey, DataKeyError, DataKeyFuture, DataKeyRequest, DataKeySource, KmsOptions,
    SessionCipher,
};
pub use message::{ClientMessage, Stamp};
pub use open_data_channel::OpenDataChannel;
pub use outgoing::{AckOutcome, Outgoing, SendError};
pub use payload_type::PayloadType;
pub use port_forward::{
    ForwardMode, ForwardOptions, PortForward, TunnelEnd, TunnelPhase, TunnelState,
};
pub use rtt::RttEstimator;
pub use session_type::{PortProperties, SessionType, SessionTypeRequest};
pub use stream_payload::{FlagCode, TerminalSize, parse_exit_code};
