//! CloudWatch Logs as Diagnosis uses it: log groups, their events, and Logs Insights queries.
//! The query language subset lives in [`insights`] so every Cloud answers a query the same
//! way (the practice account runs it over its own events; a real account sends the text to
//! `StartQuery` and reads the rows back).

mod follow;
pub mod insights;

pub use follow::{POLL, follow_insights, run_insights};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::localized::Localized;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LogGroup {
    pub name: String,
    pub region: String,
    #[ts(type = "number")]
    pub stored_bytes: u64,
    /// `None` keeps events forever (and keeps paying for them).
    pub retention_days: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LogEvent {
    /// RFC 3339.
    pub timestamp: String,
    pub log_stream: String,
    pub message: String,
}

/// `FilterLogEvents` for one group: events in a time range, optionally containing a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LogEventsQuery {
    pub region: String,
    pub log_group: String,
    /// RFC 3339 bounds; the end is exclusive.
    pub start: String,
    pub end: String,
    /// Only events whose message contains this text (a plain-term filter pattern).
    pub contains: Option<String>,
    /// At most this many events, the newest ones.
    pub limit: Option<u32>,
}

impl LogEventsQuery {
    /// The AWS CLI command that reads the same events (times in milliseconds, as it takes
    /// them).
    pub fn cli(&self) -> String {
        use crate::action::shell_quote;
        let mut cli = format!(
            "aws logs filter-log-events --region {} --log-group-name {} --start-time $(($(date -d {} +%s) * 1000)) --end-time $(($(date -d {} +%s) * 1000))",
            shell_quote(&self.region),
            shell_quote(&self.log_group),
            shell_quote(&self.start),
            shell_quote(&self.end)
        );
        if let Some(text) = &self.contains {
            cli.push_str(&format!(
                " --filter-pattern {}",
                shell_quote(&format!("\"{text}\""))
            ));
        }
        if let Some(limit) = self.limit {
            cli.push_str(&format!(" --limit {limit}"));
        }
        cli
    }
}

/// A Logs Insights query over some log groups and a time range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InsightsQuery {
    pub region: String,
    pub log_groups: Vec<String>,
    /// The query text, e.g. `fields @timestamp, @message | filter @message like /ERROR/`.
    pub query: String,
    pub start: String,
    pub end: String,
}

impl InsightsQuery {
    /// The AWS CLI command that starts the same query (read-only, but it costs per GB scanned).
    pub fn cli(&self) -> String {
        use crate::action::shell_quote;
        let groups: Vec<String> = self.log_groups.iter().map(|g| shell_quote(g)).collect();
        format!(
            "aws logs start-query --region {} --log-group-names {} --start-time $(date -d {} +%s) --end-time $(date -d {} +%s) --query-string {}",
            shell_quote(&self.region),
            groups.join(" "),
            shell_quote(&self.start),
            shell_quote(&self.end),
            shell_quote(&self.query)
        )
    }
}

/// Query results as a table: one column per field, each row's values as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InsightsResult {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    #[ts(type = "number")]
    pub records_scanned: u64,
    #[ts(type = "number")]
    pub records_matched: u64,
    /// What the query read so far: Logs Insights bills per GB scanned.
    pub bytes_scanned: f64,
}

/// A Logs Insights query's state, with AWS's names (`QueryStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum InsightsStatus {
    Scheduled,
    Running,
    Complete,
    Failed,
    Cancelled,
    Timeout,
    Unknown,
}

impl InsightsStatus {
    /// Whether the query has ended: no more rows will come.
    pub fn is_finished(self) -> bool {
        !matches!(self, Self::Scheduled | Self::Running)
    }
}

/// A query as it stands: its status and the rows so far (all of them once complete).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InsightsProgress {
    pub query_id: String,
    pub region: String,
    pub status: InsightsStatus,
    pub result: InsightsResult,
}

/// A ready-made query Diagnosis offers first; each parses with [`insights::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InsightsTemplate {
    pub id: String,
    pub name: Localized,
    pub query: String,
}

/// The templates, most useful first in an incident.
pub fn insights_templates() -> Vec<InsightsTemplate> {
    let template = |id: &str, en: &str, ja: &str, query: &str| InsightsTemplate {
        id: id.to_owned(),
        name: Localized::new(en, ja),
        query: query.to_owned(),
    };
    vec![
        template(
            "latest-errors",
            "Latest errors",
            "最新のエラー",
            "fields @timestamp, @logStream, @message | filter @message like /error/i | sort @timestamp desc | limit 50",
        ),
        template(
            "errors-over-time",
            "Errors per 5 minutes",
            "5 分ごとのエラー件数",
            "filter @message like /error/i | stats count(*) as errors by bin(5m)",
        ),
        template(
            "errors-by-stream",
            "Errors by instance (log stream)",
            "インスタンス（ログストリーム）別のエラー件数",
            "filter @message like /error/i | stats count(*) as errors by @logStream | sort errors desc",
        ),
        template(
            "latest-events",
            "Latest events",
            "最新のイベント",
            "fields @timestamp, @message | sort @timestamp desc | limit 20",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_events_query_says_its_cli() {
        let query = LogEventsQuery {
            region: "ap-northeast-1".into(),
            log_group: "/storefront/app".into(),
            start: "2026-11-28T09:00:00Z".into(),
            end: "2026-11-28T10:00:00Z".into(),
            contains: Some("connection refused".into()),
            limit: Some(50),
        };
        let cli = query.cli();
        assert!(cli.starts_with("aws logs filter-log-events --region ap-northeast-1 --log-group-name /storefront/app"), "{cli}");
        assert!(
            cli.ends_with(r#" --filter-pattern '"connection refused"' --limit 50"#),
            "{cli}"
        );
    }

    #[test]
    fn every_template_parses_and_has_both_languages() {
        for template in insights_templates() {
            insights::parse(&template.query).unwrap();
            assert!(!template.name.en.is_empty() && !template.name.ja.is_empty());
        }
    }
}
