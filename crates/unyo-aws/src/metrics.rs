//! CloudWatch alarms and metrics on a real account: the alarms of a region
//! (`DescribeAlarms`), an alarm's state changes (`DescribeAlarmHistory`), one metric's
//! datapoints (`GetMetricData`), the metrics that exist for an instance (`ListMetrics`), and
//! the custom metrics and dashboards the Costs screen counts, every page of each.
//!
//! The client speaks awsQuery (the workspace pins aws-sdk-cloudwatch ~1.98) so the same
//! code runs against the moto emulator, which does not answer RPC v2 CBOR.

mod alarm;
mod usage;

use async_trait::async_trait;
use aws_sdk_cloudwatch::types::{
    AlarmType, DimensionFilter, HistoryItemType, Metric, MetricDataQuery, MetricStat, ScanBy,
};
use aws_smithy_types::DateTime;
use unyo_core::AppError;
use unyo_core::alarms::{
    Alarm, AlarmHistoryItem, AlarmQuery, Dimension, MetricId, MetricPoint, MetricQuery,
    MetricSeries,
};
use unyo_core::cloud::Metrics;
use unyo_core::time::require_rfc3339;

use crate::cloud::AwsCloud;
use crate::error::from_action;

/// How many state changes the history reads; "since when" needs only the latest few.
const HISTORY: usize = 100;

/// The one query of a series request; its result is found again by this id.
const SERIES_ID: &str = "m0";

impl AwsCloud {
    /// The CloudWatch client of `region`, which must be a region code.
    fn cloudwatch(&self, region: &str) -> Result<aws_sdk_cloudwatch::Client, AppError> {
        Self::check_region(region)?;
        self.cloudwatch
            .as_ref()
            .map(|c| c.get(region))
            .ok_or_else(|| {
                AppError::new(
                    unyo_core::ErrorCode::Unsupported,
                    "this account was opened without CloudWatch clients",
                )
            })
    }
}

#[async_trait]
impl Metrics for AwsCloud {
    async fn list_alarms(&self, query: &AlarmQuery) -> Result<Vec<Alarm>, AppError> {
        list_alarms(&self.cloudwatch(&query.region)?, query).await
    }

    async fn alarm_history(
        &self,
        region: &str,
        alarm_name: &str,
    ) -> Result<Vec<AlarmHistoryItem>, AppError> {
        alarm_history(&self.cloudwatch(region)?, alarm_name).await
    }

    async fn get_metric_series(&self, query: &MetricQuery) -> Result<MetricSeries, AppError> {
        get_metric_series(&self.cloudwatch(&query.region)?, query).await
    }

    async fn list_metrics(
        &self,
        region: &str,
        namespace: &str,
        dimension: &Dimension,
    ) -> Result<Vec<MetricId>, AppError> {
        list_metrics(&self.cloudwatch(region)?, namespace, dimension).await
    }

    async fn count_custom_metrics(&self, region: &str) -> Result<u64, AppError> {
        usage::count_custom_metrics(&self.cloudwatch(region)?).await
    }

    async fn count_dashboards(&self, region: &str) -> Result<u64, AppError> {
        usage::count_dashboards(&self.cloudwatch(region)?).await
    }
}

/// Metric and composite alarms of the query's region, firing first.
pub async fn list_alarms(
    cloudwatch: &aws_sdk_cloudwatch::Client,
    query: &AlarmQuery,
) -> Result<Vec<Alarm>, AppError> {
    let mut pages = cloudwatch
        .describe_alarms()
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .set_state_value(query.state.map(alarm::state_value))
        .set_alarm_name_prefix(query.name_prefix.clone())
        .into_paginator()
        .send();
    let mut alarms = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_action("cloudwatch:DescribeAlarms", &e))?;
        alarms.extend(
            page.metric_alarms()
                .iter()
                .map(|a| alarm::from_metric_alarm(&query.region, a)),
        );
        alarms.extend(
            page.composite_alarms()
                .iter()
                .map(|a| alarm::from_composite_alarm(&query.region, a)),
        );
    }
    // The filters are applied again here because an emulator may honour only one of them
    // (moto ignores the state when a prefix is given); on AWS this removes nothing.
    alarms.retain(|a| {
        query.state.is_none_or(|s| a.state == s)
            && query
                .name_prefix
                .as_deref()
                .is_none_or(|p| a.name.starts_with(p))
    });
    alarm::sort(&mut alarms);
    Ok(alarms)
}

/// The alarm's state changes, newest first (the latest [`HISTORY`] of them).
pub async fn alarm_history(
    cloudwatch: &aws_sdk_cloudwatch::Client,
    alarm_name: &str,
) -> Result<Vec<AlarmHistoryItem>, AppError> {
    let mut pages = cloudwatch
        .describe_alarm_history()
        .alarm_name(alarm_name)
        .history_item_type(HistoryItemType::StateUpdate)
        .scan_by(ScanBy::TimestampDescending)
        .into_paginator()
        .send();
    let mut items = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_action("cloudwatch:DescribeAlarmHistory", &e))?;
        items.extend(page.alarm_history_items().iter().map(alarm::history_item));
        if items.len() >= HISTORY {
            break;
        }
    }
    // RFC 3339 UTC strings of one width sort as the times do.
    items.sort_by(|a, b| b.timestamp.cmp(&a.timestamp));
    items.truncate(HISTORY);
    Ok(items)
}

/// One metric's datapoints between the query's bounds, oldest first.
pub async fn get_metric_series(
    cloudwatch: &aws_sdk_cloudwatch::Client,
    query: &MetricQuery,
) -> Result<MetricSeries, AppError> {
    const ACTION: &str = "cloudwatch:GetMetricData";
    let start = require_rfc3339("start", &query.start)?;
    let end = require_rfc3339("end", &query.end)?;
    if end <= start {
        return Err(AppError::invalid_input(format!(
            "the end {} is not after the start {}",
            query.end, query.start
        )));
    }
    let period = i32::try_from(query.period_seconds)
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| {
            AppError::invalid_input(format!(
                "a period of {} seconds is not one CloudWatch takes",
                query.period_seconds
            ))
        })?;
    let metric = Metric::builder()
        .namespace(&query.metric.namespace)
        .metric_name(&query.metric.metric_name)
        .set_dimensions(Some(
            query
                .metric
                .dimensions
                .iter()
                .map(|d| {
                    aws_sdk_cloudwatch::types::Dimension::builder()
                        .name(&d.name)
                        .value(&d.value)
                        .build()
                })
                .collect(),
        ))
        .build();
    // Percentiles (`p99`) and other extended statistics go in `Stat` as they are.
    let stat = MetricStat::builder()
        .metric(metric)
        .period(period)
        .stat(&query.statistic)
        .build();
    let data_query = MetricDataQuery::builder()
        .id(SERIES_ID)
        .metric_stat(stat)
        .return_data(true)
        .build();
    let mut pages = cloudwatch
        .get_metric_data()
        .metric_data_queries(data_query)
        .start_time(DateTime::from_secs(start))
        .end_time(DateTime::from_secs(end))
        .scan_by(ScanBy::TimestampAscending)
        .into_paginator()
        .send();
    let mut points = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_action(ACTION, &e))?;
        for result in page.metric_data_results() {
            if result.id() != Some(SERIES_ID) {
                continue;
            }
            points.extend(
                result
                    .timestamps()
                    .iter()
                    .zip(result.values())
                    .map(|(at, value)| (at.secs(), *value)),
            );
        }
    }
    points.sort_by_key(|(at, _)| *at);
    Ok(MetricSeries {
        metric: query.metric.clone(),
        statistic: query.statistic.clone(),
        unit: unit_of(&query.metric).to_owned(),
        points: points
            .into_iter()
            .map(|(at, value)| MetricPoint {
                timestamp: unyo_core::time::rfc3339(at),
                value,
            })
            .collect(),
    })
}

/// The unit of the metrics Unyo charts by default. `GetMetricData` does not say units, so
/// any other metric is "None", as CloudWatch calls a unitless one.
fn unit_of(metric: &MetricId) -> &'static str {
    match (metric.namespace.as_str(), metric.metric_name.as_str()) {
        ("AWS/EC2", "CPUUtilization") => "Percent",
        ("AWS/EC2", name) if name.starts_with("StatusCheckFailed") => "Count",
        ("AWS/EC2", "NetworkIn" | "NetworkOut" | "EBSReadBytes" | "EBSWriteBytes") => "Bytes",
        ("AWS/EC2", "NetworkPacketsIn" | "NetworkPacketsOut") => "Count",
        ("CWAgent", "mem_used_percent" | "disk_used_percent" | "swap_used_percent") => "Percent",
        _ => "None",
    }
}

/// The metrics of `namespace` that have `dimension`, each with all its dimensions.
pub async fn list_metrics(
    cloudwatch: &aws_sdk_cloudwatch::Client,
    namespace: &str,
    dimension: &Dimension,
) -> Result<Vec<MetricId>, AppError> {
    let mut pages = cloudwatch
        .list_metrics()
        .namespace(namespace)
        .dimensions(
            DimensionFilter::builder()
                .name(&dimension.name)
                .value(&dimension.value)
                .build(),
        )
        .into_paginator()
        .send();
    let mut metrics = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_action("cloudwatch:ListMetrics", &e))?;
        metrics.extend(page.metrics().iter().map(alarm::metric_id));
    }
    Ok(metrics)
}
