//! The names of an account's capabilities, as the UI receives them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Cloud;

/// One of the capability traits of [`Cloud`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Capability {
    Fleet,
    Sessions,
    Metrics,
    Logs,
    Trail,
    Automation,
    RunCommand,
    Readiness,
    Remediation,
    ChangeControl,
    Billing,
    OpsCenter,
}

impl Capability {
    pub const ALL: [Capability; 12] = [
        Self::Fleet,
        Self::Sessions,
        Self::Metrics,
        Self::Logs,
        Self::Trail,
        Self::Automation,
        Self::RunCommand,
        Self::Readiness,
        Self::Remediation,
        Self::ChangeControl,
        Self::Billing,
        Self::OpsCenter,
    ];

    /// What the capability is, for the message of an account that lacks it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Fleet => "listing instances",
            Self::Sessions => "Session Manager (shells and port forwarding)",
            Self::Metrics => "CloudWatch alarms and metrics",
            Self::Logs => "CloudWatch Logs and Logs Insights",
            Self::Trail => "CloudTrail event history",
            Self::Automation => "Automation runbooks",
            Self::RunCommand => "Run Command",
            Self::Readiness => "the readiness doctor",
            Self::Remediation => "the readiness doctor's fixes",
            Self::ChangeControl => "Change Calendar and Change Manager",
            Self::Billing => "the AWS Price List and Free Tier usage",
            Self::OpsCenter => "OpsCenter OpsItems",
        }
    }
}

/// The capabilities `cloud` hands out, in [`Capability::ALL`] order. Adapters fill
/// [`super::AccountContext::capabilities`] with this, so what the UI is told and what the
/// account gives cannot disagree.
pub fn capabilities_of(cloud: &dyn Cloud) -> Vec<Capability> {
    Capability::ALL
        .into_iter()
        .filter(|c| match c {
            Capability::Fleet => cloud.fleet().is_some(),
            Capability::Sessions => cloud.sessions().is_some(),
            Capability::Metrics => cloud.metrics().is_some(),
            Capability::Logs => cloud.logs().is_some(),
            Capability::Trail => cloud.trail().is_some(),
            Capability::Automation => cloud.automation().is_some(),
            Capability::RunCommand => cloud.run_command().is_some(),
            Capability::Readiness => cloud.readiness().is_some(),
            Capability::Remediation => cloud.remediation().is_some(),
            Capability::ChangeControl => cloud.change_control().is_some(),
            Capability::Billing => cloud.billing().is_some(),
            Capability::OpsCenter => cloud.ops_center().is_some(),
        })
        .collect()
}
