//! How the benchmarks run the clients they time: `unyo` (built here) and any other program,
//! each with a cleared environment, a temporary HOME and throwaway AWS config and credentials
//! files, never the user's. The profile turns retries off (`max_attempts = 1`): otherwise an
//! answer that is an error (recorded and replayed like any other) would be retried with
//! randomized backoff, and the benchmark would time backoff timers instead of clients.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::paths;
use crate::process::cmd;

/// The throwaway profile every client uses.
pub const PROFILE: &str = "bench";

pub struct Clients {
    unyo: PathBuf,
    home: PathBuf,
    config: PathBuf,
    credentials: PathBuf,
}

/// What one `unyo <read> --json` printed: the items it listed and the regions that failed.
pub struct Listing {
    pub took: Duration,
    pub listed: usize,
    pub failures: Vec<String>,
}

impl Clients {
    /// Writes the throwaway HOME and AWS files under `dir`.
    pub fn new(dir: &Path, unyo: PathBuf) -> Result<Self> {
        let home = dir.join("home");
        std::fs::create_dir_all(&home)?;
        let config = dir.join("aws-config");
        let credentials = dir.join("aws-credentials");
        std::fs::write(
            &config,
            format!("[profile {PROFILE}]\nregion = us-east-1\nmax_attempts = 1\n"),
        )?;
        std::fs::write(
            &credentials,
            format!(
                "[{PROFILE}]\naws_access_key_id = AKIDBENCHMARK\naws_secret_access_key = bench\n"
            ),
        )?;
        Ok(Self {
            unyo,
            home,
            config,
            credentials,
        })
    }

    /// `program` with the cleared environment (PATH kept) and the throwaway files.
    pub fn command(&self, program: &Path) -> Command {
        let mut command = Command::new(program);
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_DATA_HOME", self.home.join("data"))
            .env("XDG_CACHE_HOME", self.home.join("cache"))
            .env("AWS_CONFIG_FILE", &self.config)
            .env("AWS_SHARED_CREDENTIALS_FILE", &self.credentials)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdin(Stdio::null());
        command
    }

    /// Times `unyo <read> --json` over `regions` against `url` and counts the `key` items
    /// it printed. Exit 3 ("partial": some regions failed) is an answer; its failures are
    /// returned for the caller to judge.
    pub fn unyo(&self, read: &str, key: &str, url: &str, regions: &[&str]) -> Result<Listing> {
        let mut command = self.command(&self.unyo);
        command.args([read, "--json", "--profile", PROFILE]);
        for region in regions {
            command.args(["--region", region]);
        }
        command.args(["--endpoint-url", url]);
        let started = Instant::now();
        let out = command
            .output()
            .with_context(|| format!("running unyo {read}"))?;
        let took = started.elapsed();
        if !matches!(out.status.code(), Some(0 | 3)) {
            // With --json the error is on stdout.
            bail!(
                "unyo {read} failed ({}): {} {}",
                out.status,
                String::from_utf8_lossy(&out.stdout).trim(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        let (listed, failures) = count(&out, read, key)?;
        Ok(Listing {
            took,
            listed,
            failures,
        })
    }
}

/// Items under `key`, and the failure messages.
fn count(out: &Output, read: &str, key: &str) -> Result<(usize, Vec<String>)> {
    let value: serde_json::Value = serde_json::from_slice(&out.stdout)
        .with_context(|| format!("unyo {read} --json printed no JSON"))?;
    let listed = value[key].as_array().map_or(0, Vec::len);
    let failures = value["failures"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            format!(
                "{}: {}",
                f["region"].as_str().unwrap_or("?"),
                f["error"]["message"].as_str().unwrap_or_default()
            )
        })
        .collect();
    Ok((listed, failures))
}

/// Builds the CLI (release or debug profile) and returns the executable cargo reports. Not
/// `target/<profile>/unyo`: when checkouts share a target dir, that copy may come from
/// another checkout's build.
pub fn build_unyo(release: bool) -> Result<PathBuf> {
    let mut args = vec!["build"];
    if release {
        args.push("--release");
    }
    args.extend(["-p", "unyo-cli", "--bin", "unyo"]);
    println!("$ cargo {}", args.join(" "));
    args.push("--message-format=json-render-diagnostics");
    let out = cmd("cargo", &args, &paths::root())
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo build")?;
    if !out.status.success() {
        bail!("building unyo-cli failed ({})", out.status);
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["target"]["name"] == "unyo")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .context("cargo reported no unyo executable")
}
