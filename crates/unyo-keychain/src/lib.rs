//! Unyo's secrets (long-lived AWS access keys, cached MFA sessions) in the OS keychain and
//! nowhere else: the macOS Keychain, the Windows Credential Manager, or on Linux the Secret
//! Service (GNOME Keyring, KWallet) with the kernel keyring as the fallback when none answers.
//!
//! Non-goals: no cache and no in-memory store. Every `get` asks the OS, because a keychain may
//! ask the user's permission per read (aws-vault and Leapp users complain of prompt storms):
//! callers read an item once per use and never poll. Calls block on the OS (D-Bus, Security
//! framework), so async code runs them on `spawn_blocking`.

mod backend;
mod error;
mod store;

pub use backend::Backend;
pub use secrecy::{ExposeSecret, SecretString};
pub use store::{Unavailable, open_store};

use secrecy::zeroize::Zeroizing;
use unyo_core::AppError;

/// The service name Unyo's items live under in the OS keychain.
pub const SERVICE: &str = "unyo";

/// The items of one service in one OS store. It holds no secret, so its `Debug` shows none.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
    backend: Backend,
}

impl Keychain {
    /// The keychain of `service` ([`SERVICE`] for Unyo; tests pass their own) in this OS's
    /// store. On Linux it asks once whether a Secret Service answers and otherwise uses the
    /// kernel keyring, and keeps that choice for the life of the value.
    pub fn open(service: &str) -> Result<Keychain, AppError> {
        Ok(Keychain {
            service: checked_service(service)?,
            backend: Backend::choose()?,
        })
    }

    /// The keychain of `service` in exactly `backend`, which must answer now; tests use it to
    /// exercise both Linux stores.
    pub fn with_backend(service: &str, backend: Backend) -> Result<Keychain, AppError> {
        let service = checked_service(service)?;
        backend.probe()?;
        Ok(Keychain { service, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Stores `secret` as `item`, replacing what was there.
    pub fn put(&self, item: &str, secret: &SecretString) -> Result<(), AppError> {
        // The kernel keyring cannot hold an empty value; refusing it everywhere keeps the
        // stores alike, and an empty access key is a mistake anyway.
        if secret.expose_secret().is_empty() {
            return Err(AppError::invalid_input(format!(
                "an empty secret cannot be stored as \"{item}\"; delete the item instead"
            )));
        }
        self.backend
            .entry(&self.service, item)
            .and_then(|entry| entry.set_password(secret.expose_secret()))
            .map_err(|e| error::from_keyring(self.backend, "store", item, e))
    }

    /// Reads `item`; `None` when there is no such item.
    pub fn get(&self, item: &str) -> Result<Option<SecretString>, AppError> {
        // The store hands over a buffer we own: wipe it once the secret is copied out.
        let bytes = match self
            .backend
            .entry(&self.service, item)
            .and_then(|entry| entry.get_secret())
        {
            Ok(bytes) => Zeroizing::new(bytes),
            Err(keyring::Error::NoEntry) => return Ok(None),
            Err(e) => return Err(error::from_keyring(self.backend, "read", item, e)),
        };
        match std::str::from_utf8(&bytes) {
            // From `&str` the copy is allocated at its exact length, so turning it into the
            // secret's box does not reallocate and leave an unwiped copy behind.
            Ok(text) => Ok(Some(SecretString::from(text))),
            Err(_) => Err(error::not_text(self.backend, item)),
        }
    }

    /// Deletes `item`; deleting an item that does not exist succeeds.
    pub fn delete(&self, item: &str) -> Result<(), AppError> {
        match self
            .backend
            .entry(&self.service, item)
            .and_then(|entry| entry.delete_credential())
        {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(error::from_keyring(self.backend, "delete", item, e)),
        }
    }
}

/// macOS treats an empty service as "any service", which would read other apps' items.
fn checked_service(service: &str) -> Result<String, AppError> {
    if service.is_empty() {
        return Err(AppError::invalid_input(
            "the keychain service name is empty",
        ));
    }
    Ok(service.to_owned())
}
