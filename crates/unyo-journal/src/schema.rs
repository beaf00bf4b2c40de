//! The journal's tables, versioned with `PRAGMA user_version`: migration `n` takes a database
//! at version `n` to `n + 1`, each in one transaction, so a crash mid-upgrade leaves the old
//! version intact. Append to [`MIGRATIONS`]; never edit one that has shipped.

use rusqlite::{Connection, TransactionBehavior};

/// Each step, in order. An empty database (version 0) runs them all.
const MIGRATIONS: &[&str] = &[
    // 1: incidents per account, and the actions recorded on them.
    "CREATE TABLE incidents (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        account_kind TEXT NOT NULL,
        title TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        closed_at TEXT,
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX incidents_by_account ON incidents (account, closed_at, id);
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        account TEXT NOT NULL,
        account_kind TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        api_call TEXT NOT NULL,
        cli TEXT NOT NULL,
        outcome TEXT NOT NULL,
        result TEXT NOT NULL,
        at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX entries_by_incident ON entries (incident_id, id);",
    // 2: what an action cost (an exact decimal in US dollars) and on what basis.
    "ALTER TABLE entries ADD COLUMN cost_usd TEXT;
    ALTER TABLE entries ADD COLUMN cost_basis TEXT;",
    // 3: the incident's state and review, and the story curated from its activity log. The
    // entries stay as recorded: curation lives beside them, keyed by entry.
    "ALTER TABLE incidents ADD COLUMN severity TEXT;
    ALTER TABLE incidents ADD COLUMN status TEXT NOT NULL DEFAULT 'investigating';
    ALTER TABLE incidents ADD COLUMN summary TEXT NOT NULL DEFAULT '';
    ALTER TABLE incidents ADD COLUMN affected TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE entries ADD COLUMN detail TEXT;
    CREATE TABLE story (
        entry_id INTEGER PRIMARY KEY REFERENCES entries (id),
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        title TEXT,
        annotation TEXT NOT NULL DEFAULT '',
        moment TEXT,
        happened_at TEXT,
        promoted_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX story_by_incident ON story (incident_id);
    CREATE TABLE reviews (
        incident_id INTEGER PRIMARY KEY REFERENCES incidents (id),
        language TEXT NOT NULL,
        fields TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE action_items (
        id INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        text TEXT NOT NULL,
        owner TEXT NOT NULL DEFAULT '',
        due TEXT,
        done INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX action_items_by_incident ON action_items (incident_id, id);",
    // 4: incidents closed before they had a status are over, not still "investigating".
    "UPDATE incidents SET status = 'resolved' WHERE closed_at IS NOT NULL;",
    // 5: when an incident came from another computer's export (its costs are not this one's).
    "ALTER TABLE incidents ADD COLUMN imported_at TEXT;",
];

/// The version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Why the schema could not be brought up to date.
#[derive(Debug)]
pub(crate) enum MigrateError {
    /// A newer Unyo wrote this file; this one must not touch it.
    Newer(i64),
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sqlite(e)
    }
}

/// Runs the migrations the database lacks. Two handles starting at once both try; the second
/// finds the version already raised inside its own (immediate) transaction and does nothing.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if version > VERSION {
            return Err(MigrateError::Newer(version));
        }
        let Some(step) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        else {
            return Ok(());
        };
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
        tracing::info!(version = version + 1, "incident journal schema migrated");
    }
}
