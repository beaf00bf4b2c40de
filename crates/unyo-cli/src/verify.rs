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

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// The instance to check (i-...).
    #[arg(value_name = "INSTANCE")]
    instance: String,
    /// A named check set (repeatable): sshd, rdp, agent; or own:DOCUMENT for the checks you
    /// added to a runbook or document in the app, on this account.
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

    /// The table (CHECK, VERDICT, WHY), without the summary line; with a baseline taken on
    /// the same checks before the change, a BEFORE column too.
    pub fn print_table(&self, baseline: Option<&Verification>) {
        let before = baseline.filter(|b| {
            b.results.len() == self.results.len()
                && b.results
                    .iter()
                    .zip(&self.results)
                    .all(|(b, a)| b.probe == a.probe)
        });
        let mut table = match before {
            Some(_) => reads::table(&["CHECK", "BEFORE", "AFTER", "WHY"]),
            None => reads::table(&["CHECK", "VERDICT", "WHY"]),
        };
        for (i, result) in self.results.iter().enumerate() {
            let mut row = vec![result.probe.describe().en];
            if let Some(before) = before {
                row.push(verdict_name(before.results[i].verdict).to_owned());
            }
            row.push(verdict_name(result.verdict).to_owned());
            row.push(why(result));
            table.add_row(row);
        }
        println!("{table}");
    }
}

pub fn run(args: &VerifyArgs) -> Exit {
    reads::run(&args.read, || async {
        // Names are checked before the account is opened: a typo needs no credentials.
        probes(&args.checks, |_| Ok(Vec::new()))?;
        let cloud = account::open(&args.read.account).await?;
        let account = cloud.account().id.clone();
        let probes = probes(&args.checks, |document| own_checks(&account, document))?;
        if probes.is_empty() {
            return Err(AppError::invalid_input(
                "there is nothing to check: the named own checks are empty on this account",
            ));
        }
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
        verification.print_table(None);
        println!("{}", verification.summary.en);
        Ok(verification.exit())
    })
}

/// The checks the user added to `document` on `account` in the app (its settings file); a
/// settings file that cannot be read is said on stderr and gives none.
pub fn own_checks(account: &str, document: &str) -> Result<Vec<Probe>, AppError> {
    let path = crate::resolver::config_dir()?.join("settings.toml");
    let loaded = unyo_core::settings::load(&path)?;
    if let Some(problem) = loaded.problem {
        eprintln!("Your own checks could not be read: {}", problem.message);
    }
    Ok(loaded.settings.own_checks(account, document))
}

/// The probes of every named set, in the order named, each probe once; `own:DOCUMENT` names
/// the checks `own` finds for that document.
fn probes(
    names: &[String],
    own: impl Fn(&str) -> Result<Vec<Probe>, AppError>,
) -> Result<Vec<Probe>, AppError> {
    let mut probes: Vec<Probe> = Vec::new();
    for name in names {
        let set = match name.strip_prefix("own:") {
            Some(document) if !document.is_empty() => own(document)?,
            _ => catalog::named(name).ok_or_else(|| {
                AppError::invalid_input(format!(
                    "there is no check set called `{name}`; known check sets: {}, or own:DOCUMENT",
                    catalog::NAMED.join(", ")
                ))
            })?,
        };
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
    fn a_set_named_twice_runs_once_and_an_unknown_one_lists_the_known() {
        let none = |_: &str| Ok(Vec::new());
        let twice = probes(&["sshd".into(), "ssh".into()], none).unwrap_or_default();
        assert_eq!(twice, catalog::ssh());
        let Err(err) = probes(&["nginx".into()], none) else {
            panic!("an unknown name was accepted");
        };
        assert!(
            err.message.contains("sshd, rdp, agent, or own:DOCUMENT"),
            "{}",
            err.message
        );
    }

    #[test]
    fn own_checks_are_named_by_their_document_and_join_the_named_sets_once() {
        let nginx = Probe::ServiceActive {
            service: "nginx".into(),
        };
        let sshd = catalog::ssh()[0].clone();
        let own = |document: &str| {
            assert_eq!(document, "AWS-RunShellScript");
            Ok(vec![sshd.clone(), nginx.clone()])
        };
        let all =
            probes(&["sshd".into(), "own:AWS-RunShellScript".into()], own).unwrap_or_default();
        assert_eq!(all.len(), catalog::ssh().len() + 1);
        assert_eq!(all.last(), Some(&nginx));
    }
}
