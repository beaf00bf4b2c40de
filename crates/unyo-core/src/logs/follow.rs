//! Following a Logs Insights query to its end, once for every account: start it, read its
//! results every `poll` until it finishes, and hand each read to the caller, so partial rows
//! reach the screen while the query still scans. Stopping is the account's
//! [`stop_insights`](crate::cloud::Logs::stop_insights); the next read then says `Cancelled`.

use std::time::Duration;

use super::{InsightsProgress, InsightsQuery};
use crate::AppError;
use crate::cloud::Logs;

/// How often the results are read while the query runs. Logs Insights allows
/// `GetQueryResults` five times a second per account; one read a second leaves room for
/// several windows and queries at once.
pub const POLL: Duration = Duration::from_secs(1);

/// Starts `query` and reads its results until it finishes, calling `on_progress` with the
/// first read and with every read whose rows, statistics or status changed. Returns the last.
pub async fn follow_insights(
    logs: &dyn Logs,
    query: &InsightsQuery,
    poll: Duration,
    on_progress: &mut (dyn FnMut(&InsightsProgress) + Send),
) -> Result<InsightsProgress, AppError> {
    let query_id = logs.start_insights(query).await?;
    let mut last: Option<InsightsProgress> = None;
    loop {
        let progress = logs.insights_results(&query.region, &query_id).await?;
        if last.as_ref() != Some(&progress) {
            on_progress(&progress);
        }
        if progress.status.is_finished() {
            return Ok(progress);
        }
        last = Some(progress);
        tokio::time::sleep(poll).await;
    }
}

/// Runs `query` to its end and returns its table; a query that failed, timed out or was
/// stopped is an error that says so. For callers that show only the final rows.
pub async fn run_insights(
    logs: &dyn Logs,
    query: &InsightsQuery,
) -> Result<super::InsightsResult, AppError> {
    let done = follow_insights(logs, query, POLL, &mut |_| {}).await?;
    match done.status {
        super::InsightsStatus::Complete => Ok(done.result),
        status => Err(AppError::new(
            crate::ErrorCode::Internal,
            format!(
                "the Logs Insights query {} ended {status:?} before it completed",
                done.query_id
            ),
        )),
    }
}
