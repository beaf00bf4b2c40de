//! Installing what a fresh machine lacks: system packages (apt on Debian and Ubuntu), the
//! UI's npm packages, tauri-driver and the AWS emulator. Each step checks first, so a second
//! run does nothing. On macOS and Windows it checks prerequisites and says what is missing.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::paths;
use crate::process::{self, cmd};

/// Debian packages needed to build the app (WebKitGTK and friends).
const BUILD_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "pkg-config",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libsecret-1-dev",
    "libdbus-1-dev",
];

/// Debian packages the Rust tests add: a private session bus with GNOME Keyring as its Secret
/// Service, and the kernel keyring's tool, for the keychain tests (`tests/with-keyring.sh`).
const RUST_TEST_PACKAGES: &[&str] = &["dbus", "gnome-keyring", "keyutils"];

/// The programs `tests/with-keyring.sh` runs, checked where xtask cannot install packages.
const KEYRING_TOOLS: &[&str] = &[
    "dbus-run-session",
    "dbus-send",
    "gnome-keyring-daemon",
    "keyctl",
];

/// Debian packages the end-to-end tests and benchmarks add: a virtual display, the WebDriver
/// for WebKitGTK, Chromium for UI tests, fonts for both languages' screenshots.
const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "x11-utils",
    "xdotool",
    "imagemagick",
    "webkit2gtk-driver",
    "dbus-x11",
    "chromium",
    "fonts-dejavu-core",
    "fonts-noto-cjk",
    "python3-venv",
];

const TAURI_DRIVER_VERSION: &str = "2.1.0";
const MOTO_VERSION: &str = "5.2.5";
/// Vite 8 needs this Node.js or newer.
const NODE_MINIMUM: (u32, u32) = (20, 19);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Build,
    /// Building and running the Rust and UI tests, without the end-to-end tests.
    RustTests,
    /// Every test, the end-to-end tests and benchmarks on the real app included.
    Test,
}

/// System prerequisites for building, and for the tests `purpose` runs.
pub fn system(purpose: Purpose) -> Result<()> {
    check_node()?;
    if cfg!(target_os = "linux") {
        if process::exists_on_path("apt-get") && process::exists_on_path("dpkg-query") {
            let mut wanted: Vec<&str> = BUILD_PACKAGES.to_vec();
            if purpose != Purpose::Build {
                wanted.extend(RUST_TEST_PACKAGES);
            }
            if purpose == Purpose::Test {
                wanted.extend(TEST_PACKAGES);
            }
            apt_install(&wanted)
        } else {
            check_pkg_config(
                "webkit2gtk-4.1",
                "WebKitGTK 4.1 development files (webkit2gtk4.1-devel, webkit2gtk-4.1)",
            )?;
            if purpose != Purpose::Build {
                check_keyring_tools()?;
            }
            Ok(())
        }
    } else if cfg!(target_os = "macos") {
        if process::output(&mut cmd("xcode-select", &["-p"], &paths::root())).is_err() {
            bail!(
                "the Xcode Command Line Tools are missing: run `xcode-select --install`, then this command again"
            );
        }
        Ok(())
    } else {
        // Windows 10 and 11 ship the WebView2 runtime; the MSVC toolchain already built xtask.
        Ok(())
    }
}

fn check_node() -> Result<()> {
    let hint = "install Node.js 20.19 or newer (https://nodejs.org or your package manager), then run this command again";
    let version = process::output(&mut cmd("node", &["--version"], &paths::root()))
        .with_context(|| format!("Node.js was not found: {hint}"))?;
    let mut parts = version
        .trim_start_matches('v')
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let found = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if found < NODE_MINIMUM {
        bail!("Node.js {version} is too old: {hint}");
    }
    if !process::exists_on_path("npm") && !process::exists_on_path("npm.cmd") {
        bail!("npm was not found beside Node.js: {hint}");
    }
    Ok(())
}

fn check_pkg_config(library: &str, package_hint: &str) -> Result<()> {
    if process::output(&mut cmd(
        "pkg-config",
        &["--exists", library],
        &paths::root(),
    ))
    .is_err()
    {
        bail!(
            "{library} was not found by pkg-config: install {package_hint} with your distribution's package manager"
        );
    }
    Ok(())
}

fn check_keyring_tools() -> Result<()> {
    let missing: Vec<&str> = KEYRING_TOOLS
        .iter()
        .copied()
        .filter(|tool| !process::exists_on_path(tool))
        .collect();
    if !missing.is_empty() {
        bail!(
            "the keychain tests need {}: install D-Bus, GNOME Keyring and keyutils with your distribution's package manager",
            missing.join(", ")
        );
    }
    Ok(())
}

fn apt_install(packages: &[&str]) -> Result<()> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| !dpkg_installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("xtask: installing system packages: {}", missing.join(" "));
    let sudo = !is_root();
    let apt = |args: &[&str]| {
        let mut command = if sudo {
            let mut c = cmd("sudo", &["apt-get"], &paths::root());
            c.args(args);
            c
        } else {
            cmd("apt-get", args, &paths::root())
        };
        command.env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    process::run(&mut apt(&["update", "-qq"]))?;
    let mut install_args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install_args.extend(&missing);
    process::run(&mut apt(&install_args))
}

fn dpkg_installed(package: &str) -> bool {
    process::output(&mut cmd(
        "dpkg-query",
        &["-W", "-f=${Status}", package],
        &paths::root(),
    ))
    .is_ok_and(|status| status.ends_with("install ok installed"))
}

fn is_root() -> bool {
    process::output(&mut cmd("id", &["-u"], &paths::root())).is_ok_and(|uid| uid == "0")
}

/// `npm ci` in `dir` unless node_modules already matches package-lock.json.
pub fn npm_packages(dir: &Path) -> Result<()> {
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules").join(".unyo-installed-lock");
    let wanted = std::fs::read(&lock).with_context(|| format!("reading {}", lock.display()))?;
    if std::fs::read(&stamp).is_ok_and(|have| have == wanted) {
        return Ok(());
    }
    process::run(&mut cmd(npm(), &["ci", "--no-audit", "--no-fund"], dir))?;
    std::fs::write(&stamp, wanted).with_context(|| format!("writing {}", stamp.display()))
}

/// A command-line tool from the UI's npm packages, such as the Tauri CLI.
pub fn node_bin(name: &str) -> PathBuf {
    let file = if cfg!(windows) {
        format!("{name}.cmd")
    } else {
        name.to_owned()
    };
    paths::ui().join("node_modules").join(".bin").join(file)
}

pub fn npm() -> &'static str {
    if cfg!(windows) { "npm.cmd" } else { "npm" }
}

/// tauri-driver, installed with cargo when missing; returns its path.
pub fn tauri_driver() -> Result<PathBuf> {
    if let Some(on_path) = process::which("tauri-driver") {
        return Ok(on_path);
    }
    let root = paths::tools().join("cargo");
    let installed = root.join("bin").join(if cfg!(windows) {
        "tauri-driver.exe"
    } else {
        "tauri-driver"
    });
    if installed.is_file() {
        return Ok(installed);
    }
    let root_arg = root.display().to_string();
    process::run(&mut cmd(
        "cargo",
        &[
            "install",
            "tauri-driver",
            "--locked",
            "--version",
            TAURI_DRIVER_VERSION,
            "--root",
            &root_arg,
        ],
        &paths::root(),
    ))?;
    Ok(installed)
}

/// The moto server (the AWS emulator) in its own virtualenv; returns the server's path.
pub fn moto() -> Result<PathBuf> {
    python_tool(
        "moto",
        &format!("moto[server]=={MOTO_VERSION}"),
        MOTO_VERSION,
        "moto_server",
    )
}

/// `program` of the pip package `spec`, installed at `version` in a virtualenv of its own
/// (`<label>-venv` under the tools dir, so one tool's pins never move another's), and
/// installed again only when the recorded version differs.
pub fn python_tool(label: &str, spec: &str, version: &str, program: &str) -> Result<PathBuf> {
    let venv = paths::tools().join(format!("{label}-venv"));
    let bin = venv.join(if cfg!(windows) { "Scripts" } else { "bin" });
    let installed = bin.join(program);
    let stamp = venv.join(format!(".unyo-{label}-version"));
    if installed.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|v| v == version) {
        return Ok(installed);
    }
    let python = if process::exists_on_path("python3") {
        "python3"
    } else {
        "python"
    };
    let venv_arg = venv.display().to_string();
    process::run(&mut cmd(python, &["-m", "venv", &venv_arg], &paths::root()))?;
    process::run(&mut cmd(
        bin.join("pip"),
        &["install", "--quiet", "--disable-pip-version-check", spec],
        &paths::root(),
    ))?;
    std::fs::write(&stamp, version).with_context(|| format!("writing {}", stamp.display()))?;
    Ok(installed)
}
