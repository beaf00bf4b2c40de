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

/// Days since 1970-01-01 to a civil date (proleptic Gregorian), for formatting.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The inverse of [`civil`].
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn parts(unix: i64) -> (i64, u32, u32, i64, i64, i64) {
    let (year, month, day) = civil(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    (year, month, day, secs / 3600, secs % 3600 / 60, secs % 60)
}

/// `2026-11-28T10:04:00Z`.
pub fn rfc3339(unix: i64) -> String {
    let (y, mo, d, h, mi, s) = parts(unix);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `2026-11-28 10:04:00`, as the host's tools print it.
pub fn host_time(unix: i64) -> String {
    let (y, mo, d, h, mi, s) = parts(unix);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

/// Parses `YYYY-MM-DDTHH:MM:SS` with an optional fraction and a `Z` (UTC only).
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let num = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !text.ends_with('Z') || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
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
    fn round_trips_across_months_and_leap_years() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "2026-12-31T12:00:00Z",
            "2027-03-01T00:00:01Z",
        ] {
            assert_eq!(rfc3339(parse_rfc3339(text).unwrap()), text);
        }
        assert_eq!(parse_rfc3339("2026-11-28T10:04:00.123Z"), Some(START));
        assert_eq!(parse_rfc3339("2026-11-28 10:04"), None);
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
