//! CloudWatch alarms and metrics on a real account through the Cloud port, as Triage reads
//! them: alarms, datapoints and metric listings against the moto emulator (in two regions),
//! and what moto lacks (composite alarms, alarm history, paging, anomaly detection and
//! metric math alarms, errors) from `aws-smithy-mocks` answers shaped as AWS documents them.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "metrics/mocked.rs"]
mod mocked;
#[path = "support/moto.rs"]
mod moto;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_cloudwatch::types::{self as cw, MetricDatum, StandardUnit, StateValue, Statistic};
use aws_smithy_mocks::{Rule, RuleMode, mock_client};
use aws_smithy_types::DateTime;
use aws_smithy_types::retry::RetryConfig;
use unyo_aws::cloud::AwsCloud;
use unyo_aws::fleet::{FleetClients, RegionClients};
use unyo_aws::regional::PerRegion;
use unyo_core::alarms::{
    AlarmKind, AlarmQuery, AlarmState, ComparisonOperator, Dimension, MetricId, MetricQuery,
};
use unyo_core::cloud::{Capability, Metrics};
use unyo_core::time::{now_unix, rfc3339};
use unyo_core::{AccountContext, AccountKind, Cloud, ErrorCode};

const TOKYO: &str = "ap-northeast-1";
const VIRGINIA: &str = "us-east-1";
const INSTANCE: &str = "i-0abc1234def567890";

fn account() -> AccountContext {
    AccountContext {
        id: "profile:test".into(),
        kind: AccountKind::Profile,
        account_id: Some("123456789012".into()),
        regions: vec![TOKYO.into(), VIRGINIA.into()],
        default_region: Some(TOKYO.into()),
        capabilities: Vec::new(),
    }
}

/// EC2 and SSM clients that are never called: these tests only read CloudWatch.
fn idle_fleet() -> FleetClients {
    FleetClients::from_fn(|region| {
        let region = Region::new(region.to_owned());
        RegionClients {
            ec2: aws_sdk_ec2::Client::from_conf(
                aws_sdk_ec2::Config::builder()
                    .behavior_version(BehaviorVersion::latest())
                    .region(region.clone())
                    .build(),
            ),
            ssm: aws_sdk_ssm::Client::from_conf(
                aws_sdk_ssm::Config::builder()
                    .behavior_version(BehaviorVersion::latest())
                    .region(region)
                    .build(),
            ),
        }
    })
}

fn cloud_over(
    make: impl Fn(&str) -> aws_sdk_cloudwatch::Client + Send + Sync + 'static,
) -> AwsCloud {
    AwsCloud::with_clients(account(), idle_fleet()).with_cloudwatch(PerRegion::from_fn(make))
}

/// A CloudWatch client answering with `rules`, without retries so every call counts once.
fn mocked(rules: &[&Rule]) -> AwsCloud {
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, rules, |c| c
        .region(Region::from_static(TOKYO))
        .retry_config(RetryConfig::disabled()));
    cloud_over(move |_| client.clone())
}

fn dimension(name: &str, value: &str) -> cw::Dimension {
    cw::Dimension::builder().name(name).value(value).build()
}

fn by_instance() -> Dimension {
    Dimension {
        name: "InstanceId".into(),
        value: INSTANCE.into(),
    }
}

fn query(region: &str) -> AlarmQuery {
    AlarmQuery {
        region: region.into(),
        ..AlarmQuery::default()
    }
}

#[test]
fn the_account_offers_metrics_only_with_cloudwatch_clients() {
    let without = AwsCloud::with_clients(account(), idle_fleet());
    assert!(
        !without
            .account()
            .capabilities
            .contains(&Capability::Metrics)
    );
    assert!(without.metrics().is_none());
    let with = mocked(&[]);
    assert!(with.account().capabilities.contains(&Capability::Metrics));
    assert!(with.metrics().is_some());
}

async fn put_alarm(
    cloudwatch: &aws_sdk_cloudwatch::Client,
    name: &str,
    metric: &str,
    statistic: Result<Statistic, &str>,
) {
    let request = cloudwatch
        .put_metric_alarm()
        .alarm_name(name)
        .alarm_description(format!("{metric} of the web server"))
        .namespace("AWS/EC2")
        .metric_name(metric)
        .dimensions(dimension("InstanceId", INSTANCE))
        .period(300)
        .evaluation_periods(2)
        .threshold(80.0)
        .comparison_operator(cw::ComparisonOperator::GreaterThanThreshold);
    let request = match statistic {
        Ok(statistic) => request.statistic(statistic),
        Err(extended) => request.extended_statistic(extended),
    };
    request.send().await.unwrap();
}

async fn set_state(cloudwatch: &aws_sdk_cloudwatch::Client, name: &str, state: StateValue) {
    cloudwatch
        .set_alarm_state()
        .alarm_name(name)
        .state_value(state)
        .state_reason("set by the test")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn alarms_datapoints_and_metrics_come_from_moto_per_region() {
    let moto = moto::Moto::start();
    let tokyo = aws_sdk_cloudwatch::Client::new(&moto.config(TOKYO).await);
    let configs = [
        (TOKYO, moto.config(TOKYO).await),
        (VIRGINIA, moto.config(VIRGINIA).await),
    ];
    let cloud = cloud_over(move |region| {
        let config = &configs.iter().find(|(r, _)| *r == region).unwrap().1;
        aws_sdk_cloudwatch::Client::new(config)
    });

    put_alarm(&tokyo, "web-cpu", "CPUUtilization", Ok(Statistic::Average)).await;
    put_alarm(&tokyo, "web-latency", "CPUUtilization", Err("p99")).await;
    put_alarm(
        &tokyo,
        "web-status",
        "StatusCheckFailed",
        Ok(Statistic::Maximum),
    )
    .await;
    put_alarm(&tokyo, "db-cpu", "CPUUtilization", Ok(Statistic::Average)).await;
    // moto never evaluates alarms, so the states are set as CloudWatch would have.
    set_state(&tokyo, "web-status", StateValue::Alarm).await;
    set_state(&tokyo, "web-cpu", StateValue::InsufficientData).await;
    set_state(&tokyo, "web-latency", StateValue::Ok).await;
    set_state(&tokyo, "db-cpu", StateValue::Ok).await;

    let alarms = cloud.list_alarms(&query(TOKYO)).await.unwrap();
    let names: Vec<&str> = alarms.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["web-status", "web-cpu", "db-cpu", "web-latency"]);
    let cpu = &alarms[1];
    assert_eq!(cpu.kind, AlarmKind::Metric);
    assert_eq!(cpu.state, AlarmState::InsufficientData);
    assert_eq!(cpu.instance_id.as_deref(), Some(INSTANCE));
    assert_eq!(cpu.region, TOKYO);
    assert_eq!(cpu.description, "CPUUtilization of the web server");
    let watched = cpu.metric.as_ref().unwrap();
    assert_eq!(watched.metric.namespace, "AWS/EC2");
    assert_eq!(watched.metric.metric_name, "CPUUtilization");
    assert_eq!(watched.statistic, "Average");
    assert_eq!(watched.period_seconds, 300);
    assert_eq!(watched.evaluation_periods, 2);
    assert_eq!(watched.threshold, Some(80.0));
    assert_eq!(watched.comparison, ComparisonOperator::GreaterThanThreshold);
    assert_eq!(alarms[0].state_reason, "set by the test");
    assert!(unyo_core::time::parse_rfc3339(&alarms[0].state_updated_at).is_some());
    assert_eq!(alarms[3].metric.as_ref().unwrap().statistic, "p99");

    let firing = AlarmQuery {
        state: Some(AlarmState::Alarm),
        ..query(TOKYO)
    };
    let firing = cloud.list_alarms(&firing).await.unwrap();
    assert_eq!(firing.len(), 1);
    assert_eq!(firing[0].name, "web-status");
    let web_ok = AlarmQuery {
        state: Some(AlarmState::Ok),
        name_prefix: Some("web-".into()),
        ..query(TOKYO)
    };
    let web_ok = cloud.list_alarms(&web_ok).await.unwrap();
    assert_eq!(web_ok.len(), 1);
    assert_eq!(web_ok[0].name, "web-latency");
    assert!(
        cloud
            .list_alarms(&query(VIRGINIA))
            .await
            .unwrap()
            .is_empty()
    );

    // Three CPU datapoints a minute apart, well inside the window asked for.
    let base = now_unix() / 60 * 60 - 600;
    let data = [(base, 20.0), (base + 60, 55.5), (base + 120, 91.0)];
    for (at, value) in data {
        tokyo
            .put_metric_data()
            .namespace("AWS/EC2")
            .metric_data(
                MetricDatum::builder()
                    .metric_name("CPUUtilization")
                    .dimensions(dimension("InstanceId", INSTANCE))
                    .timestamp(DateTime::from_secs(at))
                    .value(value)
                    .unit(StandardUnit::Percent)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    tokyo
        .put_metric_data()
        .namespace("CWAgent")
        .metric_data(
            MetricDatum::builder()
                .metric_name("mem_used_percent")
                .dimensions(dimension("InstanceId", INSTANCE))
                .value(40.0)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let cpu = MetricId {
        namespace: "AWS/EC2".into(),
        metric_name: "CPUUtilization".into(),
        dimensions: vec![by_instance()],
    };
    let series_query = MetricQuery {
        region: TOKYO.into(),
        metric: cpu.clone(),
        statistic: "Average".into(),
        period_seconds: 60,
        start: rfc3339(base - 3600),
        end: rfc3339(base + 3600),
    };
    let series = cloud.get_metric_series(&series_query).await.unwrap();
    assert_eq!(series.unit, "Percent");
    let points: Vec<(String, f64)> = series
        .points
        .iter()
        .map(|p| (p.timestamp.clone(), p.value))
        .collect();
    let expected: Vec<(String, f64)> = data.iter().map(|(at, v)| (rfc3339(*at), *v)).collect();
    assert_eq!(points, expected);
    let elsewhere = MetricQuery {
        region: VIRGINIA.into(),
        ..series_query.clone()
    };
    assert!(
        cloud
            .get_metric_series(&elsewhere)
            .await
            .unwrap()
            .points
            .is_empty()
    );
    let bad = MetricQuery {
        start: "an hour ago".into(),
        ..series_query
    };
    let err = cloud.get_metric_series(&bad).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);

    let agent = cloud
        .list_metrics(TOKYO, "CWAgent", &by_instance())
        .await
        .unwrap();
    assert_eq!(agent.len(), 1);
    assert_eq!(agent[0].metric_name, "mem_used_percent");
    assert_eq!(agent[0].instance_id(), Some(INSTANCE));
    let ec2 = cloud
        .list_metrics(TOKYO, "AWS/EC2", &by_instance())
        .await
        .unwrap();
    assert_eq!(ec2, [cpu]);
    let none = cloud
        .list_metrics(VIRGINIA, "CWAgent", &by_instance())
        .await
        .unwrap();
    assert!(none.is_empty());

    // The Costs screen's counts: the agent's metric is custom, CPUUtilization is AWS's.
    assert_eq!(cloud.count_custom_metrics(TOKYO).await.unwrap(), 1);
    assert_eq!(cloud.count_custom_metrics(VIRGINIA).await.unwrap(), 0);
    for name in ["storefront", "batch"] {
        tokyo
            .put_dashboard()
            .dashboard_name(name)
            .dashboard_body(r#"{"widgets":[]}"#)
            .send()
            .await
            .unwrap();
    }
    assert_eq!(cloud.count_dashboards(TOKYO).await.unwrap(), 2);
}
