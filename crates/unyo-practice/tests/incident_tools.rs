//! The incident workflow's tools on the calm practice account, through the Cloud port:
//! alarms, metrics, logs, CloudTrail, runbooks and Run Command, with the errors a caller
//! gets for wrong requests.
#![allow(
    clippy::unwrap_used,
    reason = "a failed step should fail the test loudly"
)]

mod common;

use std::collections::BTreeMap;

use unyo_core::ErrorCode;
use unyo_core::alarms::{AlarmQuery, AlarmState, Dimension, MetricId, MetricQuery};
use unyo_core::automation::{ExecutionStatus, StartAutomationRequest};
use unyo_core::cloud::*;
use unyo_core::logs::{InsightsQuery, LogEventsQuery};
use unyo_core::run_command::{CommandStatus, SendCommandRequest};
use unyo_core::trail::{LookupAttribute, TrailLookup, TrailQuery};

const TOKYO: &str = "ap-northeast-1";
const WEB_PROD_1: &str = "i-0a1f3c5e7b9d10001";
const WIN_AD_1: &str = "i-0a1f3c5e7b9d10008";

fn alarms(region: &str) -> AlarmQuery {
    AlarmQuery {
        region: region.into(),
        state: None,
        name_prefix: None,
    }
}

#[tokio::test]
async fn the_calm_account_has_alarms_in_ok_in_both_regions() {
    let p = common::practice();
    for region in ["ap-northeast-1", "us-east-1"] {
        let list = p.cloud.list_alarms(&alarms(region)).await.unwrap();
        assert!(!list.is_empty(), "{region}");
        assert!(list.iter().all(|a| a.state == AlarmState::Ok), "{list:?}");
        assert!(list.iter().all(|a| a.region == region));
    }
    let firing = AlarmQuery {
        state: Some(AlarmState::Alarm),
        ..alarms(TOKYO)
    };
    assert!(p.cloud.list_alarms(&firing).await.unwrap().is_empty());
    let err = p.cloud.list_alarms(&alarms("eu-west-1")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}

#[tokio::test]
async fn metric_series_hold_complete_periods_only() {
    let p = common::practice();
    let query = MetricQuery {
        region: TOKYO.into(),
        metric: MetricId {
            namespace: "AWS/EC2".into(),
            metric_name: "CPUUtilization".into(),
            dimensions: vec![Dimension {
                name: "InstanceId".into(),
                value: WEB_PROD_1.into(),
            }],
        },
        statistic: "Average".into(),
        period_seconds: 300,
        start: "2026-11-28T09:00:00Z".into(),
        end: "2026-11-28T11:00:00Z".into(),
    };
    let series = p.cloud.get_metric_series(&query).await.unwrap();
    // 09:00 to 10:04 holds twelve complete five-minute periods; the future holds none.
    assert_eq!(series.points.len(), 12);
    assert_eq!(
        series.points.last().unwrap().timestamp,
        "2026-11-28T09:55:00Z"
    );
    assert_eq!(series.unit, "Percent");
    p.clock.advance(60);
    let later = p.cloud.get_metric_series(&query).await.unwrap();
    assert_eq!(later.points.len(), 13);
    assert_eq!(later.points[..12], series.points[..]);

    let mut unknown = query.clone();
    unknown.metric.metric_name = "NetworkIn".into();
    assert!(
        p.cloud
            .get_metric_series(&unknown)
            .await
            .unwrap()
            .points
            .is_empty()
    );
}

#[tokio::test]
async fn logs_list_filter_and_query() {
    let p = common::practice();
    let groups = p.cloud.list_log_groups(TOKYO).await.unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    assert!(names.contains(&"/storefront/app"), "{names:?}");
    assert!(groups.iter().all(|g| g.stored_bytes > 0));

    let events = p
        .cloud
        .get_log_events(&LogEventsQuery {
            region: TOKYO.into(),
            log_group: "/storefront/app".into(),
            start: "2026-11-28T07:00:00Z".into(),
            end: "2026-11-28T10:04:00Z".into(),
            contains: Some("GET /products".into()),
            limit: Some(5),
        })
        .await
        .unwrap();
    assert_eq!(events.len(), 5);
    assert!(events.windows(2).all(|w| w[0].timestamp <= w[1].timestamp));

    let missing = LogEventsQuery {
        region: TOKYO.into(),
        log_group: "/nope".into(),
        start: "2026-11-28T07:00:00Z".into(),
        end: "2026-11-28T10:04:00Z".into(),
        contains: None,
        limit: None,
    };
    assert_eq!(
        p.cloud.get_log_events(&missing).await.unwrap_err().code,
        ErrorCode::InvalidInput
    );

    let mut query = InsightsQuery {
        region: TOKYO.into(),
        log_groups: vec!["/storefront/app".into()],
        query: "stats count(*) by @logStream".into(),
        start: "2026-11-28T07:00:00Z".into(),
        end: "2026-11-28T10:04:00Z".into(),
    };
    let result = unyo_core::logs::run_insights(&p.cloud, &query)
        .await
        .unwrap();
    assert_eq!(result.rows.len(), 2);
    assert!(query.cli().starts_with(
        "aws logs start-query --region ap-northeast-1 --log-group-names /storefront/app"
    ));
    query.query = "parse @message 'x'".into();
    let err = unyo_core::logs::run_insights(&p.cloud, &query)
        .await
        .unwrap_err();
    assert!(err.message.contains("parse"), "{}", err.message);
}

#[tokio::test]
async fn what_the_learner_does_is_in_cloudtrail() {
    let p = common::practice();
    p.cloud.open_shell(WEB_PROD_1).await.unwrap();
    p.clock.advance(30);
    let request = SendCommandRequest::shell_script(TOKYO, &[WEB_PROD_1], &["uptime || true"]);
    p.cloud.send_command(&request).await.unwrap();
    let events = p
        .cloud
        .lookup_trail_events(&TrailQuery {
            region: TOKYO.into(),
            start: "2026-11-28T10:00:00Z".into(),
            end: "2026-11-28T11:00:00Z".into(),
            lookup: Some(TrailLookup {
                attribute: LookupAttribute::Username,
                value: "learner".into(),
            }),
            max_results: Some(10),
        })
        .await
        .unwrap();
    let names: Vec<&str> = events.iter().map(|e| e.event_name.as_str()).collect();
    assert_eq!(names, ["SendCommand", "StartSession"]);
    let detail: serde_json::Value = serde_json::from_str(&events[0].cloud_trail_event).unwrap();
    assert_eq!(
        detail["requestParameters"]["parameters"]["commands"][0],
        "uptime || true"
    );
}

fn start(document: &str, parameters: &[(&str, &str)]) -> StartAutomationRequest {
    StartAutomationRequest {
        region: TOKYO.into(),
        document_name: document.into(),
        parameters: parameters
            .iter()
            .map(|(k, v)| ((*k).to_owned(), vec![(*v).to_owned()]))
            .collect::<BTreeMap<_, _>>(),
    }
}

#[tokio::test]
async fn runbooks_check_their_parameters() {
    let p = common::practice();
    let catalog = p.cloud.list_runbooks(TOKYO).await.unwrap();
    assert!(
        catalog
            .iter()
            .any(|r| r.name == "AWSSupport-TroubleshootSSH" && r.owner == "Amazon")
    );
    for (request, needle) in [
        (start("AWSSupport-TroubleshootSSH", &[]), "InstanceId"),
        (
            start(
                "AWSSupport-TroubleshootSSH",
                &[("InstanceId", WEB_PROD_1), ("Action", "FixSome")],
            ),
            "allowed",
        ),
        (
            start(
                "AWSSupport-TroubleshootSSH",
                &[("InstanceId", WEB_PROD_1), ("Colour", "red")],
            ),
            "Colour",
        ),
        (
            start(
                "AWSSupport-TroubleshootSSH",
                &[("InstanceId", WEB_PROD_1), ("AllowOffline", "True")],
            ),
            "online only",
        ),
        (start("AWS-NoSuchRunbook", &[]), "InvalidDocument"),
        (
            start(
                "AWS-RestartEC2Instance",
                &[("InstanceId", "i-0f9e8d7c6b5a40013")],
            ),
            "no instance",
        ),
    ] {
        let err = p.cloud.start_automation(&request).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains(needle), "{needle}: {}", err.message);
    }
}

#[tokio::test]
async fn an_execution_progresses_step_by_step_with_the_clock() {
    let p = common::practice();
    let request = start("AWSSupport-TroubleshootSSH", &[("InstanceId", WEB_PROD_1)]);
    assert!(
        request
            .describe()
            .cli
            .contains("--document-name AWSSupport-TroubleshootSSH")
    );
    let id = p.cloud.start_automation(&request).await.unwrap();
    let status = |e: &unyo_core::automation::AutomationExecution| -> Vec<ExecutionStatus> {
        e.steps.iter().map(|s| s.status).collect()
    };
    let first = p.cloud.get_automation_execution(TOKYO, &id).await.unwrap();
    assert_eq!(first.status, ExecutionStatus::InProgress);
    assert_eq!(
        first.parameters["Action"],
        ["CheckAll"],
        "defaults are filled in"
    );
    assert!(
        first
            .steps
            .iter()
            .all(|s| s.status == ExecutionStatus::Pending)
    );
    p.clock.advance(4);
    let second = p.cloud.get_automation_execution(TOKYO, &id).await.unwrap();
    use ExecutionStatus::{InProgress, Pending, Success};
    assert_eq!(status(&second), [Success, Success, InProgress, Pending]);
    assert!(second.steps[3].outputs.is_empty());
    p.clock.advance(60);
    let done = p.cloud.get_automation_execution(TOKYO, &id).await.unwrap();
    assert_eq!(done.status, Success);
    assert_eq!(done.started_at, "2026-11-28T10:04:00Z");
    assert_eq!(done.ended_at.as_deref(), Some("2026-11-28T10:04:22Z"));
    let listed = p.cloud.list_automation_executions(TOKYO).await.unwrap();
    assert_eq!(listed[0].execution_id, id);
    let err = p
        .cloud
        .get_automation_execution(TOKYO, "nope")
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}

#[tokio::test]
async fn run_command_reports_per_instance_and_refuses_what_it_cannot_run() {
    let p = common::practice();
    let both = SendCommandRequest::shell_script(
        TOKYO,
        &[WEB_PROD_1, "i-0a1f3c5e7b9d10002"],
        &["hostname", "systemctl is-active nginx"],
    );
    let id = p.cloud.send_command(&both).await.unwrap();
    p.clock.advance(5);
    let done = p.cloud.get_command(TOKYO, &id).await.unwrap();
    assert_eq!(done.status, CommandStatus::Success);
    assert_eq!(done.invocations.len(), 2);
    assert_eq!(
        done.invocations[1].stdout,
        "ip-10-0-2-12.ap-northeast-1.compute.internal\nactive\n"
    );
    assert_eq!(
        p.cloud.list_commands(TOKYO).await.unwrap()[0].command_id,
        id
    );

    let windows = SendCommandRequest::shell_script(TOKYO, &[WIN_AD_1], &["hostname"]);
    let err = p.cloud.send_command(&windows).await.unwrap_err();
    assert!(err.message.contains("Windows"), "{}", err.message);
    let mut other = SendCommandRequest::shell_script(TOKYO, &[WEB_PROD_1], &["hostname"]);
    other.document_name = "AWS-RunPowerShellScript".into();
    assert_eq!(
        p.cloud.send_command(&other).await.unwrap_err().code,
        ErrorCode::InvalidInput
    );
}

#[tokio::test]
async fn every_insights_template_runs_on_the_practice_logs() {
    let p = common::practice();
    p.start("cpu-after-deploy");
    for template in unyo_core::logs::insights_templates() {
        let result = unyo_core::logs::run_insights(
            &p.cloud,
            &InsightsQuery {
                region: TOKYO.into(),
                log_groups: vec!["/storefront/app".into()],
                query: template.query.clone(),
                start: "2026-11-28T07:00:00Z".into(),
                end: "2026-11-28T10:04:00Z".into(),
            },
        )
        .await
        .unwrap();
        assert!(!result.rows.is_empty(), "{}", template.id);
    }
}

#[tokio::test]
async fn executions_and_commands_say_how_to_read_them_with_the_cli() {
    let p = common::practice();
    let run = p
        .automation(
            TOKYO,
            "AWS-RestartEC2Instance",
            &[("InstanceId", WEB_PROD_1)],
        )
        .await;
    assert_eq!(
        run.cli(),
        format!(
            "aws ssm get-automation-execution --region ap-northeast-1 --automation-execution-id {}",
            run.execution_id
        )
    );
    let command = p.command(TOKYO, WEB_PROD_1, &["true"]).await;
    assert!(
        command
            .cli()
            .ends_with(&format!("--command-id {} --details", command.command_id))
    );
}

#[tokio::test]
async fn one_failing_instance_fails_the_command_but_not_the_others() {
    let p = common::practice();
    p.start("disk-full");
    let request = SendCommandRequest::shell_script(
        TOKYO,
        &[WEB_PROD_1, "i-0a1f3c5e7b9d10005"],
        &["systemctl is-active nightly-batch"],
    );
    let id = p.cloud.send_command(&request).await.unwrap();
    p.clock.advance(5);
    let done = p.cloud.get_command(TOKYO, &id).await.unwrap();
    assert_eq!(done.status, CommandStatus::Failed);
    let by_instance: Vec<(CommandStatus, Option<i32>, &str)> = done
        .invocations
        .iter()
        .map(|i| (i.status, i.response_code, i.stdout.as_str()))
        .collect();
    // web-prod-1 has no such unit: systemctl says inactive and exits 4.
    assert_eq!(
        by_instance,
        [
            (CommandStatus::Failed, Some(4), "inactive\n"),
            (CommandStatus::Success, Some(0), "active\n"),
        ]
    );
}
