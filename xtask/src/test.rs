//! `cargo xtask test`: every check CI runs, in the order that fails fastest. Each step's
//! result is listed at the end, followed by a `N passed, N failed` line.

use std::time::Instant;

use anyhow::{Result, bail};

use crate::paths;
use crate::process::{self, cmd};
use crate::setup::{self, Purpose};
use crate::ui::{self, APP_FEATURES};
use crate::{bindings, e2e};

struct Step {
    name: &'static str,
    /// A step whose result this one relies on; when that failed, this one is not run.
    needs: Option<&'static str>,
    run: Box<dyn FnOnce() -> Result<()>>,
}

fn step(name: &'static str, run: impl FnOnce() -> Result<()> + 'static) -> Step {
    Step {
        name,
        needs: None,
        run: Box::new(run),
    }
}

fn step_after(
    name: &'static str,
    needs: &'static str,
    run: impl FnOnce() -> Result<()> + 'static,
) -> Step {
    Step {
        name,
        needs: Some(needs),
        run: Box::new(run),
    }
}

pub fn run(with_e2e: bool) -> Result<()> {
    let started = Instant::now();
    setup::system(if with_e2e {
        Purpose::Test
    } else {
        Purpose::RustTests
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
        step("cargo fmt --check", cargo(&["fmt", "--all", "--check"])),
        step("UI build", ui::build_ui),
        step("biome", npm_script("lint")),
        step("svelte-check", npm_script("check")),
        step("UI tests (vitest)", npm_script("test")),
        step("TypeScript bindings are current", bindings::check),
        step(
            "clippy",
            cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--features",
                APP_FEATURES,
                "--",
                "-D",
                "warnings",
            ]),
        ),
        step("Rust tests", move || {
            let args = ["test", "--workspace", "--features", APP_FEATURES];
            // On Linux the keychain tests need a Secret Service and a kernel keyring. The whole
            // step runs inside throwaway ones, so every crate's tests can use the keychain, and
            // the tests fail rather than skip when a store does not answer.
            let mut command = if cfg!(target_os = "linux") {
                process::with_keyring("cargo", &args, &paths::root())
            } else {
                cmd("cargo", &args, &paths::root())
            };
            // Tests that call AWS APIs run them against this emulator on loopback.
            command.env("UNYO_MOTO_SERVER", &moto);
            process::run(&mut command)
        }),
    ];
    if let Some(driver) = tauri_driver {
        // The app embeds ui/dist: without a fresh UI build it would test yesterday's UI.
        steps.push(step_after("app build", "UI build", || ui::build_app(false)));
        steps.push(step_after(
            "end-to-end tests (WebDriver)",
            "app build",
            move || e2e::run(&driver),
        ));
    }

    let mut results: Vec<(&str, bool, std::time::Duration)> = Vec::new();
    for Step { name, needs, run } in steps {
        println!("\n== {name}");
        let step_started = Instant::now();
        let blocked = needs.filter(|n| results.iter().any(|(done, ok, _)| done == n && !ok));
        let outcome = match blocked {
            Some(n) => Err(anyhow::anyhow!("not run because {n} failed")),
            None => run(),
        };
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
