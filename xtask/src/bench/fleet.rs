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
//! Both clients run with retries off and a cleared environment (see the `clients` module):
//! otherwise each would retry that 500 with randomized backoff, and the benchmark would time
//! backoff timers instead of clients.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::clients::{Clients, Listing, PROFILE, build_unyo};
use super::replay::{self, Bench, Moto, Replay};
use super::{median, summary};
use crate::process;
use crate::setup;

const REGIONS: [&str; 4] = ["ap-northeast-1", "us-east-1", "eu-west-1", "us-west-2"];
const INSTANCES: usize = 5000;
/// The AWS CLI v1 release compared against, in its own virtualenv beside moto's.
const AWSCLI_VERSION: &str = "1.46.3";

pub fn run(runs: usize, record: bool, delay_ms: u64) -> Result<()> {
    let moto = Moto::find()?;
    let aws = awscli()?;
    let dir = crate::paths::artifacts().join("bench").join("fleet");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let clients = Clients::new(&dir, build_unyo(true)?)?;
    let bench = Bench {
        name: "fleet",
        dir: &dir,
        record,
        delay_ms,
    };
    let replay = replay::recorded(
        &moto,
        &bench,
        |moto_url| {
            println!(
                "xtask: creating {INSTANCES} instances in moto (a few minutes: moto is slow at it)"
            );
            let mut create = moto.script("fleet_fixtures.py");
            create
                .args(["--endpoint", moto_url, "--count", &INSTANCES.to_string()])
                .args(REGIONS);
            process::run(&mut create)
        },
        |url| record_listings(&clients, &aws, url),
    )?;

    let url = replay.url();
    let before = replay.stats()?;
    let unyo_warm = unyo(&clients, &replay)?;
    let after_unyo = replay.stats()?;
    let (cli_warm, cli_out) = aws_cli(&clients, &aws, &url, &REGIONS, &[])?;
    let after_cli = replay.stats()?;
    check(cli_out.instances()?, "the AWS CLI")?;
    println!(
        "warm-up: unyo {} ms ({} requests; {} region failures: {}), AWS CLI {} ms ({} requests; {})",
        unyo_warm.took.as_millis(),
        after_unyo.replayed - before.replayed,
        unyo_warm.failures.len(),
        unyo_warm.failures.first().map_or("none", String::as_str),
        cli_warm.as_millis(),
        after_cli.replayed - after_unyo.replayed,
        cli_out.ssm_note(),
    );

    let (mut unyo_ms, mut cli_ms) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        // Interleaved, so drift in machine load affects both clients alike.
        let took = unyo(&clients, &replay)?.took;
        unyo_ms.push(took.as_millis() as u64);
        let (cli_took, cli) = aws_cli(&clients, &aws, &url, &REGIONS, &[])?;
        check(cli.instances()?, "the AWS CLI")?;
        cli_ms.push(cli_took.as_millis() as u64);
        println!(
            "run {run}: unyo {} ms, AWS CLI {} ms",
            took.as_millis(),
            cli_took.as_millis()
        );
    }
    replay.stats()?;
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

/// `unyo fleet --json` over the four regions; it must list every instance. Exit 3 is
/// expected: moto's DescribeInstanceInformation fails in every region.
fn unyo(clients: &Clients, replay: &Replay) -> Result<Listing> {
    let listing = clients.unyo("fleet", "instances", &replay.url(), &REGIONS);
    // First, as a request missing from the recording would show as a failed region.
    replay.stats()?;
    let listing = listing?;
    check(listing.listed, "unyo fleet")?;
    Ok(listing)
}

fn check(found: usize, who: &str) -> Result<()> {
    if found != INSTANCES {
        bail!("{who} listed {found} instances, not {INSTANCES}");
    }
    Ok(())
}

/// Lets both clients list the fleet once through the recording proxy.
fn record_listings(clients: &Clients, aws: &Path, url: &str) -> Result<()> {
    // One region at a time: moto lists slowly, and four regions at once could exceed unyo's
    // per-region time limit. The requests are the same as in a four-region listing.
    let mut listed = 0;
    for region in REGIONS {
        let listing = clients.unyo("fleet", "instances", url, &[region])?;
        listed += listing.listed;
        for failure in listing.failures {
            println!("xtask: unyo while recording: {failure}");
        }
    }
    check(listed, "unyo fleet (recording)")?;
    // moto may take longer than the AWS CLI's default 60 s to answer 1,250 instances at once.
    check(
        aws_cli(clients, aws, url, &REGIONS, &["--cli-read-timeout", "600"])?
            .1
            .instances()?,
        "the AWS CLI (recording)",
    )
}

/// Per region, one after the other, `aws ec2 describe-instances` then
/// `aws ssm describe-instance-information`, as someone would list them with the AWS CLI.
fn aws_cli(
    clients: &Clients,
    aws: &Path,
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
            let mut command = clients.command(aws);
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
