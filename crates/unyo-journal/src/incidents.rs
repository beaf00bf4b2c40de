//! Managing incidents beyond recording on them: their severity, status, summary and affected
//! resources (a change of severity or status goes on the activity log too), finding them
//! again, and deleting one with everything on it.

use rusqlite::{TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unyo_core::AppError;

use crate::model::{Incident, IncidentStatus, JournalEntryKind, JournalOutcome, Severity};
use crate::rows::{INCIDENT_SELECT, incident_row};
use crate::store::{Journal, check_len, check_time};

/// The incident's state as the responder sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IncidentDetails {
    pub title: String,
    pub severity: Option<Severity>,
    pub status: IncidentStatus,
    pub summary: String,
    pub affected: Vec<String>,
}

/// Which incidents a list shows; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IncidentFilter {
    pub account: Option<String>,
    pub severity: Option<Severity>,
    pub status: Option<IncidentStatus>,
    /// Words found in the title, summary or an affected resource, any case.
    pub text: Option<String>,
    pub limit: u32,
}

/// The most resources an incident lists as affected.
const MAX_AFFECTED: usize = 200;

impl Journal {
    /// Sets the incident's title, severity, status, summary and affected resources at the
    /// account's time `at`. A change of severity or status is written on the activity log as
    /// well, so the timeline shows when the response moved on.
    pub fn update_details(
        &self,
        incident_id: i64,
        details: &IncidentDetails,
        at: &str,
    ) -> Result<Incident, AppError> {
        check_time(at)?;
        check_len("title", &details.title)?;
        check_len("summary", &details.summary)?;
        if details.affected.len() > MAX_AFFECTED {
            return Err(AppError::invalid_input(format!(
                "an incident lists at most {MAX_AFFECTED} affected resources"
            )));
        }
        let before = self.incident(incident_id)?;
        let mut affected: Vec<String> = Vec::new();
        for resource in &details.affected {
            let resource = resource.trim();
            check_len("affected resource", resource)?;
            if !resource.is_empty() && !affected.iter().any(|a| a == resource) {
                affected.push(resource.to_owned());
            }
        }
        let affected_json = serde_json::to_string(&affected)
            .map_err(|e| AppError::new(unyo_core::ErrorCode::Internal, e.to_string()))?;
        let change = state_change(&before, details);
        let change_detail = change.as_ref().map(|_| {
            serde_json::json!({
                "severity": [before.severity.map(Severity::as_str), details.severity.map(Severity::as_str)],
                "status": [before.status.as_str(), details.status.as_str()],
            })
            .to_string()
        });
        let now = self.now();
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE incidents SET title = ?2, severity = ?3, status = ?4, summary = ?5,
                    affected = ?6 WHERE id = ?1",
                params![
                    incident_id,
                    details.title.trim(),
                    details.severity.map(Severity::as_str),
                    details.status.as_str(),
                    details.summary.trim(),
                    affected_json
                ],
            )?;
            if let Some(change) = &change {
                tx.execute(
                    "INSERT INTO entries (incident_id, account, account_kind, region, kind,
                        title, api_call, cli, outcome, result, at, recorded_at, updated_at,
                        detail)
                     VALUES (?1, ?2, ?3, '', ?4, ?5, '', '', ?6, '', ?7, ?8, ?8, ?9)",
                    params![
                        incident_id,
                        before.account,
                        crate::model::account_kind_str(before.account_kind),
                        JournalEntryKind::StatusChange.as_str(),
                        change,
                        JournalOutcome::Success.as_str(),
                        at,
                        now,
                        change_detail
                    ],
                )?;
            }
            tx.commit()
        })?;
        self.incident(incident_id)
    }

    /// The newest incidents first that match `filter`.
    pub fn find_incidents(&self, filter: &IncidentFilter) -> Result<Vec<Incident>, AppError> {
        let text = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                format!(
                    "%{}%",
                    t.replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_")
                )
            });
        let limit = if filter.limit == 0 { 200 } else { filter.limit };
        self.with_conn(|conn| {
            let mut statement = conn.prepare(&format!(
                "{INCIDENT_SELECT}
                 WHERE (?1 IS NULL OR i.account = ?1)
                   AND (?2 IS NULL OR i.severity = ?2)
                   AND (?3 IS NULL OR i.status = ?3)
                   AND (?4 IS NULL OR i.title LIKE ?4 ESCAPE '\\' OR i.summary LIKE ?4 ESCAPE '\\'
                        OR i.affected LIKE ?4 ESCAPE '\\')
                 ORDER BY i.id DESC LIMIT ?5"
            ))?;
            let rows = statement.query_map(
                params![
                    filter.account,
                    filter.severity.map(Severity::as_str),
                    filter.status.map(IncidentStatus::as_str),
                    text,
                    limit
                ],
                incident_row,
            )?;
            rows.collect()
        })
    }

    /// Deletes an incident with its activity log, timeline, review and action items.
    pub fn delete_incident(&self, incident_id: i64) -> Result<(), AppError> {
        let deleted = self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for table in ["story", "reviews", "action_items", "entries"] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE incident_id = ?1"),
                    [incident_id],
                )?;
            }
            let deleted = tx.execute("DELETE FROM incidents WHERE id = ?1", [incident_id])?;
            tx.commit()?;
            Ok(deleted)
        })?;
        if deleted == 0 {
            return Err(AppError::invalid_input(format!(
                "no incident {incident_id} in the journal"
            )));
        }
        tracing::info!(incident_id, "incident deleted");
        Ok(())
    }
}

/// The activity log's line for a change of severity or status, if either changed.
fn state_change(before: &Incident, after: &IncidentDetails) -> Option<String> {
    let severity = |s: Option<Severity>| s.map_or_else(|| "none".to_owned(), Severity::label);
    let mut parts = Vec::new();
    if before.severity != after.severity {
        parts.push(format!(
            "severity {} → {}",
            severity(before.severity),
            severity(after.severity)
        ));
    }
    if before.status != after.status {
        parts.push(format!(
            "status {} → {}",
            before.status.as_str(),
            after.status.as_str()
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}
