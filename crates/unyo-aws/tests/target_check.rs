//! The ping-status check before a session starts, over mocked clients: an agent that is not
//! connected is explained (what to check) instead of reported as the service's bare
//! `TargetNotConnected`, and StartSession is not even called; a lookup that fails (denied,
//! throttled) never blocks a session that might work.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/mocks.rs"]
mod mocks;

use std::collections::BTreeMap;

use aws_sdk_ssm::operation::start_session::StartSessionError;
use aws_sdk_ssm::types::PingStatus;
use aws_sdk_ssm::types::error::TargetNotConnected;
use aws_smithy_mocks::mock;
use unyo_aws::ssm_session::Sessions;
use unyo_core::ErrorCode;
use unyo_session::ChannelOptions;

use mocks::{TARGET, ping, service_error, ssm_client};

/// A StartSession that would fail with the service's own TargetNotConnected.
fn start_refused() -> aws_smithy_mocks::Rule {
    mock!(aws_sdk_ssm::Client::start_session).then_error(|| {
        StartSessionError::TargetNotConnected(
            TargetNotConnected::builder()
                .message(format!("{TARGET} is not connected."))
                .build(),
        )
    })
}

fn assert_says(message: &str, expected: &[&str]) {
    for expected in expected {
        assert!(message.contains(expected), "{expected}: {message}");
    }
}

#[tokio::test]
async fn an_agent_that_lost_its_connection_is_explained_before_start_session() {
    let (lookup, start) = (ping(Some(PingStatus::ConnectionLost)), start_refused());
    let sessions = Sessions::from_client(ssm_client(&[&lookup, &start]));
    let err = sessions
        .open_shell(TARGET, ChannelOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TargetNotConnected);
    assert_says(
        &err.message,
        &[
            TARGET,
            "eu-west-1",
            "ConnectionLost",
            "SSM Agent",
            "AmazonSSMManagedInstanceCore",
            "Default Host Management",
            "443",
            "ssmmessages",
        ],
    );
    assert_eq!(lookup.num_calls(), 1);
    assert_eq!(start.num_calls(), 0, "no session is started for nothing");
}

#[tokio::test]
async fn an_unregistered_instance_is_explained_with_its_region() {
    let (lookup, start) = (ping(None), start_refused());
    let sessions = Sessions::from_client(ssm_client(&[&lookup, &start]));
    let err = sessions.check_target(TARGET).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::TargetNotConnected);
    assert_says(
        &err.message,
        &[
            "not registered",
            "eu-west-1",
            "another region",
            "SSM Agent",
            "Default Host Management",
        ],
    );
    assert_eq!(start.num_calls(), 0);
}

#[tokio::test]
async fn an_inactive_instance_is_not_connected_and_an_online_one_is() {
    let inactive = ping(Some(PingStatus::Inactive));
    let err = Sessions::from_client(ssm_client(&[&inactive]))
        .check_target(TARGET)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TargetNotConnected);
    assert!(err.message.contains("Inactive"), "{}", err.message);

    let online = ping(Some(PingStatus::Online));
    Sessions::from_client(ssm_client(&[&online]))
        .check_target(TARGET)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_denied_lookup_does_not_block_the_session() {
    let lookup =
        mock!(aws_sdk_ssm::Client::describe_instance_information).then_http_response(|| {
            service_error(
                400,
                "AccessDeniedException",
                "not authorized to perform: ssm:DescribeInstanceInformation",
            )
        });
    let start = start_refused();
    let sessions = Sessions::from_client(ssm_client(&[&lookup, &start]));
    let err = sessions
        .open_shell(TARGET, ChannelOptions::default())
        .await
        .unwrap_err();
    assert_eq!(lookup.num_calls(), 1);
    assert_eq!(start.num_calls(), 1, "the session was still tried");
    // The service's refusal, still explained.
    assert_eq!(err.code, ErrorCode::TargetNotConnected);
    assert!(err.message.contains("SSM Agent"), "{}", err.message);
}

#[tokio::test]
async fn ecs_targets_are_not_looked_up() {
    let start = mock!(aws_sdk_ssm::Client::start_session)
        .then_http_response(|| service_error(400, "InvalidTarget", "no such task"));
    let sessions = Sessions::from_client(ssm_client(&[&start]));
    let target = "ecs:prod_0123456789abcdef_0123456789abcdef-1234567890";
    sessions.check_target(target).await.unwrap();
    let err = sessions
        .start(target, None, BTreeMap::new())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}
