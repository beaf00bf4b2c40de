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
}

impl Instance {
    /// Recomputes the derived fields; producers call it after filling the facts in.
    pub fn with_derived_fields(mut self) -> Self {
        self.agent_outdated = self
            .agent_version
            .as_deref()
            .and_then(|v| v.parse::<AgentVersion>().ok())
            .is_some_and(|v| agent::is_outdated(&v));
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
        }
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
