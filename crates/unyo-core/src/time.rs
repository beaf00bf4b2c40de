//! Times as Unyo passes them around: seconds since the Unix epoch, written as RFC 3339 in UTC
//! (`2026-11-28T10:04:00Z`), which is what AWS returns and what every screen and the journal
//! store. One implementation for the journal, the practice clock and the AWS adapters.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now, from the system clock.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Days since 1970-01-01 to a civil date (proleptic Gregorian).
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

/// `2026-11-28T10:04:00Z`.
pub fn rfc3339(unix: i64) -> String {
    let (y, mo, d) = civil(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    let (h, mi, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// Milliseconds since the epoch (as CloudWatch Logs takes and gives times) as RFC 3339, to
/// the second.
pub fn rfc3339_millis(unix_millis: i64) -> String {
    rfc3339(unix_millis.div_euclid(1000))
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

/// [`parse_rfc3339`], or an `InvalidInput` error that names the field and the format.
pub fn require_rfc3339(field: &str, text: &str) -> Result<i64, crate::AppError> {
    parse_rfc3339(text).ok_or_else(|| {
        crate::AppError::invalid_input(format!(
            "{field} `{text}` is not an RFC 3339 time in UTC, such as 2026-11-28T10:00:00Z"
        ))
    })
}

/// A span such as `90s`, `30m`, `1h` or `2d`, in seconds: how far back a command looks
/// (`--since 1h`). One number and one unit, as people type them at a prompt.
pub fn parse_duration(text: &str) -> Result<i64, crate::AppError> {
    let bad = || {
        crate::AppError::invalid_input(format!(
            "`{text}` is not a duration; write a number and a unit, such as 90s, 30m, 1h or 2d"
        ))
    };
    let text_trimmed = text.trim();
    let split = text_trimmed
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(bad)?;
    let (number, unit) = text_trimmed.split_at(split);
    let number: i64 = number.parse().map_err(|_| bad())?;
    let unit_seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(bad()),
    };
    match number.checked_mul(unit_seconds) {
        Some(seconds) if seconds > 0 => Ok(seconds),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_a_number_and_a_unit() {
        assert_eq!(parse_duration("90s").unwrap(), 90);
        assert_eq!(parse_duration("30m").unwrap(), 1800);
        assert_eq!(parse_duration("1h").unwrap(), 3600);
        assert_eq!(parse_duration("2d").unwrap(), 172_800);
        assert_eq!(parse_duration("1w").unwrap(), 604_800);
        for bad in [
            "",
            "h",
            "1",
            "1.5h",
            "1 h",
            "-1h",
            "0m",
            "1y",
            "1hour",
            "99999999999999999d",
        ] {
            let err = parse_duration(bad).unwrap_err();
            assert!(err.message.contains("30m"), "{bad}: {}", err.message);
        }
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
        assert_eq!(rfc3339(1_795_860_240), "2026-11-28T10:04:00Z");
        assert_eq!(
            parse_rfc3339("2026-11-28T10:04:00.123Z"),
            Some(1_795_860_240)
        );
        assert_eq!(parse_rfc3339("2026-11-28 10:04"), None);
        assert_eq!(rfc3339_millis(1_795_860_240_999), "2026-11-28T10:04:00Z");
    }

    #[test]
    fn a_bad_time_names_its_field() {
        let err = require_rfc3339("start", "yesterday").unwrap_err();
        assert!(err.message.contains("start `yesterday`"), "{}", err.message);
    }
}
