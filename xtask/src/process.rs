//! Running commands with their line echoed first, and errors that name the command.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// A command to run in `dir`, echoed as `$ program args` before it runs.
pub fn cmd(program: impl AsRef<OsStr>, args: &[&str], dir: &Path) -> Command {
    let mut command = Command::new(program);
    command.args(args).current_dir(dir);
    without_cargo_run_env(&mut command);
    command
}

/// Drops what `cargo run` told xtask about itself (`CARGO_PKG_NAME=xtask`,
/// `CARGO_MANIFEST_DIR`, ...). A cargo started with them sees different values for the
/// variables build scripts such as ring's rerun on, so every build from xtask and every build
/// from a shell invalidated the other's, and the whole dependency tree (ring, rustls, the AWS
/// SDK) was rebuilt each time one followed the other.
fn without_cargo_run_env(command: &mut Command) {
    for (name, _) in std::env::vars_os() {
        let Some(text) = name.to_str() else { continue };
        let from_cargo_run = text.starts_with("CARGO_PKG_")
            || text.starts_with("CARGO_MANIFEST_")
            || matches!(
                text,
                "CARGO_CRATE_NAME" | "CARGO_BIN_NAME" | "CARGO_PRIMARY_PACKAGE" | "OUT_DIR"
            );
        if from_cargo_run {
            command.env_remove(&name);
        }
    }
}

/// `program args` inside a private D-Bus session that starts no desktop services on demand
/// (see `tests/session-bus.conf`), with throwaway secret stores: an unlocked GNOME Keyring as
/// the Secret Service and a new kernel session keyring (see `tests/with-keyring.sh`). How the
/// Rust tests and headless runs of the app reach a keychain without touching the user's.
pub fn with_keyring(program: impl AsRef<OsStr>, args: &[&str], dir: &Path) -> Command {
    let tests = crate::paths::root().join("tests");
    let mut command = Command::new("dbus-run-session");
    command
        .arg(format!(
            "--config-file={}",
            tests.join("session-bus.conf").display()
        ))
        .arg("--")
        .arg(tests.join("with-keyring.sh"))
        .arg(program)
        .args(args)
        .current_dir(dir);
    without_cargo_run_env(&mut command);
    command
}

/// `program args` on a virtual display (Xvfb, 1280x800) inside [`with_keyring`]'s private
/// session: how headless runs of the real app (end-to-end tests, benchmarks) start it.
pub fn headless(program: impl AsRef<OsStr>, args: &[&str], dir: &Path) -> Command {
    let mut command = with_keyring("xvfb-run", &["-a", "-s", "-screen 0 1280x800x24"], dir);
    command.arg(program).args(args).env("NO_AT_BRIDGE", "1");
    command
}

pub fn run(command: &mut Command) -> Result<()> {
    let line = describe(command);
    println!("$ {line}");
    let status = command
        .status()
        .with_context(|| format!("could not start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Runs quietly and returns stdout; for probes such as `node --version`.
pub fn output(command: &mut Command) -> Result<String> {
    let line = describe(command);
    let out = command
        .stderr(Stdio::null())
        .output()
        .with_context(|| format!("could not start `{line}`"))?;
    if !out.status.success() {
        bail!("`{line}` failed ({})", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

pub fn exists_on_path(program: &str) -> bool {
    which(program).is_some()
}

pub fn which(program: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        let candidate = dir.join(program);
        let exe = candidate.with_extension(std::env::consts::EXE_EXTENSION);
        [candidate, exe].into_iter().find(|c| c.is_file())
    })
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
