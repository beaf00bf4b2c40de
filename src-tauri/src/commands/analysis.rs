//! Analysis on the incident journal: the incident's state, the story curated from its
//! activity log, the review and its action items, a status update, the automation snippet,
//! and incidents found, reopened, deleted, exported and imported. Each write tells every
//! window, so an incident open in several shows the same in each.

use tauri::{AppHandle, State};
use unyo_core::AppError;
use unyo_journal::automation::AutomationSnippet;
use unyo_journal::{
    ActionItem, ActionItemEdit, Incident, IncidentDetails, IncidentFile, IncidentFilter,
    ReportLanguage, Review, SavedReview, StoryEdit, StoryEntry,
};

use crate::commands::journal::{JournalService, changed};

/// The most an imported file may weigh: far above any incident, far below memory trouble.
const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

#[tauri::command]
pub async fn journal_update_details(
    app: AppHandle,
    journal: State<'_, JournalService>,
    incident_id: i64,
    details: IncidentDetails,
    at: String,
) -> Result<Incident, AppError> {
    let updated = journal
        .run(move |j| j.update_details(incident_id, &details, &at))
        .await?;
    changed(&app, Some(incident_id));
    Ok(updated)
}

/// One incident as stored now.
#[tauri::command]
pub async fn journal_incident(
    journal: State<'_, JournalService>,
    incident_id: i64,
) -> Result<Incident, AppError> {
    journal.run(move |j| j.incident(incident_id)).await
}

/// Incidents of every account that match `filter`, newest first.
#[tauri::command]
pub async fn journal_find_incidents(
    journal: State<'_, JournalService>,
    filter: IncidentFilter,
) -> Result<Vec<Incident>, AppError> {
    journal.run(move |j| j.find_incidents(&filter)).await
}

#[tauri::command]
pub async fn journal_delete_incident(
    app: AppHandle,
    journal: State<'_, JournalService>,
    incident_id: i64,
) -> Result<(), AppError> {
    journal.run(move |j| j.delete_incident(incident_id)).await?;
    changed(&app, Some(incident_id));
    Ok(())
}

#[tauri::command]
pub async fn journal_reopen_incident(
    app: AppHandle,
    journal: State<'_, JournalService>,
    incident_id: i64,
    at: String,
) -> Result<Incident, AppError> {
    let reopened = journal
        .run(move |j| j.reopen_incident(incident_id, &at))
        .await?;
    changed(&app, None);
    Ok(reopened)
}

#[tauri::command]
pub async fn journal_story(
    journal: State<'_, JournalService>,
    incident_id: i64,
) -> Result<Vec<StoryEntry>, AppError> {
    journal.run(move |j| j.story(incident_id)).await
}

#[tauri::command]
pub async fn journal_promote(
    app: AppHandle,
    journal: State<'_, JournalService>,
    entry_id: i64,
) -> Result<StoryEntry, AppError> {
    let promoted = journal.run(move |j| j.promote(entry_id)).await?;
    changed(&app, None);
    Ok(promoted)
}

#[tauri::command]
pub async fn journal_demote(
    app: AppHandle,
    journal: State<'_, JournalService>,
    entry_id: i64,
) -> Result<(), AppError> {
    journal.run(move |j| j.demote(entry_id)).await?;
    changed(&app, None);
    Ok(())
}

#[tauri::command]
pub async fn journal_edit_story(
    app: AppHandle,
    journal: State<'_, JournalService>,
    entry_id: i64,
    edit: StoryEdit,
) -> Result<StoryEntry, AppError> {
    let edited = journal.run(move |j| j.edit_story(entry_id, &edit)).await?;
    changed(&app, None);
    Ok(edited)
}

#[tauri::command]
pub async fn journal_review(
    journal: State<'_, JournalService>,
    incident_id: i64,
) -> Result<Option<SavedReview>, AppError> {
    journal.run(move |j| j.review(incident_id)).await
}

/// A review to start from, filled from what the journal knows.
#[tauri::command]
pub async fn journal_review_draft(
    journal: State<'_, JournalService>,
    incident_id: i64,
    language: ReportLanguage,
) -> Result<Review, AppError> {
    journal
        .run(move |j| j.review_draft(incident_id, language))
        .await
}

#[tauri::command]
pub async fn journal_save_review(
    app: AppHandle,
    journal: State<'_, JournalService>,
    incident_id: i64,
    language: ReportLanguage,
    review: Review,
) -> Result<SavedReview, AppError> {
    let saved = journal
        .run(move |j| j.save_review(incident_id, language, &review))
        .await?;
    changed(&app, Some(incident_id));
    Ok(saved)
}

#[tauri::command]
pub async fn journal_action_items(
    journal: State<'_, JournalService>,
    incident_id: i64,
) -> Result<Vec<ActionItem>, AppError> {
    journal.run(move |j| j.action_items(incident_id)).await
}

#[tauri::command]
pub async fn journal_add_action_item(
    app: AppHandle,
    journal: State<'_, JournalService>,
    incident_id: i64,
    item: ActionItemEdit,
) -> Result<ActionItem, AppError> {
    let added = journal
        .run(move |j| j.add_action_item(incident_id, &item))
        .await?;
    changed(&app, Some(incident_id));
    Ok(added)
}

#[tauri::command]
pub async fn journal_update_action_item(
    app: AppHandle,
    journal: State<'_, JournalService>,
    id: i64,
    item: ActionItemEdit,
) -> Result<ActionItem, AppError> {
    let updated = journal
        .run(move |j| j.update_action_item(id, &item))
        .await?;
    changed(&app, Some(updated.incident_id));
    Ok(updated)
}

#[tauri::command]
pub async fn journal_delete_action_item(
    app: AppHandle,
    journal: State<'_, JournalService>,
    id: i64,
) -> Result<(), AppError> {
    journal.run(move |j| j.delete_action_item(id)).await?;
    changed(&app, None);
    Ok(())
}

/// A status update as of `now` (the account's time), promising the next at `next_update`.
#[tauri::command]
pub async fn journal_status_update(
    journal: State<'_, JournalService>,
    incident_id: i64,
    language: ReportLanguage,
    now: String,
    next_update: Option<String>,
) -> Result<String, AppError> {
    journal
        .run(move |j| j.status_update_draft(incident_id, language, &now, next_update.as_deref()))
        .await
}

/// The EventBridge rule that would start the incident's runbook on its alarms, if it ran one.
#[tauri::command]
pub async fn journal_automation_snippet(
    journal: State<'_, JournalService>,
    incident_id: i64,
) -> Result<Option<AutomationSnippet>, AppError> {
    journal
        .run(move |j| {
            let data = j.report_data(incident_id)?;
            Ok(unyo_journal::automation::snippet(
                &data.incident,
                &data.entries,
            ))
        })
        .await
}

/// Writes the incident as one JSON file into Downloads; returns the file's path.
#[tauri::command]
pub async fn journal_export(
    journal: State<'_, JournalService>,
    incident_id: i64,
) -> Result<String, AppError> {
    let file = journal.run(move |j| j.export(incident_id)).await?;
    let text = serde_json::to_string_pretty(&file)
        .map_err(|e| AppError::new(unyo_core::ErrorCode::Internal, e.to_string()))?;
    let stamp = unyo_journal::time::file_stamp((unyo_journal::time::system_clock())());
    let path =
        crate::downloads::save(&format!("unyo-incident-{incident_id}-{stamp}.json"), text).await?;
    tracing::info!(path = %path.display(), "incident exported");
    Ok(path.display().to_string())
}

/// Adds an incident from the text of an exported file (the user picked it in the window).
#[tauri::command]
pub async fn journal_import(
    app: AppHandle,
    journal: State<'_, JournalService>,
    contents: String,
) -> Result<Incident, AppError> {
    if contents.len() > MAX_IMPORT_BYTES {
        return Err(AppError::invalid_input(
            "this file is too large to be an incident exported by Unyo",
        ));
    }
    let file: IncidentFile = serde_json::from_str(&contents).map_err(|e| {
        AppError::invalid_input(format!("this is not an incident exported by Unyo: {e}"))
    })?;
    let imported = journal.run(move |j| j.import(&file)).await?;
    changed(&app, Some(imported.id));
    Ok(imported)
}
