//! Probes as one Run Command script: a marked section per probe, so each probe's output and
//! exit status are read back on their own. Linux sections run in `sh`:
//!
//! ```text
//! echo '::unyo-probe:2:begin::'
//! sshd -t 2>&1
//! echo "::unyo-probe:2:end:$?::"
//! ```
//!
//! Windows sections run in PowerShell and say 0 or 1 themselves. Values are quoted for the
//! shell they run in; nothing a probe names can end its section early.

use super::Probe;
use crate::action::shell_quote;

/// The marker that opens probe `index`'s section.
pub fn begin_marker(index: usize) -> String {
    format!("::unyo-probe:{index}:begin::")
}

/// The prefix of the marker that closes probe `index`'s section; the exit status follows.
pub fn end_prefix(index: usize) -> String {
    format!("::unyo-probe:{index}:end:")
}

/// The script's lines (Run Command's `commands` parameter), one section per probe in order.
pub fn lines(probes: &[Probe]) -> Vec<String> {
    let mut lines = Vec::new();
    for (index, probe) in probes.iter().enumerate() {
        if probe.is_windows() {
            lines.push(format!("Write-Output '{}'", begin_marker(index)));
            lines.push(powershell(probe));
            lines.push(format!(
                "Write-Output \"{}$unyoStatus::\"",
                end_prefix(index)
            ));
        } else {
            lines.push(format!("echo '{}'", begin_marker(index)));
            lines.push(format!("{} 2>&1", shell(probe)));
            lines.push(format!("echo \"{}$?::\"", end_prefix(index)));
        }
    }
    lines
}

/// The Linux command whose output and exit status the probe is judged on.
fn shell(probe: &Probe) -> String {
    let q = |s: &str| shell_quote(s);
    match probe {
        Probe::ServiceActive { service } => format!("systemctl is-active {}", q(service)),
        Probe::ServiceEnabled { service } => format!("systemctl is-enabled {}", q(service)),
        // The command is the catalog's or the user's own, run as written.
        Probe::ConfigTest { command } => command.clone(),
        Probe::FileMode { path, .. } => format!("stat -c '%U %a' {}", q(path)),
        Probe::PortListening { .. } => "ss -tln".to_owned(),
        Probe::ProcessRunning { .. } => "ps -eo comm".to_owned(),
        Probe::DiskUsage { path, .. } => format!("df -P {}", q(path)),
        Probe::HttpAnswers { url } => format!(
            "curl -s -o /dev/null -w '%{{http_code}}' --max-time 5 {}",
            q(url)
        ),
        Probe::WindowsServiceRunning { .. } => String::new(),
    }
}

/// The PowerShell statement that prints the probe's evidence and sets `$unyoStatus`.
fn powershell(probe: &Probe) -> String {
    match probe {
        Probe::WindowsServiceRunning { service } => format!(
            "try {{ (Get-Service -Name '{}' -ErrorAction Stop).Status.ToString(); $unyoStatus = 0 }} catch {{ $_.Exception.Message; $unyoStatus = 1 }}",
            service.replace('\'', "''")
        ),
        _ => "$unyoStatus = 127".to_owned(),
    }
}
