//! `cargo xtask bench alarms`: that `unyo alarms --json` asks its regions at once, shown by
//! timing it over 1,000 CloudWatch alarms in four regions (250 each) against each of those
//! regions alone. Asked concurrently, the four regions take the time of the slowest one plus
//! a little (the target: at most 10 % more); asked one after another, they would take about
//! the sum of the four.
//!
//! As in the fleet benchmark, moto serves only once: `tests/bench/alarm_fixtures.py` creates
//! the alarms, unyo lists each region alone and then all four through the recording proxy,
//! and the timed runs get the recorded answers from memory, each after the same fixed delay
//! (see the `replay` module). moto answers DescribeAlarms in a single page, so each region is
//! one request here, where AWS would page them (50 alarms a page unless asked for more).
//!
//! The CLI is the debug build: a release build of the AWS SDK takes too long on a small
//! shared machine. A debug build spends more CPU per answer, and the four regions' answers
//! compete for it, so the overhead it shows is if anything larger than a release build's.

use anyhow::{Context, Result, bail};

use super::clients::{Clients, Listing, build_unyo};
use super::replay::{self, Bench, Moto, Replay};
use super::{median, summary};
use crate::process;

const REGIONS: [&str; 4] = ["ap-northeast-1", "us-east-1", "eu-west-1", "us-west-2"];
const PER_REGION: usize = 250;
/// Four regions at once may take this much longer than the slowest region alone.
const TARGET_OVERHEAD_PERCENT: f64 = 10.0;

pub fn run(runs: usize, record: bool, delay_ms: u64) -> Result<()> {
    if runs == 0 {
        bail!("--runs must be at least 1");
    }
    let moto = Moto::find()?;
    let dir = crate::paths::artifacts().join("bench").join("alarms");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let clients = Clients::new(&dir, build_unyo(false)?)?;
    let bench = Bench {
        name: "alarms",
        dir: &dir,
        record,
        delay_ms,
    };
    let replay = replay::recorded(
        &moto,
        &bench,
        |moto_url| {
            println!(
                "xtask: creating {PER_REGION} alarms in each of {} regions in moto",
                REGIONS.len()
            );
            let mut create = moto.script("alarm_fixtures.py");
            create
                .args(["--endpoint", moto_url])
                .args(["--per-region", &PER_REGION.to_string()])
                .args(REGIONS);
            process::run(&mut create)
        },
        |url| {
            // Each region alone, as the timed runs ask, then the four at once.
            for region in REGIONS {
                list(&clients, url, &[region])?;
            }
            list(&clients, url, &REGIONS).map(|_| ())
        },
    )?;

    // One warm-up of each, so the binary and the system's caches are as warm for the first
    // timed run as for the last.
    let mut requests = Vec::new();
    for regions in cases() {
        let before = replay.stats()?;
        let took = timed(&clients, &replay, &regions)?;
        let after = replay.stats()?;
        requests.push(format!(
            "{} {} ms ({} requests)",
            label(&regions),
            took,
            after.replayed - before.replayed
        ));
    }
    println!("warm-up: {}", requests.join(", "));

    let mut alone: Vec<Vec<u64>> = vec![Vec::new(); REGIONS.len()];
    let mut together = Vec::new();
    for run in 1..=runs {
        // Interleaved, so drift in machine load affects every case alike.
        let mut line = Vec::new();
        for (i, region) in REGIONS.iter().enumerate() {
            let took = timed(&clients, &replay, &[region])?;
            alone[i].push(took);
            line.push(format!("{region} {took} ms"));
        }
        let took = timed(&clients, &replay, &REGIONS)?;
        together.push(took);
        line.push(format!("4 regions {took} ms"));
        println!("run {run}: {}", line.join(", "));
    }
    report(&replay, runs, delay_ms, &alone, &together)
}

fn report(
    replay: &Replay,
    runs: usize,
    delay_ms: u64,
    alone: &[Vec<u64>],
    together: &[u64],
) -> Result<()> {
    replay.stats()?;
    println!(
        "\nalarms benchmark: {} alarms in {} regions, debug build of unyo, replayed with {delay_ms} ms per request, {runs} runs each (median, min–max)",
        PER_REGION * REGIONS.len(),
        REGIONS.len()
    );
    for (region, times) in REGIONS.iter().zip(alone) {
        println!("{:<26} {}", format!("{region} alone"), summary(times, "ms"));
    }
    println!("{:<26} {}", "4 regions at once", summary(together, "ms"));
    let (slowest, slowest_ms) = REGIONS
        .iter()
        .zip(alone)
        .map(|(region, times)| (*region, median(times)))
        .max_by_key(|(_, ms)| *ms)
        .context("no region was timed")?;
    let together_ms = median(together);
    let overhead = (together_ms as f64 - slowest_ms as f64) / slowest_ms.max(1) as f64 * 100.0;
    let sum: u64 = alone.iter().map(|times| median(times)).sum();
    println!(
        "4 regions take {together_ms} ms against {slowest_ms} ms for the slowest region alone ({slowest}): {overhead:+.1} % (medians; the target is at most +{TARGET_OVERHEAD_PERCENT} %, {})",
        if overhead <= TARGET_OVERHEAD_PERCENT {
            "met"
        } else {
            "missed"
        }
    );
    println!(
        "(the four regions one after another would take about {sum} ms, the sum of their medians)"
    );
    Ok(())
}

/// Every region alone, then all four.
fn cases() -> Vec<Vec<&'static str>> {
    REGIONS
        .iter()
        .map(|region| vec![*region])
        .chain([REGIONS.to_vec()])
        .collect()
}

fn label(regions: &[&str]) -> String {
    match regions {
        [region] => (*region).to_owned(),
        _ => format!("{} regions", regions.len()),
    }
}

/// [`list`] on the replay server.
fn timed(clients: &Clients, replay: &Replay, regions: &[&str]) -> Result<u64> {
    let listing = clients.unyo("alarms", "alarms", &replay.url(), regions);
    // First, as a request missing from the recording would show as a failed region.
    replay.stats()?;
    checked(&listing?, regions)
}

/// `unyo alarms --json` over `regions`, in milliseconds.
fn list(clients: &Clients, url: &str, regions: &[&str]) -> Result<u64> {
    checked(&clients.unyo("alarms", "alarms", url, regions)?, regions)
}

/// How long the listing took, in milliseconds, if it has every alarm of every region and no
/// region failed.
fn checked(listing: &Listing, regions: &[&str]) -> Result<u64> {
    if !listing.failures.is_empty() {
        bail!(
            "unyo alarms ({}): some regions failed: {}",
            label(regions),
            listing.failures.join("; ")
        );
    }
    let expected = PER_REGION * regions.len();
    if listing.listed != expected {
        bail!(
            "unyo alarms ({}) listed {} alarms, not {expected}",
            label(regions),
            listing.listed
        );
    }
    Ok(listing.took.as_millis() as u64)
}
