//! The moto emulator for a test file: started on a free loopback port, stopped when dropped,
//! with an SDK config that points at it without retries.

#![allow(dead_code, reason = "each test file uses part of it")]

use std::net::{Ipv4Addr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use unyo_testkit::free_loopback_port;

pub struct Moto {
    child: Child,
    port: u16,
}

impl Moto {
    /// moto's server from the xtask-made virtualenv (or `UNYO_MOTO_SERVER`).
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// moto with AWS's managed IAM policies loaded, so that policies such as
    /// AmazonSSMManagedInstanceCore can be attached.
    pub fn with_managed_policies() -> Self {
        Self::start_with(&[("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")])
    }

    fn start_with(env: &[(&str, &str)]) -> Self {
        let server = std::env::var_os("UNYO_MOTO_SERVER")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                std::env::var_os("CARGO_TARGET_DIR")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| {
                        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target")
                    })
                    .join("tools/moto-venv/bin/moto_server")
            });
        let port = free_loopback_port();
        let child = Command::new(&server)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("moto server at {}: {e}", server.display()));
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            assert!(Instant::now() < deadline, "moto did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Self { child, port }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub async fn config(&self, region: &str) -> SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
            .endpoint_url(self.url())
            .region(Region::new(region.to_owned()))
            .retry_config(RetryConfig::disabled())
            .load()
            .await
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
