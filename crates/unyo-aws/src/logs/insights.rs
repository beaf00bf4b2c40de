//! Logs Insights on a real account: starting a query (`StartQuery`), reading its rows and
//! statistics as they grow (`GetQueryResults`), and stopping it (`StopQuery`). Following a
//! query to its end is core's (`unyo_core::logs::follow_insights`); this only maps the calls.
//!
//! AWS judges the query text itself: a malformed query comes back as `InvalidInput` with
//! the service's own words, which the screen shows next to the text.

use aws_sdk_cloudwatchlogs::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudwatchlogs::types::{QueryStatistics, QueryStatus, ResultField};
use unyo_core::logs::{InsightsProgress, InsightsQuery, InsightsResult, InsightsStatus};
use unyo_core::time::require_rfc3339;
use unyo_core::{AppError, ErrorCode};

use crate::automation::no_id;
use crate::error::{from_action, service_code, service_message};

/// `StartQuery` takes at most 50 log groups.
const MAX_GROUPS: usize = 50;

/// The field Logs Insights adds to every row to find the event again; it means nothing on
/// screen.
const POINTER_FIELD: &str = "@ptr";
const TIMESTAMP_FIELD: &str = "@timestamp";

/// `2026-11-28 10:00:00.123`, Logs Insights' own way of writing `@timestamp`, from epoch
/// milliseconds; any other text is kept as it is.
fn as_aws_timestamp(value: String) -> String {
    if value.len() != 13 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return value;
    }
    let Ok(millis) = value.parse::<i64>() else {
        return value;
    };
    let seconds = unyo_core::time::rfc3339(millis.div_euclid(1000));
    format!(
        "{}.{:03}",
        seconds.trim_end_matches('Z').replacen('T', " ", 1),
        millis.rem_euclid(1000)
    )
}

/// Starts the query and returns its id. The query text decides how many rows come back
/// (`| limit n`); no limit is added here.
pub async fn start(
    logs: &aws_sdk_cloudwatchlogs::Client,
    query: &InsightsQuery,
) -> Result<String, AppError> {
    const ACTION: &str = "logs:StartQuery";
    if query.log_groups.is_empty() {
        return Err(AppError::invalid_input(
            "a Logs Insights query needs at least one log group",
        ));
    }
    if query.log_groups.len() > MAX_GROUPS {
        return Err(AppError::invalid_input(format!(
            "a Logs Insights query reads at most {MAX_GROUPS} log groups, and {} are selected; pick fewer",
            query.log_groups.len()
        )));
    }
    let start = require_rfc3339("start", &query.start)?;
    let end = require_rfc3339("end", &query.end)?;
    if start > end {
        return Err(AppError::invalid_input(format!(
            "the start {} is after the end {}",
            query.start, query.end
        )));
    }
    let out = logs
        .start_query()
        .set_log_group_names(Some(query.log_groups.clone()))
        .start_time(start)
        .end_time(end)
        .query_string(&query.query)
        .send()
        .await
        .map_err(|e| query_error(ACTION, &e, &query.log_groups))?;
    out.query_id
        .filter(|id| !id.is_empty())
        .ok_or_else(|| no_id(ACTION, "a query id"))
}

/// The query's status, rows so far and statistics.
pub async fn results(
    logs: &aws_sdk_cloudwatchlogs::Client,
    region: &str,
    query_id: &str,
) -> Result<InsightsProgress, AppError> {
    let out = logs
        .get_query_results()
        .query_id(query_id)
        .send()
        .await
        .map_err(|e| match service_code(&e) {
            Some("ResourceNotFoundException") => AppError::invalid_input(format!(
                "there is no Logs Insights query {query_id} in {region} (queries are kept for 7 days)"
            )),
            _ => query_error("logs:GetQueryResults", &e, &[]),
        })?;
    let mut result = table(out.results.unwrap_or_default());
    statistics(&mut result, out.statistics.as_ref());
    Ok(InsightsProgress {
        query_id: query_id.to_owned(),
        region: region.to_owned(),
        status: status(out.status.as_ref()),
        result,
    })
}

/// Stops the query. One that has ended already (AWS says so with `InvalidParameterException`
/// or `success: false`) is fine: stopping is what the user wanted, and it has stopped.
pub async fn stop(logs: &aws_sdk_cloudwatchlogs::Client, query_id: &str) -> Result<(), AppError> {
    match logs.stop_query().query_id(query_id).send().await {
        Ok(out) => {
            if !out.success {
                tracing::debug!(query_id, "StopQuery: the query had ended already");
            }
            Ok(())
        }
        Err(e) if service_code(&e) == Some("InvalidParameterException") => {
            tracing::debug!(query_id, error = %crate::error::chain(&e), "StopQuery: not running");
            Ok(())
        }
        Err(e) => Err(query_error("logs:StopQuery", &e, &[])),
    }
}

/// The query calls' errors, with what the screen does about each: a malformed query keeps
/// the service's words, too many queries at once says how to get one slot back.
fn query_error<E, R>(action: &str, err: &SdkError<E, R>, groups: &[String]) -> AppError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let said = service_message(err).map_or_else(|| crate::error::chain(err), str::to_owned);
    match service_code(err) {
        Some("MalformedQueryException") => {
            AppError::invalid_input(format!("Logs Insights cannot run this query: {said}"))
        }
        // Logs Insights runs a fixed number of queries at once per account (30 by default,
        // shared with the console and other tools); StartQuery refuses more.
        Some("LimitExceededException") => AppError::new(
            ErrorCode::Throttled,
            format!(
                "too many Logs Insights queries are running at once in this account (the number is fixed per account); wait for one to finish or stop one, then try again ({said})"
            ),
        ),
        Some("ResourceNotFoundException") => AppError::invalid_input(format!(
            "a log group of the query does not exist in this region ({}): {said}",
            groups.join(", ")
        )),
        Some("InvalidParameterException") => {
            AppError::invalid_input(format!("{action} refused the request: {said}"))
        }
        _ => from_action(action, err),
    }
}

fn status(status: Option<&QueryStatus>) -> InsightsStatus {
    match status {
        Some(QueryStatus::Scheduled) => InsightsStatus::Scheduled,
        Some(QueryStatus::Running) => InsightsStatus::Running,
        Some(QueryStatus::Complete) => InsightsStatus::Complete,
        Some(QueryStatus::Failed) => InsightsStatus::Failed,
        Some(QueryStatus::Cancelled) => InsightsStatus::Cancelled,
        Some(QueryStatus::Timeout) => InsightsStatus::Timeout,
        _ => InsightsStatus::Unknown,
    }
}

/// Rows of `(field, value)` pairs as a table: one column per field in the order the fields
/// first appear (the query's `fields`/`stats` order), `@ptr` left out, and an empty cell where
/// a row lacks a field. Values stay as AWS wrote them; a `@timestamp` given as epoch
/// milliseconds (as some emulators give it) is written as AWS writes it.
fn table(rows: Vec<Vec<ResultField>>) -> InsightsResult {
    let mut columns: Vec<String> = Vec::new();
    let mut cells: Vec<Vec<(usize, String)>> = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cell_row = Vec::with_capacity(row.len());
        for field in row {
            let Some(name) = field.field.filter(|f| f != POINTER_FIELD) else {
                continue;
            };
            let index = match columns.iter().position(|c| *c == name) {
                Some(index) => index,
                None => {
                    columns.push(name);
                    columns.len() - 1
                }
            };
            let value = field.value.unwrap_or_default();
            let value = if columns[index] == TIMESTAMP_FIELD {
                as_aws_timestamp(value)
            } else {
                value
            };
            cell_row.push((index, value));
        }
        cells.push(cell_row);
    }
    let rows = cells
        .into_iter()
        .map(|cell_row| {
            let mut row = vec![String::new(); columns.len()];
            for (index, value) in cell_row {
                row[index] = value;
            }
            row
        })
        .collect();
    InsightsResult {
        columns,
        rows,
        records_scanned: 0,
        records_matched: 0,
        bytes_scanned: 0.0,
    }
}

/// The statistics so far; an answer without them (the emulator's) counts as nothing read.
fn statistics(result: &mut InsightsResult, stats: Option<&QueryStatistics>) {
    let Some(stats) = stats else {
        return;
    };
    // AWS sends the counts as doubles; they are whole and non-negative.
    result.records_scanned = count(stats.records_scanned);
    result.records_matched = count(stats.records_matched);
    result.bytes_scanned = stats.bytes_scanned.max(0.0);
}

fn count(value: f64) -> u64 {
    if value.is_finite() && value > 0.0 {
        value.round() as u64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, value: &str) -> ResultField {
        ResultField::builder().field(name).value(value).build()
    }

    #[test]
    fn epoch_millisecond_timestamps_are_written_as_aws_writes_them() {
        assert_eq!(
            as_aws_timestamp("1795860240123".into()),
            "2026-11-28 10:04:00.123"
        );
        assert_eq!(
            as_aws_timestamp("2026-11-28 10:04:00.123".into()),
            "2026-11-28 10:04:00.123"
        );
        assert_eq!(as_aws_timestamp("42".into()), "42");
    }

    #[test]
    fn rows_become_columns_in_first_seen_order_without_the_pointer() {
        let result = table(vec![
            vec![
                field("@timestamp", "2026-11-28 10:00:00.000"),
                field("@message", "a"),
                field("@ptr", "x"),
            ],
            vec![
                field("@message", "b"),
                field("@logStream", "i-1"),
                field("@ptr", "y"),
            ],
        ]);
        assert_eq!(result.columns, ["@timestamp", "@message", "@logStream"]);
        assert_eq!(
            result.rows,
            [
                vec!["2026-11-28 10:00:00.000", "a", ""],
                vec!["", "b", "i-1"]
            ]
        );
    }

    #[test]
    fn every_status_has_its_name_and_the_rest_are_unknown() {
        assert_eq!(status(Some(&QueryStatus::Running)), InsightsStatus::Running);
        assert_eq!(
            status(Some(&QueryStatus::from("Cancelled"))),
            InsightsStatus::Cancelled
        );
        assert_eq!(status(Some(&QueryStatus::Timeout)), InsightsStatus::Timeout);
        assert_eq!(
            status(Some(&QueryStatus::from("Unknown"))),
            InsightsStatus::Unknown
        );
        assert_eq!(
            status(Some(&QueryStatus::from("Paused"))),
            InsightsStatus::Unknown
        );
        assert_eq!(status(None), InsightsStatus::Unknown);
    }

    #[test]
    fn missing_statistics_count_as_zero() {
        let mut result = table(Vec::new());
        statistics(&mut result, None);
        assert_eq!((result.records_scanned, result.bytes_scanned), (0, 0.0));
        let stats = QueryStatistics::builder()
            .records_scanned(120.0)
            .records_matched(3.0)
            .bytes_scanned(4096.5)
            .build();
        statistics(&mut result, Some(&stats));
        assert_eq!((result.records_scanned, result.records_matched), (120, 3));
        assert_eq!(result.bytes_scanned, 4096.5);
    }
}
