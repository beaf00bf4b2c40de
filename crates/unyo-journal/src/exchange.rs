//! An incident as one JSON file, to hand to a colleague or keep: everything on it (the
//! activity log, the timeline, the review, the action items). Importing gives it new ids on
//! this computer and keeps it closed, so it never takes the actions recorded after it; reopen
//! it to work on it again.

use rusqlite::{TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unyo_core::AppError;
use unyo_core::settings::check_account_id;

use crate::model::{
    Incident, IncidentStatus, JournalEntry, NewJournalEntry, Severity, account_kind,
    account_kind_str,
};
use crate::review::{ActionItem, SavedReview, language_str};
use crate::store::{Journal, check_len, check_time, validate};
use crate::story::{Moment, StoryEntry};
use crate::time::normalized;

/// What the file says it is.
pub const FORMAT: &str = "unyo-incident";
/// The file's version; a newer one is refused with a message rather than half read.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IncidentFile {
    pub format: String,
    pub version: u32,
    pub incident: Incident,
    pub entries: Vec<JournalEntry>,
    pub story: Vec<StoryEntry>,
    pub review: Option<SavedReview>,
    pub action_items: Vec<ActionItem>,
}

impl Journal {
    /// Everything on the incident, as one value to write out as JSON.
    pub fn export(&self, incident_id: i64) -> Result<IncidentFile, AppError> {
        Ok(IncidentFile {
            format: FORMAT.to_owned(),
            version: FORMAT_VERSION,
            incident: self.incident(incident_id)?,
            entries: self.timeline(incident_id)?,
            story: self.story(incident_id)?,
            review: self.review(incident_id)?,
            action_items: self.action_items(incident_id)?,
        })
    }

    /// Adds the incident in `file` as a new, closed incident.
    pub fn import(&self, file: &IncidentFile) -> Result<Incident, AppError> {
        if file.format != FORMAT {
            return Err(AppError::invalid_input(format!(
                "this is not an incident exported by Unyo (format {:?})",
                file.format
            )));
        }
        if file.version > FORMAT_VERSION {
            return Err(AppError::invalid_input(format!(
                "this incident was exported by a newer Unyo (version {}); update Unyo to import it",
                file.version
            )));
        }
        let incident = &file.incident;
        check_account_id(&incident.account)?;
        check_len("title", &incident.title)?;
        check_len("summary", &incident.summary)?;
        check_time(&incident.opened_at)?;
        // Every entry as strictly as one recorded here, and all on the incident's account.
        for e in &file.entries {
            if e.account != incident.account {
                return Err(AppError::invalid_input(format!(
                    "entry {} belongs to {}, not to the incident's account {}",
                    e.id, e.account, incident.account
                )));
            }
            validate(&NewJournalEntry {
                account: e.account.clone(),
                region: e.region.clone(),
                kind: e.kind,
                title: e.title.clone(),
                api_call: e.api_call.clone(),
                cli: e.cli.clone(),
                outcome: e.outcome,
                result: e.result.clone(),
                at: e.at.clone(),
                cost: e.cost,
                detail: e.detail.clone(),
            })?;
        }
        // A key moment belongs to one entry: the first one in the file keeps it.
        let mut moments = std::collections::BTreeSet::new();
        let story: Vec<StoryEntry> = file
            .story
            .iter()
            .map(|s| {
                let mut s = s.clone();
                if let Some(moment) = s.moment
                    && !moments.insert(moment)
                {
                    s.moment = None;
                }
                s.happened_at = s.happened_at.as_deref().map(normalized).transpose()?;
                check_len("annotation", &s.annotation)?;
                Ok(s)
            })
            .collect::<Result<_, AppError>>()?;
        let closed_at = incident.closed_at.clone().unwrap_or_else(|| {
            file.entries
                .iter()
                .map(|e| e.at.clone())
                .max()
                .unwrap_or_else(|| incident.opened_at.clone())
        });
        let affected = serde_json::to_string(&incident.affected)
            .map_err(|e| AppError::new(unyo_core::ErrorCode::Internal, e.to_string()))?;
        let review = match &file.review {
            Some(saved) => Some((
                language_str(saved.language),
                serde_json::to_string(&saved.review)
                    .map_err(|e| AppError::new(unyo_core::ErrorCode::Internal, e.to_string()))?,
                saved.updated_at.clone(),
            )),
            None => None,
        };
        let now = self.now();
        let id = self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO incidents (account, account_kind, title, opened_at, closed_at,
                    recorded_at, severity, status, summary, affected, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?6)",
                params![
                    incident.account,
                    account_kind_str(account_kind(&incident.account)),
                    incident.title,
                    incident.opened_at,
                    closed_at,
                    now,
                    incident.severity.map(Severity::as_str),
                    incident.status.as_str(),
                    incident.summary,
                    affected
                ],
            )?;
            let id = tx.last_insert_rowid();
            let mut new_ids = std::collections::HashMap::new();
            for e in &file.entries {
                tx.execute(
                    "INSERT INTO entries (incident_id, account, account_kind, region, kind,
                        title, api_call, cli, outcome, result, at, recorded_at, updated_at,
                        cost_usd, cost_basis, detail)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                        ?16)",
                    params![
                        id,
                        e.account,
                        account_kind_str(account_kind(&e.account)),
                        e.region,
                        e.kind.as_str(),
                        e.title,
                        e.api_call,
                        e.cli,
                        e.outcome.as_str(),
                        e.result,
                        e.at,
                        e.recorded_at,
                        e.updated_at,
                        e.cost.map(|c| c.usd.amount().to_string()),
                        e.cost.map(|c| c.basis.as_str()),
                        e.detail
                    ],
                )?;
                new_ids.insert(e.id, tx.last_insert_rowid());
            }
            for s in &story {
                // A timeline entry whose activity is not in the file is dropped, not invented.
                let Some(entry_id) = new_ids.get(&s.entry_id) else {
                    continue;
                };
                tx.execute(
                    "INSERT INTO story (entry_id, incident_id, title, annotation, moment,
                        happened_at, promoted_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                    params![
                        entry_id,
                        id,
                        s.title,
                        s.annotation,
                        s.moment.map(Moment::as_str),
                        s.happened_at,
                        s.promoted_at
                    ],
                )?;
            }
            if let Some((language, fields, updated_at)) = &review {
                tx.execute(
                    "INSERT INTO reviews (incident_id, language, fields, updated_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![id, language, fields, updated_at],
                )?;
            }
            for item in &file.action_items {
                tx.execute(
                    "INSERT INTO action_items (incident_id, text, owner, due, done, created_at,
                        updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                    params![id, item.text, item.owner, item.due, item.done, now],
                )?;
            }
            tx.commit()?;
            Ok(id)
        })?;
        tracing::info!(
            incident_id = id,
            entries = file.entries.len(),
            "incident imported"
        );
        self.incident(id)
    }

    /// Makes a closed incident the account's open one again at the account's time `at`,
    /// closing the one open now; new actions go on it.
    pub fn reopen_incident(&self, incident_id: i64, at: &str) -> Result<Incident, AppError> {
        let incident = self.incident(incident_id)?;
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE incidents SET closed_at = ?2
                 WHERE account = ?1 AND closed_at IS NULL AND id != ?3",
                params![incident.account, at, incident_id],
            )?;
            tx.execute(
                "UPDATE incidents SET closed_at = NULL, status = CASE WHEN status = ?2
                    THEN ?3 ELSE status END WHERE id = ?1",
                params![
                    incident_id,
                    IncidentStatus::Resolved.as_str(),
                    IncidentStatus::Investigating.as_str()
                ],
            )?;
            tx.commit()
        })?;
        self.incident(incident_id)
    }
}
