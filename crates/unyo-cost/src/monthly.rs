//! What CloudWatch bills by the month for what the account keeps: alarms, custom metrics,
//! dashboards, and the data its log groups took in and store. Each is priced past its
//! always-free allowance (aws.amazon.com/cloudwatch/pricing, in aws-facts section C).

use rust_decimal::Decimal;
use unyo_core::localized::Localized;

use crate::estimate::{Estimate, GB, count};
use crate::free_tier::{ALARMS_FREE, DASHBOARDS_FREE, LOGS_FREE_GB, METRICS_FREE};
use crate::prices::{PriceItem, PriceTable};

/// `kept` of `item` for a month, the first `free` of them free.
fn past_allowance(
    table: &PriceTable,
    item: PriceItem,
    kept: u64,
    free: u64,
    allowance: Localized,
) -> Estimate {
    let mut estimate = Estimate::new(table);
    let billed = kept.saturating_sub(free);
    estimate.charge(table, item, count(billed), &billed.to_string());
    estimate.fits_free_tier = Some(billed == 0);
    estimate.free_tier = Some(allowance);
    estimate
}

/// `alarms` standard-resolution metric alarms for a month, the first ten free.
pub fn alarms(table: &PriceTable, alarms: u64) -> Estimate {
    past_allowance(
        table,
        PriceItem::AlarmStandardMonth,
        alarms,
        ALARMS_FREE,
        Localized::new(
            format!(
                "the first {ALARMS_FREE} alarm metrics a month are free; {alarms} in this region"
            ),
            format!(
                "アラームメトリクスは月 {ALARMS_FREE} 件まで無料です。このリージョンには {alarms} 件"
            ),
        ),
    )
}

/// `metrics` custom metrics for a month, the first ten free.
pub fn custom_metrics(table: &PriceTable, metrics: u64) -> Estimate {
    past_allowance(
        table,
        PriceItem::CustomMetricMonth,
        metrics,
        METRICS_FREE,
        Localized::new(
            format!(
                "the first {METRICS_FREE} custom metrics a month are free; {metrics} in this region"
            ),
            format!(
                "カスタムメトリクスは月 {METRICS_FREE} 件まで無料です。このリージョンには {metrics} 件"
            ),
        ),
    )
}

/// `dashboards` dashboards for a month, the first three free.
pub fn dashboards(table: &PriceTable, dashboards: u64) -> Estimate {
    past_allowance(
        table,
        PriceItem::DashboardMonth,
        dashboards,
        DASHBOARDS_FREE,
        Localized::new(
            format!(
                "the first {DASHBOARDS_FREE} dashboards a month are free; the account has {dashboards}"
            ),
            format!(
                "ダッシュボードは月 {DASHBOARDS_FREE} 件まで無料です。このアカウントには {dashboards} 件"
            ),
        ),
    )
}

fn gb(bytes: u64) -> Decimal {
    Decimal::from(bytes) / Decimal::from(GB)
}

fn shown(gb: Decimal) -> String {
    gb.round_dp(3).normalize().to_string()
}

/// The month's log data: `ingested` bytes taken in so far and `stored` bytes kept. The free
/// allowance covers ingestion, storage and Insights scans together; it is taken off
/// ingestion first, the dearest of them, so the figure is the least the data can cost.
pub fn logs_data(table: &PriceTable, ingested: u64, stored: u64) -> Estimate {
    let free = Decimal::from(LOGS_FREE_GB);
    let ingested_gb = gb(ingested);
    let stored_gb = gb(stored);
    let billed_ingestion = (ingested_gb - free).max(Decimal::ZERO);
    let free_left = (free - ingested_gb).max(Decimal::ZERO);
    let billed_storage = (stored_gb - free_left).max(Decimal::ZERO);
    let mut estimate = Estimate::new(table);
    estimate.charge(
        table,
        PriceItem::LogsIngestionGb,
        billed_ingestion,
        &shown(billed_ingestion),
    );
    estimate.charge(
        table,
        PriceItem::LogsStorageGbMonth,
        billed_storage,
        &shown(billed_storage),
    );
    estimate.fits_free_tier = Some(ingested_gb + stored_gb <= free);
    estimate.free_tier = Some(Localized::new(
        format!(
            "{LOGS_FREE_GB} GB a month of ingestion, storage and Insights scans together are free, taken off ingestion first; {} GB taken in and {} GB stored",
            shown(ingested_gb),
            shown(stored_gb)
        ),
        format!(
            "取り込み・保存・Insights のスキャン合計で月 {LOGS_FREE_GB} GB まで無料です（取り込みから差し引き）。取り込み {} GB、保存 {} GB",
            shown(ingested_gb),
            shown(stored_gb)
        ),
    ));
    estimate
}
