//! Recovery on a real account, with every Systems Manager answer from `aws-smithy-mocks`
//! (moto has no Automation and fakes command output): the seed incident's runbook run with
//! its baseline and verification through the AWS adapter, and Change Calendar and Change
//! Manager.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/account.rs"]
mod account;
#[path = "support/mocks.rs"]
mod mocks;

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_ssm::operation::get_automation_execution::GetAutomationExecutionOutput;
use aws_sdk_ssm::operation::get_calendar_state::GetCalendarStateOutput;
use aws_sdk_ssm::operation::list_command_invocations::ListCommandInvocationsOutput;
use aws_sdk_ssm::operation::list_commands::ListCommandsOutput;
use aws_sdk_ssm::operation::list_documents::ListDocumentsOutput;
use aws_sdk_ssm::operation::send_command::SendCommandOutput;
use aws_sdk_ssm::operation::start_automation_execution::StartAutomationExecutionOutput;
use aws_sdk_ssm::operation::start_change_request_execution::StartChangeRequestExecutionOutput;
use aws_sdk_ssm::types::{
    self as ssm, AutomationExecutionStatus, CommandInvocationStatus, ReviewStatus,
};
use aws_smithy_mocks::{Rule, mock, mock_client};
use unyo_aws::cloud::AwsCloud;
use unyo_core::ErrorCode;
use unyo_core::automation::{ExecutionStatus, StartAutomationRequest};
use unyo_core::change::{CalendarStatus, ChangeRequest};
use unyo_core::cloud::{ChangeControl, Cloud};
use unyo_core::verify::recovery::{Pace, run_verified};
use unyo_core::verify::{Verdict, catalog, overall, summarize};

const TOKYO: &str = "ap-northeast-1";
const INSTANCE: &str = "i-0seed";

fn cloud(ssm: aws_sdk_ssm::Client) -> AwsCloud {
    account::with(TOKYO, mock_client!(aws_sdk_ec2, []), ssm)
}

/// What the ssh checks print on the seed host, section by section, with sshd_config at
/// `mode`: sshd stopped but enabled, its configuration valid, nothing on port 22.
fn seed_host_output(mode: &str) -> String {
    let sections = [
        ("inactive", 3),
        ("enabled", 0),
        ("", 0),
        (&*format!("root {mode}"), 0),
        (
            "State  Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0 128 127.0.0.1:25 0.0.0.0:*",
            0,
        ),
    ];
    let mut out = String::new();
    for (i, (text, status)) in sections.iter().enumerate() {
        out.push_str(&format!("::unyo-probe:{i}:begin::\n"));
        if !text.is_empty() {
            out.push_str(text);
            out.push('\n');
        }
        out.push_str(&format!("::unyo-probe:{i}:end:{status}::\n"));
    }
    out
}

/// `ListCommands` and `ListCommandInvocations` for `command_id`, finished on the instance
/// with `stdout` (Run Command says Success: the script's last line succeeded).
fn finished_command(command_id: &'static str, stdout: String) -> [Rule; 2] {
    let listed = mock!(aws_sdk_ssm::Client::list_commands)
        .match_requests(move |r| r.command_id() == Some(command_id))
        .then_output(move || {
            ListCommandsOutput::builder()
                .commands(
                    ssm::Command::builder()
                        .command_id(command_id)
                        .document_name("AWS-RunShellScript")
                        .instance_ids(INSTANCE)
                        .status(ssm::CommandStatus::Success)
                        .build(),
                )
                .build()
        });
    let invocations = mock!(aws_sdk_ssm::Client::list_command_invocations)
        .match_requests(move |r| r.command_id() == Some(command_id))
        .then_output(move || {
            ListCommandInvocationsOutput::builder()
                .command_invocations(
                    ssm::CommandInvocation::builder()
                        .instance_id(INSTANCE)
                        .status(CommandInvocationStatus::Success)
                        .command_plugins(
                            ssm::CommandPlugin::builder()
                                .name("aws:runShellScript")
                                .output(stdout.clone())
                                .response_code(0)
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
    [listed, invocations]
}

fn execution(status: AutomationExecutionStatus) -> GetAutomationExecutionOutput {
    GetAutomationExecutionOutput::builder()
        .automation_execution(
            ssm::AutomationExecution::builder()
                .automation_execution_id("exec-1")
                .document_name("AWSSupport-TroubleshootSSH")
                .parameters("Action", vec!["FixAll".to_owned()])
                .parameters("InstanceId", vec![INSTANCE.to_owned()])
                .automation_execution_status(status.clone())
                .step_executions(
                    ssm::StepExecution::builder()
                        .step_name("troubleshootSSH")
                        .action("aws:runCommand")
                        .step_status(status)
                        .build(),
                )
                .build(),
        )
        .build()
}

/// The seed incident on AWS: TroubleshootSSH FixAll reports Success, and the verification
/// through Run Command says sshd is inactive and sshd_config went from 0600 to 0655.
#[tokio::test]
async fn a_runbook_that_reports_success_is_still_verified_against_the_host() {
    let sent = mock!(aws_sdk_ssm::Client::send_command)
        .match_requests(|r| {
            r.document_name() == Some("AWS-RunShellScript") && r.instance_ids() == [INSTANCE]
        })
        .sequence()
        .output(|| {
            SendCommandOutput::builder()
                .command(ssm::Command::builder().command_id("cmd-before").build())
                .build()
        })
        .output(|| {
            SendCommandOutput::builder()
                .command(ssm::Command::builder().command_id("cmd-after").build())
                .build()
        })
        .build();
    let [before_listed, before_read] = finished_command("cmd-before", seed_host_output("600"));
    let [after_listed, after_read] = finished_command("cmd-after", seed_host_output("655"));
    let started = mock!(aws_sdk_ssm::Client::start_automation_execution)
        .match_requests(|r| {
            r.document_name() == Some("AWSSupport-TroubleshootSSH")
                && r.parameters().is_some_and(|p| p["Action"] == ["FixAll"])
        })
        .then_output(|| {
            StartAutomationExecutionOutput::builder()
                .automation_execution_id("exec-1")
                .build()
        });
    let followed = mock!(aws_sdk_ssm::Client::get_automation_execution)
        .match_requests(|r| r.automation_execution_id() == Some("exec-1"))
        .sequence()
        .output(|| execution(AutomationExecutionStatus::Inprogress))
        .output(|| execution(AutomationExecutionStatus::Success))
        .build();
    let cloud = cloud(mocks::ssm_client(&[
        &sent,
        &before_listed,
        &before_read,
        &after_listed,
        &after_read,
        &started,
        &followed,
    ]));
    let runbook = StartAutomationRequest {
        region: TOKYO.into(),
        document_name: "AWSSupport-TroubleshootSSH".into(),
        parameters: BTreeMap::from([
            ("Action".to_owned(), vec!["FixAll".to_owned()]),
            ("InstanceId".to_owned(), vec![INSTANCE.to_owned()]),
        ]),
    };
    let mut updates = Vec::new();
    let pace = Pace {
        poll: Duration::ZERO,
        checks_limit: Duration::from_secs(5),
    };
    let run = run_verified(
        &cloud as &dyn Cloud,
        &runbook,
        INSTANCE,
        catalog::checks_for("AWSSupport-TroubleshootSSH"),
        pace,
        |e| updates.push(e.status),
    )
    .await
    .unwrap();

    assert_eq!(
        updates,
        [ExecutionStatus::InProgress, ExecutionStatus::Success]
    );
    assert_eq!(run.execution.status, ExecutionStatus::Success);
    let baseline = run.baseline.unwrap().unwrap();
    let after = run.after.unwrap().unwrap();
    assert_eq!(overall(&after), Verdict::Failed);
    assert_eq!(
        summarize(&after).en,
        "3 of 5 checks failed: sshd is inactive; sshd_config mode 0655 is wider than 0644; nothing listens on port 22"
    );
    // Before the runbook the mode was AWS's default; after it, wider.
    assert_eq!(baseline[3].verdict, Verdict::Passed);
    assert_eq!(after[3].verdict, Verdict::Failed);
    assert_eq!(after[3].evidence, "root 655");
    assert_eq!(sent.num_calls(), 2);
}

#[tokio::test]
async fn a_runbook_that_cannot_start_is_an_error_and_a_read_only_one_has_no_baseline() {
    let refused = mock!(aws_sdk_ssm::Client::start_automation_execution).then_http_response(|| {
        mocks::service_error(
            400,
            "AccessDeniedException",
            "not allowed: ssm:StartAutomationExecution",
        )
    });
    let sent = mock!(aws_sdk_ssm::Client::send_command).then_output(|| {
        SendCommandOutput::builder()
            .command(ssm::Command::builder().command_id("cmd-x").build())
            .build()
    });
    let cloud = cloud(mocks::ssm_client(&[&refused, &sent]));
    let runbook = StartAutomationRequest {
        region: TOKYO.into(),
        document_name: "AWSSupport-TroubleshootManagedInstance".into(),
        parameters: BTreeMap::from([("InstanceId".to_owned(), vec![INSTANCE.to_owned()])]),
    };
    let pace = Pace {
        poll: Duration::ZERO,
        checks_limit: Duration::ZERO,
    };
    let err = run_verified(
        &cloud as &dyn Cloud,
        &runbook,
        INSTANCE,
        catalog::agent(),
        pace,
        |_| {},
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied, "{err:?}");
    // A runbook that only reads has no baseline to take: nothing was sent before it.
    assert_eq!(sent.num_calls(), 0);
}

fn documents(kind: &'static str, names: &'static [(&'static str, Option<ReviewStatus>)]) -> Rule {
    mock!(aws_sdk_ssm::Client::list_documents)
        .match_requests(move |r| {
            r.filters()
                .iter()
                .any(|f| f.key() == Some("DocumentType") && f.values() == [kind])
        })
        .then_output(move || {
            let mut out = ListDocumentsOutput::builder();
            for (name, review) in names {
                out = out.document_identifiers(
                    ssm::DocumentIdentifier::builder()
                        .name(*name)
                        .set_review_status(review.clone())
                        .build(),
                );
            }
            out.build()
        })
}

#[tokio::test]
async fn the_calendars_are_read_together_and_an_account_without_any_has_no_state() {
    let calendars = documents(
        "ChangeCalendar",
        &[("freeze", None), ("business-hours", None)],
    );
    let state = mock!(aws_sdk_ssm::Client::get_calendar_state)
        .match_requests(|r| r.calendar_names() == ["freeze", "business-hours"])
        .then_output(|| {
            GetCalendarStateOutput::builder()
                .state(ssm::CalendarState::Closed)
                .at_time("2026-12-07T21:00:00Z")
                .next_transition_time("2026-12-08T00:00:00Z")
                .build()
        });
    let cloud = cloud(mocks::ssm_client(&[&calendars, &state]));
    let read = cloud.calendar_state(TOKYO).await.unwrap().unwrap();
    assert_eq!(read.status, CalendarStatus::Closed);
    assert_eq!(read.calendars, ["freeze", "business-hours"]);
    assert_eq!(
        read.next_transition.as_deref(),
        Some("2026-12-08T00:00:00Z")
    );

    let none = documents("ChangeCalendar", &[]);
    let asked = mock!(aws_sdk_ssm::Client::get_calendar_state).then_output(|| {
        GetCalendarStateOutput::builder()
            .state(ssm::CalendarState::Open)
            .build()
    });
    let cloud = self::cloud(mocks::ssm_client(&[&none, &asked]));
    assert_eq!(cloud.calendar_state(TOKYO).await.unwrap(), None);
    assert_eq!(asked.num_calls(), 0);

    let denied = mock!(aws_sdk_ssm::Client::list_documents).then_http_response(|| {
        mocks::service_error(
            400,
            "AccessDeniedException",
            "not allowed: ssm:ListDocuments",
        )
    });
    let cloud = self::cloud(mocks::ssm_client(&[&denied]));
    let err = cloud.calendar_state(TOKYO).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied);
}

#[tokio::test]
async fn a_runbook_is_submitted_as_a_change_request_from_an_approved_template() {
    let templates = documents(
        "Automation.ChangeTemplate",
        &[
            ("Ops-Standard", Some(ReviewStatus::Approved)),
            ("Draft-Template", Some(ReviewStatus::Pending)),
        ],
    );
    let submitted = mock!(aws_sdk_ssm::Client::start_change_request_execution)
        .match_requests(|r| {
            r.document_name() == Some("Ops-Standard")
                && r.change_request_name() == Some("Fix sshd on i-0seed")
                && r.runbooks().len() == 1
                && r.runbooks()[0].document_name() == "AWSSupport-TroubleshootSSH"
                && r.runbooks()[0]
                    .parameters()
                    .is_some_and(|p| p["InstanceId"] == [INSTANCE])
        })
        .then_output(|| {
            StartChangeRequestExecutionOutput::builder()
                .automation_execution_id("exec-cr")
                .build()
        });
    let waiting = mock!(aws_sdk_ssm::Client::get_automation_execution).then_output(|| {
        GetAutomationExecutionOutput::builder()
            .automation_execution(
                ssm::AutomationExecution::builder()
                    .automation_execution_id("exec-cr")
                    .automation_execution_status(AutomationExecutionStatus::PendingApproval)
                    .build(),
            )
            .build()
    });
    let cloud = cloud(mocks::ssm_client(&[&templates, &submitted, &waiting]));
    assert_eq!(
        cloud.change_templates(TOKYO).await.unwrap(),
        ["Ops-Standard"]
    );
    let request = ChangeRequest {
        template: "Ops-Standard".into(),
        name: "Fix sshd on i-0seed".into(),
        runbook: StartAutomationRequest {
            region: TOKYO.into(),
            document_name: "AWSSupport-TroubleshootSSH".into(),
            parameters: BTreeMap::from([("InstanceId".to_owned(), vec![INSTANCE.to_owned()])]),
        },
    };
    let id = cloud.submit_change_request(&request).await.unwrap();
    assert_eq!(id, "exec-cr");
    let followed = (&cloud as &dyn Cloud)
        .require_automation()
        .unwrap()
        .get_automation_execution(TOKYO, &id)
        .await
        .unwrap();
    assert_eq!(followed.status, ExecutionStatus::PendingApproval);
    assert!(!followed.status.is_finished());
}
