//! OpsCenter on a real account, with `CreateOpsItem` answered by `aws-smithy-mocks` (the moto
//! server has no OpsCenter): an incident mirrored as an OpsItem carries its title, severity,
//! timeline and resources as the API reference shapes them, and a refusal names the action.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/account.rs"]
mod account;

use std::collections::BTreeMap;

use aws_sdk_ssm::operation::create_ops_item::CreateOpsItemOutput;
use aws_sdk_ssm::types::OpsItemDataType;
use aws_smithy_mocks::{mock, mock_client};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::body::SdkBody;
use unyo_core::ErrorCode;
use unyo_core::cloud::{Capability, Cloud, OpsCenter, capabilities_of};
use unyo_core::ops_item::OpsItemRequest;

const TOKYO: &str = "ap-northeast-1";

fn request() -> OpsItemRequest {
    OpsItemRequest {
        region: TOKYO.into(),
        title: "sshd down on web-prod-1".into(),
        description: "sshd was stopped by a config push.\n\nStatus: Monitoring.".into(),
        severity: Some("2".into()),
        operational_data: BTreeMap::from([
            ("unyo:account".into(), "profile:test".into()),
            (
                "unyo:timeline".into(),
                "2026-11-28 10:02:00 UTC · Detected · Alarm web-prod-1-status".into(),
            ),
        ]),
        resources: vec!["arn:aws:ec2:ap-northeast-1:123456789012:instance/i-0a1".into()],
    }
}

#[tokio::test]
async fn an_incident_becomes_an_opsitem_with_its_timeline_and_resources() {
    let create = mock!(aws_sdk_ssm::Client::create_ops_item)
        .match_requests(|r| {
            let data = r.operational_data().unwrap();
            let searchable = |key: &str| {
                data.get(key)
                    .filter(|v| v.r#type() == Some(&OpsItemDataType::SearchableString))
                    .and_then(|v| v.value())
                    .map(str::to_owned)
            };
            r.source() == Some("Unyo")
                && r.title() == Some("sshd down on web-prod-1")
                && r.severity() == Some("2")
                && r.description().unwrap().starts_with("sshd was stopped")
                && searchable("unyo:timeline").unwrap().contains("Detected")
                && searchable("/aws/resources").as_deref()
                    == Some(r#"[{"arn":"arn:aws:ec2:ap-northeast-1:123456789012:instance/i-0a1"}]"#)
        })
        .then_output(|| {
            CreateOpsItemOutput::builder()
                .ops_item_id("oi-0123456789ab")
                .build()
        });
    let cloud = account::with(
        TOKYO,
        mock_client!(aws_sdk_ec2, []),
        mock_client!(aws_sdk_ssm, [&create]),
    );
    assert!(capabilities_of(&cloud).contains(&Capability::OpsCenter));
    let id = (&cloud as &dyn Cloud)
        .require_ops_center()
        .unwrap()
        .create_ops_item(&request())
        .await
        .unwrap();
    assert_eq!(id, "oi-0123456789ab");
    assert_eq!(create.num_calls(), 1);
}

#[tokio::test]
async fn a_refusal_names_the_action() {
    let denied = mock!(aws_sdk_ssm::Client::create_ops_item).then_http_response(|| {
        HttpResponse::new(
            400.try_into().unwrap(),
            SdkBody::from(
                r#"{"__type":"AccessDeniedException","message":"User is not authorized to perform: ssm:CreateOpsItem"}"#,
            ),
        )
    });
    let cloud = account::with(
        TOKYO,
        mock_client!(aws_sdk_ec2, []),
        mock_client!(aws_sdk_ssm, [&denied]),
    );
    let err = cloud.create_ops_item(&request()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied);
    assert!(err.message.contains("ssm:CreateOpsItem"), "{}", err.message);
}
