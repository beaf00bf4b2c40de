//! What a probe checks, as data the catalog, the UI and the CLI share.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::AppError;
use crate::localized::Localized;

/// One thing to check on a host. Linux probes run in `sh`; Windows ones in PowerShell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum Probe {
    /// `systemctl is-active SERVICE` says `active`.
    ServiceActive { service: String },
    /// `systemctl is-enabled SERVICE` says `enabled` (it starts at boot).
    ServiceEnabled { service: String },
    /// A configuration test exits 0, e.g. `sshd -t`.
    ConfigTest { command: String },
    /// The file exists, owned by `owner` when given, its mode no wider than `max_mode` (octal
    /// digits as written, e.g. `644`).
    FileMode {
        path: String,
        owner: Option<String>,
        max_mode: String,
    },
    /// Something listens on TCP `port`.
    PortListening { port: u16 },
    /// A process of this name runs.
    ProcessRunning { process: String },
    /// The file system holding `path` is at most `max_percent` full.
    DiskUsage { path: String, max_percent: u8 },
    /// `url` answers with a 2xx or 3xx status, from the host itself.
    HttpAnswers { url: String },
    /// The Windows service runs (`Get-Service`).
    WindowsServiceRunning { service: String },
}

impl Probe {
    /// Whether the probe runs on Windows (PowerShell) rather than Linux (`sh`).
    pub fn is_windows(&self) -> bool {
        matches!(self, Self::WindowsServiceRunning { .. })
    }

    /// Refuses a probe that could never be judged: an empty name, port 0, a mode that is not
    /// three or four octal digits, a limit above 100 %, a URL that is not http(s), or a
    /// value with a line break (each probe is one line of its section).
    pub fn validate(&self) -> Result<(), AppError> {
        let text = |what: &str, value: &str| {
            if value.trim().is_empty() {
                Err(AppError::invalid_input(format!("the check needs {what}")))
            } else if value.contains(['\n', '\r']) {
                Err(AppError::invalid_input(format!(
                    "{what} must be on one line"
                )))
            } else {
                Ok(())
            }
        };
        match self {
            Self::ServiceActive { service }
            | Self::ServiceEnabled { service }
            | Self::WindowsServiceRunning { service } => text("a service name", service),
            Self::ConfigTest { command } => text("a command", command),
            Self::ProcessRunning { process } => text("a process name", process),
            Self::FileMode {
                path,
                owner,
                max_mode,
            } => {
                text("a path", path)?;
                if let Some(owner) = owner {
                    text("an owner", owner)?;
                }
                let octal = (3..=4).contains(&max_mode.len())
                    && max_mode.chars().all(|c| ('0'..='7').contains(&c));
                if octal {
                    Ok(())
                } else {
                    Err(AppError::invalid_input(format!(
                        "the mode {max_mode} is not three or four octal digits, such as 644"
                    )))
                }
            }
            Self::PortListening { port } if *port == 0 => {
                Err(AppError::invalid_input("port 0 cannot listen"))
            }
            Self::PortListening { .. } => Ok(()),
            Self::DiskUsage { path, max_percent } => {
                text("a path", path)?;
                if *max_percent > 100 {
                    Err(AppError::invalid_input(format!(
                        "{max_percent}% is more than a disk can be full"
                    )))
                } else {
                    Ok(())
                }
            }
            Self::HttpAnswers { url } => {
                text("a URL", url)?;
                if url.starts_with("http://") || url.starts_with("https://") {
                    Ok(())
                } else {
                    Err(AppError::invalid_input(format!(
                        "{url} is not an http:// or https:// URL"
                    )))
                }
            }
        }
    }

    /// What the probe checks, in a few words.
    pub fn describe(&self) -> Localized {
        match self {
            Self::ServiceActive { service } => Localized::new(
                format!("{service} is active"),
                format!("{service} が稼働中"),
            ),
            Self::ServiceEnabled { service } => Localized::new(
                format!("{service} starts at boot"),
                format!("{service} が起動時に有効"),
            ),
            Self::ConfigTest { command } => {
                Localized::new(format!("`{command}` passes"), format!("`{command}` が成功"))
            }
            Self::FileMode {
                path,
                owner,
                max_mode,
            } => {
                let owner_en = owner
                    .as_ref()
                    .map(|o| format!(", owned by {o}"))
                    .unwrap_or_default();
                let owner_ja = owner
                    .as_ref()
                    .map(|o| format!("所有者 {o}、"))
                    .unwrap_or_default();
                Localized::new(
                    format!("{path} exists{owner_en}, mode at most {max_mode}"),
                    format!("{path} が存在し、{owner_ja}モードが {max_mode} 以下"),
                )
            }
            Self::PortListening { port } => Localized::new(
                format!("port {port} is listening"),
                format!("ポート {port} で待ち受け中"),
            ),
            Self::ProcessRunning { process } => Localized::new(
                format!("{process} is running"),
                format!("{process} のプロセスが実行中"),
            ),
            Self::DiskUsage { path, max_percent } => Localized::new(
                format!("{path} is at most {max_percent}% full"),
                format!("{path} の使用率が {max_percent}% 以下"),
            ),
            Self::HttpAnswers { url } => {
                Localized::new(format!("{url} answers"), format!("{url} が応答"))
            }
            Self::WindowsServiceRunning { service } => Localized::new(
                format!("Windows service {service} is running"),
                format!("Windows サービス {service} が実行中"),
            ),
        }
    }
}
