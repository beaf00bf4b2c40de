//! Building the UI and the app, and `cargo xtask run`.

use std::path::Path;
use std::time::SystemTime;

use anyhow::Result;

use crate::paths;
use crate::process::{self, cmd};
use crate::setup::{self, Purpose};

/// Cargo features every app build uses, so tests, e2e and benchmarks share one compile.
pub const APP_FEATURES: &str = "unyo-app/custom-protocol";

/// `cargo xtask run`: set up, build, open.
pub fn run_app(release: bool, open: bool) -> Result<()> {
    setup::system(Purpose::Build)?;
    build_ui()?;
    build_app(release)?;
    if open {
        let binary = paths::app_binary(release);
        process::run(&mut cmd(&binary, &[], &paths::root()))?;
    }
    Ok(())
}

/// Installs the UI's packages and builds `ui/dist` when any source is newer than it.
pub fn build_ui() -> Result<()> {
    let ui = paths::ui();
    setup::npm_packages(&ui)?;
    let built = mtime(&ui.join("dist").join("index.html"));
    let newest_source = ["src", "index.html", "package-lock.json", "vite.config.ts"]
        .iter()
        .map(|p| newest(&ui.join(p)))
        .max()
        .flatten();
    if built.is_some() && built >= newest_source {
        return Ok(());
    }
    process::run(&mut cmd(setup::npm(), &["run", "--silent", "build"], &ui))
}

pub fn build_app(release: bool) -> Result<()> {
    let mut args = vec!["build", "-p", "unyo-app", "--features", APP_FEATURES];
    if release {
        args.push("--release");
    }
    process::run(&mut cmd("cargo", &args, &paths::root()))
}

fn mtime(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

/// The newest modification time of a file, or of any file under a folder.
fn newest(path: &Path) -> Option<SystemTime> {
    let own = mtime(path);
    let Ok(entries) = std::fs::read_dir(path) else {
        return own;
    };
    entries
        .flatten()
        .map(|e| newest(&e.path()))
        .chain(std::iter::once(own))
        .max()
        .flatten()
}
