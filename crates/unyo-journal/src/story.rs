//! The story: the entries a responder promotes from the activity log to the incident's
//! timeline, each retitled, annotated, marked as a key moment or re-timed to when it really
//! happened. The activity log itself never changes; its original time stays beside any new one.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unyo_core::AppError;

use crate::rows::unknown;
use crate::store::{Journal, check_len};
use crate::time::normalized;

/// The moments an incident's story is measured by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Moment {
    Detected,
    Diagnosed,
    Mitigated,
    Resolved,
}

impl Moment {
    pub const ALL: [Self; 4] = [
        Self::Detected,
        Self::Diagnosed,
        Self::Mitigated,
        Self::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Detected => "detected",
            Self::Diagnosed => "diagnosed",
            Self::Mitigated => "mitigated",
            Self::Resolved => "resolved",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

/// An entry on the timeline, as the responder curated it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StoryEntry {
    #[ts(type = "number")]
    pub entry_id: i64,
    /// The responder's title; `None` keeps the entry's own.
    pub title: Option<String>,
    pub annotation: String,
    pub moment: Option<Moment>,
    /// When it really happened (the account's time, RFC 3339); `None` keeps the entry's.
    pub happened_at: Option<String>,
    /// This computer's time of the promotion.
    pub promoted_at: String,
}

/// What the responder changes on a timeline entry; every field is set as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StoryEdit {
    pub title: Option<String>,
    pub annotation: String,
    pub moment: Option<Moment>,
    pub happened_at: Option<String>,
}

impl Journal {
    /// Puts an entry of the activity log on its incident's timeline, as it is. Promoting it
    /// again changes nothing.
    pub fn promote(&self, entry_id: i64) -> Result<StoryEntry, AppError> {
        let now = self.now();
        let found = self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let incident: Option<i64> = tx
                .query_row(
                    "SELECT incident_id FROM entries WHERE id = ?1",
                    [entry_id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(incident) = incident {
                tx.execute(
                    "INSERT OR IGNORE INTO story (entry_id, incident_id, promoted_at, updated_at)
                     VALUES (?1, ?2, ?3, ?3)",
                    params![entry_id, incident, now],
                )?;
            }
            tx.commit()?;
            Ok(incident.is_some())
        })?;
        if !found {
            return Err(no_entry(entry_id));
        }
        self.story_entry(entry_id)
    }

    /// Takes an entry off the timeline; it stays in the activity log.
    pub fn demote(&self, entry_id: i64) -> Result<(), AppError> {
        self.with_conn(|conn| conn.execute("DELETE FROM story WHERE entry_id = ?1", [entry_id]))?;
        Ok(())
    }

    /// Retitles, annotates, marks or re-times a timeline entry. A moment belongs to one entry
    /// of the incident at a time: marking another entry `resolved` moves the mark there.
    pub fn edit_story(&self, entry_id: i64, edit: &StoryEdit) -> Result<StoryEntry, AppError> {
        if let Some(title) = &edit.title {
            check_len("title", title)?;
        }
        check_len("annotation", &edit.annotation)?;
        let happened_at = edit
            .happened_at
            .as_deref()
            .filter(|at| !at.trim().is_empty())
            .map(normalized)
            .transpose()?;
        let now = self.now();
        let title = edit
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let changed = self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if let Some(moment) = edit.moment {
                tx.execute(
                    "UPDATE story SET moment = NULL, updated_at = ?3
                     WHERE moment = ?2 AND entry_id != ?1
                       AND incident_id = (SELECT incident_id FROM story WHERE entry_id = ?1)",
                    params![entry_id, moment.as_str(), now],
                )?;
            }
            let changed = tx.execute(
                "UPDATE story SET title = ?2, annotation = ?3, moment = ?4, happened_at = ?5,
                    updated_at = ?6 WHERE entry_id = ?1",
                params![
                    entry_id,
                    title,
                    edit.annotation.trim(),
                    edit.moment.map(Moment::as_str),
                    happened_at,
                    now
                ],
            )?;
            tx.commit()?;
            Ok(changed)
        })?;
        if changed == 0 {
            return Err(AppError::invalid_input(format!(
                "entry {entry_id} is not on the timeline: promote it first"
            )));
        }
        self.story_entry(entry_id)
    }

    /// The incident's timeline entries, in the order of the entries they curate.
    pub fn story(&self, incident_id: i64) -> Result<Vec<StoryEntry>, AppError> {
        self.with_conn(|conn| {
            let mut statement = conn.prepare(&format!(
                "{STORY_SELECT} WHERE incident_id = ?1 ORDER BY entry_id"
            ))?;
            let rows = statement.query_map([incident_id], story_row)?;
            rows.collect()
        })
    }

    fn story_entry(&self, entry_id: i64) -> Result<StoryEntry, AppError> {
        self.with_conn(|conn| {
            conn.query_row(
                &format!("{STORY_SELECT} WHERE entry_id = ?1"),
                [entry_id],
                story_row,
            )
            .optional()
        })?
        .ok_or_else(|| no_entry(entry_id))
    }
}

const STORY_SELECT: &str =
    "SELECT entry_id, title, annotation, moment, happened_at, promoted_at FROM story";

fn story_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoryEntry> {
    let moment: Option<String> = row.get(3)?;
    Ok(StoryEntry {
        entry_id: row.get(0)?,
        title: row.get(1)?,
        annotation: row.get(2)?,
        moment: match moment {
            Some(text) => Some(Moment::parse(&text).ok_or_else(|| unknown(3, "moment", &text))?),
            None => None,
        },
        happened_at: row.get(4)?,
        promoted_at: row.get(5)?,
    })
}

fn no_entry(entry_id: i64) -> AppError {
    AppError::invalid_input(format!("no journal entry {entry_id}"))
}
