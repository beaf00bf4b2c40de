//! KMS-encrypted sessions: data keys from `kms:GenerateDataKey` over a mocked KMS client, its
//! failures in words a user can act on, and a shell whose far end asks for encryption, all
//! the way through: the mocked key is the one the session is sealed with.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/far_agent.rs"]
mod far_agent;
#[path = "support/mocks.rs"]
mod mocks;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use aws_sdk_kms::operation::generate_data_key::{GenerateDataKeyError, GenerateDataKeyOutput};
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::error::{DisabledException, NotFoundException};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_types::retry::RetryConfig;
use secrecy::ExposeSecret;
use unyo_aws::kms::KmsDataKeys;
use unyo_aws::ssm_session::Sessions;
use unyo_core::ErrorCode;
use unyo_core::session::SessionEvent;
use unyo_session::{ChannelOptions, DataKeyRequest};

use far_agent::{ENCRYPTED_NOTICE, FarAgent, IssuedKey, KMS_KEY_ID, Kind};
use mocks::{SESSION, TARGET, TOKEN, online, ssm_client, started_at, terminated};

const LIMIT: Duration = Duration::from_secs(10);
const PLAINTEXT: [u8; 64] = *b"0123456789abcdef0123456789ABCDEF fedcba9876543210FEDCBA987654321";
const BLOB: &[u8] = b"the data key, encrypted under the KMS key";

fn data_keys(rules: &[&Rule]) -> KmsDataKeys {
    KmsDataKeys::from_client(mock_client!(aws_sdk_kms, RuleMode::MatchAny, rules, |c| c
        .region(aws_sdk_kms::config::Region::from_static("eu-west-1"))
        .retry_config(RetryConfig::disabled())))
}

fn session_context() -> HashMap<String, String> {
    HashMap::from([
        ("aws:ssm:SessionId".to_owned(), SESSION.to_owned()),
        ("aws:ssm:TargetId".to_owned(), TARGET.to_owned()),
    ])
}

/// GenerateDataKey as Session Manager's agent expects it to be called.
fn generated() -> Rule {
    mock!(aws_sdk_kms::Client::generate_data_key)
        .match_requests(|r| {
            r.key_id() == Some(KMS_KEY_ID)
                && r.number_of_bytes() == Some(64)
                && r.encryption_context() == Some(&session_context())
        })
        .then_output(|| {
            GenerateDataKeyOutput::builder()
                .key_id(KMS_KEY_ID)
                .plaintext(Blob::new(PLAINTEXT.to_vec()))
                .ciphertext_blob(Blob::new(BLOB.to_vec()))
                .build()
        })
}

fn request() -> DataKeyRequest {
    DataKeyRequest {
        key_id: KMS_KEY_ID.to_owned(),
        number_of_bytes: 64,
        encryption_context: session_context().into_iter().collect::<BTreeMap<_, _>>(),
    }
}

#[tokio::test]
async fn a_data_key_is_generated_under_the_session_context() {
    let generate = generated();
    let key = data_keys(&[&generate]).generate(&request()).await.unwrap();
    assert_eq!(generate.num_calls(), 1);
    assert_eq!(key.plaintext.expose_secret(), PLAINTEXT.as_slice());
    assert_eq!(key.ciphertext_blob, BLOB);
    let shown = format!("{key:?}");
    assert!(!shown.contains("0123456789abcdef"), "{shown}");
}

#[tokio::test]
async fn kms_failures_say_what_to_fix() {
    let denied = mock!(aws_sdk_kms::Client::generate_data_key).then_http_response(|| {
        mocks::service_error(
            400,
            "AccessDeniedException",
            "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:GenerateDataKey",
        )
    });
    let err = data_keys(&[&denied])
        .generate(&request())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied);
    for expected in [
        "kms:GenerateDataKey",
        KMS_KEY_ID,
        "key policy",
        "user/alice",
    ] {
        assert!(
            err.message.contains(expected),
            "{expected}: {}",
            err.message
        );
    }

    let disabled = mock!(aws_sdk_kms::Client::generate_data_key).then_error(|| {
        GenerateDataKeyError::DisabledException(
            DisabledException::builder()
                .message("key is disabled")
                .build(),
        )
    });
    let err = data_keys(&[&disabled])
        .generate(&request())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    for expected in [
        "disabled",
        "enable the key",
        "Session Manager's preferences",
        KMS_KEY_ID,
    ] {
        assert!(
            err.message.contains(expected),
            "{expected}: {}",
            err.message
        );
    }

    let missing = mock!(aws_sdk_kms::Client::generate_data_key).then_error(|| {
        GenerateDataKeyError::NotFoundException(
            NotFoundException::builder()
                .message("Key not found")
                .build(),
        )
    });
    let err = data_keys(&[&missing])
        .generate(&request())
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    for expected in [
        "does not exist in eu-west-1",
        "session's region",
        KMS_KEY_ID,
    ] {
        assert!(
            err.message.contains(expected),
            "{expected}: {}",
            err.message
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_encrypted_shell_works_with_the_key_kms_generated() {
    let key = IssuedKey {
        plaintext: PLAINTEXT,
        blob: BLOB.to_vec(),
    };
    let far = FarAgent::start(Kind::Echo, None, TOKEN, Some(key)).await;
    let (ping, start, terminate, generate) = (
        online(),
        started_at(far.url(), |_| true),
        terminated(),
        generated(),
    );
    let sessions = Sessions::from_client(ssm_client(&[&ping, &start, &terminate]))
        .with_kms(data_keys(&[&generate]));
    let mut shell = sessions
        .open_shell(TARGET, ChannelOptions::default())
        .await
        .unwrap();

    let mut screen = Vec::new();
    let mut read_until = async |screen: &mut Vec<u8>, end: &[u8]| {
        let reading = async {
            while !screen.ends_with(end) {
                match shell.events.recv().await {
                    Some(SessionEvent::Output(bytes)) => screen.extend_from_slice(&bytes),
                    other => panic!("unexpected {other:?}: {}", String::from_utf8_lossy(screen)),
                }
            }
        };
        tokio::time::timeout(LIMIT, reading).await.unwrap();
    };
    read_until(&mut screen, b"sh-5.2$ ").await;
    assert_eq!(generate.num_calls(), 1);
    assert_eq!(far.kms_blob_matched(), Some(true));
    let text = String::from_utf8_lossy(&screen).into_owned();
    assert!(text.contains(ENCRYPTED_NOTICE), "{text}");

    shell.session.write(b"echo secret\r").await.unwrap();
    read_until(&mut screen, b"echo secret\r").await;
    shell.session.terminate().await.unwrap();
    assert_eq!(terminate.num_calls(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_data_key_ends_the_shell_with_the_reason() {
    let key = IssuedKey {
        plaintext: PLAINTEXT,
        blob: BLOB.to_vec(),
    };
    let far = FarAgent::start(Kind::Echo, None, TOKEN, Some(key)).await;
    let denied = mock!(aws_sdk_kms::Client::generate_data_key).then_http_response(|| {
        mocks::service_error(
            400,
            "AccessDeniedException",
            "not authorized to perform: kms:GenerateDataKey",
        )
    });
    let (ping, start, terminate) = (online(), started_at(far.url(), |_| true), terminated());
    let sessions = Sessions::from_client(ssm_client(&[&ping, &start, &terminate]))
        .with_kms(data_keys(&[&denied]));
    let mut shell = sessions
        .open_shell(TARGET, ChannelOptions::default())
        .await
        .unwrap();
    let mut screen = Vec::new();
    let reading = async {
        loop {
            match shell.events.recv().await {
                Some(SessionEvent::Output(bytes)) => screen.extend_from_slice(&bytes),
                Some(SessionEvent::Closed(_)) | None => return,
                Some(SessionEvent::Reconnecting { .. } | SessionEvent::Reconnected) => {}
            }
        }
    };
    tokio::time::timeout(LIMIT, reading).await.unwrap();
    let text = String::from_utf8_lossy(&screen).into_owned();
    assert!(text.contains("kms:GenerateDataKey"), "{text}");
    assert!(text.contains(KMS_KEY_ID), "{text}");
    assert_eq!(
        terminate.num_calls(),
        1,
        "the refused session is not left running"
    );
}
