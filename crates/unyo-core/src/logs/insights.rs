//! The part of the CloudWatch Logs Insights query language Unyo's templates and the practice
//! account use: `fields`, `filter` (with `like`, `not like`, comparisons, `and`, `or`, `not`),
//! `stats count(*) [as name] [by field, bin(5m)]`, `sort field [asc|desc]` and `limit N`,
//! commands joined by `|`.
//!
//! Parsing lives here so a query is checked the same way before it runs on any account.
//! Limits, said plainly in the errors: `like /.../` patterns are literal text (regular
//! expression syntax is refused, and a `.` matches only a dot), and other commands (`parse`,
//! `display`, `dedup`) are refused.

mod lexer;
mod parser;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use super::{InsightsResult, LogEvent};
use crate::AppError;

pub use parser::parse;

/// A parsed query, ready to run over records.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    commands: Vec<Command>,
}

#[derive(Debug, Clone, PartialEq)]
enum Command {
    Fields(Vec<String>),
    Filter(Expr),
    Stats {
        alias: String,
        /// `count(field)` counts the records that have the field; `count(*)` all of them.
        field: Option<String>,
        by: Vec<GroupKey>,
    },
    Sort {
        field: String,
        descending: bool,
    },
    Limit(usize),
}

#[derive(Debug, Clone, PartialEq)]
enum GroupKey {
    Field(String),
    /// `bin(5m)`: the record's `@timestamp` rounded down to this many seconds.
    Bin {
        seconds: u32,
        label: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Like {
        field: String,
        text: String,
        ignore_case: bool,
    },
    Compare {
        field: String,
        op: CompareOp,
        value: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One log event as the query sees it: `@timestamp`, `@message`, `@logStream`, `@log`, and
/// the top-level fields of a JSON message, as Logs Insights discovers them.
pub type Record = BTreeMap<String, String>;

/// The record Logs Insights would build for `event` in `log_group`.
pub fn record(log_group: &str, event: &LogEvent) -> Record {
    let mut fields = Record::new();
    if let Ok(serde_json::Value::Object(map)) =
        serde_json::from_str::<serde_json::Value>(&event.message)
    {
        for (key, value) in map {
            let text = match value {
                serde_json::Value::String(s) => s,
                serde_json::Value::Object(_) | serde_json::Value::Array(_) => continue,
                other => other.to_string(),
            };
            fields.insert(key, text);
        }
    }
    fields.insert("@timestamp".into(), event.timestamp.clone());
    fields.insert("@message".into(), event.message.clone());
    fields.insert("@logStream".into(), event.log_stream.clone());
    fields.insert("@log".into(), log_group.to_owned());
    fields
}

/// At most this many rows come back when the query sets no `limit`, as in the console.
pub const DEFAULT_LIMIT: usize = 1000;

impl Query {
    /// Runs the query over `records` (oldest first) and returns the table the console shows.
    pub fn run(&self, records: Vec<Record>) -> InsightsResult {
        let scanned = records.len() as u64;
        let mut rows = records;
        let mut columns: Option<Vec<String>> = None;
        let mut matched = scanned;
        let mut limit = DEFAULT_LIMIT;
        for command in &self.commands {
            match command {
                Command::Fields(names) => columns = Some(names.clone()),
                Command::Filter(expr) => {
                    rows.retain(|r| expr.matches(r));
                    matched = rows.len() as u64;
                }
                Command::Stats { alias, field, by } => {
                    rows = count_by(&rows, alias, field.as_deref(), by);
                    let mut names: Vec<String> = by.iter().map(GroupKey::name).collect();
                    names.push(alias.clone());
                    columns = Some(names);
                }
                Command::Sort { field, descending } => {
                    rows.sort_by(|a, b| {
                        let order = compare_values(a.get(field), b.get(field));
                        if *descending { order.reverse() } else { order }
                    });
                }
                Command::Limit(n) => limit = *n,
            }
        }
        rows.truncate(limit);
        let columns =
            columns.unwrap_or_else(|| vec!["@timestamp".to_owned(), "@message".to_owned()]);
        let rows = rows
            .iter()
            .map(|r| {
                columns
                    .iter()
                    .map(|c| r.get(c).cloned().unwrap_or_default())
                    .collect()
            })
            .collect();
        InsightsResult {
            columns,
            rows,
            records_scanned: scanned,
            records_matched: matched,
            bytes_scanned: 0.0,
        }
    }
}

/// Parses and runs `text` over `records` in one step.
pub fn run(text: &str, records: Vec<Record>) -> Result<InsightsResult, AppError> {
    Ok(parse(text)?.run(records))
}

impl GroupKey {
    fn name(&self) -> String {
        match self {
            GroupKey::Field(f) => f.clone(),
            GroupKey::Bin { label, .. } => format!("bin({label})"),
        }
    }

    fn value(&self, record: &Record) -> String {
        match self {
            GroupKey::Field(f) => record.get(f).cloned().unwrap_or_default(),
            GroupKey::Bin { seconds, .. } => record
                .get("@timestamp")
                .map(|t| floor_time(t, *seconds))
                .unwrap_or_default(),
        }
    }
}

/// Rounds an RFC 3339 time (`YYYY-MM-DDTHH:MM:SS...`) down to a bin within its day. Bins
/// longer than a day are clamped to the day, which the parser does not let through anyway.
fn floor_time(timestamp: &str, seconds: u32) -> String {
    let part = |range: std::ops::Range<usize>| {
        timestamp
            .get(range)
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let of_day = part(11..13) * 3600 + part(14..16) * 60 + part(17..19);
    let floored = of_day - of_day % seconds.max(1);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        timestamp.get(..10).unwrap_or("1970-01-01"),
        floored / 3600,
        floored % 3600 / 60,
        floored % 60
    )
}

fn count_by(rows: &[Record], alias: &str, field: Option<&str>, by: &[GroupKey]) -> Vec<Record> {
    let mut groups: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    for row in rows {
        let key: Vec<String> = by.iter().map(|k| k.value(row)).collect();
        let counted = field.is_none_or(|f| row.contains_key(f));
        *groups.entry(key).or_default() += u64::from(counted);
    }
    groups
        .into_iter()
        .map(|(key, count)| {
            let mut out: Record = by.iter().map(GroupKey::name).zip(key).collect();
            out.insert(alias.to_owned(), count.to_string());
            out
        })
        .collect()
}

/// Numbers compare as numbers, anything else as text; a missing value sorts first.
fn compare_values(a: Option<&String>, b: Option<&String>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => x.total_cmp(&y),
            _ => a.cmp(b),
        },
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
}

impl Expr {
    fn matches(&self, record: &Record) -> bool {
        match self {
            Expr::And(a, b) => a.matches(record) && b.matches(record),
            Expr::Or(a, b) => a.matches(record) || b.matches(record),
            Expr::Not(e) => !e.matches(record),
            Expr::Like {
                field,
                text,
                ignore_case,
            } => record.get(field).is_some_and(|value| {
                if *ignore_case {
                    value.to_lowercase().contains(&text.to_lowercase())
                } else {
                    value.contains(text.as_str())
                }
            }),
            Expr::Compare { field, op, value } => {
                let Some(have) = record.get(field) else {
                    return false;
                };
                let order = compare_values(Some(have), Some(value));
                match op {
                    CompareOp::Eq => order.is_eq(),
                    CompareOp::Ne => order.is_ne(),
                    CompareOp::Lt => order.is_lt(),
                    CompareOp::Le => order.is_le(),
                    CompareOp::Gt => order.is_gt(),
                    CompareOp::Ge => order.is_ge(),
                }
            }
        }
    }
}
