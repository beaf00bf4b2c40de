//! The system's own clients for a tunnel: the browser for web ports, an SSH client in a
//! terminal, a remote desktop client. Only clients that are installed are offered.

use std::path::Path;
use std::process::Command;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unyo_core::{AppError, ErrorCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Client {
    Browser,
    Ssh,
    RemoteDesktop,
}

/// The clients this computer has.
pub fn available() -> Vec<Client> {
    let mut found = vec![Client::Browser];
    if ssh_command("127.0.0.1:22").is_some() {
        found.push(Client::Ssh);
    }
    if rdp_command("127.0.0.1:3389").is_some() {
        found.push(Client::RemoteDesktop);
    }
    found
}

/// Starts `client` on `address` (`host:port`), detached from Unyo.
pub fn launch(client: Client, address: &str) -> Result<(), AppError> {
    let missing = |what: &str| {
        AppError::new(
            ErrorCode::Unsupported,
            format!("no {what} was found on this computer; connect your own client to {address}"),
        )
    };
    let mut command = match client {
        Client::Browser => {
            return open::that_detached(format!("http://{address}/")).map_err(|e| {
                AppError::new(
                    ErrorCode::Unsupported,
                    format!("cannot open the browser: {e}"),
                )
            });
        }
        Client::Ssh => ssh_command(address).ok_or_else(|| missing("SSH client and terminal"))?,
        Client::RemoteDesktop => {
            rdp_command(address).ok_or_else(|| missing("remote desktop client"))?
        }
    };
    command.spawn().map(|_| ()).map_err(|e| {
        AppError::new(
            ErrorCode::Unsupported,
            format!("cannot start the client: {e}"),
        )
    })
}

fn split(address: &str) -> (&str, &str) {
    address.rsplit_once(':').unwrap_or((address, "22"))
}

/// `ssh -p PORT HOST` in a new terminal window.
fn ssh_command(address: &str) -> Option<Command> {
    let (host, port) = split(address);
    if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(format!("ssh://{host}:{port}"));
        return Some(c);
    }
    if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", "ssh", "-p", port, host]);
        return on_path("ssh").then_some(c);
    }
    if !on_path("ssh") {
        return None;
    }
    let terminal = ["x-terminal-emulator", "gnome-terminal", "konsole", "xterm"]
        .into_iter()
        .find(|t| on_path(t))?;
    let mut c = Command::new(terminal);
    c.args(["-e", "ssh", "-p", port, host]);
    Some(c)
}

/// The platform's remote desktop client, pointed at the tunnel.
fn rdp_command(address: &str) -> Option<Command> {
    if cfg!(windows) {
        let mut c = Command::new("mstsc");
        c.arg(format!("/v:{address}"));
        return Some(c);
    }
    if cfg!(target_os = "macos") {
        let installed = [
            "/Applications/Windows App.app",
            "/Applications/Microsoft Remote Desktop.app",
        ]
        .iter()
        .any(|app| Path::new(app).exists());
        let mut c = Command::new("open");
        c.arg(format!("rdp://full%20address=s:{address}"));
        return installed.then_some(c);
    }
    if let Some(freerdp) = ["xfreerdp3", "xfreerdp"].into_iter().find(|p| on_path(p)) {
        let mut c = Command::new(freerdp);
        c.arg(format!("/v:{address}"));
        return Some(c);
    }
    on_path("remmina").then(|| {
        let mut c = Command::new("remmina");
        c.args(["-c", &format!("rdp://{address}")]);
        c
    })
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| {
            let candidate = dir.join(program);
            candidate.is_file() || candidate.with_extension("exe").is_file()
        })
    })
}
