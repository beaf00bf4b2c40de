//! CloudWatch's alarm shapes as Unyo's: metric alarms on one metric, metric math and
//! anomaly detection alarms (which describe their metrics as a list of queries), composite
//! alarms, and the state changes of an alarm's history.

use aws_sdk_cloudwatch::types::{self as cw, StateValue};
use unyo_core::alarms::{
    Alarm, AlarmHistoryItem, AlarmKind, AlarmMetric, AlarmState, ComparisonOperator, Dimension,
    MetricId,
};

/// RFC 3339 to the second, as every Unyo time is; CloudWatch may send milliseconds.
pub(super) fn time(at: Option<&aws_smithy_types::DateTime>) -> String {
    at.map(|t| unyo_core::time::rfc3339(t.secs()))
        .unwrap_or_default()
}

pub(super) fn state_of(value: Option<&StateValue>) -> AlarmState {
    match value {
        Some(StateValue::Alarm) => AlarmState::Alarm,
        Some(StateValue::Ok) => AlarmState::Ok,
        // A state this SDK does not know yet is shown as unknown rather than as fine.
        _ => AlarmState::InsufficientData,
    }
}

pub(super) fn state_value(state: AlarmState) -> StateValue {
    match state {
        AlarmState::Ok => StateValue::Ok,
        AlarmState::Alarm => StateValue::Alarm,
        AlarmState::InsufficientData => StateValue::InsufficientData,
    }
}

/// The order the triage list shows: firing first, then unknown, then fine, then by name.
pub(super) fn sort(alarms: &mut [Alarm]) {
    let rank = |state: AlarmState| match state {
        AlarmState::Alarm => 0,
        AlarmState::InsufficientData => 1,
        AlarmState::Ok => 2,
    };
    alarms.sort_by(|a, b| {
        rank(a.state)
            .cmp(&rank(b.state))
            .then_with(|| a.name.cmp(&b.name))
    });
}

pub(super) fn dimensions(dims: &[cw::Dimension]) -> Vec<Dimension> {
    dims.iter()
        .map(|d| Dimension {
            name: d.name().unwrap_or_default().to_owned(),
            value: d.value().unwrap_or_default().to_owned(),
        })
        .collect()
}

pub(super) fn metric_id(metric: &cw::Metric) -> MetricId {
    MetricId {
        namespace: metric.namespace().unwrap_or_default().to_owned(),
        metric_name: metric.metric_name().unwrap_or_default().to_owned(),
        dimensions: dimensions(metric.dimensions()),
    }
}

fn positive(n: Option<i32>) -> u32 {
    n.and_then(|n| u32::try_from(n).ok()).unwrap_or_default()
}

/// What a metric alarm watches: its one metric, or, when it describes its metrics as
/// queries, the query whose data it alarms on (an anomaly detection band's own query is
/// the threshold, not the watched data).
fn watched(alarm: &cw::MetricAlarm) -> (Option<AlarmMetric>, Option<String>) {
    let comparison = alarm
        .comparison_operator()
        .and_then(|op| ComparisonOperator::from_aws(op.as_str()));
    let threshold_id = alarm.threshold_metric_id();
    // A band alarm's threshold is a metric; CloudWatch still sends 0 in `Threshold`.
    let threshold = if threshold_id.is_some() {
        None
    } else {
        alarm.threshold()
    };
    let evaluation_periods = positive(alarm.evaluation_periods());
    if alarm.metrics().is_empty() {
        let metric = MetricId {
            namespace: alarm.namespace().unwrap_or_default().to_owned(),
            metric_name: alarm.metric_name().unwrap_or_default().to_owned(),
            dimensions: dimensions(alarm.dimensions()),
        };
        let statistic = alarm
            .extended_statistic()
            .map(str::to_owned)
            .or_else(|| alarm.statistic().map(|s| s.as_str().to_owned()))
            .unwrap_or_default();
        let watched = comparison.map(|comparison| AlarmMetric {
            metric,
            statistic,
            period_seconds: positive(alarm.period()),
            evaluation_periods,
            threshold,
            comparison,
        });
        return (watched, None);
    }
    let queries = alarm.metrics();
    let band = queries
        .iter()
        .find(|q| q.id().is_some() && q.id() == threshold_id)
        .and_then(|q| q.expression().map(str::to_owned));
    let returned: Vec<&cw::MetricDataQuery> = queries
        .iter()
        .filter(|q| q.return_data() == Some(true) && q.id() != threshold_id)
        .collect();
    // An alarm on a single MetricStat query (plain, or under an anomaly detection band)
    // still watches one metric.
    if let [query] = returned.as_slice()
        && let Some(stat) = query.metric_stat()
        && let Some(metric) = stat.metric()
        && let Some(comparison) = comparison
    {
        let watched = AlarmMetric {
            metric: metric_id(metric),
            statistic: stat.stat().unwrap_or_default().to_owned(),
            period_seconds: positive(stat.period().or(alarm.period())),
            evaluation_periods,
            threshold,
            comparison,
        };
        return (Some(watched), band);
    }
    let expressions: Vec<&str> = returned.iter().filter_map(|q| q.expression()).collect();
    let rule = if expressions.is_empty() {
        band
    } else {
        Some(expressions.join("; "))
    };
    (None, rule)
}

/// The instance a metric alarm is about: the `InstanceId` dimension of its metric or of any
/// metric its expression reads.
fn instance_of(alarm: &cw::MetricAlarm, watched: Option<&AlarmMetric>) -> Option<String> {
    if let Some(id) = watched.and_then(|m| m.metric.instance_id()) {
        return Some(id.to_owned());
    }
    alarm
        .dimensions()
        .iter()
        .chain(
            alarm
                .metrics()
                .iter()
                .filter_map(|q| q.metric_stat()?.metric())
                .flat_map(|m| m.dimensions()),
        )
        .find(|d| d.name() == Some("InstanceId"))
        .and_then(|d| d.value().map(str::to_owned))
}

pub(super) fn from_metric_alarm(region: &str, alarm: &cw::MetricAlarm) -> Alarm {
    let (metric, rule) = watched(alarm);
    Alarm {
        name: alarm.alarm_name().unwrap_or_default().to_owned(),
        region: region.to_owned(),
        kind: AlarmKind::Metric,
        description: alarm.alarm_description().unwrap_or_default().to_owned(),
        instance_id: instance_of(alarm, metric.as_ref()),
        metric,
        rule,
        state: state_of(alarm.state_value()),
        state_reason: alarm.state_reason().unwrap_or_default().to_owned(),
        state_updated_at: time(alarm.state_updated_timestamp()),
    }
}

pub(super) fn from_composite_alarm(region: &str, alarm: &cw::CompositeAlarm) -> Alarm {
    Alarm {
        name: alarm.alarm_name().unwrap_or_default().to_owned(),
        region: region.to_owned(),
        kind: AlarmKind::Composite,
        description: alarm.alarm_description().unwrap_or_default().to_owned(),
        metric: None,
        rule: alarm.alarm_rule().map(str::to_owned),
        instance_id: None,
        state: state_of(alarm.state_value()),
        state_reason: alarm.state_reason().unwrap_or_default().to_owned(),
        state_updated_at: time(alarm.state_updated_timestamp()),
    }
}

fn parse_state(name: &str) -> Option<AlarmState> {
    match name {
        "OK" => Some(AlarmState::Ok),
        "ALARM" => Some(AlarmState::Alarm),
        "INSUFFICIENT_DATA" => Some(AlarmState::InsufficientData),
        _ => None,
    }
}

/// The state an item moved to: `newState.stateValue` of its JSON data, else the end of its
/// summary (`Alarm updated from OK to ALARM`), which is all some items carry.
pub(super) fn new_state(data: Option<&str>, summary: &str) -> Option<AlarmState> {
    let from_data = data
        .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .and_then(|v| {
            v.pointer("/newState/stateValue")?
                .as_str()
                .and_then(parse_state)
        });
    from_data.or_else(|| {
        let (_, after) = summary.rsplit_once(" to ")?;
        parse_state(after.trim().trim_end_matches('.'))
    })
}

pub(super) fn history_item(item: &cw::AlarmHistoryItem) -> AlarmHistoryItem {
    let summary = item.history_summary().unwrap_or_default().to_owned();
    AlarmHistoryItem {
        timestamp: time(item.timestamp()),
        new_state: new_state(item.history_data(), &summary),
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_state_comes_from_the_data_else_the_summary() {
        let data = r#"{"version":"1.0","oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":"x"}}"#;
        assert_eq!(new_state(Some(data), ""), Some(AlarmState::Alarm));
        assert_eq!(
            new_state(Some("not json"), "Alarm updated from ALARM to OK"),
            Some(AlarmState::Ok)
        );
        assert_eq!(
            new_state(None, "Alarm updated from OK to INSUFFICIENT_DATA"),
            Some(AlarmState::InsufficientData)
        );
        assert_eq!(new_state(None, "Alarm \"cpu\" created"), None);
    }
}
