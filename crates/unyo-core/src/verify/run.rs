//! Running probes on an instance through the account's Run Command, once for every adapter:
//! one command with a section per probe, followed until the instance's invocation ends, then
//! each section judged. A command that cannot be sent is an error; an instance that never
//! answers within the limit leaves every probe unknown, never passed.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{CheckResult, Probe, Verdict, parse, script};
use crate::AppError;
use crate::cloud::RunCommand;
use crate::localized::Localized;
use crate::run_command::{
    CommandStatus, RUN_POWERSHELL_SCRIPT, RUN_SHELL_SCRIPT, SendCommandRequest,
};

/// Which probes to run on which instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VerifyRequest {
    pub region: String,
    pub instance_id: String,
    pub probes: Vec<Probe>,
}

impl VerifyRequest {
    /// The Run Command that runs the probes: `AWS-RunShellScript`, or
    /// `AWS-RunPowerShellScript` for Windows probes. They only read, but they run as root or
    /// SYSTEM like any command, so the UI shows this before it is sent.
    pub fn command(&self) -> Result<SendCommandRequest, AppError> {
        let windows = self.probes.iter().filter(|p| p.is_windows()).count();
        if windows != 0 && windows != self.probes.len() {
            return Err(AppError::invalid_input(
                "a verification runs Linux or Windows checks, not both on one instance",
            ));
        }
        if self.probes.is_empty() {
            return Err(AppError::invalid_input("there is nothing to check"));
        }
        Ok(SendCommandRequest {
            region: self.region.clone(),
            document_name: if windows > 0 {
                RUN_POWERSHELL_SCRIPT
            } else {
                RUN_SHELL_SCRIPT
            }
            .to_owned(),
            instance_ids: vec![self.instance_id.clone()],
            commands: script::lines(&self.probes),
            comment: Some("Unyo verification (read-only checks)".to_owned()),
            timeout_seconds: Some(120),
        })
    }
}

/// Sends the probes, follows the command every `poll` for at most `limit`, and judges each.
pub async fn run_checks(
    run: &dyn RunCommand,
    request: &VerifyRequest,
    poll: Duration,
    limit: Duration,
) -> Result<Vec<CheckResult>, AppError> {
    let command = request.command()?;
    let command_id = run.send_command(&command).await?;
    let started = tokio::time::Instant::now();
    loop {
        let execution = run.get_command(&request.region, &command_id).await?;
        let invocation = execution
            .invocations
            .iter()
            .find(|i| i.instance_id == request.instance_id);
        if let Some(invocation) = invocation.filter(|i| is_finished(i.status)) {
            let results = parse(&request.probes, &invocation.stdout);
            return Ok(explain_unread(
                results,
                invocation.status,
                &invocation.stderr,
            ));
        }
        if started.elapsed() >= limit {
            return Ok(all_unknown(
                &request.probes,
                Localized::new(
                    format!("the instance did not answer within {} s", limit.as_secs()),
                    format!(
                        "{} 秒以内にインスタンスから応答がありませんでした",
                        limit.as_secs()
                    ),
                ),
            ));
        }
        tokio::time::sleep(poll).await;
    }
}

fn is_finished(status: CommandStatus) -> bool {
    !matches!(
        status,
        CommandStatus::Pending | CommandStatus::InProgress | CommandStatus::Delayed
    )
}

/// When the command itself failed before any probe ran (no markers in the output), every
/// probe is unknown with the command's status and error, not "the check did not run".
fn explain_unread(
    results: Vec<CheckResult>,
    status: CommandStatus,
    stderr: &str,
) -> Vec<CheckResult> {
    if status == CommandStatus::Success || results.iter().any(|r| r.verdict != Verdict::Unknown) {
        return results;
    }
    let why = stderr.lines().next().unwrap_or_default().trim().to_owned();
    results
        .into_iter()
        .map(|mut r| {
            r.summary = Localized::new(
                format!(
                    "{}: the command ended {status:?} ({why})",
                    r.probe.describe().en
                ),
                format!(
                    "{}: コマンドは {status:?} で終了（{why}）",
                    r.probe.describe().ja
                ),
            );
            r.evidence = stderr.trim().to_owned();
            r
        })
        .collect()
}

fn all_unknown(probes: &[Probe], why: Localized) -> Vec<CheckResult> {
    probes
        .iter()
        .map(|probe| CheckResult {
            probe: probe.clone(),
            verdict: Verdict::Unknown,
            summary: Localized::new(
                format!("{}: {}", probe.describe().en, why.en),
                format!("{}: {}", probe.describe().ja, why.ja),
            ),
            evidence: String::new(),
        })
        .collect()
}
