//! Port forwarding on the practice account: each connection to the local port reaches the
//! simulated service listening on the remote port, looked up when the connection arrives, so a
//! service stopped in a shell refuses the next connection, as it would on a real instance.
//!
//! What answers: nginx (port 80) serves a page and writes its access log; sshd (port 22)
//! sends its banner; any other running service echoes. A port nothing listens on, or a host
//! the instance cannot reach, refuses the connection and says why in the tunnel's status.

use std::sync::Arc;

use async_trait::async_trait;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use unyo_core::tunnel::{OpenedTunnel, TunnelControl, TunnelState, TunnelStatus, TunnelTarget};
use unyo_core::{AppError, ErrorCode, Instance, Platform};

use crate::host::File;
use crate::regions;
use crate::session::{Hosts, hostname, refuse};

/// What answers a connection, decided when it arrives.
enum Answer {
    Http { hostname: String },
    SshBanner,
    Echo,
}

/// Starts forwarding `listener`'s connections to `target` on `instance` (one of `instances`).
pub fn open(
    hosts: &Hosts,
    instance: &Instance,
    instances: Vec<Instance>,
    target: &TunnelTarget,
    listener: TcpListener,
) -> Result<OpenedTunnel, AppError> {
    if let Some(refusal) = refuse(instance) {
        // A Windows instance would forward fine on AWS; the practice hosts are Linux.
        if instance.platform != Platform::Windows || refusal.code != ErrorCode::Unsupported {
            return Err(refusal);
        }
        return Err(AppError::new(
            ErrorCode::Unsupported,
            "the practice account simulates Linux hosts only; forward RDP (3389) on a real account",
        ));
    }
    let (status, receiver) = watch::channel(TunnelStatus::listening());
    let stop = Arc::new(Notify::new());
    let forwarder = Forwarder {
        hosts: hosts.clone(),
        via: instance.clone(),
        instances,
        target: target.clone(),
        status: Arc::new(status),
    };
    let stopped = stop.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                () = stopped.notified() => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        let forwarder = forwarder.clone();
                        tokio::spawn(async move { forwarder.serve(stream).await });
                    }
                    Err(e) => {
                        forwarder.status.send_modify(|s| s.last_error = Some(e.to_string()));
                    }
                },
            }
        }
        forwarder.status.send_modify(|s| {
            s.state = TunnelState::Closed {
                reason: "stopped".into(),
            };
        });
    });
    Ok(OpenedTunnel {
        control: Box::new(Control { stop }),
        status: receiver,
    })
}

#[derive(Debug)]
struct Control {
    stop: Arc<Notify>,
}

#[async_trait]
impl TunnelControl for Control {
    async fn stop(&self) -> Result<(), AppError> {
        self.stop.notify_one();
        Ok(())
    }
}

#[derive(Clone)]
struct Forwarder {
    hosts: Hosts,
    via: Instance,
    instances: Vec<Instance>,
    target: TunnelTarget,
    status: Arc<watch::Sender<TunnelStatus>>,
}

impl Forwarder {
    async fn serve(&self, mut stream: TcpStream) {
        let answer = match self.answer() {
            Ok(answer) => answer,
            Err(why) => {
                self.status.send_modify(|s| {
                    s.connections_total += 1;
                    s.last_error = Some(why);
                });
                let _ = stream.shutdown().await;
                return;
            }
        };
        self.status.send_modify(|s| {
            s.connections_total += 1;
            s.connections_open += 1;
        });
        match answer {
            Answer::Http { hostname } => self.http(&mut stream, &hostname).await,
            Answer::SshBanner => {
                self.send(&mut stream, b"SSH-2.0-OpenSSH_9.6\r\n").await;
                self.drain(&mut stream).await;
            }
            Answer::Echo => self.echo(&mut stream).await,
        }
        self.status.send_modify(|s| s.connections_open -= 1);
    }

    /// Which simulated service answers, or why the connection is refused.
    fn answer(&self) -> Result<Answer, String> {
        let port = self.target.remote_port;
        let instance = match self.target.remote_host.as_deref() {
            None | Some("localhost" | "127.0.0.1") => &self.via,
            Some(host) => self
                .instances
                .iter()
                .find(|i| i.private_ip.as_deref() == Some(host) || i.name == host)
                .ok_or_else(|| {
                    format!(
                        "{} cannot reach {host}: no such host in its network",
                        self.via.id
                    )
                })?,
        };
        if instance.state != unyo_core::InstanceState::Running {
            return Err(format!(
                "{} is not running, so nothing answers on port {port}",
                instance.id
            ));
        }
        let mut hosts = self
            .hosts
            .lock()
            .map_err(|_| "practice state unavailable".to_owned())?;
        let name = hostname(instance);
        let host = hosts
            .entry(instance.id.clone())
            .or_insert_with(|| regions::new_host(&instance.id, &name));
        let service = host
            .services
            .iter()
            .find(|(_, s)| s.active && s.ports.contains(&port))
            .map(|(n, _)| n.clone())
            .ok_or_else(|| {
                format!(
                    "connection refused: nothing listens on port {port} on {}",
                    host.hostname
                )
            })?;
        Ok(match service.as_str() {
            "nginx" => Answer::Http {
                hostname: host.hostname.clone(),
            },
            "sshd" => Answer::SshBanner,
            _ => Answer::Echo,
        })
    }

    async fn http(&self, stream: &mut TcpStream, hostname: &str) {
        let mut request = Vec::new();
        let mut buf = [0_u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    self.count_out(n);
                    request.extend_from_slice(&buf[..n]);
                }
            }
        }
        let line = String::from_utf8_lossy(&request)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        let body = format!(
            "<!doctype html><title>Welcome to nginx</title><h1>Welcome to nginx on {hostname}</h1><p>Reached through a Session Manager port forward (practice account).</p>\n"
        );
        let response = format!(
            "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        self.send(stream, response.as_bytes()).await;
        self.log_access(&line, body.len());
        let _ = stream.shutdown().await;
    }

    /// Appends the request to nginx's access log, so `tail` in a shell shows the tunnel's
    /// traffic, as on a real server (Session Manager forwards from the instance itself).
    fn log_access(&self, request_line: &str, bytes: usize) {
        let Ok(mut hosts) = self.hosts.lock() else {
            return;
        };
        if let Some(host) = hosts.get_mut(&self.via.id) {
            let now = host.now.clone();
            let log = host
                .files
                .entry("/var/log/nginx/access.log".into())
                .or_insert_with(|| File::root(0o640, &now, ""));
            log.content.push_str(&format!(
                "127.0.0.1 - - [{now}] \"{request_line}\" 200 {bytes} \"-\" \"unyo-port-forward\"\n"
            ));
        }
    }

    async fn echo(&self, stream: &mut TcpStream) {
        let mut buf = [0_u8; 16 * 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    self.count_out(n);
                    self.send(stream, &buf[..n]).await;
                }
            }
        }
    }

    async fn drain(&self, stream: &mut TcpStream) {
        let mut buf = [0_u8; 4096];
        while let Ok(n) = stream.read(&mut buf).await {
            if n == 0 {
                return;
            }
            self.count_out(n);
        }
    }

    async fn send(&self, stream: &mut TcpStream, bytes: &[u8]) {
        if stream.write_all(bytes).await.is_ok() {
            let n = bytes.len() as u64;
            self.status.send_modify(|s| s.bytes_in += n);
        }
    }

    fn count_out(&self, n: usize) {
        let n = n as u64;
        self.status.send_modify(|s| s.bytes_out += n);
    }
}
