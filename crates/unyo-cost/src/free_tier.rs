//! Free-tier rules that change what an action costs. Automation's depends on the account's
//! history: "For customers who are new to Systems Manager Automation as of August 14, 2025,
//! the Automation free tier is not available" (AWS docs, systems-manager-automation); before
//! that, 100,000 steps and 5,000 seconds of `aws:executeScript` a month were free
//! (CrowdStrike/aws-ssm-distributor, pricing as of 26 June 2025). CloudWatch's free tier is
//! AWS's "always free" one (aws.amazon.com/cloudwatch/pricing).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use unyo_core::settings::AutomationHistory;

/// Automation's monthly free tier, for accounts that used it before 14 August 2025.
pub const AUTOMATION_FREE_STEPS: u64 = 100_000;
pub const AUTOMATION_FREE_SCRIPT_SECONDS: u64 = 5_000;

/// CloudWatch's always-free monthly allowances.
pub const LOGS_FREE_GB: u64 = 5;
pub const ALARMS_FREE: u64 = 10;
pub const METRICS_FREE: u64 = 10;
pub const DASHBOARDS_FREE: u64 = 3;

/// What the account has used this month of a free tier's units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AutomationUsage {
    #[ts(type = "number")]
    pub steps: u64,
    #[ts(type = "number")]
    pub script_seconds: u64,
}
