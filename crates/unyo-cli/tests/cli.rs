//! The `unyo` binary as a script sees it: stdout, stderr and exit codes.
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot read its own output should fail loudly"
)]

use assert_cmd::Command;
use serde_json::Value;

fn unyo() -> Command {
    let mut cmd = Command::cargo_bin("unyo").unwrap();
    // Hermetic: never the developer's real ~/.aws.
    cmd.env("HOME", "/nonexistent-home")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE");
    cmd
}

fn json_out(cmd: &mut Command) -> (Value, i32) {
    let out = cmd.output().unwrap();
    let value = serde_json::from_slice(&out.stdout).unwrap();
    (value, out.status.code().unwrap())
}

#[test]
fn fleet_practice_json_lists_the_simulated_instances() {
    let (value, code) = json_out(unyo().args(["fleet", "--practice", "--json"]));
    assert_eq!(code, 0);
    let instances = value["instances"].as_array().unwrap();
    assert!(instances.len() >= 20);
    let web = instances
        .iter()
        .find(|i| i["name"] == "web-prod-1")
        .unwrap();
    assert_eq!(web["region"], "ap-northeast-1");
    assert_eq!(web["pingStatus"], "online");
    assert_eq!(value["failures"], Value::Array(vec![]));
}

#[test]
fn fleet_filters_by_region_and_text() {
    let (value, _) = json_out(unyo().args([
        "fleet",
        "--practice",
        "--json",
        "--region",
        "us-east-1",
        "--filter",
        "win",
    ]));
    let names: Vec<&str> = value["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["win-sql-1", "win-build-1"]);
}

#[test]
fn unknown_region_is_an_error_document_with_exit_1() {
    let (value, code) =
        json_out(unyo().args(["fleet", "--practice", "--json", "--region", "eu-west-1"]));
    assert_eq!(code, 1);
    assert_eq!(value["error"]["code"], "InvalidInput");
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .contains("eu-west-1")
    );
}

#[test]
fn fleet_without_an_account_is_a_usage_error() {
    let out = unyo().args(["fleet"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--practice"));
}

#[test]
fn fleet_table_shows_names_and_old_agents() {
    let out = unyo().args(["fleet", "--practice"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("web-prod-1"));
    assert!(text.contains("2.3.1319.0 (old)"));
    assert!(text.contains("22 instances"));
}

#[test]
fn profiles_list_reports_issues_with_exit_3_and_keeps_good_profiles() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        "[profile ok]\nregion = us-west-2\n[profile broken\n",
    )
    .unwrap();
    let (value, code) = json_out(
        unyo()
            .env("AWS_CONFIG_FILE", &config)
            .args(["profiles", "list", "--json"]),
    );
    assert_eq!(code, 3);
    assert_eq!(value["profiles"][0]["name"], "ok");
    assert_eq!(value["profiles"][0]["region"], "us-west-2");
    assert_eq!(value["issues"][0]["line"], 3);
}

#[test]
fn profiles_list_shows_each_chain_and_what_breaks_one() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        "[profile base]\nregion = us-east-1\n\
         [profile ops]\nrole_arn = arn:aws:iam::111122223333:role/Ops\nsource_profile = base\nmfa_serial = arn:aws:iam::111122223333:mfa/alice\n\
         [profile lost]\nrole_arn = arn:aws:iam::111122223333:role/Ops\nsource_profile = gone\n",
    )
    .unwrap();
    let (value, code) = json_out(
        unyo()
            .env("AWS_CONFIG_FILE", &config)
            .args(["profiles", "list", "--json"]),
    );
    assert_eq!(code, 0, "{value}");
    let by_name = |name: &str| {
        value["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(by_name("ops")["chain"], serde_json::json!(["base"]));
    assert_eq!(
        by_name("ops")["mfaSerial"],
        "arn:aws:iam::111122223333:mfa/alice"
    );
    assert_eq!(by_name("ops")["origin"], "awsFiles");
    assert!(
        by_name("lost")["problem"]
            .as_str()
            .unwrap()
            .contains("`gone` is not defined"),
        "{value}"
    );
}

#[test]
fn profiles_list_with_no_aws_files_is_empty_and_ok() {
    let (value, code) = json_out(unyo().args(["profiles", "list", "--json"]));
    assert_eq!(code, 0);
    assert_eq!(value["profiles"], Value::Array(vec![]));
}

#[test]
fn session_runs_piped_commands_and_exits_with_the_shell_status() {
    let out = unyo()
        .args(["session", "--practice", "i-0a1f3c5e7b9d10001"])
        .write_stdin("systemctl is-active sshd\nsystemctl is-active nosuch\nexit\n")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("sh-5.2$ "), "{text}");
    assert!(
        text.contains("systemctl is-active sshd\r\nactive\r\n"),
        "{text}"
    );
    assert_eq!(
        out.status.code(),
        Some(4),
        "the status of the last command before exit"
    );
}

#[test]
fn session_on_an_unreachable_instance_says_why() {
    let out = unyo()
        .args(["session", "--practice", "i-0a1f3c5e7b9d10006"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("never registered") && err.contains("TargetNotConnected"),
        "{err}"
    );
}
