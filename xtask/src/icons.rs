//! App icons: every size and format the bundles need, generated from `icons/unyo.svg` by the
//! Tauri CLI into `src-tauri/icons` (desktop sizes only).

use anyhow::{Context, Result};

use crate::paths;
use crate::process::{self, cmd};
use crate::setup;

pub fn run() -> Result<()> {
    let ui = paths::ui();
    setup::npm_packages(&ui)?;
    let source = paths::root().join("icons").join("unyo.svg");
    let out = paths::root().join("src-tauri").join("icons");
    let (source, out_arg) = (source.display().to_string(), out.display().to_string());
    process::run(&mut cmd(
        setup::node_bin("tauri"),
        &["icon", &source, "-o", &out_arg],
        &ui,
    ))?;
    // The CLI also writes mobile icons; Unyo is a desktop app.
    for mobile in ["android", "ios"] {
        let dir = out.join(mobile);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
    }
    Ok(())
}
