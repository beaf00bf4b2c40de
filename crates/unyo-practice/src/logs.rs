//! CloudWatch Logs and CloudTrail lookups over the practice account's stored events. Logs
//! Insights queries run through `unyo_core::logs::insights` (the subset of the language
//! Unyo's templates use), finish as they start, and are kept by id for `GetQueryResults`.

use unyo_core::AppError;
use unyo_core::logs::insights;
use unyo_core::logs::{
    InsightsProgress, InsightsQuery, InsightsResult, InsightsStatus, LogEvent, LogEventsQuery,
    LogGroup,
};
use unyo_core::trail::{TrailEvent, TrailQuery};

use crate::account::{Account, GroupData, check_region};
use crate::clock::{parse_rfc3339, rfc3339};

fn range(start: &str, end: &str) -> Result<(i64, i64), AppError> {
    match (parse_rfc3339(start), parse_rfc3339(end)) {
        (Some(s), Some(e)) if s <= e => Ok((s, e)),
        (Some(_), Some(_)) => Err(AppError::invalid_input(
            "the start time is after the end time",
        )),
        _ => Err(AppError::invalid_input(
            "times must be RFC 3339 in UTC, e.g. 2026-11-28T10:00:00Z",
        )),
    }
}

fn group<'a>(account: &'a Account, region: &str, name: &str) -> Result<&'a GroupData, AppError> {
    account
        .log_groups
        .get(name)
        .filter(|g| g.region == region)
        .ok_or_else(|| {
            AppError::invalid_input(format!(
                "the log group {name} does not exist in {region} (ResourceNotFoundException)"
            ))
        })
}

pub fn list_groups(account: &Account, region: &str) -> Result<Vec<LogGroup>, AppError> {
    check_region(region)?;
    Ok(account
        .log_groups
        .iter()
        .filter(|(_, g)| g.region == region)
        .map(|(name, g)| LogGroup {
            name: name.clone(),
            region: region.to_owned(),
            // Stored bytes as CloudWatch counts them: each message and 26 bytes of overhead.
            stored_bytes: g.events.iter().map(|e| e.message.len() as u64 + 26).sum(),
            retention_days: g.retention_days,
        })
        .collect())
}

/// The bytes the region's groups took in during `[start, end)`, counted as CloudWatch bills
/// ingestion: each message and 26 bytes of overhead.
pub fn ingested_bytes(account: &Account, region: &str, start: i64, end: i64) -> u64 {
    account
        .log_groups
        .values()
        .filter(|g| g.region == region)
        .flat_map(|g| &g.events)
        .filter(|e| e.at >= start && e.at < end)
        .map(|e| e.message.len() as u64 + 26)
        .sum()
}

fn events_in(g: &GroupData, start: i64, end: i64, now: i64) -> Vec<LogEvent> {
    let mut events: Vec<&crate::account::StoredEvent> = g
        .events
        .iter()
        .filter(|e| e.at >= start && e.at < end && e.at <= now)
        .collect();
    events.sort_by_key(|e| e.at);
    events
        .into_iter()
        .map(|e| LogEvent {
            timestamp: rfc3339(e.at),
            log_stream: e.stream.clone(),
            message: e.message.clone(),
        })
        .collect()
}

pub fn events(
    account: &Account,
    query: &LogEventsQuery,
    now: i64,
) -> Result<Vec<LogEvent>, AppError> {
    check_region(&query.region)?;
    let (start, end) = range(&query.start, &query.end)?;
    let g = group(account, &query.region, &query.log_group)?;
    let mut found: Vec<LogEvent> = events_in(g, start, end, now)
        .into_iter()
        .filter(|e| {
            query
                .contains
                .as_ref()
                .is_none_or(|t| e.message.contains(t.as_str()))
        })
        .collect();
    if let Some(limit) = query.limit {
        let keep = found.len().saturating_sub(limit as usize);
        found.drain(..keep);
    }
    Ok(found)
}

/// Runs `query` at once and keeps its result under a new id (`StartQuery`).
pub fn start_insights(
    account: &mut Account,
    query: &InsightsQuery,
    now: i64,
) -> Result<String, AppError> {
    let result = insights(account, query, now)?;
    let query_id = account.next_uuid();
    account.queries.insert(
        query_id.clone(),
        InsightsProgress {
            query_id: query_id.clone(),
            region: query.region.clone(),
            status: InsightsStatus::Complete,
            result,
        },
    );
    Ok(query_id)
}

/// A query started in `region` (`GetQueryResults`).
pub fn insights_results(
    account: &Account,
    region: &str,
    query_id: &str,
) -> Result<InsightsProgress, AppError> {
    check_region(region)?;
    account
        .queries
        .get(query_id)
        .filter(|q| q.region == region)
        .cloned()
        .ok_or_else(|| {
            AppError::invalid_input(format!(
                "there is no query {query_id} in {region} (ResourceNotFoundException)"
            ))
        })
}

fn insights(
    account: &Account,
    query: &InsightsQuery,
    now: i64,
) -> Result<InsightsResult, AppError> {
    check_region(&query.region)?;
    let parsed = insights::parse(&query.query)?;
    let (start, end) = range(&query.start, &query.end)?;
    if query.log_groups.is_empty() {
        return Err(AppError::invalid_input(
            "choose at least one log group to query",
        ));
    }
    let mut records = Vec::new();
    for name in &query.log_groups {
        let g = group(account, &query.region, name)?;
        records.extend(
            events_in(g, start, end, now)
                .iter()
                .map(|e| insights::record(name, e)),
        );
    }
    records.sort_by(|a, b| a.get("@timestamp").cmp(&b.get("@timestamp")));
    // What Logs Insights bills: the bytes of the events it read, timestamps included.
    let bytes: usize = records
        .iter()
        .map(|r| r.get("@message").map_or(0, String::len) + 8)
        .sum();
    let mut result = parsed.run(records);
    result.bytes_scanned = bytes as f64;
    Ok(result)
}

pub fn trail(account: &Account, query: &TrailQuery, now: i64) -> Result<Vec<TrailEvent>, AppError> {
    check_region(&query.region)?;
    let (start, end) = range(&query.start, &query.end)?;
    let mut found: Vec<&crate::account::StoredTrail> = account
        .trail
        .iter()
        .filter(|t| t.region == query.region && t.at >= start && t.at <= end && t.at <= now)
        .filter(|t| query.lookup.as_ref().is_none_or(|l| t.event.matches(l)))
        .collect();
    // Newest first, as LookupEvents returns them.
    found.sort_by_key(|t| std::cmp::Reverse(t.at));
    let limit = query.max_results.map_or(50, |n| n as usize);
    Ok(found
        .into_iter()
        .take(limit)
        .map(|t| t.event.clone())
        .collect())
}
