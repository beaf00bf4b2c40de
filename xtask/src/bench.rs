//! `cargo xtask bench startup`: launches the release app under Xvfb in the practice account
//! and measures (a) the time from process start until the fleet table has rendered, as the UI
//! reports it, and (b) the resident memory of the app and its WebKit processes 5 s after
//! start. The same memory figure is taken for a hello-world Tauri app (`examples/hello.rs`).
//!
//! `cargo xtask bench fleet`: `unyo fleet` against the AWS CLI over 5,000 instances in four
//! regions, on recorded answers replayed with a fixed delay (see the `fleet` module).
//!
//! `cargo xtask bench alarms`: `unyo alarms` over 1,000 alarms in four regions against each
//! region alone, on recorded answers too, to show that regions are asked at once.

mod alarms;
mod clients;
mod fleet;
mod replay;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use clap::Subcommand;

use crate::paths;
use crate::process::{self, cmd};
use crate::setup::{self, Purpose};
use crate::ui::{self, APP_FEATURES};

#[derive(Debug, Subcommand)]
pub enum Which {
    /// Time to a rendered fleet and memory after 5 s, against a hello-world Tauri app.
    Startup {
        /// Launches per app.
        #[arg(long, default_value_t = 7)]
        runs: usize,
        /// Internal: already inside Xvfb and a D-Bus session.
        #[arg(long, hide = true)]
        inside_display: bool,
    },
    /// `unyo fleet --json` against the AWS CLI over 5,000 instances in 4 regions, on the moto
    /// server's answers recorded once and replayed with a fixed delay per request.
    Fleet {
        /// Timed listings per client, after one warm-up each.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Make a new recording (moto, fixtures) even if one was kept from an earlier run.
        #[arg(long)]
        record: bool,
        /// The replay server's delay before each answer, a typical AWS round trip.
        #[arg(long, default_value_t = 100)]
        delay_ms: u64,
    },
    /// `unyo alarms --json` over 1,000 alarms in 4 regions against each region alone (the
    /// target: the slowest region's time plus at most 10 %), on recorded answers replayed with
    /// a fixed delay per request; the CLI's debug build.
    Alarms {
        /// Timed listings of each region alone and of all four, interleaved, after one
        /// warm-up each.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Make a new recording (moto, fixtures) even if one was kept from an earlier run.
        #[arg(long)]
        record: bool,
        /// The replay server's delay before each answer, a typical AWS round trip.
        #[arg(long, default_value_t = 100)]
        delay_ms: u64,
    },
    /// The incident journal: an incident with 10,000 activity entries and 200 on its timeline
    /// read for Analysis, and its HTML report written (release build).
    Journal,
}

const MEMORY_AFTER: Duration = Duration::from_secs(5);
const RENDER_TIMEOUT: Duration = Duration::from_secs(30);

pub fn run(which: Which) -> Result<()> {
    let (runs, inside_display) = match which {
        Which::Startup {
            runs,
            inside_display,
        } => (runs, inside_display),
        Which::Fleet {
            runs,
            record,
            delay_ms,
        } => return fleet::run(runs, record, delay_ms),
        Which::Alarms {
            runs,
            record,
            delay_ms,
        } => return alarms::run(runs, record, delay_ms),
        Which::Journal => {
            return process::run(&mut cmd(
                "cargo",
                &[
                    "run",
                    "--release",
                    "-p",
                    "unyo-journal",
                    "--example",
                    "journal_bench",
                ],
                &paths::root(),
            ));
        }
    };
    if inside_display {
        return measure_all(runs);
    }
    setup::system(Purpose::Test)?;
    ui::build_ui()?;
    process::run(&mut cmd(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            "unyo-app",
            "--bin",
            "unyo-app",
            "--example",
            "hello",
            "--features",
            APP_FEATURES,
        ],
        &paths::root(),
    ))?;
    let me = std::env::current_exe().context("locating xtask")?;
    let runs_arg = runs.to_string();
    let mut inner = process::headless(
        me,
        &["bench", "startup", "--runs", &runs_arg, "--inside-display"],
        &paths::root(),
    );
    process::run(&mut inner)
}

struct Sample {
    rendered_ms: Option<u128>,
    /// Of `rendered_ms`, the time since the web page started loading.
    page_ms: Option<u128>,
    rss_kib: u64,
    pss_kib: u64,
}

fn measure_all(runs: usize) -> Result<()> {
    let release = paths::target_dir().join("release");
    let unyo = release.join("unyo-app");
    let hello = release.join("examples").join("hello");
    let mut unyo_samples = Vec::new();
    let mut hello_samples = Vec::new();
    // One launch each to warm the OS and WebKit caches, as on a machine where the app has
    // run before; then interleaved runs, so drift in machine load affects both apps alike.
    measure(&unyo, 0, true)?;
    measure(&hello, 0, false)?;
    for i in 1..=runs {
        unyo_samples.push(measure(&unyo, i, true)?);
        hello_samples.push(measure(&hello, i, false)?);
    }
    println!("\nstartup benchmark, {runs} runs each (median, min–max)");
    let times: Vec<u64> = unyo_samples
        .iter()
        .filter_map(|s| s.rendered_ms)
        .map(|ms| ms as u64)
        .collect();
    println!("Unyo   fleet rendered after  {}", summary(&times, "ms"));
    let page: Vec<u64> = unyo_samples
        .iter()
        .filter_map(|s| s.page_ms)
        .map(|ms| ms as u64)
        .collect();
    println!("         of which in the page  {}", summary(&page, "ms"));
    for (name, samples) in [("Unyo ", &unyo_samples), ("hello", &hello_samples)] {
        let rss: Vec<u64> = samples.iter().map(|s| s.rss_kib / 1024).collect();
        let pss: Vec<u64> = samples.iter().map(|s| s.pss_kib / 1024).collect();
        println!(
            "{name}  memory at 5 s: RSS {}; PSS {}",
            summary(&rss, "MiB"),
            summary(&pss, "MiB")
        );
    }
    let ratio = median(&unyo_samples.iter().map(|s| s.rss_kib).collect::<Vec<_>>()) as f64
        / median(&hello_samples.iter().map(|s| s.rss_kib).collect::<Vec<_>>()).max(1) as f64;
    println!("Unyo / hello RSS (medians): {ratio:.2}");
    Ok(())
}

fn measure(binary: &Path, run: usize, expects_report: bool) -> Result<Sample> {
    let name = binary
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let world = paths::artifacts()
        .join("bench")
        .join(format!("{name}-{run}"));
    if world.exists() {
        std::fs::remove_dir_all(&world)?;
    }
    std::fs::create_dir_all(world.join("home"))?;
    let report = world.join("startup.json");
    let started = SystemTime::now();
    let clock = Instant::now();
    let mut child = Command::new(binary)
        .env("HOME", world.join("home"))
        .env("XDG_CONFIG_HOME", world.join("config"))
        .env("XDG_DATA_HOME", world.join("data"))
        .env("XDG_CACHE_HOME", world.join("cache"))
        .env("UNYO_STARTUP_REPORT", &report)
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .spawn()
        .with_context(|| format!("starting {}", binary.display()))?;
    let result = sample(&mut child, &report, started, clock, expects_report);
    stop_tree(&mut child);
    let sample = result?;
    let label = if run == 0 {
        "warm-up".to_owned()
    } else {
        format!("run {run}")
    };
    println!(
        "{name} {label}: rendered {} ms, RSS {} MiB, PSS {} MiB",
        sample.rendered_ms.map_or("-".into(), |ms| ms.to_string()),
        sample.rss_kib / 1024,
        sample.pss_kib / 1024
    );
    Ok(sample)
}

fn sample(
    child: &mut Child,
    report: &Path,
    started: SystemTime,
    clock: Instant,
    expects_report: bool,
) -> Result<Sample> {
    let (mut rendered_ms, mut page_ms) = (None, None);
    if expects_report {
        while !report.exists() {
            if clock.elapsed() > RENDER_TIMEOUT {
                bail!(
                    "the fleet did not render within {} s",
                    RENDER_TIMEOUT.as_secs()
                );
            }
            if let Some(status) = child.try_wait()? {
                bail!("the app exited early ({status})");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let (rendered, page) = read_report(report, started)?;
        (rendered_ms, page_ms) = (Some(rendered), Some(page));
    }
    std::thread::sleep(MEMORY_AFTER.saturating_sub(clock.elapsed()));
    let pids = process_tree(child.id());
    let rss_kib = pids.iter().map(|p| proc_kib(*p, "status", "VmRSS:")).sum();
    let pss_kib = pids
        .iter()
        .map(|p| proc_kib(*p, "smaps_rollup", "Pss:"))
        .sum();
    Ok(Sample {
        rendered_ms,
        page_ms,
        rss_kib,
        pss_kib,
    })
}

/// Milliseconds from spawning the process to the UI's report that the fleet rendered, and
/// the page's share of them.
fn read_report(report: &Path, started: SystemTime) -> Result<(u128, u128)> {
    // The app writes the file in one call; retry briefly in case we read it mid-write.
    for _ in 0..100 {
        let text = std::fs::read_to_string(report).unwrap_or_default();
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
            let rendered = value["fleetRenderedMs"]
                .as_u64()
                .context("report lacks fleetRenderedMs")?;
            let page = value["pageMs"].as_u64().context("report lacks pageMs")?;
            let spawned = started.duration_since(UNIX_EPOCH)?.as_millis();
            return Ok((
                u128::from(rendered).saturating_sub(spawned),
                u128::from(page),
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    bail!("unreadable startup report {}", report.display())
}

/// `pid` and all its descendants (the WebKit web and network processes).
fn process_tree(pid: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|p| Some((p, parent_of(p)?)))
        .collect();
    let mut tree = vec![pid];
    let mut i = 0;
    while i < tree.len() {
        let current = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, parent)| *parent == current)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    tree
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may contain spaces; fields resume after the last ')'.
    let after = &stat[stat.rfind(')')? + 2..];
    after.split_whitespace().nth(1)?.parse().ok()
}

fn proc_kib(pid: u32, file: &str, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn stop_tree(child: &mut Child) {
    let pids = process_tree(child.id());
    for pid in pids.iter().rev() {
        let _ = Command::new("kill").arg(pid.to_string()).status();
    }
    let _ = child.wait();
    let deadline = Instant::now() + Duration::from_secs(5);
    while pids
        .iter()
        .any(|p| PathBuf::from(format!("/proc/{p}")).exists())
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub(crate) fn median(values: &[u64]) -> u64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied().unwrap_or(0)
}

pub(crate) fn summary(values: &[u64], unit: &str) -> String {
    if values.is_empty() {
        return "no data".into();
    }
    let (min, max) = (
        values.iter().min().copied().unwrap_or(0),
        values.iter().max().copied().unwrap_or(0),
    );
    format!("{} {unit} ({min}–{max})", median(values))
}
