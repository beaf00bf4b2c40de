//! Port-forwarding throughput and keystroke latency through the loopback test server of the
//! `data_channel` tests (no faults): `cargo bench -p unyo-session --bench port_forward`.
//!
//! Throughput: MB/s (10^6 bytes per second) from the first byte written to the last byte
//! read, through a tunnel whose far end is the test server's agent and a loopback TCP
//! destination. Both ends of the protocol run in this process, so the figure is what one
//! client and one agent manage together on this machine.
//!
//! Latency: round trips of single keystrokes, one at a time, reported as median and p99,
//! through a shell session (the test server's echo shell), through a forwarded TCP connection,
//! and over a plain loopback TCP echo for comparison; the difference is what the protocol
//! adds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark binary reports on stdout and fails loudly"
)]

/// The test server, shared with the tests (an inline module, so that its submodules are
/// found next to it).
#[allow(
    dead_code,
    unused_imports,
    reason = "the test server has parts only the tests use"
)]
#[path = "../tests/data_channel"]
mod data_channel {
    pub mod server;
}

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use unyo_session::{ChannelOptions, DataChannel, Event, ForwardOptions, PortForward};

use data_channel::server::{PortBackend, ServerConfig, Start, TestServer};

const MB: f64 = 1e6;
const TRANSFER: usize = 128 * 1024 * 1024;
const KEYSTROKES: usize = 5_000;
const WARMUP: usize = 200;

fn main() {
    // `cargo bench` passes `--bench`; any other argument selects cases by name.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        println!("port forwarding, {} MiB per case", TRANSFER / (1024 * 1024));
        for (name, agent, payload, case) in [
            ("smux, 1 KiB payloads", MUX_AGENT, 1024, Case::Download),
            ("smux, 1 KiB payloads", MUX_AGENT, 1024, Case::Upload),
            ("smux, 1 KiB payloads", MUX_AGENT, 1024, Case::Echo(1)),
            ("smux, 1 KiB payloads", MUX_AGENT, 1024, Case::Echo(4)),
            (
                "smux, 16 KiB payloads",
                MUX_AGENT,
                16 * 1024,
                Case::Download,
            ),
            ("smux, 16 KiB payloads", MUX_AGENT, 16 * 1024, Case::Upload),
            ("basic, 1 KiB payloads", BASIC_AGENT, 1024, Case::Download),
            ("basic, 1 KiB payloads", BASIC_AGENT, 1024, Case::Upload),
        ] {
            if !wanted(&format!("{name} {}", case.label())) {
                continue;
            }
            let rate = throughput(agent, payload, case).await;
            println!("  {name:<22} {:<24} {rate:>8.1} MB/s", case.label());
        }
        if !wanted("keystroke") {
            return;
        }

        println!("keystroke round trips, {KEYSTROKES} samples after {WARMUP} warm-up");
        let tcp = tcp_round_trips().await;
        report("plain loopback TCP echo", &tcp, None);
        let shell = shell_round_trips().await;
        report("shell session (echo)", &shell, Some(&tcp));
        let forwarded = forwarded_round_trips().await;
        report("smux port forward (echo)", &forwarded, Some(&tcp));
    });
}

const MUX_AGENT: &str = "3.3.987.0";
const BASIC_AGENT: &str = "3.0.196.0";

#[derive(Debug, Clone, Copy)]
enum Case {
    /// The destination sends, the local client reads.
    Download,
    /// The local client sends, the destination reads.
    Upload,
    /// The local clients send and read back, concurrently, over this many connections.
    Echo(usize),
}

impl Case {
    fn label(self) -> String {
        match self {
            Self::Download => "download".to_owned(),
            Self::Upload => "upload".to_owned(),
            Self::Echo(1) => "echo, each way".to_owned(),
            Self::Echo(n) => format!("echo, {n} conns, each way"),
        }
    }
}

/// Bytes per second one way, in MB/s.
async fn throughput(agent: &'static str, payload: usize, case: Case) -> f64 {
    let destination = match case {
        Case::Download => source(TRANSFER).await,
        Case::Upload => sink().await,
        Case::Echo(_) => echo().await,
    };
    let backend = PortBackend {
        output_payload: payload,
        ..PortBackend::forwarding(agent, destination)
    };
    let server = TestServer::start(ServerConfig::echo(Start::Port(backend))).await;
    let options = ChannelOptions {
        max_payload: payload,
        ..ChannelOptions::default()
    };
    let (channel, events) = DataChannel::connect(server.endpoint(), options)
        .await
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let local = listener.local_addr().unwrap();
    let forward = PortForward::start_with(channel, events, listener, ForwardOptions::default());
    let started = Instant::now();
    match case {
        Case::Download => download(local, TRANSFER).await,
        Case::Upload => upload(local, TRANSFER).await,
        Case::Echo(connections) => {
            let each = TRANSFER / connections;
            let clients: Vec<_> = (0..connections)
                .map(|_| tokio::spawn(echo_client(local, each)))
                .collect();
            for client in clients {
                client.await.unwrap();
            }
        }
    }
    let elapsed = started.elapsed();
    forward.stop();
    forward.closed().await;
    TRANSFER as f64 / elapsed.as_secs_f64() / MB
}

async fn serve<F, Fut>(handle: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            socket.set_nodelay(true).unwrap();
            tokio::spawn(handle(socket));
        }
    });
    address
}

async fn source(len: usize) -> SocketAddr {
    serve(move |mut socket| async move {
        let block = vec![0x5a; 64 * 1024];
        let mut left = len;
        while left > 0 {
            let n = left.min(block.len());
            if socket.write_all(&block[..n]).await.is_err() {
                return;
            }
            left -= n;
        }
        // Held open: the agent closes a stream whose destination closed, which could
        // overtake data still in flight to the client.
        let _ = socket.read(&mut [0]).await;
    })
    .await
}

/// Reads a length (u64, little-endian), then that many bytes, and answers one byte.
async fn sink() -> SocketAddr {
    serve(|mut socket| async move {
        let len = socket.read_u64_le().await.unwrap();
        let mut buffer = vec![0; 64 * 1024];
        let mut left = len as usize;
        while left > 0 {
            let n = socket.read(&mut buffer).await.unwrap();
            assert!(n > 0, "the upload ended early");
            left -= n.min(left);
        }
        socket.write_all(b"k").await.unwrap();
        let _ = socket.read(&mut [0]).await;
    })
    .await
}

async fn echo() -> SocketAddr {
    serve(|mut socket| async move {
        let (mut read, mut write) = socket.split();
        let _ = tokio::io::copy(&mut read, &mut write).await;
    })
    .await
}

async fn download(local: SocketAddr, len: usize) {
    let mut socket = TcpStream::connect(local).await.unwrap();
    let mut buffer = vec![0; 64 * 1024];
    let mut got = 0;
    while got < len {
        let n = socket.read(&mut buffer).await.unwrap();
        assert!(n > 0, "the download ended early");
        got += n;
    }
}

async fn upload(local: SocketAddr, len: usize) {
    let mut socket = TcpStream::connect(local).await.unwrap();
    socket.write_u64_le(len as u64).await.unwrap();
    let block = vec![0xa5; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(block.len());
        socket.write_all(&block[..n]).await.unwrap();
        left -= n;
    }
    let mut done = [0];
    socket.read_exact(&mut done).await.unwrap();
}

async fn echo_client(local: SocketAddr, len: usize) {
    let socket = TcpStream::connect(local).await.unwrap();
    let (mut read, mut write) = socket.into_split();
    let writer = tokio::spawn(async move {
        let block = vec![0x3c; 64 * 1024];
        let mut left = len;
        while left > 0 {
            let n = left.min(block.len());
            write.write_all(&block[..n]).await.unwrap();
            left -= n;
        }
        write
    });
    let mut buffer = vec![0; 64 * 1024];
    let mut got = 0;
    while got < len {
        let n = read.read(&mut buffer).await.unwrap();
        assert!(n > 0, "the echo ended early");
        got += n;
    }
    drop(writer.await.unwrap());
}

/// Round trips of one byte at a time over a TCP connection to an echo.
async fn tcp_echo_round_trips(socket: &mut TcpStream) -> Vec<Duration> {
    socket.set_nodelay(true).unwrap();
    let mut samples = Vec::with_capacity(KEYSTROKES);
    let mut byte = [0];
    for i in 0..WARMUP + KEYSTROKES {
        let started = Instant::now();
        socket.write_all(b"x").await.unwrap();
        socket.read_exact(&mut byte).await.unwrap();
        if i >= WARMUP {
            samples.push(started.elapsed());
        }
    }
    samples
}

async fn tcp_round_trips() -> Vec<Duration> {
    let mut socket = TcpStream::connect(echo().await).await.unwrap();
    tcp_echo_round_trips(&mut socket).await
}

async fn shell_round_trips() -> Vec<Duration> {
    let server = TestServer::start(ServerConfig::echo(Start::Prompt)).await;
    let (channel, mut events) = DataChannel::connect(server.endpoint(), ChannelOptions::default())
        .await
        .unwrap();
    let mut samples = Vec::with_capacity(KEYSTROKES);
    // The prompt, after Ready.
    while !matches!(events.recv().await, Some(Event::Output(_))) {}
    for i in 0..WARMUP + KEYSTROKES {
        let started = Instant::now();
        channel.send(*b"x").await.unwrap();
        loop {
            match events.recv().await {
                Some(Event::Output(bytes)) if bytes == b"x" => break,
                Some(Event::Output(bytes)) => panic!("unexpected output {bytes:?}"),
                Some(Event::Closed { reason, .. }) => panic!("closed: {reason}"),
                Some(_) => {}
                None => panic!("the channel ended"),
            }
        }
        if i >= WARMUP {
            samples.push(started.elapsed());
        }
    }
    channel.close();
    samples
}

async fn forwarded_round_trips() -> Vec<Duration> {
    let backend = PortBackend::forwarding(MUX_AGENT, echo().await);
    let server = TestServer::start(ServerConfig::echo(Start::Port(backend))).await;
    let (channel, events) = DataChannel::connect(server.endpoint(), ChannelOptions::default())
        .await
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let local = listener.local_addr().unwrap();
    let forward = PortForward::start(channel, events, listener);
    let mut socket = TcpStream::connect(local).await.unwrap();
    let samples = tcp_echo_round_trips(&mut socket).await;
    forward.stop();
    forward.closed().await;
    samples
}

fn report(name: &str, samples: &[Duration], baseline: Option<&[Duration]>) {
    let (median, p99) = percentiles(samples);
    let added = baseline
        .map(|baseline| {
            let (base_median, base_p99) = percentiles(baseline);
            format!(
                "  (adds {:.0} µs median, {:.0} µs p99)",
                micros(median.saturating_sub(base_median)),
                micros(p99.saturating_sub(base_p99))
            )
        })
        .unwrap_or_default();
    println!(
        "  {name:<26} median {:>6.0} µs   p99 {:>6.0} µs{added}",
        micros(median),
        micros(p99)
    );
}

fn percentiles(samples: &[Duration]) -> (Duration, Duration) {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99))
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}
