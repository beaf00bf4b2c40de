//! The fleet: instances as the UI shows them, whichever account they come from.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::agent::{self, AgentVersion};

/// EC2 instance state (hybrid `mi-` nodes report `Running` while registered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum InstanceState {
    Pending,
    Running,
    Stopping,
    Stopped,
    ShuttingDown,
    Terminated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Platform {
    Linux,
    Windows,
    MacOs,
}

/// The SSM Agent's connection as Systems Manager reports it, plus `NotManaged` for
/// instances that never registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PingStatus {
    Online,
    ConnectionLost,
    Inactive,
    NotManaged,
    /// Systems Manager could not be asked in the instance's region (the reason is in the
    /// snapshot's failures), so whether the instance is managed is not known.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// One instance, merged from EC2 and Systems Manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Instance {
    pub id: String,
    /// The `Name` tag, empty when the instance has none.
    pub name: String,
    pub account_id: String,
    pub region: String,
    pub availability_zone: String,
    pub instance_type: String,
    pub state: InstanceState,
    pub platform: Platform,
    /// Operating system as the agent reports it, e.g. "Amazon Linux 2023".
    pub platform_name: String,
    pub private_ip: Option<String>,
    pub public_ip: Option<String>,
    pub vpc_id: Option<String>,
    pub subnet_id: Option<String>,
    pub ping_status: PingStatus,
    /// RFC 3339 time of the agent's last ping, when it ever registered.
    pub last_ping_at: Option<String>,
    pub agent_version: Option<String>,
    /// Computed from `agent_version` so every screen and script agrees on what "old" means.
    pub agent_outdated: bool,
    /// Instance profile name (not ARN), if one is attached.
    pub iam_instance_profile: Option<String>,
    pub tags: Vec<Tag>,
    /// Patch Manager's summary of its last scan or install; absent when Patch Manager has no
    /// data for the instance (never scanned, or its region could not be asked).
    #[serde(default)]
    pub patches: Option<PatchSummary>,
}

/// Whether an instance has every patch its baseline approves. "No data" is the absence of a
/// [`PatchSummary`], not a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PatchCompliance {
    Compliant,
    NonCompliant,
}

/// The kind of Patch Manager run (`AWS-RunPatchBaseline`) the counts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PatchOperation {
    /// Compared the instance with its baseline and changed nothing.
    Scan,
    /// Installed the missing patches.
    Install,
}

/// An instance's patch compliance as Patch Manager last reported it
/// (`DescribeInstancePatchStates`): patch counts against its patch baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PatchSummary {
    /// Computed from the counts (see [`PatchSummary::compliance`]).
    pub state: PatchCompliance,
    pub baseline_id: String,
    /// Empty when the instance is in no patch group.
    pub patch_group: String,
    /// Approved by the baseline and installed.
    pub installed: u32,
    /// Installed although the baseline does not name them.
    pub installed_other: u32,
    /// Installed, but not in effect until the instance restarts.
    pub installed_pending_reboot: u32,
    /// Installed although the baseline rejects them.
    pub installed_rejected: u32,
    /// Approved and applicable, but not installed.
    pub missing: u32,
    /// The last install tried them and failed.
    pub failed: u32,
    pub not_applicable: u32,
    /// Patches of Critical compliance severity that are not installed and in effect.
    pub critical_non_compliant: u32,
    /// Security patches that are not installed and in effect.
    pub security_non_compliant: u32,
    pub other_non_compliant: u32,
    pub operation: PatchOperation,
    /// RFC 3339 time the last operation started.
    pub operation_started_at: String,
    /// RFC 3339 time the last operation ended: how fresh the counts are.
    pub operation_ended_at: String,
}

impl PatchSummary {
    /// Non-compliant as Patch Manager counts it: something approved is missing, failed, waits
    /// for a reboot, or a rejected patch is installed.
    pub fn compliance(&self) -> PatchCompliance {
        let gaps = [
            self.missing,
            self.failed,
            self.installed_pending_reboot,
            self.installed_rejected,
            self.critical_non_compliant,
            self.security_non_compliant,
            self.other_non_compliant,
        ];
        if gaps.iter().any(|&n| n > 0) {
            PatchCompliance::NonCompliant
        } else {
            PatchCompliance::Compliant
        }
    }
}

impl Instance {
    /// Recomputes the derived fields; producers call it after filling the facts in.
    pub fn with_derived_fields(mut self) -> Self {
        self.agent_outdated = self
            .agent_version
            .as_deref()
            .and_then(|v| v.parse::<AgentVersion>().ok())
            .is_some_and(|v| agent::is_outdated(&v));
        if let Some(patches) = &mut self.patches {
            patches.state = patches.compliance();
        }
        self
    }

    /// Case-insensitive match on id, name, IP addresses and tag values, as the fleet search does.
    pub fn matches(&self, needle: &str) -> bool {
        let needle = needle.trim().to_lowercase();
        if needle.is_empty() {
            return true;
        }
        let hay = [
            Some(self.id.as_str()),
            Some(self.name.as_str()),
            self.private_ip.as_deref(),
            self.public_ip.as_deref(),
        ];
        hay.into_iter()
            .flatten()
            .chain(self.tags.iter().map(|t| t.value.as_str()))
            .any(|h| h.to_lowercase().contains(&needle))
    }
}

/// Which part of an account a fleet listing covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FleetScope {
    /// Region codes; empty means every region the account uses.
    pub regions: Vec<String>,
}

/// A region that could not be listed, shown inline beside the regions that could.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RegionFailure {
    pub region: String,
    pub error: crate::AppError,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FleetSnapshot {
    pub instances: Vec<Instance>,
    pub failures: Vec<RegionFailure>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance() -> Instance {
        Instance {
            id: "i-0abc".into(),
            name: "web-1".into(),
            account_id: "111122223333".into(),
            region: "us-east-1".into(),
            availability_zone: "us-east-1a".into(),
            instance_type: "t3.micro".into(),
            state: InstanceState::Running,
            platform: Platform::Linux,
            platform_name: "Amazon Linux 2023".into(),
            private_ip: Some("10.0.1.5".into()),
            public_ip: None,
            vpc_id: None,
            subnet_id: None,
            ping_status: PingStatus::Online,
            last_ping_at: None,
            agent_version: Some("3.1.0.0".into()),
            agent_outdated: false,
            iam_instance_profile: None,
            tags: vec![Tag {
                key: "Team".into(),
                value: "Payments".into(),
            }],
            patches: None,
        }
    }

    fn patches() -> PatchSummary {
        PatchSummary {
            state: PatchCompliance::NonCompliant,
            baseline_id: "pb-0123456789abcdef0".into(),
            patch_group: String::new(),
            installed: 412,
            installed_other: 3,
            installed_pending_reboot: 0,
            installed_rejected: 0,
            missing: 0,
            failed: 0,
            not_applicable: 1204,
            critical_non_compliant: 0,
            security_non_compliant: 0,
            other_non_compliant: 0,
            operation: PatchOperation::Scan,
            operation_started_at: "2026-11-28T03:00:12Z".into(),
            operation_ended_at: "2026-11-28T03:01:40Z".into(),
        }
    }

    #[test]
    fn derives_patch_compliance_from_the_counts() {
        let mut i = instance();
        i.patches = Some(patches());
        let derived = i.clone().with_derived_fields();
        assert_eq!(
            derived.patches.map(|p| p.state),
            Some(PatchCompliance::Compliant),
            "the producer's state is recomputed"
        );
        for gap in [
            |p: &mut PatchSummary| p.missing = 2,
            |p: &mut PatchSummary| p.failed = 1,
            |p: &mut PatchSummary| p.installed_pending_reboot = 1,
            |p: &mut PatchSummary| p.installed_rejected = 1,
            |p: &mut PatchSummary| p.security_non_compliant = 1,
        ] {
            let mut summary = patches();
            summary.state = PatchCompliance::Compliant;
            gap(&mut summary);
            assert_eq!(
                summary.compliance(),
                PatchCompliance::NonCompliant,
                "{summary:?}"
            );
        }
        assert_eq!(
            instance().with_derived_fields().patches,
            None,
            "no data stays none"
        );
    }

    #[test]
    fn patches_cross_as_camel_case_and_may_be_absent() {
        let mut i = instance();
        i.patches = Some(patches());
        let json = serde_json::to_value(i.with_derived_fields()).unwrap();
        assert_eq!(json["patches"]["state"], "compliant");
        assert_eq!(json["patches"]["installedPendingReboot"], 0);
        assert_eq!(json["patches"]["operation"], "scan");
        assert_eq!(json["patches"]["operationEndedAt"], "2026-11-28T03:01:40Z");
        let mut older = serde_json::to_value(instance()).unwrap();
        assert_eq!(older["patches"], serde_json::Value::Null);
        older.as_object_mut().unwrap().remove("patches");
        let read: Instance = serde_json::from_value(older).unwrap();
        assert_eq!(
            read.patches, None,
            "a listing saved before patches still reads"
        );
    }

    #[test]
    fn derives_outdated_agent() {
        assert!(instance().with_derived_fields().agent_outdated);
        let mut current = instance();
        current.agent_version = Some("3.3.1142.0".into());
        assert!(!current.with_derived_fields().agent_outdated);
        let mut unmanaged = instance();
        unmanaged.agent_version = None;
        assert!(!unmanaged.with_derived_fields().agent_outdated);
    }

    #[test]
    fn search_matches_id_name_ip_and_tag_values() {
        let i = instance();
        for needle in ["I-0ABC", "web", "10.0.1", "payments", "  "] {
            assert!(i.matches(needle), "{needle}");
        }
        assert!(!i.matches("Team"), "tag keys are not searched");
        assert!(!i.matches("db-"));
    }
}
