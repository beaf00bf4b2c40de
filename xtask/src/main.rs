//! `cargo xtask`: Unyo's developer commands, in Rust so they run the same on every OS.
//!
//! - `run`: install what is missing, build the UI and the app, open it.
//! - `test`: install every test dependency, run every check CI runs.
//! - `bench startup`: time to a rendered fleet and memory, against a hello-world Tauri app.
//! - `bundle`, `icons`, `bindings`: release packages, icon sizes, TypeScript bindings.

// A build tool talks to its user on the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench;
mod bindings;
mod bundle;
mod e2e;
mod icons;
mod paths;
mod process;
mod setup;
mod test;
mod ui;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "Unyo's setup, build, test and benchmark commands"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Set up this machine, build Unyo and open it.
    Run {
        /// Build with optimizations (slower to build, faster to run).
        #[arg(long)]
        release: bool,
        /// Build only; do not open the app.
        #[arg(long)]
        no_open: bool,
    },
    /// Set up every test dependency and run every check CI runs.
    Test {
        /// Skip the end-to-end tests on the real app (they need Linux with Xvfb).
        #[arg(long)]
        no_e2e: bool,
    },
    /// Build the app and run only these end-to-end test files (e.g. `fleet-aws.test.mjs`),
    /// as `test` runs them all.
    E2e {
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Benchmarks whose numbers go in the issue notes.
    Bench {
        #[command(subcommand)]
        which: bench::Which,
    },
    /// Release build and installable packages (.deb here; AppImage, .app/.dmg, .msi on their OS).
    Bundle {
        /// Bundle formats to build, as Tauri names them.
        #[arg(long, default_value = "deb")]
        bundles: String,
    },
    /// Regenerate the app icons from icons/unyo.svg.
    Icons,
    /// Regenerate the TypeScript bindings in ui/src/lib/ipc/bindings.
    Bindings,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run { release, no_open } => ui::run_app(release, !no_open),
        Command::Test { no_e2e } => test::run(!no_e2e),
        Command::E2e { files } => e2e::run_only(&files),
        Command::Bench { which } => bench::run(which),
        Command::Bundle { bundles } => bundle::run(&bundles),
        Command::Icons => icons::run(),
        Command::Bindings => bindings::regenerate(),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
