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
            Some("RequestTimeTooSkewed" | "InvalidSignatureException")
                if message.contains("skew") || message.contains("Signature expired") =>
            {
                ErrorCode::ClockSkew
            }
            _ => ErrorCode::Internal,
        },
        SdkError::TimeoutError(_) => ErrorCode::Network,
        SdkError::DispatchFailure(failure) if failure.is_io() || failure.is_timeout() => {
            ErrorCode::Network
        }
        // Credentials that could not be resolved (no keys, unknown profile, a failing
        // credential_process) stop the request before it is sent.
        SdkError::DispatchFailure(_) | SdkError::ConstructionFailure(_) => {
            ErrorCode::CredentialsInvalid
        }
        _ => ErrorCode::Internal,
    };
    AppError::new(code, message)
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
