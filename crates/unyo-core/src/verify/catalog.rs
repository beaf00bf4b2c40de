//! What Unyo knows about a runbook beyond its document: whether it only reads, what it
//! changes, and the checks that prove its goal, whatever the runbook said about itself. A
//! runbook not named here has no checks of its own; the user adds checks to any runbook.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Probe;
use crate::automation::can_change_resources;
use crate::localized::Localized;

/// A runbook's guide, as the preview and the verification show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RunbookGuide {
    pub runbook: String,
    /// It reads and nothing else, whatever its parameters.
    pub read_only: bool,
    /// What it changes when it does (from AWS's runbook reference), when known.
    pub changes: Option<Localized>,
    /// The checks that prove its goal on the instance, from Unyo's catalog.
    pub checks: Vec<Probe>,
    /// The checks the user added to it on this account.
    pub own_checks: Vec<Probe>,
}

impl RunbookGuide {
    /// Every check to run after it: the catalog's, then the user's that are not already there.
    pub fn all_checks(&self) -> Vec<Probe> {
        let mut all = self.checks.clone();
        for own in &self.own_checks {
            if !all.contains(own) {
                all.push(own.clone());
            }
        }
        all
    }
}

/// The guide to `runbook`, with the checks the user added to it.
pub fn guide(runbook: &str, own_checks: Vec<Probe>) -> RunbookGuide {
    RunbookGuide {
        runbook: runbook.to_owned(),
        read_only: !can_change_resources(runbook),
        changes: changes(runbook),
        checks: checks_for(runbook),
        own_checks,
    }
}

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

/// What makes a Linux instance a managed node again: the agent running.
pub fn agent() -> Vec<Probe> {
    vec![
        Probe::ServiceActive {
            service: "amazon-ssm-agent".into(),
        },
        Probe::ProcessRunning {
            process: "amazon-ssm-agent".into(),
        },
    ]
}

/// The checks a runbook carries, by its name: empty for a runbook with no known goal on the
/// host (one whose goal is outside the instance, such as a security group or an AMI).
pub fn checks_for(runbook: &str) -> Vec<Probe> {
    match runbook {
        "AWSSupport-TroubleshootSSH" | "AWSSupport-ExecuteEC2Rescue" => ssh(),
        "AWSSupport-TroubleshootRDP" => rdp(),
        // A new key is only useful if sshd takes connections with it.
        "AWSSupport-ResetAccess" => vec![
            Probe::ServiceActive {
                service: "sshd".into(),
            },
            Probe::PortListening { port: 22 },
        ],
        "AWSSupport-TroubleshootManagedInstance" => agent(),
        // After a stop and start the instance must come back with its agent and sshd.
        "AWS-RestartEC2Instance" => {
            let mut checks = agent();
            checks.push(Probe::ServiceActive {
                service: "sshd".into(),
            });
            checks
        }
        "AWSSupport-UpgradeWindowsAWSDrivers" => vec![Probe::WindowsServiceRunning {
            service: "AmazonSSMAgent".into(),
        }],
        _ => Vec::new(),
    }
}

/// What a runbook changes when it does, from AWS's runbook reference.
fn changes(runbook: &str) -> Option<Localized> {
    let (en, ja) = match runbook {
        "AWSSupport-TroubleshootSSH" => (
            "Reads only with Action=CheckAll (the default). FixAll rewrites sshd's configuration and permissions; AllowOffline=true stops and starts the instance and uses a helper instance.",
            "Action=CheckAll（既定）では読み取りのみ。FixAll は sshd の設定とパーミッションを書き換え、AllowOffline=true ではインスタンスを停止・起動してヘルパーインスタンスを使います。",
        ),
        "AWSSupport-TroubleshootRDP" => (
            "CheckAll only reads. FixAll restores RDP's defaults and disables the Windows Firewall; Custom changes what its parameters say; AllowOffline=true stops and starts the instance.",
            "CheckAll は読み取りのみ。FixAll は RDP を既定に戻し Windows ファイアウォールを無効化します。Custom はパラメータどおりに変更し、AllowOffline=true ではインスタンスを停止・起動します。",
        ),
        "AWSSupport-ResetAccess" => (
            "Stops the instance and creates a temporary VPC, Lambda functions and an EC2Rescue helper instance; Linux gets a new SSH key, Windows a new administrator password.",
            "インスタンスを停止し、一時的な VPC、Lambda 関数、EC2Rescue ヘルパーインスタンスを作成します。Linux には新しい SSH キー、Windows には新しい管理者パスワードが設定されます。",
        ),
        "AWSSupport-ExecuteEC2Rescue" => (
            "Stops and starts the instance, repairs its root volume on a helper instance and keeps a backup AMI; fails on encrypted EBS volumes.",
            "インスタンスを停止・起動し、ヘルパーインスタンス上でルートボリュームを修復してバックアップ AMI を残します。暗号化された EBS ボリュームでは失敗します。",
        ),
        "AWSSupport-UpgradeWindowsAWSDrivers" => (
            "Creates an AMI first (kept), then upgrades the ENA, NVMe and PV drivers: online it reboots the instance, offline it stops and starts it.",
            "最初に AMI を作成（残ります）してから ENA、NVMe、PV ドライバーを更新します。オンラインでは再起動、オフラインでは停止・起動します。",
        ),
        "AWS-RestartEC2Instance" => (
            "Stops, then starts the instance: a public IP may change and instance-store data is lost.",
            "インスタンスを停止してから起動します。パブリック IP が変わることがあり、インスタンスストアのデータは失われます。",
        ),
        "AWS-DisablePublicAccessForSecurityGroup" => (
            "Revokes the security group's inbound rules for ports 22 and 3389 from anywhere.",
            "セキュリティグループのポート 22 と 3389 へのどこからでもの受信ルールを取り消します。",
        ),
        "AWS-UpdateLinuxAmi" => (
            "Launches a temporary instance from the source AMI, updates it and creates a new AMI (billed as EC2 and EBS).",
            "ソース AMI から一時インスタンスを起動して更新し、新しい AMI を作成します（EC2 と EBS の料金がかかります）。",
        ),
        "AWSSupport-AnalyzeAWSEndpointReachabilityFromEC2" => (
            "Changes nothing on the instance; creates temporary Reachability Analyzer paths and analyses (billed per analysis), removed on success.",
            "インスタンスは変更しません。一時的な Reachability Analyzer のパスと分析を作成し（分析ごとに課金）、成功時に削除します。",
        ),
        name if !can_change_resources(name) => (
            "Reads only: it changes nothing.",
            "読み取りのみで、何も変更しません。",
        ),
        _ => return None,
    };
    Some(Localized::new(en, ja))
}

/// A named set of checks, as the UI offers them to add after a command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CheckSet {
    pub name: String,
    pub probes: Vec<Probe>,
}

/// Every named set, in [`NAMED`] order.
pub fn sets() -> Vec<CheckSet> {
    NAMED
        .iter()
        .filter_map(|name| {
            named(name).map(|probes| CheckSet {
                name: (*name).to_owned(),
                probes,
            })
        })
        .collect()
}

/// Named check sets for the CLI's `--checks` and the UI's picker.
pub fn named(name: &str) -> Option<Vec<Probe>> {
    match name {
        "sshd" | "ssh" => Some(ssh()),
        "rdp" => Some(rdp()),
        "agent" => Some(agent()),
        _ => None,
    }
}

/// The names [`named`] knows, for help texts and pickers.
pub const NAMED: [&str; 3] = ["sshd", "rdp", "agent"];
