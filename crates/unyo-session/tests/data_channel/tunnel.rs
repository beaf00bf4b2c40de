//! Port-forwarding behaviour against what the test server's agent saw: one connection after
//! another in basic mode with `DisconnectToPort` between them, output that comes before the
//! first client, destinations that refuse or hang up, back-pressure from a slow local reader,
//! smux keep-alive for older agents, and the ways a tunnel ends.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use unyo_session::{CloseReason, ForwardMode, ForwardOptions, SessionType, TunnelEnd, TunnelPhase};

use crate::harness::{
    BASIC_AGENT, LIMIT, MUX_AGENT, fast_options, open_tunnel, open_tunnel_on, port, state_until,
};
use crate::server::{
    DISCONNECT_TO_PORT, Faults, PortBackend, ServerConfig, Start, TERMINATE_SESSION, TestServer,
};
use crate::tcp;

fn fast_forward() -> ForwardOptions {
    ForwardOptions {
        terminate_timeout: Duration::from_secs(1),
        counters_interval: Duration::from_millis(10),
        ..ForwardOptions::default()
    }
}

async fn tunnel_to(
    backend: PortBackend,
) -> (TestServer, unyo_session::PortForward, std::net::SocketAddr) {
    let server = TestServer::start(port(backend, Faults::default())).await;
    let (forward, address) = open_tunnel(&server, fast_options(), fast_forward()).await;
    (server, forward, address)
}

/// Polls `condition` every 10 ms until [`LIMIT`].
async fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + LIMIT;
    while !condition() {
        assert!(tokio::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_mode_serves_one_connection_at_a_time_with_disconnect_flags_between() {
    let echo = tcp::echo_server().await;
    let (server, forward, address) = tunnel_to(PortBackend::forwarding(BASIC_AGENT, echo)).await;

    let mut first = TcpStream::connect(address).await.unwrap();
    first.write_all(b"first").await.unwrap();
    let mut echoed = [0; 5];
    first.read_exact(&mut echoed).await.unwrap();
    assert_eq!(&echoed, b"first");

    // A second client waits in the listen backlog while the first is served.
    let mut second = TcpStream::connect(address).await.unwrap();
    second.write_all(b"second").await.unwrap();
    let mut buffer = [0; 6];
    let early = tokio::time::timeout(Duration::from_millis(300), second.read(&mut buffer)).await;
    assert!(
        early.is_err(),
        "the second connection was served alongside the first"
    );
    assert_eq!(forward.state().borrow().open_connections, 1);

    drop(first);
    eventually("DisconnectToPort after the first", || {
        server.stats().port_flags == [DISCONNECT_TO_PORT]
    })
    .await;
    second.read_exact(&mut buffer).await.unwrap();
    assert_eq!(&buffer, b"second");
    drop(second);
    tcp::echo_through(address, 3, 10_000, LIMIT).await;

    eventually("a flag after each connection", || {
        server.stats().port_flags.len() == 3
    })
    .await;
    let stats = server.stats();
    assert_eq!(stats.port_flags, [DISCONNECT_TO_PORT; 3]);
    assert_eq!(
        stats.target_dials, 3,
        "dialled at the start, then on each new client's data"
    );
    let state = state_until(&forward, LIMIT, |state| state.open_connections == 0).await;
    assert_eq!(state.total_connections, 3);
    assert_eq!(state.mode, Some(ForwardMode::Basic));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_before_the_first_client_is_kept_for_it() {
    // A destination that speaks first, as an SSH server does: the agent connects to it at
    // the start of a basic session, before any local client exists.
    let greeter = tcp::greeter(b"SSH-2.0-OpenSSH_9.6\r\n").await;
    let (server, forward, address) = tunnel_to(PortBackend::forwarding(BASIC_AGENT, greeter)).await;
    eventually("the greeting was read", || server.stats().target_output > 0).await;
    tokio::time::sleep(Duration::from_millis(100)).await;

    let mut client = TcpStream::connect(address).await.unwrap();
    let mut greeting = [0; 21];
    tokio::time::timeout(LIMIT, client.read_exact(&mut greeting))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&greeting, b"SSH-2.0-OpenSSH_9.6\r\n");
    assert_eq!(forward.state().borrow().total_connections, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ssh_session_ends_with_its_one_connection() {
    let echo = tcp::echo_server().await;
    let backend = PortBackend {
        forwarding: false,
        ..PortBackend::forwarding(MUX_AGENT, echo)
    };
    let (server, forward, address) = tunnel_to(backend).await;
    tcp::echo_through(address, 5, 4_000, LIMIT).await;
    assert_eq!(
        forward.state().borrow().mode,
        Some(ForwardMode::SingleConnection)
    );
    // echo_through closed its connection: the session ends, without DisconnectToPort.
    assert_eq!(forward.closed().await, TunnelEnd::Completed);
    assert_eq!(server.stats().port_flags, [TERMINATE_SESSION]);
    assert!(
        TcpStream::connect(address).await.is_err(),
        "the listener closed with the tunnel"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_destination_that_refuses_is_reported_and_its_client_closed() {
    let refusing = tcp::ClosedPort::reserve();
    let (_server, forward, address) =
        tunnel_to(PortBackend::forwarding(MUX_AGENT, refusing.address())).await;
    let mut client = TcpStream::connect(address).await.unwrap();
    let received = tcp::read_to_end(&mut client, LIMIT).await;
    assert!(received.is_empty());
    let state = state_until(&forward, LIMIT, |state| {
        state.connect_failures == 1 && state.open_connections == 0
    })
    .await;
    assert_eq!(
        state.phase,
        TunnelPhase::Listening,
        "the tunnel itself goes on"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_destination_that_hangs_up_reaches_the_client_as_an_end_of_stream() {
    let greeter = tcp::greeter(b"220 ready, bye\r\n").await;
    let (server, forward, address) = tunnel_to(PortBackend::forwarding(MUX_AGENT, greeter)).await;
    for _ in 0..3 {
        let mut client = TcpStream::connect(address).await.unwrap();
        assert_eq!(
            tcp::read_to_end(&mut client, LIMIT).await,
            b"220 ready, bye\r\n"
        );
    }
    let state = state_until(&forward, LIMIT, |state| state.open_connections == 0).await;
    assert_eq!(state.total_connections, 3);
    eventually("each agent FIN answered with ours", || {
        server.stats().smux_fins == 3
    })
    .await;
    assert_eq!(server.stats().smux_syns, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_ends_the_session_with_terminate_session_and_closes_clients() {
    let echo = tcp::echo_server().await;
    let (server, forward, address) = tunnel_to(PortBackend::forwarding(MUX_AGENT, echo)).await;
    let mut client = TcpStream::connect(address).await.unwrap();
    client.write_all(b"ping").await.unwrap();
    let mut pong = [0; 4];
    client.read_exact(&mut pong).await.unwrap();

    forward.stop();
    assert_eq!(forward.closed().await, TunnelEnd::Stopped);
    assert_eq!(server.stats().port_flags, [TERMINATE_SESSION]);
    assert!(tcp::read_to_end(&mut client, LIMIT).await.is_empty());
    assert!(TcpStream::connect(address).await.is_err());
    let state = forward.state().borrow().clone();
    assert_eq!((state.bytes_sent, state.bytes_received), (4, 4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agents_without_the_terminate_flag_are_disconnected_instead() {
    let echo = tcp::echo_server().await;
    let server = TestServer::start(port(
        PortBackend::forwarding("2.3.722.0", echo),
        Faults::default(),
    ))
    .await;
    let options = ForwardOptions {
        terminate_timeout: Duration::from_secs(30),
        ..fast_forward()
    };
    let (forward, _address) = open_tunnel(&server, fast_options(), options).await;
    state_until(&forward, LIMIT, |state| {
        state.phase == TunnelPhase::Listening
    })
    .await;
    let mut state = forward.state();
    // Dropping the handle stops the tunnel as stop() does.
    drop(forward);
    let ended = tokio::time::timeout(
        Duration::from_secs(5),
        state.wait_for(|state| matches!(state.phase, TunnelPhase::Closed(_))),
    )
    .await
    .expect("closed without waiting out the terminate timeout")
    .unwrap()
    .phase
    .clone();
    assert_eq!(ended, TunnelPhase::Closed(TunnelEnd::Stopped));
    assert!(server.stats().port_flags.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shell_session_is_not_forwarded() {
    let server = TestServer::start(ServerConfig::echo(Start::Prompt)).await;
    let (forward, _address) = open_tunnel(&server, fast_options(), fast_forward()).await;
    assert_eq!(
        forward.closed().await,
        TunnelEnd::NotPortSession {
            session_type: SessionType::StandardStream
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_channel_ending_ends_the_tunnel_with_its_reason() {
    let echo = tcp::echo_server().await;
    let (server, forward, address) = tunnel_to(PortBackend::forwarding(MUX_AGENT, echo)).await;
    let mut client = TcpStream::connect(address).await.unwrap();
    client.write_all(b"x").await.unwrap();
    client.read_exact(&mut [0]).await.unwrap();
    server.close_channel("Your session timed out due to inactivity.");
    assert_eq!(
        forward.closed().await,
        TunnelEnd::ChannelEnded(CloseReason::ChannelClosed {
            output: "Your session timed out due to inactivity.".to_owned()
        })
    );
    assert!(tcp::read_to_end(&mut client, LIMIT).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn older_agents_get_smux_keepalive_and_newer_ones_do_not() {
    let echo = tcp::echo_server().await;
    // Keeps smux keep-alive on (3.1.1511.0 and older) and closes a session silent for 600 ms.
    let old = PortBackend {
        keepalive_timeout: Some(Duration::from_millis(600)),
        ..PortBackend::forwarding("3.1.1511.0", echo)
    };
    let idle = Duration::from_millis(1_500);
    for (keepalive, survives) in [(Duration::from_millis(50), true), (LIMIT, false)] {
        let server = TestServer::start(port(old, Faults::default())).await;
        let options = ForwardOptions {
            smux_keepalive: keepalive,
            ..fast_forward()
        };
        let (forward, address) = open_tunnel(&server, fast_options(), options).await;
        tokio::time::sleep(idle).await;
        if survives {
            tcp::echo_through(address, 7, 1_000, LIMIT).await;
            assert!(server.stats().smux_nops >= 10, "{:?}", server.stats());
            assert_eq!(forward.state().borrow().phase, TunnelPhase::Listening);
        } else {
            // The control: without NOPs this agent ends the session.
            let end = forward.closed().await;
            assert!(
                matches!(&end, TunnelEnd::ChannelEnded(CloseReason::ChannelClosed { output })
                    if output.contains("keep-alive")),
                "{end:?}"
            );
        }
    }

    let server = TestServer::start(port(
        PortBackend::forwarding(MUX_AGENT, echo),
        Faults::default(),
    ))
    .await;
    let options = ForwardOptions {
        smux_keepalive: Duration::from_millis(50),
        ..fast_forward()
    };
    let (_forward, address) = open_tunnel(&server, fast_options(), options).await;
    tcp::echo_through(address, 8, 1_000, LIMIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.stats().smux_nops, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_local_client_holds_the_agent_back_and_loses_nothing() {
    const SOURCE: usize = 24 * 1024 * 1024;
    let source = tcp::source(11, SOURCE).await;
    let server = TestServer::start(port(
        PortBackend::forwarding(MUX_AGENT, source),
        Faults::default(),
    ))
    .await;
    let options = ForwardOptions {
        receive_buffer: 64 * 1024,
        ..fast_forward()
    };
    let (forward, address) = open_tunnel_on(
        &server,
        fast_options(),
        options,
        tcp::small_buffer_listener().await,
    )
    .await;
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(16 * 1024).unwrap();
    let mut client = socket.connect(address).await.unwrap();

    // Not reading: what the agent reads from the destination stalls at the buffers on the
    // way (10 000 early messages held by the channel are the largest), and the message the
    // channel cannot deliver is left to the agent's resend.
    let mut stalled = server.stats();
    let later = loop {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = server.stats();
        if now.target_output == stalled.target_output {
            break now;
        }
        assert!(
            now.target_output < SOURCE as u64,
            "never held back: {now:?}"
        );
        stalled = now;
    };
    assert!(later.target_output < 14 * 1024 * 1024, "{later:?}");
    assert!(
        later.resent > stalled.resent,
        "the undelivered message is resent: {later:?}"
    );
    assert!(forward.state().borrow().bytes_received < 1024 * 1024);

    let mut received = Vec::with_capacity(SOURCE);
    let mut buffer = vec![0; 64 * 1024];
    while received.len() < SOURCE {
        let n = tokio::time::timeout(LIMIT, client.read(&mut buffer))
            .await
            .unwrap()
            .unwrap();
        assert!(n > 0, "ended after {} bytes", received.len());
        received.extend_from_slice(&buffer[..n]);
    }
    assert!(received == tcp::pattern(11, SOURCE), "the data differs");
}
