//! The checks that prove a runbook's goal, whatever the runbook said about itself. A runbook
//! not named here has none of its own; the user adds checks to any runbook.

use super::Probe;

/// What `AWSSupport-TroubleshootSSH` is meant to leave: sshd running and starting at boot,
/// a configuration sshd accepts, `sshd_config` owned by root with a mode no wider than 0644
/// (0600 is AWS's default; its FixAll was seen leaving 0655), and port 22 listening.
pub fn ssh() -> Vec<Probe> {
    vec![
        Probe::ServiceActive {
            service: "sshd".into(),
        },
        Probe::ServiceEnabled {
            service: "sshd".into(),
        },
        Probe::ConfigTest {
            command: "sshd -t".into(),
        },
        Probe::FileMode {
            path: "/etc/ssh/sshd_config".into(),
            owner: Some("root".into()),
            max_mode: "644".into(),
        },
        Probe::PortListening { port: 22 },
    ]
}

/// What `AWSSupport-TroubleshootRDP` is meant to leave: the Remote Desktop service running.
pub fn rdp() -> Vec<Probe> {
    vec![Probe::WindowsServiceRunning {
        service: "TermService".into(),
    }]
}

/// The checks a runbook carries, by its name: empty for a runbook with no known goal on the
/// host (one that only reads, or one whose goal is outside the instance).
pub fn checks_for(runbook: &str) -> Vec<Probe> {
    match runbook {
        "AWSSupport-TroubleshootSSH" => ssh(),
        "AWSSupport-TroubleshootRDP" => rdp(),
        _ => Vec::new(),
    }
}

/// Named check sets for the CLI's `--checks` and the UI's picker.
pub fn named(name: &str) -> Option<Vec<Probe>> {
    match name {
        "sshd" | "ssh" => Some(ssh()),
        "rdp" => Some(rdp()),
        _ => None,
    }
}
