//! Mocked Systems Manager answers shared by the session tests.

#![allow(dead_code, reason = "each test file uses part of it")]

use aws_sdk_ssm::config::Region;
use aws_sdk_ssm::operation::describe_instance_information::DescribeInstanceInformationOutput;
use aws_sdk_ssm::operation::start_session::StartSessionOutput;
use aws_sdk_ssm::operation::terminate_session::TerminateSessionOutput;
use aws_sdk_ssm::types::{InstanceInformation, PingStatus};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::RetryConfig;

pub const TARGET: &str = "i-0a1f3c5e7b9d10001";
pub const SESSION: &str = "s-1";
pub const TOKEN: &str = "token-AAEAAfirst-secret";

/// An SSM client answering with `rules`, in eu-west-1, without retries so every call is
/// counted once.
pub fn ssm_client(rules: &[&Rule]) -> aws_sdk_ssm::Client {
    mock_client!(aws_sdk_ssm, RuleMode::MatchAny, rules, |c| c
        .region(Region::from_static("eu-west-1"))
        .retry_config(RetryConfig::disabled()))
}

/// `DescribeInstanceInformation` for [`TARGET`] answering with its ping status, or with no
/// instance at all when `None`.
pub fn ping(status: Option<PingStatus>) -> Rule {
    mock!(aws_sdk_ssm::Client::describe_instance_information)
        .match_requests(|r| {
            r.filters().iter().any(|filter| {
                filter.key() == "InstanceIds" && filter.values() == [TARGET.to_owned()]
            })
        })
        .then_output(move || {
            let list = status.clone().map(|status| {
                InstanceInformation::builder()
                    .instance_id(TARGET)
                    .ping_status(status)
                    .build()
            });
            DescribeInstanceInformationOutput::builder()
                .set_instance_information_list(Some(list.into_iter().collect()))
                .build()
        })
}

pub fn online() -> Rule {
    ping(Some(PingStatus::Online))
}

/// `StartSession` handing out `url`, for any request `accept` says yes to.
pub fn started_at(
    url: String,
    accept: fn(&aws_sdk_ssm::operation::start_session::StartSessionInput) -> bool,
) -> Rule {
    mock!(aws_sdk_ssm::Client::start_session)
        .match_requests(accept)
        .then_output(move || {
            StartSessionOutput::builder()
                .session_id(SESSION)
                .stream_url(url.clone())
                .token_value(TOKEN)
                .build()
        })
}

pub fn terminated() -> Rule {
    mock!(aws_sdk_ssm::Client::terminate_session)
        .match_requests(|r| r.session_id() == Some(SESSION))
        .then_output(|| {
            TerminateSessionOutput::builder()
                .session_id(SESSION)
                .build()
        })
}

/// A JSON 1.1 error answer, as the services send for errors the SDK does not model.
pub fn service_error(status: u16, code: &str, message: &str) -> HttpResponse {
    let body = serde_json::json!({ "__type": code, "message": message }).to_string();
    HttpResponse::new(status.try_into().unwrap(), SdkBody::from(body))
}
