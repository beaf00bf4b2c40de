//! `unyo cost estimate`: the practice account is free; on an AWS profile (moto on loopback) a
//! runbook's estimate follows the region's prices and the account's Automation history as the
//! app remembers it, a region without a price says so, and a Logs Insights estimate is at most
//! what the groups store.
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot set up or read its own output should fail loudly"
)]

#[path = "support/hermetic.rs"]
mod hermetic;

use assert_cmd::Command;
use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use serde_json::Value;
use unyo_testkit::Moto;

const VIRGINIA: &str = "us-east-1";

/// `unyo ARGS --profile ops --endpoint-url MOTO`, hermetic, with the app's answer that the
/// account is new to Automation.
fn unyo(moto: &Moto, dir: &tempfile::TempDir, args: &[&str]) -> Command {
    let settings = dir.path().join("xdg/app.unyo.desktop");
    std::fs::create_dir_all(&settings).unwrap();
    std::fs::write(
        settings.join("settings.toml"),
        "[automationHistory]\n\"profile:ops\" = \"newSince\"\n",
    )
    .unwrap();
    hermetic::with_profile(&moto.url(), dir.path(), VIRGINIA, args)
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_practice_account_is_free_and_says_what_it_would_cost_on_aws() {
    let out = stdout(&mut hermetic::unyo(&[
        "cost",
        "estimate",
        "runbook",
        "AWSSupport-TroubleshootSSH",
        "--practice",
    ]));
    assert_eq!(
        out.trim(),
        "AWSSupport-TroubleshootSSH (4 steps) in ap-northeast-1: free (the practice account is simulated: nothing is billed + on a real account in us-east-1: $0.008 (4 steps × $0.002 = $0.008); your free tier: none, the account is new to Automation since 14 Aug 2025)\nPrices for us-east-1 shipped with Unyo, as of 2025-06-26."
    );
}

#[test]
fn a_runbook_is_priced_per_step_with_the_free_tier_the_app_remembers() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(&mut unyo(
        &moto,
        &dir,
        &[
            "cost",
            "estimate",
            "runbook",
            "AWSSupport-TroubleshootSSH",
            "--steps",
            "17",
            "--region",
            VIRGINIA,
        ],
    ));
    assert!(out.starts_with(
        "AWSSupport-TroubleshootSSH (17 steps) in us-east-1: $0.034 (17 steps × $0.002 = $0.034); your free tier: none, the account is new to Automation since 14 Aug 2025"
    ), "{out}");
    assert!(out.contains("Prices for us-east-1 shipped with Unyo, as of 2025-06-26."));

    // Told otherwise on the command line, with no use of this month read: the most it costs.
    let json: Value = serde_json::from_str(&stdout(&mut unyo(
        &moto,
        &dir,
        &[
            "cost",
            "estimate",
            "runbook",
            "AWSSupport-TroubleshootSSH",
            "--steps",
            "17",
            "--region",
            VIRGINIA,
            "--automation-history",
            "used-before",
            "--json",
        ],
    )))
    .unwrap();
    assert_eq!(json["total"], "0.034");
    assert_eq!(json["upperBound"], true);

    let tokyo = stdout(&mut unyo(
        &moto,
        &dir,
        &[
            "cost",
            "estimate",
            "runbook",
            "AWSSupport-TroubleshootSSH",
            "--steps",
            "17",
            "--region",
            "ap-northeast-1",
        ],
    ));
    assert!(
        tokyo.contains(": unknown; Unyo has no price per step for ap-northeast-1"),
        "{tokyo}"
    );
}

#[tokio::test]
async fn a_logs_insights_query_costs_at_most_what_its_groups_store() {
    let moto = Moto::start();
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(VIRGINIA))
        .endpoint_url(moto.url())
        .credentials_provider(aws_sdk_cloudwatchlogs::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .load()
        .await;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    logs.create_log_group()
        .log_group_name("/storefront/app")
        .send()
        .await
        .unwrap();
    logs.create_log_stream()
        .log_group_name("/storefront/app")
        .log_stream_name("web-1")
        .send()
        .await
        .unwrap();
    let now = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    let mut put = logs
        .put_log_events()
        .log_group_name("/storefront/app")
        .log_stream_name("web-1");
    for i in 0..50 {
        put = put.log_events(
            InputLogEvent::builder()
                .timestamp(now - 1000 + i)
                .message(format!("ERROR upstream timed out after 30s request={i}"))
                .build()
                .unwrap(),
        );
    }
    put.send().await.unwrap();
    let stored = logs
        .describe_log_groups()
        .send()
        .await
        .unwrap()
        .log_groups()[0]
        .stored_bytes()
        .unwrap_or_default();

    let dir = tempfile::tempdir().unwrap();
    let json: Value = serde_json::from_str(&stdout(&mut unyo(
        &moto,
        &dir,
        &[
            "cost",
            "estimate",
            "logs",
            "--group",
            "/storefront/app",
            "--since",
            "24h",
            "--json",
        ],
    )))
    .unwrap();
    assert_eq!(json["upperBound"], true);
    // stored bytes / 2^30 GB × $0.005
    let expected = rust_decimal::Decimal::from(stored) / rust_decimal::Decimal::from(1u64 << 30)
        * rust_decimal::Decimal::new(5, 3);
    let total: rust_decimal::Decimal = json["total"].as_str().unwrap().parse().unwrap();
    assert_eq!(total, expected);

    let missing = unyo(
        &moto,
        &dir,
        &["cost", "estimate", "logs", "--group", "/nope"],
    )
    .output()
    .unwrap();
    assert!(!missing.status.success());
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&missing.stdout),
        String::from_utf8_lossy(&missing.stderr)
    );
    assert!(
        said.contains("there is no log group /nope in us-east-1"),
        "{said}"
    );
}

#[test]
fn the_month_lists_what_the_account_used_against_the_free_tiers() {
    let out = stdout(&mut hermetic::unyo(&["cost", "month", "--practice"]));
    // The practice team restarted the Tokyo batch worker once this month.
    assert!(out.contains("Automation steps (1 executions)"), "{out}");
    for tool in [
        "Metric alarms",
        "Custom metrics",
        "Dashboards",
        "Log data (taken in + stored)",
    ] {
        assert!(out.contains(tool), "{tool} missing from {out}");
    }
    assert!(out.contains("5.000 GB"), "the logs' free tier in GB: {out}");
    let json: Value = serde_json::from_str(&stdout(&mut hermetic::unyo(&[
        "cost",
        "month",
        "--practice",
        "--json",
    ])))
    .unwrap();
    assert_eq!(json["region"], "ap-northeast-1");
    assert_eq!(json["alarms"]["free"], 10);
    assert_eq!(json["alarms"]["estimate"]["free"], true);
    assert_eq!(json["customMetrics"]["free"], 10);
    assert_eq!(json["dashboards"]["used"], 0);
    assert_eq!(json["logsData"]["free"], 5u64 << 30);
    assert_eq!(json["gaps"], serde_json::json!([]));
}
