//! Unyo's cost model: what an action will cost on AWS before it runs, against the free tiers.
//!
//! - [`prices`]: dated, sourced price tables per region; the embedded one ships with Unyo and a
//!   region without a price says "unknown", never a guess from another region.
//! - [`free_tier`]: the rules that change a price, such as Automation's free tier, which only
//!   accounts that used Automation before 14 August 2025 keep.
//! - [`estimate`]: the estimate a confirmation shows, with its arithmetic and basis.
//! - [`cache`]: refreshed tables kept per region, the embedded one as the fallback.
//! - [`price_list`]: a table refreshed from the AWS Price List's `GetProducts` documents.
//! - [`monthly`]: what CloudWatch bills by the month for what the account keeps.
//! - [`month`]: this month's use per account and region against the free tiers.
//! - [`practice`]: estimates on the practice account, free, with what they would cost on AWS.
//! - [`money::Usd`]: exact decimal dollars, never floating point.
//!
//! Non-goals: no AWS SDK, no Tauri: reads go through the Cloud port (`unyo_core::cloud`).

pub mod cache;
pub mod estimate;
pub mod free_tier;
pub mod money;
pub mod month;
pub mod monthly;
pub mod practice;
pub mod price_list;
pub mod prices;

pub use estimate::{AutomationRun, Basis, Estimate, NodeKind};
pub use free_tier::{AutomationHistory, AutomationUsage};
pub use money::Usd;
pub use prices::{Confidence, Origin, Price, PriceItem, PriceTable};
