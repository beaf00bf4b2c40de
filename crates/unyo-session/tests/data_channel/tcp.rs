//! Local TCP ends for port-forwarding tests: destinations the test server's agent dials (an
//! echo server, a greeter that speaks first and hangs up, a bulk source), clients that push
//! data through a tunnel and check what comes back, and the fixed-seed data they send.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

/// `len` bytes from a fixed-seed generator: any loss, doubling or reordering shows.
pub fn pattern(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut bytes = Vec::with_capacity(len + 8);
    while bytes.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.extend_from_slice(&state.to_le_bytes());
    }
    bytes.truncate(len);
    bytes
}

/// A listener on a free loopback port whose accepted sockets get small kernel buffers, so
/// that back-pressure shows within a few hundred kilobytes.
pub async fn small_buffer_listener() -> TcpListener {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_send_buffer_size(16 * 1024).unwrap();
    socket.set_recv_buffer_size(16 * 1024).unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    socket.listen(64).unwrap()
}

/// Echoes every connection until its client closes, then closes.
pub async fn echo_server() -> SocketAddr {
    serve(
        TcpListener::bind("127.0.0.1:0").await.unwrap(),
        |mut socket| async move {
            let (mut read, mut write) = socket.split();
            let _ = tokio::io::copy(&mut read, &mut write).await;
            let _ = write.shutdown().await;
        },
    )
}

/// Sends `greeting` to every connection as soon as it is accepted, then closes it.
pub async fn greeter(greeting: &'static [u8]) -> SocketAddr {
    serve(
        TcpListener::bind("127.0.0.1:0").await.unwrap(),
        move |mut socket| async move {
            let _ = socket.write_all(greeting).await;
            let _ = socket.shutdown().await;
        },
    )
}

/// Sends `pattern(seed, len)` to every connection, then closes it; small kernel buffers.
pub async fn source(seed: u64, len: usize) -> SocketAddr {
    serve(
        small_buffer_listener().await,
        move |mut socket| async move {
            let _ = socket.write_all(&pattern(seed, len)).await;
            let _ = socket.shutdown().await;
        },
    )
}

/// A loopback port nothing listens on, held while the value lives: bound without listening,
/// so a connection to it is refused, and no test running alongside can take the port.
pub struct ClosedPort(tokio::net::TcpSocket);

impl ClosedPort {
    pub fn reserve() -> Self {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
        Self(socket)
    }

    pub fn address(&self) -> SocketAddr {
        self.0.local_addr().unwrap()
    }
}

fn serve<F, Fut>(listener: TcpListener, handle: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(handle(socket));
        }
    });
    address
}

/// Sends `pattern(seed, len)` through the tunnel at `address` to an echo destination and
/// checks the echo byte for byte while sending; closes once all of it is back.
pub async fn echo_through(address: SocketAddr, seed: u64, len: usize, limit: Duration) {
    let data = pattern(seed, len);
    let socket = TcpStream::connect(address).await.unwrap();
    let (mut read, mut write) = socket.into_split();
    let sent = data.clone();
    let writer = tokio::spawn(async move {
        for chunk in sent.chunks(64 * 1024) {
            write.write_all(chunk).await.unwrap();
        }
        write
    });
    let reading = async {
        let mut buffer = vec![0; 64 * 1024];
        let mut got = 0;
        while got < len {
            let n = read.read(&mut buffer).await.unwrap();
            assert!(n > 0, "connection {seed} ended after {got} of {len} bytes");
            assert!(
                buffer[..n] == data[got..got + n],
                "connection {seed}: the echo differs within bytes {got}..{}",
                got + n
            );
            got += n;
        }
    };
    if tokio::time::timeout(limit, reading).await.is_err() {
        panic!("connection {seed}: the echo did not complete within {limit:?}");
    }
    let _write = writer.await.unwrap();
}

/// Reads a connection to its end.
pub async fn read_to_end(socket: &mut TcpStream, limit: Duration) -> Vec<u8> {
    let mut received = Vec::new();
    tokio::time::timeout(limit, socket.read_to_end(&mut received))
        .await
        .expect("the connection did not end in time")
        .unwrap();
    received
}
