//! Every price rule against a case computed by hand from its source; each test names the
//! source and its date.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use unyo_cost::estimate::{
    advanced_parameters, automation, logs_insights, logs_insights_scanned, ops_items, run_command,
    session,
};
use unyo_cost::practice::{PRACTICE_PRICED_IN, Pricing, practice};
use unyo_cost::{AutomationHistory, AutomationRun, AutomationUsage, NodeKind, PriceTable, Usd};

fn usd(text: &str) -> Option<Usd> {
    Usd::parse(text)
}

fn steps(steps: u64) -> AutomationRun {
    AutomationRun {
        steps,
        ..AutomationRun::default()
    }
}

fn virginia() -> PriceTable {
    PriceTable::embedded("us-east-1")
}

/// CrowdStrike/aws-ssm-distributor COST-DOCUMENTATION.md, pricing as of 26 June 2025:
/// $0.002 per step, $0.00003 per aws:executeScript second. AWS docs: no free tier for
/// accounts new to Automation as of 14 August 2025.
#[test]
fn a_runbook_on_an_account_new_to_automation_pays_every_step() {
    let estimate = automation(&virginia(), steps(17), AutomationHistory::NewSince, None);
    // 17 × 0.002 = 0.034
    assert_eq!(estimate.total, usd("0.034"));
    assert_eq!(estimate.lines[0].en, "17 steps × $0.002 = $0.034");
    assert_eq!(estimate.fits_free_tier, Some(false));
    assert_eq!(
        estimate.summary().en,
        "$0.034 (17 steps × $0.002 = $0.034); your free tier: none, the account is new to Automation since 14 Aug 2025"
    );
    assert_eq!(estimate.basis.as_of.as_deref(), Some("2025-06-26"));

    // 4 steps and 90 s of script: 4 × 0.002 + 90 × 0.00003 = 0.008 + 0.0027 = 0.0107
    let scripted = automation(
        &virginia(),
        AutomationRun {
            steps: 4,
            script_seconds: 90,
            script_steps: 1,
        },
        AutomationHistory::NewSince,
        None,
    );
    assert_eq!(scripted.total, usd("0.0107"));
    // Before the run a script's time is not known: the estimate says what it adds.
    let before = automation(
        &virginia(),
        AutomationRun {
            steps: 4,
            script_seconds: 0,
            script_steps: 2,
        },
        AutomationHistory::NewSince,
        None,
    );
    assert_eq!(before.total, usd("0.008"));
    assert_eq!(
        before.lines[1].en,
        "plus $0.00003 a second while its 2 aws:executeScript step(s) run (known after the run)"
    );
}

/// Same source: the legacy free tier is 100,000 steps and 5,000 script seconds a month, and
/// only what exceeds it is billed.
#[test]
fn the_legacy_free_tier_covers_a_run_until_the_month_uses_it_up() {
    let within = automation(
        &virginia(),
        steps(17),
        AutomationHistory::UsedBefore,
        Some(AutomationUsage {
            steps: 1_000,
            script_seconds: 0,
        }),
    );
    assert_eq!(within.total, usd("0"));
    assert_eq!(within.fits_free_tier, Some(true));
    assert!(
        within
            .free_tier
            .as_ref()
            .unwrap()
            .en
            .contains("99000 of 100000 steps")
    );

    // 99,990 used: 10 free, 7 billed → 7 × 0.002 = 0.014
    let beyond = automation(
        &virginia(),
        steps(17),
        AutomationHistory::UsedBefore,
        Some(AutomationUsage {
            steps: 99_990,
            script_seconds: 0,
        }),
    );
    assert_eq!(beyond.total, usd("0.014"));
    assert_eq!(beyond.fits_free_tier, Some(false));

    // This month's use unread: the full price, as the most it can cost.
    let unread = automation(&virginia(), steps(17), AutomationHistory::UsedBefore, None);
    assert_eq!(unread.total, usd("0.034"));
    assert!(unread.upper_bound);
    assert_eq!(unread.fits_free_tier, None);
}

#[test]
fn an_account_not_asked_yet_gets_the_most_it_can_cost() {
    let estimate = automation(&virginia(), steps(17), AutomationHistory::Unknown, None);
    assert_eq!(estimate.total, usd("0.034"));
    assert!(estimate.upper_bound);
    assert_eq!(estimate.fits_free_tier, None);
}

#[test]
fn a_region_without_a_price_is_unknown_never_borrowed() {
    let tokyo = PriceTable::embedded("ap-northeast-1");
    let estimate = automation(&tokyo, steps(17), AutomationHistory::NewSince, None);
    assert_eq!(estimate.total, None);
    assert!(
        estimate
            .unknown
            .as_ref()
            .unwrap()
            .en
            .contains("ap-northeast-1")
    );
    assert!(
        estimate.summary().en.starts_with("unknown;"),
        "{}",
        estimate.summary().en
    );
}

/// infracost cloudwatch_log_group test prices, 2024-07-01: $0.005 per GB scanned. AWS bills a
/// GB as 2^30 bytes; the groups' stored bytes are the most a query can scan.
#[test]
fn a_logs_insights_query_is_estimated_from_stored_bytes_as_an_upper_bound() {
    let twelve_gb = 12 * (1u64 << 30);
    let estimate = logs_insights(&virginia(), twelve_gb);
    // 12 × 0.005 = 0.06
    assert_eq!(estimate.total, usd("0.06"));
    assert!(estimate.upper_bound);
    assert_eq!(estimate.lines[0].en, "12 GB scanned × $0.005 = $0.06");
    assert!(estimate.summary().en.starts_with("at most $0.06"));
    // Afterwards, what the query's statistics say it scanned: 0.5 GB × 0.005 = 0.0025
    let scanned = logs_insights_scanned(&virginia(), 1u64 << 29);
    assert_eq!(scanned.total, usd("0.0025"));
    assert!(!scanned.upper_bound);
}

/// A third-party course (2026) on EC2 node tools; the 2026 non-EC2 model ($0.05 per session,
/// $0.002 per invocation from 30 Sep 2026) is unconfirmed by AWS; infracost ssm_activation
/// (2024-07-01) for the advanced tier before it.
#[test]
fn commands_and_sessions_are_free_on_ec2_and_priced_on_other_nodes() {
    let free = run_command(&virginia(), NodeKind::Ec2, 3, "2026-12-07");
    assert!(free.free);
    assert_eq!(free.total, usd("0"));
    assert_eq!(
        free.summary().en,
        "free (Run Command is free on EC2 instances)"
    );

    let hybrid = run_command(&virginia(), NodeKind::NonEc2, 3, "2026-12-07");
    // 3 × 0.002 = 0.006
    assert_eq!(hybrid.total, usd("0.006"));
    assert!(hybrid.unconfirmed);
    let before = run_command(&virginia(), NodeKind::NonEc2, 3, "2026-09-29");
    assert!(before.free);

    assert_eq!(
        session(&virginia(), NodeKind::NonEc2, "2026-12-07").total,
        usd("0.05")
    );
    assert_eq!(
        session(&virginia(), NodeKind::NonEc2, "2026-06-01").total,
        usd("0.00695")
    );
    assert!(session(&virginia(), NodeKind::Ec2, "2026-12-07").free);
}

/// OpsCenter: $2.97 per 1,000 OpsItems (course quoting the pricing page, 2026). Parameter
/// Store: $0.05 per advanced parameter-month (infracost, 2024-07-01).
#[test]
fn opsitems_and_advanced_parameters() {
    // 1 × 2.97 / 1000 = 0.00297
    assert_eq!(ops_items(&virginia(), 1).total, usd("0.00297"));
    // 3 parameters × 2 months × 0.05 = 0.30
    assert_eq!(advanced_parameters(&virginia(), 3, 2).total, usd("0.30"));
}

#[test]
fn the_practice_account_is_free_and_says_what_it_would_cost_on_aws() {
    let real = automation(&virginia(), steps(17), AutomationHistory::NewSince, None);
    let estimate = practice(real);
    assert!(estimate.free);
    assert_eq!(estimate.total, usd("0"));
    assert_eq!(
        estimate.summary().en,
        "free (the practice account is simulated: nothing is billed + on a real account in us-east-1: $0.034 (17 steps × $0.002 = $0.034); your free tier: none, the account is new to Automation since 14 Aug 2025)"
    );
    assert!(
        estimate
            .summary()
            .ja
            .starts_with("無料（練習用アカウントはシミュレーションのため、課金されません"),
        "{}",
        estimate.summary().ja
    );
}

#[test]
fn practice_pricing_uses_virginia_and_a_new_accounts_history() {
    let pricing = Pricing::new(
        true,
        "ap-northeast-1",
        AutomationHistory::UsedBefore,
        PriceTable::embedded,
    );
    assert_eq!(pricing.table.region, PRACTICE_PRICED_IN);
    assert_eq!(pricing.history, AutomationHistory::NewSince);
    let real = Pricing::new(
        false,
        "ap-northeast-1",
        AutomationHistory::UsedBefore,
        PriceTable::embedded,
    );
    assert_eq!(real.table.region, "ap-northeast-1");
    assert_eq!(real.history, AutomationHistory::UsedBefore);
    let estimate = real.finish(logs_insights(&real.table, 1 << 30));
    assert!(!estimate.free, "a real account's estimate is not made free");
}
