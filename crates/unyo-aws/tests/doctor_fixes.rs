//! The readiness doctor's fixes on a real account through the Cloud port: the HTTPS egress rule
//! and Run Command against the moto emulator; Default Host Management and Automation, which
//! moto lacks, with `aws-smithy-mocks`; and denied or throttled calls said clearly.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use unyo_core::readiness::doctor;

#[path = "support/mocks.rs"]
mod mocks;
#[path = "support/moto.rs"]
mod moto;

use aws_sdk_ec2::types::{IpPermission, IpRange};
use aws_sdk_ssm::operation::start_automation_execution::StartAutomationExecutionOutput;
use aws_sdk_ssm::operation::update_service_setting::UpdateServiceSettingOutput;
use aws_smithy_mocks::{Rule, mock, mock_client};
use unyo_aws::cloud::AwsCloud;
use unyo_aws::fleet::{FleetClients, RegionClients};
use unyo_core::readiness::fixes::{DHMC_DEFAULT_ROLE, DHMC_SETTING_ID};
use unyo_core::readiness::{ActionStarted, ReadinessAction};
use unyo_core::{AccountContext, AccountKind, ErrorCode};

const TOKYO: &str = "ap-northeast-1";

fn account() -> AccountContext {
    AccountContext {
        id: "profile:test".into(),
        kind: AccountKind::Profile,
        account_id: Some("123456789012".into()),
        regions: vec![TOKYO.into()],
        default_region: Some(TOKYO.into()),
        capabilities: Vec::new(),
    }
}

fn cloud(ec2: aws_sdk_ec2::Client, ssm: aws_sdk_ssm::Client) -> AwsCloud {
    AwsCloud::with_clients(
        account(),
        FleetClients::from_fn(move |_| RegionClients {
            ec2: ec2.clone(),
            ssm: ssm.clone(),
        }),
    )
}

/// An account whose Systems Manager answers with `rules` (EC2 answers nothing).
fn mocked(rules: &[&Rule]) -> AwsCloud {
    cloud(mock_client!(aws_sdk_ec2, []), mocks::ssm_client(rules))
}

fn egress(group: &str, cidr: &str) -> ReadinessAction {
    ReadinessAction::AllowHttpsEgress {
        region: TOKYO.into(),
        group_id: group.into(),
        cidr: cidr.into(),
    }
}

/// A group with no outbound rule at all, as a "tightened" one.
async fn locked_group(ec2: &aws_sdk_ec2::Client) -> String {
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.0.0.0/16")
        .send()
        .await
        .unwrap()
        .vpc
        .unwrap()
        .vpc_id
        .unwrap();
    let group = ec2
        .create_security_group()
        .vpc_id(vpc)
        .group_name("locked")
        .description("locked")
        .send()
        .await
        .unwrap()
        .group_id
        .unwrap();
    ec2.revoke_security_group_egress()
        .group_id(&group)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("-1")
                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    group
}

async fn outbound(ec2: &aws_sdk_ec2::Client, group: &str) -> Vec<(String, Option<i32>, String)> {
    let groups = ec2
        .describe_security_groups()
        .group_ids(group)
        .send()
        .await
        .unwrap()
        .security_groups
        .unwrap();
    groups[0]
        .ip_permissions_egress()
        .iter()
        .flat_map(|p| {
            p.ip_ranges().iter().map(|r| {
                (
                    p.ip_protocol().unwrap_or_default().to_owned(),
                    p.from_port(),
                    r.cidr_ip().unwrap_or_default().to_owned(),
                )
            })
        })
        .collect()
}

#[tokio::test]
async fn https_egress_and_the_agent_update_reach_the_emulator() {
    let moto = moto::Moto::start();
    let config = moto.config(TOKYO).await;
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let ssm = aws_sdk_ssm::Client::new(&config);
    let group = locked_group(&ec2).await;
    let cloud = cloud(ec2.clone(), ssm.clone());
    assert!(outbound(&ec2, &group).await.is_empty());

    let started = doctor::apply_fix(&cloud, &egress(&group, "0.0.0.0/0"))
        .await
        .unwrap();
    assert_eq!(started, ActionStarted::Done);
    assert_eq!(
        outbound(&ec2, &group).await,
        [("tcp".to_owned(), Some(443), "0.0.0.0/0".to_owned())]
    );
    // Applied twice (the rule came back meanwhile), it holds without a second rule.
    let again = doctor::apply_fix(&cloud, &egress(&group, "0.0.0.0/0"))
        .await
        .unwrap();
    assert_eq!(again, ActionStarted::Done);
    assert_eq!(outbound(&ec2, &group).await.len(), 1);

    let err = doctor::apply_fix(&cloud, &egress("sg-0123456789abcdef0", "0.0.0.0/0"))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput, "{err:?}");
    assert!(
        err.message
            .starts_with("ec2:AuthorizeSecurityGroupEgress refused the request"),
        "{}",
        err.message
    );

    let update = ReadinessAction::UpdateAgent {
        region: TOKYO.into(),
        instance_id: "i-0abc".into(),
    };
    let ActionStarted::Command { region, command_id } =
        doctor::apply_fix(&cloud, &update).await.unwrap()
    else {
        panic!("not a command");
    };
    assert_eq!(region, TOKYO);
    let sent = ssm
        .list_commands()
        .command_id(&command_id)
        .send()
        .await
        .unwrap()
        .commands
        .unwrap();
    assert_eq!(sent[0].document_name(), Some("AWS-UpdateSSMAgent"));
    assert_eq!(sent[0].instance_ids(), ["i-0abc"]);
    assert!(
        sent[0]
            .parameters()
            .is_none_or(|p| !p.contains_key("commands")),
        "AWS-UpdateSSMAgent takes no commands: {:?}",
        sent[0].parameters()
    );
}

#[tokio::test]
async fn default_host_management_is_turned_on_with_aws_default_role() {
    let setting = mock!(aws_sdk_ssm::Client::update_service_setting)
        .match_requests(|r| {
            r.setting_id() == Some(DHMC_SETTING_ID) && r.setting_value() == Some(DHMC_DEFAULT_ROLE)
        })
        .then_output(|| UpdateServiceSettingOutput::builder().build());
    let cloud = mocked(&[&setting]);
    let enable = ReadinessAction::EnableDefaultHostManagement {
        region: TOKYO.into(),
    };
    assert_eq!(
        doctor::apply_fix(&cloud, &enable).await.unwrap(),
        ActionStarted::Done
    );
    assert_eq!(setting.num_calls(), 1);
}

#[tokio::test]
async fn the_managed_instance_runbook_starts_with_the_instance() {
    let start = mock!(aws_sdk_ssm::Client::start_automation_execution)
        .match_requests(|r| {
            r.document_name() == Some("AWSSupport-TroubleshootManagedInstance")
                && r.parameters().and_then(|p| p.get("InstanceId"))
                    == Some(&vec!["i-0abc".to_owned()])
        })
        .then_output(|| {
            StartAutomationExecutionOutput::builder()
                .automation_execution_id("exec-1")
                .build()
        });
    let cloud = mocked(&[&start]);
    let troubleshoot = ReadinessAction::TroubleshootManagedInstance {
        region: TOKYO.into(),
        instance_id: "i-0abc".into(),
    };
    assert_eq!(
        doctor::apply_fix(&cloud, &troubleshoot).await.unwrap(),
        ActionStarted::Automation {
            region: TOKYO.into(),
            execution_id: "exec-1".into()
        }
    );
}

#[tokio::test]
async fn denied_throttled_and_unreachable_calls_say_so() {
    let denied = mock!(aws_sdk_ssm::Client::update_service_setting).then_http_response(|| {
        mocks::service_error(
            400,
            "AccessDeniedException",
            "User: arn:aws:iam::123456789012:user/op is not authorized to perform: ssm:UpdateServiceSetting",
        )
    });
    let throttled = mock!(aws_sdk_ssm::Client::start_automation_execution)
        .then_http_response(|| mocks::service_error(400, "ThrottlingException", "Rate exceeded"));
    let offline = mock!(aws_sdk_ssm::Client::send_command).then_http_response(|| {
        mocks::service_error(400, "InvalidInstanceId", "Instances not in a valid state")
    });
    let cloud = mocked(&[&denied, &throttled, &offline]);

    let err = doctor::apply_fix(
        &cloud,
        &ReadinessAction::EnableDefaultHostManagement {
            region: TOKYO.into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied);
    assert!(
        err.message.starts_with(
            "ssm:UpdateServiceSetting was denied: the identity needs permission for ssm:UpdateServiceSetting"
        ),
        "{}",
        err.message
    );

    let err = doctor::apply_fix(
        &cloud,
        &ReadinessAction::TroubleshootManagedInstance {
            region: TOKYO.into(),
            instance_id: "i-0abc".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Throttled);
    assert!(
        err.message
            .starts_with("AWS is throttling ssm:StartAutomationExecution; wait a moment"),
        "{}",
        err.message
    );

    let err = doctor::apply_fix(
        &cloud,
        &ReadinessAction::UpdateAgent {
            region: TOKYO.into(),
            instance_id: "i-0abc".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::TargetNotConnected);
    assert!(
        err.message.contains("SSM Agent is not online"),
        "{}",
        err.message
    );

    let err = doctor::apply_fix(
        &cloud,
        &ReadinessAction::EnableDefaultHostManagement {
            region: "mars-1".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}
