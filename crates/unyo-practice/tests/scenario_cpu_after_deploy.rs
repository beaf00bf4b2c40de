//! "CPU alarm after a deploy" through the Cloud port: metrics show the jump at the deploy,
//! CloudTrail shows the deploy and the deleted cache, a reload changes nothing, a restart
//! replaces the stuck workers, and the scenario completes only when the alarm is OK again.
#![allow(
    clippy::unwrap_used,
    reason = "a failed step should fail the test loudly"
)]

mod common;

use unyo_core::alarms::{AlarmQuery, AlarmState, Dimension, MetricId, MetricQuery};
use unyo_core::cloud::*;
use unyo_core::logs::InsightsQuery;
use unyo_core::trail::TrailQuery;

const ID: &str = "cpu-after-deploy";
const WEB_PROD_1: &str = "i-0a1f3c5e7b9d10001";
const TOKYO: &str = "ap-northeast-1";

async fn cpu_alarm(p: &common::Practice) -> unyo_core::alarms::Alarm {
    p.cloud
        .list_alarms(&AlarmQuery {
            region: TOKYO.into(),
            state: None,
            name_prefix: Some("web-prod-1-cpu".into()),
        })
        .await
        .unwrap()
        .remove(0)
}

fn cpu_query(start: &str, end: &str) -> MetricQuery {
    MetricQuery {
        region: TOKYO.into(),
        metric: MetricId {
            namespace: "AWS/EC2".into(),
            metric_name: "CPUUtilization".into(),
            dimensions: vec![Dimension {
                name: "InstanceId".into(),
                value: WEB_PROD_1.into(),
            }],
        },
        statistic: "Average".into(),
        period_seconds: 60,
        start: start.into(),
        end: end.into(),
    }
}

#[tokio::test]
async fn a_restart_and_the_alarm_returning_to_ok_complete_it() {
    let p = common::practice();
    p.start(ID);
    let alarm = cpu_alarm(&p).await;
    assert_eq!(alarm.state, AlarmState::Alarm);
    assert_eq!(
        alarm.state_updated_at, "2026-11-28T09:14:00Z",
        "{}",
        alarm.state_reason
    );
    assert_eq!(p.checks(ID), [false, false]);

    let series = p
        .cloud
        .get_metric_series(&cpu_query("2026-11-28T09:00:00Z", "2026-11-28T10:04:00Z"))
        .await
        .unwrap();
    assert_eq!(series.points.len(), 64);
    let at = |t: &str| {
        series
            .points
            .iter()
            .find(|pt| pt.timestamp == t)
            .unwrap()
            .value
    };
    assert!(at("2026-11-28T09:10:00Z") < 20.0);
    assert!(at("2026-11-28T09:13:00Z") > 90.0);

    let trail = p
        .cloud
        .lookup_trail_events(&TrailQuery {
            region: TOKYO.into(),
            start: "2026-11-28T09:00:00Z".into(),
            end: "2026-11-28T09:20:00Z".into(),
            lookup: None,
            max_results: None,
        })
        .await
        .unwrap();
    let names: Vec<&str> = trail.iter().map(|e| e.event_name.as_str()).collect();
    assert_eq!(names, ["SendCommand", "DeleteCacheCluster"]);

    let retries = unyo_core::logs::run_insights(
        &p.cloud,
        &InsightsQuery {
            region: TOKYO.into(),
            log_groups: vec!["/storefront/app".into()],
            query:
                "filter @message like /connection refused/ | stats count(*) by worker | sort worker"
                    .into(),
            start: "2026-11-28T09:00:00Z".into(),
            end: "2026-11-28T10:04:00Z".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(retries.rows.len(), 4);

    // A reload, as the deploy did, leaves the stuck workers.
    let reload = p
        .command(TOKYO, WEB_PROD_1, &["systemctl reload storefront"])
        .await;
    assert_eq!(reload.invocations[0].response_code, Some(0));
    p.clock.advance(180);
    assert_eq!(p.checks(ID), [false, false]);

    let mut shell = p.shell(WEB_PROD_1).await;
    assert!(common::run(&mut shell, "ps aux").await.contains(" 94.0 "));
    common::run(&mut shell, "sudo systemctl restart storefront").await;
    assert!(!common::run(&mut shell, "ps aux").await.contains(" 94.0 "));
    // Fixed, but not yet proven: the alarm still holds the last bad minutes.
    assert_eq!(p.checks(ID), [true, false]);
    assert!(!p.completed(ID));
    assert_eq!(cpu_alarm(&p).await.state, AlarmState::Alarm);

    p.clock.advance(60);
    assert_eq!(p.checks(ID), [true, false]);
    p.clock.advance(120);
    let alarm = cpu_alarm(&p).await;
    assert_eq!(alarm.state, AlarmState::Ok, "{}", alarm.state_reason);
    assert_eq!(p.checks(ID), [true, true]);
    assert!(p.completed(ID));
}

#[tokio::test]
async fn the_metrics_are_the_same_every_run() {
    let read = || async {
        let p = common::practice();
        p.start(ID);
        p.cloud
            .get_metric_series(&cpu_query("2026-11-28T07:00:00Z", "2026-11-28T10:04:00Z"))
            .await
            .unwrap()
    };
    assert_eq!(read().await, read().await);
}

#[tokio::test]
async fn restarting_the_instance_also_replaces_the_stuck_workers() {
    let p = common::practice();
    p.start(ID);
    let reboot = p
        .automation(
            TOKYO,
            "AWS-RestartEC2Instance",
            &[("InstanceId", WEB_PROD_1)],
        )
        .await;
    assert_eq!(
        reboot.status,
        unyo_core::automation::ExecutionStatus::Success
    );
    assert_eq!(p.checks(ID), [true, false]);
    p.clock.advance(180);
    assert_eq!(p.checks(ID), [true, true]);
}
