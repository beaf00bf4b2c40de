//! Session call failures in words a user can act on. The code comes from [`crate::from_sdk`]
//! unless the service named something more precise; the message says what was refused, why
//! that usually happens and what to check, and ends with the service's own text.

use std::fmt::Debug;

use aws_sdk_ssm::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_ssm::operation::resume_session::ResumeSessionError;
use aws_sdk_ssm::operation::start_session::StartSessionError;
use aws_sdk_ssm::operation::terminate_session::TerminateSessionError;
use unyo_core::{AppError, ErrorCode};
use unyo_session::TransportError;

/// The parts of an SDK failure the messages are built from.
struct Failure {
    /// What [`crate::from_sdk`] made of it.
    code: ErrorCode,
    /// The service's error code (`TargetNotConnected`, `AccessDeniedException`), if it answered.
    service_code: Option<String>,
    /// The service's message, else the SDK's whole explanation.
    detail: String,
}

impl Failure {
    fn of<E, R>(err: &SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: Debug + 'static,
    {
        let mapped = crate::from_sdk(err);
        let service = err.as_service_error();
        let service_message = service
            .and_then(ProvideErrorMetadata::message)
            .filter(|message| !message.is_empty());
        Self {
            code: mapped.code,
            service_code: service
                .and_then(ProvideErrorMetadata::code)
                .map(str::to_owned),
            detail: service_message.map_or(mapped.message, str::to_owned),
        }
    }

    /// The message for codes every session call shares, or `None` when the caller words it.
    fn common(&self, call: &str, permission: &str) -> Option<AppError> {
        let detail = &self.detail;
        let message = match self.code {
            ErrorCode::AccessDenied => {
                format!("this identity may not call {call}: it needs {permission} ({detail})")
            }
            ErrorCode::Throttled => format!(
                "AWS is throttling {call} requests; wait a few seconds and try again ({detail})"
            ),
            ErrorCode::Network => format!(
                "Systems Manager could not be reached for {call}; check the network, proxy or VPN ({detail})"
            ),
            _ => return None,
        };
        Some(AppError::new(self.code, message))
    }
}

pub(super) fn start_failed<R: Debug + 'static>(
    err: &SdkError<StartSessionError, R>,
    target: &str,
    document: &str,
    region: Option<&str>,
) -> AppError {
    let failure = Failure::of(err);
    let detail = &failure.detail;
    let region = region.unwrap_or("this region");
    let service = err.as_service_error();
    if service.is_some_and(StartSessionError::is_target_not_connected) {
        return AppError::new(
            ErrorCode::TargetNotConnected,
            format!(
                "{target} is not connected to Session Manager in {region}: its SSM Agent is \
                 offline or not registered, or the instance is stopped. Check that the instance \
                 is running and in this account and region, that SSM Agent runs on it, that its \
                 instance profile allows Systems Manager (for example \
                 AmazonSSMManagedInstanceCore), and that it can reach the ssm and ssmmessages \
                 endpoints ({detail})"
            ),
        );
    }
    if service.is_some_and(StartSessionError::is_invalid_document) {
        return AppError::invalid_input(format!(
            "there is no Session Manager document {document} in {region} ({detail})"
        ));
    }
    // Codes StartSession does not model, for a target or parameters the service will not
    // take (its input validation runs before the operation).
    match failure.service_code.as_deref() {
        Some("InvalidTarget" | "ValidationException" | "InvalidParameters") => {
            AppError::invalid_input(format!(
                "Session Manager refused {target} as a target with {document}: give an \
                 instance id (i-…), a managed node id (mi-…) or an ECS task \
                 (ecs:<cluster>_<task id>_<runtime id>), and the parameters the document \
                 defines ({detail})"
            ))
        }
        _ => failure
            .common(
                "StartSession",
                &format!(
                    "ssm:StartSession on both the target {target} and the document {document}, \
                     allowed by every policy and permissions boundary that applies"
                ),
            )
            .unwrap_or_else(|| {
                AppError::new(
                    failure.code,
                    format!("StartSession on {target} failed: {detail}"),
                )
            }),
    }
}

pub(super) fn resume_failed<R: Debug + 'static>(
    err: &SdkError<ResumeSessionError, R>,
    session_id: &str,
) -> AppError {
    let failure = Failure::of(err);
    let detail = &failure.detail;
    if err
        .as_service_error()
        .is_some_and(ResumeSessionError::is_does_not_exist_exception)
    {
        return AppError::invalid_input(format!(
            "session {session_id} no longer exists; it has ended or was terminated ({detail})"
        ));
    }
    failure
        .common(
            "ResumeSession",
            &format!("ssm:ResumeSession on the session {session_id}"),
        )
        .unwrap_or_else(|| {
            AppError::new(
                failure.code,
                format!("ResumeSession for {session_id} failed: {detail}"),
            )
        })
}

pub(super) fn terminate_failed<R: Debug + 'static>(
    err: &SdkError<TerminateSessionError, R>,
    session_id: &str,
) -> AppError {
    let failure = Failure::of(err);
    let outcome = "the session stays open on the service until its idle timeout";
    let message = match failure.common(
        "TerminateSession",
        &format!("ssm:TerminateSession on the session {session_id}"),
    ) {
        Some(common) => format!("{}; {outcome}", common.message),
        None => format!(
            "TerminateSession for {session_id} failed: {}; {outcome}",
            failure.detail
        ),
    };
    AppError::new(failure.code, message)
}

/// The data channel could not be opened after `StartSession` succeeded.
pub(super) fn channel_failed(
    error: &TransportError,
    session_id: &str,
    region: Option<&str>,
) -> AppError {
    let host = region.map_or_else(
        || "the ssmmessages endpoint".to_owned(),
        |region| format!("ssmmessages.{region}.amazonaws.com"),
    );
    AppError::new(
        ErrorCode::Network,
        format!(
            "session {session_id} started but its data channel could not be opened; check that \
             this computer can reach {host} over HTTPS (proxy, firewall, VPN) ({error})"
        ),
    )
}
