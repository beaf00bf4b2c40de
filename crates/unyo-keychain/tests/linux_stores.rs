//! Both Linux stores for real: a GNOME Keyring as the Secret Service and the kernel session
//! keyring, both throwaway ones started by `tests/with-keyring.sh`. Outside that script these
//! tests fail instead of skipping, so a test run without a Secret Service cannot pass.
#![cfg(target_os = "linux")]
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on setup errors"
)]

use std::path::PathBuf;
use std::process::Command;

use unyo_core::ErrorCode;
use unyo_keychain::{Backend, ExposeSecret, Keychain, SecretString};

/// A service name no other test, process or earlier run uses.
fn service(test: &str) -> String {
    assert!(
        std::env::var_os("UNYO_TEST_KEYRING").is_some(),
        "the keychain tests write to the Secret Service and the kernel session keyring: run \
         them through `cargo xtask test`, or inside `dbus-run-session \
         --config-file=tests/session-bus.conf -- tests/with-keyring.sh cargo test ...`, \
         which start throwaway ones"
    );
    format!("unyo-test-{test}-{}", std::process::id())
}

fn keychain(backend: Backend, test: &str) -> Keychain {
    Keychain::with_backend(&service(test), backend)
        .unwrap_or_else(|e| panic!("the {backend} should answer here: {}", e.message))
}

fn secret(text: &str) -> SecretString {
    SecretString::from(text)
}

fn read(keychain: &Keychain, item: &str) -> Option<String> {
    keychain
        .get(item)
        .unwrap()
        .map(|s| s.expose_secret().to_owned())
}

fn round_trip(backend: Backend) {
    let keychain = keychain(backend, "round-trip");
    keychain
        .put(
            "aws/prod/secret-access-key",
            &secret("wJalrXUtnFEMI/K7MDENG"),
        )
        .unwrap();
    assert_eq!(
        read(&keychain, "aws/prod/secret-access-key").as_deref(),
        Some("wJalrXUtnFEMI/K7MDENG")
    );
    assert_eq!(keychain.backend(), backend);
}

fn overwrite(backend: Backend) {
    let keychain = keychain(backend, "overwrite");
    keychain.put("session", &secret("first")).unwrap();
    keychain.put("session", &secret("second, longer")).unwrap();
    assert_eq!(
        read(&keychain, "session").as_deref(),
        Some("second, longer")
    );
}

fn delete(backend: Backend) {
    let keychain = keychain(backend, "delete");
    keychain.put("doomed", &secret("s3cret")).unwrap();
    keychain.delete("doomed").unwrap();
    assert_eq!(read(&keychain, "doomed"), None);
    // Stored again after a delete, it is found again.
    keychain.put("doomed", &secret("back")).unwrap();
    assert_eq!(read(&keychain, "doomed").as_deref(), Some("back"));
}

fn delete_missing(backend: Backend) {
    let keychain = keychain(backend, "delete-missing");
    keychain.delete("never-stored").unwrap();
}

fn get_missing(backend: Backend) {
    let keychain = keychain(backend, "get-missing");
    assert_eq!(read(&keychain, "never-stored"), None);
}

fn unicode(backend: Backend) {
    let keychain = keychain(backend, "unicode");
    let text = "運用 🔑 pässwörd\u{0}tail";
    keychain.put("プロファイル/本番", &secret(text)).unwrap();
    assert_eq!(read(&keychain, "プロファイル/本番").as_deref(), Some(text));
}

fn services_do_not_collide(backend: Backend) {
    let a = keychain(backend, "collide-a");
    let b = keychain(backend, "collide-b");
    a.put("shared-name", &secret("from a")).unwrap();
    b.put("shared-name", &secret("from b")).unwrap();
    assert_eq!(read(&a, "shared-name").as_deref(), Some("from a"));
    assert_eq!(read(&b, "shared-name").as_deref(), Some("from b"));
    a.delete("shared-name").unwrap();
    assert_eq!(read(&a, "shared-name"), None);
    assert_eq!(read(&b, "shared-name").as_deref(), Some("from b"));
}

fn empty_secret_is_refused(backend: Backend) {
    let keychain = keychain(backend, "empty");
    let err = keychain.put("blank", &secret("")).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(read(&keychain, "blank"), None);
}

fn debug_shows_no_secret(backend: Backend) {
    let keychain = keychain(backend, "debug");
    keychain.put("key", &secret("hunter2-secret")).unwrap();
    let got = keychain.get("key").unwrap();
    for shown in [format!("{keychain:?}"), format!("{got:?}")] {
        assert!(!shown.contains("hunter2"), "{shown}");
    }
    assert!(format!("{keychain:?}").contains(&service("debug")));
}

/// One test per behaviour and store, so a failure names both.
macro_rules! store_tests {
    ($store:ident, $backend:expr) => {
        mod $store {
            use super::*;

            #[test]
            fn round_trip() {
                super::round_trip($backend);
            }
            #[test]
            fn overwrite() {
                super::overwrite($backend);
            }
            #[test]
            fn delete() {
                super::delete($backend);
            }
            #[test]
            fn delete_missing() {
                super::delete_missing($backend);
            }
            #[test]
            fn get_missing() {
                super::get_missing($backend);
            }
            #[test]
            fn unicode() {
                super::unicode($backend);
            }
            #[test]
            fn services_do_not_collide() {
                super::services_do_not_collide($backend);
            }
            #[test]
            fn empty_secret_is_refused() {
                super::empty_secret_is_refused($backend);
            }
            #[test]
            fn debug_shows_no_secret() {
                super::debug_shows_no_secret($backend);
            }
        }
    };
}

store_tests!(secret_service, Backend::SecretService);
store_tests!(kernel_keyutils, Backend::KernelKeyutils);

#[test]
fn open_uses_the_secret_service_when_one_answers() {
    let keychain = Keychain::open(&service("open")).unwrap();
    assert_eq!(keychain.backend(), Backend::SecretService);
}

#[test]
fn a_store_from_another_os_is_unavailable() {
    let err = Keychain::with_backend(&service("other-os"), Backend::MacosKeychain).unwrap_err();
    assert_eq!(err.code, ErrorCode::KeychainUnavailable);
}

#[test]
fn the_secret_service_is_unavailable_without_a_bus() {
    let mut command = child("child_forced_secret_service_without_a_bus");
    command.env("DBUS_SESSION_BUS_ADDRESS", NO_BUS);
    assert_passes(command);
}

#[test]
fn open_falls_back_to_the_kernel_keyring_without_a_secret_service() {
    let mut command = child("child_open_without_a_bus");
    command.env("DBUS_SESSION_BUS_ADDRESS", NO_BUS);
    assert_passes(command);
}

#[test]
fn a_locked_keyring_is_unavailable_and_says_to_unlock_it() {
    // Locking the default keyring would break the tests running beside this one, so the child
    // gets a private bus and keyring of its own.
    // The crate's directory at run time, as xtask finds it: one target dir serves several
    // checkouts, and cargo does not rebuild a test when only the checkout's path changed.
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let scripts = crate_dir.join("../../tests");
    let mut command = Command::new("dbus-run-session");
    command
        .arg(format!(
            "--config-file={}",
            scripts.join("session-bus.conf").display()
        ))
        .arg("--")
        .arg(scripts.join("with-keyring.sh"))
        .arg(std::env::current_exe().unwrap())
        .args(child_args("child_locked_keyring"));
    assert_passes(command);
}

/// A session bus address that leads nowhere. The bus is chosen per process, so a child is
/// how one test loses it without taking it from the tests running beside it.
const NO_BUS: &str = "unix:path=/nonexistent/unyo-test-bus";

fn child_args(test: &str) -> [&str; 3] {
    [test, "--exact", "--ignored"]
}

/// One of the ignored `child_` tests below, run by this test binary in a new process.
fn child(test: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(child_args(test));
    command
}

/// The child passed, and did run: a filter that matches no test passes too.
fn assert_passes(mut command: Command) {
    let output = command.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{text}");
    assert!(text.contains("1 passed"), "{text}");
}

#[test]
#[ignore = "run in a child process by the_secret_service_is_unavailable_without_a_bus"]
fn child_forced_secret_service_without_a_bus() {
    let err = Keychain::with_backend(&service("no-bus"), Backend::SecretService).unwrap_err();
    assert_eq!(err.code, ErrorCode::KeychainUnavailable);
    assert!(err.message.contains("unlock"), "{}", err.message);
}

#[test]
#[ignore = "run in a child process by open_falls_back_to_the_kernel_keyring_without_a_secret_service"]
fn child_open_without_a_bus() {
    let keychain = Keychain::open(&service("fallback")).unwrap();
    assert_eq!(keychain.backend(), Backend::KernelKeyutils);
    keychain.put("kept", &secret("in the kernel")).unwrap();
    assert_eq!(read(&keychain, "kept").as_deref(), Some("in the kernel"));
}

#[test]
#[ignore = "run in a private keyring by a_locked_keyring_is_unavailable_and_says_to_unlock_it"]
fn child_locked_keyring() {
    use dbus_secret_service::{EncryptionType, SecretService};

    let keychain = keychain(Backend::SecretService, "locked");
    keychain.put("stored", &secret("before the lock")).unwrap();
    let bus = SecretService::connect(EncryptionType::Plain).unwrap();
    bus.get_default_collection().unwrap().lock().unwrap();

    // No prompt can be shown here, so each call fails instead of waiting for the user.
    let failures = [
        keychain.get("stored").map(drop).unwrap_err(),
        keychain.put("stored", &secret("after")).unwrap_err(),
        keychain.put("new", &secret("after")).unwrap_err(),
        keychain.delete("stored").unwrap_err(),
    ];
    for err in failures {
        assert_eq!(err.code, ErrorCode::KeychainUnavailable, "{}", err.message);
        assert!(
            err.message.contains("unlock the default keyring"),
            "{}",
            err.message
        );
        assert!(!err.message.contains("before the lock"), "{}", err.message);
    }
}
