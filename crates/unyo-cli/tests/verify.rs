//! `unyo verify` and `unyo runbook run` on the practice account, as a user runs them. The
//! practice clock follows real time, so the runbooks here are the short ones
//! (TroubleshootSSH's CheckAll about 22 s, TroubleshootManagedInstance about 16 s); the tests
//! run in parallel, so the file takes about as long as the longest.
//!
//! Whether a check *passes* depends on the practice shell running the probes' commands as a
//! host would (`$?`, `2>&1`, `stat -c`, `ss -tln`), which it does.
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot read its own output should fail loudly"
)]

#[path = "support/hermetic.rs"]
mod hermetic;

use hermetic::run;
use serde_json::Value;

/// web-prod-1 in Tokyo, the practice account's home region: managed, Linux, sshd healthy.
const WEB_PROD_1: &str = "i-0a1f3c5e7b9d10001";

/// The exit code a verification's verdict promises.
fn exit_of(verdict: &str) -> i32 {
    match verdict {
        "passed" => 0,
        "failed" => 1,
        "unknown" => 3,
        other => panic!("no such verdict: {other}"),
    }
}

#[test]
fn verify_json_judges_each_sshd_check_and_never_passes_one_that_could_not_run() {
    let (stdout, stderr, code) = run(&[
        "verify",
        "--practice",
        WEB_PROD_1,
        "--checks",
        "sshd",
        "--json",
    ]);
    let value: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    let results = value["results"].as_array().unwrap();
    let kinds: Vec<&str> = results
        .iter()
        .map(|r| r["probe"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "serviceActive",
            "serviceEnabled",
            "configTest",
            "fileMode",
            "portListening"
        ]
    );
    for result in results {
        let verdict = result["verdict"].as_str().unwrap();
        assert!(
            ["passed", "failed", "unknown"].contains(&verdict),
            "{result}"
        );
        assert!(
            !result["summary"]["en"].as_str().unwrap().is_empty(),
            "{result}"
        );
        assert!(
            !result["summary"]["ja"].as_str().unwrap().is_empty(),
            "{result}"
        );
        // A command the host does not have (or a use of it the practice shell does not
        // know) is never a pass.
        let evidence = result["evidence"].as_str().unwrap();
        if evidence.contains("command not found") || evidence.contains("practice shell supports") {
            assert_ne!(verdict, "passed", "{result}");
        }
    }
    // The overall verdict is the worst one, and the exit code says it.
    let verdicts: Vec<&str> = results
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    let expected = if verdicts.contains(&"failed") {
        "failed"
    } else if verdicts.contains(&"unknown") {
        "unknown"
    } else {
        "passed"
    };
    assert_eq!(value["verdict"], expected);
    assert_eq!(code, exit_of(expected), "{stderr}");
    assert!(
        value["summary"]["en"]
            .as_str()
            .unwrap()
            .contains("of 5 checks")
            || expected == "passed"
    );
}

/// Needs the practice shell to run the probes' commands as a host would (`$?` in the end
/// markers, `2>&1`, `stat -c '%U %a'`); web-prod-1's sshd is healthy, so all five pass.
#[test]
fn verify_passes_every_sshd_check_on_a_healthy_practice_host() {
    let (stdout, stderr, code) = run(&[
        "verify",
        "--practice",
        WEB_PROD_1,
        "--checks",
        "sshd",
        "--json",
    ]);
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["verdict"], "passed", "{stdout}");
    assert_eq!(value["summary"]["en"], "all 5 checks passed");
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn verify_prints_a_table_its_summary_and_explains_the_run_command() {
    let (stdout, stderr, code) = run(&[
        "verify",
        "--practice",
        WEB_PROD_1,
        "--checks",
        "ssh",
        "--explain",
    ]);
    for header in [
        "CHECK",
        "VERDICT",
        "WHY",
        "sshd is active",
        "port 22 is listening",
    ] {
        assert!(stdout.contains(header), "{stdout}");
    }
    let summary = stdout.lines().last().unwrap();
    let verdict = if summary.contains("failed") {
        "failed"
    } else if summary.contains("could not be read") {
        "unknown"
    } else {
        assert_eq!(summary, "all 5 checks passed");
        "passed"
    };
    assert_eq!(code, exit_of(verdict), "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "aws ssm send-command --region ap-northeast-1 --document-name AWS-RunShellScript"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("systemctl is-active sshd"), "{stderr}");
}

#[test]
fn an_unknown_check_set_lists_the_known_ones() {
    let (stdout, stderr, code) = run(&["verify", "--practice", WEB_PROD_1, "--checks", "nginx"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.contains("`nginx`") && stderr.contains("sshd, rdp"),
        "{stderr}"
    );

    let (stdout, _, code) = run(&[
        "verify",
        "--practice",
        WEB_PROD_1,
        "--checks",
        "nginx",
        "--json",
    ]);
    assert_eq!(code, 1);
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .contains("sshd, rdp"),
        "{value}"
    );
}

#[test]
fn runbook_run_without_yes_and_no_terminal_is_refused_and_starts_nothing() {
    let (stdout, stderr, code) = run(&[
        "runbook",
        "run",
        "AWSSupport-TroubleshootSSH",
        "--practice",
        "--target",
        WEB_PROD_1,
        "--param",
        "Action=FixAll",
    ]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    // The change is shown, then refused.
    assert!(stdout.contains("ssm:StartAutomationExecution"), "{stdout}");
    assert!(
        stdout.contains(
            r#"--parameters '{"Action":["FixAll"],"InstanceId":["i-0a1f3c5e7b9d10001"]}'"#
        ),
        "{stdout}"
    );
    assert!(
        stderr.contains("nothing was started") && stderr.contains("--yes"),
        "{stderr}"
    );
    assert!(!stdout.contains("Started execution"), "{stdout}");
    assert!(!stdout.contains("Runbook:"), "{stdout}");
}

#[test]
fn runbook_run_names_an_unknown_runbook() {
    let (stdout, stderr, code) = run(&[
        "runbook",
        "run",
        "AWS-NoSuchRunbook",
        "--practice",
        "--target",
        WEB_PROD_1,
        "--yes",
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stderr.contains("AWS-NoSuchRunbook"), "{stderr}");
    assert!(!stdout.contains("Started execution"), "{stdout}");
}

/// TroubleshootSSH's CheckAll only reads, so web-prod-1 stays as it was; its checks run after.
#[test]
fn runbook_run_follows_each_step_then_verifies_the_runbooks_goal() {
    let (stdout, stderr, code) = run(&[
        "runbook",
        "run",
        "AWSSupport-TroubleshootSSH",
        "--practice",
        "--target",
        WEB_PROD_1,
        "--yes",
    ]);
    assert!(stdout.contains("Started execution "), "{stdout}{stderr}");
    for step in [
        "assertInstanceIsLinux",
        "assertInstanceIsManaged",
        "installEC2Rescue",
        "runEC2RescueForOpenSSH",
    ] {
        let ended = stdout
            .lines()
            .any(|l| l.contains(step) && l.ends_with("Success"));
        assert!(ended, "{step} never ended: {stdout}");
    }
    // Each change is printed once: a step's line never repeats.
    let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with("  ")).collect();
    let mut unique = lines.clone();
    unique.dedup();
    assert_eq!(lines, unique, "{stdout}");
    assert!(
        stdout.contains("CHECK") && stdout.contains("sshd is active"),
        "{stdout}"
    );
    // It can change the host, so the preview says how and the checks ran before it too.
    assert!(
        stdout.contains("  Changes:  Reads only with Action=CheckAll"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  Checks:   sshd is active; sshd starts at boot;"),
        "{stdout}"
    );
    assert!(
        stdout.contains("BEFORE") && stdout.contains("AFTER"),
        "{stdout}"
    );
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with("Runbook: Success. Verification: "),
        "{last}"
    );
    let verdict = if last.contains("checks failed") {
        "failed"
    } else if last.contains("could not be read") {
        "unknown"
    } else {
        assert!(last.ends_with("all 5 checks passed"), "{last}");
        "passed"
    };
    assert_eq!(code, exit_of(verdict), "{stdout}{stderr}");
}

/// A read-only runbook: no baseline is taken, its agent checks pass on a healthy host, and
/// `--json` keeps stdout one document while the steps go to stderr.
#[test]
fn runbook_run_json_of_a_read_only_runbook_reports_the_execution_and_its_checks() {
    let (stdout, stderr, code) = run(&[
        "runbook",
        "run",
        "AWSSupport-TroubleshootManagedInstance",
        "--practice",
        "--target",
        WEB_PROD_1,
        "--yes",
        "--json",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let value: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(value["execution"]["status"], "Success", "{value}");
    assert_eq!(
        value["execution"]["documentName"],
        "AWSSupport-TroubleshootManagedInstance"
    );
    assert_eq!(value["verification"]["verdict"], "passed", "{value}");
    assert_eq!(value["baseline"], Value::Null);
    assert!(
        stderr.contains("generateReport") && stderr.contains("Success"),
        "{stderr}"
    );
}
