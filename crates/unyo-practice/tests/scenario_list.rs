//! The Lessons screen's calls: the list with progress, a scenario's detail, starting one
//! (which resets the account), and the account returning to calm.
#![allow(
    clippy::unwrap_used,
    reason = "a failed step should fail the test loudly"
)]

mod common;

use unyo_core::cloud::*;
use unyo_core::scenario::ScenarioStatus;
use unyo_core::{ErrorCode, FleetScope, PingStatus};

#[tokio::test]
async fn the_list_shows_progress_and_survives_resets() {
    let p = common::practice();
    let list = p.cloud.scenarios().unwrap();
    let ids: Vec<&str> = list.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "sshd-stopped",
            "sshd-config-missing",
            "instance-not-managed",
            "disk-full",
            "cpu-after-deploy"
        ]
    );
    assert!(
        list.iter()
            .all(|s| s.status == ScenarioStatus::NotStarted && s.checks_passed == 0)
    );
    assert!(list.iter().all(|s| s.checks_total >= 2), "{list:?}");

    p.start("sshd-stopped");
    let mut shell = p.shell("i-0a1f3c5e7b9d10002").await;
    common::run(&mut shell, "sudo systemctl start sshd").await;
    let row = p.cloud.scenarios().unwrap().remove(0);
    assert_eq!(
        (row.status, row.checks_passed, row.checks_total),
        (ScenarioStatus::InProgress, 1, 2)
    );
    common::run(&mut shell, "sudo systemctl enable sshd").await;
    assert_eq!(
        p.cloud.scenarios().unwrap()[0].status,
        ScenarioStatus::Completed
    );

    // Moving on to another scenario keeps the first one's completion.
    p.start("instance-not-managed");
    let list = p.cloud.scenarios().unwrap();
    assert_eq!(list[0].status, ScenarioStatus::Completed);
    assert_eq!(list[0].checks_passed, 2);
    let done = p.cloud.scenario("sshd-stopped").unwrap();
    assert!(done.checks.iter().all(|c| c.passed));
    assert_eq!(list[2].status, ScenarioStatus::InProgress);
    // And the first one's fix is gone with the reset: sshd is back as the fleet data has it,
    // also in the session that stayed open across the reset.
    assert!(
        common::run(&mut shell, "systemctl is-active sshd")
            .await
            .contains("\nactive\n")
    );

    p.cloud.reset_account().unwrap();
    let fleet = p
        .cloud
        .list_fleet(&FleetScope { regions: vec![] })
        .await
        .unwrap();
    let api = fleet
        .instances
        .iter()
        .find(|i| i.id == "i-0f9e8d7c6b5a40015")
        .unwrap();
    assert_eq!(api.ping_status, PingStatus::Online);
    assert!(
        p.cloud
            .scenarios()
            .unwrap()
            .iter()
            .all(|s| s.status != ScenarioStatus::InProgress)
    );
}

#[tokio::test]
async fn a_detail_has_everything_the_hints_panel_and_debrief_show() {
    let p = common::practice();
    let detail = p.cloud.scenario("disk-full").unwrap();
    assert_eq!(detail.summary.status, ScenarioStatus::NotStarted);
    assert!(detail.checks.iter().all(|c| !c.passed));
    assert!(detail.hints.iter().any(|h| h.command.is_some()));
    assert!(
        detail
            .debrief
            .services
            .iter()
            .any(|s| s.service.contains("Run Command"))
    );
    let json = serde_json::to_value(&detail).unwrap();
    assert!(json["summary"]["title"]["ja"].is_string());
    assert!(json["debrief"]["services"][0]["cli"].is_array());

    let err = p.cloud.scenario("nope").unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(
        p.cloud.start_scenario("nope").unwrap_err().code,
        ErrorCode::InvalidInput
    );
}

#[tokio::test]
async fn starting_a_scenario_is_deterministic() {
    let look = || async {
        let p = common::practice();
        let detail = p.start("cpu-after-deploy");
        let trail = p
            .cloud
            .lookup_trail_events(&unyo_core::trail::TrailQuery {
                region: "ap-northeast-1".into(),
                start: "2026-11-28T00:00:00Z".into(),
                end: "2026-11-28T10:04:00Z".into(),
                lookup: None,
                max_results: None,
            })
            .await
            .unwrap();
        let alarms = p
            .cloud
            .list_alarms(&unyo_core::alarms::AlarmQuery {
                region: "ap-northeast-1".into(),
                state: None,
                name_prefix: None,
            })
            .await
            .unwrap();
        (detail, trail, alarms)
    };
    assert_eq!(look().await, look().await);
}

async fn batch_alarms(p: &common::Practice) -> Vec<unyo_core::alarms::Alarm> {
    p.cloud
        .list_alarms(&unyo_core::alarms::AlarmQuery {
            region: "ap-northeast-1".into(),
            state: None,
            name_prefix: Some("batch".into()),
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_scenario_starts_at_the_same_instant_however_late_it_is_started() {
    let fresh = common::practice();
    let late = common::practice();
    late.clock.advance(5 * 3600);
    fresh.start("disk-full");
    late.start("disk-full");
    assert_eq!(batch_alarms(&fresh).await, batch_alarms(&late).await);
    assert_eq!(
        fresh.cloud.scenario("disk-full").unwrap(),
        late.cloud.scenario("disk-full").unwrap()
    );
}

#[tokio::test]
async fn progress_is_restored_and_reset_one_lesson_at_a_time() {
    let p = common::practice();
    let earlier: std::collections::BTreeSet<String> = [
        "sshd-stopped".to_owned(),
        "disk-full".to_owned(),
        "gone-lesson".to_owned(),
    ]
    .into();
    p.cloud.restore_completed(&earlier).unwrap();
    let status = |id: &str| {
        p.cloud
            .scenarios()
            .unwrap()
            .into_iter()
            .find(|s| s.id == id)
            .unwrap()
            .status
    };
    assert_eq!(status("sshd-stopped"), ScenarioStatus::Completed);
    assert_eq!(status("disk-full"), ScenarioStatus::Completed);
    // A lesson that no longer exists brings no progress back.
    assert_eq!(
        p.cloud.completed_lessons().unwrap(),
        ["disk-full".to_owned(), "sshd-stopped".to_owned()].into()
    );

    p.cloud.reset_lesson("sshd-stopped").unwrap();
    assert_eq!(status("sshd-stopped"), ScenarioStatus::NotStarted);
    assert_eq!(
        status("disk-full"),
        ScenarioStatus::Completed,
        "only that one is reset"
    );

    // Resetting the running lesson leaves the account calm too.
    p.cloud.start_scenario("cpu-after-deploy").unwrap();
    assert_eq!(status("cpu-after-deploy"), ScenarioStatus::InProgress);
    p.cloud.reset_lesson("cpu-after-deploy").unwrap();
    assert_eq!(status("cpu-after-deploy"), ScenarioStatus::NotStarted);
    let err = p.cloud.reset_lesson("no-such-lesson").unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);

    let list = p.cloud.scenarios().unwrap();
    assert!(
        list.iter()
            .all(|s| s.minutes > 0 && !s.teaches.en.is_empty() && !s.teaches.ja.is_empty())
    );
}
