//! What the journal stores and hands out: incidents, their entries, and what a recording says
//! back. These cross IPC as they are, so they carry ts-rs and camelCase serde.
//!
//! Ids are SQLite row ids, far below 2^53, so they cross as plain numbers.
//!
//! Only what the UI already shows goes in (titles, AWS CLI text, results in a line): never
//! credentials, tokens or command output that the user did not see.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unyo_core::{AccountKind, AppError};
use unyo_cost::Usd;

/// What kind of action an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum JournalEntryKind {
    /// A Run Command sent from Mitigation.
    Command,
    /// An Automation runbook started from Recovery.
    Runbook,
    /// A read-only check that a fix worked.
    Verification,
    /// Another change Unyo made to the account, such as a readiness fix.
    Change,
    /// A shell or tunnel session started or ended.
    Session,
    /// What a change is, why, its risk and rollback, and who confirmed it: written before
    /// the change starts. Its outcome is always `Success` (it was recorded).
    ChangeRecord,
    /// A billable read, such as a Logs Insights query, with what it scanned and cost.
    Query,
    /// A note typed by hand; its text is the entry's detail.
    Note,
    /// A read the responder pinned because it shaped a decision (an alarm, a chart with its
    /// time range, a query with a snapshot of its results, a CloudTrail event): its snapshot
    /// is the entry's detail, as JSON.
    Pin,
    /// The incident's severity or status changed.
    StatusChange,
    /// A status update that was sent (copied for chat or email); its text is the detail.
    StatusUpdate,
}

/// How an action ended, as far as Unyo knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum JournalOutcome {
    Running,
    Success,
    Failed,
    Cancelled,
    /// It ended, but whether it worked could not be told (a verification whose checks could
    /// not all be read): never counted as a success.
    Unknown,
}

/// An action as the UI records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewJournalEntry {
    /// `practice` or `profile:<name>`; the account's kind follows from it.
    pub account: String,
    pub region: String,
    pub kind: JournalEntryKind,
    /// What it was: `AWS-RunShellScript: df -h → i-…`, `AWSSupport-TroubleshootSSH {…}`.
    pub title: String,
    /// The API call it made, such as `ssm:SendCommand`; empty when not known.
    #[serde(default)]
    pub api_call: String,
    /// The AWS CLI command that does the same.
    pub cli: String,
    pub outcome: JournalOutcome,
    /// The result in a line: statuses per instance, the runbook's status, the error.
    pub result: String,
    /// The account's time when it was done (RFC 3339): the practice account runs its own clock.
    pub at: String,
    /// What it cost or will cost, when it is billable (or free by rule).
    #[serde(default)]
    pub cost: Option<EntryCost>,
    /// A note's text, a pinned read's snapshot (JSON), a sent update's text.
    #[serde(default)]
    #[ts(optional)]
    pub detail: Option<String>,
}

/// What an action cost, as far as Unyo knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EntryCost {
    pub usd: Usd,
    pub basis: CostBasis,
}

/// How a cost was arrived at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CostBasis {
    /// Estimated before it ran.
    Estimate,
    /// The most it can have cost (a query scans at most what its groups store).
    AtMost,
    /// From what AWS reported after it ran (steps executed, bytes scanned).
    Actual,
}

impl CostBasis {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Estimate => "estimate",
            Self::AtMost => "atMost",
            Self::Actual => "actual",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        [Self::Estimate, Self::AtMost, Self::Actual]
            .into_iter()
            .find(|b| b.as_str() == text)
    }
}

/// An action on the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JournalEntry {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub incident_id: i64,
    pub account: String,
    pub account_kind: AccountKind,
    pub region: String,
    pub kind: JournalEntryKind,
    pub title: String,
    pub api_call: String,
    pub cli: String,
    pub outcome: JournalOutcome,
    pub result: String,
    /// The account's time of the action.
    pub at: String,
    /// This computer's time when it was written down.
    pub recorded_at: String,
    /// This computer's time of the last change of outcome or result.
    pub updated_at: String,
    pub cost: Option<EntryCost>,
    pub detail: Option<String>,
}

/// One incident of one account: the entries recorded while it was open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Incident {
    #[ts(type = "number")]
    pub id: i64,
    pub account: String,
    pub account_kind: AccountKind,
    /// Empty for an incident opened implicitly by its first action; the UI names it.
    pub title: String,
    /// The account's time of opening (its first action's, when opened implicitly).
    pub opened_at: String,
    /// The account's time of closing; `None` while open.
    pub closed_at: Option<String>,
    /// How many actions it holds.
    #[ts(type = "number")]
    pub entry_count: i64,
    /// What its actions cost together, those with a cost; `at_most` when one of them is only
    /// known as an upper bound.
    pub cost: Usd,
    pub cost_at_most: bool,
    /// `None` until the responder sets one.
    pub severity: Option<Severity>,
    pub status: IncidentStatus,
    /// What happened, in a few lines, as the responder writes it.
    pub summary: String,
    /// Instances, alarms and other resources the incident touched (ids or names).
    pub affected: Vec<String>,
}

/// How bad an incident is, SEV1 the worst (the scale incident tools share).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Severity {
    Sev1,
    Sev2,
    Sev3,
    Sev4,
}

/// Where the response stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum IncidentStatus {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

impl Severity {
    pub const ALL: [Self; 4] = [Self::Sev1, Self::Sev2, Self::Sev3, Self::Sev4];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sev1 => "sev1",
            Self::Sev2 => "sev2",
            Self::Sev3 => "sev3",
            Self::Sev4 => "sev4",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// As people write it: `SEV2`.
    pub fn label(self) -> String {
        self.as_str().to_uppercase()
    }
}

impl IncidentStatus {
    pub const ALL: [Self; 4] = [
        Self::Investigating,
        Self::Identified,
        Self::Monitoring,
        Self::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Investigating => "investigating",
            Self::Identified => "identified",
            Self::Monitoring => "monitoring",
            Self::Resolved => "resolved",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// What a recording says back: the entry's id, and the incident it went on (opened just now
/// when the account had none open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Recorded {
    #[ts(type = "number")]
    pub entry_id: i64,
    pub incident: Incident,
}

/// The language of an exported report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReportLanguage {
    En,
    Ja,
}

/// The form of an exported incident report (named apart from the readiness report's formats
/// in TypeScript).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "IncidentReportFormat")]
pub enum ReportFormat {
    Markdown,
    /// One self-contained file: styles inline, printable to PDF.
    Html,
}

impl ReportFormat {
    /// The file name's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::Html => "html",
        }
    }
}

/// The journal file could not be read when the app started: where it was put, so nothing is
/// lost, and why. A new, empty journal took its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JournalProblem {
    pub message: String,
    pub set_aside: String,
}

/// Whether incidents can be recorded in this run, where the file is, and what happened to an
/// unreadable one at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JournalStatus {
    pub path: String,
    pub problem: Option<JournalProblem>,
    /// Set when the journal could not be opened at all: nothing will be recorded this run.
    pub unavailable: Option<AppError>,
}

impl JournalEntryKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Command => "command",
            Self::Runbook => "runbook",
            Self::Verification => "verification",
            Self::Change => "change",
            Self::Session => "session",
            Self::ChangeRecord => "changeRecord",
            Self::Query => "query",
            Self::Note => "note",
            Self::Pin => "pin",
            Self::StatusChange => "statusChange",
            Self::StatusUpdate => "statusUpdate",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        [
            Self::Command,
            Self::Runbook,
            Self::Verification,
            Self::Change,
            Self::Session,
            Self::ChangeRecord,
            Self::Query,
            Self::Note,
            Self::Pin,
            Self::StatusChange,
            Self::StatusUpdate,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

impl JournalOutcome {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Success => "success",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Unknown => "unknown",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        [
            Self::Running,
            Self::Success,
            Self::Failed,
            Self::Cancelled,
            Self::Unknown,
        ]
        .into_iter()
        .find(|o| o.as_str() == text)
    }
}

/// `practice` is the practice account; every other id is a profile.
pub(crate) fn account_kind(account: &str) -> AccountKind {
    if account == "practice" {
        AccountKind::Practice
    } else {
        AccountKind::Profile
    }
}

pub(crate) fn account_kind_str(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Practice => "practice",
        AccountKind::Profile => "profile",
    }
}
