//! `unyo ssh-proxy`: the connection to an instance's SSH port as this process's stdin and
//! stdout, for OpenSSH's `ProxyCommand`:
//!
//! ```text
//! Host i-*
//!     ProxyCommand unyo ssh-proxy %h --port %p --profile prod
//! ```
//!
//! On AWS it is an `AWS-StartSSHSession` session, as the AWS CLI's own recipe uses; on the
//! practice account, a tunnel to the simulated sshd. Stdout carries the SSH stream and nothing
//! else; messages go to stderr. The session ends when the SSH client closes the connection,
//! sshd does, or Ctrl-C or SIGTERM arrives, and it is terminated on the service.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use clap::Args;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use unyo_core::cloud::AccountId;
use unyo_core::cloud::Sessions;
use unyo_core::tunnel::{TunnelControl, TunnelTarget};
use unyo_core::{AppError, ErrorCode};
use unyo_practice::PracticeCloud;

use crate::account::{self, AccountArgs};
use crate::exit::Exit;
use crate::session::{StopSignals, note, read_stdin, runtime};

#[derive(Debug, Args)]
pub struct SshProxyArgs {
    // --region is the instance's region; the profile's own when omitted.
    #[command(flatten)]
    account: AccountArgs,
    /// The port sshd listens on, on the instance.
    #[arg(long, default_value_t = 22)]
    port: u16,
    /// The instance, e.g. i-0a1f3c5e7b9d10001 (`%h` in a ProxyCommand).
    target: String,
}

/// How long the far side may take to close after the SSH client is done, and how long
/// ending the session may take once `unyo` has been asked to stop.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

pub fn run(args: &SshProxyArgs) -> u8 {
    match runtime() {
        Some(runtime) => runtime.block_on(proxy(args)) as u8,
        None => Exit::Failed as u8,
    }
}

async fn proxy(args: &SshProxyArgs) -> Exit {
    let result = match args
        .account
        .region()
        .and_then(|_| account::ids(&args.account))
    {
        Ok(ids) => match ids.as_slice() {
            [AccountId::Practice] => practice(args).await,
            [id] => aws(id, args).await,
            _ => Err(AppError::invalid_input(
                "this command works on one account; give --profile once",
            )),
        },
        Err(err) => Err(err),
    };
    match result {
        Ok(exit) => exit,
        Err(err) => {
            note(&format!("unyo: {} ({:?})\n", err.message, err.code));
            Exit::Failed
        }
    }
}

/// On AWS: the SSH stream straight from the session's data channel, with no local port.
async fn aws(id: &AccountId, args: &SshProxyArgs) -> Result<Exit, AppError> {
    let cloud = account::connect_aws(id, &args.account).await?;
    let config = cloud.session_config(&args.target)?;
    let ssh = unyo_aws::ssm_session::open_ssh(&config, &args.target, args.port).await?;
    let exit = carry(ssh.stream).await;
    // Dropping the stream ended the session if it had not ended; wait for the service to
    // hear of it, so that nothing is left running.
    match tokio::time::timeout(CLOSE_TIMEOUT, ssh.ended).await {
        Ok(Ok(Err(why))) => {
            note(&format!("unyo: the SSH session ended: {why}\n"));
            Ok(Exit::Failed)
        }
        _ => Ok(exit),
    }
}

/// On the practice account: a tunnel to the simulated sshd, reached through a loopback
/// listener of its own on a free port.
async fn practice(args: &SshProxyArgs) -> Result<Exit, AppError> {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .map_err(|e| {
            AppError::new(
                ErrorCode::Internal,
                format!("cannot listen on loopback: {e}"),
            )
        })?;
    let local = listener
        .local_addr()
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
    let target = TunnelTarget {
        instance_id: args.target.clone(),
        remote_host: None,
        remote_port: args.port,
    };
    let mut tunnel = PracticeCloud::new().open_tunnel(&target, listener).await?;
    let stream = TcpStream::connect(local)
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("cannot reach the tunnel: {e}")))?;
    // A refused connection is closed at once; its reason arrives in the tunnel's status.
    let exit = carry(stream).await;
    let refused = tunnel.status.borrow_and_update().last_error.clone();
    stop(tunnel.control.as_ref()).await;
    match refused {
        Some(why) => {
            note(&format!("unyo: {why}\n"));
            Ok(Exit::Failed)
        }
        None => Ok(exit),
    }
}

async fn stop(control: &dyn TunnelControl) {
    if let Ok(Err(err)) = tokio::time::timeout(CLOSE_TIMEOUT, control.stop()).await {
        note(&format!("unyo: {} ({:?})\n", err.message, err.code));
    }
}

/// Copies stdin to `stream` and `stream` to stdout until the far side closes, or the SSH
/// client closes stdin and the far side follows, or a stop is asked for.
async fn carry<S: AsyncRead + AsyncWrite>(stream: S) -> Exit {
    let (mut reader, mut writer) = tokio::io::split(stream);
    let mut stdin = read_stdin();
    let mut stop = StopSignals::new();
    let mut input_open = true;
    let mut buffer = vec![0; 16 * 1024];
    let mut stdout = std::io::stdout();
    let close_deadline = tokio::time::sleep(Duration::MAX);
    tokio::pin!(close_deadline);
    loop {
        tokio::select! {
            read = reader.read(&mut buffer) => match read {
                Ok(n @ 1..) => {
                    if stdout.write_all(&buffer[..n]).and_then(|()| stdout.flush()).is_err() {
                        // The SSH client has gone.
                        return Exit::Ok;
                    }
                }
                Ok(0) => return Exit::Ok,
                Err(e) => {
                    note(&format!("unyo: the connection failed: {e}\n"));
                    return Exit::Failed;
                }
            },
            input = stdin.recv(), if input_open => match input {
                Some(bytes) => {
                    if writer.write_all(&bytes).await.is_err() {
                        input_open = false;
                    }
                }
                None => {
                    input_open = false;
                    let _ = writer.shutdown().await;
                    close_deadline
                        .as_mut()
                        .reset(tokio::time::Instant::now() + CLOSE_TIMEOUT);
                }
            },
            () = &mut close_deadline => return Exit::Ok,
            () = stop.requested() => return Exit::Failed,
        }
    }
}
