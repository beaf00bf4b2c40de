//! SDK errors as Unyo's `{code, message}`: the code is what a caller branches on, the message
//! keeps the SDK's whole explanation (which names the profile, the provider and the cause).

use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use unyo_core::{AppError, ErrorCode};

pub fn from_sdk<E, R>(err: &SdkError<E, R>) -> AppError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let message = chain(err);
    // AWS names a wrong clock in the message ("Signature expired: … is now earlier than …")
    // under codes that otherwise mean bad keys, so it is recognised first.
    {
        if message.contains("RequestTimeTooSkewed")
            || message.contains("Signature expired")
            || message.contains("Signature not yet current")
        {
            return AppError::new(
                ErrorCode::ClockSkew,
                format!(
                    "AWS refused the request because this computer's clock is off; set the clock (turn on automatic time) and try again ({message})"
                ),
            );
        }
    }
    let code = match err {
        SdkError::ServiceError(service) => match service.err().code() {
            Some("ExpiredToken" | "ExpiredTokenException" | "RequestExpired") => {
                ErrorCode::CredentialsExpired
            }
            Some("AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation") => {
                ErrorCode::AccessDenied
            }
            Some(
                "InvalidClientTokenId" | "SignatureDoesNotMatch" | "UnrecognizedClientException",
            ) => ErrorCode::CredentialsInvalid,
            Some("Throttling" | "ThrottlingException" | "TooManyRequestsException") => {
                ErrorCode::Throttled
            }
            _ => ErrorCode::Internal,
        },
        SdkError::TimeoutError(_) => ErrorCode::Network,
        SdkError::DispatchFailure(failure) if failure.is_io() || failure.is_timeout() => {
            ErrorCode::Network
        }
        // Credentials that could not be resolved (no keys, unknown profile, a failing
        // credential_process, a role STS would not let us assume) stop the request before it
        // is sent; the cause's text carries the service's code.
        SdkError::DispatchFailure(_) | SdkError::ConstructionFailure(_) => {
            credentials_failure(&message)
        }
        _ => ErrorCode::Internal,
    };
    AppError::new(code, message)
}

/// What went wrong while loading credentials, from the service code in the cause's text
/// (`unhandled error (AccessDenied)`).
fn credentials_failure(message: &str) -> ErrorCode {
    if message.contains("(AccessDenied)") {
        ErrorCode::AccessDenied
    } else if message.contains("(ExpiredToken)") || message.contains("(ExpiredTokenException)") {
        ErrorCode::CredentialsExpired
    } else if message.contains("(Throttling)") {
        ErrorCode::Throttled
    } else {
        ErrorCode::CredentialsInvalid
    }
}

/// The error and its causes, outermost first, as one line without debug dumps: the SDK puts
/// the useful part (which profile, which provider) in the innermost cause.
pub(crate) fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

/// An error from a call that changes or starts something (`action` as IAM names it, e.g.
/// `ssm:SendCommand`), said with the action and what to do next. The codes AWS gives a wrong
/// request become `InvalidInput`; an instance Run Command cannot reach, `TargetNotConnected`.
pub(crate) fn from_action<E, R>(action: &str, err: &SdkError<E, R>) -> AppError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let mapped = from_sdk(err);
    let message = &mapped.message;
    match (mapped.code, service_code(err)) {
        (ErrorCode::AccessDenied, _) => AppError::new(
            ErrorCode::AccessDenied,
            format!(
                "{action} was denied: the identity needs permission for {action}; ask an administrator, or make the change another way ({message})"
            ),
        ),
        (ErrorCode::Throttled, _) => AppError::new(
            ErrorCode::Throttled,
            format!("AWS is throttling {action}; wait a moment and try again ({message})"),
        ),
        (_, Some("InvalidInstanceId")) => AppError::new(
            ErrorCode::TargetNotConnected,
            format!(
                "{action}: the instance's SSM Agent is not online in this region, so Run Command cannot reach it ({message})"
            ),
        ),
        (
            _,
            Some(
                "InvalidGroup.NotFound"
                | "InvalidGroupId.Malformed"
                | "InvalidPermission.Malformed"
                | "InvalidParameterValue"
                | "InvalidParameterCombination"
                | "MissingParameter"
                | "InvalidFormat"
                | "InvalidNextToken"
                | "InvalidDocument"
                | "InvalidParameters"
                | "InvalidCommandId"
                | "InvalidAutomationExecutionParametersException"
                | "AutomationDefinitionNotFoundException"
                | "AutomationExecutionNotFoundException"
                | "ServiceSettingNotFound"
                | "ValidationException",
            ),
        ) => AppError::invalid_input(format!("{action} refused the request: {message}")),
        (code, _) => AppError::new(code, format!("{action} failed: {message}")),
    }
}

/// The service's own message (without the SDK's wrapping), when the call reached the service
/// and it said one: what the UI shows next to the input it refers to.
pub(crate) fn service_message<E, R>(err: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match err {
        SdkError::ServiceError(service) => service.err().message(),
        _ => None,
    }
}

/// The service's error code, when the call reached the service.
pub(crate) fn service_code<E, R>(err: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match err {
        SdkError::ServiceError(service) => service.err().code(),
        _ => None,
    }
}
