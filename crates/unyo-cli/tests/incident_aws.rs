//! The incident reads on an AWS profile, against moto on loopback: alarms from CloudWatch (the
//! one in ALARM first), an alarm's datapoints with its threshold, log groups and a Logs
//! Insights query from CloudWatch Logs, each with its AWS CLI under `--explain`. The account is
//! made with the AWS SDK, as an operator's would be by their own tools.
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot set up or read its own output should fail loudly"
)]

#[path = "support/hermetic.rs"]
mod hermetic;

use assert_cmd::Command;
use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, MetricDatum, StateValue, Statistic,
};
use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use serde_json::Value;
use unyo_testkit::Moto;

const TOKYO: &str = "ap-northeast-1";
const INSTANCE: &str = "i-0a1b2c3d4e5f60001";

/// `unyo ARGS --profile ops --endpoint-url MOTO`, hermetic (its own AWS files and config dir).
fn unyo(moto: &Moto, dir: &tempfile::TempDir, args: &[&str]) -> Command {
    hermetic::with_profile(&moto.url(), dir.path(), TOKYO, args)
}

async fn sdk_config(moto: &Moto) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(TOKYO))
        .endpoint_url(moto.url())
        .credentials_provider(aws_sdk_cloudwatch::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .load()
        .await
}

/// A CPU alarm on the instance in ALARM with the datapoints behind it, a calm alarm beside
/// it, and the application's log group with its errors.
async fn incident(moto: &Moto) {
    let config = sdk_config(moto).await;
    let cloudwatch = aws_sdk_cloudwatch::Client::new(&config);
    let instance = Dimension::builder()
        .name("InstanceId")
        .value(INSTANCE)
        .build();
    let now = std::time::SystemTime::now();
    for minutes in [3u64, 2, 1] {
        cloudwatch
            .put_metric_data()
            .namespace("AWS/EC2")
            .metric_data(
                MetricDatum::builder()
                    .metric_name("CPUUtilization")
                    .dimensions(instance.clone())
                    .timestamp((now - std::time::Duration::from_secs(minutes * 60)).into())
                    .value(97.0)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    for (name, metric) in [
        ("api-cpu-high", "CPUUtilization"),
        ("api-status", "StatusCheckFailed"),
    ] {
        cloudwatch
            .put_metric_alarm()
            .alarm_name(name)
            .namespace("AWS/EC2")
            .metric_name(metric)
            .dimensions(instance.clone())
            .statistic(Statistic::Average)
            .period(60)
            .evaluation_periods(1)
            .threshold(80.0)
            .comparison_operator(ComparisonOperator::GreaterThanThreshold)
            .send()
            .await
            .unwrap();
    }
    cloudwatch
        .set_alarm_state()
        .alarm_name("api-cpu-high")
        .state_value(StateValue::Alarm)
        .state_reason(
            "Threshold Crossed: 1 datapoint [97.0] was greater than the threshold (80.0).",
        )
        .send()
        .await
        .unwrap();

    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    logs.create_log_group()
        .log_group_name("/storefront/api")
        .send()
        .await
        .unwrap();
    logs.create_log_stream()
        .log_group_name("/storefront/api")
        .log_stream_name("api-1")
        .send()
        .await
        .unwrap();
    let millis = now
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let events: Vec<InputLogEvent> = ["GET /cart 200", "ERROR connection refused (payments)"]
        .iter()
        .enumerate()
        .map(|(i, message)| {
            InputLogEvent::builder()
                .timestamp(millis - 60_000 + i as i64 * 1000)
                .message(*message)
                .build()
                .unwrap()
        })
        .collect();
    logs.put_log_events()
        .log_group_name("/storefront/api")
        .log_stream_name("api-1")
        .set_log_events(Some(events))
        .send()
        .await
        .unwrap();
}

fn setup() -> (Moto, tempfile::TempDir) {
    let moto = Moto::start();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(incident(&moto));
    (moto, tempfile::tempdir().unwrap())
}

fn stdout_json(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn alarms_come_from_cloudwatch_in_alarm_first_and_explain_themselves() {
    let (moto, dir) = setup();
    let value = stdout_json(&mut unyo(&moto, &dir, &["alarms", "--json"]));
    let alarms = value["alarms"].as_array().unwrap();
    let names: Vec<&str> = alarms.iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["api-cpu-high", "api-status"], "{value}");
    assert_eq!(alarms[0]["state"], "ALARM");
    assert_eq!(alarms[0]["instanceId"], INSTANCE);
    assert_eq!(alarms[0]["metric"]["threshold"], 80.0);

    let out = unyo(&moto, &dir, &["alarms", "--explain"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("api-cpu-high"), "{stdout}");
    assert!(
        stderr.contains("aws cloudwatch describe-alarms --region ap-northeast-1"),
        "{stderr}"
    );
}

#[test]
fn an_alarms_metric_comes_with_its_threshold() {
    let (moto, dir) = setup();
    let value = stdout_json(&mut unyo(
        &moto,
        &dir,
        &["metrics", "api-cpu-high", "--since", "1h", "--json"],
    ));
    assert_eq!(value["alarm"]["name"], "api-cpu-high");
    let points = value["series"][0]["points"].as_array().unwrap();
    assert!(!points.is_empty(), "{value}");
    assert!(points.iter().all(|p| p["value"] == 97.0), "{value}");
}

#[test]
fn log_groups_and_an_insights_query_come_from_cloudwatch_logs() {
    let (moto, dir) = setup();
    let value = stdout_json(&mut unyo(&moto, &dir, &["logs", "groups", "--json"]));
    assert!(value.to_string().contains("/storefront/api"), "{value}");

    let out = unyo(
        &moto,
        &dir,
        &[
            "logs",
            "query",
            "--group",
            "/storefront/api",
            "--since",
            "1h",
            "fields @timestamp, @message | sort @timestamp desc | limit 5",
        ],
    )
    .output()
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("connection refused"), "{stdout}");
    assert!(stderr.contains("scanned"), "the statistics: {stderr}");
}
