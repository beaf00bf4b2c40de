//! This month's use of the billable tools Unyo touches, per account and region, against their
//! free tiers: Automation's executions and the steps they ran (`DescribeAutomationExecutions`,
//! then each execution's steps), the region's metric alarms and custom metrics, the account's
//! dashboards, the log data taken in and stored, and AWS's own free-tier count where the
//! account allows it. Each part is read on its own, so one the account refuses
//! leaves the others.

use serde::Serialize;
use ts_rs::TS;
use unyo_core::AppError;
use unyo_core::alarms::{AlarmKind, AlarmQuery, MetricId, MetricQuery};
use unyo_core::automation::AutomationExecution;
use unyo_core::cloud::{Cloud, FreeTierUsage};
use unyo_core::settings::AutomationHistory;

use crate::estimate::{self, AutomationRun, Estimate, GB};
use crate::free_tier::{
    ALARMS_FREE, AUTOMATION_FREE_STEPS, AutomationUsage, DASHBOARDS_FREE, LOGS_FREE_GB,
    METRICS_FREE,
};
use crate::money::Usd;
use crate::monthly;
use crate::practice::Pricing;

/// One tool's month: how much was used, the free tier's line (0 when there is none), and what
/// it costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ToolMonth {
    #[ts(type = "number")]
    pub used: u64,
    /// The free tier's line in the same unit; 0 when the account has none.
    #[ts(type = "number")]
    pub free: u64,
    /// Whether `used` is only a lower bound (the history lists at most its newest entries).
    pub at_least: bool,
    pub estimate: Estimate,
}

/// A part of the month that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MonthGap {
    pub tool: String,
    pub error: AppError,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MonthUsage {
    pub region: String,
    /// `YYYY-MM`, on the account's clock.
    pub month: String,
    /// Automation steps executed this month.
    pub automation_steps: Option<ToolMonth>,
    /// Automation executions started this month.
    #[ts(type = "number | null")]
    pub automation_executions: Option<u64>,
    /// Metric alarms in the region (billed per alarm-month).
    pub alarms: Option<ToolMonth>,
    /// Custom metrics in the region (billed per metric-month).
    pub custom_metrics: Option<ToolMonth>,
    /// The account's dashboards (billed per dashboard-month).
    pub dashboards: Option<ToolMonth>,
    /// Log data this month, in bytes: taken in so far plus stored now, against the free GBs.
    pub logs_data: Option<ToolMonth>,
    /// AWS's own count of the account's free-tier use this month for the services Unyo uses
    /// (Systems Manager, CloudWatch, CloudTrail), with its forecast; `None` when the account
    /// has no Billing capability or did not allow `freetier:GetFreeTierUsage` (a gap then).
    pub aws_free_tier: Option<Vec<FreeTierUsage>>,
    /// The Logs Insights queries run from Unyo this month and what they cost, from the
    /// incident journal (the account's own history does not say what a query scanned).
    pub unyo_queries: Option<QueriesMonth>,
    pub gaps: Vec<MonthGap>,
}

/// Queries run from Unyo this month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QueriesMonth {
    #[ts(type = "number")]
    pub queries: u64,
    pub cost: Usd,
}

/// Whether a free-tier offer is one of the services Unyo uses.
fn ours(usage: &FreeTierUsage) -> bool {
    let service = usage.service.to_lowercase();
    ["systems manager", "ssm", "cloudwatch", "cloudtrail"]
        .iter()
        .any(|name| service.contains(name))
}

/// How many executions the history lists (`DescribeAutomationExecutions`' newest page).
const LISTED: usize = 50;

/// This month's use in `region`, on the account's clock `now` (RFC 3339), priced as
/// `pricing` says (on the practice account, free, with what it would cost on AWS).
pub async fn month_usage(
    cloud: &dyn Cloud,
    region: &str,
    now: &str,
    pricing: &Pricing,
) -> MonthUsage {
    let month = now.get(..7).unwrap_or(now).to_owned();
    let (table, history) = (&pricing.table, pricing.history);
    let priced = |estimate: Estimate| pricing.finish(estimate);
    let mut gaps = Vec::new();
    let mut gap = |tool: &str, error: AppError| {
        gaps.push(MonthGap {
            tool: tool.into(),
            error,
        });
    };
    let (automation_steps, automation_executions) =
        match automation_month(cloud, region, &month).await {
            Ok((executions, usage, at_least)) => {
                let run = AutomationRun {
                    steps: usage.steps,
                    script_seconds: usage.script_seconds,
                    script_steps: 0,
                };
                // The month's own use measured against the whole monthly free tier.
                let estimate =
                    estimate::automation(table, run, history, Some(AutomationUsage::default()));
                let free = match history {
                    AutomationHistory::UsedBefore => AUTOMATION_FREE_STEPS,
                    _ => 0,
                };
                let steps = ToolMonth {
                    used: usage.steps,
                    free,
                    at_least,
                    estimate: priced(estimate),
                };
                (Some(steps), Some(executions))
            }
            Err(error) => {
                gap("automation", error);
                (None, None)
            }
        };
    let kept = |used: u64, free: u64, estimate: Estimate| ToolMonth {
        used,
        free,
        at_least: false,
        estimate: priced(estimate),
    };
    let alarms = match alarms_month(cloud, region).await {
        Ok(count) => Some(kept(count, ALARMS_FREE, monthly::alarms(table, count))),
        Err(error) => {
            gap("alarms", error);
            None
        }
    };
    let metrics = cloud.require_metrics();
    let custom_metrics = match metrics.as_ref() {
        Ok(metrics) => metrics.count_custom_metrics(region).await,
        Err(error) => Err(error.clone()),
    };
    let custom_metrics = match custom_metrics {
        Ok(count) => Some(kept(
            count,
            METRICS_FREE,
            monthly::custom_metrics(table, count),
        )),
        Err(error) => {
            gap("customMetrics", error);
            None
        }
    };
    let dashboards = match metrics.as_ref() {
        Ok(metrics) => metrics.count_dashboards(region).await,
        Err(error) => Err(error.clone()),
    };
    let dashboards = match dashboards {
        Ok(count) => Some(kept(
            count,
            DASHBOARDS_FREE,
            monthly::dashboards(table, count),
        )),
        Err(error) => {
            gap("dashboards", error);
            None
        }
    };
    let logs_data = match logs_month(cloud, region, &month, now).await {
        Ok((ingested, stored)) => Some(kept(
            ingested + stored,
            LOGS_FREE_GB * GB,
            monthly::logs_data(table, ingested, stored),
        )),
        Err(error) => {
            gap("logs", error);
            None
        }
    };
    let aws_free_tier = match cloud.billing() {
        None => None,
        Some(billing) => match billing.free_tier_usage().await {
            Ok(usages) => Some(usages.into_iter().filter(ours).collect()),
            Err(error) => {
                gap("freeTier", error);
                None
            }
        },
    };
    MonthUsage {
        region: region.to_owned(),
        month,
        automation_steps,
        automation_executions,
        alarms,
        custom_metrics,
        dashboards,
        logs_data,
        aws_free_tier,
        unyo_queries: None,
        gaps,
    }
}

/// The bytes the region's log groups took in this month (CloudWatch's `AWS/Logs`
/// `IncomingBytes`, hour by hour) and the bytes they store now (`DescribeLogGroups`).
async fn logs_month(
    cloud: &dyn Cloud,
    region: &str,
    month: &str,
    now: &str,
) -> Result<(u64, u64), AppError> {
    let stored = cloud
        .require_logs()?
        .list_log_groups(region)
        .await?
        .iter()
        .map(|g| g.stored_bytes)
        .sum();
    let series = cloud
        .require_metrics()?
        .get_metric_series(&MetricQuery {
            region: region.to_owned(),
            metric: MetricId {
                namespace: "AWS/Logs".into(),
                metric_name: "IncomingBytes".into(),
                dimensions: Vec::new(),
            },
            statistic: "Sum".into(),
            period_seconds: 3600,
            start: format!("{month}-01T00:00:00Z"),
            end: now.to_owned(),
        })
        .await?;
    let ingested = series.points.iter().map(|p| p.value.max(0.0) as u64).sum();
    Ok((ingested, stored))
}

/// What the account's Automation used this month in `region` (the month of `now`, RFC 3339),
/// for a runbook's estimate against what its free tier has left.
pub async fn automation_used(
    cloud: &dyn Cloud,
    region: &str,
    now: &str,
) -> Result<AutomationUsage, AppError> {
    let month = now.get(..7).unwrap_or(now);
    automation_month(cloud, region, month)
        .await
        .map(|(_, usage, _)| usage)
}

/// The month's executions, the steps they ran and their scripts' seconds, and whether the
/// history may hold more than it listed.
async fn automation_month(
    cloud: &dyn Cloud,
    region: &str,
    month: &str,
) -> Result<(u64, AutomationUsage, bool), AppError> {
    let automation = cloud.require_automation()?;
    let listed = automation.list_automation_executions(region).await?;
    let this_month: Vec<&AutomationExecution> = listed
        .iter()
        .filter(|e| e.started_at.starts_with(month))
        .collect();
    let at_least = listed.len() >= LISTED && this_month.len() == listed.len();
    let mut usage = AutomationUsage::default();
    for listed in &this_month {
        let execution = automation
            .get_automation_execution(region, &listed.execution_id)
            .await?;
        usage.steps += executed_steps(&execution);
        usage.script_seconds += script_seconds(&execution);
    }
    Ok((this_month.len() as u64, usage, at_least))
}

/// The steps that ran (Automation bills those, not the ones a branch skipped).
pub fn executed_steps(execution: &AutomationExecution) -> u64 {
    execution
        .steps
        .iter()
        .filter(|s| s.started_at.is_some())
        .count() as u64
}

/// The seconds its `aws:executeScript` steps ran, each rounded up to a whole second.
pub fn script_seconds(execution: &AutomationExecution) -> u64 {
    execution
        .steps
        .iter()
        .filter(|s| s.action == "aws:executeScript")
        .filter_map(|s| {
            let start = unyo_core::time::parse_rfc3339(s.started_at.as_deref()?)?;
            let end = unyo_core::time::parse_rfc3339(s.ended_at.as_deref()?)?;
            u64::try_from(end - start).ok()
        })
        .sum()
}

async fn alarms_month(cloud: &dyn Cloud, region: &str) -> Result<u64, AppError> {
    let alarms = cloud
        .require_metrics()?
        .list_alarms(&AlarmQuery {
            region: region.to_owned(),
            state: None,
            name_prefix: None,
        })
        .await?;
    Ok(alarms
        .iter()
        .filter(|a| a.kind == AlarmKind::Metric)
        .count() as u64)
}
