//! `cargo xtask bench fleet`: how long `unyo fleet --json` takes to list 5,000 instances in
//! four regions, against the AWS CLI listing the same regions one after another
//! (`aws ec2 describe-instances` and `aws ssm describe-instance-information` per region).
//!
//! The moto server is far too slow to time a client against (seconds per thousand
//! instances), so it is used once: `tests/bench/fleet_fixtures.py` creates the instances, and
//! both clients list them through `tests/bench/fleet_replay.py`, a recording proxy. The
//! recording (kept in `target/artifacts/bench/fleet/recording.json` for the next run; rebuilt
//! with `--record`) is then served from memory on loopback, every request answered after the
//! same fixed delay, a typical AWS round trip. moto has no DescribeInstanceInformation: its
//! HTTP 500 is recorded and replayed like any answer, to both clients.
//!
//! Both clients run with retries off (`max_attempts = 1` in the throwaway profile): otherwise
//! each would retry that 500 with randomized backoff, and the benchmark would time backoff
//! timers instead of clients. Everything runs with a cleared environment: a temporary HOME and
//! AWS config and credentials files, never the user's.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::{median, summary};
use crate::paths;
use crate::process::{self, cmd};
use crate::setup;

const REGIONS: [&str; 4] = ["ap-northeast-1", "us-east-1", "eu-west-1", "us-west-2"];
const INSTANCES: usize = 5000;
/// The AWS CLI v1 release compared against, in its own virtualenv beside moto's.
const AWSCLI_VERSION: &str = "1.46.3";
const PROFILE: &str = "bench";

pub fn run(runs: usize, record: bool, delay_ms: u64) -> Result<()> {
    let moto = setup::moto()?;
    let python = moto.with_file_name(if cfg!(windows) {
        "python.exe"
    } else {
        "python"
    });
    let aws = awscli()?;
    let unyo = build_unyo()?;
    let dir = paths::artifacts().join("bench").join("fleet");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let clients = Clients::new(&dir, unyo, aws)?;
    let recording = dir.join("recording.json");
    let delay = delay_ms.to_string();

    let replay = if record || !recording.is_file() {
        record_fleet(&python, &moto, &clients, &dir, &recording, &delay)?
    } else {
        println!(
            "xtask: replaying {} (--record makes a new one)",
            recording.display()
        );
        let load = recording.display().to_string();
        Replay::start(&python, &["--load", &load, "--delay-ms", &delay], &dir)?
    };

    let url = replay.url();
    let before = replay.stats()?;
    let (unyo_warm, unyo_out) = clients.unyo(&url, &REGIONS)?;
    let after_unyo = replay.stats()?;
    let (cli_warm, cli_out) = clients.aws_cli(&url, &REGIONS, &[])?;
    let after_cli = replay.stats()?;
    missing(&after_cli)?;
    let (unyo_listed, unyo_failures) = count_unyo(&unyo_out)?;
    check(unyo_listed, "unyo fleet")?;
    check(cli_out.instances()?, "the AWS CLI")?;
    println!(
        "warm-up: unyo {} ms ({} requests; {} region failures: {}), AWS CLI {} ms ({} requests; {})",
        unyo_warm.as_millis(),
        after_unyo.replayed - before.replayed,
        unyo_failures.len(),
        unyo_failures.first().map_or("none", String::as_str),
        cli_warm.as_millis(),
        after_cli.replayed - after_unyo.replayed,
        cli_out.ssm_note(),
    );

    let (mut unyo_ms, mut cli_ms) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        // Interleaved, so drift in machine load affects both clients alike.
        let (took, out) = clients.unyo(&url, &REGIONS)?;
        check(count_unyo(&out)?.0, "unyo fleet")?;
        unyo_ms.push(took.as_millis() as u64);
        let (cli_took, cli) = clients.aws_cli(&url, &REGIONS, &[])?;
        check(cli.instances()?, "the AWS CLI")?;
        cli_ms.push(cli_took.as_millis() as u64);
        println!(
            "run {run}: unyo {} ms, AWS CLI {} ms",
            took.as_millis(),
            cli_took.as_millis()
        );
    }
    missing(&replay.stats()?)?;
    println!(
        "\nfleet listing benchmark: {INSTANCES} instances in {} regions, replayed with {delay_ms} ms per request, {runs} runs each (median, min–max)",
        REGIONS.len()
    );
    println!(
        "unyo fleet --json, regions at once   {}",
        summary(&unyo_ms, "ms")
    );
    println!(
        "AWS CLI, region after region         {}",
        summary(&cli_ms, "ms")
    );
    let ratio = median(&cli_ms) as f64 / median(&unyo_ms).max(1) as f64;
    println!("unyo is {ratio:.1} times faster (medians; the target is at least 4)");
    Ok(())
}

fn missing(stats: &Stats) -> Result<()> {
    if stats.missed > 0 {
        bail!(
            "{} requests were not in the recording (a client now asks differently); run `cargo xtask bench fleet --record`",
            stats.missed
        );
    }
    Ok(())
}

fn check(found: usize, who: &str) -> Result<()> {
    if found != INSTANCES {
        bail!("{who} listed {found} instances, not {INSTANCES}");
    }
    Ok(())
}

/// Starts moto, creates the fleet, and lets both clients list it once through the recording
/// proxy; returns the proxy, switched to replay (and moto stopped).
fn record_fleet(
    python: &Path,
    moto: &Path,
    clients: &Clients,
    dir: &Path,
    recording: &Path,
    delay: &str,
) -> Result<Replay> {
    let port = free_port()?.to_string();
    let log = std::fs::File::create(dir.join("moto.log"))?;
    let mut server = Command::new(moto);
    server
        .args(["-H", "127.0.0.1", "-p", &port])
        .stdout(log.try_clone()?)
        .stderr(log);
    let moto_server = Background::spawn(&mut server, "moto_server")?;
    let moto_url = format!("http://127.0.0.1:{port}");
    wait_for_port(&port, Duration::from_secs(30))?;
    println!("xtask: creating {INSTANCES} instances in moto (a few minutes: moto is slow at it)");
    let fixtures = paths::root()
        .join("tests")
        .join("bench")
        .join("fleet_fixtures.py");
    let mut create = cmd(python, &[], &paths::root());
    create
        .arg(fixtures)
        .args(["--endpoint", &moto_url, "--count", &INSTANCES.to_string()])
        .args(REGIONS);
    process::run(&mut create)?;

    let save = recording.display().to_string();
    let replay = Replay::start(
        python,
        &[
            "--upstream",
            &moto_url,
            "--save",
            &save,
            "--delay-ms",
            delay,
        ],
        dir,
    )?;
    let url = replay.url();
    println!("xtask: recording the answers to unyo and to the AWS CLI");
    // One region at a time: moto lists slowly, and four regions at once could exceed unyo's
    // per-region time limit. The requests are the same as in a four-region listing.
    let mut listed = 0;
    for region in REGIONS {
        let (_, out) = clients.unyo(&url, &[region])?;
        let (instances, failures) = count_unyo(&out)?;
        listed += instances;
        for failure in failures {
            println!("xtask: unyo while recording {region}: {failure}");
        }
    }
    check(listed, "unyo fleet (recording)")?;
    // moto may take longer than the AWS CLI's default 60 s to answer 1,250 instances at once.
    check(
        clients
            .aws_cli(&url, &REGIONS, &["--cli-read-timeout", "600"])?
            .1
            .instances()?,
        "the AWS CLI (recording)",
    )?;
    replay.control("/__bench__/replay")?;
    drop(moto_server);
    Ok(replay)
}

/// The two clients, each run with a cleared environment and throwaway AWS files.
struct Clients {
    unyo: PathBuf,
    aws: PathBuf,
    home: PathBuf,
    config: PathBuf,
    credentials: PathBuf,
}

impl Clients {
    fn new(dir: &Path, unyo: PathBuf, aws: PathBuf) -> Result<Self> {
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
            aws,
            home,
            config,
            credentials,
        })
    }

    fn command(&self, program: &Path) -> Command {
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

    /// `unyo fleet --json` over `regions`: how long it took, and its output.
    fn unyo(&self, url: &str, regions: &[&str]) -> Result<(Duration, Output)> {
        let mut command = self.command(&self.unyo);
        command.args(["fleet", "--json", "--profile", PROFILE]);
        for region in regions {
            command.args(["--region", region]);
        }
        command.args(["--endpoint-url", url]);
        let started = Instant::now();
        let out = command.output().context("running unyo fleet")?;
        let took = started.elapsed();
        // 3 is "partial": moto's DescribeInstanceInformation fails in every region.
        if !matches!(out.status.code(), Some(0 | 3)) {
            bail!(
                "unyo fleet failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok((took, out))
    }

    /// Per region, one after the other, `aws ec2 describe-instances` then
    /// `aws ssm describe-instance-information`, as someone would list them with the AWS CLI.
    fn aws_cli(
        &self,
        url: &str,
        regions: &[&str],
        extra: &[&str],
    ) -> Result<(Duration, CliListing)> {
        let mut listing = CliListing::default();
        let started = Instant::now();
        for region in regions {
            for call in [
                ["ec2", "describe-instances"],
                ["ssm", "describe-instance-information"],
            ] {
                let mut command = self.command(&self.aws);
                command.args(call).args([
                    "--profile",
                    PROFILE,
                    "--region",
                    region,
                    "--endpoint-url",
                    url,
                    "--output",
                    "json",
                ]);
                command.args(extra);
                let out = command.output().context("running the AWS CLI")?;
                listing.outputs.push((call[0], out));
            }
        }
        Ok((started.elapsed(), listing))
    }
}

#[derive(Debug, Default)]
struct CliListing {
    outputs: Vec<(&'static str, Output)>,
}

impl CliListing {
    /// Instances in the EC2 answers; every EC2 call must have succeeded.
    fn instances(&self) -> Result<usize> {
        let mut count = 0;
        for (_, out) in self.outputs.iter().filter(|(service, _)| *service == "ec2") {
            if !out.status.success() {
                bail!(
                    "aws ec2 describe-instances failed ({}): {}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            let value: serde_json::Value = serde_json::from_slice(&out.stdout)?;
            count += value["Reservations"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| r["Instances"].as_array().map_or(0, Vec::len))
                .sum::<usize>();
        }
        Ok(count)
    }

    /// How the SSM calls ended, in a few words.
    fn ssm_note(&self) -> String {
        let codes: Vec<String> = self
            .outputs
            .iter()
            .filter(|(service, _)| *service == "ssm")
            .map(|(_, out)| out.status.code().map_or("signal".into(), |c| c.to_string()))
            .collect();
        format!(
            "ssm describe-instance-information exit codes {}",
            codes.join(",")
        )
    }
}

/// Instances listed, and the failure messages.
fn count_unyo(out: &Output) -> Result<(usize, Vec<String>)> {
    let value: serde_json::Value =
        serde_json::from_slice(&out.stdout).context("unyo fleet --json printed no JSON")?;
    let instances = value["instances"].as_array().map_or(0, Vec::len);
    let failures = value["failures"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            f["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    Ok((instances, failures))
}

/// `tests/bench/fleet_replay.py`, recording or replaying; stopped when dropped.
struct Replay {
    port: u16,
    _process: Background,
}

#[derive(Debug)]
struct Stats {
    replayed: u64,
    missed: u64,
}

impl Replay {
    fn start(python: &Path, args: &[&str], dir: &Path) -> Result<Self> {
        let script = paths::root()
            .join("tests")
            .join("bench")
            .join("fleet_replay.py");
        let mut command = Command::new(python);
        command
            .arg(script)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(dir.join("replay.log"))?);
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
                    dir.join("replay.log").display()
                )
            })?;
        Ok(Self {
            port,
            _process: process,
        })
    }

    fn url(&self) -> String {
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

    fn stats(&self) -> Result<Stats> {
        let value = self.control("/__bench__/stats")?;
        Ok(Stats {
            replayed: value["replayed"].as_u64().unwrap_or(0),
            missed: value["missed"].as_u64().unwrap_or(0),
        })
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

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn wait_for_port(port: &str, limit: Duration) -> Result<()> {
    let started = Instant::now();
    while TcpStream::connect(format!("127.0.0.1:{port}")).is_err() {
        if started.elapsed() > limit {
            bail!("moto_server did not listen on port {port} within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

/// Builds the release CLI and returns the executable cargo reports. Not `target/release/unyo`:
/// when checkouts share a target dir, that copy may come from another checkout's build.
fn build_unyo() -> Result<PathBuf> {
    let mut build = cmd(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            "unyo-cli",
            "--bin",
            "unyo",
            "--message-format=json-render-diagnostics",
        ],
        &paths::root(),
    );
    println!("$ cargo build --release -p unyo-cli --bin unyo");
    let out = build
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

/// The AWS CLI v1 in its own virtualenv (pip pins botocore, which must not move moto's);
/// returns the `aws` program.
fn awscli() -> Result<PathBuf> {
    let program = if cfg!(windows) { "aws.cmd" } else { "aws" };
    setup::python_tool(
        "awscli",
        &format!("awscli=={AWSCLI_VERSION}"),
        AWSCLI_VERSION,
        program,
    )
}
