//! `cargo xtask test`: every check CI runs, in the order that fails fastest. Each step's
//! result is listed at the end, followed by a `N passed, N failed` line.

use std::time::Instant;

use anyhow::{Result, bail};

use crate::paths;
use crate::process::{self, cmd};
use crate::setup::{self, Purpose};
use crate::ui::{self, APP_FEATURES};
use crate::{bindings, e2e};

type Step = (&'static str, Box<dyn FnOnce() -> Result<()>>);

pub fn run(with_e2e: bool) -> Result<()> {
    let started = Instant::now();
    setup::system(if with_e2e {
        Purpose::Test
    } else {
        Purpose::Build
    })?;
    let tauri_driver = if with_e2e {
        Some(setup::tauri_driver()?)
    } else {
        None
    };
    let moto = setup::moto()?;
    println!("xtask: AWS emulator ready at {}", moto.display());

    let root = paths::root();
    let ui_dir = paths::ui();
    let cargo = |args: &'static [&'static str]| {
        let root = root.clone();
        move || process::run(&mut cmd("cargo", args, &root))
    };
    let npm_script = |script: &'static str| {
        let dir = ui_dir.clone();
        move || process::run(&mut cmd(setup::npm(), &["run", "--silent", script], &dir))
    };

    let mut steps: Vec<Step> = vec![
        (
            "cargo fmt --check",
            Box::new(cargo(&["fmt", "--all", "--check"])),
        ),
        ("UI build", Box::new(ui::build_ui)),
        ("biome", Box::new(npm_script("lint"))),
        ("svelte-check", Box::new(npm_script("check"))),
        ("UI tests (vitest)", Box::new(npm_script("test"))),
        ("TypeScript bindings are current", Box::new(bindings::check)),
        (
            "clippy",
            Box::new(cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--features",
                APP_FEATURES,
                "--",
                "-D",
                "warnings",
            ])),
        ),
        (
            "Rust tests",
            Box::new(cargo(&["test", "--workspace", "--features", APP_FEATURES])),
        ),
    ];
    if let Some(driver) = tauri_driver {
        steps.push(("app build", Box::new(|| ui::build_app(false))));
        steps.push((
            "end-to-end tests (WebDriver)",
            Box::new(move || e2e::run(&driver)),
        ));
    }

    let mut results = Vec::new();
    for (name, step) in steps {
        println!("\n== {name}");
        let step_started = Instant::now();
        let outcome = step();
        if let Err(e) = &outcome {
            eprintln!("xtask: {name} failed: {e:#}");
        }
        results.push((name, outcome.is_ok(), step_started.elapsed()));
    }

    println!("\n== summary ({:.0} s)", started.elapsed().as_secs_f64());
    for (name, ok, took) in &results {
        println!(
            "{} {name} ({:.0} s)",
            if *ok { "ok  " } else { "FAIL" },
            took.as_secs_f64()
        );
    }
    let failed = results.iter().filter(|(_, ok, _)| !ok).count();
    println!("checks: {} passed, {failed} failed", results.len() - failed);
    if failed > 0 {
        bail!("{failed} of {} checks failed", results.len());
    }
    Ok(())
}
