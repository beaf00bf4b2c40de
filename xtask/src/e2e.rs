//! End-to-end tests: the real app binary under Xvfb, driven through tauri-driver and
//! WebKitWebDriver by the tests in `tests/e2e`. Screenshots land in
//! `target/artifacts/screenshots`.

use std::path::Path;

use anyhow::{Context, Result};

use crate::paths;
use crate::process;
use crate::setup;

/// Sets up what the end-to-end tests need, builds the UI and the app, and runs `files` only.
pub fn run_only(files: &[String]) -> Result<()> {
    setup::system(setup::Purpose::Test)?;
    let driver = setup::tauri_driver()?;
    crate::ui::build_ui()?;
    crate::ui::build_app(false)?;
    run_files(&driver, files)
}

pub fn run(tauri_driver: &Path) -> Result<()> {
    run_files(tauri_driver, &[])
}

/// Every test file when `files` is empty.
fn run_files(tauri_driver: &Path, files: &[String]) -> Result<()> {
    let e2e = paths::e2e();
    setup::npm_packages(&e2e)?;

    // A hermetic world: a HOME holding only the fixture AWS files, fresh config and data
    // dirs, so the run never reads the developer's ~/.aws nor keeps settings between runs.
    let world = paths::artifacts().join("e2e-world");
    if world.exists() {
        std::fs::remove_dir_all(&world).with_context(|| format!("removing {}", world.display()))?;
    }
    let home = world.join("home");
    copy_tree(&e2e.join("fixtures").join("home"), &home)?;
    let screenshots = paths::artifacts().join("screenshots");
    std::fs::create_dir_all(&screenshots)?;

    let mut args = vec!["test"];
    if !files.is_empty() {
        args.push("--");
        args.extend(files.iter().map(String::as_str));
    }
    let mut command = process::headless(setup::npm(), &args, &e2e);
    command
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", world.join("config"))
        .env("XDG_DATA_HOME", world.join("data"))
        .env("XDG_CACHE_HOME", world.join("cache"))
        .env("XDG_RUNTIME_DIR", world.join("runtime"))
        // Always present, unlike en_US.UTF-8; Unyo falls back to English for it.
        .env("LANG", "C.UTF-8")
        .env_remove("AWS_CONFIG_FILE")
        .env_remove("AWS_SHARED_CREDENTIALS_FILE")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        // Tests that need AWS start this emulator on loopback and point the app at it.
        .env("UNYO_MOTO_SERVER", setup::moto()?)
        // The secret scan searches everything the app may write: this whole world.
        .env("UNYO_E2E_WORLD", &world)
        .env("UNYO_APP_BINARY", paths::app_binary(false))
        .env("UNYO_TAURI_DRIVER", tauri_driver)
        .env("UNYO_SCREENSHOT_DIR", &screenshots);
    let runtime = world.join("runtime");
    std::fs::create_dir_all(&runtime)?;
    restrict(&runtime)?;
    process::run(&mut command)?;
    println!("xtask: screenshots in {}", screenshots.display());
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// XDG_RUNTIME_DIR must be private to its user, or GLib ignores it.
#[cfg(unix)]
fn restrict(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("restricting {}", dir.display()))
}

#[cfg(not(unix))]
fn restrict(_dir: &Path) -> Result<()> {
    Ok(())
}
