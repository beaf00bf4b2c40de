//! "sshd_config missing" through the Cloud port: FixAll recreates the file (0655, about ten
//! lines off the default) and reports Success; only a corrected, tested file that sshd runs
//! on completes the scenario.
#![allow(
    clippy::unwrap_used,
    reason = "a failed step should fail the test loudly"
)]

mod common;

use unyo_core::automation::ExecutionStatus;

const ID: &str = "sshd-config-missing";
const WEB_US_1: &str = "i-0f9e8d7c6b5a40013";
const VIRGINIA: &str = "us-east-1";
const CONFIG: &str = "/etc/ssh/sshd_config";
const DEFAULT: &str = "/usr/share/openssh/sshd_config.default";

#[tokio::test]
async fn checkall_only_reports_the_missing_file() {
    let p = common::practice();
    p.start(ID);
    let run = p
        .automation(
            VIRGINIA,
            "AWSSupport-TroubleshootSSH",
            &[("InstanceId", WEB_US_1)],
        )
        .await;
    assert_eq!(run.status, ExecutionStatus::Success);
    assert!(
        run.outputs["runEC2RescueForOpenSSH.Output"][0]
            .contains("[FAILURE] /etc/ssh/sshd_config is missing")
    );
    let mut shell = p.shell(WEB_US_1).await;
    let shown = common::run(&mut shell, &format!("ls -l {CONFIG}")).await;
    assert!(shown.contains("No such file or directory"), "{shown}");
}

#[tokio::test]
async fn fixall_recreates_a_file_that_still_needs_correcting() {
    let p = common::practice();
    p.start(ID);
    assert_eq!(p.checks(ID), [false, false, false, false]);
    let mut shell = p.shell(WEB_US_1).await;
    let start = common::run(&mut shell, "sudo systemctl start sshd").await;
    assert!(start.contains("Job for sshd.service failed"), "{start}");

    let run = p
        .automation(
            VIRGINIA,
            "AWSSupport-TroubleshootSSH",
            &[("InstanceId", WEB_US_1), ("Action", "FixAll")],
        )
        .await;
    assert_eq!(run.status, ExecutionStatus::Success);
    assert!(
        run.outputs["runEC2RescueForOpenSSH.Output"][0]
            .contains("created a new /etc/ssh/sshd_config")
    );

    let stat = common::run(&mut shell, &format!("stat {CONFIG}")).await;
    assert!(stat.contains("(0655/-rw-r-xr-x)"), "{stat}");
    let diff = common::run(&mut shell, &format!("sudo diff {CONFIG} {DEFAULT}")).await;
    let added = diff.lines().filter(|l| l.starts_with("< ")).count();
    assert!((9..=12).contains(&added), "{added} lines differ:\n{diff}");
    assert!(diff.contains("< PermitRootLogin yes"), "{diff}");
    assert!(diff.contains("> AuthorizedKeysCommand"), "{diff}");
    let test = common::run(&mut shell, "sudo sshd -t").await;
    assert!(
        test.contains("Deprecated option KeyRegenerationInterval"),
        "{test}"
    );

    // Starting sshd on the generated file is not the fix.
    common::run(&mut shell, "sudo systemctl start sshd").await;
    assert_eq!(p.checks(ID), [false, false, false, false]);

    common::run(&mut shell, &format!("sudo cp {DEFAULT} {CONFIG}")).await;
    // cp kept the destination's mode; the settings are right but not the mode yet.
    assert_eq!(p.checks(ID), [false, true, true, false]);
    common::run(&mut shell, &format!("sudo chmod 600 {CONFIG}")).await;
    assert_eq!(
        common::run(&mut shell, "sudo sshd -t").await,
        "sudo sshd -t\nsh-5.2$ "
    );
    // sshd still runs on the file it read at start.
    assert_eq!(p.checks(ID), [true, true, true, false]);
    assert!(!p.completed(ID));

    common::run(&mut shell, "sudo systemctl restart sshd").await;
    assert_eq!(p.checks(ID), [true, true, true, true]);
    assert!(p.completed(ID));
}

#[tokio::test]
async fn fixing_the_lines_with_sed_counts_too() {
    let p = common::practice();
    p.start(ID);
    p.automation(
        VIRGINIA,
        "AWSSupport-TroubleshootSSH",
        &[("InstanceId", WEB_US_1), ("Action", "FixAll")],
    )
    .await;
    let mut shell = p.shell(WEB_US_1).await;
    common::run(&mut shell, "sudo -i").await;
    for option in [
        "Port",
        "Protocol",
        "KeyRegenerationInterval",
        "ServerKeyBits",
        "RSAAuthentication",
        "UseDNS",
    ] {
        common::run(&mut shell, &format!("sed -i '/^{option} /d' {CONFIG}")).await;
    }
    for (wrong, right) in [
        ("PermitRootLogin yes", "PermitRootLogin forbid-password"),
        ("PasswordAuthentication yes", "PasswordAuthentication no"),
        ("X11Forwarding yes", "X11Forwarding no"),
    ] {
        common::run(
            &mut shell,
            &format!("sed -i 's/^{wrong}/{right}/' {CONFIG}"),
        )
        .await;
    }
    common::run(
        &mut shell,
        &format!("sed -i 's|/usr/lib/openssh/|/usr/libexec/openssh/|' {CONFIG}"),
    )
    .await;
    assert!(
        !p.checks(ID)[1],
        "Include and the Instance Connect lines are still missing"
    );
    for line in [
        "Include /etc/ssh/sshd_config.d/*.conf",
        "AuthorizedKeysCommand /opt/aws/bin/eic_run_authorized_keys %u %f",
        "AuthorizedKeysCommandUser ec2-instance-connect",
    ] {
        common::run(&mut shell, &format!("sed -i '$a {line}' {CONFIG}")).await;
    }
    let diff = common::run(&mut shell, &format!("diff {CONFIG} {DEFAULT}")).await;
    assert!(!diff.contains("PermitRootLogin yes"), "{diff}");
    common::run(
        &mut shell,
        &format!("chmod 600 {CONFIG} && sshd -t && systemctl restart sshd"),
    )
    .await;
    assert_eq!(p.checks(ID), [true, true, true, true]);
    assert!(p.completed(ID));
}
