//! The keychain as Unyo's [`SecretStore`] port, and the store Unyo runs with when no keychain
//! answers: every secret operation then fails with the reason, while everything that needs
//! no secret (AWS-file profiles, the practice account) keeps working.

use unyo_core::AppError;
use unyo_core::secret::{SecretStore, SecretString};

use crate::Keychain;

impl SecretStore for Keychain {
    fn put(&self, item: &str, secret: &SecretString) -> Result<(), AppError> {
        Keychain::put(self, item, secret)
    }

    fn get(&self, item: &str) -> Result<Option<SecretString>, AppError> {
        Keychain::get(self, item)
    }

    fn delete(&self, item: &str) -> Result<(), AppError> {
        Keychain::delete(self, item)
    }
}

/// No keychain: why, repeated on every use.
#[derive(Debug, Clone)]
pub struct Unavailable(pub AppError);

impl SecretStore for Unavailable {
    fn put(&self, _: &str, _: &SecretString) -> Result<(), AppError> {
        Err(self.0.clone())
    }

    fn get(&self, _: &str) -> Result<Option<SecretString>, AppError> {
        Err(self.0.clone())
    }

    fn delete(&self, _: &str) -> Result<(), AppError> {
        Err(self.0.clone())
    }
}

/// Unyo's keychain, or the reason there is none.
pub fn open_store(service: &str) -> std::sync::Arc<dyn SecretStore> {
    match Keychain::open(service) {
        Ok(keychain) => std::sync::Arc::new(keychain),
        Err(err) => {
            tracing::warn!("no keychain: {}", err.message);
            std::sync::Arc::new(Unavailable(err))
        }
    }
}
