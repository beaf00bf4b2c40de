//! `cargo xtask bundle`: a release build packaged by the Tauri bundler.

use anyhow::Result;

use crate::paths;
use crate::process::{self, cmd};
use crate::setup::{self, Purpose};
use crate::ui;

pub fn run(bundles: &str) -> Result<()> {
    setup::system(Purpose::Build)?;
    ui::build_ui()?;
    // The Tauri CLI turns on `tauri/custom-protocol` for release builds itself.
    process::run(&mut cmd(
        setup::node_bin("tauri"),
        &["build", "--bundles", bundles],
        &paths::root().join("src-tauri"),
    ))?;
    println!(
        "xtask: packages are in {}",
        paths::target_dir().join("release").join("bundle").display()
    );
    Ok(())
}
