//! The incident reads as a user sees them: `alarms`, `metrics`, `logs`, `trail`, `runbooks`
//! and `commands` on the practice account (every capability, its own clock), and Run Command
//! history on AWS through the default credential chain. `incident_aws.rs` has the AWS reads.
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot read its own output should fail loudly"
)]

#[path = "support/hermetic.rs"]
mod hermetic;

use hermetic::{run, unyo};
use serde_json::Value;
use unyo_testkit::Moto;

fn json(args: &[&str]) -> Value {
    let (stdout, stderr, code) = run(args);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn names<'a>(items: &'a Value, field: &str) -> Vec<&'a str> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[field].as_str().unwrap())
        .collect()
}

#[test]
fn alarms_json_lists_the_practice_alarms_of_every_region() {
    let value = json(&["alarms", "--practice", "--json"]);
    let alarms = names(&value["alarms"], "name");
    assert!(alarms.contains(&"web-prod-1-cpu-high"), "{alarms:?}");
    assert!(alarms.contains(&"web-us-1-cpu-high"), "{alarms:?}");
    assert_eq!(value["failures"], Value::Array(vec![]));
}

#[test]
fn alarms_table_filters_and_explains_one_command_per_region() {
    let (stdout, stderr, code) = run(&[
        "alarms",
        "--practice",
        "--state",
        "OK",
        "--prefix",
        "web-",
        "--explain",
    ]);
    assert_eq!(code, 0, "{stderr}");
    for header in ["NAME", "STATE", "SINCE", "REGION", "INSTANCE", "REASON"] {
        assert!(stdout.contains(header), "{stdout}");
    }
    assert!(stdout.contains("web-prod-1-cpu-high") && !stdout.contains("batch-worker"));
    assert!(
        stderr.contains(
            "aws cloudwatch describe-alarms --region ap-northeast-1 --state-value OK --alarm-name-prefix web-"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--region us-east-1"), "{stderr}");
}

#[test]
fn a_region_that_fails_is_reported_beside_the_others_with_exit_3() {
    let (stdout, stderr, code) = run(&[
        "alarms",
        "--practice",
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
    ]);
    assert_eq!(code, 3);
    assert!(stdout.contains("web-us-1-cpu-high"), "{stdout}");
    assert!(
        stderr.contains("eu-west-1") && stderr.contains("InvalidInput"),
        "{stderr}"
    );
}

#[test]
fn metrics_of_an_alarm_show_its_threshold() {
    let value = json(&[
        "metrics",
        "--practice",
        "web-prod-1-cpu-high",
        "--since",
        "30m",
        "--json",
    ]);
    assert_eq!(value["alarm"]["metric"]["threshold"], 80.0);
    assert_eq!(value["series"][0]["metric"]["metricName"], "CPUUtilization");
    assert_eq!(value["series"][0]["points"].as_array().unwrap().len(), 30);

    let (stdout, stderr, code) =
        run(&["metrics", "--practice", "web-prod-1-cpu-high", "--explain"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("fires when CPUUtilization > 80"),
        "{stdout}"
    );
    assert!(
        stderr.starts_with("aws cloudwatch get-metric-statistics"),
        "{stderr}"
    );
}

#[test]
fn metrics_of_an_instance_are_ec2s_and_the_agents_disk() {
    let value = json(&["metrics", "--practice", "i-0a1f3c5e7b9d10001", "--json"]);
    let series: Vec<&str> = value["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["metric"]["metricName"].as_str().unwrap())
        .collect();
    // EC2's own six, then what the CloudWatch agent publishes there (disk, not memory).
    assert_eq!(
        series,
        [
            "CPUUtilization",
            "StatusCheckFailed",
            "StatusCheckFailed_Instance",
            "StatusCheckFailed_System",
            "NetworkIn",
            "NetworkOut",
            "disk_used_percent",
        ]
    );
    assert!(value.get("failures").is_none(), "{value}");
}

#[test]
fn logs_groups_lists_and_filters() {
    let value = json(&[
        "logs",
        "groups",
        "--practice",
        "--json",
        "--filter",
        "storefront",
    ]);
    assert_eq!(names(&value["logGroups"], "name"), ["/storefront/app"]);
    let (stdout, stderr, code) = run(&["logs", "groups", "--practice", "--explain"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("/nightly-batch/app"), "{stdout}");
    assert!(
        stderr.contains("aws logs describe-log-groups --region ap-northeast-1"),
        "{stderr}"
    );
}

#[test]
fn logs_tail_prints_matching_events_oldest_first() {
    let (stdout, stderr, code) = run(&[
        "logs",
        "tail",
        "--practice",
        "/storefront/app",
        "--since",
        "10m",
        "--contains",
        "GET",
        "--explain",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l.contains("GET")), "{stdout}");
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted);
    assert!(stderr.contains("aws logs filter-log-events"), "{stderr}");

    let value = json(&["logs", "tail", "--practice", "/storefront/app", "--json"]);
    assert!(!value["events"].as_array().unwrap().is_empty());
}

#[test]
fn logs_query_prints_its_rows_and_the_bytes_scanned() {
    let query = "fields @timestamp, @message | limit 5";
    let (stdout, stderr, code) = run(&[
        "logs",
        "query",
        "--practice",
        "--group",
        "/storefront/app",
        "--since",
        "1h",
        query,
        "--explain",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "@timestamp\t@message");
    assert_eq!(lines.len(), 6, "a header and 5 rows: {stdout}");
    assert!(stderr.contains("aws logs start-query"), "{stderr}");
    assert!(stderr.contains("bytes scanned"), "{stderr}");

    let value = json(&[
        "logs",
        "query",
        "--practice",
        "--group",
        "/storefront/app",
        query,
        "--json",
    ]);
    assert_eq!(value["status"], "Complete");
    assert_eq!(value["result"]["rows"].as_array().unwrap().len(), 5);
}

#[test]
fn trail_shows_changes_unless_all_and_filters_by_user() {
    let (stdout, stderr, code) = run(&["trail", "--practice", "--since", "1d", "--explain"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("StartSession"), "{stdout}");
    assert!(
        stderr.contains("aws cloudtrail lookup-events")
            && stderr.contains("AttributeKey=ReadOnly,AttributeValue=false"),
        "{stderr}"
    );
    let changes = json(&["trail", "--practice", "--since", "1d", "--json"]);
    assert!(
        changes["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["readOnly"] == false)
    );
    let all = json(&["trail", "--practice", "--since", "1d", "--all", "--json"]);
    assert!(all["events"].as_array().unwrap().len() >= changes["events"].as_array().unwrap().len());
    let alice = json(&[
        "trail",
        "--practice",
        "--since",
        "1d",
        "--user",
        "alice",
        "--json",
    ]);
    let users = names(&alice["events"], "username");
    assert!(
        !users.is_empty() && users.iter().all(|u| *u == "alice"),
        "{users:?}"
    );
}

#[test]
fn runbooks_list_and_describe_parameters() {
    let (stdout, _, code) = run(&["runbooks", "--practice"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("AWS-RestartEC2Instance"), "{stdout}");

    let runbook = json(&[
        "runbooks",
        "--practice",
        "--describe",
        "AWS-RestartEC2Instance",
        "--json",
    ]);
    let instance = runbook["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "InstanceId")
        .unwrap();
    assert_eq!(instance["required"], true);
    assert_eq!(runbook["steps"][0]["effect"], "changes");
    let (stdout, stderr, code) = run(&[
        "runbooks",
        "--practice",
        "--describe",
        "AWS-RestartEC2Instance",
        "--explain",
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("PARAMETER") && stdout.contains("InstanceId"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1. stopInstances (aws:changeInstanceState): changes resources"),
        "{stdout}"
    );
    assert!(
        stderr.contains(
            "aws ssm describe-document --region ap-northeast-1 --name AWS-RestartEC2Instance"
        ),
        "{stderr}"
    );
}

#[test]
fn commands_lists_run_command_history() {
    let value = json(&["commands", "--practice", "--json"]);
    assert!(value["commands"].is_array());
    let (stdout, stderr, code) = run(&["commands", "--practice", "--explain"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("COMMAND ID") && stdout.contains("commands"),
        "{stdout}"
    );
    assert!(
        stderr.contains("aws ssm list-commands --region us-east-1"),
        "{stderr}"
    );
}

#[test]
fn a_bad_duration_says_how_to_write_one() {
    let (_, stderr, code) = run(&[
        "logs",
        "tail",
        "--practice",
        "/storefront/app",
        "--since",
        "10x",
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`10x` is not a duration") && stderr.contains("30m"),
        "{stderr}"
    );
}

#[test]
fn commands_on_moto_through_the_default_chain() {
    let moto = Moto::start();
    let (stdout, stderr, code) = {
        let out = unyo(&["commands", "--json", "--endpoint-url", &moto.url()])
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "eu-west-1")
            .output()
            .unwrap();
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
            out.status.code().unwrap(),
        )
    };
    assert_eq!(code, 0, "{stdout}{stderr}");
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["commands"], Value::Array(vec![]));
}
