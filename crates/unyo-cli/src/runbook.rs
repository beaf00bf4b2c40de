//! `unyo runbook run`: runs an Automation runbook on an instance and then checks its goal on
//! the host. It shows the change first (API call, AWS CLI, what happens) and, unless `--yes`,
//! asks for the instance id typed back; it runs the checks once before a runbook that can
//! change resources, follows the execution step by step, and when it ends, whatever its
//! status, runs the checks again (the catalog's and the user's own, `catalog::guide`),
//! because a runbook's own "Success" is not its outcome.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use clap::{Args, Subcommand};
use serde::Serialize;
use unyo_core::automation::{
    AutomationExecution, AutomationParameters, ExecutionStatus, StartAutomationRequest,
};
use unyo_core::change::CalendarStatus;
use unyo_core::verify::recovery::{Pace, run_verified};
use unyo_core::verify::{VerifyRequest, catalog};
use unyo_core::{AppError, Cloud, ErrorCode};

use crate::account;
use crate::exit::Exit;
use crate::output;
use crate::reads::{self, ReadArgs};
use crate::verify::{self, Verification};

/// How often a running execution is read back.
const FOLLOW: Duration = Duration::from_secs(2);

/// The parameter the target instance fills, as the incident runbooks name it.
const TARGET_PARAMETER: &str = "InstanceId";

#[derive(Debug, Subcommand)]
pub enum RunbookCommand {
    /// Run a runbook on an instance, follow its steps, then verify its goal on the host.
    Run(RunArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// The runbook, e.g. AWSSupport-TroubleshootSSH (`unyo runbooks` lists them).
    #[arg(value_name = "NAME")]
    name: String,
    /// The instance it runs on (its InstanceId parameter) and the checks run on afterwards.
    #[arg(long, value_name = "INSTANCE")]
    target: String,
    /// A runbook parameter (repeatable; a key given twice is a list), e.g. Action=FixAll.
    #[arg(long = "param", value_name = "K=V", value_parser = parse_param)]
    params: Vec<(String, String)>,
    /// Start without asking to type the instance id (required when stdin is not a terminal).
    #[arg(long)]
    yes: bool,
}

/// What `--json` prints once the execution has ended.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Outcome {
    execution: AutomationExecution,
    /// The checks before a runbook that can change resources; absent otherwise, or when they
    /// could not be run.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<Verification>,
    /// `null` when the runbook has no checks of its own.
    verification: Option<Verification>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verification_error: Option<AppError>,
}

pub fn run(command: &RunbookCommand) -> Exit {
    match command {
        RunbookCommand::Run(args) => reads::run(&args.read, || start(args)),
    }
}

async fn start(args: &RunArgs) -> Result<Exit, AppError> {
    let parameters = parameters(&args.target, &args.params)?;
    let cloud = account::open(&args.read.account).await?;
    let region = reads::region(cloud.as_ref(), &args.read.account)?;
    let request = StartAutomationRequest {
        region: region.clone(),
        document_name: args.name.clone(),
        parameters,
    };
    let guide = catalog::guide(
        &args.name,
        verify::own_checks(&cloud.account().id, &args.name)?,
    );
    let preview = request.describe();
    // People read the preview on stdout; with --json, stdout stays one document.
    let mut lines = vec![
        preview.summary.en.clone(),
        format!("  API call: {}", preview.api_call),
        format!("  AWS CLI:  {}", preview.cli),
    ];
    if let Some(changes) = &guide.changes {
        lines.push(format!("  Changes:  {}", changes.en));
    }
    let probes = guide.all_checks();
    lines.push(if probes.is_empty() {
        "  Checks:   none for this runbook (add your own in the app)".to_owned()
    } else {
        let names: Vec<String> = probes.iter().map(|p| p.describe().en).collect();
        format!("  Checks:   {}", names.join("; "))
    });
    if let Some(line) = calendar_line(cloud.as_ref(), &region, &args.read).await {
        lines.push(line);
    }
    say(args.read.json, &lines.join("\n"));
    if !args.yes {
        confirm(&args.target)?;
    }
    if !probes.is_empty() {
        let checks = VerifyRequest {
            region: region.clone(),
            instance_id: args.target.clone(),
            probes: probes.clone(),
        };
        args.read.explain([checks.command()?.describe().cli]);
    }
    let mut seen: HashMap<String, ExecutionStatus> = HashMap::new();
    let mut announced = false;
    let pace = Pace {
        poll: FOLLOW,
        checks_limit: verify::LIMIT,
    };
    let run = run_verified(
        cloud.as_ref(),
        &request,
        &args.target,
        probes,
        pace,
        |execution| {
            if !announced {
                announced = true;
                say(
                    args.read.json,
                    &format!("Started execution {}", execution.execution_id),
                );
                args.read.explain([execution.cli()]);
            }
            for line in step_lines(execution, &mut seen) {
                say(args.read.json, &line);
            }
        },
    )
    .await?;
    let execution = run.execution;
    let checked = run.after.map(|r| r.map(Verification::new));
    let baseline = run.baseline.and_then(Result::ok).map(Verification::new);
    let exit = exit_code(execution.status, checked.as_ref());
    let runbook_line = format!("Runbook: {:?}.", execution.status);
    let (verification, verification_error) = match checked {
        None => (None, None),
        Some(Ok(v)) => (Some(v), None),
        Some(Err(e)) => (None, Some(e)),
    };
    if args.read.json {
        let written = output::json(&Outcome {
            execution,
            baseline,
            verification,
            verification_error,
        });
        return Ok(if written == Exit::Ok { exit } else { written });
    }
    let verdict = match (&verification, &verification_error) {
        (Some(v), _) => {
            v.print_table(baseline.as_ref());
            v.summary.en.clone()
        }
        (None, Some(e)) => format!("could not run: {} ({:?})", e.message, e.code),
        (None, None) => "none for this runbook".to_owned(),
    };
    println!("{runbook_line} Verification: {verdict}");
    Ok(exit)
}

/// The region's Change Calendar state for the preview, when the account has calendars there;
/// a calendar that cannot be read is said, and the run stays the user's call.
async fn calendar_line(cloud: &dyn Cloud, region: &str, read: &ReadArgs) -> Option<String> {
    let control = cloud.change_control()?;
    match control.calendar_state(region).await {
        Ok(None) => None,
        Ok(Some(state)) => {
            read.explain([state.cli(region)]);
            let mut line = format!(
                "  Calendar: {} ({})",
                match state.status {
                    CalendarStatus::Open => "OPEN: changes are allowed now",
                    CalendarStatus::Closed =>
                        "CLOSED: changes are blocked now; a runbook that checks it will be refused",
                },
                state.calendars.join(", ")
            );
            if let Some(next) = state.next_transition {
                line.push_str(&format!("; it changes at {next}"));
            }
            Some(line)
        }
        Err(e) => Some(format!("  Calendar: could not be read ({})", e.message)),
    }
}

/// 0 only when the runbook succeeded and its checks passed (or it has none); 1 when either
/// failed; Partial when it succeeded but its checks could not all be read.
fn exit_code(status: ExecutionStatus, checked: Option<&Result<Verification, AppError>>) -> Exit {
    if status != ExecutionStatus::Success {
        return Exit::Failed;
    }
    match checked {
        None => Exit::Ok,
        Some(Ok(verification)) => verification.exit(),
        Some(Err(_)) => Exit::Partial,
    }
}

/// A line for each step whose status changed since the last read, and the execution's
/// failure once it has ended.
fn step_lines(
    execution: &AutomationExecution,
    seen: &mut HashMap<String, ExecutionStatus>,
) -> Vec<String> {
    let mut lines = Vec::new();
    for step in &execution.steps {
        if seen.get(&step.step_name) == Some(&step.status) {
            continue;
        }
        seen.insert(step.step_name.clone(), step.status);
        let mut line = format!("  {}  {}  {:?}", step.step_name, step.action, step.status);
        if let Some(why) = &step.failure_message {
            line.push_str(&format!(": {why}"));
        }
        lines.push(line);
    }
    if execution.status.is_finished()
        && let Some(why) = &execution.failure_message
    {
        lines.push(format!("  {why}"));
    }
    lines
}

/// A line for people: stdout, or stderr when stdout carries the JSON document.
fn say(json: bool, line: &str) {
    if json {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

/// Asks for the instance id typed back; a script must say `--yes` instead, since nobody is
/// there to read the preview.
fn confirm(target: &str) -> Result<(), AppError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(AppError::invalid_input(
            "nothing was started: stdin is not a terminal, so the change cannot be confirmed; \
             read the preview above and pass --yes to run it from a script",
        ));
    }
    eprint!("Type the instance id ({target}) to run it: ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("cannot read stdin: {e}")))?;
    if line.trim() == target {
        Ok(())
    } else {
        Err(AppError::invalid_input(format!(
            "nothing was started: `{}` is not {target}",
            line.trim()
        )))
    }
}

/// The runbook's parameters: `--param`s, a key given twice making a list, and InstanceId the
/// target unless it is given as the same instance.
fn parameters(target: &str, params: &[(String, String)]) -> Result<AutomationParameters, AppError> {
    let mut parameters: AutomationParameters = BTreeMap::new();
    for (key, value) in params {
        parameters
            .entry(key.clone())
            .or_default()
            .push(value.clone());
    }
    match parameters.get(TARGET_PARAMETER) {
        Some(ids) if ids.as_slice() != [target] => Err(AppError::invalid_input(format!(
            "--param {TARGET_PARAMETER}={} disagrees with --target {target}; the checks run on the target",
            ids.join(",")
        ))),
        Some(_) => Ok(parameters),
        None => {
            parameters.insert(TARGET_PARAMETER.to_owned(), vec![target.to_owned()]);
            Ok(parameters)
        }
    }
}

fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("`{text}` is not KEY=VALUE")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_fills_instance_id_and_a_repeated_key_is_a_list() {
        let params = [
            ("Action".to_owned(), "FixAll".to_owned()),
            ("Tag".to_owned(), "a".to_owned()),
            ("Tag".to_owned(), "b".to_owned()),
        ];
        let filled = parameters("i-1", &params).unwrap_or_default();
        assert_eq!(filled["InstanceId"], ["i-1"]);
        assert_eq!(filled["Tag"], ["a", "b"]);
        let other = [("InstanceId".to_owned(), "i-2".to_owned())];
        assert!(parameters("i-1", &other).is_err());
        assert_eq!(parse_param("A=b=c"), Ok(("A".into(), "b=c".into())));
        assert!(parse_param("=x").is_err());
    }

    #[test]
    fn only_a_succeeded_runbook_whose_checks_passed_exits_zero() {
        use ExecutionStatus::*;
        assert_eq!(exit_code(Success, None), Exit::Ok);
        assert_eq!(exit_code(Failed, None), Exit::Failed);
        // No results is unknown, never passed.
        let empty = Ok(Verification::new(Vec::new()));
        assert_eq!(exit_code(Success, Some(&empty)), Exit::Partial);
        assert_eq!(exit_code(TimedOut, Some(&empty)), Exit::Failed);
        let error = Err(AppError::invalid_input("no run command"));
        assert_eq!(exit_code(Success, Some(&error)), Exit::Partial);
    }
}
