//! The journal file: opening it (WAL, migrations, a damaged file set aside), and the reads and
//! writes the app makes. Every write is one immediate transaction committed with
//! `synchronous = FULL`: once a call returns, the action is on disk.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use unyo_core::settings::check_account_id;
use unyo_core::{AppError, ErrorCode};

use crate::file::{Failure, connect, set_aside, storage};
use unyo_cost::Usd;

use crate::model::{
    EntryCost, Incident, JournalEntry, JournalEntryKind, JournalOutcome, JournalProblem,
    NewJournalEntry, Recorded, ReportFormat, ReportLanguage, account_kind, account_kind_str,
};
use crate::rows::{ENTRY_SELECT, INCIDENT_SELECT, cost_of, entry_row, incident_row};
use crate::schema;
use crate::time::{Clock, file_stamp, rfc3339, system_clock};
use crate::words::ReportData;

/// The longest text one field takes; results and CLI are a few lines, never whole outputs.
const MAX_FIELD_BYTES: usize = 64 * 1024;

/// A handle on the journal; clones share one connection.
#[derive(Clone)]
pub struct Journal {
    conn: Arc<Mutex<Connection>>,
    /// Where it lives, for messages (`:memory:` in tests).
    place: Arc<str>,
    clock: Clock,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("place", &self.place)
            .finish_non_exhaustive()
    }
}

/// The outcome of opening the file: the journal, and what happened to a damaged file.
#[derive(Debug)]
pub struct Opened {
    pub journal: Journal,
    pub problem: Option<JournalProblem>,
}

impl Journal {
    /// Opens (or creates) the journal at `path`. A file that is not a readable SQLite database
    /// is moved aside (with its write-ahead log) under a timestamped name and a new journal
    /// starts; the returned problem says where the old one went.
    pub fn open(path: &Path) -> Result<Opened, AppError> {
        Self::open_with_clock(path, system_clock())
    }

    /// [`Journal::open`] with the wall clock given, for tests.
    pub fn open_with_clock(path: &Path, clock: Clock) -> Result<Opened, AppError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                AppError::new(
                    ErrorCode::Storage,
                    format!(
                        "the incident journal's folder {} could not be made: {e}",
                        dir.display()
                    ),
                )
            })?;
        }
        let place: Arc<str> = Arc::from(path.display().to_string());
        match connect(path) {
            Ok(conn) => Ok(Opened {
                journal: Self::wrap(conn, place, clock),
                problem: None,
            }),
            Err(Failure::Unreadable(e)) => {
                let set_aside = set_aside(path, &file_stamp(clock()))?;
                tracing::warn!(
                    from = %path.display(),
                    to = %set_aside.display(),
                    "incident journal unreadable ({e}); set aside, starting a new one"
                );
                let conn = connect(path).map_err(|f| f.into_app_error(&place))?;
                Ok(Opened {
                    journal: Self::wrap(conn, place, clock),
                    problem: Some(JournalProblem {
                        message: format!("the incident journal could not be read: {e}"),
                        set_aside: set_aside.display().to_string(),
                    }),
                })
            }
            Err(other) => Err(other.into_app_error(&place)),
        }
    }

    /// A journal that lives only as long as the handle, for tests.
    pub fn open_in_memory() -> Result<Self, AppError> {
        let place: Arc<str> = Arc::from(":memory:");
        let mut conn = Connection::open_in_memory().map_err(|e| storage(&place, &e))?;
        schema::migrate(&mut conn).map_err(|e| Failure::from(e).into_app_error(&place))?;
        Ok(Self::wrap(conn, place, system_clock()))
    }

    /// The same journal with another wall clock (tests fix it).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    fn wrap(conn: Connection, place: Arc<str>, clock: Clock) -> Self {
        Self {
            conn: Arc::new(Mutex::new(conn)),
            place,
            clock,
        }
    }

    pub(crate) fn now(&self) -> String {
        rfc3339((self.clock)())
    }

    pub(crate) fn with_conn<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, AppError> {
        let mut conn = self.conn.lock().map_err(|_| {
            AppError::new(
                ErrorCode::Internal,
                "the incident journal's lock is poisoned",
            )
        })?;
        work(&mut conn).map_err(|e| storage(&self.place, &e))
    }

    /// Writes an action down on the account's open incident, opening one (untitled, at the
    /// action's time) when there is none. Returns once it is on disk.
    pub fn record(&self, entry: &NewJournalEntry) -> Result<Recorded, AppError> {
        validate(entry)?;
        let now = self.now();
        let (entry_id, incident) = self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let incident = match open_incident_id(&tx, &entry.account)? {
                Some(id) => id,
                None => insert_incident(&tx, &entry.account, "", &entry.at, &now)?,
            };
            insert_entry(&tx, incident, entry, &now)?;
            let id = tx.last_insert_rowid();
            tx.commit()?;
            Ok((id, incident))
        })?;
        Ok(Recorded {
            entry_id,
            incident: self.incident(incident)?,
        })
    }

    /// Writes an entry on the incident `incident_id` itself, open or closed (an update sent
    /// about it, an OpsItem mirrored from it), rather than on the account's open incident.
    pub fn record_on(&self, incident_id: i64, entry: &NewJournalEntry) -> Result<i64, AppError> {
        validate(entry)?;
        let incident = self.incident(incident_id)?;
        if incident.account != entry.account {
            return Err(AppError::invalid_input(format!(
                "incident {incident_id} belongs to {}, not {}",
                incident.account, entry.account
            )));
        }
        let now = self.now();
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            insert_entry(&tx, incident_id, entry, &now)?;
            let id = tx.last_insert_rowid();
            tx.commit()?;
            Ok(id)
        })
    }

    /// Marks sessions left running by an earlier run (Unyo quit or crashed while they were
    /// open) as ended with an unknown outcome, so none stays "running" for ever.
    pub fn settle_abandoned_sessions(&self) -> Result<usize, AppError> {
        let now = self.now();
        self.with_conn(|conn| {
            conn.execute(
                "UPDATE entries SET outcome = ?1,
                    result = CASE WHEN result = '' THEN ?2 ELSE result || ' · ' || ?2 END,
                    updated_at = ?3
                 WHERE kind = ?4 AND outcome = ?5",
                params![
                    JournalOutcome::Unknown.as_str(),
                    "Unyo quit while it was open",
                    now,
                    JournalEntryKind::Session.as_str(),
                    JournalOutcome::Running.as_str()
                ],
            )
        })
    }

    /// Sets how an action ended and its result in a line.
    pub fn update_outcome(
        &self,
        id: i64,
        outcome: JournalOutcome,
        result: &str,
    ) -> Result<(), AppError> {
        check_len("result", result)?;
        let now = self.now();
        let changed = self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let changed = tx.execute(
                "UPDATE entries SET outcome = ?2, result = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, outcome.as_str(), result, now],
            )?;
            tx.commit()?;
            Ok(changed)
        })?;
        if changed == 0 {
            return Err(AppError::invalid_input(format!(
                "no journal entry {id} to update"
            )));
        }
        Ok(())
    }

    /// Sets what an action cost (an estimate replaced by the actual figure once AWS reports it).
    pub fn update_cost(&self, id: i64, cost: EntryCost) -> Result<(), AppError> {
        let now = self.now();
        let changed = self.with_conn(|conn| {
            conn.execute(
                "UPDATE entries SET cost_usd = ?2, cost_basis = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, cost.usd.amount().to_string(), cost.basis.as_str(), now],
            )
        })?;
        if changed == 0 {
            return Err(AppError::invalid_input(format!(
                "no journal entry {id} to update"
            )));
        }
        Ok(())
    }

    /// What the account's entries of `kind` in `region` cost since `since` (the account's time,
    /// RFC 3339), and how many there were: this month's Logs Insights queries, say.
    pub fn cost_since(
        &self,
        account: &str,
        region: &str,
        kind: JournalEntryKind,
        since: &str,
    ) -> Result<(u64, Usd), AppError> {
        let rows: Vec<(Option<String>, Option<String>)> = self.with_conn(|conn| {
            let mut statement = conn.prepare(
                // Incidents imported from another computer are that computer's use.
                "SELECT e.cost_usd, e.cost_basis FROM entries e
                 JOIN incidents i ON i.id = e.incident_id
                 WHERE e.account = ?1 AND e.region = ?2 AND e.kind = ?3 AND e.at >= ?4
                   AND i.imported_at IS NULL",
            )?;
            let rows = statement
                .query_map(params![account, region, kind.as_str(), since], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            rows.collect()
        })?;
        let total = rows
            .iter()
            .filter_map(|(usd, basis)| cost_of(usd.clone(), basis.clone()))
            .map(|c| c.usd)
            .sum();
        Ok((rows.len() as u64, total))
    }

    /// Closes the account's open incident (if any) and opens a new one named `title`, at the
    /// account's time `at`.
    pub fn open_incident(
        &self,
        account: &str,
        title: &str,
        at: &str,
    ) -> Result<Incident, AppError> {
        check_account_id(account)?;
        check_len("title", title)?;
        check_time(at)?;
        let now = self.now();
        let id = self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE incidents SET closed_at = ?2, status = 'resolved'
                 WHERE account = ?1 AND closed_at IS NULL",
                params![account, at],
            )?;
            let id = insert_incident(&tx, account, title.trim(), at, &now)?;
            tx.commit()?;
            Ok(id)
        })?;
        self.incident(id)
    }

    /// Closes an incident at the account's time `at`; the next action opens a new one.
    /// Closing a closed incident changes nothing.
    pub fn close_incident(&self, id: i64, at: &str) -> Result<Incident, AppError> {
        check_time(at)?;
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // A closed incident is over: it no longer reads "investigating" in the list.
            tx.execute(
                "UPDATE incidents SET closed_at = ?2, status = 'resolved'
                 WHERE id = ?1 AND closed_at IS NULL",
                params![id, at],
            )?;
            tx.commit()
        })?;
        self.incident(id)
    }

    /// One incident, with its entry count.
    pub fn incident(&self, id: i64) -> Result<Incident, AppError> {
        self.with_conn(|conn| {
            conn.query_row(
                &format!("{INCIDENT_SELECT} WHERE i.id = ?1"),
                [id],
                incident_row,
            )
            .optional()
        })?
        .ok_or_else(|| AppError::invalid_input(format!("no incident {id} in the journal")))
    }

    /// The account's open incident, if it has one.
    pub fn current_incident(&self, account: &str) -> Result<Option<Incident>, AppError> {
        self.with_conn(|conn| {
            conn.query_row(
                &format!(
                    "{INCIDENT_SELECT} WHERE i.account = ?1 AND i.closed_at IS NULL
                     ORDER BY i.id DESC LIMIT 1"
                ),
                [account],
                incident_row,
            )
            .optional()
        })
    }

    /// The newest incidents first, of one account or of all.
    pub fn list_incidents(
        &self,
        account: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Incident>, AppError> {
        self.with_conn(|conn| {
            let mut statement = conn.prepare(&format!(
                "{INCIDENT_SELECT} WHERE ?1 IS NULL OR i.account = ?1 ORDER BY i.id DESC LIMIT ?2"
            ))?;
            let rows = statement.query_map(params![account, limit], incident_row)?;
            rows.collect()
        })
    }

    /// An incident's actions, oldest first (in the order they were recorded).
    pub fn timeline(&self, incident_id: i64) -> Result<Vec<JournalEntry>, AppError> {
        self.with_conn(|conn| {
            let mut statement = conn.prepare(&format!(
                "{ENTRY_SELECT} WHERE incident_id = ?1 ORDER BY id"
            ))?;
            let rows = statement.query_map([incident_id], entry_row)?;
            rows.collect()
        })
    }

    /// Everything on the incident, as the reports are written from it.
    pub fn report_data(&self, incident_id: i64) -> Result<ReportData, AppError> {
        Ok(ReportData {
            incident: self.incident(incident_id)?,
            entries: self.timeline(incident_id)?,
            story: self.story(incident_id)?,
            review: self.review(incident_id)?,
            action_items: self.action_items(incident_id)?,
        })
    }

    /// The incident as a report in `language` and `format`, exported at the account's time
    /// `exported_at`.
    pub fn report(
        &self,
        incident_id: i64,
        language: ReportLanguage,
        format: ReportFormat,
        exported_at: &str,
    ) -> Result<String, AppError> {
        let data = self.report_data(incident_id)?;
        Ok(match format {
            ReportFormat::Markdown => crate::report::markdown(&data, language, exported_at),
            ReportFormat::Html => crate::html::html(&data, language, exported_at),
        })
    }

    /// The `journal_mode` in force (`wal` for a file).
    pub fn journal_mode(&self) -> Result<String, AppError> {
        self.with_conn(|conn| conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)))
    }
}

fn insert_entry(
    conn: &Connection,
    incident: i64,
    entry: &NewJournalEntry,
    now: &str,
) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO entries (incident_id, account, account_kind, region, kind, title,
            api_call, cli, outcome, result, at, recorded_at, updated_at, cost_usd,
            cost_basis, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14, ?15)",
        params![
            incident,
            entry.account,
            account_kind_str(account_kind(&entry.account)),
            entry.region,
            entry.kind.as_str(),
            entry.title,
            entry.api_call,
            entry.cli,
            entry.outcome.as_str(),
            entry.result,
            entry.at,
            now,
            entry.cost.map(|c| c.usd.amount().to_string()),
            entry.cost.map(|c| c.basis.as_str()),
            entry.detail,
        ],
    )
}

fn open_incident_id(conn: &Connection, account: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT id FROM incidents WHERE account = ?1 AND closed_at IS NULL
         ORDER BY id DESC LIMIT 1",
        [account],
        |r| r.get(0),
    )
    .optional()
}

fn insert_incident(
    conn: &Connection,
    account: &str,
    title: &str,
    at: &str,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO incidents (account, account_kind, title, opened_at, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            account,
            account_kind_str(account_kind(account)),
            title,
            at,
            now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn check_len(field: &str, text: &str) -> Result<(), AppError> {
    if text.len() > MAX_FIELD_BYTES {
        return Err(AppError::invalid_input(format!(
            "a journal entry's {field} is limited to {MAX_FIELD_BYTES} bytes"
        )));
    }
    Ok(())
}

pub(crate) fn check_time(at: &str) -> Result<(), AppError> {
    if at.trim().is_empty() || at.len() > 64 {
        return Err(AppError::invalid_input(format!(
            "{at:?} is not a time (RFC 3339)"
        )));
    }
    Ok(())
}

pub(crate) fn validate(entry: &NewJournalEntry) -> Result<(), AppError> {
    check_account_id(&entry.account)?;
    check_time(&entry.at)?;
    for (field, text) in [
        ("region", entry.region.as_str()),
        ("title", &entry.title),
        ("API call", &entry.api_call),
        ("CLI", &entry.cli),
        ("result", &entry.result),
        ("detail", entry.detail.as_deref().unwrap_or_default()),
    ] {
        check_len(field, text)?;
    }
    Ok(())
}
