//! `unyo` as the incident tests run it: never the developer's real `~/.aws`, keys, endpoint,
//! region or instance role, and stdin empty and not a terminal, as in CI.

#![allow(dead_code, reason = "each test file uses part of it")]

use assert_cmd::Command;

pub fn unyo(args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("unyo").unwrap();
    cmd.env("HOME", "/nonexistent-home")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("XDG_DATA_HOME")
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .args(args);
    cmd
}

/// `unyo ARGS --profile ops --endpoint-url ENDPOINT`, hermetic, with its own AWS files (an
/// `ops` profile in `region` with test keys) and config dir under `dir`.
pub fn with_profile(endpoint: &str, dir: &std::path::Path, region: &str, args: &[&str]) -> Command {
    let config = dir.join("config");
    let credentials = dir.join("credentials");
    std::fs::write(
        &config,
        format!("[profile ops]\nregion = {region}\nmax_attempts = 1\n"),
    )
    .unwrap();
    std::fs::write(
        &credentials,
        "[ops]\naws_access_key_id = testing\naws_secret_access_key = testing\n",
    )
    .unwrap();
    let mut cmd = unyo(args);
    cmd.env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("xdg"))
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .args(["--profile", "ops", "--endpoint-url", endpoint]);
    cmd
}

/// stdout, stderr and the exit code.
pub fn run(args: &[&str]) -> (String, String, i32) {
    let out = unyo(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}
