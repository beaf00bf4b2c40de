//! What moto lacks, from `aws-smithy-mocks` answers shaped as the CloudWatch API reference
//! documents them: composite alarms, alarm history, paging, anomaly detection and metric
//! math alarms, and the errors each call maps.

use aws_sdk_cloudwatch::operation::describe_alarm_history::DescribeAlarmHistoryOutput;
use aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput;
use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
use aws_sdk_cloudwatch::operation::list_dashboards::ListDashboardsOutput;
use aws_sdk_cloudwatch::operation::list_metrics::ListMetricsOutput;
use aws_sdk_cloudwatch::types::{
    self as cw, AlarmType, HistoryItemType, MetricDataQuery, MetricStat, StateValue,
};
use aws_smithy_mocks::mock;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::DateTime;
use aws_smithy_types::body::SdkBody;
use unyo_core::ErrorCode;
use unyo_core::alarms::{
    AlarmKind, AlarmQuery, AlarmState, ComparisonOperator, MetricId, MetricQuery,
};
use unyo_core::cloud::Metrics;

use super::{TOKYO, by_instance, dimension, mocked, query};

fn stat_query(id: &str, metric: &str, returned: bool) -> MetricDataQuery {
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(
            MetricStat::builder()
                .metric(
                    cw::Metric::builder()
                        .namespace("AWS/EC2")
                        .metric_name(metric)
                        .dimensions(dimension("InstanceId", "i-7"))
                        .build(),
                )
                .period(60)
                .stat("Average")
                .build(),
        )
        .return_data(returned)
        .build()
}

fn expression(id: &str, text: &str) -> MetricDataQuery {
    MetricDataQuery::builder()
        .id(id)
        .expression(text)
        .return_data(true)
        .build()
}

#[tokio::test]
async fn every_page_of_alarms_is_read_with_band_math_and_composite_alarms() {
    let first = mock!(aws_sdk_cloudwatch::Client::describe_alarms)
        .match_requests(|r| {
            r.next_token().is_none()
                && r.alarm_types().contains(&AlarmType::MetricAlarm)
                && r.alarm_types().contains(&AlarmType::CompositeAlarm)
        })
        .then_output(|| {
            DescribeAlarmsOutput::builder()
                .metric_alarms(
                    cw::MetricAlarm::builder()
                        .alarm_name("cpu-band")
                        .state_value(StateValue::Ok)
                        .metrics(stat_query("m1", "CPUUtilization", true))
                        .metrics(expression("ad1", "ANOMALY_DETECTION_BAND(m1, 2)"))
                        .threshold_metric_id("ad1")
                        // CloudWatch sends a threshold of 0 for band alarms.
                        .threshold(0.0)
                        .evaluation_periods(3)
                        .comparison_operator(
                            cw::ComparisonOperator::LessThanLowerOrGreaterThanUpperThreshold,
                        )
                        .build(),
                )
                .composite_alarms(
                    cw::CompositeAlarm::builder()
                        .alarm_name("web-down")
                        .alarm_rule("ALARM(cpu-band) OR ALARM(traffic)")
                        .state_value(StateValue::Alarm)
                        .state_reason("traffic is in ALARM")
                        .state_updated_timestamp(DateTime::from_millis(1_795_860_240_250))
                        .build(),
                )
                .next_token("p2")
                .build()
        });
    let second = mock!(aws_sdk_cloudwatch::Client::describe_alarms)
        .match_requests(|r| r.next_token() == Some("p2"))
        .then_output(|| {
            DescribeAlarmsOutput::builder()
                .metric_alarms(
                    cw::MetricAlarm::builder()
                        .alarm_name("traffic")
                        .state_value(StateValue::InsufficientData)
                        .metrics(stat_query("m1", "NetworkIn", false))
                        .metrics(stat_query("m2", "NetworkOut", false))
                        .metrics(expression("e1", "m1 + m2"))
                        .threshold(1e9)
                        .evaluation_periods(1)
                        .comparison_operator(cw::ComparisonOperator::GreaterThanThreshold)
                        .build(),
                )
                .build()
        });
    let cloud = mocked(&[&first, &second]);
    let alarms = cloud.list_alarms(&query(TOKYO)).await.unwrap();
    assert_eq!(first.num_calls() + second.num_calls(), 2);
    let names: Vec<&str> = alarms.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["web-down", "traffic", "cpu-band"]);

    let composite = &alarms[0];
    assert_eq!(composite.kind, AlarmKind::Composite);
    assert_eq!(
        composite.rule.as_deref(),
        Some("ALARM(cpu-band) OR ALARM(traffic)")
    );
    assert_eq!(composite.metric, None);
    assert_eq!(composite.state_reason, "traffic is in ALARM");
    assert_eq!(composite.state_updated_at, "2026-11-28T10:04:00Z");

    let math = &alarms[1];
    assert_eq!(math.kind, AlarmKind::Metric);
    assert_eq!(math.metric, None);
    assert_eq!(math.rule.as_deref(), Some("m1 + m2"));
    assert_eq!(math.instance_id.as_deref(), Some("i-7"));

    let band = &alarms[2];
    let watched = band.metric.as_ref().unwrap();
    assert_eq!(watched.threshold, None);
    assert_eq!(watched.metric.metric_name, "CPUUtilization");
    assert_eq!(watched.statistic, "Average");
    assert_eq!(watched.period_seconds, 60);
    assert_eq!(watched.evaluation_periods, 3);
    assert_eq!(
        watched.comparison,
        ComparisonOperator::LessThanLowerOrGreaterThanUpperThreshold
    );
    assert_eq!(band.rule.as_deref(), Some("ANOMALY_DETECTION_BAND(m1, 2)"));
    assert_eq!(band.instance_id.as_deref(), Some("i-7"));
}

fn history(at: i64, summary: &str, data: Option<&str>) -> cw::AlarmHistoryItem {
    cw::AlarmHistoryItem::builder()
        .alarm_name("web-cpu")
        .timestamp(DateTime::from_secs(at))
        .history_item_type(HistoryItemType::StateUpdate)
        .history_summary(summary)
        .set_history_data(data.map(str::to_owned))
        .build()
}

#[tokio::test]
async fn history_is_newest_first_with_the_state_each_change_reached() {
    let rule = mock!(aws_sdk_cloudwatch::Client::describe_alarm_history)
        .match_requests(|r| {
            r.alarm_name() == Some("web-cpu")
                && r.history_item_type() == Some(&HistoryItemType::StateUpdate)
        })
        .then_output(|| {
            DescribeAlarmHistoryOutput::builder()
                .alarm_history_items(history(
                    1_795_860_000,
                    "Alarm updated from INSUFFICIENT_DATA to OK",
                    None,
                ))
                .alarm_history_items(history(
                    1_795_860_240,
                    "Alarm updated from OK to ALARM",
                    Some(r#"{"version":"1.0","oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":"Threshold Crossed"}}"#),
                ))
                .build()
        });
    let cloud = mocked(&[&rule]);
    let items = cloud.alarm_history(TOKYO, "web-cpu").await.unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].timestamp, "2026-11-28T10:04:00Z");
    assert_eq!(items[0].new_state, Some(AlarmState::Alarm));
    assert_eq!(items[1].new_state, Some(AlarmState::Ok));
    assert_eq!(
        items[1].summary,
        "Alarm updated from INSUFFICIENT_DATA to OK"
    );
}

#[tokio::test]
async fn every_page_of_a_series_is_read_oldest_first_with_percentiles_as_given() {
    let result = |times: &[i64], values: &[f64]| {
        cw::MetricDataResult::builder()
            .id("m0")
            .label("CPUUtilization")
            .set_timestamps(Some(
                times.iter().map(|t| DateTime::from_secs(*t)).collect(),
            ))
            .set_values(Some(values.to_vec()))
            .build()
    };
    let first = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| {
            let stat = r.metric_data_queries()[0].metric_stat().unwrap();
            r.next_token().is_none() && stat.stat() == Some("p99") && stat.period() == Some(60)
        })
        .then_output(move || {
            GetMetricDataOutput::builder()
                .metric_data_results(result(&[1_795_860_120, 1_795_860_060], &[3.0, 2.0]))
                .next_token("p2")
                .build()
        });
    let second = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| r.next_token() == Some("p2"))
        .then_output(move || {
            GetMetricDataOutput::builder()
                .metric_data_results(result(&[1_795_860_000], &[1.0]))
                .build()
        });
    let cloud = mocked(&[&first, &second]);
    let query = MetricQuery {
        region: TOKYO.into(),
        metric: MetricId {
            namespace: "MyApp".into(),
            metric_name: "Latency".into(),
            dimensions: Vec::new(),
        },
        statistic: "p99".into(),
        period_seconds: 60,
        start: "2026-11-28T09:00:00Z".into(),
        end: "2026-11-28T11:00:00Z".into(),
    };
    let series = cloud.get_metric_series(&query).await.unwrap();
    let values: Vec<f64> = series.points.iter().map(|p| p.value).collect();
    assert_eq!(values, [1.0, 2.0, 3.0]);
    assert_eq!(series.points[0].timestamp, "2026-11-28T10:00:00Z");
    assert_eq!(series.unit, "None");
    assert_eq!(series.statistic, "p99");
}

/// An awsQuery error answer, as CloudWatch sends it.
fn query_error(status: u16, code: &str, message: &str) -> HttpResponse {
    let body = format!(
        "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"
    );
    HttpResponse::new(status.try_into().unwrap(), SdkBody::from(body))
}

#[tokio::test]
async fn throttling_denial_and_bad_parameters_name_the_action() {
    let throttled = mock!(aws_sdk_cloudwatch::Client::describe_alarms)
        .then_http_response(|| query_error(400, "Throttling", "Rate exceeded"));
    let denied = mock!(aws_sdk_cloudwatch::Client::list_metrics).then_http_response(|| {
        query_error(
            403,
            "AccessDenied",
            "User: arn:aws:iam::123456789012:user/ro is not authorized to perform: cloudwatch:ListMetrics",
        )
    });
    let invalid = mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_http_response(|| {
        query_error(
            400,
            "InvalidParameterValue",
            "The value p101 for Stat is not valid.",
        )
    });
    let history_denied = mock!(aws_sdk_cloudwatch::Client::describe_alarm_history)
        .then_http_response(|| query_error(403, "AccessDenied", "not authorized"));
    let cloud = mocked(&[&throttled, &denied, &invalid, &history_denied]);

    let err = cloud.list_alarms(&query(TOKYO)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Throttled);
    assert!(
        err.message.contains("cloudwatch:DescribeAlarms"),
        "{}",
        err.message
    );

    let err = cloud
        .list_metrics(TOKYO, "CWAgent", &by_instance())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied);
    assert!(
        err.message.contains("cloudwatch:ListMetrics"),
        "{}",
        err.message
    );

    let err = cloud.alarm_history(TOKYO, "web-cpu").await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied);
    assert!(
        err.message.contains("cloudwatch:DescribeAlarmHistory"),
        "{}",
        err.message
    );

    let bad_stat = MetricQuery {
        region: TOKYO.into(),
        metric: MetricId {
            namespace: "AWS/EC2".into(),
            metric_name: "CPUUtilization".into(),
            dimensions: vec![by_instance()],
        },
        statistic: "p101".into(),
        period_seconds: 60,
        start: "2026-11-28T09:00:00Z".into(),
        end: "2026-11-28T10:00:00Z".into(),
    };
    let err = cloud.get_metric_series(&bad_stat).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message
            .contains("The value p101 for Stat is not valid."),
        "{}",
        err.message
    );

    let err = cloud
        .list_alarms(&AlarmQuery {
            region: "mars-1".into(),
            ..AlarmQuery::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}

#[tokio::test]
async fn custom_metrics_and_dashboards_are_counted_on_every_page() {
    let metric = |namespace: &str| {
        cw::Metric::builder()
            .namespace(namespace)
            .metric_name("m")
            .build()
    };
    let first = mock!(aws_sdk_cloudwatch::Client::list_metrics)
        .match_requests(|r| r.next_token().is_none() && r.namespace().is_none())
        .then_output(move || {
            ListMetricsOutput::builder()
                .metrics(metric("AWS/EC2"))
                .metrics(metric("Shop/Orders"))
                .next_token("page-2")
                .build()
        });
    let second = mock!(aws_sdk_cloudwatch::Client::list_metrics)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .then_output(move || {
            ListMetricsOutput::builder()
                .metrics(metric("CWAgent"))
                .metrics(metric("AWS/Logs"))
                .build()
        });
    let boards = mock!(aws_sdk_cloudwatch::Client::list_dashboards).then_output(|| {
        ListDashboardsOutput::builder()
            .dashboard_entries(cw::DashboardEntry::builder().dashboard_name("ops").build())
            .build()
    });
    let cloud = mocked(&[&first, &second, &boards]);
    assert_eq!(cloud.count_custom_metrics(TOKYO).await.unwrap(), 2);
    assert_eq!(cloud.count_dashboards(TOKYO).await.unwrap(), 1);
}

#[tokio::test]
async fn a_denied_dashboard_listing_names_the_action() {
    let denied = mock!(aws_sdk_cloudwatch::Client::list_dashboards)
        .then_http_response(|| query_error(403, "AccessDenied", "not authorized"));
    let err = mocked(&[&denied])
        .count_dashboards(TOKYO)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied);
    assert!(
        err.message.contains("cloudwatch:ListDashboards"),
        "{}",
        err.message
    );
}
