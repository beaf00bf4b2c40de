//! What the benchmarks that time AWS clients share: the moto server, used once to build the
//! account, and `tests/bench/fleet_replay.py`, a proxy that records moto's answers to the
//! clients and then replays them from memory on loopback, every request answered after the
//! same fixed delay (a typical AWS round trip). moto itself is far too slow to time a client
//! against, and its speed has nothing to do with AWS's.
//!
//! A recording is kept in the benchmark's directory (`recording.json`) for the next run, and
//! made again when asked (`--record`) or when there is none.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::paths;
use crate::process::cmd;
use crate::setup;

/// The moto server and the Python of its virtualenv (which has boto3 for the fixtures).
pub struct Moto {
    server: PathBuf,
    python: PathBuf,
}

impl Moto {
    /// Installs moto if needed.
    pub fn find() -> Result<Self> {
        let server = setup::moto()?;
        let python = server.with_file_name(if cfg!(windows) {
            "python.exe"
        } else {
            "python"
        });
        Ok(Self { server, python })
    }

    /// `tests/bench/<script>` in moto's virtualenv, run from the repository root.
    pub fn script(&self, script: &str) -> Command {
        let mut command = cmd(&self.python, &[], &paths::root());
        command.arg(bench_script(script));
        command
    }

    /// Starts the server on a free loopback port; returns it (stopped when dropped) and its URL.
    fn start(&self, dir: &Path) -> Result<(Background, String)> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let log = std::fs::File::create(dir.join("moto.log"))?;
        let mut command = Command::new(&self.server);
        command
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(log.try_clone()?)
            .stderr(log);
        let server = Background::spawn(&mut command, "moto_server")?;
        wait_for_port(port, Duration::from_secs(30))?;
        Ok((server, format!("http://127.0.0.1:{port}")))
    }
}

fn bench_script(name: &str) -> PathBuf {
    paths::root().join("tests").join("bench").join(name)
}

/// What a benchmark tells [`recorded`]: its name (for messages) and directory, and whether
/// to record again.
pub struct Bench<'a> {
    pub name: &'a str,
    pub dir: &'a Path,
    pub record: bool,
    pub delay_ms: u64,
}

/// The replay server over `bench.dir/recording.json`. When there is no recording or a new one
/// is asked for, first makes one: starts moto, lets `fill` create the account (given moto's
/// URL), lets `list` ask the recording proxy (given its URL) everything the timed runs will
/// ask, then switches the proxy to replay, saves the recording and stops moto.
pub fn recorded(
    moto: &Moto,
    bench: &Bench,
    fill: impl FnOnce(&str) -> Result<()>,
    list: impl FnOnce(&str) -> Result<()>,
) -> Result<Replay> {
    let recording = bench.dir.join("recording.json").display().to_string();
    let delay = bench.delay_ms.to_string();
    if !bench.record && Path::new(&recording).is_file() {
        println!("xtask: replaying {recording} (--record makes a new one)");
        return Replay::start(moto, bench, &["--load", &recording, "--delay-ms", &delay]);
    }
    let (server, moto_url) = moto.start(bench.dir)?;
    fill(&moto_url)?;
    let replay = Replay::start(
        moto,
        bench,
        &[
            "--upstream",
            &moto_url,
            "--save",
            &recording,
            "--delay-ms",
            &delay,
        ],
    )?;
    println!("xtask: recording moto's answers");
    list(&replay.url())?;
    replay.control("/__bench__/replay")?;
    drop(server);
    Ok(replay)
}

/// `tests/bench/fleet_replay.py`, recording or replaying; stopped when dropped.
pub struct Replay {
    port: u16,
    bench: String,
    _process: Background,
}

#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub replayed: u64,
    pub missed: u64,
}

impl Replay {
    fn start(moto: &Moto, bench: &Bench, args: &[&str]) -> Result<Self> {
        let log = bench.dir.join("replay.log");
        let mut command = Command::new(&moto.python);
        command
            .arg(bench_script("fleet_replay.py"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log)?);
        let mut process = Background::spawn(&mut command, "fleet_replay.py")?;
        let stdout = process
            .child
            .stdout
            .take()
            .context("no stdout from fleet_replay.py")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let port = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|p| p.parse().ok())
            .with_context(|| {
                format!(
                    "fleet_replay.py did not start (see {}): {line:?}",
                    log.display()
                )
            })?;
        Ok(Self {
            port,
            bench: bench.name.to_owned(),
            _process: process,
        })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A control request (`/__bench__/replay` or `/__bench__/stats`); returns its JSON.
    fn control(&self, path: &str) -> Result<serde_json::Value> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        write!(
            stream,
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        let body = answer
            .split_once("\r\n\r\n")
            .map(|(_, body)| body)
            .context("a control answer without a body")?;
        serde_json::from_str(body).with_context(|| format!("control answer {answer:?}"))
    }

    /// Requests answered so far; an error when any was not in the recording, as then the
    /// clients no longer ask what they asked when it was made.
    pub fn stats(&self) -> Result<Stats> {
        let value = self.control("/__bench__/stats")?;
        let stats = Stats {
            replayed: value["replayed"].as_u64().unwrap_or(0),
            missed: value["missed"].as_u64().unwrap_or(0),
        };
        if stats.missed > 0 {
            bail!(
                "{} requests were not in the recording (a client now asks differently); run `cargo xtask bench {} --record`",
                stats.missed,
                self.bench
            );
        }
        Ok(stats)
    }
}

/// A server process this command started; killed (by its id) when dropped.
struct Background {
    child: Child,
}

impl Background {
    fn spawn(command: &mut Command, name: &str) -> Result<Self> {
        let child = command
            .spawn()
            .with_context(|| format!("starting {name}"))?;
        Ok(Self { child })
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for_port(port: u16, limit: Duration) -> Result<()> {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > limit {
            bail!("moto_server did not listen on port {port} within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}
