//! The month the practice account lived before the learner arrived, so that the Costs screen
//! has a realistic month to show: the Virginia staging API started each weekday morning and
//! stopped each evening by a scheduler's Automation runs (the off-hours pattern AWS's own blog
//! recommends), and one operator restart of the Tokyo batch worker. All of it ended before
//! the practice clock starts and changes no machine.

use std::collections::BTreeMap;

use unyo_core::automation::AutomationParameters;

use crate::account::Account;
use crate::automation::{Execution, PlannedStep};
use crate::baseline::{BATCH_WORKER_1, TOKYO, VIRGINIA};
use crate::metrics::mix;

/// The staging API the scheduler stops at night; the fleet shows it stopped since Friday.
pub const STAGING_API: &str = "i-0f9e8d7c6b5a40017";
/// The role the scheduler's runs execute as.
const SCHEDULER_ARN: &str =
    "arn:aws:sts::123456789012:assumed-role/OfficeHoursScheduler/Automation";
const OPERATOR_ARN: &str = "arn:aws:iam::123456789012:user/ops-oncall";

/// 2026-11-02T00:00:00Z, the month's first Monday.
const FIRST_MONDAY: i64 = 1_793_577_600;
const DAY: i64 = 86_400;
/// 08:00 in New York (EST, UTC−5), and 41 s before 17:40, so that the stop ends at 17:40.
const MORNING: i64 = 13 * 3600;
const EVENING: i64 = 22 * 3600 + 39 * 60 + 19;

/// Adds the month's executions, oldest first, ahead of any the learner starts.
pub fn populate(account: &mut Account) {
    let mut runs = Vec::new();
    for week in 0..4 {
        for weekday in 0..5 {
            let day = FIRST_MONDAY + (week * 7 + weekday) * DAY;
            runs.push(scheduled(
                account.seed,
                day + MORNING,
                "AWS-StartEC2Instance",
            ));
            runs.push(scheduled(
                account.seed,
                day + EVENING,
                "AWS-StopEC2Instance",
            ));
        }
    }
    // Wednesday 18 November, 02:10 UTC: the batch worker hung and was restarted by hand.
    runs.push(restart(
        account.seed,
        FIRST_MONDAY + 16 * DAY + 2 * 3600 + 600,
    ));
    runs.sort_by_key(|run| run.started);
    account.executions.splice(0..0, runs);
}

fn scheduled(seed: u64, started: i64, document: &str) -> Execution {
    let steps = if document == "AWS-StopEC2Instance" {
        // The force-stop step runs only when stopping fails, so it is never reached here.
        vec![
            PlannedStep::ok("stopInstances", "aws:changeInstanceState", 40)
                .output("CurrentState", "stopped"),
        ]
    } else {
        vec![
            PlannedStep::ok("startInstances", "aws:changeInstanceState", 30)
                .output("CurrentState", "running"),
        ]
    };
    execution(
        seed,
        started,
        document,
        STAGING_API,
        VIRGINIA,
        SCHEDULER_ARN,
        steps,
    )
}

fn restart(seed: u64, started: i64) -> Execution {
    let steps = vec![
        PlannedStep::ok("stopInstances", "aws:changeInstanceState", 25)
            .output("CurrentState", "stopped"),
        PlannedStep::ok("startInstances", "aws:changeInstanceState", 35)
            .output("CurrentState", "running"),
    ];
    execution(
        seed,
        started,
        "AWS-RestartEC2Instance",
        BATCH_WORKER_1,
        TOKYO,
        OPERATOR_ARN,
        steps,
    )
}

fn execution(
    seed: u64,
    started: i64,
    document: &str,
    instance_id: &str,
    region: &str,
    executed_by: &str,
    steps: Vec<PlannedStep>,
) -> Execution {
    let parameters: AutomationParameters =
        BTreeMap::from([("InstanceId".to_owned(), vec![instance_id.to_owned()])]);
    Execution {
        id: history_id(seed, started),
        region: region.to_owned(),
        document: document.to_owned(),
        parameters,
        instance_id: instance_id.to_owned(),
        started,
        executed_by: executed_by.to_owned(),
        applied: steps.len(),
        steps,
        outputs: Vec::new(),
    }
}

/// An execution id shaped like AWS's, from the run's start: the account's own id counter is
/// left to what the learner and the scenarios create.
fn history_id(seed: u64, started: i64) -> String {
    let h = mix(seed ^ (started as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    format!(
        "{:08x}-{:04x}-4{:03x}-b{:03x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        (h >> 20) & 0xfff,
        mix(h) & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{START, rfc3339};

    #[test]
    fn the_month_ends_before_the_practice_clock_starts() {
        let account = Account::baseline(7, START);
        let added = &account.executions;
        assert_eq!(
            added.len(),
            41,
            "20 weekdays × start and stop, and one restart"
        );
        let ends = added
            .iter()
            .map(|e| e.started + 1 + e.steps.iter().map(|s| s.seconds).sum::<i64>());
        let last = ends.max().unwrap();
        assert!(last < START, "{} is after the clock starts", rfc3339(last));
        assert!(added.windows(2).all(|w| w[0].started <= w[1].started));
        assert_eq!(rfc3339(added[0].started), "2026-11-02T13:00:00Z");
        let ids: std::collections::BTreeSet<&str> = added.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), added.len(), "ids are unique");
    }

    #[test]
    fn the_staging_api_was_last_stopped_on_friday_evening() {
        let account = Account::baseline(7, START);
        let last = account
            .executions
            .iter()
            .filter(|e| e.instance_id == STAGING_API)
            .max_by_key(|e| e.started)
            .unwrap();
        assert_eq!(last.document, "AWS-StopEC2Instance");
        assert_eq!(
            last.view(START).ended_at.as_deref(),
            Some("2026-11-27T22:40:00Z")
        );
    }
}
