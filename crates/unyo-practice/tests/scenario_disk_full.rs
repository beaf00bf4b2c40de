//! "A disk fills up" through the Cloud port: the disk alarm, Logs Insights errors, the
//! CloudTrail change, then Run Command. Freeing space alone does not complete it; restoring
//! the log level and restarting the worker does, and df -h shows the space back.
#![allow(
    clippy::unwrap_used,
    reason = "a failed step should fail the test loudly"
)]

mod common;

use unyo_core::alarms::{AlarmQuery, AlarmState};
use unyo_core::cloud::*;
use unyo_core::logs::InsightsQuery;
use unyo_core::run_command::CommandStatus;
use unyo_core::trail::{LookupAttribute, TrailLookup, TrailQuery};

const ID: &str = "disk-full";
const BATCH: &str = "i-0a1f3c5e7b9d10005";
const TOKYO: &str = "ap-northeast-1";

async fn disk_alarm(p: &common::Practice) -> AlarmState {
    let alarms = p
        .cloud
        .list_alarms(&AlarmQuery {
            region: TOKYO.into(),
            state: None,
            name_prefix: Some("batch-worker-1".into()),
        })
        .await
        .unwrap();
    alarms[0].state
}

#[tokio::test]
async fn cleaning_up_with_run_command_completes_it() {
    let p = common::practice();
    assert_eq!(disk_alarm(&p).await, AlarmState::Ok);
    p.start(ID);
    assert_eq!(disk_alarm(&p).await, AlarmState::Alarm);
    assert_eq!(p.checks(ID), [false, false, false]);

    let errors = unyo_core::logs::run_insights(
        &p.cloud,
        &InsightsQuery {
            region: TOKYO.into(),
            log_groups: vec!["/nightly-batch/app".into()],
            query: "filter level = \"ERROR\" | stats count(*) as errors by bin(1h)".into(),
            start: "2026-11-27T22:00:00Z".into(),
            end: "2026-11-28T10:04:00Z".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(errors.columns, ["bin(1h)", "errors"]);
    assert_eq!(errors.rows[0][0], "2026-11-28T09:00:00Z");
    let total: u32 = errors
        .rows
        .iter()
        .map(|r| r[1].parse::<u32>().unwrap())
        .sum();
    assert_eq!(total, 23);

    let cause = p
        .cloud
        .lookup_trail_events(&TrailQuery {
            region: TOKYO.into(),
            start: "2026-11-27T22:00:00Z".into(),
            end: "2026-11-28T10:04:00Z".into(),
            lookup: Some(TrailLookup {
                attribute: LookupAttribute::ResourceName,
                value: BATCH.into(),
            }),
            max_results: None,
        })
        .await
        .unwrap();
    assert_eq!(cause.len(), 1);
    assert_eq!(cause[0].username, "kenji");
    assert!(cause[0].cloud_trail_event.contains("level=DEBUG"));

    // Looking changes nothing.
    let look = p
        .command(TOKYO, BATCH, &["df -h", "du -sh /var/log/nightly-batch"])
        .await;
    let out = &look.invocations[0].stdout;
    assert!(out.contains(" 98% /"), "{out}");
    assert!(out.contains("5.6G\t/var/log/nightly-batch"), "{out}");
    assert_eq!(p.checks(ID), [false, false, false]);

    // Freeing space without removing the cause is not the fix.
    let partial = p
        .command(
            TOKYO,
            BATCH,
            &["rm -f /var/log/nightly-batch/batch-debug.log.*", "df -h"],
        )
        .await;
    assert_eq!(partial.status, CommandStatus::Success);
    assert!(
        partial.invocations[0].stdout.contains(" 56% /"),
        "{}",
        partial.invocations[0].stdout
    );
    assert_eq!(p.checks(ID), [true, false, false]);
    assert!(!p.completed(ID));

    let fix = p
        .command(
            TOKYO,
            BATCH,
            &[
                "truncate -s 0 /var/log/nightly-batch/batch-debug.log",
                "sed -i 's/^level=DEBUG/level=INFO/' /etc/nightly-batch/logging.conf",
                "systemctl restart nightly-batch",
                "df -h",
            ],
        )
        .await;
    let invocation = &fix.invocations[0];
    assert_eq!(
        (invocation.status, invocation.response_code),
        (CommandStatus::Success, Some(0))
    );
    assert!(
        invocation.stdout.contains(" 30% /"),
        "{}",
        invocation.stdout
    );
    assert_eq!(p.checks(ID), [true, true, true]);
    assert!(p.completed(ID));

    // The alarm needs two good minutes to return to OK.
    p.clock.advance(180);
    assert_eq!(disk_alarm(&p).await, AlarmState::Ok);
}

#[tokio::test]
async fn a_failing_script_reports_its_exit_code() {
    let p = common::practice();
    p.start(ID);
    let run = p.command(TOKYO, BATCH, &["ls /nonexistent"]).await;
    assert_eq!(run.status, CommandStatus::Failed);
    assert_eq!(run.invocations[0].response_code, Some(2));
    assert!(
        run.invocations[0]
            .stdout
            .contains("No such file or directory")
    );
}
