//! Verification after a change: typed probes, each with its own verdict and evidence, so a
//! runbook's "Success" is never taken for the outcome. A runbook such as
//! `AWSSupport-TroubleshootSSH` can report Success while sshd stays stopped; the probes ask
//! the host itself (is sshd active, does `sshd -t` pass, is `sshd_config` owned by root with a
//! mode no wider than 0644, is port 22 listening) and say passed, failed or unknown for each.
//!
//! - [`Probe`]: what to check, as data; [`script`] turns probes into one Run Command script
//!   (shell or PowerShell) with one marked section per probe, and [`parse`] reads each
//!   section's output and exit status back into a [`CheckResult`]. A probe whose command could
//!   not run, or whose section is missing or cut off, is *unknown*, never passed; no line of
//!   one probe can change another's verdict.
//! - [`catalog`]: the probes that prove a runbook's goal.
//! - [`run_checks`]: the use case over the account's Run Command, for every adapter;
//!   [`recovery::run_verified`]: a runbook with its baseline and its verification.

pub mod catalog;
mod parse;
mod probe;
pub mod recovery;
mod run;
pub mod script;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::localized::Localized;

pub use parse::parse;
pub use probe::Probe;
pub use run::{VerifyRequest, run_checks};

/// A probe's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Verdict {
    Passed,
    Failed,
    /// The probe could not be run or read (command missing, output cut off, no answer).
    Unknown,
}

/// One probe's verdict, what it means in a sentence, and the output it was judged on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CheckResult {
    pub probe: Probe,
    pub verdict: Verdict,
    /// e.g. "sshd is inactive", "sshd_config mode 0655 is wider than 0644".
    pub summary: Localized,
    /// The probe's own output, as the host printed it (trimmed).
    pub evidence: String,
}

/// The verdict of a whole verification: failed when any probe failed, unknown when none
/// failed but some could not be read, passed only when every probe passed.
pub fn overall(results: &[CheckResult]) -> Verdict {
    if results.iter().any(|r| r.verdict == Verdict::Failed) {
        Verdict::Failed
    } else if results.is_empty() || results.iter().any(|r| r.verdict == Verdict::Unknown) {
        Verdict::Unknown
    } else {
        Verdict::Passed
    }
}

/// "2 of 7 checks failed: sshd is inactive; sshd_config mode 0655 is wider than 0644", in
/// both languages, for the line beside the runbook's own status and the timeline.
pub fn summarize(results: &[CheckResult]) -> Localized {
    let count = |v: Verdict| results.iter().filter(|r| r.verdict == v).count();
    let total = results.len();
    let (failed, unknown) = (count(Verdict::Failed), count(Verdict::Unknown));
    let reasons = |v: Verdict, ja: bool| {
        results
            .iter()
            .filter(|r| r.verdict == v)
            .map(|r| {
                if ja {
                    r.summary.ja.clone()
                } else {
                    r.summary.en.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(if ja { "、" } else { "; " })
    };
    match overall(results) {
        Verdict::Passed => Localized::new(
            format!("all {total} checks passed"),
            format!("{total} 件のチェックすべてに合格"),
        ),
        Verdict::Failed => Localized::new(
            format!(
                "{failed} of {total} checks failed: {}",
                reasons(Verdict::Failed, false)
            ),
            format!(
                "{total} 件中 {failed} 件のチェックが不合格: {}",
                reasons(Verdict::Failed, true)
            ),
        ),
        Verdict::Unknown if total == 0 => {
            Localized::new("no checks ran", "実行したチェックはありません")
        }
        Verdict::Unknown => Localized::new(
            format!(
                "{unknown} of {total} checks could not be read: {}",
                reasons(Verdict::Unknown, false)
            ),
            format!(
                "{total} 件中 {unknown} 件のチェックを確認できませんでした: {}",
                reasons(Verdict::Unknown, true)
            ),
        ),
    }
}
