//! CloudWatch Logs on a real account: the region's log groups (`DescribeLogGroups`), one
//! group's events (`FilterLogEvents`), and Logs Insights queries ([`insights`]: `StartQuery`,
//! `GetQueryResults`, `StopQuery`), in the shapes Diagnosis shows.
//!
//! CloudWatch Logs counts time in milliseconds since the epoch and Logs Insights in seconds;
//! the screens pass RFC 3339 and get RFC 3339 back.

mod insights;

use async_trait::async_trait;
use aws_sdk_cloudwatchlogs::types::FilteredLogEvent;
use unyo_core::cloud::Logs;
use unyo_core::logs::{InsightsProgress, InsightsQuery, LogEvent, LogEventsQuery, LogGroup};
use unyo_core::time::{require_rfc3339, rfc3339_millis};
use unyo_core::{AppError, ErrorCode};

use crate::cloud::AwsCloud;
use crate::error::{from_action, service_code};

/// `DescribeLogGroups` returns at most 50 groups a page.
const GROUPS_PER_PAGE: i32 = 50;

/// `FilterLogEvents` returns at most 10,000 events a page; bigger pages mean fewer calls.
const EVENTS_PER_PAGE: i32 = 10_000;

/// The newest events kept when the query sets no limit, so that a wide window over a busy
/// group cannot fill memory; the screen's own limits are far lower.
const DEFAULT_EVENT_LIMIT: usize = 10_000;

#[async_trait]
impl Logs for AwsCloud {
    async fn list_log_groups(&self, region: &str) -> Result<Vec<LogGroup>, AppError> {
        list_groups(&self.logs_client(region)?, region).await
    }

    async fn get_log_events(&self, query: &LogEventsQuery) -> Result<Vec<LogEvent>, AppError> {
        events(&self.logs_client(&query.region)?, query).await
    }

    async fn start_insights(&self, query: &InsightsQuery) -> Result<String, AppError> {
        insights::start(&self.logs_client(&query.region)?, query).await
    }

    async fn insights_results(
        &self,
        region: &str,
        query_id: &str,
    ) -> Result<InsightsProgress, AppError> {
        insights::results(&self.logs_client(region)?, region, query_id).await
    }

    async fn stop_insights(&self, region: &str, query_id: &str) -> Result<(), AppError> {
        insights::stop(&self.logs_client(region)?, query_id).await
    }
}

impl AwsCloud {
    /// The CloudWatch Logs client of `region`, which must be a region code.
    fn logs_client(&self, region: &str) -> Result<aws_sdk_cloudwatchlogs::Client, AppError> {
        Self::check_region(region)?;
        let clients = self.logs.as_ref().ok_or_else(|| {
            AppError::new(
                ErrorCode::Unsupported,
                "this account was opened without CloudWatch Logs clients",
            )
        })?;
        Ok(clients.get(region))
    }
}

/// Every log group of the region, one call per 50 groups and none per group, so accounts
/// with thousands of groups list in seconds.
pub async fn list_groups(
    logs: &aws_sdk_cloudwatchlogs::Client,
    region: &str,
) -> Result<Vec<LogGroup>, AppError> {
    let mut groups = Vec::new();
    let mut pages = logs
        .describe_log_groups()
        .limit(GROUPS_PER_PAGE)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_action("logs:DescribeLogGroups", &e))?;
        groups.extend(
            page.log_groups
                .unwrap_or_default()
                .into_iter()
                .filter_map(|g| {
                    Some(LogGroup {
                        name: g.log_group_name?,
                        region: region.to_owned(),
                        stored_bytes: g.stored_bytes.map_or(0, |b| u64::try_from(b).unwrap_or(0)),
                        retention_days: g.retention_in_days.and_then(|d| u32::try_from(d).ok()),
                    })
                }),
        );
    }
    Ok(groups)
}

/// The filter pattern that matches messages containing `text` as it is: a quoted phrase, so
/// that spaces and punctuation are not read as pattern syntax (`?`, `-`, `{ }`).
pub(crate) fn phrase_pattern(text: &str) -> Result<Option<String>, AppError> {
    if text.is_empty() {
        return Ok(None);
    }
    // The filter pattern syntax has no documented way to put a double quote inside a quoted
    // phrase, so it is refused rather than sent as a pattern that means something else.
    if text.contains('"') {
        return Err(AppError::invalid_input(
            "the text to look for cannot contain a double quote (\"); search for a part without it, or use a Logs Insights query",
        ));
    }
    Ok(Some(format!("\"{text}\"")))
}

/// The group's events in the query's window, oldest first: the newest `limit` of them (or of
/// [`DEFAULT_EVENT_LIMIT`]). Every page is read, because `FilterLogEvents` pages run oldest
/// first and the newest events come last; only the newest are kept while reading.
pub async fn events(
    logs: &aws_sdk_cloudwatchlogs::Client,
    query: &LogEventsQuery,
) -> Result<Vec<LogEvent>, AppError> {
    const ACTION: &str = "logs:FilterLogEvents";
    let start = require_rfc3339("start", &query.start)?;
    let end = require_rfc3339("end", &query.end)?;
    if start > end {
        return Err(AppError::invalid_input(format!(
            "the start {} is after the end {}",
            query.start, query.end
        )));
    }
    let limit = query
        .limit
        .map_or(DEFAULT_EVENT_LIMIT, |n| n as usize)
        .max(1);
    let pattern = match &query.contains {
        Some(text) => phrase_pattern(text)?,
        None => None,
    };
    let mut pages = logs
        .filter_log_events()
        .log_group_name(&query.log_group)
        .start_time(start.saturating_mul(1000))
        .end_time(end.saturating_mul(1000))
        .set_filter_pattern(pattern)
        .limit(EVENTS_PER_PAGE)
        .into_paginator()
        .send();
    let mut kept: Vec<FilteredLogEvent> = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| match service_code(&e) {
            Some("ResourceNotFoundException") => AppError::invalid_input(format!(
                "the log group {} does not exist in {}",
                query.log_group, query.region
            )),
            _ => from_action(ACTION, &e),
        })?;
        kept.extend(page.events.unwrap_or_default());
        // Trimmed only once it doubles, so each event is sorted a bounded number of times.
        if kept.len() >= limit.saturating_mul(2) {
            keep_newest(&mut kept, limit);
        }
    }
    keep_newest(&mut kept, limit);
    Ok(kept
        .into_iter()
        .map(|e| LogEvent {
            timestamp: rfc3339_millis(e.timestamp.unwrap_or_default()),
            log_stream: e.log_stream_name.unwrap_or_default(),
            message: e.message.unwrap_or_default(),
        })
        .collect())
}

/// Sorts `events` oldest first (stable, so AWS's order stays among equal times) and drops all
/// but the newest `limit`.
fn keep_newest(events: &mut Vec<FilteredLogEvent>, limit: usize) {
    events.sort_by_key(|e| e.timestamp.unwrap_or_default());
    let extra = events.len().saturating_sub(limit);
    events.drain(..extra);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(at: i64, message: &str) -> FilteredLogEvent {
        FilteredLogEvent::builder()
            .timestamp(at)
            .message(message)
            .build()
    }

    #[test]
    fn the_newest_are_kept_oldest_first() {
        let mut events = vec![event(3, "c"), event(1, "a"), event(4, "d"), event(2, "b")];
        keep_newest(&mut events, 2);
        let kept: Vec<&str> = events.iter().filter_map(|e| e.message()).collect();
        assert_eq!(kept, ["c", "d"]);
    }

    #[test]
    fn a_phrase_is_quoted_and_a_quote_is_refused() {
        assert_eq!(
            phrase_pattern("connection refused")
                .ok()
                .flatten()
                .as_deref(),
            Some("\"connection refused\"")
        );
        assert_eq!(phrase_pattern("").ok().flatten(), None);
        let err = phrase_pattern("say \"hi\"").err().map(|e| e.code);
        assert_eq!(err, Some(ErrorCode::InvalidInput));
    }
}
