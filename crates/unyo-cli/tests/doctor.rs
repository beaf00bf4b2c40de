//! `unyo doctor` as a script sees it, on the practice account: stdout, stderr and exit codes.
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot read its own output should fail loudly"
)]

use assert_cmd::Command;
use serde_json::Value;

const API_PROD_2: &str = "i-0a1f3c5e7b9d10004";
const WEB_PROD_1: &str = "i-0a1f3c5e7b9d10001";
const BASTION: &str = "i-0a1f3c5e7b9d10006";

fn unyo() -> Command {
    let mut cmd = Command::cargo_bin("unyo").unwrap();
    // Hermetic: never the developer's real ~/.aws.
    cmd.env("HOME", "/nonexistent-home")
        // With no profile the SDK's default chain is next: no keys from the environment,
        // and no instance metadata service (not loopback).
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_WEB_IDENTITY_TOKEN_FILE")
        .env_remove("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        .env_remove("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .env_remove("AWS_PROFILE");
    cmd
}

fn run(args: &[&str]) -> (String, String, i32) {
    let out = unyo().args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report:#}"))
}

#[test]
fn a_healthy_instance_passes_with_exit_0() {
    let (stdout, _, code) = run(&["doctor", "--practice", WEB_PROD_1, "--json"]);
    assert_eq!(code, 0, "{stdout}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["instanceId"], WEB_PROD_1);
    assert_eq!(report["verdict"]["outcome"], "ready");
    assert_eq!(report["verdict"]["summary"], "Session Manager will work");
    assert_eq!(check(&report, "network-route")["status"], "pass");
}

#[test]
fn a_failing_instance_says_why_and_exits_1() {
    let (stdout, _, code) = run(&["doctor", "--practice", API_PROD_2, "--json"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["verdict"]["outcome"], "notReady");
    let egress = check(&report, "security-group-egress");
    assert_eq!(egress["status"], "fail");
    assert!(
        egress["fix"]["commands"][0]
            .as_str()
            .unwrap()
            .starts_with("aws ec2 authorize-security-group-egress --region ap-northeast-1 --group-id sg-0aa10000000api2c")
    );
}

#[test]
fn the_table_shows_checks_and_the_fixes_to_paste() {
    let (stdout, _, code) = run(&["doctor", "--practice", BASTION]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with(&format!(
            "{BASTION} (bastion-legacy) in ap-northeast-1\nSession Manager won't work, because"
        )),
        "{stdout}"
    );
    assert!(stdout.contains("FAIL"), "{stdout}");
    assert!(stdout.contains("public-admin-ports"), "{stdout}");
    assert!(
        stdout.contains("    $ aws ssm start-automation-execution --region ap-northeast-1 --document-name AWS-DisablePublicAccessForSecurityGroup --parameters GroupId=sg-0aa10000000bastn"),
        "{stdout}"
    );
}

#[test]
fn a_region_as_json_markdown_and_csv() {
    let (stdout, _, code) = run(&["doctor", "--practice", "--region", "us-east-1", "--json"]);
    assert_eq!(code, 1, "some Virginia instances are not ready");
    let region: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(region["summary"]["region"], "us-east-1");
    assert_eq!(region["summary"]["instances"], 10);
    assert_eq!(region["reports"].as_array().unwrap().len(), 10);

    let (markdown, _, _) = run(&[
        "doctor",
        "--practice",
        "--region",
        "us-east-1",
        "--format",
        "markdown",
    ]);
    assert!(
        markdown.starts_with("# Session Manager readiness: us-east-1\n\n10 instances:"),
        "{markdown}"
    );
    assert!(markdown.contains("## i-0f9e8d7c6b5a40021 (dev-sandbox)"));

    let (csv, _, _) = run(&[
        "doctor",
        "--practice",
        "--region",
        "us-east-1",
        "--format",
        "csv",
    ]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("region,instance_id,name,verdict,check,status,title,evidence,fix,commands,runbook")
    );
    assert!(
        csv.contains("us-east-1,i-0f9e8d7c6b5a40013,web-us-1,ready,instance-running,pass,"),
        "{csv}"
    );
}

#[test]
fn region_table_lists_every_instance() {
    let (stdout, _, code) = run(&["doctor", "--practice", "--region", "ap-northeast-1"]);
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("ap-northeast-1: 12 instances,"),
        "{stdout}"
    );
    assert!(stdout.contains("analytics-etl"));
}

#[test]
fn wrong_usage_and_unknown_targets() {
    let (_, stderr, code) = run(&["doctor", "--practice"]);
    assert_eq!(code, 2, "{stderr}");
    let (_, stderr, code) = run(&["doctor", "--practice", WEB_PROD_1, "--region", "us-east-1"]);
    assert_eq!(code, 2, "{stderr}");
    let (stdout, _, code) = run(&["doctor", "--practice", "i-nope", "--json"]);
    assert_eq!(code, 1);
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["error"]["code"], "InvalidInput");
    let (stdout, _, code) = run(&["doctor", "--practice", "--region", "eu-west-1", "--json"]);
    assert_eq!(code, 1);
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .contains("i-nope")
    );
    assert!(stdout.contains("eu-west-1"));
}

#[test]
fn without_a_profile_it_says_how_to_name_one() {
    let (stdout, _, code) = run(&["doctor", "--region", "us-east-1", "--json"]);
    assert_eq!(code, 1);
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["error"]["code"], "CredentialsInvalid");
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--practice")
    );
}
