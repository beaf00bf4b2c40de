//! The doctor's findings: checks with evidence and a fix, a verdict per instance, and a
//! summary per region.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::action::ReadinessAction;

/// Every check the doctor makes, in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export, rename = "ReadinessCheckId")]
pub enum CheckId {
    InstanceRunning,
    AgentRegistered,
    AgentVersion,
    Identity,
    Imds,
    NetworkRoute,
    SecurityGroupEgress,
    EndpointSecurityGroup,
    S3GatewayEndpoint,
    NetworkAcl,
    VpcDns,
    PublicAdminPorts,
}

impl CheckId {
    /// The id as reports, CSV and scripts spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InstanceRunning => "instance-running",
            Self::AgentRegistered => "agent-registered",
            Self::AgentVersion => "agent-version",
            Self::Identity => "identity",
            Self::Imds => "imds",
            Self::NetworkRoute => "network-route",
            Self::SecurityGroupEgress => "security-group-egress",
            Self::EndpointSecurityGroup => "endpoint-security-group",
            Self::S3GatewayEndpoint => "s3-gateway-endpoint",
            Self::NetworkAcl => "network-acl",
            Self::VpcDns => "vpc-dns",
            Self::PublicAdminPorts => "public-admin-ports",
        }
    }

    /// Whether a failure stops Session Manager (the public-ports check is about security).
    pub fn blocks_sessions(self) -> bool {
        self != Self::PublicAdminPorts
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ReadinessCheckStatus")]
pub enum CheckStatus {
    Pass,
    Warn,
    Fail,
    Unknown,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Warn => "warn",
            Self::Fail => "fail",
            Self::Unknown => "unknown",
        }
    }
}

/// What to do about a check: words, then the commands or runbook that do it. Read-only checks
/// never run these; the app shows them, and offers to make the [`ReadinessAction`] when there
/// is one, behind a confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ReadinessFix")]
pub struct Fix {
    pub summary: String,
    /// AWS CLI commands, ready to paste (placeholders in `<angle brackets>`).
    pub commands: Vec<String>,
    /// An AWS-owned Automation runbook or Run Command document that does or diagnoses it.
    pub runbook: Option<String>,
    /// The change Unyo can make for the user (after showing it and asking), when there is one.
    pub action: Option<ReadinessAction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ReadinessCheck")]
pub struct Check {
    pub id: CheckId,
    pub title: String,
    pub status: CheckStatus,
    /// What was observed, in words.
    pub evidence: String,
    /// `None` when the check passed and there is nothing to do.
    pub fix: Option<Fix>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ReadinessOutcome")]
pub enum Outcome {
    /// Session Manager will work.
    Ready,
    /// It will work; some checks warn (an old agent, an open SSH port).
    ReadyWithWarnings,
    /// It won't work; the summary says why.
    NotReady,
    /// Nothing failed, but facts that decide it could not be observed.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ReadinessVerdict")]
pub struct Verdict {
    pub outcome: Outcome,
    /// "Session Manager will work" or "Session Manager won't work, because ...".
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReadinessReport {
    pub instance_id: String,
    pub name: String,
    pub region: String,
    pub verdict: Verdict,
    pub checks: Vec<Check>,
}

impl ReadinessReport {
    pub fn check(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }

    pub fn has_failures(&self) -> bool {
        self.checks.iter().any(|c| c.status == CheckStatus::Fail)
    }
}

/// How many instances of a region fail one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ReadinessCheckCount")]
pub struct CheckCount {
    pub id: CheckId,
    pub instances: u32,
}

/// A region at a glance, for the top of the region's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "ReadinessRegionSummary")]
pub struct RegionSummary {
    pub region: String,
    pub instances: u32,
    pub ready: u32,
    pub ready_with_warnings: u32,
    pub not_ready: u32,
    pub unknown: u32,
    /// Checks that fail somewhere, the most widespread first.
    pub failing_checks: Vec<CheckCount>,
}

impl RegionSummary {
    pub fn of(region: &str, reports: &[ReadinessReport]) -> Self {
        let count = |outcome: Outcome| -> u32 {
            let n = reports
                .iter()
                .filter(|r| r.verdict.outcome == outcome)
                .count();
            u32::try_from(n).unwrap_or(u32::MAX)
        };
        let mut failing: Vec<CheckCount> = Vec::new();
        for check in reports
            .iter()
            .flat_map(|r| &r.checks)
            .filter(|c| c.status == CheckStatus::Fail)
        {
            match failing.iter_mut().find(|f| f.id == check.id) {
                Some(found) => found.instances += 1,
                None => failing.push(CheckCount {
                    id: check.id,
                    instances: 1,
                }),
            }
        }
        failing.sort_by(|a, b| b.instances.cmp(&a.instances).then(a.id.cmp(&b.id)));
        Self {
            region: region.to_owned(),
            instances: u32::try_from(reports.len()).unwrap_or(u32::MAX),
            ready: count(Outcome::Ready),
            ready_with_warnings: count(Outcome::ReadyWithWarnings),
            not_ready: count(Outcome::NotReady),
            unknown: count(Outcome::Unknown),
            failing_checks: failing,
        }
    }
}

/// A region's readiness: every instance's report and the summary over them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RegionReadiness {
    pub summary: RegionSummary,
    pub reports: Vec<ReadinessReport>,
}

impl RegionReadiness {
    pub fn new(region: &str, reports: Vec<ReadinessReport>) -> Self {
        Self {
            summary: RegionSummary::of(region, &reports),
            reports,
        }
    }
}
