//! A status update drafted from the incident's state at any moment, for chat or email: what
//! is known, the impact so far, what is being done, and when the next update comes.

use unyo_core::AppError;

use crate::model::{Incident, IncidentStatus, JournalEntry, JournalEntryKind, ReportLanguage};
use crate::review::moment_time;
use crate::store::Journal;
use crate::story::{Moment, StoryEntry};
use crate::time::{minutes_between, show};
use crate::words::status_word;

/// How many recent actions "what is being done" names.
const RECENT: usize = 3;

impl Journal {
    /// The update as of `now` (the account's time), promising the next one at `next_update`.
    pub fn status_update_draft(
        &self,
        incident_id: i64,
        language: ReportLanguage,
        now: &str,
        next_update: Option<&str>,
    ) -> Result<String, AppError> {
        let incident = self.incident(incident_id)?;
        let entries = self.timeline(incident_id)?;
        let story = self.story(incident_id)?;
        Ok(draft(
            &incident,
            &entries,
            &story,
            language,
            now,
            next_update,
        ))
    }
}

/// Actions worth naming: what Unyo did, not the notes and updates about it.
fn is_action(entry: &JournalEntry) -> bool {
    matches!(
        entry.kind,
        JournalEntryKind::Command
            | JournalEntryKind::Runbook
            | JournalEntryKind::Verification
            | JournalEntryKind::Change
            | JournalEntryKind::Session
    )
}

pub(crate) fn draft(
    incident: &Incident,
    entries: &[JournalEntry],
    story: &[StoryEntry],
    language: ReportLanguage,
    now: &str,
    next_update: Option<&str>,
) -> String {
    let ja = language == ReportLanguage::Ja;
    let title = match incident.title.trim() {
        "" if ja => "無題のインシデント",
        "" => "Untitled incident",
        t => t,
    };
    let severity = incident
        .severity
        .map(|s| format!("[{}] ", s.label()))
        .unwrap_or_default();
    let start = moment_time(Moment::Detected, entries, story).unwrap_or(&incident.opened_at);
    let end = moment_time(Moment::Resolved, entries, story)
        .or(incident.closed_at.as_deref())
        .unwrap_or(now);
    let minutes = minutes_between(start, end);
    let affected = incident.affected.join(", ");
    let recent: Vec<String> = entries
        .iter()
        .rev()
        .filter(|e| is_action(e))
        .take(RECENT)
        .map(|e| {
            let curated = story.iter().find(|s| s.entry_id == e.id);
            curated
                .and_then(|s| s.title.clone())
                .unwrap_or_else(|| e.title.clone())
        })
        .collect();
    let mut lines = vec![format!(
        "{severity}{title}: {}",
        status_word(incident.status, language)
    )];
    let known = incident.summary.trim();
    lines.push(match (known.is_empty(), ja) {
        (true, false) => "Known: still being investigated.".to_owned(),
        (true, true) => "状況: 調査を続けています。".to_owned(),
        (false, false) => format!("Known: {known}"),
        (false, true) => format!("状況: {known}"),
    });
    let since = show(start);
    lines.push(match (affected.is_empty(), minutes, ja) {
        (false, Some(m), false) => format!("Impact: {affected}, since {since} ({m} min)"),
        (true, Some(m), false) => format!("Impact: since {since} ({m} min)"),
        (false, Some(m), true) => format!("影響: {affected}（{since} から {m} 分）"),
        (true, Some(m), true) => format!("影響: {since} から {m} 分"),
        (false, None, false) => format!("Impact: {affected}, since {since}"),
        (true, None, false) => format!("Impact: since {since}"),
        (false, None, true) => format!("影響: {affected}（{since} から）"),
        (true, None, true) => format!("影響: {since} から"),
    });
    if !recent.is_empty() {
        let done = recent.join("; ");
        lines.push(if ja {
            format!("対応: {done}")
        } else {
            format!("Doing: {done}")
        });
    }
    match (incident.status, next_update, ja) {
        (IncidentStatus::Resolved, _, false) => lines.push("No further updates planned.".into()),
        (IncidentStatus::Resolved, _, true) => lines.push("今後の更新予定はありません。".into()),
        (_, Some(next), false) => lines.push(format!("Next update: {}", show(next))),
        (_, Some(next), true) => lines.push(format!("次回の更新: {}", show(next))),
        (_, None, _) => {}
    }
    lines.join("\n")
}
