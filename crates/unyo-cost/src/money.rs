//! Money as an exact decimal amount of US dollars: prices such as $0.00003 per second add and
//! multiply without the rounding errors of floating point.

use std::fmt;
use std::ops::Add;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An amount in US dollars. It crosses IPC as a decimal string (`"0.034"`), never a float.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
#[serde(transparent)]
#[ts(type = "string")]
pub struct Usd(Decimal);

impl Usd {
    pub const ZERO: Usd = Usd(Decimal::ZERO);

    /// Parses a price as written in a price file (`"0.002"`).
    pub fn parse(text: &str) -> Option<Usd> {
        text.trim()
            .parse::<Decimal>()
            .ok()
            .filter(|d| !d.is_sign_negative())
            .map(Usd)
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    /// This amount times a count (steps, seconds, bytes over a unit).
    pub fn times(self, count: Decimal) -> Usd {
        Usd(self.0 * count)
    }

    /// The amount less `other`, never below zero.
    pub fn saturating_sub(self, other: Usd) -> Usd {
        Usd((self.0 - other.0).max(Decimal::ZERO))
    }
}

impl From<Decimal> for Usd {
    fn from(amount: Decimal) -> Self {
        Usd(amount)
    }
}

impl Add for Usd {
    type Output = Usd;
    fn add(self, other: Usd) -> Usd {
        Usd(self.0 + other.0)
    }
}

impl std::iter::Sum for Usd {
    fn sum<I: Iterator<Item = Usd>>(iter: I) -> Usd {
        iter.fold(Usd::ZERO, Add::add)
    }
}

/// `$0.034`, `$0.00003`, `$5.00`: every digit the amount has (up to eight decimals, rounded
/// half away from zero past that), and at least cents.
impl fmt::Display for Usd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut amount = self
            .0
            .round_dp_with_strategy(8, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .normalize();
        if amount.scale() < 2 {
            amount.rescale(2);
        }
        write!(f, "${amount}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(text: &str) -> Usd {
        Usd::parse(text).unwrap_or_default()
    }

    #[test]
    fn amounts_show_every_digit_and_at_least_cents() {
        assert_eq!(usd("0.034").to_string(), "$0.034");
        assert_eq!(usd("0.00003").to_string(), "$0.00003");
        assert_eq!(usd("5").to_string(), "$5.00");
        assert_eq!(usd("1.5").to_string(), "$1.50");
        assert_eq!(usd("0").to_string(), "$0.00");
        assert_eq!(usd("0.000000004").to_string(), "$0.00");
        assert_eq!(usd("0.000000005").to_string(), "$0.00000001");
    }

    #[test]
    fn arithmetic_is_exact() {
        // 0.1 + 0.2 is 0.3 here, unlike in floating point.
        assert_eq!(usd("0.1") + usd("0.2"), usd("0.3"));
        // 17 steps at $0.002.
        assert_eq!(usd("0.002").times(Decimal::from(17)), usd("0.034"));
        assert_eq!(usd("0.01").saturating_sub(usd("0.02")), Usd::ZERO);
        assert_eq!(Usd::parse("-1"), None);
        assert_eq!(
            serde_json::to_string(&usd("0.034")).unwrap_or_default(),
            "\"0.034\""
        );
    }
}
