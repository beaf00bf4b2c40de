//! A failed read as the reason a fact is unknown: denied, not available (an emulator or a
//! partition without the call), or failed for another reason.

use aws_sdk_ec2::config::http::HttpResponse;
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use unyo_core::ErrorCode;
use unyo_core::readiness::{Fact, UnknownReason};

/// The longest error text kept in a fact; an emulator's HTML error page is not evidence.
const DETAIL_LIMIT: usize = 240;

pub(crate) fn from_sdk<T, E>(action: &str, err: &SdkError<E, HttpResponse>) -> Fact<T>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if let SdkError::ServiceError(service) = err {
        let status = service.raw().status().as_u16();
        if service.err().code().is_none() && matches!(status, 404 | 500 | 501) {
            return Fact::unknown(
                UnknownReason::Unsupported,
                format!("{action} answered HTTP {status} without an AWS error"),
            );
        }
    }
    let mapped = crate::from_sdk(err);
    let reason = match mapped.code {
        ErrorCode::AccessDenied => UnknownReason::Denied,
        _ => UnknownReason::Failed,
    };
    let mut detail = format!("{action}: {}", mapped.message);
    if detail.len() > DETAIL_LIMIT {
        let mut end = DETAIL_LIMIT;
        while !detail.is_char_boundary(end) {
            end -= 1;
        }
        detail.truncate(end);
        detail.push('…');
    }
    Fact::unknown(reason, detail)
}

/// A fact not asked for because `fact`, which it depends on, is unknown.
pub(crate) fn again<T, U>(fact: &Fact<U>) -> Fact<T> {
    let detail = match fact {
        Fact::Unknown { detail, .. } => format!("it depends on {detail}"),
        Fact::Known { .. } => "it depends on a fact that was not read".to_owned(),
    };
    Fact::unknown(UnknownReason::NotGathered, detail)
}
