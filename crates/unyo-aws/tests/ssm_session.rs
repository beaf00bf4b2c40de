//! Session Manager sessions over `aws-smithy-mocks` clients: the StartSession request, how its
//! failures read, ResumeSession and TerminateSession; shells end to end are in [`shells`].
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "ssm_session/far_end.rs"]
mod far_end;
#[path = "ssm_session/shells.rs"]
mod shells;
#[path = "ssm_session/signature_check.rs"]
mod signature_check;
#[path = "ssm_session/signing.rs"]
mod signing;

use std::collections::{BTreeMap, HashMap};

use aws_sdk_ssm::config::Region;
use aws_sdk_ssm::operation::describe_instance_information::DescribeInstanceInformationOutput;
use aws_sdk_ssm::operation::resume_session::ResumeSessionOutput;
use aws_sdk_ssm::operation::start_session::{StartSessionError, StartSessionOutput};
use aws_sdk_ssm::operation::terminate_session::TerminateSessionOutput;
use aws_sdk_ssm::types::error::TargetNotConnected;
use aws_sdk_ssm::types::{InstanceInformation, PingStatus};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::RetryConfig;
use secrecy::ExposeSecret;
use unyo_aws::ssm_session::{Sessions, SsmResume, StartedSession};
use unyo_core::ErrorCode;
use unyo_session::{ResumeError, ResumeSession};

const TARGET: &str = "i-0a1f3c5e7b9d10001";
const SESSION: &str = "s-1";
const TOKEN: &str = "token-AAEAAfirst-secret";
const FRESH_TOKEN: &str = "token-AAEAAfresh-secret";

/// A client answering with `rules`, in eu-west-1, without retries so every call is counted
/// once. The target's ping status, looked up before every session, is Online.
fn sessions(rules: &[&Rule]) -> Sessions {
    let online = online();
    let rules: Vec<&Rule> = rules.iter().copied().chain([&online]).collect();
    let client = mock_client!(aws_sdk_ssm, RuleMode::MatchAny, &rules, |c| c
        .region(Region::from_static("eu-west-1"))
        .retry_config(RetryConfig::disabled()));
    Sessions::from_client(client)
}

fn online() -> Rule {
    mock!(aws_sdk_ssm::Client::describe_instance_information).then_output(|| {
        let online = InstanceInformation::builder()
            .instance_id(TARGET)
            .ping_status(PingStatus::Online)
            .build();
        DescribeInstanceInformationOutput::builder()
            .instance_information_list(online)
            .build()
    })
}

fn started_at(url: String) -> Rule {
    mock!(aws_sdk_ssm::Client::start_session).then_output(move || {
        StartSessionOutput::builder()
            .session_id(SESSION)
            .stream_url(url.clone())
            .token_value(TOKEN)
            .build()
    })
}

fn terminated() -> Rule {
    mock!(aws_sdk_ssm::Client::terminate_session)
        .match_requests(|r| r.session_id() == Some(SESSION))
        .then_output(|| {
            TerminateSessionOutput::builder()
                .session_id(SESSION)
                .build()
        })
}

fn resumed_at(url: Option<String>) -> Rule {
    mock!(aws_sdk_ssm::Client::resume_session)
        .match_requests(|r| r.session_id() == Some(SESSION))
        .then_output(move || {
            ResumeSessionOutput::builder()
                .session_id(SESSION)
                .set_stream_url(url.clone())
                .token_value(FRESH_TOKEN)
                .build()
        })
}

/// A JSON 1.1 error answer, as the service sends for errors the SDK does not model.
fn service_error(status: u16, code: &str, message: &str) -> HttpResponse {
    let body = serde_json::json!({ "__type": code, "message": message }).to_string();
    HttpResponse::new(status.try_into().unwrap(), SdkBody::from(body))
}

#[tokio::test]
async fn start_sends_the_target_document_and_parameters() {
    let start = mock!(aws_sdk_ssm::Client::start_session)
        .match_requests(|r| {
            let expected = HashMap::from([
                ("portNumber".to_owned(), vec!["5432".to_owned()]),
                ("localPortNumber".to_owned(), vec!["15432".to_owned()]),
            ]);
            r.target() == Some(TARGET)
                && r.document_name() == Some("AWS-StartPortForwardingSession")
                && r.parameters() == Some(&expected)
        })
        .then_output(|| {
            StartSessionOutput::builder()
                .session_id(SESSION)
                .stream_url("wss://ssmmessages.eu-west-1.amazonaws.com/v1/data-channel/s-1?role=publish_subscribe&cell-number=AAEAAQ")
                .token_value(TOKEN)
                .build()
        });
    let parameters = BTreeMap::from([
        ("portNumber".to_owned(), vec!["5432".to_owned()]),
        ("localPortNumber".to_owned(), vec!["15432".to_owned()]),
    ]);
    let started = sessions(&[&start])
        .start(TARGET, Some("AWS-StartPortForwardingSession"), parameters)
        .await
        .unwrap();
    assert_eq!(start.num_calls(), 1);
    assert_eq!(started.session_id, SESSION);
    assert!(started.stream_url.ends_with("cell-number=AAEAAQ"));
    assert_eq!(started.token.expose_secret(), TOKEN);
}

#[tokio::test]
async fn a_shell_names_no_document_and_no_parameters() {
    let start = mock!(aws_sdk_ssm::Client::start_session)
        .match_requests(|r| {
            r.target() == Some(TARGET) && r.document_name().is_none() && r.parameters().is_none()
        })
        .then_output(|| {
            StartSessionOutput::builder()
                .session_id(SESSION)
                .stream_url("wss://example/s-1")
                .token_value(TOKEN)
                .build()
        });
    let started = sessions(&[&start])
        .start(TARGET, None, BTreeMap::new())
        .await
        .unwrap();
    assert_eq!(start.num_calls(), 1);
    assert_eq!(started.session_id, SESSION);
}

#[tokio::test]
async fn the_token_never_shows_in_debug_output() {
    let start = started_at("wss://example/s-1".to_owned());
    let started = sessions(&[&start])
        .start(TARGET, None, BTreeMap::new())
        .await
        .unwrap();
    let shown = format!("{started:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains(SESSION), "{shown}");
}

#[tokio::test]
async fn a_target_that_is_not_connected_says_what_to_check() {
    let start = mock!(aws_sdk_ssm::Client::start_session).then_error(|| {
        StartSessionError::TargetNotConnected(
            TargetNotConnected::builder()
                .message(format!("{TARGET} is not connected."))
                .build(),
        )
    });
    let err = sessions(&[&start])
        .start(TARGET, None, BTreeMap::new())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TargetNotConnected);
    for expected in [TARGET, "eu-west-1", "SSM Agent", "stopped", "ssmmessages"] {
        assert!(
            err.message.contains(expected),
            "{expected}: {}",
            err.message
        );
    }
}

#[tokio::test]
async fn access_denied_names_the_permission_the_identity_lacks() {
    let denial = "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: ssm:StartSession on resource: arn:aws:ssm:eu-west-1:111122223333:document/AWS-StartSSHSession";
    let start = mock!(aws_sdk_ssm::Client::start_session)
        .then_http_response(move || service_error(400, "AccessDeniedException", denial));
    let err = sessions(&[&start])
        .start(TARGET, Some("AWS-StartSSHSession"), BTreeMap::new())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied);
    for expected in ["ssm:StartSession", TARGET, "AWS-StartSSHSession", denial] {
        assert!(
            err.message.contains(expected),
            "{expected}: {}",
            err.message
        );
    }
}

#[tokio::test]
async fn start_failures_as_the_service_sends_them() {
    let cases = [
        (
            "TargetNotConnected",
            "i-0a1f3c5e7b9d10001 is not connected.",
            ErrorCode::TargetNotConnected,
            "SSM Agent",
        ),
        (
            "ThrottlingException",
            "Rate exceeded",
            ErrorCode::Throttled,
            "throttling",
        ),
        (
            "InvalidDocument",
            "Document not found",
            ErrorCode::InvalidInput,
            "SSM-SessionManagerRunShell",
        ),
        (
            "ValidationException",
            "Target is not valid",
            ErrorCode::InvalidInput,
            "i-…",
        ),
        (
            "ExpiredTokenException",
            "The security token included in the request is expired",
            ErrorCode::CredentialsExpired,
            "expired",
        ),
    ];
    for (code, message, expected, says) in cases {
        let start = mock!(aws_sdk_ssm::Client::start_session)
            .then_http_response(move || service_error(400, code, message));
        let err = sessions(&[&start])
            .start(TARGET, None, BTreeMap::new())
            .await
            .unwrap_err();
        assert_eq!(err.code, expected, "{code}: {}", err.message);
        assert!(err.message.contains(says), "{code}: {}", err.message);
    }
}

#[tokio::test]
async fn resume_returns_the_fresh_url_and_token() {
    let resume = resumed_at(Some("wss://example/s-1?cell-number=moved".to_owned()));
    let resumed = sessions(&[&resume]).resume(SESSION).await.unwrap().unwrap();
    assert_eq!(resume.num_calls(), 1);
    assert_eq!(
        resumed.stream_url.as_deref(),
        Some("wss://example/s-1?cell-number=moved")
    );
    assert_eq!(resumed.token.expose_secret(), FRESH_TOKEN);
}

#[tokio::test]
async fn a_session_without_a_resume_token_has_timed_out() {
    let resume = mock!(aws_sdk_ssm::Client::resume_session)
        .then_output(|| ResumeSessionOutput::builder().session_id(SESSION).build());
    let sessions = sessions(&[&resume]);
    assert!(sessions.resume(SESSION).await.unwrap().is_none());

    let callback = SsmResume::new(sessions, &started("wss://example/s-1"));
    match callback.resume().await {
        Err(ResumeError::Expired(why)) => assert!(why.contains("timed out"), "{why}"),
        other => panic!("expected an expired session, got {other:?}"),
    }
}

#[tokio::test]
async fn the_resume_callback_moves_to_the_new_url_or_keeps_the_old_one() {
    let moved = resumed_at(Some("wss://example/s-1?cell-number=moved".to_owned()));
    let callback = SsmResume::new(sessions(&[&moved]), &started("wss://example/s-1"));
    let endpoint = callback.resume().await.unwrap();
    assert_eq!(endpoint.stream_url, "wss://example/s-1?cell-number=moved");
    assert_eq!(endpoint.token, FRESH_TOKEN);

    let same_place = resumed_at(None);
    let callback = SsmResume::new(sessions(&[&same_place]), &started("wss://example/s-1"));
    let endpoint = callback.resume().await.unwrap();
    assert_eq!(endpoint.stream_url, "wss://example/s-1");
    assert_eq!(endpoint.token, FRESH_TOKEN);
}

#[tokio::test]
async fn resume_failures_that_retrying_cannot_fix_end_the_session() {
    let gone = mock!(aws_sdk_ssm::Client::resume_session).then_http_response(|| {
        service_error(400, "DoesNotExistException", "Session s-1 does not exist")
    });
    let callback = SsmResume::new(sessions(&[&gone]), &started("wss://example/s-1"));
    assert!(matches!(
        callback.resume().await,
        Err(ResumeError::Expired(_))
    ));

    let busy = mock!(aws_sdk_ssm::Client::resume_session)
        .then_http_response(|| service_error(400, "ThrottlingException", "Rate exceeded"));
    let callback = SsmResume::new(sessions(&[&busy]), &started("wss://example/s-1"));
    assert!(matches!(
        callback.resume().await,
        Err(ResumeError::Unavailable(_))
    ));
}

#[tokio::test]
async fn terminate_calls_terminate_session() {
    let terminate = terminated();
    sessions(&[&terminate]).terminate(SESSION).await.unwrap();
    assert_eq!(terminate.num_calls(), 1);
}

#[tokio::test]
async fn a_refused_terminate_says_the_session_stays_open() {
    let terminate = mock!(aws_sdk_ssm::Client::terminate_session).then_http_response(|| {
        service_error(
            400,
            "AccessDeniedException",
            "not authorized to perform: ssm:TerminateSession",
        )
    });
    let err = sessions(&[&terminate])
        .terminate(SESSION)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied);
    assert!(
        err.message.contains("ssm:TerminateSession"),
        "{}",
        err.message
    );
    assert!(err.message.contains("idle timeout"), "{}", err.message);
}

fn started(url: &str) -> StartedSession {
    StartedSession {
        session_id: SESSION.to_owned(),
        stream_url: url.to_owned(),
        token: TOKEN.into(),
    }
}
