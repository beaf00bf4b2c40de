//! `unyo forward`: a local port whose connections reach a port on an instance, or on a host
//! the instance can reach, through Session Manager port forwarding (or on the practice
//! account). It prints where it listens, the AWS CLI command that does the same, and a line
//! whenever the connections or the byte counts change, until Ctrl-C or SIGTERM stops it, which
//! also ends the session on the service.
//!
//! The listener is on loopback unless `--local` names another address, which also needs
//! `--allow-remote`: anyone who can reach that address reaches the instance.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use clap::Args;
use tokio::net::TcpListener;
use unyo_aws::ssm_session::tunnel::forwarding_request;
use unyo_core::tunnel::{OpenedTunnel, TunnelState, TunnelStatus, TunnelTarget};
use unyo_core::{AppError, ErrorCode};

use crate::account::{self, AccountArgs};
use crate::exit::Exit;
use crate::session::{StopSignals, note, runtime};

#[derive(Debug, Args)]
pub struct ForwardArgs {
    // --region is the instance's region; the profile's own when omitted.
    #[command(flatten)]
    account: AccountArgs,
    /// Where connections go: PORT on the instance, or HOST:PORT the instance can reach.
    #[arg(long, value_name = "[HOST:]PORT", value_parser = parse_remote)]
    remote: Remote,
    /// Where to listen: PORT on 127.0.0.1, or ADDRESS:PORT; port 0 picks a free one.
    #[arg(long, value_name = "[ADDRESS:]PORT", value_parser = parse_local, default_value = "0")]
    local: SocketAddr,
    /// Allow --local to be an address other computers can reach.
    #[arg(long)]
    allow_remote: bool,
    /// The instance to forward through, e.g. i-0a1f3c5e7b9d10001.
    target: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    host: Option<String>,
    port: u16,
}

/// How long stopping may take before `unyo` exits anyway.
const STOP_TIMEOUT: Duration = Duration::from_secs(8);
/// The shortest time between two lines that report only byte counts.
const BYTES_EVERY: Duration = Duration::from_secs(1);

pub fn run(args: &ForwardArgs) -> u8 {
    match runtime() {
        Some(runtime) => runtime.block_on(forward(args)) as u8,
        None => Exit::Failed as u8,
    }
}

async fn forward(args: &ForwardArgs) -> Exit {
    let target = TunnelTarget {
        instance_id: args.target.clone(),
        remote_host: args.remote.host.clone(),
        remote_port: args.remote.port,
    };
    let opened = match open(args, &target).await {
        Ok(opened) => opened,
        Err(err) => {
            note(&format!("unyo: {} ({:?})\n", err.message, err.code));
            return Exit::Failed;
        }
    };
    let (tunnel, local) = opened;
    println!("Forwarding {local} -> {}", target.describe());
    println!("Listening on {local}");
    println!(
        "AWS CLI equivalent: {}",
        aws_cli(args, &target, local.port())
    );
    println!("Press Ctrl-C to stop.");
    follow(tunnel).await
}

/// Binds the listener and opens the tunnel on it.
async fn open(
    args: &ForwardArgs,
    target: &TunnelTarget,
) -> Result<(OpenedTunnel, SocketAddr), AppError> {
    if !args.local.ip().is_loopback() && !args.allow_remote {
        return Err(AppError::invalid_input(format!(
            "--local {} would let other computers reach {} through this one; add \
             --allow-remote if that is what you want, or listen on 127.0.0.1",
            args.local,
            target.describe()
        )));
    }
    args.account.region()?;
    let cloud = account::open(&args.account).await?;
    let listener = TcpListener::bind(args.local).await.map_err(|e| {
        AppError::invalid_input(format!(
            "cannot listen on {}: {e}; choose another local port (0 picks a free one)",
            args.local
        ))
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
    if !local.ip().is_loopback() {
        note(&format!(
            "unyo: warning: listening on {local}, not loopback: anyone who can reach this \
             address can reach {}\n",
            target.describe()
        ));
    }
    let tunnel = cloud
        .require_sessions()?
        .open_tunnel(target, listener)
        .await?;
    Ok((tunnel, local))
}

/// Prints the tunnel's changes until it closes or a stop is asked for.
async fn follow(mut tunnel: OpenedTunnel) -> Exit {
    let mut stop = StopSignals::new();
    let mut shown = Shown::default();
    loop {
        let status = tunnel.status.borrow_and_update().clone();
        shown.print(&status);
        if let TunnelState::Closed { reason } = &status.state {
            note(&format!("unyo: the tunnel closed: {reason}\n"));
            return Exit::Failed;
        }
        tokio::select! {
            changed = tunnel.status.changed() => if changed.is_err() {
                note("unyo: the tunnel ended without saying why\n");
                return Exit::Failed;
            },
            () = stop.requested() => break,
            // Byte counts held back by the rate limit are printed once things calm down.
            () = tokio::time::sleep(BYTES_EVERY), if shown.held_back => {}
        }
    }
    note("\nunyo: stopping; ending the session\n");
    match tokio::time::timeout(STOP_TIMEOUT, tunnel.control.stop()).await {
        Ok(Ok(())) => {
            note("unyo: stopped\n");
            Exit::Ok
        }
        Ok(Err(err)) => {
            note(&format!(
                "unyo: stopped; {} ({:?})\n",
                err.message, err.code
            ));
            Exit::Failed
        }
        Err(_) => {
            note(&format!(
                "unyo: stopped; the session did not confirm its end within {STOP_TIMEOUT:?}\n"
            ));
            Exit::Failed
        }
    }
}

/// What was printed last, so that only changes are printed.
#[derive(Debug, Default)]
struct Shown {
    last: Option<TunnelStatus>,
    bytes_at: Option<tokio::time::Instant>,
    /// Byte counts changed but were not printed yet.
    held_back: bool,
}

impl Shown {
    fn print(&mut self, status: &TunnelStatus) {
        let last = self.last.as_ref();
        if last.map(|l| &l.state) != Some(&status.state) {
            match (&status.state, last.map(|l| &l.state)) {
                (TunnelState::Connecting, _) => println!("connecting to the instance"),
                (TunnelState::Listening, Some(TunnelState::Connecting)) => println!("connected"),
                (TunnelState::Listening, Some(TunnelState::Reconnecting { .. })) => {
                    println!("connected again");
                }
                (
                    TunnelState::Reconnecting {
                        cause,
                        gives_up_in_seconds,
                    },
                    _,
                ) => println!("reconnecting: {cause} (for up to {gives_up_in_seconds} s)"),
                _ => {}
            }
        }
        if status.last_error.is_some()
            && last.and_then(|l| l.last_error.as_ref()) != status.last_error.as_ref()
        {
            if let Some(error) = &status.last_error {
                println!("connection failed: {error}");
            }
        }
        let connections_changed = last.is_none_or(|l| {
            (l.connections_open, l.connections_total)
                != (status.connections_open, status.connections_total)
        });
        let bytes_changed =
            last.is_none_or(|l| (l.bytes_in, l.bytes_out) != (status.bytes_in, status.bytes_out));
        let now = tokio::time::Instant::now();
        let bytes_due = self.bytes_at.is_none_or(|at| now - at >= BYTES_EVERY);
        // With nothing shown yet everything has changed: the first line gives the start.
        if connections_changed || (bytes_changed || self.held_back) && bytes_due {
            println!(
                "connections: {} open, {} total; received {}, sent {}",
                status.connections_open,
                status.connections_total,
                bytes(status.bytes_in),
                bytes(status.bytes_out)
            );
            self.bytes_at = Some(now);
            self.held_back = false;
        } else if bytes_changed {
            self.held_back = true;
        }
        let _ = std::io::stdout().flush();
        self.last = Some(status.clone());
    }
}

/// `n` bytes in the largest binary unit that keeps a whole number in front.
fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// The `aws ssm start-session` command that opens the same tunnel.
fn aws_cli(args: &ForwardArgs, target: &TunnelTarget, local_port: u16) -> String {
    let (document, parameters) = forwarding_request(target, local_port);
    let parameters = serde_json::to_string(&parameters).unwrap_or_default();
    let mut command = format!(
        "aws ssm start-session --target {} --document-name {document} --parameters '{parameters}'",
        target.instance_id
    );
    for (flag, value) in [
        ("--profile", &args.account.profiles.first().cloned()),
        ("--region", &args.account.regions.first().cloned()),
        ("--endpoint-url", &args.account.endpoint_url),
    ] {
        if let Some(value) = value {
            command.push_str(&format!(" {flag} {value}"));
        }
    }
    command
}

/// `PORT` or `HOST:PORT`; an IPv6 host goes in brackets (`[fd00::5]:5432`).
fn parse_remote(text: &str) -> Result<Remote, String> {
    let (host, port) = match text.rsplit_once(':') {
        Some((host, port)) => {
            let host = host.trim_start_matches('[').trim_end_matches(']');
            if host.is_empty() {
                return Err(format!("`{text}` has no host before the `:`"));
            }
            (Some(host.to_owned()), port)
        }
        None => (None, text),
    };
    Ok(Remote {
        host,
        port: parse_port(port)?,
    })
}

/// `PORT` (on 127.0.0.1), or `ADDRESS:PORT` with an IP address or `localhost`.
fn parse_local(text: &str) -> Result<SocketAddr, String> {
    let Some((address, port)) = text.rsplit_once(':') else {
        return Ok(SocketAddr::new(
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            parse_port(text)?,
        ));
    };
    let address = address.trim_start_matches('[').trim_end_matches(']');
    let ip = if address == "localhost" {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        address.parse().map_err(|_| {
            format!("`{address}` is not an IP address to listen on (e.g. 127.0.0.1)")
        })?
    };
    Ok(SocketAddr::new(ip, parse_port(port)?))
}

fn parse_port(text: &str) -> Result<u16, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a port number (0 to 65535)"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    #[test]
    fn remotes_are_a_port_or_a_host_and_port() {
        assert_eq!(
            parse_remote("5432"),
            Ok(Remote {
                host: None,
                port: 5432
            })
        );
        assert_eq!(
            parse_remote("db.internal:5432"),
            Ok(Remote {
                host: Some("db.internal".to_owned()),
                port: 5432
            })
        );
        assert_eq!(
            parse_remote("[fd00::5]:5432").map(|r| r.host),
            Ok(Some("fd00::5".to_owned()))
        );
        assert!(parse_remote("db:http").unwrap_err().contains("port number"));
        assert!(parse_remote(":80").is_err());
    }

    #[test]
    fn locals_default_to_loopback() {
        assert_eq!(parse_local("8080"), Ok("127.0.0.1:8080".parse().unwrap()));
        assert_eq!(
            parse_local("localhost:0"),
            Ok("127.0.0.1:0".parse().unwrap())
        );
        assert_eq!(parse_local("0.0.0.0:22"), Ok("0.0.0.0:22".parse().unwrap()));
        assert_eq!(parse_local("[::1]:22"), Ok("[::1]:22".parse().unwrap()));
        assert!(parse_local("example.com:80").is_err());
    }

    #[test]
    fn byte_counts_read_easily() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(5 * 1024 * 1024), "5.0 MiB");
    }
}
