use super::*;
use crate::logs::LogEvent;

fn event(timestamp: &str, stream: &str, message: &str) -> LogEvent {
    LogEvent {
        timestamp: timestamp.into(),
        log_stream: stream.into(),
        message: message.into(),
    }
}

fn records() -> Vec<Record> {
    [
        event(
            "2026-11-28T09:01:10Z",
            "i-1",
            r#"{"level":"INFO","msg":"GET /health 200","ms":3}"#,
        ),
        event(
            "2026-11-28T09:02:40Z",
            "i-1",
            r#"{"level":"ERROR","msg":"write /var/log/app.log: No space left on device","ms":12}"#,
        ),
        event(
            "2026-11-28T09:07:05Z",
            "i-2",
            r#"{"level":"ERROR","msg":"No space left on device","ms":40}"#,
        ),
        event(
            "2026-11-28T09:08:00Z",
            "i-2",
            "plain text line: disk almost full",
        ),
        event(
            "2026-11-28T09:09:59Z",
            "i-1",
            r#"{"level":"WARN","msg":"slow request","ms":900}"#,
        ),
    ]
    .iter()
    .map(|e| record("/app/orders", e))
    .collect()
}

#[test]
fn a_bare_filter_shows_timestamp_and_message() {
    let result = run("filter @message like /No space left/", records()).unwrap();
    assert_eq!(result.columns, ["@timestamp", "@message"]);
    assert_eq!(result.rows.len(), 2);
    assert_eq!(result.rows[0][0], "2026-11-28T09:02:40Z");
    assert_eq!((result.records_scanned, result.records_matched), (5, 2));
}

#[test]
fn json_fields_are_discovered_and_compared() {
    let result = run(
        "fields @timestamp, level, ms | filter level = \"ERROR\" and ms > 20",
        records(),
    )
    .unwrap();
    assert_eq!(result.columns, ["@timestamp", "level", "ms"]);
    assert_eq!(result.rows, [["2026-11-28T09:07:05Z", "ERROR", "40"]]);
}

#[test]
fn numbers_compare_as_numbers_not_text() {
    // As text "900" < "12" would be false the other way round.
    let result = run("filter ms >= 12 | sort ms desc | fields ms", records()).unwrap();
    assert_eq!(result.rows, [["900"], ["40"], ["12"]]);
}

#[test]
fn stats_count_by_a_field_and_by_time_bins() {
    let by_level = run("stats count(*) as n by level | sort n desc", records()).unwrap();
    assert_eq!(by_level.columns, ["level", "n"]);
    assert_eq!(by_level.rows[0], ["ERROR", "2"]);
    assert_eq!(by_level.rows.len(), 4, "{:?}", by_level.rows); // INFO, WARN and no level

    let by_bin = run(
        "filter @message like /no space/i | stats count() by bin(5m)",
        records(),
    )
    .unwrap();
    assert_eq!(by_bin.columns, ["bin(5m)", "count(*)"]);
    assert_eq!(
        by_bin.rows,
        [["2026-11-28T09:00:00Z", "1"], ["2026-11-28T09:05:00Z", "1"]]
    );
}

#[test]
fn or_not_and_parentheses() {
    let result = run(
        "filter (level = 'WARN' or level = 'INFO') and not @logStream = 'i-2' | fields level",
        records(),
    )
    .unwrap();
    assert_eq!(result.rows, [["INFO"], ["WARN"]]);
    let unlike = run(
        "filter @message not like \"level\" | fields @message",
        records(),
    )
    .unwrap();
    assert_eq!(unlike.rows, [["plain text line: disk almost full"]]);
}

#[test]
fn sort_and_limit() {
    let result = run(
        "fields @timestamp | sort @timestamp desc | limit 2",
        records(),
    )
    .unwrap();
    assert_eq!(
        result.rows,
        [["2026-11-28T09:09:59Z"], ["2026-11-28T09:08:00Z"]]
    );
}

#[test]
fn says_what_it_does_not_understand() {
    let cases = [
        ("parse @message \"* *\" as a, b", "parse"),
        ("stats avg(ms)", "count()"),
        ("filter @message like /^ERROR/", "literal"),
        ("filter @message like /open", "unclosed"),
        ("fields a,", "end of the stage"),
        ("limit ten", "number"),
        ("fields a | | limit 1", "empty stage"),
        ("stats count(*) by bin(2d)", "bin(2d)"),
        ("", "empty"),
    ];
    for (query, needle) in cases {
        let err = parse(query).unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::InvalidInput);
        assert!(err.message.contains(needle), "{query}: {}", err.message);
    }
}

#[test]
fn a_dot_in_a_pattern_is_literal() {
    let result = run("filter @message like /app.log/", records()).unwrap();
    assert_eq!(result.rows.len(), 1);
}

#[test]
fn count_of_a_field_counts_records_that_have_it() {
    let result = run("stats count(level) as with_level, count(*) as n", records());
    // One aggregate per stats in this subset: the second is a parse error, said plainly.
    assert!(result.is_err());
    let result = run("stats count(level) as with_level", records()).unwrap();
    assert_eq!(result.rows, [["4"]]);
    let result = run("stats count(*) as all", records()).unwrap();
    assert_eq!(result.rows, [["5"]]);
}

#[test]
fn a_missing_field_never_matches_a_comparison() {
    let result = run("filter ms < 1000 | fields @logStream", records()).unwrap();
    assert_eq!(result.rows.len(), 4);
    let result = run("filter level != 'INFO' | fields level", records()).unwrap();
    assert_eq!(result.rows, [["ERROR"], ["ERROR"], ["WARN"]]);
}
