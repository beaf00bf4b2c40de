//! The charts of one instance on the Triage screen: EC2's standard metrics, and the
//! CloudWatch agent's memory and disk when the agent publishes them. One use case over the
//! [`Metrics`] capability, so the real and the practice account chart the same things.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::AppError;
use crate::alarms::{Dimension, MetricId, MetricQuery, MetricSeries};
use crate::cloud::Metrics;
use crate::time::require_rfc3339;

/// EC2's metrics of every instance, each with the statistic that reads it best: CPU as an
/// average, a failed status check as the worst of the period, traffic as a total.
pub const EC2_METRICS: [(&str, &str); 6] = [
    ("CPUUtilization", "Average"),
    ("StatusCheckFailed", "Maximum"),
    ("StatusCheckFailed_Instance", "Maximum"),
    ("StatusCheckFailed_System", "Maximum"),
    ("NetworkIn", "Sum"),
    ("NetworkOut", "Sum"),
];

/// The CloudWatch agent's namespace and the metrics of it that are charted (only when the
/// agent publishes them: EC2 itself cannot see inside the guest).
pub const AGENT_NAMESPACE: &str = "CWAgent";
pub const AGENT_METRICS: [&str; 2] = ["mem_used_percent", "disk_used_percent"];

/// One chart: its series, or the metric it is for and why it could not be read.
pub type InstanceSeries = Result<MetricSeries, (MetricId, AppError)>;

/// The instance's series between `start` and `end` (RFC 3339), EC2's first in
/// [`EC2_METRICS`] order, then memory, then each disk (by path). A metric that cannot be
/// read is an `Err` in its place so the other charts still show; `Err` overall only for
/// times that are not RFC 3339.
pub async fn instance_metrics(
    metrics: &dyn Metrics,
    region: &str,
    instance_id: &str,
    start: &str,
    end: &str,
    period_seconds: u32,
) -> Result<Vec<InstanceSeries>, AppError> {
    require_rfc3339("start", start)?;
    require_rfc3339("end", end)?;
    let by_instance = Dimension {
        name: "InstanceId".into(),
        value: instance_id.to_owned(),
    };
    let mut wanted: Vec<(MetricId, &str)> = EC2_METRICS
        .iter()
        .map(|(name, statistic)| {
            let metric = MetricId {
                namespace: "AWS/EC2".into(),
                metric_name: (*name).to_owned(),
                dimensions: vec![by_instance.clone()],
            };
            (metric, *statistic)
        })
        .collect();
    let mut failed = Vec::new();
    match metrics
        .list_metrics(region, AGENT_NAMESPACE, &by_instance)
        .await
    {
        Ok(mut listed) => {
            // The agent's own dimensions (path, device, ImageId...) must be asked for exactly
            // as published, so each listed metric is charted as it is listed.
            listed.retain(|m| AGENT_METRICS.contains(&m.metric_name.as_str()));
            listed.sort_by_key(|m| {
                let rank = AGENT_METRICS.iter().position(|n| *n == m.metric_name);
                let dims: Vec<(String, String)> = m
                    .dimensions
                    .iter()
                    .map(|d| (d.name.clone(), d.value.clone()))
                    .collect();
                (rank, dims)
            });
            wanted.extend(listed.into_iter().map(|m| (m, "Average")));
        }
        Err(err) => {
            // Without the listing it is unknown whether the agent publishes anything; each
            // agent chart says why it is missing rather than silently not being there.
            failed.extend(AGENT_METRICS.iter().map(|name| {
                let metric = MetricId {
                    namespace: AGENT_NAMESPACE.into(),
                    metric_name: (*name).to_owned(),
                    dimensions: vec![by_instance.clone()],
                };
                Err((metric, err.clone()))
            }));
        }
    }
    // Asked at once: the charts appear in the time of the slowest metric, not their sum.
    let reads = wanted.into_iter().map(|(metric, statistic)| async move {
        let query = MetricQuery {
            region: region.to_owned(),
            metric: metric.clone(),
            statistic: statistic.to_owned(),
            period_seconds,
            start: start.to_owned(),
            end: end.to_owned(),
        };
        metrics
            .get_metric_series(&query)
            .await
            .map_err(|e| (metric, e))
    });
    let mut series = futures_util::future::join_all(reads).await;
    series.extend(failed);
    Ok(series)
}

/// One chart of [`instance_metrics`] as it crosses IPC and the CLI's JSON: the metric, and
/// its series or why it could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InstanceMetric {
    pub metric: MetricId,
    pub series: Option<MetricSeries>,
    pub error: Option<AppError>,
}

impl From<InstanceSeries> for InstanceMetric {
    fn from(read: InstanceSeries) -> Self {
        match read {
            Ok(series) => Self {
                metric: series.metric.clone(),
                series: Some(series),
                error: None,
            },
            Err((metric, error)) => Self {
                metric,
                series: None,
                error: Some(error),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use async_trait::async_trait;

    use super::*;
    use crate::ErrorCode;
    use crate::alarms::{Alarm, AlarmHistoryItem, AlarmQuery, MetricPoint};

    /// Answers every series with one point, except those named in `broken`; lists the agent
    /// metrics it is given (or is denied), and records every query.
    struct Fake {
        agent: Result<Vec<MetricId>, AppError>,
        broken: &'static str,
        asked: Mutex<Vec<MetricQuery>>,
    }

    #[async_trait]
    impl Metrics for Fake {
        async fn list_alarms(&self, _: &AlarmQuery) -> Result<Vec<Alarm>, AppError> {
            Ok(Vec::new())
        }
        async fn alarm_history(&self, _: &str, _: &str) -> Result<Vec<AlarmHistoryItem>, AppError> {
            Ok(Vec::new())
        }
        async fn get_metric_series(&self, query: &MetricQuery) -> Result<MetricSeries, AppError> {
            self.asked.lock().unwrap().push(query.clone());
            if query.metric.metric_name == self.broken {
                return Err(AppError::new(ErrorCode::Throttled, "slow down"));
            }
            Ok(MetricSeries {
                metric: query.metric.clone(),
                statistic: query.statistic.clone(),
                unit: "None".into(),
                points: vec![MetricPoint {
                    timestamp: query.start.clone(),
                    value: 1.0,
                }],
            })
        }
        async fn list_metrics(
            &self,
            _: &str,
            namespace: &str,
            dimension: &Dimension,
        ) -> Result<Vec<MetricId>, AppError> {
            assert_eq!(namespace, AGENT_NAMESPACE);
            assert_eq!(dimension.name, "InstanceId");
            self.agent.clone()
        }
        async fn count_custom_metrics(&self, _: &str) -> Result<u64, AppError> {
            unreachable!("the instance's metrics never count the region's")
        }
        async fn count_dashboards(&self, _: &str) -> Result<u64, AppError> {
            unreachable!("the instance's metrics never count dashboards")
        }
    }

    fn agent(name: &str, extra: &[(&str, &str)]) -> MetricId {
        let mut dimensions = vec![Dimension {
            name: "InstanceId".into(),
            value: "i-1".into(),
        }];
        dimensions.extend(extra.iter().map(|(n, v)| Dimension {
            name: (*n).into(),
            value: (*v).into(),
        }));
        MetricId {
            namespace: AGENT_NAMESPACE.into(),
            metric_name: name.into(),
            dimensions,
        }
    }

    async fn run(fake: &Fake) -> Vec<InstanceSeries> {
        instance_metrics(
            fake,
            "ap-northeast-1",
            "i-1",
            "2026-11-28T09:00:00Z",
            "2026-11-28T10:00:00Z",
            300,
        )
        .await
        .unwrap()
    }

    fn names(series: &[InstanceSeries]) -> Vec<String> {
        series
            .iter()
            .map(|s| match s {
                Ok(s) => s.metric.metric_name.clone(),
                Err((m, _)) => format!("!{}", m.metric_name),
            })
            .collect()
    }

    #[tokio::test]
    async fn ec2_metrics_then_the_agents_memory_and_each_disk() {
        let fake = Fake {
            agent: Ok(vec![
                agent("disk_used_percent", &[("path", "/var")]),
                agent("swap_used_percent", &[]),
                agent("disk_used_percent", &[("path", "/")]),
                agent("mem_used_percent", &[]),
            ]),
            broken: "StatusCheckFailed_System",
            asked: Mutex::default(),
        };
        let series = run(&fake).await;
        assert_eq!(
            names(&series),
            [
                "CPUUtilization",
                "StatusCheckFailed",
                "StatusCheckFailed_Instance",
                "!StatusCheckFailed_System",
                "NetworkIn",
                "NetworkOut",
                "mem_used_percent",
                "disk_used_percent",
                "disk_used_percent",
            ]
        );
        let asked = fake.asked.lock().unwrap();
        assert_eq!(asked[0].statistic, "Average");
        assert_eq!(asked[1].statistic, "Maximum");
        assert_eq!(asked[4].statistic, "Sum");
        assert!(asked.iter().all(|q| q.period_seconds == 300));
        assert_eq!(asked[0].metric.instance_id(), Some("i-1"));
        // Each disk is asked for with the dimensions the agent published, root first.
        assert_eq!(asked[7].metric.dimensions[1].value, "/");
        assert_eq!(asked[8].metric.dimensions[1].value, "/var");
        let Err((_, err)) = &series[3] else {
            panic!("the broken metric should fail")
        };
        assert_eq!(err.code, ErrorCode::Throttled);
    }

    #[tokio::test]
    async fn without_the_agent_only_ec2_metrics_and_a_denied_listing_says_why() {
        let none = Fake {
            agent: Ok(Vec::new()),
            broken: "",
            asked: Mutex::default(),
        };
        assert_eq!(run(&none).await.len(), EC2_METRICS.len());

        let denied = Fake {
            agent: Err(AppError::new(
                ErrorCode::AccessDenied,
                "cloudwatch:ListMetrics",
            )),
            broken: "",
            asked: Mutex::default(),
        };
        let series = run(&denied).await;
        assert_eq!(
            names(&series)[EC2_METRICS.len()..],
            ["!mem_used_percent", "!disk_used_percent"]
        );
    }

    #[tokio::test]
    async fn bad_times_are_refused_before_any_call() {
        let fake = Fake {
            agent: Ok(Vec::new()),
            broken: "",
            asked: Mutex::default(),
        };
        let err = instance_metrics(&fake, "ap-northeast-1", "i-1", "yesterday", "now", 60)
            .await
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(fake.asked.lock().unwrap().is_empty());
    }
}
