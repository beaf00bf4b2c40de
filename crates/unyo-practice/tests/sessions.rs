//! Shell sessions on the practice account, through the Cloud port as the app uses them.
#![allow(
    clippy::unwrap_used,
    reason = "a failed step should fail the test loudly"
)]

use unyo_core::ErrorCode;
use unyo_core::cloud::*;
use unyo_core::session::{OpenedShell, SessionEnd, SessionEndReason, SessionEvent};
use unyo_practice::PracticeCloud;

const WEB_PROD_1: &str = "i-0a1f3c5e7b9d10001";

/// Everything printed so far, as text.
async fn drain(opened: &mut OpenedShell) -> (String, Option<SessionEnd>) {
    let mut text = String::new();
    while let Ok(event) = opened.events.try_recv() {
        match event {
            SessionEvent::Output(bytes) => text.push_str(&String::from_utf8(bytes).unwrap()),
            SessionEvent::Closed(end) => return (text, Some(end)),
            other => panic!("the practice account never reconnects: {other:?}"),
        }
    }
    (text, None)
}

async fn run(opened: &mut OpenedShell, line: &str) -> String {
    opened
        .session
        .write(format!("{line}\r").as_bytes())
        .await
        .unwrap();
    drain(opened).await.0
}

#[tokio::test]
async fn a_shell_opens_with_the_login_prompt() {
    let cloud = PracticeCloud::new();
    let mut opened = cloud.open_shell(WEB_PROD_1).await.unwrap();
    assert_eq!(opened.session.id(), "practice-0001");
    assert_eq!(drain(&mut opened).await, ("sh-5.2$ ".to_owned(), None));
    let shown = run(&mut opened, "sudo -i").await;
    assert_eq!(
        shown,
        "sudo -i\r\n[root@ip-10-0-1-11.ap-northeast-1.compute.internal ~]# "
    );
}

#[tokio::test]
async fn what_one_session_changes_the_next_one_finds() {
    let cloud = PracticeCloud::new();
    let mut first = cloud.open_shell(WEB_PROD_1).await.unwrap();
    run(&mut first, "sudo systemctl stop sshd").await;
    first.session.terminate().await.unwrap();

    let mut second = cloud.open_shell(WEB_PROD_1).await.unwrap();
    assert_eq!(second.session.id(), "practice-0002");
    drain(&mut second).await;
    assert!(
        run(&mut second, "systemctl is-active sshd")
            .await
            .contains("\r\ninactive\r\n")
    );

    // Another instance has its own machine.
    let mut other = cloud.open_shell("i-0a1f3c5e7b9d10002").await.unwrap();
    drain(&mut other).await;
    assert!(
        run(&mut other, "systemctl is-active sshd")
            .await
            .contains("\r\nactive\r\n")
    );
}

#[tokio::test]
async fn exit_ends_the_session_with_the_shell_status() {
    let cloud = PracticeCloud::new();
    let mut opened = cloud.open_shell(WEB_PROD_1).await.unwrap();
    drain(&mut opened).await;
    opened.session.write(b"exit\r").await.unwrap();
    let (_, end) = drain(&mut opened).await;
    assert_eq!(
        end,
        Some(SessionEnd {
            reason: SessionEndReason::Exited,
            exit_code: Some(0)
        })
    );
    let err = opened.session.write(b"whoami\r").await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}

#[tokio::test]
async fn terminating_is_reported_once() {
    let cloud = PracticeCloud::new();
    let mut opened = cloud.open_shell(WEB_PROD_1).await.unwrap();
    drain(&mut opened).await;
    opened.session.terminate().await.unwrap();
    opened.session.terminate().await.unwrap();
    let (_, end) = drain(&mut opened).await;
    assert_eq!(end.map(|e| e.reason), Some(SessionEndReason::Terminated));
    assert!(opened.events.try_recv().is_err(), "no second end event");
}

#[tokio::test]
async fn instances_session_manager_cannot_reach_are_refused_with_the_reason() {
    let cloud = PracticeCloud::new();
    let cases = [
        (
            "i-0a1f3c5e7b9d10004",
            ErrorCode::TargetNotConnected,
            "stopped reporting",
        ), // api-prod-2
        (
            "i-0a1f3c5e7b9d10006",
            ErrorCode::TargetNotConnected,
            "never registered",
        ), // bastion-legacy
        (
            "i-0f9e8d7c6b5a40017",
            ErrorCode::TargetNotConnected,
            "stopped, not running",
        ), // queue-worker-1
        (
            "i-0f9e8d7c6b5a40018",
            ErrorCode::Unsupported,
            "Linux shells only",
        ), // win-sql-1
        ("i-does-not-exist", ErrorCode::InvalidInput, "no instance"),
    ];
    for (id, code, words) in cases {
        let err = cloud.open_shell(id).await.unwrap_err();
        assert_eq!(err.code, code, "{id}");
        assert!(err.message.contains(words), "{id}: {}", err.message);
    }
}
