//! CloudWatch Logs on a real account through the Cloud port, as Diagnosis uses it: groups,
//! events and a Logs Insights query against the moto emulator; what moto lacks (partial
//! results, statistics, stopping, the service's errors) from `aws-smithy-mocks` answers.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/mocks.rs"]
mod mocks;
#[path = "support/moto.rs"]
mod moto;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_cloudwatchlogs::operation::get_query_results::GetQueryResultsOutput;
use aws_sdk_cloudwatchlogs::operation::start_query::StartQueryOutput;
use aws_sdk_cloudwatchlogs::operation::stop_query::StopQueryOutput;
use aws_sdk_cloudwatchlogs::types::{InputLogEvent, QueryStatistics, QueryStatus, ResultField};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_types::retry::RetryConfig;
use unyo_aws::cloud::AwsCloud;
use unyo_aws::fleet::FleetClients;
use unyo_aws::regional::PerRegion;
use unyo_core::cloud::*;
use unyo_core::logs::{
    InsightsProgress, InsightsQuery, InsightsStatus, LogEventsQuery, follow_insights,
};
use unyo_core::time::{now_unix, rfc3339};
use unyo_core::{AccountContext, AccountKind, ErrorCode};

const TOKYO: &str = "ap-northeast-1";

fn account() -> AccountContext {
    AccountContext {
        id: "profile:test".into(),
        kind: AccountKind::Profile,
        account_id: Some("123456789012".into()),
        regions: vec![TOKYO.into()],
        default_region: Some(TOKYO.into()),
        capabilities: Vec::new(),
    }
}

/// An account whose Logs clients all point at `logs`.
fn cloud_with(fleet: FleetClients, logs: aws_sdk_cloudwatchlogs::Client) -> AwsCloud {
    AwsCloud::with_clients(account(), fleet).with_logs(PerRegion::from_fn(move |_| logs.clone()))
}

async fn moto_cloud(moto: &moto::Moto) -> (AwsCloud, aws_sdk_cloudwatchlogs::Client) {
    let config = moto.config(TOKYO).await;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    let cloud = cloud_with(FleetClients::from_config(config), logs.clone());
    (cloud, logs)
}

/// A group with one stream holding `messages`, one a second ending a minute ago.
async fn group_with(logs: &aws_sdk_cloudwatchlogs::Client, group: &str, messages: &[&str]) {
    logs.create_log_group()
        .log_group_name(group)
        .send()
        .await
        .unwrap();
    logs.create_log_stream()
        .log_group_name(group)
        .log_stream_name("i-0abc")
        .send()
        .await
        .unwrap();
    let first = (now_unix() - 60 - messages.len() as i64) * 1000;
    let events = messages.iter().enumerate().map(|(i, m)| {
        InputLogEvent::builder()
            .timestamp(first + i as i64 * 1000)
            .message(*m)
            .build()
            .unwrap()
    });
    logs.put_log_events()
        .log_group_name(group)
        .log_stream_name("i-0abc")
        .set_log_events(Some(events.collect()))
        .send()
        .await
        .unwrap();
}

fn last_hour() -> (String, String) {
    let now = now_unix();
    (rfc3339(now - 3600), rfc3339(now + 60))
}

#[tokio::test]
async fn groups_events_and_an_insights_query_come_from_the_emulator() {
    let moto = moto::Moto::start();
    let (cloud, logs) = moto_cloud(&moto).await;
    let app = "/storefront/app";
    let lines = [
        "GET /health 200",
        "ERROR connection refused to db:5432",
        "GET /cart 200",
        "ERROR timeout talking to payments",
        "POST /order 201",
    ];
    group_with(&logs, app, &lines).await;
    logs.put_retention_policy()
        .log_group_name(app)
        .retention_in_days(14)
        .send()
        .await
        .unwrap();
    // More groups than one page of DescribeLogGroups holds.
    for i in 0..60 {
        logs.create_log_group()
            .log_group_name(format!("/bulk/group-{i:02}"))
            .send()
            .await
            .unwrap();
    }

    let groups = cloud.logs().unwrap().list_log_groups(TOKYO).await.unwrap();
    assert_eq!(groups.len(), 61);
    let listed = groups.iter().find(|g| g.name == app).unwrap();
    assert_eq!(listed.region, TOKYO);
    assert_eq!(listed.retention_days, Some(14));
    assert!(groups.iter().any(|g| g.name == "/bulk/group-59"));

    let (start, end) = last_hour();
    let mut query = LogEventsQuery {
        region: TOKYO.into(),
        log_group: app.into(),
        start: start.clone(),
        end: end.clone(),
        contains: Some("connection refused".into()),
        limit: None,
    };
    let found = cloud.logs().unwrap().get_log_events(&query).await.unwrap();
    let messages: Vec<&str> = found.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, [lines[1]]);
    assert_eq!(found[0].log_stream, "i-0abc");
    assert!(found[0].timestamp.ends_with('Z'), "{}", found[0].timestamp);

    query.contains = None;
    query.limit = Some(2);
    let newest = cloud.logs().unwrap().get_log_events(&query).await.unwrap();
    let messages: Vec<&str> = newest.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [lines[3], lines[4]],
        "the newest two, oldest first"
    );

    query.log_group = "/nope".into();
    let err = cloud
        .logs()
        .unwrap()
        .get_log_events(&query)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("/nope"), "{}", err.message);

    let insights = InsightsQuery {
        region: TOKYO.into(),
        log_groups: vec![app.into()],
        query: "fields @timestamp, @message | sort @timestamp desc | limit 3".into(),
        start,
        end,
    };
    let mut seen = 0;
    let done = follow_insights(
        cloud.logs().unwrap(),
        &insights,
        Duration::ZERO,
        &mut |_| seen += 1,
    )
    .await
    .unwrap();
    assert!(seen >= 1);
    assert_eq!(done.status, InsightsStatus::Complete);
    assert_eq!(done.result.columns, ["@timestamp", "@message"]);
    let messages: Vec<&str> = done.result.rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(messages, [lines[4], lines[3], lines[2]]);
    // moto sends no statistics: nothing counted rather than a failure.
    assert_eq!(done.result.records_scanned, 0);
    assert_eq!(done.result.bytes_scanned, 0.0);
}

#[tokio::test]
async fn an_insights_query_over_too_many_groups_is_refused_before_it_is_sent() {
    // No rule: any call would fail, so the refusal must come first.
    let logs = mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, &[]);
    let cloud = cloud_with(offline_fleet(), logs);
    let (start, end) = last_hour();
    let query = InsightsQuery {
        region: TOKYO.into(),
        log_groups: (0..51).map(|i| format!("/g/{i}")).collect(),
        query: "fields @message".into(),
        start,
        end,
    };
    let err = cloud
        .logs()
        .unwrap()
        .start_insights(&query)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("at most 50"), "{}", err.message);
}

fn offline_fleet() -> FleetClients {
    FleetClients::from_config(
        aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build(),
    )
}

fn mocked(rules: &[&Rule]) -> AwsCloud {
    let logs = mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, rules, |c| c
        .retry_config(RetryConfig::disabled()));
    cloud_with(offline_fleet(), logs)
}

fn insights_query() -> InsightsQuery {
    InsightsQuery {
        region: TOKYO.into(),
        log_groups: vec!["/storefront/app".into()],
        query: "fields @timestamp, @message | filter @message like /ERROR/".into(),
        start: "2026-11-28T09:00:00Z".into(),
        end: "2026-11-28T10:00:00Z".into(),
    }
}

fn started() -> Rule {
    mock!(aws_sdk_cloudwatchlogs::Client::start_query)
        .match_requests(|r| {
            r.log_group_names() == ["/storefront/app".to_owned()]
                && r.start_time() == Some(1_795_856_400)
                && r.end_time() == Some(1_795_860_000)
                && r.limit().is_none()
        })
        .then_output(|| StartQueryOutput::builder().query_id("q-1").build())
}

fn row(n: usize) -> Vec<ResultField> {
    let field = |f: &str, v: String| ResultField::builder().field(f).value(v).build();
    vec![
        field("@timestamp", format!("2026-11-28 09:0{n}:00.000")),
        field("@message", format!("ERROR {n}")),
        field("@ptr", format!("ptr-{n}")),
    ]
}

fn results(
    status: QueryStatus,
    rows: usize,
    stats: Option<QueryStatistics>,
) -> GetQueryResultsOutput {
    GetQueryResultsOutput::builder()
        .status(status)
        .set_results(Some((0..rows).map(row).collect()))
        .set_statistics(stats)
        .build()
}

#[tokio::test]
async fn partial_rows_reach_the_caller_before_the_query_completes() {
    let polled = mock!(aws_sdk_cloudwatchlogs::Client::get_query_results)
        .match_requests(|r| r.query_id() == Some("q-1"))
        .sequence()
        .output(|| results(QueryStatus::Running, 2, None))
        .output(|| {
            let stats = QueryStatistics::builder()
                .records_scanned(1200.0)
                .records_matched(3.0)
                .bytes_scanned(65_536.0)
                .build();
            results(QueryStatus::Complete, 3, Some(stats))
        })
        .build();
    let cloud = mocked(&[&started(), &polled]);
    let seen: Arc<Mutex<Vec<InsightsProgress>>> = Arc::default();
    let log = seen.clone();
    let done = follow_insights(
        cloud.logs().unwrap(),
        &insights_query(),
        Duration::ZERO,
        &mut |p| log.lock().unwrap().push(p.clone()),
    )
    .await
    .unwrap();
    let seen = seen.lock().unwrap();
    let steps: Vec<(InsightsStatus, usize)> = seen
        .iter()
        .map(|p| (p.status, p.result.rows.len()))
        .collect();
    assert_eq!(
        steps,
        [(InsightsStatus::Running, 2), (InsightsStatus::Complete, 3)]
    );
    assert_eq!(seen[0].query_id, "q-1");
    assert_eq!(seen[0].region, TOKYO);
    assert_eq!(done.result.columns, ["@timestamp", "@message"]);
    assert_eq!(
        done.result.rows[2],
        ["2026-11-28 09:02:00.000", "ERROR 2"],
        "@timestamp as AWS gives it"
    );
    assert_eq!(done.result.records_scanned, 1200);
    assert_eq!(done.result.records_matched, 3);
    assert_eq!(done.result.bytes_scanned, 65_536.0);
}

#[tokio::test]
async fn a_stopped_query_reads_cancelled_and_stopping_an_ended_one_is_fine() {
    let stopped = mock!(aws_sdk_cloudwatchlogs::Client::stop_query)
        .match_requests(|r| r.query_id() == Some("q-1"))
        .then_output(|| StopQueryOutput::builder().success(true).build());
    let ended = mock!(aws_sdk_cloudwatchlogs::Client::stop_query)
        .match_requests(|r| r.query_id() == Some("q-done"))
        .then_http_response(|| {
            mocks::service_error(400, "InvalidParameterException", "Query is not running")
        });
    let not_stopped = mock!(aws_sdk_cloudwatchlogs::Client::stop_query)
        .match_requests(|r| r.query_id() == Some("q-old"))
        .then_output(|| StopQueryOutput::builder().success(false).build());
    let read = mock!(aws_sdk_cloudwatchlogs::Client::get_query_results)
        .then_output(|| results(QueryStatus::Cancelled, 1, None));
    let cloud = mocked(&[&stopped, &ended, &not_stopped, &read]);
    let logs = cloud.logs().unwrap();
    logs.stop_insights(TOKYO, "q-1").await.unwrap();
    let progress = logs.insights_results(TOKYO, "q-1").await.unwrap();
    assert_eq!(progress.status, InsightsStatus::Cancelled);
    assert!(progress.status.is_finished());
    logs.stop_insights(TOKYO, "q-done").await.unwrap();
    logs.stop_insights(TOKYO, "q-old").await.unwrap();
    assert_eq!(stopped.num_calls(), 1);
    assert_eq!(ended.num_calls(), 1);
}

/// `StartQuery` answering with the service error `code`.
fn start_fails(code: &'static str, message: &'static str) -> Rule {
    mock!(aws_sdk_cloudwatchlogs::Client::start_query)
        .then_http_response(move || mocks::service_error(400, code, message))
}

#[tokio::test]
async fn start_query_errors_say_what_to_do() {
    let said = "unexpected symbol found bogus at line 1 and position 8";
    let cloud = mocked(&[&start_fails("MalformedQueryException", said)]);
    let err = cloud
        .logs()
        .unwrap()
        .start_insights(&insights_query())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains(said), "{}", err.message);

    let cloud = mocked(&[&start_fails(
        "LimitExceededException",
        "Account maximum query concurrency limit of [30] reached.",
    )]);
    let err = cloud
        .logs()
        .unwrap()
        .start_insights(&insights_query())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Throttled);
    assert!(
        err.message.contains("too many Logs Insights queries"),
        "{}",
        err.message
    );
    assert!(err.message.contains("stop one"), "{}", err.message);

    let cloud = mocked(&[&start_fails("ThrottlingException", "Rate exceeded")]);
    let err = cloud
        .logs()
        .unwrap()
        .start_insights(&insights_query())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Throttled);

    let cloud = mocked(&[&start_fails(
        "ResourceNotFoundException",
        "Log group '/storefront/app' does not exist",
    )]);
    let err = cloud
        .logs()
        .unwrap()
        .start_insights(&insights_query())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("/storefront/app"), "{}", err.message);
}

#[tokio::test]
async fn credentials_that_expire_mid_query_say_so() {
    let polled = mock!(aws_sdk_cloudwatchlogs::Client::get_query_results)
        .sequence()
        .output(|| results(QueryStatus::Running, 1, None))
        .http_response(|| {
            mocks::service_error(
                400,
                "ExpiredTokenException",
                "The security token included in the request is expired",
            )
        })
        .build();
    let cloud = mocked(&[&started(), &polled]);
    let mut seen = Vec::new();
    let err = follow_insights(
        cloud.logs().unwrap(),
        &insights_query(),
        Duration::ZERO,
        &mut |p| seen.push(p.status),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::CredentialsExpired, "{}", err.message);
    assert_eq!(seen, [InsightsStatus::Running]);
}
