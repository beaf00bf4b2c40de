//! CloudWatch on the practice account: metric series drawn from each host's load history
//! with seeded noise, and alarms evaluated over them the way CloudWatch does (the last N
//! complete periods all breaching means ALARM), so an alarm returns to OK only after enough
//! good datapoints, and not the moment a fix is made.

use std::collections::BTreeMap;

use unyo_core::alarms::{
    Alarm, AlarmHistoryItem, AlarmKind, AlarmMetric, AlarmQuery, AlarmState, Dimension, MetricId,
    MetricPoint, MetricQuery, MetricSeries,
};
use unyo_core::{AppError, Instance};

use crate::account::{Account, AlarmDef, Source, check_region, metric_id, source_of};
use crate::clock::{parse_rfc3339, rfc3339};
use crate::host::Host;

/// SplitMix64's finaliser: a well-mixed 64-bit value from any input.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Noise in [-1, 1], the same for the same seed, series and instant.
fn noise(seed: u64, key: &str, at: i64) -> f64 {
    let key_hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let x = mix(seed ^ key_hash ^ (at as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    (x >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// The metric's value for the period starting at `at`.
pub fn value_at(seed: u64, host: &Host, source: Source, instance_id: &str, at: i64) -> Option<f64> {
    let sample = host.load_at(at)?;
    let (base, spread, key) = match source {
        Source::Cpu => (sample.cpu_percent, 1.5, "cpu"),
        Source::Disk => (sample.disk_percent, 0.05, "disk"),
    };
    let value = base + spread * noise(seed, &format!("{key}:{instance_id}"), at);
    Some((value.clamp(0.0, 100.0) * 100.0).round() / 100.0)
}

/// Complete periods only: a period is reported once it has ended.
fn period_starts(start: i64, end: i64, period: i64, now: i64) -> impl Iterator<Item = i64> {
    let first = start.div_euclid(period) * period;
    let last_end = end.min(now);
    (0..)
        .map(move |k| first + k * period)
        .take_while(move |t| t + period <= last_end)
        .filter(move |t| *t >= start)
}

/// Runs `read` on the instance's host, made from the fleet data if no one has touched it.
pub fn with_host<T>(
    hosts: &mut BTreeMap<String, Host>,
    instance: &Instance,
    now: i64,
    read: impl FnOnce(&mut Host) -> T,
) -> T {
    let host = hosts.entry(instance.id.clone()).or_insert_with(|| {
        crate::regions::new_host(&instance.id, &crate::session::hostname(instance))
    });
    host.set_time(now);
    host.record_load();
    read(host)
}

pub fn series(
    account: &Account,
    hosts: &mut BTreeMap<String, Host>,
    instances: &[Instance],
    query: &MetricQuery,
    now: i64,
) -> Result<MetricSeries, AppError> {
    check_region(&query.region)?;
    let (Some(start), Some(end)) = (parse_rfc3339(&query.start), parse_rfc3339(&query.end)) else {
        return Err(AppError::invalid_input(
            "metric query times must be RFC 3339 in UTC, e.g. 2026-11-28T10:00:00Z",
        ));
    };
    let period = i64::from(query.period_seconds.max(60));
    let unit = if source_of(&query.metric).is_some() {
        "Percent"
    } else {
        "None"
    };
    let mut points = Vec::new();
    if is_logs_incoming_bytes(&query.metric) {
        for at in period_starts(start, end, period, now) {
            let bytes = crate::logs::ingested_bytes(account, &query.region, at, at + period);
            if bytes > 0 {
                points.push(MetricPoint {
                    timestamp: rfc3339(at),
                    value: bytes as f64,
                });
            }
        }
        return Ok(MetricSeries {
            metric: query.metric.clone(),
            statistic: query.statistic.clone(),
            unit: "Bytes".to_owned(),
            points,
        });
    }
    if let Some((source, instance_id)) = source_of(&query.metric)
        && let Some(instance) = instances
            .iter()
            .find(|i| i.id == instance_id && i.region == query.region)
    {
        with_host(hosts, instance, now, |host| {
            for at in period_starts(start, end, period, now) {
                if let Some(value) = value_at(account.seed, host, source, instance_id, at) {
                    points.push(MetricPoint {
                        timestamp: rfc3339(at),
                        value,
                    });
                }
            }
        });
    }
    Ok(MetricSeries {
        metric: query.metric.clone(),
        statistic: query.statistic.clone(),
        unit: unit.to_owned(),
        points,
    })
}

/// The alarm's state if evaluated at the end of the period ending at `at`, with the values.
fn evaluate(seed: u64, def: &AlarmDef, host: &Host, at: i64) -> (AlarmState, Vec<(i64, f64)>) {
    let period = i64::from(def.period_seconds);
    let last = at.div_euclid(period) * period - period;
    let values: Vec<(i64, f64)> = (0..i64::from(def.evaluation_periods))
        .filter_map(|k| {
            let t = last - k * period;
            value_at(seed, host, def.source, &def.instance_id, t).map(|v| (t, v))
        })
        .collect();
    if values.len() < def.evaluation_periods as usize {
        return (AlarmState::InsufficientData, values);
    }
    let breaching = values
        .iter()
        .all(|(_, v)| def.comparison().breaches(*v, def.threshold) == Some(true));
    (
        if breaching {
            AlarmState::Alarm
        } else {
            AlarmState::Ok
        },
        values,
    )
}

pub fn alarm(seed: u64, def: &AlarmDef, host: &Host, now: i64) -> Alarm {
    let (state, values) = evaluate(seed, def, host, now);
    // Walk back a period at a time to find when the state last changed (a day at most).
    let period = i64::from(def.period_seconds);
    let mut changed = now.div_euclid(period) * period;
    for k in 1..=(86_400 / period) {
        let at = now.div_euclid(period) * period - k * period;
        if evaluate(seed, def, host, at).0 != state {
            break;
        }
        changed = at;
    }
    let shown: Vec<String> = values
        .iter()
        .map(|(t, v)| format!("{v:.1} ({})", crate::clock::host_time(*t)))
        .collect();
    let verb = if state == AlarmState::Alarm {
        "were"
    } else {
        "was not"
    };
    let state_reason = format!(
        "Threshold Crossed: {} datapoint(s) [{}] {verb} greater than the threshold ({:.1}).",
        values.len(),
        shown.join(", "),
        def.threshold
    );
    Alarm {
        name: def.name.clone(),
        region: def.region.clone(),
        kind: AlarmKind::Metric,
        description: def.description.clone(),
        metric: Some(AlarmMetric {
            metric: def.metric(),
            statistic: "Average".into(),
            period_seconds: def.period_seconds,
            evaluation_periods: def.evaluation_periods,
            threshold: Some(def.threshold),
            comparison: def.comparison(),
        }),
        rule: None,
        instance_id: Some(def.instance_id.clone()),
        state,
        state_reason,
        state_updated_at: rfc3339(changed),
    }
}

pub fn alarms(
    account: &Account,
    hosts: &mut BTreeMap<String, Host>,
    instances: &[Instance],
    query: &AlarmQuery,
    now: i64,
) -> Result<Vec<Alarm>, AppError> {
    check_region(&query.region)?;
    let mut out = Vec::new();
    for def in account.alarms.iter().filter(|d| d.region == query.region) {
        if query
            .name_prefix
            .as_ref()
            .is_some_and(|p| !def.name.starts_with(p.as_str()))
        {
            continue;
        }
        let Some(instance) = instances.iter().find(|i| i.id == def.instance_id) else {
            continue;
        };
        let alarm = with_host(hosts, instance, now, |host| {
            alarm(account.seed, def, host, now)
        });
        if query.state.is_none_or(|s| s == alarm.state) {
            out.push(alarm);
        }
    }
    Ok(out)
}

/// An alarm's history as `DescribeAlarmHistory` gives it: the transition into its current
/// state (walked back from the account's metrics), newest first.
pub fn history(
    account: &Account,
    hosts: &mut BTreeMap<String, Host>,
    instances: &[Instance],
    region: &str,
    alarm_name: &str,
    now: i64,
) -> Result<Vec<AlarmHistoryItem>, AppError> {
    check_region(region)?;
    let def = account
        .alarms
        .iter()
        .find(|d| d.region == region && d.name == alarm_name)
        .ok_or_else(|| {
            AppError::invalid_input(format!("the practice account has no alarm {alarm_name}"))
        })?;
    let Some(instance) = instances.iter().find(|i| i.id == def.instance_id) else {
        return Ok(Vec::new());
    };
    let current = with_host(hosts, instance, now, |host| {
        alarm(account.seed, def, host, now)
    });
    let Some(changed_at) = crate::clock::parse_rfc3339(&current.state_updated_at) else {
        return Ok(Vec::new());
    };
    let before = with_host(hosts, instance, now, |host| {
        evaluate(
            account.seed,
            def,
            host,
            changed_at - i64::from(def.period_seconds),
        )
        .0
    });
    if before == current.state {
        return Ok(Vec::new());
    }
    Ok(vec![AlarmHistoryItem {
        timestamp: current.state_updated_at,
        summary: format!(
            "Alarm updated from {} to {}",
            state_name(before),
            state_name(current.state)
        ),
        new_state: Some(current.state),
    }])
}

fn state_name(state: AlarmState) -> &'static str {
    match state {
        AlarmState::Ok => "OK",
        AlarmState::Alarm => "ALARM",
        AlarmState::InsufficientData => "INSUFFICIENT_DATA",
    }
}

/// The metrics the practice account publishes with `dimension` in `namespace`
/// (`ListMetrics`): EC2's CPU for every instance, and the CloudWatch agent's disk use.
/// CloudWatch Logs' account-wide `IncomingBytes`, which the Costs screen sums for the month.
fn is_logs_incoming_bytes(metric: &MetricId) -> bool {
    metric.namespace == "AWS/Logs"
        && metric.metric_name == "IncomingBytes"
        && metric.dimensions.is_empty()
}

/// The region's custom metrics: the CloudWatch agent's disk metric of each of its instances.
pub fn count_custom(instances: &[Instance], region: &str) -> Result<u64, AppError> {
    check_region(region)?;
    Ok(instances
        .iter()
        .filter(|i| i.region == region)
        .map(|i| metric_id(Source::Disk, &i.id))
        .filter(|id| !id.namespace.starts_with("AWS/"))
        .count() as u64)
}

pub fn list(
    instances: &[Instance],
    region: &str,
    namespace: &str,
    dimension: &Dimension,
) -> Result<Vec<MetricId>, AppError> {
    check_region(region)?;
    let mut found = Vec::new();
    for instance in instances.iter().filter(|i| i.region == region) {
        for source in [Source::Cpu, Source::Disk] {
            let id = metric_id(source, &instance.id);
            if id.namespace == namespace && id.dimensions.contains(dimension) {
                found.push(id);
            }
        }
    }
    Ok(found)
}
