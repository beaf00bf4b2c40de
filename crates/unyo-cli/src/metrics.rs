//! `unyo metrics`: the datapoints behind an alarm (with its threshold, each point marked when
//! it breaches), or an instance's charts as Triage shows them (EC2's standard metrics, and
//! the CloudWatch agent's memory and disks when it publishes them), over the last `--since`.

use clap::Args;
use serde::Serialize;
use unyo_core::alarms::instance::{AGENT_NAMESPACE, EC2_METRICS, InstanceMetric, instance_metrics};
use unyo_core::alarms::{
    Alarm, AlarmQuery, ComparisonOperator, Dimension, MetricId, MetricQuery, MetricSeries,
};
use unyo_core::cloud::Metrics;
use unyo_core::{AppError, Cloud};

use crate::account;
use crate::exit::Exit;
use crate::output;
use crate::reads::{self, ReadArgs};

/// EC2's basic monitoring publishes every five minutes.
const INSTANCE_PERIOD: u32 = 300;

#[derive(Debug, Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// An instance id (i-...) or an alarm's name.
    #[arg(value_name = "INSTANCE_OR_ALARM")]
    target: String,
    /// How far back to look: 30m, 1h, 2d.
    #[arg(long, default_value = "1h")]
    since: String,
}

/// What `--json` prints: each series, the alarm's threshold when it is an alarm's metric, and
/// an instance's metrics that could not be read, each with why.
#[derive(Debug, Serialize)]
struct Charted {
    #[serde(skip_serializing_if = "Option::is_none")]
    alarm: Option<Alarm>,
    series: Vec<MetricSeries>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    failures: Vec<InstanceMetric>,
}

pub fn run(args: &MetricsArgs) -> Exit {
    reads::run(&args.read, || async {
        let cloud = account::open(&args.read.account).await?;
        let metrics = cloud.require_metrics()?;
        let region = reads::region(cloud.as_ref(), &args.read.account)?;
        let (start, end) = reads::window(cloud.as_ref(), &args.since)?;
        let charted = if args.target.starts_with("i-") {
            args.read
                .explain(instance_cli(&args.target, &region, &start, &end));
            let charts = instance_metrics(
                metrics,
                &region,
                &args.target,
                &start,
                &end,
                INSTANCE_PERIOD,
            )
            .await?;
            let (read, failed): (Vec<InstanceMetric>, Vec<InstanceMetric>) = charts
                .into_iter()
                .map(InstanceMetric::from)
                .partition(|c| c.series.is_some());
            Charted {
                alarm: None,
                series: read.into_iter().filter_map(|c| c.series).collect(),
                failures: failed,
            }
        } else {
            let alarm = find_alarm(metrics, &region, &args.target).await?;
            let query = alarm_query(&alarm, &start, &end)?;
            args.read.explain([query.cli()]);
            let series = vec![metrics.get_metric_series(&query).await?];
            Charted {
                alarm: Some(alarm),
                series,
                failures: Vec::new(),
            }
        };
        let partial = !charted.failures.is_empty();
        if args.read.json {
            let written = output::json(&charted);
            return Ok(if partial && matches!(written, Exit::Ok) {
                Exit::Partial
            } else {
                written
            });
        }
        print(cloud.as_ref(), &charted);
        for failed in &charted.failures {
            if let Some(error) = &failed.error {
                eprintln!(
                    "unyo: {} {} could not be read: {}",
                    failed.metric.namespace, failed.metric.metric_name, error.message
                );
            }
        }
        Ok(if partial { Exit::Partial } else { Exit::Ok })
    })
}

/// The AWS CLI that reads the same charts: each EC2 metric, and the agent's listing.
fn instance_cli(instance_id: &str, region: &str, start: &str, end: &str) -> Vec<String> {
    let mut cli: Vec<String> = instance_queries(instance_id, region, start, end)
        .iter()
        .map(MetricQuery::cli)
        .collect();
    cli.push(format!(
        "aws cloudwatch list-metrics --region {region} --namespace {AGENT_NAMESPACE} --dimensions Name=InstanceId,Value={instance_id}"
    ));
    cli
}

fn instance_queries(instance_id: &str, region: &str, start: &str, end: &str) -> Vec<MetricQuery> {
    EC2_METRICS
        .iter()
        .map(|(name, statistic)| MetricQuery {
            region: region.to_owned(),
            metric: MetricId {
                namespace: "AWS/EC2".into(),
                metric_name: (*name).into(),
                dimensions: vec![Dimension {
                    name: "InstanceId".into(),
                    value: instance_id.to_owned(),
                }],
            },
            statistic: (*statistic).into(),
            period_seconds: INSTANCE_PERIOD,
            start: start.to_owned(),
            end: end.to_owned(),
        })
        .collect()
}

async fn find_alarm(metrics: &dyn Metrics, region: &str, name: &str) -> Result<Alarm, AppError> {
    let query = AlarmQuery {
        region: region.to_owned(),
        state: None,
        name_prefix: Some(name.to_owned()),
    };
    metrics
        .list_alarms(&query)
        .await?
        .into_iter()
        .find(|a| a.name == name)
        .ok_or_else(|| {
            AppError::invalid_input(format!(
                "there is no alarm called `{name}` in {region}; `unyo alarms` lists them"
            ))
        })
}

fn alarm_query(alarm: &Alarm, start: &str, end: &str) -> Result<MetricQuery, AppError> {
    let watched = alarm.metric.as_ref().ok_or_else(|| {
        AppError::invalid_input(format!(
            "`{}` watches no single metric (a composite or metric math alarm)",
            alarm.name
        ))
    })?;
    Ok(MetricQuery {
        region: alarm.region.clone(),
        metric: watched.metric.clone(),
        statistic: watched.statistic.clone(),
        period_seconds: watched.period_seconds,
        start: start.to_owned(),
        end: end.to_owned(),
    })
}

fn print(cloud: &dyn Cloud, charted: &Charted) {
    let rule = charted.alarm.as_ref().and_then(|a| {
        let m = a.metric.as_ref()?;
        Some((m.comparison, m.threshold?))
    });
    if let (Some(alarm), Some((comparison, threshold))) = (&charted.alarm, rule) {
        println!(
            "{} is {} ({}); it fires when {} {} {threshold}",
            alarm.name,
            crate::alarms::state_name(alarm.state),
            alarm.state_reason,
            charted
                .series
                .first()
                .map_or("", |s| s.metric.metric_name.as_str()),
            comparison.symbol(),
        );
    }
    for series in &charted.series {
        let mut table = reads::table(&["TIME", &series.metric.metric_name, "UNIT"]);
        for point in &series.points {
            table.add_row([
                point.timestamp.clone(),
                format!("{}{}", trim(point.value), breach_mark(rule, point.value)),
                series.unit.clone(),
            ]);
        }
        println!(
            "{} {} ({})",
            series.metric.namespace, series.metric.metric_name, series.statistic
        );
        println!("{table}");
    }
    println!("as of {}", unyo_core::time::rfc3339(cloud.now()));
}

fn breach_mark(rule: Option<(ComparisonOperator, f64)>, value: f64) -> &'static str {
    match rule.and_then(|(comparison, threshold)| comparison.breaches(value, threshold)) {
        Some(true) => "  (breaching)",
        _ => "",
    }
}

/// Two decimals, without the trailing zeros a count does not need.
fn trim(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
