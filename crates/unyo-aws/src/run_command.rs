//! Run Command on a real account: sending a document to instances (`SendCommand`) and reading
//! the command with each instance's status and output (`ListCommands`, then
//! `ListCommandInvocations` with details), in the shapes the incident screen and the doctor
//! follow.
//!
//! `ListCommandInvocations` keeps the first 2,500 characters of each plugin's output, with
//! standard error after a `----------ERROR-------` line; they are split apart here. Right after
//! `SendCommand` an instance may have no invocation yet: it is listed as `Pending`.

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_ssm::types::{self as ssm, CommandInvocationStatus};
use aws_smithy_types::date_time::Format;
use unyo_core::AppError;
use unyo_core::cloud::RunCommand;
use unyo_core::run_command::{
    CommandExecution, CommandInvocation, CommandStatus, SendCommandRequest,
};

use crate::automation::no_id;
use crate::cloud::AwsCloud;
use crate::error::from_action;

/// How many recent commands the history lists.
const RECENT: usize = 50;

#[async_trait]
impl RunCommand for AwsCloud {
    async fn send_command(&self, request: &SendCommandRequest) -> Result<String, AppError> {
        send(&self.regional(&request.region)?.ssm, request).await
    }

    async fn get_command(
        &self,
        region: &str,
        command_id: &str,
    ) -> Result<CommandExecution, AppError> {
        get(&self.regional(region)?.ssm, region, command_id).await
    }

    async fn list_commands(&self, region: &str) -> Result<Vec<CommandExecution>, AppError> {
        recent(&self.regional(region)?.ssm, region).await
    }
}

/// The region's newest commands, newest first, without their invocations (each names its
/// instances, which `get` reads one command at a time).
pub async fn recent(
    ssm: &aws_sdk_ssm::Client,
    region: &str,
) -> Result<Vec<CommandExecution>, AppError> {
    let mut found = Vec::new();
    let mut pages = ssm.list_commands().max_results(50).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_action("ssm:ListCommands", &e))?;
        found.extend(page.commands.unwrap_or_default().into_iter().map(|c| {
            let mut listed = execution_of(region, c, Vec::new());
            listed.invocations.clear();
            listed
        }));
        if found.len() >= RECENT {
            break;
        }
    }
    found.sort_by(|a, b| b.requested_at.cmp(&a.requested_at));
    found.truncate(RECENT);
    Ok(found)
}

/// Where AWS puts standard error in a plugin's output.
const ERROR_MARKER: &str = "----------ERROR-------";

/// Sends the command and returns its id. A request without `commands` (a document such as
/// `AWS-UpdateSSMAgent`) is sent with the document's own defaults.
pub async fn send(
    ssm: &aws_sdk_ssm::Client,
    request: &SendCommandRequest,
) -> Result<String, AppError> {
    const ACTION: &str = "ssm:SendCommand";
    if request.instance_ids.is_empty() {
        return Err(AppError::invalid_input(
            "a command needs at least one instance",
        ));
    }
    let parameters = (!request.commands.is_empty())
        .then(|| HashMap::from([("commands".to_owned(), request.commands.clone())]));
    let out = ssm
        .send_command()
        .document_name(&request.document_name)
        .set_instance_ids(Some(request.instance_ids.clone()))
        .set_parameters(parameters)
        .set_comment(request.comment.clone())
        .set_timeout_seconds(request.timeout_seconds.and_then(|s| i32::try_from(s).ok()))
        .send()
        .await
        .map_err(|e| from_action(ACTION, &e))?;
    out.command
        .and_then(|c| c.command_id)
        .ok_or_else(|| no_id(ACTION, "a command id"))
}

/// The command and each instance's status and output, as they are now.
pub async fn get(
    ssm: &aws_sdk_ssm::Client,
    region: &str,
    command_id: &str,
) -> Result<CommandExecution, AppError> {
    let listed = ssm
        .list_commands()
        .command_id(command_id)
        .send()
        .await
        .map_err(|e| from_action("ssm:ListCommands", &e))?;
    let command = listed
        .commands
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or_else(|| {
            AppError::invalid_input(format!("there is no command {command_id} in {region}"))
        })?;
    let mut invocations = Vec::new();
    let mut pages = ssm
        .list_command_invocations()
        .command_id(command_id)
        .details(true)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_action("ssm:ListCommandInvocations", &e))?;
        invocations.extend(
            page.command_invocations
                .unwrap_or_default()
                .into_iter()
                .map(invocation_of),
        );
    }
    Ok(execution_of(region, command, invocations))
}

fn time(at: Option<&aws_smithy_types::DateTime>) -> Option<String> {
    at.and_then(|t| t.fmt(Format::DateTime).ok())
}

fn command_status(status: Option<&ssm::CommandStatus>) -> CommandStatus {
    match status {
        Some(ssm::CommandStatus::InProgress) => CommandStatus::InProgress,
        Some(ssm::CommandStatus::Success) => CommandStatus::Success,
        Some(ssm::CommandStatus::Cancelled) => CommandStatus::Cancelled,
        Some(ssm::CommandStatus::Cancelling) => CommandStatus::Cancelling,
        Some(ssm::CommandStatus::TimedOut) => CommandStatus::TimedOut,
        Some(ssm::CommandStatus::Failed) => CommandStatus::Failed,
        _ => CommandStatus::Pending,
    }
}

fn invocation_status(status: Option<&CommandInvocationStatus>) -> CommandStatus {
    use CommandInvocationStatus as S;
    match status {
        Some(S::InProgress) => CommandStatus::InProgress,
        Some(S::Delayed) => CommandStatus::Delayed,
        Some(S::Success) => CommandStatus::Success,
        Some(S::Cancelled) => CommandStatus::Cancelled,
        Some(S::Cancelling) => CommandStatus::Cancelling,
        Some(S::TimedOut) => CommandStatus::TimedOut,
        Some(S::Failed) => CommandStatus::Failed,
        _ => CommandStatus::Pending,
    }
}

/// Standard output and standard error of one plugin's output text.
fn split_output(output: &str) -> (String, String) {
    match output.split_once(ERROR_MARKER) {
        Some((out, err)) => (out.to_owned(), err.trim_start_matches('\n').to_owned()),
        None => (output.to_owned(), String::new()),
    }
}

fn invocation_of(invocation: ssm::CommandInvocation) -> CommandInvocation {
    let plugins = invocation.command_plugins.unwrap_or_default();
    let status = invocation_status(invocation.status.as_ref());
    let (mut stdout, mut stderr) = (String::new(), String::new());
    for plugin in &plugins {
        let (out, err) = split_output(plugin.output.as_deref().unwrap_or_default());
        stdout.push_str(&out);
        stderr.push_str(&err);
    }
    let finished = !matches!(
        status,
        CommandStatus::Pending | CommandStatus::InProgress | CommandStatus::Delayed
    );
    CommandInvocation {
        instance_id: invocation.instance_id.unwrap_or_default(),
        status,
        // The last plugin's code, once the invocation has ended (-1 while it runs).
        response_code: plugins
            .last()
            .map(|p| p.response_code)
            .filter(|code| finished && *code >= 0),
        stdout,
        stderr,
        started_at: plugins
            .first()
            .and_then(|p| time(p.response_start_date_time.as_ref())),
        ended_at: plugins
            .last()
            .and_then(|p| time(p.response_finish_date_time.as_ref()))
            .filter(|_| finished),
    }
}

fn execution_of(
    region: &str,
    command: ssm::Command,
    mut invocations: Vec<CommandInvocation>,
) -> CommandExecution {
    for id in command.instance_ids.as_deref().unwrap_or_default() {
        if !invocations.iter().any(|i| &i.instance_id == id) {
            invocations.push(CommandInvocation {
                instance_id: id.clone(),
                status: CommandStatus::Pending,
                response_code: None,
                stdout: String::new(),
                stderr: String::new(),
                started_at: None,
                ended_at: None,
            });
        }
    }
    CommandExecution {
        command_id: command.command_id.unwrap_or_default(),
        region: region.to_owned(),
        document_name: command.document_name.unwrap_or_default(),
        commands: command
            .parameters
            .and_then(|mut p| p.remove("commands"))
            .unwrap_or_default(),
        comment: command.comment.filter(|c| !c.is_empty()),
        requested_at: time(command.requested_date_time.as_ref()).unwrap_or_default(),
        status: command_status(command.status.as_ref()),
        invocations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_error_is_split_from_standard_output() {
        assert_eq!(
            split_output("ok\n----------ERROR-------\nno such file\n"),
            ("ok\n".to_owned(), "no such file\n".to_owned())
        );
        assert_eq!(split_output("ok\n"), ("ok\n".to_owned(), String::new()));
    }
}
