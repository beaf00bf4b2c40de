//! Times as the journal writes and shows them: RFC 3339 in UTC, and `2026-11-28 10:04:00 UTC`
//! in reports (as the Incident screen shows them). The wall clock is passed in, so tests fix it.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    })
}

/// Days since 1970-01-01 to a civil date (proleptic Gregorian).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// `2026-11-28T10:04:00Z`.
pub fn rfc3339(unix: i64) -> String {
    let (y, mo, d) = civil(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    let (h, mi, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `20261128T100400Z`: a time that fits a file name and sorts in time order.
pub fn file_stamp(unix: i64) -> String {
    rfc3339(unix).replace(['-', ':'], "")
}

/// `2026-11-28 10:04:00 UTC` from RFC 3339 in UTC (fraction dropped); any other text as it is.
pub fn show(text: &str) -> String {
    let bytes = text.as_bytes();
    let shaped = bytes.len() >= 20
        && text.ends_with('Z')
        && bytes.get(10) == Some(&b'T')
        && text.is_char_boundary(19)
        && text[..19]
            .bytes()
            .enumerate()
            .all(|(i, b)| matches!(i, 4 | 7 | 10 | 13 | 16) || b.is_ascii_digit());
    if shaped {
        format!("{} {} UTC", &text[..10], &text[11..19])
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_shows_utc_times() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_860_240), "2026-11-28T10:04:00Z");
        assert_eq!(file_stamp(1_795_860_240), "20261128T100400Z");
        assert_eq!(show("2026-11-28T10:04:00Z"), "2026-11-28 10:04:00 UTC");
        assert_eq!(show("2026-11-28T10:04:00.123Z"), "2026-11-28 10:04:00 UTC");
        assert_eq!(
            show("2026-11-28T19:04:00+09:00"),
            "2026-11-28T19:04:00+09:00"
        );
        assert_eq!(show("yesterday"), "yesterday");
        assert_eq!(show("2026-11-28T10:0é:00Z"), "2026-11-28T10:0é:00Z");
    }
}
