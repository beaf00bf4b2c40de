//! This month's use read through the Cloud port, on the practice account: its executions and
//! the steps they ran, and its alarms, against the free tiers.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use std::collections::BTreeMap;

use unyo_core::automation::StartAutomationRequest;
use unyo_core::cloud::Cloud;
use unyo_core::settings::AutomationHistory;
use unyo_core::time::rfc3339;
use unyo_cost::PriceTable;
use unyo_cost::month::month_usage;
use unyo_practice::PracticeCloud;

const TOKYO: &str = "ap-northeast-1";

#[tokio::test]
async fn the_month_counts_the_steps_its_runbooks_ran_and_the_regions_alarms() {
    let cloud = PracticeCloud::new();
    let table = PriceTable::embedded(TOKYO);
    let now = rfc3339(cloud.now());
    let before = month_usage(
        &cloud,
        TOKYO,
        &now,
        AutomationHistory::NewSince,
        &table,
        true,
    )
    .await;
    assert!(before.gaps.is_empty(), "{:?}", before.gaps);
    assert_eq!(before.month, now[..7]);
    assert_eq!(before.automation_executions, Some(0));
    let alarms = before.alarms.as_ref().unwrap();
    assert!(alarms.used > 0);
    assert_eq!(alarms.free, 10);
    assert!(alarms.estimate.free, "the practice account is free");

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
    let now = rfc3339(cloud.now());
    let after = month_usage(
        &cloud,
        TOKYO,
        &now,
        AutomationHistory::NewSince,
        &table,
        true,
    )
    .await;
    assert_eq!(after.automation_executions, Some(1));
    let steps = after.automation_steps.unwrap();
    assert_eq!(steps.used, execution.steps.len() as u64);
    assert_eq!(
        steps.free, 0,
        "no free tier for an account new to Automation"
    );
    assert!(!steps.at_least);
}
