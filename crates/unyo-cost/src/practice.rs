//! Estimates on the practice account: nothing there is billed, and each estimate says what
//! the same action would cost on a real account, so that a learner sees the price too.

use unyo_core::localized::Localized;

use crate::estimate::Estimate;
use crate::free_tier::AutomationHistory;
use crate::money::Usd;
use crate::prices::PriceTable;

/// The region whose prices the practice account compares itself with: its own regions are
/// simulated, and Virginia's prices are the ones Unyo ships complete.
pub const PRACTICE_PRICED_IN: &str = "us-east-1";

/// Anything on the practice account: simulated, so nothing is billed; `real` is what the same
/// action would cost on a real account at [`PRACTICE_PRICED_IN`]'s prices, shown alongside.
pub fn practice(real: Estimate) -> Estimate {
    let on_aws = real.summary();
    Estimate {
        total: Some(Usd::ZERO),
        lines: vec![
            Localized::new(
                "the practice account is simulated: nothing is billed",
                "練習用アカウントはシミュレーションのため、課金されません",
            ),
            Localized::new(
                format!("on a real account in {}: {}", real.basis.region, on_aws.en),
                format!(
                    "実際のアカウント（{}）では: {}",
                    real.basis.region, on_aws.ja
                ),
            ),
        ],
        free_tier: None,
        fits_free_tier: None,
        free: true,
        upper_bound: false,
        unconfirmed: false,
        unknown: None,
        basis: real.basis,
    }
}

/// How one account's estimates are priced: its region's table and its Automation history;
/// on the practice account, [`PRACTICE_PRICED_IN`]'s table and a new account's history, with
/// every figure made free by [`Pricing::finish`].
#[derive(Debug, Clone)]
pub struct Pricing {
    pub table: PriceTable,
    pub history: AutomationHistory,
    pub practice: bool,
}

impl Pricing {
    /// `table_for` gives a region's current table (refreshed, or embedded).
    pub fn new(
        practice: bool,
        region: &str,
        history: AutomationHistory,
        table_for: impl Fn(&str) -> PriceTable,
    ) -> Self {
        if practice {
            Self {
                table: table_for(PRACTICE_PRICED_IN),
                // A real account opened today has no Automation free tier.
                history: AutomationHistory::NewSince,
                practice,
            }
        } else {
            Self {
                table: table_for(region),
                history,
                practice,
            }
        }
    }

    /// The estimate as this account sees it.
    pub fn finish(&self, estimate: Estimate) -> Estimate {
        if self.practice {
            practice(estimate)
        } else {
            estimate
        }
    }
}
