//! What CloudWatch bills by the month for what the account keeps, each against a case
//! computed by hand from aws.amazon.com/cloudwatch/pricing (us-east-1, as collected in
//! aws-facts section C on 2026-10-07): alarms $0.10 and custom metrics $0.30 per month past
//! the free ten, dashboards $3.00 per month past the free three, Logs ingestion $0.50 per GB
//! and storage $0.03 per GB-month, with 5 GB a month free across ingestion, storage and scans.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use unyo_cost::monthly::{alarms, custom_metrics, dashboards, logs_data};
use unyo_cost::{PriceTable, Usd};

const GB: u64 = 1 << 30;

fn virginia() -> PriceTable {
    PriceTable::embedded("us-east-1")
}

#[test]
fn alarms_and_custom_metrics_past_the_free_ten() {
    // 14 alarms: 4 × 0.10 = 0.40
    let estimate = alarms(&virginia(), 14);
    assert_eq!(estimate.total, Usd::parse("0.40"));
    assert_eq!(estimate.fits_free_tier, Some(false));
    // 12 custom metrics: 2 × 0.30 = 0.60
    let estimate = custom_metrics(&virginia(), 12);
    assert_eq!(estimate.total, Usd::parse("0.60"));
    assert_eq!(estimate.lines[0].en, "2 metric-months × $0.30 = $0.60");
    // 9 are within the free ten.
    let estimate = custom_metrics(&virginia(), 9);
    assert_eq!(estimate.total, Usd::parse("0"));
    assert_eq!(estimate.fits_free_tier, Some(true));
}

#[test]
fn dashboards_past_the_free_three() {
    // 5 dashboards: 2 × 3.00 = 6.00
    let estimate = dashboards(&virginia(), 5);
    assert_eq!(estimate.total, Usd::parse("6.00"));
    assert_eq!(estimate.fits_free_tier, Some(false));
    assert_eq!(dashboards(&virginia(), 3).total, Usd::parse("0"));
}

#[test]
fn log_data_takes_the_free_gigabytes_off_ingestion_first() {
    // 7 GB in, 1 GB stored: (7 − 5) × 0.50 + 1 × 0.03 = 1.03
    let estimate = logs_data(&virginia(), 7 * GB, GB);
    assert_eq!(estimate.total, Usd::parse("1.03"));
    assert_eq!(estimate.fits_free_tier, Some(false));
    // 3 GB in, 4 GB stored: ingestion free, 2 GB of the free 5 left for storage,
    // (4 − 2) × 0.03 = 0.06
    let estimate = logs_data(&virginia(), 3 * GB, 4 * GB);
    assert_eq!(estimate.total, Usd::parse("0.06"));
    assert_eq!(estimate.lines[1].en, "2 GB-months stored × $0.03 = $0.06");
    // 1 GB in, 2 GB stored: all within the free 5.
    let estimate = logs_data(&virginia(), GB, 2 * GB);
    assert_eq!(estimate.total, Usd::parse("0"));
    assert_eq!(estimate.fits_free_tier, Some(true));
}

#[test]
fn a_region_without_cloudwatch_prices_is_unknown() {
    let estimate = custom_metrics(&PriceTable::embedded("ap-northeast-1"), 30);
    assert_eq!(estimate.total, None);
    assert!(estimate.unknown.is_some());
}
