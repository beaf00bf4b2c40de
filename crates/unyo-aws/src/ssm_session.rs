//! Session Manager sessions through `aws-sdk-ssm`: `StartSession`, `ResumeSession` and
//! `TerminateSession`, and the glue that turns a started session into a running data channel
//! (`unyo-session`) — a shell behind the app's [`ShellSession`] port, a tunnel behind its
//! tunnels port ([`tunnel`]), an SSH byte stream ([`ssh`]), or a bare channel for the other
//! session kinds (interactive commands).
//!
//! Before a session starts, the target's ping status is looked up so that an agent that is
//! not connected is explained rather than reported as the service's bare `TargetNotConnected`
//! ([`Sessions::check_target`]). Every channel accepts KMS encryption, with data keys from
//! `kms:GenerateDataKey` ([`crate::kms`]), when the account's preferences ask for it.
//!
//! A session is ended on the service as well as locally: closing the websocket alone would
//! leave the session, and the agent's worker behind it, running until the idle timeout.
//! Session tokens stay in [`SecretString`]s and never reach logs, `Debug` output or messages.
//!
//! Non-goals: the wire protocol (in `unyo-session`), and SigV4-signing the websocket upgrade,
//! which the 1.2.677 plugin does not do either.
//!
//! [`ShellSession`]: unyo_core::session::ShellSession

mod ending;
mod errors;
mod resume;
mod shell;
pub mod signing;
pub mod ssh;
mod target_check;
pub mod tunnel;

use std::collections::BTreeMap;

use aws_credential_types::provider::SharedCredentialsProvider;
use secrecy::SecretString;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use unyo_core::session::OpenedShell;
use unyo_core::tunnel::{OpenedTunnel, TunnelTarget};
use unyo_core::{AppError, ErrorCode};
use unyo_session::{ChannelOptions, DataChannel, Endpoint, Event, ForwardOptions, KmsOptions};

use crate::kms::KmsDataKeys;

/// The AWS config sessions are opened with (a profile's, in the target's region), re-exported
/// so that callers such as the CLI need no SDK crate of their own.
pub use aws_config::SdkConfig;
pub use resume::SsmResume;
pub use shell::AwsShell;
pub use ssh::SshStream;

/// The document Session Manager runs when none is named: an interactive shell.
pub const SHELL_DOCUMENT: &str = "SSM-SessionManagerRunShell";

/// What `StartSession` answered: where to connect and the token that opens the channel.
#[derive(Debug)]
pub struct StartedSession {
    pub session_id: String,
    /// Used verbatim: its query routes to the service's cell.
    pub stream_url: String,
    pub token: SecretString,
}

/// What `ResumeSession` answered for a session that can still be resumed.
#[derive(Debug)]
pub struct ResumedSession {
    /// A new URL when the service moved the session; `None` keeps the previous one.
    pub stream_url: Option<String>,
    pub token: SecretString,
}

/// A started session with its data channel open: drive it with [`DataChannel`], read its
/// events, and end it with [`Sessions::terminate`] (or [`terminate`]) when done.
#[derive(Debug)]
pub struct SessionChannel {
    pub session_id: String,
    pub channel: DataChannel,
    pub events: mpsc::Receiver<Event>,
}

/// The session calls over one SSM client (and a KMS client for encrypted sessions). Cheap to
/// clone; the clients are shared.
#[derive(Debug, Clone)]
pub struct Sessions {
    client: aws_sdk_ssm::Client,
    /// Where data keys come from when the agent asks for KMS encryption; without it such
    /// sessions are refused with a clear reason.
    data_keys: Option<KmsDataKeys>,
    /// The credentials every dial of the data channel is signed with, asked for at each dial;
    /// without them (a client handed in by a caller) the upgrade goes unsigned.
    credentials: Option<SharedCredentialsProvider>,
}

impl Sessions {
    /// Session calls in `config`'s region, KMS-encrypted sessions included.
    pub fn new(config: &SdkConfig) -> Self {
        let mut sessions =
            Self::from_client(aws_sdk_ssm::Client::new(config)).with_kms(KmsDataKeys::new(config));
        sessions.credentials = config.credentials_provider();
        sessions
    }

    /// Over a client built elsewhere (a cached one, or a mocked one in tests), without KMS
    /// until [`Sessions::with_kms`].
    pub fn from_client(client: aws_sdk_ssm::Client) -> Self {
        Self {
            client,
            data_keys: None,
            credentials: None,
        }
    }

    /// These calls with their data channel signed with `credentials` on every dial.
    pub fn with_signing(mut self, credentials: SharedCredentialsProvider) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// These calls with `data_keys` for KMS-encrypted sessions.
    pub fn with_kms(mut self, data_keys: KmsDataKeys) -> Self {
        self.data_keys = Some(data_keys);
        self
    }

    /// `StartSession` on `target` with `document` (the shell when `None`) and its
    /// `parameters`, such as `portNumber` for port forwarding.
    pub async fn start(
        &self,
        target: &str,
        document: Option<&str>,
        parameters: BTreeMap<String, Vec<String>>,
    ) -> Result<StartedSession, AppError> {
        let parameters = (!parameters.is_empty()).then(|| parameters.into_iter().collect());
        let output = self
            .client
            .start_session()
            .target(target)
            .set_document_name(document.map(str::to_owned))
            .set_parameters(parameters)
            .send()
            .await
            .map_err(|err| {
                errors::start_failed(
                    &err,
                    target,
                    document.unwrap_or(SHELL_DOCUMENT),
                    self.region(),
                )
            })?;
        let session_id = output
            .session_id
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::Internal,
                    format!("StartSession on {target} answered without a session id"),
                )
            })?;
        let (Some(stream_url), Some(token)) = (output.stream_url, output.token_value) else {
            // Unusable without both; end it rather than leave it running until it times out.
            if let Err(err) = self.terminate(&session_id).await {
                tracing::warn!(%session_id, error = %err.message, "could not terminate an unusable session");
            }
            return Err(AppError::new(
                ErrorCode::Internal,
                format!("StartSession answered session {session_id} without a stream URL or token"),
            ));
        };
        tracing::info!(%session_id, target, "session started");
        Ok(StartedSession {
            session_id,
            stream_url,
            token: SecretString::from(token),
        })
    }

    /// `ResumeSession`: a fresh token (and maybe URL) for reconnecting the same client after
    /// its connection dropped. `None` when the service has no token for it any more, which
    /// means the session timed out.
    pub async fn resume(&self, session_id: &str) -> Result<Option<ResumedSession>, AppError> {
        let output = self
            .client
            .resume_session()
            .session_id(session_id)
            .send()
            .await
            .map_err(|err| errors::resume_failed(&err, session_id))?;
        let Some(token) = output.token_value.filter(|token| !token.is_empty()) else {
            return Ok(None);
        };
        Ok(Some(ResumedSession {
            stream_url: output.stream_url.filter(|url| !url.is_empty()),
            token: SecretString::from(token),
        }))
    }

    /// `TerminateSession`: ends the session on the service and the agent's side of it.
    /// Ending a session that has already ended succeeds.
    pub async fn terminate(&self, session_id: &str) -> Result<(), AppError> {
        self.client
            .terminate_session()
            .session_id(session_id)
            .send()
            .await
            .map_err(|err| errors::terminate_failed(&err, session_id))?;
        tracing::info!(%session_id, "session terminated");
        Ok(())
    }

    /// Checks that the target's agent is connected ([`Sessions::check_target`]), starts a
    /// session and opens its data channel, resuming through `ResumeSession` when the
    /// connection drops (any resume callback already in `options` is replaced) and accepting
    /// KMS encryption with this value's data keys (unless `options` brings its own). When the
    /// channel cannot be opened, the session is terminated again.
    pub async fn open_channel(
        &self,
        target: &str,
        document: Option<&str>,
        parameters: BTreeMap<String, Vec<String>>,
        mut options: ChannelOptions,
    ) -> Result<SessionChannel, AppError> {
        self.check_target(target).await?;
        let started = self.start(target, document, parameters).await?;
        if let (None, Some(data_keys)) = (&options.kms, &self.data_keys) {
            options.kms = Some(KmsOptions::new(
                started.session_id.clone(),
                target,
                data_keys.clone(),
            ));
        }
        let resume = SsmResume::new(self.clone(), &started);
        let endpoint = match self.endpoint(&started.stream_url, &started.token).await {
            Ok(endpoint) => endpoint,
            Err(err) => {
                if let Err(ended) = self.terminate(&started.session_id).await {
                    tracing::warn!(session_id = %started.session_id, error = %ended.message, "could not terminate a session whose channel could not be signed");
                }
                return Err(err);
            }
        };
        let session_id = started.session_id;
        match DataChannel::connect(endpoint, options.with_resume(resume)).await {
            Ok((channel, events)) => Ok(SessionChannel {
                session_id,
                channel,
                events,
            }),
            Err(error) => {
                if let Err(err) = self.terminate(&session_id).await {
                    tracing::warn!(%session_id, error = %err.message, "could not terminate a session whose channel failed");
                }
                Err(errors::channel_failed(&error, &session_id, self.region()))
            }
        }
    }

    /// Opens an interactive shell on `target` with the default shell document.
    pub async fn open_shell(
        &self,
        target: &str,
        options: ChannelOptions,
    ) -> Result<OpenedShell, AppError> {
        let opened = self
            .open_channel(target, None, BTreeMap::new(), options)
            .await?;
        Ok(shell::open(self.clone(), opened))
    }

    fn region(&self) -> Option<&str> {
        self.client.config().region().map(|region| region.as_ref())
    }
}

/// [`Sessions::start`] with a client for `config`.
pub async fn start(
    config: &SdkConfig,
    target: &str,
    document: Option<&str>,
    parameters: BTreeMap<String, Vec<String>>,
) -> Result<StartedSession, AppError> {
    Sessions::new(config)
        .start(target, document, parameters)
        .await
}

/// [`Sessions::resume`] with a client for `config`.
pub async fn resume(
    config: &SdkConfig,
    session_id: &str,
) -> Result<Option<ResumedSession>, AppError> {
    Sessions::new(config).resume(session_id).await
}

/// [`Sessions::terminate`] with a client for `config`.
pub async fn terminate(config: &SdkConfig, session_id: &str) -> Result<(), AppError> {
    Sessions::new(config).terminate(session_id).await
}

/// [`Sessions::open_channel`] with a client for `config`.
pub async fn open_channel(
    config: &SdkConfig,
    target: &str,
    document: Option<&str>,
    parameters: BTreeMap<String, Vec<String>>,
    options: ChannelOptions,
) -> Result<SessionChannel, AppError> {
    Sessions::new(config)
        .open_channel(target, document, parameters, options)
        .await
}

/// [`Sessions::open_shell`] with a client for `config` and the default channel options.
pub async fn open_shell(config: &SdkConfig, target: &str) -> Result<OpenedShell, AppError> {
    Sessions::new(config)
        .open_shell(target, ChannelOptions::default())
        .await
}

/// [`Sessions::open_tunnel`] with clients for `config` and the default options.
pub async fn open_tunnel(
    config: &SdkConfig,
    target: &TunnelTarget,
    listener: TcpListener,
) -> Result<OpenedTunnel, AppError> {
    Sessions::new(config)
        .open_tunnel(
            target,
            listener,
            ChannelOptions::default(),
            ForwardOptions::default(),
        )
        .await
}

/// [`Sessions::open_ssh`] with clients for `config` and the default channel options.
pub async fn open_ssh(config: &SdkConfig, target: &str, port: u16) -> Result<SshStream, AppError> {
    Sessions::new(config)
        .open_ssh(target, port, ChannelOptions::default())
        .await
}

impl Sessions {
    /// The endpoint `DataChannel::connect` takes, its upgrade signed now with the credentials
    /// of now; the one place the token leaves its wrapper.
    async fn endpoint(&self, stream_url: &str, token: &SecretString) -> Result<Endpoint, AppError> {
        use secrecy::ExposeSecret;
        let headers = match (&self.credentials, self.region()) {
            (Some(credentials), Some(region)) => {
                let now = std::time::SystemTime::now();
                signing::upgrade_headers(credentials, region, stream_url, now).await?
            }
            _ => Vec::new(),
        };
        Ok(Endpoint::new(stream_url, token.expose_secret()).with_headers(headers))
    }
}
