//! The retransmission timeout estimator (§5.2, §5.3): Jacobson/Karels smoothing exactly as the
//! plugin and the agent code it, in whole nanoseconds so that results are exact and repeatable.

use std::time::Duration;

/// Timeout before the first round trip has been measured (`DefaultTransmissionTimeout`).
pub const INITIAL_TRANSMISSION_TIMEOUT: Duration = Duration::from_millis(200);
/// Smoothed round-trip time before the first sample (`DefaultRoundTripTime`).
pub const INITIAL_ROUND_TRIP_TIME: Duration = Duration::from_millis(100);
/// Round-trip variation before the first sample (`DefaultRoundTripTimeVariation`).
pub const INITIAL_ROUND_TRIP_TIME_VARIATION: Duration = Duration::ZERO;
/// The smallest margin the timeout keeps above the smoothed round trip (`ClockGranularity`).
pub const CLOCK_GRANULARITY: Duration = Duration::from_millis(10);
/// The timeout never exceeds this (`MaxTransmissionTimeout`).
pub const MAX_TRANSMISSION_TIMEOUT: Duration = Duration::from_secs(1);

// α = 1/8 and β = 1/4, written as integer fractions.
const ALPHA_DENOMINATOR: u32 = 8;
const BETA_DENOMINATOR: u32 = 4;

/// Smoothed round-trip time, its variation, and the timeout derived from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RttEstimator {
    smoothed: Duration,
    variation: Duration,
    timeout: Duration,
}

impl Default for RttEstimator {
    fn default() -> Self {
        Self {
            smoothed: INITIAL_ROUND_TRIP_TIME,
            variation: INITIAL_ROUND_TRIP_TIME_VARIATION,
            timeout: INITIAL_TRANSMISSION_TIMEOUT,
        }
    }
}

impl RttEstimator {
    /// Folds in one measured round trip. The variation is updated from the *old* smoothed
    /// value, as the reference code does.
    pub fn sample(&mut self, round_trip: Duration) {
        let error = self.smoothed.abs_diff(round_trip);
        self.variation = (self.variation.saturating_mul(BETA_DENOMINATOR - 1))
            .saturating_add(error)
            / BETA_DENOMINATOR;
        self.smoothed = (self.smoothed.saturating_mul(ALPHA_DENOMINATOR - 1))
            .saturating_add(round_trip)
            / ALPHA_DENOMINATOR;
        let margin = CLOCK_GRANULARITY.max(self.variation.saturating_mul(4));
        self.timeout = self
            .smoothed
            .saturating_add(margin)
            .min(MAX_TRANSMISSION_TIMEOUT);
    }

    /// How long to wait for an acknowledgement before resending.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn smoothed(&self) -> Duration {
        self.smoothed
    }

    pub fn variation(&self) -> Duration {
        self.variation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_from_the_protocol_defaults() {
        let rtt = RttEstimator::default();
        assert_eq!(rtt.timeout(), Duration::from_millis(200));
        assert_eq!(rtt.smoothed(), Duration::from_millis(100));
        assert_eq!(rtt.variation(), Duration::ZERO);
    }

    #[test]
    fn matches_the_reference_vector() {
        // Sample 50 ms from the initial state: rttvar 12.5, srtt 93.75, rto 143.75 ms.
        let mut rtt = RttEstimator::default();
        rtt.sample(Duration::from_millis(50));
        assert_eq!(rtt.variation(), Duration::from_micros(12_500));
        assert_eq!(rtt.smoothed(), Duration::from_micros(93_750));
        assert_eq!(rtt.timeout(), Duration::from_micros(143_750));
    }

    #[test]
    fn a_steady_round_trip_converges_to_it_plus_the_clock_granularity() {
        let mut rtt = RttEstimator::default();
        for _ in 0..200 {
            rtt.sample(Duration::from_millis(2));
        }
        let converged = rtt.timeout();
        assert!(converged >= Duration::from_millis(12), "{converged:?}");
        assert!(converged < Duration::from_micros(12_100), "{converged:?}");
    }

    #[test]
    fn the_timeout_is_capped_at_one_second() {
        let mut rtt = RttEstimator::default();
        rtt.sample(Duration::from_secs(30));
        assert_eq!(rtt.timeout(), MAX_TRANSMISSION_TIMEOUT);
        rtt.sample(Duration::MAX);
        assert_eq!(rtt.timeout(), MAX_TRANSMISSION_TIMEOUT);
    }
}
