//! What a pinned read keeps: a snapshot of what the responder saw when it shaped a decision,
//! stored as the entry's detail (JSON) and drawn again in the reports.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The most rows of a query's results a pin keeps.
pub const MAX_ROWS: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum PinSnapshot {
    Alarm {
        name: String,
        state: String,
        reason: String,
    },
    /// A metric over a time range, its datapoints as (RFC 3339 time, value).
    Chart {
        title: String,
        unit: String,
        start: String,
        end: String,
        points: Vec<(String, f64)>,
    },
    /// A Logs Insights query with the first rows of its results.
    Query {
        query: String,
        groups: Vec<String>,
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    TrailEvent {
        name: String,
        user: String,
        at: String,
        resources: Vec<String>,
    },
}

impl PinSnapshot {
    /// The snapshot in a pinned entry's detail, when it holds one this build can read.
    pub fn from_detail(detail: Option<&str>) -> Option<Self> {
        serde_json::from_str(detail?).ok()
    }
}
