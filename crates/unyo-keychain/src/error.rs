//! keyring's errors as Unyo's `{ code, message }`. A message names the item and the store and
//! says what to do on this OS; it never carries a secret, not even the bytes of one that
//! failed to decode.

use secrecy::zeroize::Zeroize;
use unyo_core::{AppError, ErrorCode};

use crate::Backend;

/// `action` is a verb for the message: "store", "read", "delete".
pub(crate) fn from_keyring(
    backend: Backend,
    action: &str,
    item: &str,
    err: keyring::Error,
) -> AppError {
    use keyring::Error as E;
    match err {
        // keyring reports a locked or absent store (a locked Secret Service collection, a
        // dismissed prompt, a missing keychain) as NoStorageAccess, and anything else the OS
        // refused as PlatformFailure; either way the user's next step is the same.
        E::NoStorageAccess(cause) | E::PlatformFailure(cause) => unavailable(
            backend,
            format!("the {backend} could not {action} \"{item}\": {cause}"),
        ),
        E::Ambiguous(matches) => unavailable(
            backend,
            format!(
                "{} items in the {backend} match \"{item}\", so Unyo cannot tell which to \
                 {action}; delete all but one",
                matches.len()
            ),
        ),
        E::TooLong(attribute, limit) => AppError::invalid_input(format!(
            "the {attribute} of \"{item}\" is longer than the {backend} allows ({limit} characters)"
        )),
        E::Invalid(attribute, reason) => AppError::invalid_input(format!(
            "the {backend} refused \"{item}\": its {attribute} {reason}"
        )),
        E::BadEncoding(mut bytes) => {
            bytes.zeroize();
            not_text(backend, item)
        }
        other => AppError::new(
            ErrorCode::Internal,
            format!("the {backend} could not {action} \"{item}\": {other}"),
        ),
    }
}

pub(crate) fn not_text(backend: Backend, item: &str) -> AppError {
    AppError::invalid_input(format!(
        "\"{item}\" in the {backend} is not UTF-8 text; delete it and store the secret again"
    ))
}

/// `what` went wrong with `backend`, followed by what to do about it on this OS.
pub(crate) fn unavailable(backend: Backend, what: String) -> AppError {
    AppError::new(
        ErrorCode::KeychainUnavailable,
        format!("{what}. {}", backend.advice()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locked() -> keyring::Error {
        keyring::Error::NoStorageAccess("collection is locked".into())
    }

    #[test]
    fn a_locked_store_says_what_to_do_on_each_os() {
        for (backend, advice) in [
            (Backend::MacosKeychain, "Always Allow"),
            (
                Backend::WindowsCredentialManager,
                "Credential Manager service",
            ),
            (Backend::SecretService, "unlock the default keyring"),
            (Backend::KernelKeyutils, "forgets secrets at logout"),
        ] {
            let err = from_keyring(backend, "read", "aws/prod", locked());
            assert_eq!(err.code, ErrorCode::KeychainUnavailable);
            assert!(err.message.contains(advice), "{backend}: {}", err.message);
            assert!(err.message.contains("\"aws/prod\""), "{}", err.message);
            assert!(
                err.message.contains("collection is locked"),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn a_platform_failure_is_unavailable_too() {
        let cause = keyring::Error::PlatformFailure("org.freedesktop.DBus.Error.NoReply".into());
        let err = from_keyring(Backend::SecretService, "store", "aws/dev", cause);
        assert_eq!(err.code, ErrorCode::KeychainUnavailable);
    }

    #[test]
    fn undecodable_bytes_never_reach_the_message() {
        let secret = b"wJalrXUtnFEMI\xff".to_vec();
        let err = from_keyring(
            Backend::SecretService,
            "read",
            "aws/prod",
            keyring::Error::BadEncoding(secret),
        );
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(!err.message.contains("wJalrXUtnFEMI"), "{}", err.message);
        assert!(
            !err.message.contains("119"),
            "no byte values: {}",
            err.message
        );
    }

    #[test]
    fn names_the_store_rejects_are_invalid_input() {
        let too_long = keyring::Error::TooLong("user".into(), 513);
        let err = from_keyring(Backend::WindowsCredentialManager, "store", "x", too_long);
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.contains("513"), "{}", err.message);

        let invalid = keyring::Error::Invalid("secret".into(), "cannot be empty".into());
        let err = from_keyring(Backend::KernelKeyutils, "store", "x", invalid);
        assert_eq!(err.code, ErrorCode::InvalidInput);
    }
}
