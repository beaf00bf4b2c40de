//! Tunnels and SSH streams end to end: a mocked StartSession hands out the stream URL of a
//! loopback far end whose agent forwards to loopback TCP servers, and what a user of the
//! tunnels panel or `unyo ssh-proxy` would see is checked: bytes through, connections and
//! bytes counted, a refused destination explained, and the session terminated on the service
//! however the tunnel ends.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/far_agent.rs"]
mod far_agent;
#[path = "support/mocks.rs"]
mod mocks;

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_ssm::operation::start_session::StartSessionInput;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use unyo_aws::ssm_session::Sessions;
use unyo_aws::ssm_session::tunnel::{
    PORT_FORWARDING_DOCUMENT, REMOTE_HOST_DOCUMENT, forwarding_request,
};
use unyo_core::tunnel::{OpenedTunnel, TunnelState, TunnelStatus, TunnelTarget};
use unyo_session::{ChannelOptions, FlagCode, ForwardOptions};

use far_agent::{FarAgent, Kind};
use mocks::{TARGET, TOKEN, online, ssm_client, started_at, terminated};

/// How long a test waits for what it expects before it fails.
const LIMIT: Duration = Duration::from_secs(10);

fn forwarding_to_port_80(input: &StartSessionInput) -> bool {
    let parameters = input.parameters().unwrap();
    input.target() == Some(TARGET)
        && input.document_name() == Some(PORT_FORWARDING_DOCUMENT)
        && parameters["portNumber"] == ["80"]
        && parameters.contains_key("localPortNumber")
        && !parameters.contains_key("host")
}

fn ssh_to_port_22(input: &StartSessionInput) -> bool {
    input.target() == Some(TARGET)
        && input.document_name() == Some("AWS-StartSSHSession")
        && input.parameters().unwrap()["portNumber"] == ["22"]
}

fn fast_forward() -> ForwardOptions {
    ForwardOptions {
        terminate_timeout: Duration::from_secs(1),
        counters_interval: Duration::from_millis(10),
        ..ForwardOptions::default()
    }
}

fn port_80() -> TunnelTarget {
    TunnelTarget {
        instance_id: TARGET.to_owned(),
        remote_host: None,
        remote_port: 80,
    }
}

async fn open(sessions: &Sessions) -> (OpenedTunnel, std::net::SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let tunnel = sessions
        .open_tunnel(
            &port_80(),
            listener,
            ChannelOptions::default(),
            fast_forward(),
        )
        .await
        .unwrap();
    (tunnel, address)
}

/// Waits until the published status satisfies `done`; fails after [`LIMIT`].
async fn status_until(
    status: &mut watch::Receiver<TunnelStatus>,
    done: impl FnMut(&TunnelStatus) -> bool,
) -> TunnelStatus {
    let found = tokio::time::timeout(LIMIT, status.wait_for(done))
        .await
        .ok()
        .and_then(Result::ok)
        .map(|status| status.clone());
    found.unwrap_or_else(|| panic!("status never came: {:?}", *status.borrow()))
}

async fn exchange(address: std::net::SocketAddr, greeting: &[u8], text: &[u8]) {
    let mut tcp = TcpStream::connect(address).await.unwrap();
    let mut seen = vec![0; greeting.len()];
    tcp.read_exact(&mut seen).await.unwrap();
    assert_eq!(seen, greeting);
    tcp.write_all(text).await.unwrap();
    let mut echoed = vec![0; text.len()];
    tokio::time::timeout(LIMIT, tcp.read_exact(&mut echoed))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(echoed, text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tunnel_carries_connections_counts_them_and_stop_terminates_the_session() {
    let backend = far_agent::echo_server(b"hello from port 80\n").await;
    let far = FarAgent::start(Kind::Mux, Some(backend), TOKEN, None).await;
    let (ping, start, terminate) = (
        online(),
        started_at(far.url(), forwarding_to_port_80),
        terminated(),
    );
    let sessions = Sessions::from_client(ssm_client(&[&ping, &start, &terminate]));
    let (mut tunnel, address) = open(&sessions).await;
    assert_eq!(start.num_calls(), 1);

    // Two connections at once share the session.
    let first = exchange(address, b"hello from port 80\n", b"GET / HTTP/1.1\r\n\r\n");
    let second = exchange(address, b"hello from port 80\n", &[b'x'; 100_000]);
    tokio::join!(first, second);
    // Byte counters are published on their own tick, after the connection counts.
    let greeting = "hello from port 80\n".len() as u64;
    let status = status_until(&mut tunnel.status, |s| {
        s.connections_total == 2
            && s.connections_open == 0
            && s.bytes_out == 18 + 100_000
            && s.bytes_in == 2 * greeting + 18 + 100_000
    })
    .await;
    assert_eq!(status.state, TunnelState::Listening);
    assert_eq!(status.last_error, None);

    tunnel.control.stop().await.unwrap();
    assert_eq!(terminate.num_calls(), 1);
    assert!(far.flags().contains(&FlagCode::TERMINATE_SESSION.0));
    let status = status_until(&mut tunnel.status, |s| {
        matches!(s.state, TunnelState::Closed { .. })
    })
    .await;
    assert_eq!(
        status.state,
        TunnelState::Closed {
            reason: "stopped".to_owned()
        }
    );
    assert!(
        TcpStream::connect(address).await.is_err(),
        "the listener is closed"
    );
    tunnel.control.stop().await.unwrap();
    assert_eq!(terminate.num_calls(), 1, "stopping twice terminates once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_destination_the_instance_cannot_reach_shows_as_the_last_error() {
    let refusing = far_agent::ClosedPort::reserve();
    let far = FarAgent::start(Kind::Mux, Some(refusing.address()), TOKEN, None).await;
    let (ping, start, terminate) = (
        online(),
        started_at(far.url(), forwarding_to_port_80),
        terminated(),
    );
    let sessions = Sessions::from_client(ssm_client(&[&ping, &start, &terminate]));
    let (mut tunnel, address) = open(&sessions).await;

    let mut tcp = TcpStream::connect(address).await.unwrap();
    let mut buffer = [0; 16];
    let read = tokio::time::timeout(LIMIT, tcp.read(&mut buffer))
        .await
        .unwrap();
    assert!(
        matches!(read, Ok(0) | Err(_)),
        "the local connection is closed"
    );
    let status = status_until(&mut tunnel.status, |s| s.last_error.is_some()).await;
    let error = status.last_error.unwrap();
    assert!(error.contains(&port_80().describe()), "{error}");
    assert!(error.contains("nothing listens"), "{error}");
    assert_eq!(status.state, TunnelState::Listening, "the tunnel stays up");
    tunnel.control.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tunnel_the_service_ended_shows_why_and_is_not_terminated_again() {
    let backend = far_agent::echo_server(b"").await;
    let far = FarAgent::start(Kind::Mux, Some(backend), TOKEN, None).await;
    let (ping, start, terminate) = (
        online(),
        started_at(far.url(), forwarding_to_port_80),
        terminated(),
    );
    let sessions = Sessions::from_client(ssm_client(&[&ping, &start, &terminate]));
    let (mut tunnel, address) = open(&sessions).await;
    exchange(address, b"", b"ping").await;

    let timeout = "Your session timed out due to inactivity and has been terminated.";
    far.end_session(timeout);
    let status = status_until(&mut tunnel.status, |s| {
        matches!(s.state, TunnelState::Closed { .. })
    })
    .await;
    assert_eq!(
        status.state,
        TunnelState::Closed {
            reason: timeout.to_owned()
        }
    );
    tunnel.control.stop().await.unwrap();
    assert_eq!(terminate.num_calls(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_tunnel_still_terminates_its_session() {
    let backend = far_agent::echo_server(b"").await;
    let far = FarAgent::start(Kind::Mux, Some(backend), TOKEN, None).await;
    let (ping, start, terminate) = (
        online(),
        started_at(far.url(), forwarding_to_port_80),
        terminated(),
    );
    let sessions = Sessions::from_client(ssm_client(&[&ping, &start, &terminate]));
    let (tunnel, address) = open(&sessions).await;
    exchange(address, b"", b"ping").await;

    drop(tunnel);
    let waiting = async {
        while terminate.num_calls() == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(LIMIT, waiting).await.unwrap();
}

#[test]
fn a_remote_host_is_forwarded_with_its_own_document() {
    let target = TunnelTarget {
        instance_id: TARGET.to_owned(),
        remote_host: Some("db.internal".to_owned()),
        remote_port: 5432,
    };
    let (document, parameters) = forwarding_request(&target, 15432);
    assert_eq!(document, REMOTE_HOST_DOCUMENT);
    let expected = BTreeMap::from([
        ("host".to_owned(), vec!["db.internal".to_owned()]),
        ("portNumber".to_owned(), vec!["5432".to_owned()]),
        ("localPortNumber".to_owned(), vec!["15432".to_owned()]),
    ]);
    assert_eq!(parameters, expected);
    let (document, parameters) = forwarding_request(&port_80(), 8080);
    assert_eq!(document, PORT_FORWARDING_DOCUMENT);
    assert!(!parameters.contains_key("host"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ssh_stream_carries_the_banner_and_ends_with_the_connection() {
    let banner = b"SSH-2.0-OpenSSH_9.6\r\n";
    let backend = far_agent::echo_server(banner).await;
    let far = FarAgent::start(Kind::Ssh, Some(backend), TOKEN, None).await;
    let (ping, start, terminate) = (
        online(),
        started_at(far.url(), ssh_to_port_22),
        terminated(),
    );
    let sessions = Sessions::from_client(ssm_client(&[&ping, &start, &terminate]));
    let mut ssh = sessions
        .open_ssh(TARGET, 22, ChannelOptions::default())
        .await
        .unwrap();

    let mut seen = vec![0; banner.len()];
    tokio::time::timeout(LIMIT, ssh.stream.read_exact(&mut seen))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen, banner);
    ssh.stream.write_all(b"SSH-2.0-client\r\n").await.unwrap();
    let mut echoed = vec![0; 16];
    ssh.stream.read_exact(&mut echoed).await.unwrap();
    assert_eq!(echoed, b"SSH-2.0-client\r\n");

    // The SSH client is done: the session ends and is terminated on the service.
    ssh.stream.shutdown().await.unwrap();
    let ended = tokio::time::timeout(LIMIT, ssh.ended)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ended, Ok(()));
    assert_eq!(terminate.num_calls(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ssh_stream_ends_when_sshd_closes_without_terminating_again() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let backend = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut tcp, _) = listener.accept().await.unwrap();
        tcp.write_all(b"Not allowed at this time\r\n")
            .await
            .unwrap();
    });
    let far = FarAgent::start(Kind::Ssh, Some(backend), TOKEN, None).await;
    let (ping, start, terminate) = (
        online(),
        started_at(far.url(), ssh_to_port_22),
        terminated(),
    );
    let sessions = Sessions::from_client(ssm_client(&[&ping, &start, &terminate]));
    let mut ssh = sessions
        .open_ssh(TARGET, 22, ChannelOptions::default())
        .await
        .unwrap();
    let mut all = Vec::new();
    tokio::time::timeout(LIMIT, ssh.stream.read_to_end(&mut all))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(all, b"Not allowed at this time\r\n");
    assert_eq!(ssh.ended.await.unwrap(), Ok(()));
    assert_eq!(terminate.num_calls(), 0);
}
