//! Verification probes (`unyo_core::verify`) on the practice account, through the Cloud
//! port: in "sshd stopped", AWSSupport-TroubleshootSSH's FixAll reports Success while sshd
//! stays stopped and sshd_config is left at 0655, as in the seed incident; the checks say so,
//! and pass once the learner has fixed the host.
#![allow(
    clippy::unwrap_used,
    reason = "a failed step should fail the test loudly"
)]

mod common;

use std::time::Duration;

use unyo_core::automation::ExecutionStatus;
use unyo_core::run_command::CommandStatus;
use unyo_core::verify::{CheckResult, Verdict, VerifyRequest, catalog, overall, run_checks};

const ID: &str = "sshd-stopped";
const WEB_PROD_2: &str = "i-0a1f3c5e7b9d10002";
const TOKYO: &str = "ap-northeast-1";

fn request() -> VerifyRequest {
    VerifyRequest {
        region: TOKYO.into(),
        instance_id: WEB_PROD_2.into(),
        probes: catalog::ssh(),
    }
}

async fn checks(p: &common::Practice) -> Vec<CheckResult> {
    let run = common::Ticking::new(p);
    run_checks(&run, &request(), Duration::ZERO, Duration::from_secs(60))
        .await
        .unwrap()
}

fn verdicts(results: &[CheckResult]) -> Vec<Verdict> {
    results.iter().map(|r| r.verdict).collect()
}

fn summaries(results: &[CheckResult]) -> Vec<&str> {
    results
        .iter()
        .filter(|r| r.verdict != Verdict::Passed)
        .map(|r| r.summary.en.as_str())
        .collect()
}

#[tokio::test]
async fn the_checks_see_through_fixalls_success_until_the_learner_fixes_the_host() {
    use Verdict::{Failed, Passed};
    let p = common::practice();
    p.start(ID);

    let before = checks(&p).await;
    // The scenario stopped *and disabled* sshd, so "starts at boot" fails as well.
    assert_eq!(
        verdicts(&before),
        [Failed, Failed, Passed, Passed, Failed],
        "{before:#?}"
    );
    assert_eq!(
        summaries(&before),
        [
            "sshd is inactive",
            "sshd does not start at boot (disabled)",
            "nothing listens on port 22"
        ]
    );
    assert_eq!(before[3].evidence, "root 600");

    let run = p
        .automation(
            TOKYO,
            "AWSSupport-TroubleshootSSH",
            &[("InstanceId", WEB_PROD_2), ("Action", "FixAll")],
        )
        .await;
    assert_eq!(run.status, ExecutionStatus::Success);
    let report = &run.outputs["runEC2RescueForOpenSSH.Output"][0];
    assert!(report.contains("all detected problems fixed"), "{report}");

    let after = checks(&p).await;
    assert_eq!(
        verdicts(&after),
        [Failed, Failed, Passed, Failed, Failed],
        "{after:#?}"
    );
    assert_eq!(
        summaries(&after),
        [
            "sshd is inactive",
            "sshd does not start at boot (disabled)",
            "sshd_config mode 0655 is wider than 0644",
            "nothing listens on port 22"
        ]
    );
    assert_eq!(after[3].evidence, "root 655");

    // The learner fixes the host in a Session Manager shell.
    let mut shell = p.shell(WEB_PROD_2).await;
    common::run(&mut shell, "sudo systemctl enable --now sshd").await;
    common::run(&mut shell, "sudo chmod 600 /etc/ssh/sshd_config").await;
    let fixed = checks(&p).await;
    assert_eq!(overall(&fixed), Passed, "{fixed:#?}");
    assert!(p.completed(ID));
}

#[tokio::test]
async fn a_run_command_fix_passes_every_check_too() {
    let p = common::practice();
    p.start(ID);
    p.automation(
        TOKYO,
        "AWSSupport-TroubleshootSSH",
        &[("InstanceId", WEB_PROD_2), ("Action", "FixAll")],
    )
    .await;
    let fix = p
        .command(
            TOKYO,
            WEB_PROD_2,
            &[
                "systemctl start sshd",
                "systemctl enable sshd",
                "chmod 600 /etc/ssh/sshd_config",
            ],
        )
        .await;
    assert_eq!(fix.status, CommandStatus::Success);
    let results = checks(&p).await;
    assert_eq!(verdicts(&results), [Verdict::Passed; 5], "{results:#?}");
}

/// Starting sshd without enabling it is the brief's "start and chmod": every check passes
/// but "starts at boot", which the scenario's own second check also asks for.
#[tokio::test]
async fn starting_without_enabling_leaves_only_the_boot_check_failed() {
    let p = common::practice();
    p.start(ID);
    p.automation(
        TOKYO,
        "AWSSupport-TroubleshootSSH",
        &[("InstanceId", WEB_PROD_2), ("Action", "FixAll")],
    )
    .await;
    let mut shell = p.shell(WEB_PROD_2).await;
    common::run(&mut shell, "sudo systemctl start sshd").await;
    common::run(&mut shell, "sudo chmod 600 /etc/ssh/sshd_config").await;
    let results = checks(&p).await;
    assert_eq!(
        summaries(&results),
        ["sshd does not start at boot (disabled)"]
    );
    assert!(!p.completed(ID));
}

#[tokio::test]
async fn the_probes_output_is_what_run_command_returns() {
    let p = common::practice();
    let lines = unyo_core::verify::script::lines(&catalog::ssh());
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let done = p.command(TOKYO, WEB_PROD_2, &lines).await;
    let stdout = &done.invocations[0].stdout;
    assert!(
        stdout.starts_with("::unyo-probe:0:begin::\nactive\n::unyo-probe:0:end:0::\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("::unyo-probe:3:begin::\nroot 600\n::unyo-probe:3:end:0::\n"),
        "{stdout}"
    );
    // The script's last line is an echo, so the command itself succeeds whatever it found.
    assert_eq!(done.status, CommandStatus::Success);
}
