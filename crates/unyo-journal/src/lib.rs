//! Unyo's incident journal: everything done during an incident (commands, runbooks,
//! verifications, changes, sessions, notes, pinned reads, status changes) written to SQLite
//! as it happens, grouped into incidents per account. The activity log stays as recorded; a
//! curated timeline (key moments, titles, annotations, corrected times), the incident's state,
//! its post-incident review and action items live beside it. Exported as Markdown, as one
//! self-contained HTML file, or as JSON to import elsewhere, in English or Japanese.
//!
//! The file is in WAL mode and every write is its own transaction, committed before the call
//! returns, so an action the UI shows as recorded survives a crash or a restart. A file that
//! cannot be read is set aside under a timestamped name, never deleted.
//!
//! Non-goals: no AWS SDK and no Tauri (the app calls this from blocking tasks); no secrets
//! (only what the UI already shows is recorded); no sync between computers.

pub mod automation;
mod exchange;
mod file;
pub mod html;
mod incidents;
mod model;
pub mod ops_item;
pub mod pin;
pub mod report;
mod review;
mod rows;
mod schema;
mod status_update;
mod store;
mod story;
pub mod time;
mod words;

pub use exchange::{FORMAT_VERSION, IncidentFile};
pub use incidents::{IncidentDetails, IncidentFilter};
pub use model::{
    CostBasis, EntryCost, Incident, IncidentStatus, JournalEntry, JournalEntryKind, JournalOutcome,
    JournalProblem, JournalStatus, NewJournalEntry, Recorded, ReportFormat, ReportLanguage,
    Severity,
};
pub use review::{ActionItem, ActionItemEdit, Review, SavedReview};
pub use schema::VERSION as SCHEMA_VERSION;
pub use store::{Journal, Opened};
pub use story::{Moment, StoryEdit, StoryEntry};
pub use words::ReportData;

#[cfg(test)]
mod tests;
