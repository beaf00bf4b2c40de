//! "An instance that won't connect" through the Cloud port: the fleet shows the lost agent,
//! Session Manager and Run Command refuse it, the managed-instance runbook and CloudTrail
//! name the cause, and only restoring HTTPS egress completes the scenario.

#![allow(
    clippy::unwrap_used,
    reason = "a failed step should fail the test loudly"
)]

use unyo_core::readiness::doctor;

mod common;

use unyo_core::automation::ExecutionStatus;
use unyo_core::cloud::*;
use unyo_core::run_command::SendCommandRequest;
use unyo_core::trail::{LookupAttribute, TrailLookup, TrailQuery};
use unyo_core::{ErrorCode, FleetScope, PingStatus};
use unyo_practice::{EgressRule, NOT_MANAGED_SECURITY_GROUP};

const ID: &str = "instance-not-managed";
const API_US_1: &str = "i-0f9e8d7c6b5a40015";
const VIRGINIA: &str = "us-east-1";

async fn ping(p: &common::Practice) -> PingStatus {
    let fleet = p
        .cloud
        .list_fleet(&FleetScope {
            regions: vec![VIRGINIA.into()],
        })
        .await
        .unwrap();
    fleet
        .instances
        .iter()
        .find(|i| i.id == API_US_1)
        .unwrap()
        .ping_status
}

#[tokio::test]
async fn restoring_https_egress_brings_the_agent_back() {
    let p = common::practice();
    assert_eq!(ping(&p).await, PingStatus::Online);
    p.start(ID);
    assert_eq!(ping(&p).await, PingStatus::ConnectionLost);
    assert_eq!(p.checks(ID), [false, false]);

    let err = p.cloud.open_shell(API_US_1).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::TargetNotConnected);
    let request = SendCommandRequest::shell_script(VIRGINIA, &[API_US_1], &["uptime"]);
    let err = p.cloud.send_command(&request).await.unwrap_err();
    assert!(err.message.contains("InvalidInstanceId"), "{}", err.message);

    // TroubleshootSSH needs the agent, so it fails; the managed-instance runbook explains.
    let ssh = p
        .automation(
            VIRGINIA,
            "AWSSupport-TroubleshootSSH",
            &[("InstanceId", API_US_1)],
        )
        .await;
    assert_eq!(ssh.status, ExecutionStatus::Failed);
    assert!(
        ssh.failure_message
            .unwrap()
            .contains("not connected to Systems Manager")
    );
    let check = p
        .automation(
            VIRGINIA,
            "AWSSupport-TroubleshootManagedInstance",
            &[("InstanceId", API_US_1)],
        )
        .await;
    assert_eq!(check.status, ExecutionStatus::Success);
    let report = &check.outputs["generateReport.Report"][0];
    assert!(
        report.contains(&format!(
            "[FAILED] Security group {NOT_MANAGED_SECURITY_GROUP}"
        )),
        "{report}"
    );

    let changes = p
        .cloud
        .lookup_trail_events(&TrailQuery {
            region: VIRGINIA.into(),
            start: "2026-11-28T08:00:00Z".into(),
            end: "2026-11-28T10:04:00Z".into(),
            lookup: Some(TrailLookup {
                attribute: LookupAttribute::ResourceName,
                value: NOT_MANAGED_SECURITY_GROUP.into(),
            }),
            max_results: None,
        })
        .await
        .unwrap();
    let names: Vec<&str> = changes.iter().map(|e| e.event_name.as_str()).collect();
    assert_eq!(
        names,
        ["AuthorizeSecurityGroupEgress", "RevokeSecurityGroupEgress"]
    );

    // A rule that does not open 443 changes nothing.
    let mut wrong = EgressRule::https_anywhere(VIRGINIA, NOT_MANAGED_SECURITY_GROUP);
    wrong.port = 80;
    p.cloud.authorize_security_group_egress(&wrong).unwrap();
    assert_eq!(p.checks(ID), [false, false]);

    let fix = EgressRule::https_anywhere(VIRGINIA, NOT_MANAGED_SECURITY_GROUP);
    let preview = p.cloud.authorize_security_group_egress(&fix).unwrap();
    assert_eq!(preview.api_call, "ec2:AuthorizeSecurityGroupEgress");
    assert!(
        preview.cli.contains("--group-id sg-0c4f5a6b7d8e90015"),
        "{}",
        preview.cli
    );
    assert_eq!(ping(&p).await, PingStatus::Online);
    assert_eq!(p.checks(ID), [true, true]);
    assert!(p.completed(ID));
    let mut shell = p.shell(API_US_1).await;
    assert!(common::run(&mut shell, "whoami").await.contains("ssm-user"));
}

#[tokio::test]
async fn an_unknown_group_is_refused() {
    let p = common::practice();
    p.start(ID);
    let err = p
        .cloud
        .authorize_security_group_egress(&EgressRule::https_anywhere(VIRGINIA, "sg-0000"))
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}

#[tokio::test]
async fn the_readiness_doctor_finds_the_lost_egress_and_clears_it_after_the_fix() {
    use unyo_core::readiness::{CheckId, CheckStatus};
    let p = common::practice();
    let egress = |r: &unyo_core::readiness::ReadinessReport| {
        r.check(CheckId::SecurityGroupEgress).unwrap().status
    };
    assert_eq!(
        egress(&doctor::check_instance(&p.cloud, API_US_1).await.unwrap()),
        CheckStatus::Pass
    );
    p.start(ID);
    let broken = doctor::check_instance(&p.cloud, API_US_1).await.unwrap();
    assert_eq!(egress(&broken), CheckStatus::Fail);
    p.cloud
        .authorize_security_group_egress(&EgressRule::https_anywhere(
            VIRGINIA,
            NOT_MANAGED_SECURITY_GROUP,
        ))
        .unwrap();
    let fixed = doctor::check_instance(&p.cloud, API_US_1).await.unwrap();
    assert_eq!(egress(&fixed), CheckStatus::Pass);
    assert!(!fixed.has_failures(), "{:?}", fixed.checks);
}
