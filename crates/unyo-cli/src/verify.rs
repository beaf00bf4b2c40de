//! `unyo verify`: the core verification's named check sets run on an instance through Run
//! Command, each probe with its own verdict (passed, failed, unknown) and why, then the
//! one-line summary. The exit code is the overall verdict, so a script can gate on it.
//! `runbook run` prints its verification with the same table and document.

use std::time::Duration;

use clap::Args;
use serde::Serialize;
use unyo_core::AppError;
use unyo_core::localized::Localized;
use unyo_core::verify::{
    CheckResult, Probe, Verdict, VerifyRequest, catalog, overall, run_checks, summarize,
};

use crate::account;
use crate::exit::Exit;
use crate::output;
use crate::reads::{self, ReadArgs};

/// How often the command is read back, as the app does.
pub const POLL: Duration = Duration::from_secs(2);
/// How long an instance has to answer before every probe is unknown.
pub const LIMIT: Duration = Duration::from_secs(120);

/// The names `catalog::named` knows, for the error that lists them (it offers no listing of
/// its own); `known_names_are_in_the_catalog` keeps the two in step.
const KNOWN: [&str; 2] = ["sshd", "rdp"];

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// The instance to check (i-...).
    #[arg(value_name = "INSTANCE")]
    instance: String,
    /// A named check set (repeatable): sshd, rdp.
    #[arg(long = "checks", value_name = "NAME", required = true)]
    checks: Vec<String>,
}

/// What `--json` prints: every probe's result, the overall verdict and its summary.
#[derive(Debug, Serialize)]
pub struct Verification {
    pub results: Vec<CheckResult>,
    pub verdict: Verdict,
    pub summary: Localized,
}

impl Verification {
    pub fn new(results: Vec<CheckResult>) -> Self {
        Self {
            verdict: overall(&results),
            summary: summarize(&results),
            results,
        }
    }

    /// Failed when any probe failed, Partial when none failed but some are unknown.
    pub fn exit(&self) -> Exit {
        match self.verdict {
            Verdict::Passed => Exit::Ok,
            Verdict::Failed => Exit::Failed,
            Verdict::Unknown => Exit::Partial,
        }
    }

    /// The table (CHECK, VERDICT, WHY), without the summary line.
    pub fn print_table(&self) {
        let mut table = reads::table(&["CHECK", "VERDICT", "WHY"]);
        for result in &self.results {
            table.add_row([
                result.probe.describe().en,
                verdict_name(result.verdict).to_owned(),
                why(result),
            ]);
        }
        println!("{table}");
    }
}

pub fn run(args: &VerifyArgs) -> Exit {
    reads::run(&args.read, || async {
        // Names are checked before the account is opened: a typo needs no credentials.
        let probes = probes(&args.checks)?;
        let cloud = account::open(&args.read.account).await?;
        let region = reads::region(cloud.as_ref(), &args.read.account)?;
        let request = VerifyRequest {
            region,
            instance_id: args.instance.clone(),
            probes,
        };
        args.read.explain([request.command()?.describe().cli]);
        let results = run_checks(cloud.require_run_command()?, &request, POLL, LIMIT).await?;
        let verification = Verification::new(results);
        if args.read.json {
            return Ok(match output::json(&verification) {
                Exit::Ok => verification.exit(),
                failed => failed,
            });
        }
        verification.print_table();
        println!("{}", verification.summary.en);
        Ok(verification.exit())
    })
}

/// The probes of every named set, in the order named, each set once.
fn probes(names: &[String]) -> Result<Vec<Probe>, AppError> {
    let mut probes: Vec<Probe> = Vec::new();
    for name in names {
        let set = catalog::named(name).ok_or_else(|| {
            AppError::invalid_input(format!(
                "there is no check set called `{name}`; known check sets: {}",
                KNOWN.join(", ")
            ))
        })?;
        for probe in set {
            if !probes.contains(&probe) {
                probes.push(probe);
            }
        }
    }
    Ok(probes)
}

pub fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Passed => "passed",
        Verdict::Failed => "failed",
        Verdict::Unknown => "unknown",
    }
}

/// Why a probe got its verdict: the summary of a failed or unknown one; for a passed one,
/// whose summary only repeats the check, the first line the host printed.
fn why(result: &CheckResult) -> String {
    if result.verdict == Verdict::Passed {
        let first = result.evidence.lines().next().unwrap_or_default().trim();
        return if first.is_empty() { "-" } else { first }.to_owned();
    }
    result.summary.en.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_are_in_the_catalog() {
        for name in KNOWN {
            assert!(catalog::named(name).is_some(), "{name}");
        }
    }

    #[test]
    fn a_set_named_twice_runs_once_and_an_unknown_one_lists_the_known() {
        let twice = probes(&["sshd".into(), "ssh".into()]).unwrap_or_default();
        assert_eq!(twice, catalog::ssh());
        let Err(err) = probes(&["nginx".into()]) else {
            panic!("an unknown name was accepted");
        };
        assert!(err.message.contains("sshd, rdp"), "{}", err.message);
    }
}
