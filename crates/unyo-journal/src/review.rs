//! The post-incident review: the template's sections as the responder writes them (a draft
//! starts from what the journal knows), and the action items that come out of it, each with
//! an owner, a due date and whether it is done.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unyo_core::AppError;

use crate::model::{Incident, JournalEntry, ReportLanguage};
use crate::store::{Journal, check_len};
use crate::story::{Moment, StoryEntry};
use crate::time::{check_date, minutes_between, show};

/// The review's sections, in the template's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Review {
    pub summary: String,
    /// Who was affected and for how long.
    pub impact: String,
    /// How the incident was noticed.
    pub detection: String,
    pub root_cause: String,
    pub contributing_factors: String,
    pub went_well: String,
    pub went_badly: String,
    pub lessons: String,
}

/// A review saved on an incident, with the language it is written in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavedReview {
    pub language: ReportLanguage,
    pub review: Review,
    pub updated_at: String,
}

/// Something to do after the incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ActionItem {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub incident_id: i64,
    pub text: String,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
    pub done: bool,
}

/// An action item as the responder writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ActionItemEdit {
    pub text: String,
    pub owner: String,
    pub due: Option<String>,
    pub done: bool,
}

impl Review {
    fn sections(&self) -> [&String; 8] {
        [
            &self.summary,
            &self.impact,
            &self.detection,
            &self.root_cause,
            &self.contributing_factors,
            &self.went_well,
            &self.went_badly,
            &self.lessons,
        ]
    }
}

impl Journal {
    /// Saves the incident's review in `language`, replacing the one before.
    pub fn save_review(
        &self,
        incident_id: i64,
        language: ReportLanguage,
        review: &Review,
    ) -> Result<SavedReview, AppError> {
        for section in review.sections() {
            check_len("review section", section)?;
        }
        self.incident(incident_id)?;
        let fields = serde_json::to_string(review)
            .map_err(|e| AppError::new(unyo_core::ErrorCode::Internal, e.to_string()))?;
        let now = self.now();
        self.with_conn(|conn| {
            conn.execute(
                "INSERT INTO reviews (incident_id, language, fields, updated_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (incident_id) DO UPDATE SET language = ?2, fields = ?3,
                    updated_at = ?4",
                params![incident_id, language_str(language), fields, now],
            )
        })?;
        Ok(SavedReview {
            language,
            review: review.clone(),
            updated_at: now,
        })
    }

    /// The incident's saved review, if one was saved.
    pub fn review(&self, incident_id: i64) -> Result<Option<SavedReview>, AppError> {
        let row: Option<(String, String, String)> = self.with_conn(|conn| {
            conn.query_row(
                "SELECT language, fields, updated_at FROM reviews WHERE incident_id = ?1",
                [incident_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
        })?;
        row.map(|(language, fields, updated_at)| {
            let review = serde_json::from_str(&fields).map_err(|e| {
                AppError::new(
                    unyo_core::ErrorCode::Storage,
                    format!("the review of incident {incident_id} could not be read: {e}"),
                )
            })?;
            Ok(SavedReview {
                language: if language == "ja" {
                    ReportLanguage::Ja
                } else {
                    ReportLanguage::En
                },
                review,
                updated_at,
            })
        })
        .transpose()
    }

    /// Adds an action item to the incident.
    pub fn add_action_item(
        &self,
        incident_id: i64,
        item: &ActionItemEdit,
    ) -> Result<ActionItem, AppError> {
        check_item(item)?;
        self.incident(incident_id)?;
        let now = self.now();
        let id = self.with_conn(|conn| {
            conn.execute(
                "INSERT INTO action_items (incident_id, text, owner, due, done, created_at,
                    updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![
                    incident_id,
                    item.text.trim(),
                    item.owner.trim(),
                    item.due,
                    item.done,
                    now
                ],
            )?;
            Ok(conn.last_insert_rowid())
        })?;
        self.action_item(id)
    }

    /// Changes an action item.
    pub fn update_action_item(
        &self,
        id: i64,
        item: &ActionItemEdit,
    ) -> Result<ActionItem, AppError> {
        check_item(item)?;
        let now = self.now();
        let changed = self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let changed = tx.execute(
                "UPDATE action_items SET text = ?2, owner = ?3, due = ?4, done = ?5,
                    updated_at = ?6 WHERE id = ?1",
                params![
                    id,
                    item.text.trim(),
                    item.owner.trim(),
                    item.due,
                    item.done,
                    now
                ],
            )?;
            tx.commit()?;
            Ok(changed)
        })?;
        if changed == 0 {
            return Err(no_item(id));
        }
        self.action_item(id)
    }

    pub fn delete_action_item(&self, id: i64) -> Result<(), AppError> {
        self.with_conn(|conn| conn.execute("DELETE FROM action_items WHERE id = ?1", [id]))?;
        Ok(())
    }

    /// The incident's action items, oldest first.
    pub fn action_items(&self, incident_id: i64) -> Result<Vec<ActionItem>, AppError> {
        self.with_conn(|conn| {
            let mut statement =
                conn.prepare(&format!("{ITEM_SELECT} WHERE incident_id = ?1 ORDER BY id"))?;
            let rows = statement.query_map([incident_id], item_row)?;
            rows.collect()
        })
    }

    fn action_item(&self, id: i64) -> Result<ActionItem, AppError> {
        self.with_conn(|conn| {
            conn.query_row(&format!("{ITEM_SELECT} WHERE id = ?1"), [id], item_row)
                .optional()
        })?
        .ok_or_else(|| no_item(id))
    }

    /// A review to start from: the incident's summary, and its impact and detection worked
    /// out from its affected resources and its key moments; the judgement sections are left
    /// for the responder.
    pub fn review_draft(
        &self,
        incident_id: i64,
        language: ReportLanguage,
    ) -> Result<Review, AppError> {
        let incident = self.incident(incident_id)?;
        let entries = self.timeline(incident_id)?;
        let story = self.story(incident_id)?;
        Ok(draft(&incident, &entries, &story, language))
    }
}

/// When a key moment happened: its entry's re-timed time, else the entry's own.
pub(crate) fn moment_time<'a>(
    moment: Moment,
    entries: &'a [JournalEntry],
    story: &'a [StoryEntry],
) -> Option<&'a str> {
    let curated = story.iter().find(|s| s.moment == Some(moment))?;
    curated.happened_at.as_deref().or_else(|| {
        entries
            .iter()
            .find(|e| e.id == curated.entry_id)
            .map(|e| e.at.as_str())
    })
}

fn draft(
    incident: &Incident,
    entries: &[JournalEntry],
    story: &[StoryEntry],
    language: ReportLanguage,
) -> Review {
    let ja = language == ReportLanguage::Ja;
    let start = moment_time(Moment::Detected, entries, story).unwrap_or(&incident.opened_at);
    let end = moment_time(Moment::Resolved, entries, story).or(incident.closed_at.as_deref());
    let affected = if incident.affected.is_empty() {
        if ja {
            "（影響を受けたリソースを記入）".to_owned()
        } else {
            "(name the affected resources)".to_owned()
        }
    } else {
        incident.affected.join(", ")
    };
    let impact = match end.and_then(|end| minutes_between(start, end)) {
        Some(minutes) if ja => format!(
            "{affected} に {} から {} まで {minutes} 分間影響がありました。",
            show(start),
            show(end.unwrap_or_default())
        ),
        Some(minutes) => format!(
            "{affected} affected for {minutes} minutes, from {} to {}.",
            show(start),
            show(end.unwrap_or_default())
        ),
        None if ja => format!(
            "{affected} に {} から影響があり、まだ解決していません。",
            show(start)
        ),
        None => format!(
            "{affected} affected from {}, not resolved yet.",
            show(start)
        ),
    };
    let detection = story
        .iter()
        .find(|s| s.moment == Some(Moment::Detected))
        .and_then(|s| {
            let entry = entries.iter().find(|e| e.id == s.entry_id)?;
            let title = s.title.clone().unwrap_or_else(|| entry.title.clone());
            Some(if ja {
                format!("{} に検知: {title}", show(start))
            } else {
                format!("Detected at {}: {title}", show(start))
            })
        })
        .unwrap_or_default();
    Review {
        summary: incident.summary.clone(),
        impact,
        detection,
        ..Review::default()
    }
}

const ITEM_SELECT: &str = "SELECT id, incident_id, text, owner, due, done FROM action_items";

fn item_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ActionItem> {
    Ok(ActionItem {
        id: row.get(0)?,
        incident_id: row.get(1)?,
        text: row.get(2)?,
        owner: row.get(3)?,
        due: row.get(4)?,
        done: row.get(5)?,
    })
}

fn check_item(item: &ActionItemEdit) -> Result<(), AppError> {
    if item.text.trim().is_empty() {
        return Err(AppError::invalid_input("an action item needs a text"));
    }
    check_len("action item", &item.text)?;
    check_len("owner", &item.owner)?;
    if let Some(due) = &item.due {
        check_date(due)?;
    }
    Ok(())
}

fn no_item(id: i64) -> AppError {
    AppError::invalid_input(format!("no action item {id}"))
}

pub(crate) fn language_str(language: ReportLanguage) -> &'static str {
    match language {
        ReportLanguage::En => "en",
        ReportLanguage::Ja => "ja",
    }
}
