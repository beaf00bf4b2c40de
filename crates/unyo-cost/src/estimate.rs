//! The estimate shown before a billable action: its arithmetic line by line, what the free
//! tier leaves, and the basis (region, price origin, date). A price the region's table lacks
//! makes the estimate unknown, with why, never a guess from another region.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unyo_core::localized::Localized;

use crate::free_tier::{
    AUTOMATION_FREE_SCRIPT_SECONDS, AUTOMATION_FREE_STEPS, AutomationHistory, AutomationUsage,
    LOGS_FREE_GB,
};
use crate::money::Usd;
use crate::prices::{Confidence, Origin, PriceItem, PriceTable};

/// Bytes in a GB as AWS bills them (2^30).
pub(crate) const GB: u64 = 1 << 30;

/// The day Session Manager and Run Command on non-EC2 nodes were reported to move to
/// per-session and per-invocation prices (unconfirmed by AWS).
pub const NON_EC2_PER_USE_FROM: &str = "2026-09-30";

/// Where the prices of an estimate come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Basis {
    pub region: String,
    pub origin: Origin,
    /// The oldest date among the prices used.
    pub as_of: Option<String>,
}

/// What an action will cost, and how that was worked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Estimate {
    /// After the free tier; `None` when a price is unknown for the region.
    pub total: Option<Usd>,
    /// The arithmetic, a line per billable unit: "17 steps × $0.002 = $0.034".
    pub lines: Vec<Localized>,
    /// The free tier's part, when one applies or is not known.
    pub free_tier: Option<Localized>,
    /// Whether the action fits in what is left of the free tier, when that is known.
    pub fits_free_tier: Option<bool>,
    /// Free by rule (Run Command on EC2): `lines` says why.
    pub free: bool,
    /// The most it can cost (a Logs Insights query scans at most the groups' stored bytes).
    pub upper_bound: bool,
    /// A price used is not yet confirmed by AWS.
    pub unconfirmed: bool,
    /// Why there is no figure, when there is none.
    pub unknown: Option<Localized>,
    pub basis: Basis,
}

impl Estimate {
    pub(crate) fn new(table: &PriceTable) -> Self {
        Estimate {
            total: Some(Usd::ZERO),
            lines: Vec::new(),
            free_tier: None,
            fits_free_tier: None,
            free: false,
            upper_bound: false,
            unconfirmed: false,
            unknown: None,
            basis: Basis {
                region: table.region.clone(),
                origin: table.origin.clone(),
                as_of: None,
            },
        }
    }

    /// Free by rule, with why.
    fn free_because(table: &PriceTable, why: Localized) -> Self {
        let mut estimate = Estimate::new(table);
        estimate.free = true;
        estimate.lines.push(why);
        estimate
    }

    /// Adds `count` units of `item` at the table's price, or makes the estimate unknown.
    pub(crate) fn charge(
        &mut self,
        table: &PriceTable,
        item: PriceItem,
        count: Decimal,
        shown: &str,
    ) {
        let Some(price) = table.price(item) else {
            self.total = None;
            let unit = item.unit();
            self.unknown = Some(Localized::new(
                format!(
                    "Unyo has no price per {} for {}: refresh prices from the AWS Price List to estimate it",
                    unit.en, table.region
                ),
                format!(
                    "{} の{}あたりの価格が Unyo にありません。AWS Price List から価格を更新すると見積もれます",
                    table.region, unit.ja
                ),
            ));
            return;
        };
        let amount = price.usd.times(count);
        if let Some(total) = self.total {
            self.total = Some(total + amount);
        }
        let units = item.units(shown);
        self.lines.push(Localized::new(
            format!("{} × {} = {amount}", units.en, price.usd),
            format!("{} × {} = {amount}", units.ja, price.usd),
        ));
        self.unconfirmed |= price.confidence == Confidence::Unconfirmed;
        let older = match &self.basis.as_of {
            Some(seen) => price.as_of < *seen,
            None => true,
        };
        if older {
            self.basis.as_of = Some(price.as_of.clone());
        }
    }

    /// The estimate in one line: "$0.034 (17 steps × $0.002 = $0.034); free tier: none, …".
    pub fn summary(&self) -> Localized {
        let figure = match (self.total, self.free) {
            (_, true) => Localized::new("free", "無料"),
            (Some(total), false) if self.upper_bound => {
                Localized::new(format!("at most {total}"), format!("最大 {total}"))
            }
            (Some(total), false) => Localized::new(total.to_string(), total.to_string()),
            (None, false) => Localized::new("unknown", "不明"),
        };
        let mut en = vec![figure.en];
        let mut ja = vec![figure.ja];
        if !self.lines.is_empty() {
            en.push(format!(
                "({})",
                self.lines
                    .iter()
                    .map(|l| l.en.as_str())
                    .collect::<Vec<_>>()
                    .join(" + ")
            ));
            ja.push(format!(
                "（{}）",
                self.lines
                    .iter()
                    .map(|l| l.ja.as_str())
                    .collect::<Vec<_>>()
                    .join(" + ")
            ));
        }
        if let Some(why) = &self.unknown {
            en.push(format!("; {}", why.en));
            ja.push(format!("。{}", why.ja));
        }
        if let Some(tier) = &self.free_tier {
            en.push(format!("; {}", tier.en));
            ja.push(format!("。{}", tier.ja));
        }
        if self.unconfirmed {
            en.push("; a price used is not yet confirmed by AWS".to_owned());
            ja.push("。使用した価格の一部は AWS による確認がまだありません".to_owned());
        }
        Localized::new(en.join(" ").replace(" ;", ";"), ja.join(""))
    }
}

pub(crate) fn count(n: u64) -> Decimal {
    Decimal::from(n)
}

/// An Automation runbook: what it will run, and what the account used this month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AutomationRun {
    pub steps: u64,
    /// Seconds of `aws:executeScript`, when known (after a run); 0 before one.
    pub script_seconds: u64,
    /// How many of its steps are `aws:executeScript`, billed per second on top of the step:
    /// their time is only known after the run, so the estimate says so.
    pub script_steps: u64,
}

/// An Automation run against the account's free tier; `used` is what the account used of it
/// this month, when that was read.
pub fn automation(
    table: &PriceTable,
    run: AutomationRun,
    history: AutomationHistory,
    used: Option<AutomationUsage>,
) -> Estimate {
    let mut estimate = Estimate::new(table);
    estimate.charge(
        table,
        PriceItem::AutomationStep,
        count(run.steps),
        &run.steps.to_string(),
    );
    if run.script_seconds > 0 {
        estimate.charge(
            table,
            PriceItem::AutomationScriptSecond,
            count(run.script_seconds),
            &run.script_seconds.to_string(),
        );
    } else if run.script_steps > 0
        && let Some(second) = table.price(PriceItem::AutomationScriptSecond)
    {
        estimate.lines.push(Localized::new(
            format!(
                "plus {} a second while its {} aws:executeScript step(s) run (known after the run)",
                second.usd, run.script_steps
            ),
            format!(
                "さらに aws:executeScript ステップ {} 件の実行中は 1 秒あたり {}（実行後に確定）",
                run.script_steps, second.usd
            ),
        ));
    }
    match history {
        AutomationHistory::NewSince => {
            estimate.free_tier = Some(Localized::new(
                "your free tier: none, the account is new to Automation since 14 Aug 2025",
                "無料利用枠: なし（2025 年 8 月 14 日以降に Automation を使い始めたアカウント）",
            ));
            estimate.fits_free_tier = Some(false);
        }
        AutomationHistory::Unknown => {
            estimate.free_tier = Some(Localized::new(
                "your free tier: not known (did this account use Automation before 14 Aug 2025?), so this is the most it can cost",
                "無料利用枠: 不明（このアカウントは 2025 年 8 月 14 日より前に Automation を使っていましたか）。そのため最大額です",
            ));
            estimate.upper_bound = true;
        }
        AutomationHistory::UsedBefore => {
            let Some(used) = used else {
                estimate.free_tier = Some(Localized::new(
                    format!(
                        "your free tier: {AUTOMATION_FREE_STEPS} steps and {AUTOMATION_FREE_SCRIPT_SECONDS} script seconds a month; this month's use could not be read, so this is the most it can cost"
                    ),
                    format!(
                        "無料利用枠: 月 {AUTOMATION_FREE_STEPS} ステップとスクリプト {AUTOMATION_FREE_SCRIPT_SECONDS} 秒。今月の使用量を読み取れなかったため最大額です"
                    ),
                ));
                estimate.upper_bound = true;
                return estimate;
            };
            let steps_left = AUTOMATION_FREE_STEPS.saturating_sub(used.steps);
            let seconds_left = AUTOMATION_FREE_SCRIPT_SECONDS.saturating_sub(used.script_seconds);
            let fits = run.steps <= steps_left && run.script_seconds <= seconds_left;
            estimate.fits_free_tier = Some(fits);
            estimate.free_tier = Some(Localized::new(
                format!(
                    "your free tier: {steps_left} of {AUTOMATION_FREE_STEPS} steps and {seconds_left} of {AUTOMATION_FREE_SCRIPT_SECONDS} script seconds left this month{}",
                    if fits { ", so this costs nothing" } else { "" }
                ),
                format!(
                    "無料利用枠: 今月の残り {steps_left}/{AUTOMATION_FREE_STEPS} ステップ、スクリプト {seconds_left}/{AUTOMATION_FREE_SCRIPT_SECONDS} 秒{}",
                    if fits {
                        "。この実行は無料です"
                    } else {
                        ""
                    }
                ),
            ));
            // Only what exceeds the free tier is billed.
            if estimate.total.is_some() {
                let price = |item| table.price(item).map(|p| p.usd).unwrap_or_default();
                estimate.total = Some(
                    price(PriceItem::AutomationStep)
                        .times(count(run.steps.saturating_sub(steps_left)))
                        + price(PriceItem::AutomationScriptSecond)
                            .times(count(run.script_seconds.saturating_sub(seconds_left))),
                );
            }
        }
    }
    estimate
}

/// A Logs Insights query over groups holding `bytes` in all: it scans at most that much.
pub fn logs_insights(table: &PriceTable, bytes: u64) -> Estimate {
    let mut estimate = Estimate::new(table);
    let gb = Decimal::from(bytes) / Decimal::from(GB);
    let shown = gb.round_dp(3).normalize().to_string();
    estimate.charge(table, PriceItem::LogsInsightsGb, gb, &shown);
    estimate.upper_bound = true;
    estimate.free_tier = Some(Localized::new(
        format!(
            "CloudWatch Logs' free tier is {LOGS_FREE_GB} GB a month of ingestion, storage and scanning together"
        ),
        format!(
            "CloudWatch Logs の無料利用枠は取り込み・保存・スキャン合計で月 {LOGS_FREE_GB} GB です"
        ),
    ));
    estimate
}

/// What a finished Logs Insights query cost, from the bytes its statistics say it scanned.
pub fn logs_insights_scanned(table: &PriceTable, bytes: u64) -> Estimate {
    let mut estimate = logs_insights(table, bytes);
    estimate.upper_bound = false;
    estimate
}

/// Where a command or a session runs: an EC2 instance, or another (hybrid) node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum NodeKind {
    Ec2,
    NonEc2,
}

/// `invocations` Run Command invocations on `node`, on the account's day `today` (YYYY-MM-DD).
pub fn run_command(table: &PriceTable, node: NodeKind, invocations: u64, today: &str) -> Estimate {
    match node {
        NodeKind::Ec2 => Estimate::free_because(
            table,
            Localized::new(
                "Run Command is free on EC2 instances",
                "EC2 インスタンスでの Run Command は無料です",
            ),
        ),
        NodeKind::NonEc2 if today < NON_EC2_PER_USE_FROM => Estimate::free_because(
            table,
            Localized::new(
                "Run Command on non-EC2 nodes had no per-invocation charge before 30 Sep 2026",
                "2026 年 9 月 30 日より前は EC2 以外のノードでの Run Command に呼び出しごとの料金はありません",
            ),
        ),
        NodeKind::NonEc2 => {
            let mut estimate = Estimate::new(table);
            estimate.charge(
                table,
                PriceItem::NonEc2RunCommandInvocation,
                count(invocations),
                &invocations.to_string(),
            );
            estimate
        }
    }
}

/// One Session Manager session to `node`, on the account's day `today`.
pub fn session(table: &PriceTable, node: NodeKind, today: &str) -> Estimate {
    match node {
        NodeKind::Ec2 => Estimate::free_because(
            table,
            Localized::new(
                "Session Manager is free on EC2 instances",
                "EC2 インスタンスでの Session Manager は無料です",
            ),
        ),
        NodeKind::NonEc2 if today < NON_EC2_PER_USE_FROM => {
            let mut estimate = Estimate::new(table);
            estimate.charge(table, PriceItem::NonEc2AdvancedInstanceHour, count(1), "1");
            estimate.free_tier = Some(Localized::new(
                "a session to a non-EC2 node needs the advanced tier, billed per node-hour while it is on",
                "EC2 以外のノードへのセッションにはアドバンスド層が必要で、有効な間はノード時間ごとに課金されます",
            ));
            estimate
        }
        NodeKind::NonEc2 => {
            let mut estimate = Estimate::new(table);
            estimate.charge(table, PriceItem::NonEc2Session, count(1), "1");
            estimate
        }
    }
}

/// `items` OpsCenter OpsItems created.
pub fn ops_items(table: &PriceTable, items: u64) -> Estimate {
    let mut estimate = Estimate::new(table);
    estimate.charge(table, PriceItem::OpsItem, count(items), &items.to_string());
    estimate
}

/// `parameters` advanced Parameter Store parameters kept for `months` months.
pub fn advanced_parameters(table: &PriceTable, parameters: u64, months: u64) -> Estimate {
    let mut estimate = Estimate::new(table);
    let units = parameters.saturating_mul(months);
    estimate.charge(
        table,
        PriceItem::ParameterAdvancedMonth,
        count(units),
        &units.to_string(),
    );
    estimate
}
