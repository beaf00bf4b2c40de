//! Simulated time. Everything the practice account shows (metric datapoints, alarm
//! transitions, runbook steps, log and trail times) is a function of one clock that the
//! caller passes in, so a test or a screenshot sees the same account every run.
//!
//! [`ManualClock`] moves only when told (tests, screenshots); [`PacedClock`] starts at the
//! same instant and then follows real time, so a runbook visibly progresses in the app.

use std::fmt::Debug;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

/// Where every practice clock starts: 2026-11-28T10:04:00Z, as Unix seconds.
pub const START: i64 = 1_795_860_240;

pub trait Clock: Send + Sync + Debug {
    /// Unix seconds now.
    fn now(&self) -> i64;
}

/// A clock that stands still until [`ManualClock::advance`]; clones share the time.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    pub fn at(unix_seconds: i64) -> Self {
        Self(Arc::new(AtomicI64::new(unix_seconds)))
    }

    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::at(START)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Starts at [`START`] and runs at real speed from the moment it is made.
#[derive(Debug)]
pub struct PacedClock {
    started: Instant,
}

impl PacedClock {
    pub fn new() -> Self {
        Self {
            started: Instant::now(),
        }
    }
}

impl Default for PacedClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for PacedClock {
    fn now(&self) -> i64 {
        START + i64::try_from(self.started.elapsed().as_secs()).unwrap_or(i64::MAX / 2)
    }
}

/// The account's view of a clock: the caller's clock moved back so that a scenario always
/// begins at [`START`], whenever it is started, and its story's times ("since 09:37") hold.
#[derive(Debug)]
pub struct ScenarioClock {
    inner: Arc<dyn Clock>,
    /// Seconds subtracted from the inner clock.
    shift: AtomicI64,
}

impl ScenarioClock {
    pub fn new(inner: Arc<dyn Clock>) -> Self {
        Self {
            inner,
            shift: AtomicI64::new(0),
        }
    }

    /// Makes now [`START`] again; time then runs on as the inner clock does.
    pub fn rewind(&self) {
        self.shift.store(self.inner.now() - START, Ordering::SeqCst);
    }
}

impl Clock for ScenarioClock {
    fn now(&self) -> i64 {
        self.inner.now() - self.shift.load(Ordering::SeqCst)
    }
}

pub use unyo_core::time::{parse_rfc3339, rfc3339};

/// `2026-11-28 10:04:00`, as the host's tools print it.
pub fn host_time(unix: i64) -> String {
    let text = rfc3339(unix);
    text.trim_end_matches('Z').replacen('T', " ", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_is_the_documented_instant() {
        assert_eq!(rfc3339(START), "2026-11-28T10:04:00Z");
        assert_eq!(host_time(START), "2026-11-28 10:04:00");
    }

    #[test]
    fn a_scenario_clock_rewinds_to_the_start_and_runs_on() {
        let inner = ManualClock::default();
        inner.advance(3600);
        let clock = ScenarioClock::new(Arc::new(inner.clone()));
        assert_eq!(clock.now(), START + 3600);
        clock.rewind();
        assert_eq!(clock.now(), START);
        inner.advance(90);
        assert_eq!(clock.now(), START + 90);
    }

    #[test]
    fn a_manual_clock_moves_only_when_told_and_clones_share_it() {
        let clock = ManualClock::default();
        let other = clock.clone();
        clock.advance(90);
        assert_eq!(other.now(), START + 90);
    }
}
