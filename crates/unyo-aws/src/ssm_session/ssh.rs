//! SSH through Session Manager (`AWS-StartSSHSession`), as OpenSSH's `ProxyCommand` uses it:
//! one byte stream to port 22 (or another port) on the instance, with no local listener.
//! Policies often allow this document where they refuse general port forwarding.
//!
//! The session is a single connection (§8.2): it ends when the instance's sshd closes the
//! connection, or when the local side stops sending, as the plugin ends it on stdin EOF; in
//! both cases it is terminated on the service unless the service ended it.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream, WriteHalf};
use tokio::sync::{mpsc, oneshot};
use unyo_core::AppError;
use unyo_session::{ChannelOptions, CloseReason, DataChannel, Event, FlagCode, SessionType};

use super::ending::Ending;
use super::{SessionChannel, Sessions};

/// The document that carries one SSH connection.
pub const SSH_DOCUMENT: &str = "AWS-StartSSHSession";

/// How many bytes may wait between the session and whoever reads the stream.
const STREAM_BUFFER: usize = 64 * 1024;
/// The most bytes of local input sent in one go; the channel cuts them into payloads.
const READ_CHUNK: usize = 16 * 1024;

/// An SSH connection's byte stream to the instance.
#[derive(Debug)]
pub struct SshStream {
    pub session_id: String,
    /// Read what sshd sends, write what the SSH client sends; shutting down the write side
    /// (or dropping the stream) ends the session.
    pub stream: DuplexStream,
    /// How the session ended, once it has: `Err` with the reason when it failed rather than
    /// closed.
    pub ended: oneshot::Receiver<Result<(), String>>,
}

impl Sessions {
    /// Starts `AWS-StartSSHSession` to `port` on `target` and returns its byte stream.
    pub async fn open_ssh(
        &self,
        target: &str,
        port: u16,
        options: ChannelOptions,
    ) -> Result<SshStream, AppError> {
        let parameters = BTreeMap::from([("portNumber".to_owned(), vec![port.to_string()])]);
        let SessionChannel {
            session_id,
            channel,
            events,
        } = self
            .open_channel(target, Some(SSH_DOCUMENT), parameters, options)
            .await?;
        let (ours, theirs) = tokio::io::duplex(STREAM_BUFFER);
        let (done, ended) = oneshot::channel();
        let ending = Arc::new(Ending::new(self.clone(), session_id.clone()));
        tokio::spawn(bridge(channel, events, ours, ending, done, port));
        Ok(SshStream {
            session_id,
            stream: theirs,
            ended,
        })
    }
}

/// Carries bytes between the channel and the local stream until either side ends.
async fn bridge(
    channel: DataChannel,
    mut events: mpsc::Receiver<Event>,
    ours: DuplexStream,
    ending: Arc<Ending>,
    done: oneshot::Sender<Result<(), String>>,
    port: u16,
) {
    let (mut reader, mut writer) = tokio::io::split(ours);
    let sender = channel.clone();
    let mut input = tokio::spawn(async move {
        let mut buffer = vec![0; READ_CHUNK];
        loop {
            match reader.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if sender.send(buffer[..n].to_vec()).await.is_err() {
                        return;
                    }
                }
            }
        }
    });
    let outcome = tokio::select! {
        outcome = output(&mut events, &mut writer, port) => outcome,
        // The SSH client is done with the connection, as at the end of every ssh command.
        _ = &mut input => Outcome::LocalEnd,
    };
    input.abort();
    let _ = writer.shutdown().await;
    channel.close();
    let result = match outcome {
        Outcome::ServiceEnded => {
            ending.claim();
            Ok(())
        }
        Outcome::LocalEnd => {
            ending.terminate_claimed().await;
            Ok(())
        }
        Outcome::Failed(why) => {
            ending.terminate_claimed().await;
            Err(why)
        }
    };
    tracing::info!(
        session_id = ending.session_id(),
        ?result,
        "ssh session ended"
    );
    let _ = done.send(result);
}

enum Outcome {
    /// The service ended the session (sshd closed the connection).
    ServiceEnded,
    /// The local side ended the stream.
    LocalEnd,
    Failed(String),
}

/// Writes the session's output to the local stream until the session ends.
async fn output(
    events: &mut mpsc::Receiver<Event>,
    writer: &mut WriteHalf<DuplexStream>,
    port: u16,
) -> Outcome {
    while let Some(event) = events.recv().await {
        match event {
            Event::Ready(info) if info.session.session_type != SessionType::Port => {
                return Outcome::Failed(format!(
                    "the instance started a {:?} session instead of a port session",
                    info.session.session_type
                ));
            }
            Event::Output(bytes) => {
                if writer.write_all(&bytes).await.is_err() {
                    return Outcome::LocalEnd;
                }
            }
            Event::Flag(FlagCode::CONNECT_TO_PORT_ERROR) => {
                return Outcome::Failed(format!(
                    "the instance could not connect to its port {port}: is sshd running and \
                     listening there? The SSM Agent log on the instance has the details"
                ));
            }
            Event::Reconnecting { cause } => {
                tracing::warn!(%cause, "ssh session connection lost; resuming");
            }
            Event::Closed {
                reason: CloseReason::ChannelClosed { .. },
                ..
            } => return Outcome::ServiceEnded,
            Event::Closed { reason, .. } => return Outcome::Failed(reason.to_string()),
            other => tracing::debug!(?other, "ssh session event"),
        }
    }
    Outcome::Failed("the session's channel ended without a reason".to_owned())
}
