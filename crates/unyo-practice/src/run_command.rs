//! Run Command on the practice account: `AWS-RunShellScript` runs each line of the script
//! through the simulated shell as root on every target, so a cleanup script really frees the
//! disk and a restart really restarts. Each invocation reports InProgress for its few
//! simulated seconds, then its status, exit code and output. The simulated shell does not
//! keep standard error apart, so error messages arrive in `stdout` and `stderr` stays empty.
//! `AWS-UpdateSSMAgent` brings a target's agent to the latest version (the readiness doctor's
//! fix for an old agent), on Linux and Windows alike.

use std::collections::BTreeMap;

use unyo_core::readiness::fixes::UPDATE_AGENT_DOCUMENT;
use unyo_core::run_command::{
    CommandExecution, CommandInvocation, CommandStatus, RUN_SHELL_SCRIPT, SendCommandRequest,
};
use unyo_core::{AppError, Instance, InstanceState, PingStatus, Platform};

use crate::account::{Account, Call, LEARNER, LEARNER_ARN, check_region};
use crate::clock::rfc3339;
use crate::host::Host;
use crate::shell::PracticeShell;

/// How long an invocation runs, in simulated seconds.
const RUN_SECONDS: i64 = 2;

/// The newest SSM Agent the practice account knows, which `AWS-UpdateSSMAgent` installs (the
/// version the fleet data's current agents run).
const LATEST_AGENT: &str = "3.3.1142.0";

/// `AWS-UpdateSSMAgent` on one instance: the agent's version afterwards and the plugin's output.
fn update_agent(account: &mut Account, instance: &Instance) -> String {
    let from = instance.agent_version.clone().unwrap_or_default();
    if from == LATEST_AGENT {
        return format!(
            "amazon-ssm-agent {LATEST_AGENT} has already been installed, update skipped\n"
        );
    }
    account
        .agents
        .insert(instance.id.clone(), LATEST_AGENT.to_owned());
    format!(
        "Updating amazon-ssm-agent from {from} to {LATEST_AGENT}\nSuccessfully downloaded manifest\nSuccessfully downloaded updater version {LATEST_AGENT}\nUpdating amazon-ssm-agent from {from} to {LATEST_AGENT}\nSuccessfully installed amazon-ssm-agent {LATEST_AGENT}\n"
    )
}

/// Runs `commands` as Run Command would on one host: a fresh root shell, line by line;
/// the exit status is the last command's.
fn run_script(host: &mut Host, commands: &[String]) -> (String, i32) {
    let mut shell = PracticeShell::as_root();
    let mut output = String::new();
    for line in commands {
        output.push_str(&shell.execute(host, line));
        if shell.is_closed() {
            break;
        }
    }
    host.record_load();
    (output, shell.last_status())
}

pub fn send(
    account: &mut Account,
    hosts: &mut BTreeMap<String, Host>,
    instances: &[Instance],
    request: &SendCommandRequest,
    now: i64,
) -> Result<String, AppError> {
    check_region(&request.region)?;
    let update = request.document_name == UPDATE_AGENT_DOCUMENT;
    if !update && request.document_name != RUN_SHELL_SCRIPT {
        return Err(AppError::invalid_input(format!(
            "the practice account runs {RUN_SHELL_SCRIPT} and {UPDATE_AGENT_DOCUMENT} only, not {}",
            request.document_name
        )));
    }
    let no_script = request.commands.iter().all(|c| c.trim().is_empty());
    if request.instance_ids.is_empty() || (!update && no_script) {
        return Err(AppError::invalid_input(
            "a command needs at least one instance and one line to run",
        ));
    }
    let mut targets = Vec::new();
    for id in &request.instance_ids {
        let instance = instances
            .iter()
            .find(|i| &i.id == id && i.region == request.region)
            .map(|i| account.instance(i.clone()));
        match instance {
            Some(i)
                if i.state == InstanceState::Running
                    && i.ping_status == PingStatus::Online
                    && (update || i.platform == Platform::Linux) =>
            {
                targets.push(i)
            }
            Some(i) if i.platform != Platform::Linux => {
                return Err(AppError::invalid_input(format!(
                    "{id} runs Windows; AWS-RunShellScript is for Linux (use AWS-RunPowerShellScript on a real account)"
                )));
            }
            // SendCommand refuses the whole request when a target cannot receive it.
            _ => {
                return Err(AppError::invalid_input(format!(
                    "InvalidInstanceId: {id} is not in a valid state for Run Command (it must be running and its SSM Agent online)"
                )));
            }
        }
    }
    let command_id = account.next_uuid();
    let mut invocations = Vec::new();
    for instance in &targets {
        let (stdout, code) = if update {
            (update_agent(account, instance), 0)
        } else {
            crate::metrics::with_host(hosts, instance, now + 1, |host| {
                run_script(host, &request.commands)
            })
        };
        invocations.push(CommandInvocation {
            instance_id: instance.id.clone(),
            status: if code == 0 {
                CommandStatus::Success
            } else {
                CommandStatus::Failed
            },
            response_code: Some(code),
            stdout,
            stderr: String::new(),
            started_at: Some(rfc3339(now + 1)),
            ended_at: Some(rfc3339(now + 1 + RUN_SECONDS)),
        });
    }
    account.record(
        &request.region,
        now,
        Call {
            name: "SendCommand",
            source: "ssm.amazonaws.com",
            user: LEARNER,
            user_arn: LEARNER_ARN,
            request: serde_json::json!({
                "documentName": request.document_name,
                "instanceIds": request.instance_ids,
                "parameters": if update { serde_json::json!({}) } else { serde_json::json!({"commands": request.commands}) },
                "comment": request.comment,
            }),
            resources: targets
                .iter()
                .map(|i| ("AWS::EC2::Instance", i.id.as_str()))
                .collect(),
        },
    );
    let execution = CommandExecution {
        command_id: command_id.clone(),
        region: request.region.clone(),
        document_name: request.document_name.clone(),
        commands: request.commands.clone(),
        comment: request.comment.clone(),
        requested_at: rfc3339(now),
        status: CommandStatus::Success,
        invocations,
    };
    account.commands.push((now, execution));
    Ok(command_id)
}

/// The command as it looks at `now`: in progress until its invocations have had their time.
fn view(sent: i64, execution: &CommandExecution, now: i64) -> CommandExecution {
    let mut view = execution.clone();
    let running = now < sent + 1 + RUN_SECONDS;
    for invocation in &mut view.invocations {
        if running {
            invocation.status = CommandStatus::InProgress;
            invocation.response_code = None;
            invocation.stdout.clear();
            invocation.ended_at = None;
        }
    }
    view.status = if running {
        CommandStatus::InProgress
    } else if view
        .invocations
        .iter()
        .all(|i| i.status == CommandStatus::Success)
    {
        CommandStatus::Success
    } else {
        CommandStatus::Failed
    };
    view
}

pub fn get(
    account: &Account,
    region: &str,
    command_id: &str,
    now: i64,
) -> Result<CommandExecution, AppError> {
    check_region(region)?;
    account
        .commands
        .iter()
        .find(|(_, c)| c.command_id == command_id && c.region == region)
        .map(|(sent, c)| view(*sent, c, now))
        .ok_or_else(|| {
            AppError::invalid_input(format!(
                "no command {command_id} in {region} (InvalidCommandId)"
            ))
        })
}

pub fn list(account: &Account, region: &str, now: i64) -> Result<Vec<CommandExecution>, AppError> {
    check_region(region)?;
    Ok(account
        .commands
        .iter()
        .rev()
        .filter(|(_, c)| c.region == region)
        .map(|(sent, c)| view(*sent, c, now))
        .collect())
}

#[cfg(test)]
mod tests {
    use unyo_core::verify::{Verdict, catalog, parse, script};

    use super::*;

    fn verdicts(host: &mut Host) -> Vec<Verdict> {
        let probes = catalog::ssh();
        let (stdout, _) = run_script(host, &script::lines(&probes));
        parse(&probes, &stdout).iter().map(|r| r.verdict).collect()
    }

    #[test]
    fn the_ssh_checks_pass_on_a_healthy_host() {
        let mut host = Host::amazon_linux_web("ip-10-0-1-11");
        assert_eq!(verdicts(&mut host), [Verdict::Passed; 5]);
    }

    #[test]
    fn each_ssh_check_fails_on_its_own_breakage() {
        use Verdict::{Failed, Passed};
        let mut host = Host::amazon_linux_web("ip-10-0-1-11");
        let mut shell = PracticeShell::as_root();
        shell.execute(&mut host, "systemctl stop sshd");
        assert_eq!(
            verdicts(&mut host),
            [Failed, Passed, Passed, Passed, Failed]
        );
        shell.execute(&mut host, "chmod 655 /etc/ssh/sshd_config");
        shell.execute(&mut host, "systemctl disable sshd");
        assert_eq!(
            verdicts(&mut host),
            [Failed, Failed, Passed, Failed, Failed]
        );
        shell.execute(&mut host, "rm /etc/ssh/sshd_config");
        let probes = catalog::ssh();
        let (stdout, _) = run_script(&mut host, &script::lines(&probes));
        let results = parse(&probes, &stdout);
        assert_eq!(results[2].verdict, Failed);
        assert!(
            results[2].summary.en.contains("No such file"),
            "{results:?}"
        );
        assert_eq!(results[3].summary.en, "/etc/ssh/sshd_config does not exist");
    }
}
