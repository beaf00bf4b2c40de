//! `unyo whoami` against the moto AWS emulator on loopback: the real AWS SDK resolves a
//! profile from the files, signs, and calls STS. `cargo xtask test` installs moto and passes
//! its path in `UNYO_MOTO_SERVER`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test whose emulator cannot start should fail loudly"
)]

use assert_cmd::Command;
use serde_json::Value;
use unyo_testkit::{Moto, free_loopback_port};

/// `unyo` with its own AWS files and nothing from the developer's environment.
fn unyo(files: &tempfile::TempDir) -> Command {
    let config = files.path().join("config");
    let credentials = files.path().join("credentials");
    std::fs::write(&config, "[profile ops]\nregion = ap-northeast-1\n").unwrap();
    std::fs::write(
        &credentials,
        "[ops]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
    )
    .unwrap();
    let mut cmd = Command::cargo_bin("unyo").unwrap();
    cmd.env("HOME", files.path())
        .env("XDG_CONFIG_HOME", files.path().join("xdg"))
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL");
    cmd
}

fn run_json(cmd: &mut Command) -> (Value, i32) {
    let out = cmd.output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    (
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")),
        out.status.code().unwrap(),
    )
}

/// `unyo whoami --profile PROFILE --json --endpoint-url URL`: its JSON and exit code.
fn whoami(profile: &str, endpoint: &str) -> (Value, i32) {
    let files = tempfile::tempdir().unwrap();
    run_json(unyo(&files).args([
        "whoami",
        "--profile",
        profile,
        "--json",
        "--endpoint-url",
        endpoint,
    ]))
}

#[test]
fn whoami_resolves_a_profile_and_asks_sts() {
    let moto = Moto::start();
    let (value, code) = whoami("ops", &moto.url());
    assert_eq!(code, 0, "{value}");
    assert_eq!(value["profile"], "ops");
    assert_eq!(value["region"], "ap-northeast-1");
    assert_eq!(value["account"], "123456789012");
    assert!(
        value["arn"].as_str().unwrap().starts_with("arn:aws:"),
        "{value}"
    );
    assert!(
        !value.to_string().contains("wJalrXUtnFEMI"),
        "the secret key must never be printed"
    );
}

#[test]
fn an_unknown_profile_is_an_error_that_names_it() {
    let moto = Moto::start();
    let (value, code) = whoami("nope", &moto.url());
    assert_eq!(code, 1);
    assert_eq!(value["error"]["code"], "InvalidInput", "{value}");
    assert!(
        value["error"]["message"].as_str().unwrap().contains("nope"),
        "{value}"
    );
}

#[test]
fn an_unreachable_endpoint_is_a_network_error() {
    let url = format!("http://127.0.0.1:{}", free_loopback_port());
    let (value, code) = whoami("ops", &url);
    assert_eq!(code, 1);
    assert_eq!(value["error"]["code"], "Network", "{value}");
}
