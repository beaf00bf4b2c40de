//! Times as the journal writes and shows them: RFC 3339 in UTC, and `2026-11-28 10:04:00 UTC`
//! in reports (as the Incident screen shows them). The wall clock is passed in, so tests fix it.

use std::sync::Arc;

/// Seconds since the Unix epoch, now.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(unyo_core::time::now_unix)
}

pub use unyo_core::time::rfc3339;

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

/// `text` as an RFC 3339 time in UTC (`2026-11-28T09:58:00Z`), whatever offset it was
/// written with, so that times sort and subtract as times; anything else is refused.
pub fn normalized(text: &str) -> Result<String, unyo_core::AppError> {
    with_offset(text.trim()).map(rfc3339).ok_or_else(|| {
        unyo_core::AppError::invalid_input(format!(
            "{text:?} is not a time: write it as 2026-11-28T09:58:00Z (RFC 3339)"
        ))
    })
}

/// Unix seconds of an RFC 3339 time in UTC (`Z`) or with a `±HH:MM` offset.
fn with_offset(text: &str) -> Option<i64> {
    if let Some(unix) = unyo_core::time::parse_rfc3339(text) {
        return Some(unix);
    }
    let split = text.len().checked_sub(6)?;
    let (base, offset) = (text.get(..split)?, text.get(split..)?);
    let sign = match offset.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    if offset.as_bytes().get(3) != Some(&b':') {
        return None;
    }
    let hours: i64 = offset.get(1..3)?.parse().ok()?;
    let minutes: i64 = offset.get(4..6)?.parse().ok()?;
    let local = unyo_core::time::parse_rfc3339(&format!("{base}Z"))?;
    Some(local - sign * (hours * 3600 + minutes * 60))
}

/// `text` as a calendar date `YYYY-MM-DD`; anything else is refused.
pub fn check_date(text: &str) -> Result<(), unyo_core::AppError> {
    let shaped = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let valid = shaped && unyo_core::time::parse_rfc3339(&format!("{text}T00:00:00Z")).is_some();
    if valid {
        Ok(())
    } else {
        Err(unyo_core::AppError::invalid_input(format!(
            "{text:?} is not a date: write it as 2026-12-05"
        )))
    }
}

/// Whole minutes from `start` to `end` (both RFC 3339), rounded down; `None` when either is
/// not a time or `end` comes first.
pub fn minutes_between(start: &str, end: &str) -> Option<i64> {
    let start = unyo_core::time::parse_rfc3339(start)?;
    let end = unyo_core::time::parse_rfc3339(end)?;
    (end >= start).then(|| (end - start) / 60)
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

    #[test]
    fn times_are_kept_in_utc_and_dates_checked() {
        assert_eq!(
            normalized("2026-11-28T19:04:00+09:00").unwrap(),
            "2026-11-28T10:04:00Z"
        );
        assert_eq!(
            normalized(" 2026-11-28T10:04:00Z").unwrap(),
            "2026-11-28T10:04:00Z"
        );
        assert!(normalized("10:30").is_err());
        assert!(normalized("2026-11-28 10:30").is_err());
        assert!(check_date("2026-12-05").is_ok());
        assert!(check_date("5 Dec").is_err());
        assert!(check_date("2026-13-05").is_err());
    }

    #[test]
    fn counts_whole_minutes_forward_only() {
        assert_eq!(
            minutes_between("2026-11-28T10:04:00Z", "2026-11-28T10:51:59Z"),
            Some(47)
        );
        assert_eq!(
            minutes_between("2026-11-28T10:04:00Z", "2026-11-28T10:00:00Z"),
            None
        );
        assert_eq!(minutes_between("soon", "2026-11-28T10:00:00Z"), None);
    }
}
