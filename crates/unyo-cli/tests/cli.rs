//! The `unyo` binary as a script sees it: stdout, stderr and exit codes.
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot read its own output should fail loudly"
)]

use std::io::{Read, Write};
use std::net::TcpStream;

use assert_cmd::Command;
use serde_json::Value;
use unyo_testkit::Moto;

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
    assert_eq!(web["patches"]["state"], "compliant");
    assert_eq!(web["patches"]["operation"], "scan");
    let proxy = instances
        .iter()
        .find(|i| i["name"] == "db-proxy-1")
        .unwrap();
    assert_eq!(proxy["patches"]["state"], "nonCompliant");
    assert_eq!(proxy["patches"]["criticalNonCompliant"], 2);
    let bastion = instances
        .iter()
        .find(|i| i["name"] == "bastion-legacy")
        .unwrap();
    assert_eq!(
        bastion["patches"],
        Value::Null,
        "no data is null, not made up"
    );
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
fn fleet_without_a_profile_says_how_to_name_one() {
    let out = unyo()
        .env_remove("AWS_PROFILE")
        .args(["fleet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--profile") && err.contains("--practice"),
        "{err}"
    );
}

#[test]
fn fleet_table_shows_names_and_old_agents() {
    let out = unyo().args(["fleet", "--practice"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("web-prod-1"));
    assert!(text.contains("2.3.1319.0 (old)"));
    assert!(
        text.contains("PATCHES") && text.contains("7 missing"),
        "{text}"
    );
    assert!(text.contains("22 instances"));
}

/// Calls an AWS query API on moto by hand: this crate has no EC2 SDK, and moto routes on the
/// credential scope (region and service) without checking the signature.
fn moto_query(moto: &Moto, region: &str, service: &str, body: &str) -> String {
    let host = moto.url().trim_start_matches("http://").to_owned();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20270115/{region}/{service}/aws4_request, SignedHeaders=host, Signature=0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(&host).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    answer
}

/// Runs an instance called `name` in `region` on moto; returns its id.
fn run_instance(moto: &Moto, region: &str, name: &str) -> String {
    let answer = moto_query(
        moto,
        region,
        "ec2",
        &format!(
            "Action=RunInstances&Version=2016-11-15&ImageId=ami-12c6146b&InstanceType=t3.micro&MinCount=1&MaxCount=1\
             &TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value={name}"
        ),
    );
    let start = answer.find("<instanceId>").unwrap() + "<instanceId>".len();
    let end = start + answer[start..].find("</instanceId>").unwrap();
    answer[start..end].to_owned()
}

/// `unyo fleet --json --endpoint-url MOTO` with AWS files in `dir`: profile `ops` in Tokyo and
/// `virginia` in us-east-1, both without retries (moto answers DescribeInstanceInformation
/// with HTTP 500, which the SDK would otherwise retry).
fn fleet_on_moto(dir: &tempfile::TempDir, moto: &Moto) -> Command {
    let config = dir.path().join("config");
    let credentials = dir.path().join("credentials");
    std::fs::write(
        &config,
        "[profile ops]\nregion = ap-northeast-1\nmax_attempts = 1\n\
         [profile virginia]\nregion = us-east-1\nmax_attempts = 1\n",
    )
    .unwrap();
    let keys = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    std::fs::write(&credentials, format!("[ops]\n{keys}[virginia]\n{keys}")).unwrap();
    let mut cmd = unyo();
    cmd.env("XDG_CONFIG_HOME", dir.path().join("xdg"))
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .args(["fleet", "--json", "--endpoint-url", &moto.url()]);
    cmd
}

fn names(value: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = value["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    names
}

#[test]
fn fleet_lists_a_profiles_region_from_moto_and_exits_3_when_ssm_cannot_answer() {
    let moto = Moto::start();
    let web = run_instance(&moto, "ap-northeast-1", "web-1");
    run_instance(&moto, "us-east-1", "api-1");
    let dir = tempfile::tempdir().unwrap();
    let (value, code) = json_out(fleet_on_moto(&dir, &moto).args(["--profile", "ops"]));
    assert_eq!(code, 3, "{value}");
    assert_eq!(names(&value), ["web-1"], "only the profile's own region");
    let instance = &value["instances"][0];
    assert_eq!(instance["id"], web.as_str());
    assert_eq!(instance["accountId"], "123456789012");
    assert_eq!(instance["pingStatus"], "unknown");
    let failures = value["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{value}");
    assert_eq!(failures[0]["profile"], "ops");
    assert_eq!(failures[0]["region"], "ap-northeast-1");
    assert!(
        failures[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("DescribeInstanceInformation"),
        "{value}"
    );
}

#[test]
fn fleet_lists_the_regions_and_profiles_named_and_reports_a_missing_profile() {
    let moto = Moto::start();
    run_instance(&moto, "ap-northeast-1", "web-1");
    run_instance(&moto, "us-east-1", "api-1");
    let dir = tempfile::tempdir().unwrap();
    let (value, code) = json_out(fleet_on_moto(&dir, &moto).args([
        "--profile",
        "ops",
        "--profile",
        "ghost",
        "--region",
        "us-east-1",
        "--region",
        "ap-northeast-1",
    ]));
    assert_eq!(code, 3, "{value}");
    assert_eq!(names(&value), ["api-1", "web-1"]);
    let ghost: Vec<&Value> = value["failures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["profile"] == "ghost")
        .collect();
    assert_eq!(ghost.len(), 1, "{value}");
    assert_eq!(ghost[0]["error"]["code"], "InvalidInput");
    assert!(ghost[0].get("region").is_none(), "the whole account failed");

    let (value, code) = json_out(fleet_on_moto(&dir, &moto).args(["--profile", "ghost"]));
    assert_eq!(code, 1);
    assert_eq!(value["error"]["code"], "InvalidInput", "{value}");
}

#[test]
fn fleet_with_only_environment_keys_uses_the_default_chain() {
    // Before the default chain, this failed with "no profile given".
    let moto = Moto::start();
    run_instance(&moto, "eu-west-1", "env-1");
    let dir = tempfile::tempdir().unwrap();
    let (value, code) = json_out(
        fleet_on_moto(&dir, &moto)
            .env("AWS_CONFIG_FILE", dir.path().join("none"))
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "eu-west-1")
            .env("AWS_MAX_ATTEMPTS", "1"),
    );
    assert_eq!(names(&value), ["env-1"], "{value}");
    // moto cannot answer DescribeInstanceInformation, as in the profile tests above.
    assert_eq!(code, 3, "{value}");
}

#[test]
fn fleet_all_regions_starts_with_the_profiles_own() {
    let moto = Moto::start();
    run_instance(&moto, "ap-northeast-1", "web-1");
    run_instance(&moto, "us-east-1", "api-1");
    let dir = tempfile::tempdir().unwrap();
    let (value, code) = json_out(
        fleet_on_moto(&dir, &moto)
            .env("AWS_PROFILE", "virginia")
            .arg("--all-regions"),
    );
    assert_eq!(code, 3, "{value}");
    assert_eq!(names(&value), ["api-1", "web-1"]);
    let regions: Vec<&str> = value["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["region"].as_str().unwrap())
        .collect();
    assert_eq!(regions[0], "us-east-1");
    assert!(
        regions.contains(&"ap-northeast-1") && regions.len() > 10,
        "{regions:?}"
    );
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
