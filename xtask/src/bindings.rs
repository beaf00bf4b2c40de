//! The TypeScript bindings ts-rs generates from the IPC types, and the check that the
//! committed ones are current.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::paths;
use crate::process::{self, cmd};
use crate::ui::APP_FEATURES;

fn committed_dir() -> PathBuf {
    paths::ui()
        .join("src")
        .join("lib")
        .join("ipc")
        .join("bindings")
}

/// Runs ts-rs's export tests with their output sent to `dir`.
fn export_to(dir: &Path) -> Result<()> {
    let mut command = cmd(
        "cargo",
        &[
            "test",
            "--workspace",
            "--features",
            APP_FEATURES,
            "--quiet",
            "export_bindings",
        ],
        &paths::root(),
    );
    command.env("TS_RS_EXPORT_DIR", dir);
    process::run(&mut command)
}

/// `cargo xtask bindings`: replace the committed bindings with freshly generated ones.
pub fn regenerate() -> Result<()> {
    // The app crate embeds ui/dist at compile time and its tests are among the exporters:
    // without a UI build, the first `cargo xtask bindings` on a fresh clone cannot compile.
    if !paths::ui().join("dist").exists() {
        crate::ui::build_ui()?;
    }
    let dir = committed_dir();
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    export_to(&dir)?;
    println!("xtask: bindings written to {}", dir.display());
    Ok(())
}

/// Fails when the committed bindings differ from what the Rust types generate now.
pub fn check() -> Result<()> {
    let fresh = paths::target_dir().join("bindings-check");
    if fresh.exists() {
        std::fs::remove_dir_all(&fresh).with_context(|| format!("removing {}", fresh.display()))?;
    }
    export_to(&fresh)?;
    let (want, have) = (read_dir(&fresh)?, read_dir(&committed_dir())?);
    let mut problems = Vec::new();
    for (name, text) in &want {
        match have.get(name) {
            None => problems.push(format!("{name} is missing")),
            Some(old) if old != text => problems.push(format!("{name} is out of date")),
            Some(_) => {}
        }
    }
    problems.extend(
        have.keys()
            .filter(|n| !want.contains_key(*n))
            .map(|n| format!("{n} is stale (no Rust type exports it)")),
    );
    if !problems.is_empty() {
        bail!(
            "the TypeScript bindings do not match the Rust types:\n  {}\nrun `cargo xtask bindings` and commit the result",
            problems.join("\n  ")
        );
    }
    println!("xtask: {} TypeScript bindings are current", want.len());
    Ok(())
}

fn read_dir(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    let entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_file() {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.insert(
                name,
                std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?,
            );
        }
    }
    Ok(files)
}
