//! The incident journal: each action the UI records, its outcome, the incidents that group
//! them, and the report. SQLite work is blocking, so each command runs it on a blocking task;
//! the UI passes only what it shows.

use std::path::Path;

use serde::Serialize;
use tauri::{AppHandle, Emitter, State};
use unyo_core::{AppError, ErrorCode};
use unyo_journal::{
    EntryCost, Incident, Journal, JournalEntry, JournalOutcome, JournalProblem, JournalStatus,
    NewJournalEntry, Recorded, ReportFormat, ReportLanguage,
};

/// Told to every window after the journal changed, so that an incident open in several
/// windows shows the same timeline in each without reopening it.
pub const JOURNAL_CHANGED: &str = "journal-changed";

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct JournalChanged {
    incident_id: Option<i64>,
}

/// Tells every window that the incident (or, with `None`, the journal) changed.
pub(crate) fn changed(app: &AppHandle, incident_id: Option<i64>) {
    if let Err(e) = app.emit(JOURNAL_CHANGED, JournalChanged { incident_id }) {
        tracing::warn!("other windows not told of the journal change: {e}");
    }
}

/// The journal opened at start, or why it could not be; the app runs either way.
#[derive(Debug, Clone)]
pub struct JournalService {
    journal: Result<Journal, AppError>,
    path: String,
    problem: Option<JournalProblem>,
}

/// The most incidents one listing returns.
const MAX_LISTED: u32 = 200;

impl JournalService {
    /// Opens `journal.sqlite3` in the app's data folder; an unreadable file is set aside.
    pub fn open(data_dir: &Path) -> Self {
        let path = data_dir.join("journal.sqlite3");
        let (journal, problem) = match Journal::open(&path) {
            Ok(opened) => {
                match opened.journal.settle_abandoned_sessions() {
                    Ok(0) => {}
                    Ok(n) => {
                        tracing::info!(sessions = n, "sessions left open by the last run settled")
                    }
                    Err(e) => tracing::warn!("sessions left open were not settled: {}", e.message),
                }
                (Ok(opened.journal), opened.problem)
            }
            Err(e) => {
                tracing::error!("incident journal unavailable: {}", e.message);
                (Err(e), None)
            }
        };
        Self {
            journal,
            path: path.display().to_string(),
            problem,
        }
    }

    /// Runs `work` on a blocking task with the journal.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(Journal) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let journal = self.journal.clone()?;
        tauri::async_runtime::spawn_blocking(move || work(journal))
            .await
            .map_err(|e| AppError::new(ErrorCode::Internal, format!("journal task failed: {e}")))?
    }
}

#[tauri::command]
pub fn journal_status(journal: State<'_, JournalService>) -> JournalStatus {
    JournalStatus {
        path: journal.path.clone(),
        problem: journal.problem.clone(),
        unavailable: journal.journal.as_ref().err().cloned(),
    }
}

/// Writes an action down; resolves once it is on disk.
#[tauri::command]
pub async fn journal_record(
    app: AppHandle,
    journal: State<'_, JournalService>,
    entry: NewJournalEntry,
) -> Result<Recorded, AppError> {
    let recorded = journal.run(move |j| j.record(&entry)).await?;
    changed(&app, Some(recorded.incident.id));
    Ok(recorded)
}

#[tauri::command]
pub async fn journal_update(
    app: AppHandle,
    journal: State<'_, JournalService>,
    id: i64,
    outcome: JournalOutcome,
    result: String,
) -> Result<(), AppError> {
    journal
        .run(move |j| j.update_outcome(id, outcome, &result))
        .await?;
    changed(&app, None);
    Ok(())
}

/// Sets what an action cost (the actual figure once AWS reports it).
#[tauri::command]
pub async fn journal_set_cost(
    app: AppHandle,
    journal: State<'_, JournalService>,
    id: i64,
    cost: EntryCost,
) -> Result<(), AppError> {
    journal.run(move |j| j.update_cost(id, cost)).await?;
    changed(&app, None);
    Ok(())
}

#[tauri::command]
pub async fn journal_timeline(
    journal: State<'_, JournalService>,
    incident_id: i64,
) -> Result<Vec<JournalEntry>, AppError> {
    journal.run(move |j| j.timeline(incident_id)).await
}

/// The account's incidents, newest first.
#[tauri::command]
pub async fn journal_incidents(
    journal: State<'_, JournalService>,
    account: String,
    limit: u32,
) -> Result<Vec<Incident>, AppError> {
    journal
        .run(move |j| j.list_incidents(Some(&account), limit.min(MAX_LISTED)))
        .await
}

/// Closes the account's open incident, if any, and opens one named `title` at `at`.
#[tauri::command]
pub async fn journal_open_incident(
    app: AppHandle,
    journal: State<'_, JournalService>,
    account: String,
    title: String,
    at: String,
) -> Result<Incident, AppError> {
    let opened = journal
        .run(move |j| j.open_incident(&account, &title, &at))
        .await?;
    changed(&app, Some(opened.id));
    Ok(opened)
}

#[tauri::command]
pub async fn journal_close_incident(
    app: AppHandle,
    journal: State<'_, JournalService>,
    incident_id: i64,
    at: String,
) -> Result<Incident, AppError> {
    let closed = journal
        .run(move |j| j.close_incident(incident_id, &at))
        .await?;
    changed(&app, Some(incident_id));
    Ok(closed)
}

/// The incident's report as Markdown or HTML.
#[tauri::command]
pub async fn journal_report(
    journal: State<'_, JournalService>,
    incident_id: i64,
    language: ReportLanguage,
    format: ReportFormat,
    exported_at: String,
) -> Result<String, AppError> {
    journal
        .run(move |j| j.report(incident_id, language, format, &exported_at))
        .await
}

/// Writes the incident's report into the user's Downloads folder (or home without one);
/// returns the file's path.
#[tauri::command]
pub async fn journal_save_report(
    journal: State<'_, JournalService>,
    incident_id: i64,
    language: ReportLanguage,
    format: ReportFormat,
    exported_at: String,
) -> Result<String, AppError> {
    let text = journal
        .run(move |j| j.report(incident_id, language, format, &exported_at))
        .await?;
    let stamp = unyo_journal::time::file_stamp((unyo_journal::time::system_clock())());
    let name = format!("unyo-incident-{incident_id}-{stamp}.{}", format.extension());
    let path = crate::downloads::save(&name, text).await?;
    tracing::info!(path = %path.display(), "incident report saved");
    Ok(path.display().to_string())
}
