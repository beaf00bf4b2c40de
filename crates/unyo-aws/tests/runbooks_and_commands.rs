//! Automation and Run Command on a real account through the Cloud port, as the incident
//! screen's Mitigation and Recovery use them: a shell script sent to the moto emulator, and
//! executions and invocations (which moto lacks) read from `aws-smithy-mocks` answers.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/mocks.rs"]
mod mocks;
#[path = "support/moto.rs"]
mod moto;

use std::collections::HashMap;

use aws_sdk_ssm::operation::get_automation_execution::GetAutomationExecutionOutput;
use aws_sdk_ssm::operation::list_command_invocations::ListCommandInvocationsOutput;
use aws_sdk_ssm::operation::list_commands::ListCommandsOutput;
use aws_sdk_ssm::types::{
    self as ssm, AutomationExecutionStatus, CommandInvocationStatus, CommandPlugin,
};
use aws_smithy_mocks::{mock, mock_client};
use aws_smithy_types::DateTime;
use unyo_aws::cloud::AwsCloud;
use unyo_aws::fleet::{FleetClients, RegionClients};
use unyo_core::automation::ExecutionStatus;
use unyo_core::cloud::*;
use unyo_core::run_command::{CommandStatus, SendCommandRequest};
use unyo_core::{AccountContext, AccountKind, ErrorCode};

const TOKYO: &str = "ap-northeast-1";

fn cloud(ec2: aws_sdk_ec2::Client, ssm: aws_sdk_ssm::Client) -> AwsCloud {
    let account = AccountContext {
        id: "profile:test".into(),
        kind: AccountKind::Profile,
        account_id: Some("123456789012".into()),
        regions: vec![TOKYO.into()],
        default_region: Some(TOKYO.into()),
        capabilities: Vec::new(),
    };
    AwsCloud::with_clients(
        account,
        FleetClients::from_fn(move |_| RegionClients {
            ec2: ec2.clone(),
            ssm: ssm.clone(),
        }),
    )
}

#[tokio::test]
async fn a_shell_script_is_sent_with_its_lines_and_comment() {
    let moto = moto::Moto::start();
    let config = moto.config(TOKYO).await;
    let ssm = aws_sdk_ssm::Client::new(&config);
    let cloud = cloud(aws_sdk_ec2::Client::new(&config), ssm.clone());
    let mut request = SendCommandRequest::shell_script(TOKYO, &["i-0abc"], &["df -h", "uptime"]);
    request.comment = Some("incident: disk".into());
    request.timeout_seconds = Some(600);
    let id = cloud.send_command(&request).await.unwrap();
    let sent = ssm
        .list_commands()
        .command_id(&id)
        .send()
        .await
        .unwrap()
        .commands
        .unwrap();
    assert_eq!(sent[0].document_name(), Some("AWS-RunShellScript"));
    assert_eq!(
        sent[0].parameters().unwrap()["commands"],
        ["df -h", "uptime"]
    );
    assert_eq!(sent[0].comment(), Some("incident: disk"));

    let empty = SendCommandRequest::shell_script(TOKYO, &[], &["uptime"]);
    let err = cloud.send_command(&empty).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}

fn plugin(output: &str, code: i32, finished: bool) -> CommandPlugin {
    let builder = CommandPlugin::builder()
        .name("aws:runShellScript")
        .output(output)
        .response_code(code)
        .response_start_date_time(DateTime::from_secs(1_800_000_001));
    if finished {
        builder
            .response_finish_date_time(DateTime::from_secs(1_800_000_003))
            .build()
    } else {
        builder.build()
    }
}

#[tokio::test]
async fn a_command_is_read_with_each_instance_status_output_and_errors() {
    let listed = mock!(aws_sdk_ssm::Client::list_commands)
        .match_requests(|r| r.command_id() == Some("cmd-1"))
        .then_output(|| {
            ListCommandsOutput::builder()
                .commands(
                    ssm::Command::builder()
                        .command_id("cmd-1")
                        .document_name("AWS-RunShellScript")
                        .parameters("commands", vec!["df -h".to_owned(), "cat /nope".to_owned()])
                        .comment("")
                        .instance_ids("i-1")
                        .instance_ids("i-2")
                        .instance_ids("i-3")
                        .requested_date_time(DateTime::from_secs(1_800_000_000))
                        .status(ssm::CommandStatus::InProgress)
                        .build(),
                )
                .build()
        });
    let invocations = mock!(aws_sdk_ssm::Client::list_command_invocations)
        .match_requests(|r| r.command_id() == Some("cmd-1") && r.details() == Some(true))
        .then_output(|| {
            ListCommandInvocationsOutput::builder()
                .command_invocations(
                    ssm::CommandInvocation::builder()
                        .instance_id("i-1")
                        .status(CommandInvocationStatus::Failed)
                        .command_plugins(plugin(
                            "Filesystem  Size\n----------ERROR-------\ncat: /nope: No such file or directory\n",
                            1,
                            true,
                        ))
                        .build(),
                )
                .command_invocations(
                    ssm::CommandInvocation::builder()
                        .instance_id("i-2")
                        .status(CommandInvocationStatus::InProgress)
                        .command_plugins(plugin("", -1, false))
                        .build(),
                )
                .build()
        });
    let unknown = mock!(aws_sdk_ssm::Client::list_commands)
        .match_requests(|r| r.command_id() == Some("cmd-2"))
        .then_http_response(|| mocks::service_error(400, "InvalidCommandId", ""));
    let cloud = cloud(
        mock_client!(aws_sdk_ec2, []),
        mocks::ssm_client(&[&listed, &invocations, &unknown]),
    );
    let command = cloud.get_command(TOKYO, "cmd-1").await.unwrap();
    assert_eq!(command.status, CommandStatus::InProgress);
    assert_eq!(command.commands, ["df -h", "cat /nope"]);
    assert_eq!(command.comment, None);
    assert_eq!(command.requested_at, "2027-01-15T08:00:00Z");
    let [failed, running, waiting] = <[_; 3]>::try_from(command.invocations).unwrap();
    assert_eq!(failed.status, CommandStatus::Failed);
    assert_eq!(failed.response_code, Some(1));
    assert_eq!(failed.stdout, "Filesystem  Size\n");
    assert_eq!(failed.stderr, "cat: /nope: No such file or directory\n");
    assert_eq!(failed.ended_at.as_deref(), Some("2027-01-15T08:00:03Z"));
    assert_eq!(running.status, CommandStatus::InProgress);
    assert_eq!((running.response_code, running.ended_at), (None, None));
    assert_eq!(
        (waiting.instance_id.as_str(), waiting.status),
        ("i-3", CommandStatus::Pending)
    );

    let unknown = cloud.get_command(TOKYO, "cmd-2").await.unwrap_err();
    assert_eq!(unknown.code, ErrorCode::InvalidInput, "{unknown:?}");
    assert!(
        unknown
            .message
            .starts_with("ssm:ListCommands refused the request"),
        "{}",
        unknown.message
    );
}

#[tokio::test]
async fn an_execution_is_read_with_its_steps_in_the_screens_statuses() {
    let got = mock!(aws_sdk_ssm::Client::get_automation_execution)
        .match_requests(|r| r.automation_execution_id() == Some("exec-1"))
        .then_output(|| {
            let step = |name: &str, status| {
                ssm::StepExecution::builder()
                    .step_name(name)
                    .action("aws:executeScript")
                    .step_status(status)
                    .execution_start_time(DateTime::from_secs(1_800_000_000))
                    .build()
            };
            GetAutomationExecutionOutput::builder()
                .automation_execution(
                    ssm::AutomationExecution::builder()
                        .automation_execution_id("exec-1")
                        .document_name("AWSSupport-TroubleshootManagedInstance")
                        .parameters("InstanceId", vec!["i-0abc".to_owned()])
                        .automation_execution_status(
                            AutomationExecutionStatus::CompletedWithFailure,
                        )
                        .execution_start_time(DateTime::from_secs(1_800_000_000))
                        .execution_end_time(DateTime::from_secs(1_800_000_090))
                        .executed_by("arn:aws:iam::123456789012:user/op")
                        .step_executions(step("checkVpc", AutomationExecutionStatus::Success))
                        .step_executions(step("checkRole", AutomationExecutionStatus::Failed))
                        .outputs(
                            "generateReport.Report",
                            vec!["[FAILED] Security group".to_owned()],
                        )
                        .failure_message("Step checkRole failed")
                        .build(),
                )
                .build()
        });
    let cloud = cloud(mock_client!(aws_sdk_ec2, []), mocks::ssm_client(&[&got]));
    let execution = cloud
        .get_automation_execution(TOKYO, "exec-1")
        .await
        .unwrap();
    assert_eq!(execution.status, ExecutionStatus::Failed);
    assert_eq!(execution.region, TOKYO);
    assert_eq!(execution.parameters["InstanceId"], ["i-0abc"]);
    assert_eq!(execution.started_at, "2027-01-15T08:00:00Z");
    assert_eq!(execution.ended_at.as_deref(), Some("2027-01-15T08:01:30Z"));
    let steps: Vec<(&str, ExecutionStatus)> = execution
        .steps
        .iter()
        .map(|s| (s.step_name.as_str(), s.status))
        .collect();
    assert_eq!(
        steps,
        [
            ("checkVpc", ExecutionStatus::Success),
            ("checkRole", ExecutionStatus::Failed)
        ]
    );
    assert_eq!(
        execution.outputs,
        HashMap::from([(
            "generateReport.Report".to_owned(),
            vec!["[FAILED] Security group".to_owned()]
        )])
        .into_iter()
        .collect()
    );
    assert_eq!(
        execution.failure_message.as_deref(),
        Some("Step checkRole failed")
    );
}
