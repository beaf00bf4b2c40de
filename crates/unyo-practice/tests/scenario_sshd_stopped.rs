//! "sshd stopped" driven through the Cloud port: FixAll's Success does not complete it;
//! starting and enabling sshd in a Session Manager shell does.
#![allow(
    clippy::unwrap_used,
    reason = "a failed step should fail the test loudly"
)]

mod common;

use unyo_core::automation::ExecutionStatus;
use unyo_core::cloud::*;
use unyo_core::trail::{LookupAttribute, TrailLookup, TrailQuery};

const ID: &str = "sshd-stopped";
const WEB_PROD_2: &str = "i-0a1f3c5e7b9d10002";
const TOKYO: &str = "ap-northeast-1";

#[tokio::test]
async fn fixall_reports_success_but_only_starting_sshd_completes_it() {
    let p = common::practice();
    let detail = p.start(ID);
    assert_eq!(detail.summary.instance_id, WEB_PROD_2);
    assert_eq!(p.checks(ID), [false, false]);

    let run = p
        .automation(
            TOKYO,
            "AWSSupport-TroubleshootSSH",
            &[("InstanceId", WEB_PROD_2), ("Action", "FixAll")],
        )
        .await;
    assert_eq!(run.status, ExecutionStatus::Success);
    assert!(
        run.steps
            .iter()
            .all(|s| s.status == ExecutionStatus::Success)
    );
    let report = &run.outputs["runEC2RescueForOpenSSH.Output"][0];
    assert!(
        report.contains("[SUCCESS] All configuration checks passed"),
        "{report}"
    );
    // The runbook's Success is a claim: nothing has changed.
    assert_eq!(p.checks(ID), [false, false]);
    assert!(!p.completed(ID));

    let mut shell = p.shell(WEB_PROD_2).await;
    assert!(
        common::run(&mut shell, "systemctl is-active sshd")
            .await
            .contains("\ninactive\n")
    );
    let journal = common::run(&mut shell, "sudo journalctl -u sshd -n 5").await;
    assert!(
        journal.contains("Received signal 15; terminating."),
        "{journal}"
    );

    // Starting it without enabling it is half the fix.
    common::run(&mut shell, "sudo systemctl start sshd").await;
    assert_eq!(p.checks(ID), [true, false]);
    assert!(!p.completed(ID));

    let shown = common::run(
        &mut shell,
        "sudo systemctl enable --now sshd && systemctl is-active sshd",
    )
    .await;
    assert!(shown.contains("Created symlink"), "{shown}");
    assert!(shown.contains("\nactive\n"), "{shown}");
    assert!(
        common::run(&mut shell, "sudo ss -tlnp")
            .await
            .contains(":22 ")
    );
    assert_eq!(p.checks(ID), [true, true]);
    assert!(p.completed(ID));
}

#[tokio::test]
async fn cloudtrail_shows_who_was_on_the_instance() {
    let p = common::practice();
    p.start(ID);
    let events = p
        .cloud
        .lookup_trail_events(&TrailQuery {
            region: TOKYO.into(),
            start: "2026-11-28T09:00:00Z".into(),
            end: "2026-11-28T10:04:00Z".into(),
            lookup: Some(TrailLookup {
                attribute: LookupAttribute::ResourceName,
                value: WEB_PROD_2.into(),
            }),
            max_results: None,
        })
        .await
        .unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(
        (events[0].event_name.as_str(), events[0].username.as_str()),
        ("StartSession", "alice")
    );
}

#[tokio::test]
async fn reset_puts_the_breakage_back() {
    let p = common::practice();
    p.start(ID);
    let mut shell = p.shell(WEB_PROD_2).await;
    common::run(&mut shell, "sudo systemctl enable --now sshd").await;
    assert!(p.completed(ID));
    p.start(ID);
    assert_eq!(p.checks(ID), [false, false]);
    assert!(!p.completed(ID));
}

#[tokio::test]
async fn rebooting_does_not_bring_back_a_disabled_sshd() {
    let p = common::practice();
    p.start(ID);
    let reboot = p
        .automation(
            TOKYO,
            "AWS-RestartEC2Instance",
            &[("InstanceId", WEB_PROD_2)],
        )
        .await;
    assert_eq!(reboot.status, ExecutionStatus::Success);
    assert_eq!(reboot.steps.len(), 2);
    assert_eq!(p.checks(ID), [false, false]);
    let mut shell = p.shell(WEB_PROD_2).await;
    let enabled = common::run(&mut shell, "systemctl is-enabled sshd").await;
    assert!(enabled.contains("\ndisabled\n"), "{enabled}");
}

/// The far side's first bytes on a new connection through the tunnel, or "" when it closes.
async fn banner(port: u16) -> String {
    use tokio::io::AsyncReadExt;
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let mut buffer = [0u8; 64];
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut buffer))
        .await
        .unwrap()
        .unwrap_or(0);
    String::from_utf8_lossy(&buffer[..read]).into_owned()
}

#[tokio::test]
async fn a_tunnel_to_port_22_proves_the_fix_from_outside() {
    let p = common::practice();
    p.start(ID);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let target = unyo_core::tunnel::TunnelTarget {
        instance_id: WEB_PROD_2.into(),
        remote_host: None,
        remote_port: 22,
    };
    let tunnel = p.cloud.open_tunnel(&target, listener).await.unwrap();
    assert_eq!(banner(port).await, "", "nothing listens on 22 yet");

    let mut shell = p.shell(WEB_PROD_2).await;
    common::run(&mut shell, "sudo systemctl enable --now sshd").await;
    assert!(banner(port).await.starts_with("SSH-2.0-OpenSSH"));
    tunnel.control.stop().await.unwrap();
}
