//! CloudWatch alarms and the metric time series behind them: what Triage shows first, and
//! what Recovery watches return to OK after a fix.

pub mod instance;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::action::shell_quote;

/// An alarm's state, as CloudWatch names it on the wire and in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum AlarmState {
    Ok,
    Alarm,
    InsufficientData,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Dimension {
    pub name: String,
    pub value: String,
}

/// Which metric: namespace, name and dimensions, e.g. `AWS/EC2` `CPUUtilization`
/// `InstanceId=i-...`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MetricId {
    pub namespace: String,
    pub metric_name: String,
    pub dimensions: Vec<Dimension>,
}

impl MetricId {
    /// The value of the `InstanceId` dimension, when the metric is about one instance.
    pub fn instance_id(&self) -> Option<&str> {
        self.dimensions
            .iter()
            .find(|d| d.name == "InstanceId")
            .map(|d| d.value.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ComparisonOperator {
    GreaterThanThreshold,
    GreaterThanOrEqualToThreshold,
    LessThanThreshold,
    LessThanOrEqualToThreshold,
    /// Anomaly detection: outside the band, below it, above it. The band is a metric of its
    /// own, so these alarms have no fixed threshold.
    LessThanLowerOrGreaterThanUpperThreshold,
    LessThanLowerThreshold,
    GreaterThanUpperThreshold,
}

impl ComparisonOperator {
    /// Whether `value` breaches `threshold` under this operator; `None` for the anomaly
    /// detection operators, whose band is not a single number.
    pub fn breaches(self, value: f64, threshold: f64) -> Option<bool> {
        match self {
            Self::GreaterThanThreshold => Some(value > threshold),
            Self::GreaterThanOrEqualToThreshold => Some(value >= threshold),
            Self::LessThanThreshold => Some(value < threshold),
            Self::LessThanOrEqualToThreshold => Some(value <= threshold),
            Self::LessThanLowerOrGreaterThanUpperThreshold
            | Self::LessThanLowerThreshold
            | Self::GreaterThanUpperThreshold => None,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Self::GreaterThanThreshold => ">",
            Self::GreaterThanOrEqualToThreshold => ">=",
            Self::LessThanThreshold => "<",
            Self::LessThanOrEqualToThreshold => "<=",
            Self::LessThanLowerOrGreaterThanUpperThreshold => "outside band",
            Self::LessThanLowerThreshold => "below band",
            Self::GreaterThanUpperThreshold => "above band",
        }
    }

    /// CloudWatch's name for it (`--comparison-operator`).
    pub fn from_aws(name: &str) -> Option<Self> {
        Some(match name {
            "GreaterThanThreshold" => Self::GreaterThanThreshold,
            "GreaterThanOrEqualToThreshold" => Self::GreaterThanOrEqualToThreshold,
            "LessThanThreshold" => Self::LessThanThreshold,
            "LessThanOrEqualToThreshold" => Self::LessThanOrEqualToThreshold,
            "LessThanLowerOrGreaterThanUpperThreshold" => {
                Self::LessThanLowerOrGreaterThanUpperThreshold
            }
            "LessThanLowerThreshold" => Self::LessThanLowerThreshold,
            "GreaterThanUpperThreshold" => Self::GreaterThanUpperThreshold,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AlarmKind {
    /// Watches one metric (or a metric math expression) against a threshold.
    Metric,
    /// Combines other alarms' states with a rule (`ALARM(a) OR ALARM(b)`).
    Composite,
}

/// What a metric alarm watches and when it fires. Absent for composite alarms, and for
/// metric math alarms, which watch an expression rather than one metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AlarmMetric {
    pub metric: MetricId,
    /// `Average`, `Maximum`, `Sum`, `p99`, ...
    pub statistic: String,
    pub period_seconds: u32,
    pub evaluation_periods: u32,
    /// `None` for anomaly detection alarms, whose threshold is a band.
    pub threshold: Option<f64>,
    pub comparison: ComparisonOperator,
}

/// A metric or composite alarm, as `DescribeAlarms` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Alarm {
    pub name: String,
    pub region: String,
    pub kind: AlarmKind,
    pub description: String,
    pub metric: Option<AlarmMetric>,
    /// A composite alarm's rule, or a metric math alarm's expression.
    pub rule: Option<String>,
    /// The instance the alarm is about, from its `InstanceId` dimension.
    pub instance_id: Option<String>,
    pub state: AlarmState,
    /// CloudWatch's own explanation of the last transition.
    pub state_reason: String,
    /// RFC 3339 time of the last state change.
    pub state_updated_at: String,
}

impl Alarm {
    /// The one metric behind the alarm, when it watches one.
    pub fn watched_metric(&self) -> Option<&MetricId> {
        self.metric.as_ref().map(|m| &m.metric)
    }
}

/// One entry of an alarm's history (`DescribeAlarmHistory`, `StateUpdate` items).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AlarmHistoryItem {
    /// RFC 3339.
    pub timestamp: String,
    /// e.g. `Alarm updated from OK to ALARM`.
    pub summary: String,
    /// The state it moved to, when the item says.
    pub new_state: Option<AlarmState>,
}

/// Since when an alarm has been in its state: the newest history item that moved it there,
/// else the alarm's own last update.
pub fn in_state_since(alarm: &Alarm, history: &[AlarmHistoryItem]) -> String {
    history
        .iter()
        .find(|h| h.new_state == Some(alarm.state))
        .map_or_else(|| alarm.state_updated_at.clone(), |h| h.timestamp.clone())
}

/// Which alarms to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AlarmQuery {
    pub region: String,
    /// Only alarms in this state (`--state-value`).
    pub state: Option<AlarmState>,
    /// Only alarms whose name starts with this (`--alarm-name-prefix`).
    pub name_prefix: Option<String>,
}

/// A time series request, as `GetMetricData` takes it for one metric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MetricQuery {
    pub region: String,
    pub metric: MetricId,
    pub statistic: String,
    pub period_seconds: u32,
    /// RFC 3339 bounds; the end is exclusive.
    pub start: String,
    pub end: String,
}

impl AlarmQuery {
    /// The AWS CLI command that lists the same alarms.
    pub fn cli(&self) -> String {
        let mut cli = format!(
            "aws cloudwatch describe-alarms --region {}",
            shell_quote(&self.region)
        );
        if let Some(state) = self.state {
            let name = match state {
                AlarmState::Ok => "OK",
                AlarmState::Alarm => "ALARM",
                AlarmState::InsufficientData => "INSUFFICIENT_DATA",
            };
            cli.push_str(&format!(" --state-value {name}"));
        }
        if let Some(prefix) = &self.name_prefix {
            cli.push_str(&format!(" --alarm-name-prefix {}", shell_quote(prefix)));
        }
        cli
    }
}

impl MetricQuery {
    /// The AWS CLI command that reads the same datapoints.
    pub fn cli(&self) -> String {
        let dimensions: Vec<String> = self
            .metric
            .dimensions
            .iter()
            .map(|d| format!("Name={},Value={}", d.name, d.value))
            .collect();
        let mut cli = format!(
            "aws cloudwatch get-metric-statistics --region {} --namespace {} --metric-name {}",
            shell_quote(&self.region),
            shell_quote(&self.metric.namespace),
            shell_quote(&self.metric.metric_name)
        );
        if !dimensions.is_empty() {
            let quoted: Vec<String> = dimensions.iter().map(|d| shell_quote(d)).collect();
            cli.push_str(&format!(" --dimensions {}", quoted.join(" ")));
        }
        cli.push_str(&format!(
            " --statistics {} --period {} --start-time {} --end-time {}",
            shell_quote(&self.statistic),
            self.period_seconds,
            shell_quote(&self.start),
            shell_quote(&self.end)
        ));
        cli
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MetricPoint {
    /// RFC 3339 start of the period.
    pub timestamp: String,
    pub value: f64,
}

/// Datapoints oldest first; periods without data are simply absent, as in CloudWatch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MetricSeries {
    pub metric: MetricId,
    pub statistic: String,
    /// `Percent`, `Bytes`, `Count`, ...
    pub unit: String,
    pub points: Vec<MetricPoint>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_use_cloudwatch_names() {
        let json = serde_json::to_string(&AlarmState::InsufficientData).unwrap();
        assert_eq!(json, "\"INSUFFICIENT_DATA\"");
        assert_eq!(serde_json::to_string(&AlarmState::Ok).unwrap(), "\"OK\"");
    }

    #[test]
    fn queries_say_their_cli() {
        let alarms = AlarmQuery {
            region: "ap-northeast-1".into(),
            state: Some(AlarmState::Alarm),
            name_prefix: Some("web-".into()),
        };
        assert_eq!(
            alarms.cli(),
            "aws cloudwatch describe-alarms --region ap-northeast-1 --state-value ALARM --alarm-name-prefix web-"
        );
        let metric = MetricQuery {
            region: "ap-northeast-1".into(),
            metric: MetricId {
                namespace: "AWS/EC2".into(),
                metric_name: "CPUUtilization".into(),
                dimensions: vec![Dimension {
                    name: "InstanceId".into(),
                    value: "i-0abc".into(),
                }],
            },
            statistic: "Average".into(),
            period_seconds: 60,
            start: "2026-11-28T09:00:00Z".into(),
            end: "2026-11-28T10:00:00Z".into(),
        };
        assert_eq!(
            metric.cli(),
            "aws cloudwatch get-metric-statistics --region ap-northeast-1 --namespace AWS/EC2 --metric-name CPUUtilization --dimensions Name=InstanceId,Value=i-0abc --statistics Average --period 60 --start-time 2026-11-28T09:00:00Z --end-time 2026-11-28T10:00:00Z"
        );
    }

    #[test]
    fn operators_compare_as_named() {
        let op = ComparisonOperator::GreaterThanThreshold;
        assert_eq!(op.breaches(81.0, 80.0), Some(true));
        assert_eq!(op.breaches(80.0, 80.0), Some(false));
        let op = ComparisonOperator::GreaterThanOrEqualToThreshold;
        assert_eq!(op.breaches(80.0, 80.0), Some(true));
        assert_eq!(
            ComparisonOperator::LessThanThreshold.breaches(1.0, 2.0),
            Some(true)
        );
        let band = ComparisonOperator::from_aws("GreaterThanUpperThreshold").unwrap();
        assert_eq!(band.breaches(1.0, 2.0), None);
        assert_eq!(ComparisonOperator::from_aws("Sideways"), None);
    }
}
