//! The OS stores Unyo can keep secrets in: which ones this OS has, how to tell whether one
//! answers, what to tell the user when it does not, and the keyring credential for an item.

use std::fmt;

use keyring::Entry;
use keyring::credential::Credential;
use unyo_core::AppError;

use crate::error;

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
compile_error!("Unyo keeps secrets in the macOS, Windows or Linux keychain; this OS has none");

/// Where a [`crate::Keychain`] keeps its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Backend {
    MacosKeychain,
    WindowsCredentialManager,
    /// GNOME Keyring, KWallet or any other Secret Service on the D-Bus session bus.
    SecretService,
    /// The Linux kernel's session keyring (keyutils): kept in memory, lost at logout or reboot.
    KernelKeyutils,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::MacosKeychain => "macOS Keychain",
            Backend::WindowsCredentialManager => "Windows Credential Manager",
            Backend::SecretService => "Secret Service",
            Backend::KernelKeyutils => "kernel keyring",
        })
    }
}

impl Backend {
    /// What the user can do when this store refuses or does not answer.
    pub(crate) fn advice(self) -> &'static str {
        match self {
            Backend::MacosKeychain => {
                "Open Keychain Access and unlock the \"login\" keychain (or sign out and in \
                 again); when macOS asks whether Unyo may use its keychain items, choose \
                 \"Always Allow\"."
            }
            Backend::WindowsCredentialManager => {
                "Check that the Credential Manager service is running (open services.msc, \
                 select \"Credential Manager\", choose Start) and that you are signed in to \
                 Windows with your own account, not a temporary profile."
            }
            Backend::SecretService => {
                "Start or unlock your keyring: sign in to the desktop, or open Passwords and \
                 Keys (GNOME Keyring) or KWalletManager (KDE) and unlock the default keyring."
            }
            Backend::KernelKeyutils => {
                "No Secret Service (GNOME Keyring, KWallet) answered, so Unyo fell back to the \
                 kernel keyring, which forgets secrets at logout or reboot: start GNOME Keyring \
                 or KWallet to keep them. `keyctl show @s` shows whether this login has a \
                 kernel session keyring."
            }
        }
    }

    fn on_this_os(self) -> bool {
        match self {
            Backend::MacosKeychain => cfg!(target_os = "macos"),
            Backend::WindowsCredentialManager => cfg!(target_os = "windows"),
            Backend::SecretService | Backend::KernelKeyutils => cfg!(target_os = "linux"),
        }
    }

    /// This OS's store. On Linux: the Secret Service when one answers, else the kernel keyring.
    pub(crate) fn choose() -> Result<Backend, AppError> {
        if cfg!(target_os = "macos") {
            Ok(Backend::MacosKeychain)
        } else if cfg!(target_os = "windows") {
            Ok(Backend::WindowsCredentialManager)
        } else {
            match Backend::SecretService.probe() {
                Ok(()) => Ok(Backend::SecretService),
                Err(no_service) => {
                    tracing::warn!(
                        reason = %no_service,
                        "no Secret Service; keeping secrets in the kernel keyring, which forgets them at logout"
                    );
                    Backend::KernelKeyutils.probe()?;
                    Ok(Backend::KernelKeyutils)
                }
            }
        }
    }

    /// Whether this store answers, without reading or writing any item (which could prompt).
    pub(crate) fn probe(self) -> Result<(), AppError> {
        if !self.on_this_os() {
            return Err(error::unavailable(
                self,
                format!("the {self} does not exist on {}", std::env::consts::OS),
            ));
        }
        probe_store(self)
    }

    /// The keyring entry for `item` of `service` in this store, which is this OS's.
    pub(crate) fn entry(self, service: &str, item: &str) -> keyring::Result<Entry> {
        credential(self, service, item).map(Entry::new_with_credential)
    }
}

#[cfg(target_os = "linux")]
fn probe_store(backend: Backend) -> Result<(), AppError> {
    use dbus_secret_service::{EncryptionType, SecretService};

    if backend == Backend::SecretService {
        // New items go to the default collection, so a service without one (as on WSL) is
        // as good as none. Looking the collection up neither unlocks it nor prompts.
        SecretService::connect(EncryptionType::Plain)
            .and_then(|service| service.get_default_collection().map(drop))
            .map_err(|e| {
                error::unavailable(
                    backend,
                    format!("no Secret Service with a default keyring answered: {e}"),
                )
            })
    } else {
        // Building a credential looks up the session keyring, the part that can be missing.
        credential(backend, crate::SERVICE, "probe")
            .map(drop)
            .map_err(|e| error::from_keyring(backend, "open", "the session keyring", e))
    }
}

#[cfg(not(target_os = "linux"))]
fn probe_store(_: Backend) -> Result<(), AppError> {
    // The macOS Keychain and the Credential Manager are always there; whether they are
    // locked shows on first use, when the OS can ask the user.
    Ok(())
}

#[cfg(target_os = "linux")]
fn credential(backend: Backend, service: &str, item: &str) -> keyring::Result<Box<Credential>> {
    use keyring::keyutils::KeyutilsCredential;
    use keyring::secret_service::SsCredential;

    Ok(if backend == Backend::SecretService {
        Box::new(SsCredential::new_with_target(
            Some("default"),
            service,
            item,
        )?)
    } else {
        Box::new(KeyutilsCredential::new_with_target(None, service, item)?)
    })
}

#[cfg(target_os = "macos")]
fn credential(_: Backend, service: &str, item: &str) -> keyring::Result<Box<Credential>> {
    // No target: the user's login keychain.
    let credential = keyring::macos::MacCredential::new_with_target(None, service, item)?;
    Ok(Box::new(credential))
}

#[cfg(target_os = "windows")]
fn credential(_: Backend, service: &str, item: &str) -> keyring::Result<Box<Credential>> {
    // No target: keyring names the credential "item.service", its usual convention.
    let credential = keyring::windows::WinCredential::new_with_target(None, service, item)?;
    Ok(Box::new(credential))
}
