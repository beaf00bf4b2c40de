//! `unyo metrics`: the datapoints behind an alarm (with its threshold, each point marked when
//! it breaches), or an instance's standard EC2 metrics, over the last `--since`.

use clap::Args;
use serde::Serialize;
use unyo_core::alarms::{
    Alarm, AlarmQuery, ComparisonOperator, Dimension, MetricId, MetricQuery, MetricSeries,
};
use unyo_core::cloud::Metrics;
use unyo_core::{AppError, Cloud};

use crate::account;
use crate::exit::Exit;
use crate::output;
use crate::reads::{self, ReadArgs};

/// What an instance's page shows first: the metrics EC2 publishes without an agent, each with
/// the statistic that answers "is it busy, is it broken, is it talking".
const STANDARD_EC2: [(&str, &str); 4] = [
    ("CPUUtilization", "Average"),
    ("StatusCheckFailed", "Maximum"),
    ("NetworkIn", "Sum"),
    ("NetworkOut", "Sum"),
];
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

/// What `--json` prints: each series, and the alarm's threshold when it is an alarm's metric.
#[derive(Debug, Serialize)]
struct Charted {
    #[serde(skip_serializing_if = "Option::is_none")]
    alarm: Option<Alarm>,
    series: Vec<MetricSeries>,
}

pub fn run(args: &MetricsArgs) -> Exit {
    reads::run(&args.read, || async {
        let cloud = account::open(&args.read.account).await?;
        let metrics = cloud.require_metrics()?;
        let region = reads::region(cloud.as_ref(), &args.read.account)?;
        let (start, end) = reads::window(cloud.as_ref(), &args.since)?;
        let (alarm, queries) = if args.target.starts_with("i-") {
            (None, instance_queries(&args.target, &region, &start, &end))
        } else {
            let alarm = find_alarm(metrics, &region, &args.target).await?;
            let query = alarm_query(&alarm, &start, &end)?;
            (Some(alarm), vec![query])
        };
        args.read.explain(queries.iter().map(MetricQuery::cli));
        let mut series = Vec::new();
        for query in &queries {
            series.push(metrics.get_metric_series(query).await?);
        }
        let charted = Charted { alarm, series };
        if args.read.json {
            return Ok(output::json(&charted));
        }
        print(cloud.as_ref(), &charted);
        Ok(Exit::Ok)
    })
}

fn instance_queries(instance_id: &str, region: &str, start: &str, end: &str) -> Vec<MetricQuery> {
    STANDARD_EC2
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
