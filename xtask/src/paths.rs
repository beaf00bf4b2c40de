//! Where things are: the workspace, the target dir, the tool caches.

use std::path::{Path, PathBuf};

/// The workspace root. `cargo xtask` sets `CARGO_MANIFEST_DIR` when it runs us; that wins over
/// the compile-time value because one target dir serves several checkouts (CI's cache) and
/// cargo does not rebuild xtask when only the checkout's path changed.
pub fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Honours `CARGO_TARGET_DIR` (CI keeps one across runs), else the workspace's `target/`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

pub fn ui() -> PathBuf {
    root().join("ui")
}

pub fn e2e() -> PathBuf {
    root().join("tests").join("e2e")
}

/// Tools the tests install (the emulator's virtualenv); kept beside the build cache.
pub fn tools() -> PathBuf {
    target_dir().join("tools")
}

/// Artifacts of a test run a person looks at, always under the workspace's own `target/`.
pub fn artifacts() -> PathBuf {
    root().join("target").join("artifacts")
}

pub fn app_binary(release: bool) -> PathBuf {
    let profile = if release { "release" } else { "debug" };
    let name = if cfg!(windows) {
        "unyo-app.exe"
    } else {
        "unyo-app"
    };
    target_dir().join(profile).join(name)
}
