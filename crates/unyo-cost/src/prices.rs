//! Price tables: what each billable unit costs in a region, with the source and date of every
//! price. The embedded table ships with Unyo (`prices/embedded.toml`); a table refreshed from
//! the AWS Price List API replaces it for its region and says when it was published.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unyo_core::localized::Localized;

use crate::money::Usd;

/// Each billable unit Unyo estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PriceItem {
    /// One Automation step executed.
    AutomationStep,
    /// One second of an `aws:executeScript` step.
    AutomationScriptSecond,
    /// One hour of an advanced-tier non-EC2 (hybrid) node, the model before 2026.
    NonEc2AdvancedInstanceHour,
    /// One Session Manager session to a non-EC2 node, the 2026 model.
    NonEc2Session,
    /// One Run Command invocation on a non-EC2 node, the 2026 model.
    NonEc2RunCommandInvocation,
    /// One OpsCenter OpsItem created.
    OpsItem,
    /// One advanced Parameter Store parameter for a month.
    ParameterAdvancedMonth,
    /// 10,000 Parameter Store API interactions (advanced or higher throughput).
    ParameterApiTenThousand,
    /// One node-hour of just-in-time node access (first tier).
    JitNodeHour,
    /// One GB ingested into CloudWatch Logs (Standard class).
    LogsIngestionGb,
    /// One GB of CloudWatch Logs stored for a month.
    LogsStorageGbMonth,
    /// One GB scanned by Logs Insights.
    LogsInsightsGb,
    /// One standard-resolution alarm metric for a month.
    AlarmStandardMonth,
    /// One high-resolution alarm metric for a month.
    AlarmHighResolutionMonth,
    /// One custom metric for a month (first 10,000).
    CustomMetricMonth,
    /// One custom dashboard for a month.
    DashboardMonth,
    /// 1,000 metrics requested with GetMetricData.
    GetMetricDataThousandMetrics,
    /// 100,000 management events copied by an additional trail.
    TrailExtraCopyHundredThousand,
    /// 100,000 data events recorded by a trail.
    TrailDataEventsHundredThousand,
    /// One GB ingested into CloudTrail Lake.
    LakeIngestionGb,
    /// One GB scanned by a CloudTrail Lake query.
    LakeScanGb,
}

impl PriceItem {
    /// What one unit is, as the arithmetic names it ("step", "GB scanned").
    pub fn unit(self) -> Localized {
        let (en, _, ja) = self.words();
        Localized::new(en, ja)
    }

    /// The unit for `count` of them: "1 step", "17 steps".
    pub fn units(self, count: &str) -> Localized {
        let (one, many, ja) = self.words();
        Localized::new(
            format!("{count} {}", if count == "1" { one } else { many }),
            format!("{count} {ja}"),
        )
    }

    /// English singular and plural, and Japanese.
    fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::AutomationStep => ("step", "steps", "ステップ"),
            Self::AutomationScriptSecond => (
                "second of aws:executeScript",
                "seconds of aws:executeScript",
                "秒の aws:executeScript",
            ),
            Self::NonEc2AdvancedInstanceHour => (
                "advanced node-hour",
                "advanced node-hours",
                "アドバンスドノード時間",
            ),
            Self::NonEc2Session => ("session", "sessions", "セッション"),
            Self::NonEc2RunCommandInvocation => ("invocation", "invocations", "回の呼び出し"),
            Self::OpsItem => ("OpsItem", "OpsItems", "件の OpsItem"),
            Self::ParameterAdvancedMonth => ("parameter-month", "parameter-months", "パラメータ月"),
            Self::ParameterApiTenThousand => (
                "× 10,000 API interactions",
                "× 10,000 API interactions",
                "× 10,000 API 操作",
            ),
            Self::JitNodeHour => ("node-hour", "node-hours", "ノード時間"),
            Self::LogsIngestionGb | Self::LakeIngestionGb => {
                ("GB ingested", "GB ingested", "GB の取り込み")
            }
            Self::LogsStorageGbMonth => ("GB-month stored", "GB-months stored", "GB 月の保存"),
            Self::LogsInsightsGb | Self::LakeScanGb => {
                ("GB scanned", "GB scanned", "GB のスキャン")
            }
            Self::AlarmStandardMonth | Self::AlarmHighResolutionMonth => (
                "alarm metric-month",
                "alarm metric-months",
                "アラームメトリクス月",
            ),
            Self::CustomMetricMonth => ("metric-month", "metric-months", "メトリクス月"),
            Self::DashboardMonth => ("dashboard-month", "dashboard-months", "ダッシュボード月"),
            Self::GetMetricDataThousandMetrics => (
                "× 1,000 metrics requested",
                "× 1,000 metrics requested",
                "× 1,000 メトリクスのリクエスト",
            ),
            Self::TrailExtraCopyHundredThousand | Self::TrailDataEventsHundredThousand => {
                ("× 100,000 events", "× 100,000 events", "× 100,000 イベント")
            }
        }
    }
}

/// How far a price can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Confidence {
    /// From AWS, or a project that tracks AWS's price files.
    Verified,
    /// A third party quoting AWS.
    ThirdParty,
    /// Reported, not yet on an AWS page: the estimate says so.
    Unconfirmed,
}

/// One price with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Price {
    pub item: PriceItem,
    pub usd: Usd,
    pub source: String,
    /// The date the source gives (YYYY-MM-DD).
    pub as_of: String,
    pub confidence: Confidence,
}

/// Where a table's prices come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[ts(export)]
pub enum Origin {
    /// The prices shipped with Unyo (see each price's source and date).
    Embedded,
    /// Read from the AWS Price List API: its publication and when Unyo read it.
    PriceList {
        publication: String,
        fetched_at: String,
    },
}

/// A region's prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PriceTable {
    pub region: String,
    pub origin: Origin,
    pub prices: BTreeMap<PriceItem, Price>,
}

impl PriceTable {
    /// The embedded prices of `region`; a region Unyo has no prices for gets an empty table,
    /// so every estimate there says "unknown for this region".
    pub fn embedded(region: &str) -> PriceTable {
        let prices = embedded_prices()
            .into_iter()
            .filter(|(r, _)| r == region)
            .map(|(_, price)| (price.item, price))
            .collect();
        PriceTable {
            region: region.to_owned(),
            origin: Origin::Embedded,
            prices,
        }
    }

    pub fn price(&self, item: PriceItem) -> Option<&Price> {
        self.prices.get(&item)
    }
}

#[derive(Deserialize)]
struct PriceFile {
    price: Vec<PriceRow>,
}

#[derive(Deserialize)]
struct PriceRow {
    region: String,
    item: PriceItem,
    usd: String,
    source: String,
    as_of: String,
    confidence: Confidence,
}

const EMBEDDED: &str = include_str!("../prices/embedded.toml");

/// Every embedded price with its region. The file ships inside the binary and a test reads
/// every row, so a row that does not parse fails the build's tests, never a user's estimate.
fn embedded_prices() -> Vec<(String, Price)> {
    let Ok(file) = toml::from_str::<PriceFile>(EMBEDDED) else {
        return Vec::new();
    };
    file.price
        .into_iter()
        .filter_map(|row| {
            let usd = Usd::parse(&row.usd)?;
            Some((
                row.region,
                Price {
                    item: row.item,
                    usd,
                    source: row.source,
                    as_of: row.as_of,
                    confidence: row.confidence,
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_row_parses_with_a_source_and_a_date() {
        let file: PriceFile = toml::from_str(EMBEDDED).unwrap_or(PriceFile { price: Vec::new() });
        assert!(file.price.len() >= 20);
        assert_eq!(embedded_prices().len(), file.price.len());
        for (_, price) in embedded_prices() {
            assert!(!price.source.is_empty(), "{price:?}");
            assert_eq!(price.as_of.len(), 10, "{price:?}");
        }
    }

    #[test]
    fn a_region_has_only_its_own_prices() {
        let virginia = PriceTable::embedded("us-east-1");
        assert_eq!(
            virginia
                .price(PriceItem::AutomationStep)
                .map(|p| p.usd.to_string()),
            Some("$0.002".to_owned())
        );
        let tokyo = PriceTable::embedded("ap-northeast-1");
        assert_eq!(tokyo.price(PriceItem::AutomationStep), None);
        assert_eq!(
            tokyo
                .price(PriceItem::TrailExtraCopyHundredThousand)
                .map(|p| p.usd.to_string()),
            Some("$2.00".to_owned())
        );
        assert!(PriceTable::embedded("eu-west-1").prices.is_empty());
    }
}
