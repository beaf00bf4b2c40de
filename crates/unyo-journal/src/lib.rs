//! Unyo's incident journal: everything done during an incident (commands, runbooks,
//! verifications, changes, sessions) written to SQLite as it happens, grouped into incidents
//! per account, read back as a timeline and exported as a Markdown report in English or
//! Japanese.
//!
//! The file is in WAL mode and every write is its own transaction, committed before the call
//! returns, so an action the UI shows as recorded survives a crash or a restart. A file that
//! cannot be read is set aside under a timestamped name, never deleted.
//!
//! Non-goals: no AWS SDK and no Tauri (the app calls this from blocking tasks); no secrets
//! (only what the UI already shows is recorded); no sync between computers.

mod file;
mod model;
pub mod report;
mod schema;
mod store;
pub mod time;

pub use model::{
    CostBasis, EntryCost, Incident, JournalEntry, JournalEntryKind, JournalOutcome, JournalProblem,
    JournalStatus, NewJournalEntry, Recorded, ReportLanguage,
};
pub use schema::VERSION as SCHEMA_VERSION;
pub use store::{Journal, Opened};

#[cfg(test)]
mod tests;
