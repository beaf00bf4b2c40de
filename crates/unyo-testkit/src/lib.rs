//! Test-only helpers shared by Unyo's crates. Nothing here is used by the app or the CLI.
//!
//! - [`Moto`]: the moto AWS emulator on a free loopback port (`cargo xtask test` installs it
//!   and passes its path in `UNYO_MOTO_SERVER`).
//! - [`MemorySecrets`]: a [`SecretStore`] in memory, for tests about what Unyo does with
//!   secrets rather than about the OS keychain (which `unyo-keychain` tests for real).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test whose emulator cannot start should fail loudly"
)]

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use unyo_core::AppError;
use unyo_core::secret::{ExposeSecret, SecretStore, SecretString};

/// A moto server on a free loopback port, stopped when dropped.
#[derive(Debug)]
pub struct Moto {
    child: Child,
    port: u16,
}

impl Moto {
    pub fn start() -> Self {
        let server = std::env::var_os("UNYO_MOTO_SERVER")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                let target = std::env::var_os("CARGO_TARGET_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| {
                        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target")
                    });
                target.join("tools/moto-venv/bin/moto_server")
            });
        assert!(
            server.is_file(),
            "moto server not found at {}: run `cargo xtask test` once (it installs it) or set UNYO_MOTO_SERVER",
            server.display()
        );
        let port = free_loopback_port();
        let child = Command::new(server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Self { child, port }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_loopback_port() -> u16 {
    TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Secrets in a map; `items()` lets a test check what was stored and what was deleted.
#[derive(Debug, Default)]
pub struct MemorySecrets {
    items: Mutex<BTreeMap<String, String>>,
}

impl MemorySecrets {
    pub fn items(&self) -> Vec<String> {
        self.items.lock().unwrap().keys().cloned().collect()
    }
}

impl SecretStore for MemorySecrets {
    fn put(&self, item: &str, secret: &SecretString) -> Result<(), AppError> {
        self.items
            .lock()
            .unwrap()
            .insert(item.to_owned(), secret.expose_secret().to_owned());
        Ok(())
    }

    fn get(&self, item: &str) -> Result<Option<SecretString>, AppError> {
        Ok(self
            .items
            .lock()
            .unwrap()
            .get(item)
            .map(|s| SecretString::from(s.clone())))
    }

    fn delete(&self, item: &str) -> Result<(), AppError> {
        self.items.lock().unwrap().remove(item);
        Ok(())
    }
}
