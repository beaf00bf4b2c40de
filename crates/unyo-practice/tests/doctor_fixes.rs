//! The readiness doctor's fixes through the Cloud port on the practice account: each action a
//! check offers is applied, followed to its end, and the doctor's next check shows the change;
//! "an instance that won't connect" is completed from the doctor alone.

#![allow(
    clippy::unwrap_used,
    reason = "a failed step should fail the test loudly"
)]

use unyo_core::readiness::doctor;

mod common;

use unyo_core::automation::ExecutionStatus;
use unyo_core::cloud::*;
use unyo_core::readiness::{
    ActionStarted, CheckId, CheckStatus, Outcome, ReadinessAction, ReadinessReport,
};
use unyo_core::run_command::CommandStatus;
use unyo_core::trail::TrailQuery;
use unyo_core::{ErrorCode, PingStatus};

const NOT_MANAGED: &str = "instance-not-managed";
const API_US_1: &str = "i-0f9e8d7c6b5a40015";
const LEGACY_APP_1: &str = "i-0f9e8d7c6b5a40016";
const BASTION: &str = "i-0a1f3c5e7b9d10006";
const VIRGINIA: &str = "us-east-1";
const TOKYO: &str = "ap-northeast-1";

fn action(report: &ReadinessReport, id: CheckId) -> ReadinessAction {
    report
        .check(id)
        .and_then(|c| c.fix.as_ref())
        .and_then(|f| f.action.clone())
        .unwrap_or_else(|| panic!("no action on {id:?}: {:#?}", report.check(id)))
}

fn status(report: &ReadinessReport, id: CheckId) -> CheckStatus {
    report.check(id).unwrap().status
}

async fn trail_names(p: &common::Practice, region: &str) -> Vec<String> {
    p.cloud
        .lookup_trail_events(&TrailQuery {
            region: region.into(),
            start: "2026-11-28T00:00:00Z".into(),
            end: "2026-11-29T00:00:00Z".into(),
            lookup: None,
            max_results: None,
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event_name)
        .collect()
}

#[tokio::test]
async fn the_not_managed_scenario_is_completed_from_the_doctor() {
    let p = common::practice();
    p.start(NOT_MANAGED);
    let broken = doctor::check_instance(&p.cloud, API_US_1).await.unwrap();
    assert_eq!(broken.verdict.outcome, Outcome::NotReady);
    let fix = action(&broken, CheckId::SecurityGroupEgress);
    assert_eq!(
        fix,
        ReadinessAction::AllowHttpsEgress {
            region: VIRGINIA.into(),
            group_id: unyo_practice::NOT_MANAGED_SECURITY_GROUP.into(),
            // Virginia reaches Systems Manager through VPC endpoints, so the VPC will do.
            cidr: "172.31.0.0/16".into(),
        }
    );
    // Checking again changes nothing: the checks only read.
    assert_eq!(
        doctor::check_instance(&p.cloud, API_US_1).await.unwrap(),
        broken
    );
    assert_eq!(p.checks(NOT_MANAGED), [false, false]);

    let started = doctor::apply_fix(&p.cloud, &fix).await.unwrap();
    assert_eq!(started, ActionStarted::Done);
    let fixed = doctor::check_instance(&p.cloud, API_US_1).await.unwrap();
    assert_eq!(
        status(&fixed, CheckId::SecurityGroupEgress),
        CheckStatus::Pass
    );
    assert_eq!(fixed.verdict.outcome, Outcome::Ready, "{:#?}", fixed.checks);
    assert_eq!(p.checks(NOT_MANAGED), [true, true]);
    assert!(p.completed(NOT_MANAGED));
    assert!(
        trail_names(&p, VIRGINIA)
            .await
            .contains(&"AuthorizeSecurityGroupEgress".to_owned())
    );
}

#[tokio::test]
async fn https_to_anywhere_completes_it_too_and_another_port_does_not() {
    let p = common::practice();
    p.start(NOT_MANAGED);
    let mut postgres = unyo_practice::EgressRule::https_anywhere(
        VIRGINIA,
        unyo_practice::NOT_MANAGED_SECURITY_GROUP,
    );
    postgres.port = 5432;
    postgres.cidr = "172.31.0.0/16".into();
    p.cloud.authorize_security_group_egress(&postgres).unwrap();
    assert_eq!(p.checks(NOT_MANAGED), [false, false]);
    let anywhere = ReadinessAction::AllowHttpsEgress {
        region: VIRGINIA.into(),
        group_id: unyo_practice::NOT_MANAGED_SECURITY_GROUP.into(),
        cidr: "0.0.0.0/0".into(),
    };
    doctor::apply_fix(&p.cloud, &anywhere).await.unwrap();
    assert_eq!(p.checks(NOT_MANAGED), [true, true]);
}

#[tokio::test]
async fn the_managed_instance_runbook_is_started_and_followed() {
    let p = common::practice();
    p.start(NOT_MANAGED);
    let broken = doctor::check_instance(&p.cloud, API_US_1).await.unwrap();
    let troubleshoot = action(&broken, CheckId::AgentRegistered);
    let ActionStarted::Automation {
        region,
        execution_id,
    } = doctor::apply_fix(&p.cloud, &troubleshoot).await.unwrap()
    else {
        panic!("not an automation");
    };
    assert_eq!(region, VIRGINIA);
    let mut execution = p
        .cloud
        .get_automation_execution(&region, &execution_id)
        .await
        .unwrap();
    for _ in 0..60 {
        if execution.status.is_finished() {
            break;
        }
        p.clock.advance(10);
        execution = p
            .cloud
            .get_automation_execution(&region, &execution_id)
            .await
            .unwrap();
    }
    assert_eq!(execution.status, ExecutionStatus::Success);
    assert_eq!(
        execution.document_name,
        "AWSSupport-TroubleshootManagedInstance"
    );
    // The runbook only reported; the instance is as broken as before.
    let after = doctor::check_instance(&p.cloud, API_US_1).await.unwrap();
    assert_eq!(after.verdict.outcome, Outcome::NotReady);
    assert_eq!(p.checks(NOT_MANAGED), [false, false]);
}

#[tokio::test]
async fn an_old_agent_is_updated_by_run_command() {
    let p = common::practice();
    let before = doctor::check_instance(&p.cloud, LEGACY_APP_1)
        .await
        .unwrap();
    assert_ne!(status(&before, CheckId::AgentVersion), CheckStatus::Pass);
    let update = action(&before, CheckId::AgentVersion);
    let ActionStarted::Command { region, command_id } =
        doctor::apply_fix(&p.cloud, &update).await.unwrap()
    else {
        panic!("not a command");
    };
    assert_eq!(
        p.cloud
            .get_command(&region, &command_id)
            .await
            .unwrap()
            .status,
        CommandStatus::InProgress
    );
    p.clock.advance(5);
    let done = p.cloud.get_command(&region, &command_id).await.unwrap();
    assert_eq!(done.status, CommandStatus::Success);
    assert_eq!(done.document_name, "AWS-UpdateSSMAgent");
    assert!(
        done.invocations[0]
            .stdout
            .contains("from 2.3.1319.0 to 3.3.1142.0"),
        "{}",
        done.invocations[0].stdout
    );
    let after = doctor::check_instance(&p.cloud, LEGACY_APP_1)
        .await
        .unwrap();
    assert_eq!(status(&after, CheckId::AgentVersion), CheckStatus::Pass);

    // Run Command needs an online agent: the doctor offers no update where it cannot reach.
    p.start(NOT_MANAGED);
    let lost = ReadinessAction::UpdateAgent {
        region: VIRGINIA.into(),
        instance_id: API_US_1.into(),
    };
    let err = doctor::apply_fix(&p.cloud, &lost).await.unwrap_err();
    assert!(err.message.contains("InvalidInstanceId"), "{}", err.message);
}

#[tokio::test]
async fn default_host_management_gives_an_instance_without_a_profile_its_identity() {
    let p = common::practice();
    let before = doctor::check_instance(&p.cloud, BASTION).await.unwrap();
    assert_eq!(status(&before, CheckId::Identity), CheckStatus::Fail);
    let enable = action(&before, CheckId::Identity);
    assert_eq!(
        enable,
        ReadinessAction::EnableDefaultHostManagement {
            region: TOKYO.into()
        }
    );
    assert_eq!(
        doctor::apply_fix(&p.cloud, &enable).await.unwrap(),
        ActionStarted::Done
    );
    let after = doctor::check_instance(&p.cloud, BASTION).await.unwrap();
    assert_eq!(status(&after, CheckId::Identity), CheckStatus::Pass);
    let identity = after.check(CheckId::Identity).unwrap();
    assert!(identity.fix.is_none(), "{identity:#?}");
    assert!(
        trail_names(&p, TOKYO)
            .await
            .contains(&"UpdateServiceSetting".to_owned())
    );
}

#[tokio::test]
async fn unknown_regions_groups_and_offline_targets_are_refused() {
    let p = common::practice();
    let far = ReadinessAction::EnableDefaultHostManagement {
        region: "eu-west-1".into(),
    };
    let err = doctor::apply_fix(&p.cloud, &far).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    let nowhere = ReadinessAction::AllowHttpsEgress {
        region: VIRGINIA.into(),
        group_id: "sg-0000".into(),
        cidr: "0.0.0.0/0".into(),
    };
    let err = doctor::apply_fix(&p.cloud, &nowhere).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message.contains("InvalidGroup.NotFound"),
        "{}",
        err.message
    );
    // Nothing was changed by the refusals.
    let fleet = p
        .cloud
        .list_fleet(&unyo_core::FleetScope {
            regions: vec![VIRGINIA.into()],
        })
        .await
        .unwrap();
    assert!(
        fleet
            .instances
            .iter()
            .all(|i| i.id != API_US_1 || i.ping_status == PingStatus::Online)
    );
}
