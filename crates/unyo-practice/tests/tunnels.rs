//! Port forwarding on the practice account, through the Cloud port as the app uses it: real
//! TCP connections on loopback reach the simulated services of the instance.
#![allow(
    clippy::unwrap_used,
    reason = "a failed step should fail the test loudly"
)]

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use unyo_core::ErrorCode;
use unyo_core::cloud::*;
use unyo_core::session::SessionEvent;
use unyo_core::tunnel::{OpenedTunnel, TunnelState, TunnelTarget};
use unyo_practice::PracticeCloud;

const WEB_PROD_1: &str = "i-0a1f3c5e7b9d10001";

fn target(instance: &str, host: Option<&str>, port: u16) -> TunnelTarget {
    TunnelTarget {
        instance_id: instance.into(),
        remote_host: host.map(str::to_owned),
        remote_port: port,
    }
}

async fn tunnel(cloud: &PracticeCloud, target: &TunnelTarget) -> (OpenedTunnel, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    (cloud.open_tunnel(target, listener).await.unwrap(), port)
}

/// Sends `request` on a new connection and returns everything until the far side closes.
async fn exchange(port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer))
        .await
        .unwrap()
        .unwrap();
    String::from_utf8(answer).unwrap()
}

/// Runs one command in a new practice shell and returns what it printed.
async fn shell(cloud: &PracticeCloud, line: &str) -> String {
    let mut opened = cloud.open_shell(WEB_PROD_1).await.unwrap();
    opened
        .session
        .write(format!("{line}\r").as_bytes())
        .await
        .unwrap();
    let mut text = String::new();
    while let Ok(SessionEvent::Output(bytes)) = opened.events.try_recv() {
        text.push_str(&String::from_utf8(bytes).unwrap());
    }
    opened.session.terminate().await.unwrap();
    text
}

#[tokio::test]
async fn a_web_server_answers_through_the_tunnel_and_logs_the_request() {
    let cloud = PracticeCloud::new();
    let (opened, port) = tunnel(&cloud, &target(WEB_PROD_1, None, 80)).await;
    let page = exchange(port, b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").await;
    assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
    assert!(page.contains("Welcome to nginx on ip-10-0-1-11"), "{page}");
    let status = opened.status.borrow().clone();
    assert_eq!(status.connections_total, 1);
    assert_eq!(status.bytes_in, page.len() as u64);
    assert!(status.bytes_out > 0);
    let log = shell(&cloud, "sudo tail -n 1 /var/log/nginx/access.log").await;
    assert!(log.contains("\"GET /health HTTP/1.1\" 200"), "{log}");
}

#[tokio::test]
async fn a_stopped_service_refuses_the_next_connection_and_says_why() {
    let cloud = PracticeCloud::new();
    let (opened, port) = tunnel(&cloud, &target(WEB_PROD_1, None, 80)).await;
    shell(&cloud, "sudo systemctl stop nginx").await;
    assert_eq!(exchange(port, b"GET / HTTP/1.1\r\n\r\n").await, "");
    let status = opened.status.borrow().clone();
    let why = status.last_error.unwrap();
    assert!(why.contains("nothing listens on port 80"), "{why}");
}

#[tokio::test]
async fn ssh_answers_with_its_banner() {
    let cloud = PracticeCloud::new();
    let (_opened, port) = tunnel(&cloud, &target(WEB_PROD_1, None, 22)).await;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let mut banner = [0_u8; 21];
    stream.read_exact(&mut banner).await.unwrap();
    assert_eq!(&banner, b"SSH-2.0-OpenSSH_9.6\r\n");
}

#[tokio::test]
async fn a_remote_host_is_reached_through_the_instance_only_if_it_exists() {
    let cloud = PracticeCloud::new();
    // web-prod-2's private address, reached through web-prod-1.
    let (_via, port) = tunnel(&cloud, &target(WEB_PROD_1, Some("10.0.2.12"), 80)).await;
    let page = exchange(port, b"GET / HTTP/1.1\r\n\r\n").await;
    assert!(page.contains("Welcome to nginx on ip-10-0-2-12"), "{page}");

    let (nowhere, port) = tunnel(
        &cloud,
        &target(WEB_PROD_1, Some("db.example.internal"), 5432),
    )
    .await;
    assert_eq!(exchange(port, b"").await, "");
    let why = nowhere.status.borrow().last_error.clone().unwrap();
    assert!(why.contains("cannot reach db.example.internal"), "{why}");
}

#[tokio::test]
async fn an_instance_session_manager_cannot_reach_is_refused_before_listening() {
    let cloud = PracticeCloud::new();
    let unmanaged = cloud
        .list_fleet(&unyo_core::FleetScope { regions: vec![] })
        .await
        .unwrap()
        .instances
        .into_iter()
        .find(|i| i.ping_status != unyo_core::PingStatus::Online)
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = cloud
        .open_tunnel(&target(&unmanaged.id, None, 22), listener)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TargetNotConnected, "{}", err.message);
}

#[tokio::test]
async fn stopping_closes_the_tunnel() {
    let cloud = PracticeCloud::new();
    let (mut opened, _port) = tunnel(&cloud, &target(WEB_PROD_1, None, 80)).await;
    opened.control.stop().await.unwrap();
    tokio::time::timeout(
        Duration::from_secs(5),
        opened
            .status
            .wait_for(|s| matches!(s.state, TunnelState::Closed { .. })),
    )
    .await
    .unwrap()
    .unwrap();
    let _ = &mut opened;
}
