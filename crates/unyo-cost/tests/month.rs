//! This month's use read through the Cloud port, on the practice account: the executions its
//! team ran before the learner and the learner's own, the steps they ran, its alarms, custom
//! metrics, dashboards and log data, against the free tiers, each free and priced as on AWS.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use std::collections::BTreeMap;

use unyo_core::automation::StartAutomationRequest;
use unyo_core::cloud::Cloud;
use unyo_core::settings::AutomationHistory;
use unyo_core::time::rfc3339;
use unyo_cost::PriceTable;
use unyo_cost::month::{MonthUsage, automation_used, month_usage};
use unyo_cost::practice::Pricing;
use unyo_practice::PracticeCloud;

const TOKYO: &str = "ap-northeast-1";
const VIRGINIA: &str = "us-east-1";

async fn month(cloud: &PracticeCloud, region: &str) -> MonthUsage {
    let pricing = Pricing::new(
        true,
        region,
        AutomationHistory::Unknown,
        PriceTable::embedded,
    );
    let usage = month_usage(cloud, region, &rfc3339(cloud.now()), &pricing).await;
    assert!(usage.gaps.is_empty(), "{:?}", usage.gaps);
    usage
}

#[tokio::test]
async fn the_practice_month_shows_its_scheduler_and_what_it_would_cost_on_aws() {
    let cloud = PracticeCloud::new();
    let usage = month(&cloud, VIRGINIA).await;
    assert_eq!(usage.month, "2026-11");
    // The staging API started and stopped on each of November's 20 weekdays so far.
    assert_eq!(usage.automation_executions, Some(40));
    let steps = usage.automation_steps.unwrap();
    assert_eq!(steps.used, 40);
    assert_eq!(steps.free, 0, "a new account has no Automation free tier");
    assert!(
        steps.estimate.free,
        "nothing on the practice account is billed"
    );
    // 40 × $0.002 = $0.08 on a real account.
    assert!(
        steps.estimate.lines[1]
            .en
            .starts_with("on a real account in us-east-1: $0.08 (40 steps × $0.002 = $0.08)"),
        "{}",
        steps.estimate.lines[1].en
    );
    // A runbook's estimate measures itself against the same use.
    let used = automation_used(&cloud, VIRGINIA, &rfc3339(cloud.now()))
        .await
        .unwrap();
    assert_eq!(used.steps, 40);
    let metrics = usage.custom_metrics.unwrap();
    assert!(
        metrics.used > 0,
        "each instance's agent publishes its disk use"
    );
    assert_eq!(metrics.free, 10);
    assert_eq!(usage.dashboards.unwrap().used, 0);
    assert_eq!(usage.logs_data.unwrap().free, 5 << 30);
}

#[tokio::test]
async fn the_month_counts_the_steps_the_learners_runbooks_ran_too() {
    let cloud = PracticeCloud::new();
    let before = month(&cloud, TOKYO).await;
    // The team restarted the batch worker once this month: two steps.
    assert_eq!(before.automation_executions, Some(1));
    assert_eq!(before.automation_steps.as_ref().unwrap().used, 2);
    let alarms = before.alarms.as_ref().unwrap();
    assert!(alarms.used > 0);
    assert_eq!(alarms.free, 10);
    assert!(alarms.estimate.free, "the practice account is free");
    let logs = before.logs_data.as_ref().unwrap();
    assert!(
        logs.used > 0,
        "the storefront's logs were taken in and are stored"
    );

    let request = StartAutomationRequest {
        region: TOKYO.into(),
        document_name: "AWSSupport-TroubleshootManagedInstance".into(),
        parameters: BTreeMap::from([(
            "InstanceId".to_owned(),
            vec!["i-0a1f3c5e7b9d10001".to_owned()],
        )]),
    };
    let automation = (&cloud as &dyn Cloud).require_automation().unwrap();
    let id = automation.start_automation(&request).await.unwrap();
    // The practice runbook runs on the practice clock: read until it has ended.
    let mut execution = automation
        .get_automation_execution(TOKYO, &id)
        .await
        .unwrap();
    for _ in 0..120 {
        if execution.status.is_finished() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        execution = automation
            .get_automation_execution(TOKYO, &id)
            .await
            .unwrap();
    }
    assert!(execution.status.is_finished(), "{:?}", execution.status);
    let after = month(&cloud, TOKYO).await;
    assert_eq!(after.automation_executions, Some(2));
    let steps = after.automation_steps.unwrap();
    assert_eq!(steps.used, 2 + execution.steps.len() as u64);
    assert!(!steps.at_least);
}
