//! What other crates rely on besides behaviour, checked on every OS without touching a store.

use unyo_keychain::{Backend, Keychain};

/// The app keeps one keychain in its managed state and uses it from many tasks.
#[test]
fn a_keychain_can_be_shared_across_threads() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<Keychain>();
}

#[test]
fn an_empty_service_is_refused_before_any_store_is_asked() {
    // On macOS an empty service matches every app's items.
    let err = Keychain::open("").unwrap_err();
    assert_eq!(err.code, unyo_core::ErrorCode::InvalidInput);
}

#[test]
fn backends_serialize_as_their_names() {
    let json = serde_json::to_string(&Backend::KernelKeyutils).unwrap();
    assert_eq!(json, "\"KernelKeyutils\"");
}
