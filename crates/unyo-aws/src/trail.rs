//! CloudTrail's event history on a real account (`LookupEvents`): the management events of
//! a time window, newest first, optionally narrowed by the one attribute the API filters on,
//! each with the whole record CloudTrail stores (JSON text) for the detail view.
//!
//! `LookupEvents` answers two calls a second per account and region and at most 50 events a
//! page, so pages are read only until the query's limit is reached.

use async_trait::async_trait;
use aws_sdk_cloudtrail::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cloudtrail::types::{self as ct, LookupAttributeKey};
use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use unyo_core::cloud::Trail;
use unyo_core::time::require_rfc3339;
use unyo_core::trail::{LookupAttribute, TrailEvent, TrailQuery, TrailResource};
use unyo_core::{AppError, ErrorCode};

use crate::cloud::AwsCloud;
use crate::error::{from_action, service_code};

/// Events returned when the query sets no limit; the screen shows the limit it used.
pub const DEFAULT_MAX_RESULTS: u32 = 200;

/// `LookupEvents` returns at most 50 events a page.
const EVENTS_PER_PAGE: u32 = 50;

const ACTION: &str = "cloudtrail:LookupEvents";

#[async_trait]
impl Trail for AwsCloud {
    async fn lookup_trail_events(&self, query: &TrailQuery) -> Result<Vec<TrailEvent>, AppError> {
        Self::check_region(&query.region)?;
        let clients = self.cloudtrail.as_ref().ok_or_else(|| {
            AppError::new(
                ErrorCode::Unsupported,
                "this account was opened without CloudTrail clients",
            )
        })?;
        lookup(&clients.get(&query.region), query).await
    }
}

/// The query's events, newest first (as CloudTrail returns them), at most its limit.
pub async fn lookup(
    cloudtrail: &aws_sdk_cloudtrail::Client,
    query: &TrailQuery,
) -> Result<Vec<TrailEvent>, AppError> {
    let start = require_rfc3339("start", &query.start)?;
    let end = require_rfc3339("end", &query.end)?;
    if start > end {
        return Err(AppError::invalid_input(format!(
            "the start {} is after the end {}",
            query.start, query.end
        )));
    }
    let wanted = query.max_results.unwrap_or(DEFAULT_MAX_RESULTS).max(1);
    let attribute = match &query.lookup {
        Some(lookup) => Some(
            ct::LookupAttribute::builder()
                .attribute_key(key(lookup.attribute))
                .attribute_value(&lookup.value)
                .build()
                .map_err(|e| AppError::invalid_input(format!("the lookup attribute: {e}")))?,
        ),
        None => None,
    };
    let page_size = i32::try_from(wanted.min(EVENTS_PER_PAGE)).unwrap_or(50);
    let mut pages = cloudtrail
        .lookup_events()
        .start_time(DateTime::from_secs(start))
        .end_time(DateTime::from_secs(end))
        .set_lookup_attributes(attribute.map(|a| vec![a]))
        .max_results(page_size)
        .into_paginator()
        .send();
    let wanted = wanted as usize;
    let mut found = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| lookup_error(&query.region, &e))?;
        found.extend(page.events.unwrap_or_default().into_iter().map(event_of));
        if found.len() >= wanted {
            break;
        }
    }
    found.truncate(wanted);
    Ok(found)
}

fn key(attribute: LookupAttribute) -> LookupAttributeKey {
    match attribute {
        LookupAttribute::EventName => LookupAttributeKey::EventName,
        LookupAttribute::EventSource => LookupAttributeKey::EventSource,
        LookupAttribute::ResourceName => LookupAttributeKey::ResourceName,
        LookupAttribute::ResourceType => LookupAttributeKey::ResourceType,
        LookupAttribute::Username => LookupAttributeKey::Username,
        LookupAttribute::ReadOnly => LookupAttributeKey::ReadOnly,
    }
}

fn event_of(event: ct::Event) -> TrailEvent {
    let record = event.cloud_trail_event.unwrap_or_default();
    let read_only = match event.read_only.as_deref() {
        Some(flag) => flag.eq_ignore_ascii_case("true"),
        None => record_read_only(&record),
    };
    TrailEvent {
        event_id: event.event_id.unwrap_or_default(),
        event_time: event
            .event_time
            .and_then(|t| t.fmt(Format::DateTime).ok())
            .unwrap_or_default(),
        event_name: event.event_name.unwrap_or_default(),
        event_source: event.event_source.unwrap_or_default(),
        username: event.username.unwrap_or_default(),
        read_only,
        resources: event
            .resources
            .unwrap_or_default()
            .into_iter()
            .map(|r| TrailResource {
                resource_type: r.resource_type.unwrap_or_default(),
                resource_name: r.resource_name.unwrap_or_default(),
            })
            .collect(),
        cloud_trail_event: record,
    }
}

/// The record's own `readOnly` (a boolean, or a string in older records), for events whose
/// summary lacks it. A record that does not say counts as a change: better shown than hidden
/// when the operator looks for what changed.
fn record_read_only(record: &str) -> bool {
    match serde_json::from_str::<serde_json::Value>(record) {
        Ok(value) => match value.get("readOnly") {
            Some(serde_json::Value::Bool(flag)) => *flag,
            Some(serde_json::Value::String(flag)) => flag.eq_ignore_ascii_case("true"),
            _ => false,
        },
        Err(_) => false,
    }
}

/// `LookupEvents`' errors; a region the account has not enabled refuses every credential,
/// and is named so the screen does not send the user to fix working keys.
fn lookup_error<E, R>(region: &str, err: &SdkError<E, R>) -> AppError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let mapped = crate::from_sdk(err);
    match service_code(err) {
        Some("OptInRequired") => AppError::new(
            ErrorCode::InvalidInput,
            format!(
                "{region} is not enabled for this account, so CloudTrail there has no events (enable the region in the account's settings, or pick another): {}",
                mapped.message
            ),
        ),
        Some("UnrecognizedClientException" | "InvalidClientTokenId") => AppError::new(
            ErrorCode::CredentialsInvalid,
            format!(
                "CloudTrail in {region} refused the credentials; if other regions answer, {region} is probably not enabled for this account: {}",
                mapped.message
            ),
        ),
        Some(
            "InvalidTimeRangeException"
            | "InvalidLookupAttributesException"
            | "InvalidMaxResultsException"
            | "InvalidEventCategoryException",
        ) => AppError::invalid_input(format!("{ACTION} refused the request: {}", mapped.message)),
        _ => from_action(ACTION, err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_comes_from_the_summary_or_else_the_record() {
        let summary = ct::Event::builder()
            .read_only("true")
            .cloud_trail_event(r#"{"readOnly":false}"#)
            .build();
        assert!(event_of(summary).read_only);
        let record = ct::Event::builder()
            .cloud_trail_event(r#"{"eventName":"DescribeInstances","readOnly":true}"#)
            .build();
        assert!(event_of(record).read_only);
        assert!(record_read_only(r#"{"readOnly":"true"}"#));
        assert!(!record_read_only(r#"{"eventName":"StopInstances"}"#));
        assert!(!record_read_only("not json"));
    }
}
