//! Every shell and tunnel, wherever in the app it is opened (Fleet, Sessions, Tunnels, the
//! Incident screen), goes on the account's open incident: opened or refused, and its end with
//! how long it lasted and how it ended. Recording never stands in the session's way: a
//! journal that cannot write is logged, and the session goes on.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tauri::AppHandle;
use unyo_core::AppError;
use unyo_journal::{JournalEntryKind, JournalOutcome, NewJournalEntry};

use crate::commands::journal::{JournalService, changed};

/// Tells the windows that the journal changed (the incident's id when known).
pub type Notify = Arc<dyn Fn(Option<i64>) + Send + Sync>;

/// Notifies every window of `app`.
pub fn windows_of(app: &AppHandle) -> Notify {
    let app = app.clone();
    Arc::new(move |incident| changed(&app, incident))
}

/// What a session is, as the journal names it.
#[derive(Debug, Clone)]
pub struct SessionWhat {
    pub account: String,
    pub region: String,
    /// The account's time it was opened (RFC 3339).
    pub at: String,
    pub title: String,
    pub cli: String,
}

/// A session on the journal, until its end is written.
pub struct SessionRecord {
    notify: Notify,
    journal: JournalService,
    entry: Option<i64>,
    started: Instant,
}

impl std::fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionRecord")
            .field("entry", &self.entry)
            .finish_non_exhaustive()
    }
}

impl SessionRecord {
    /// Records `what` as open (running); `result` says which session it is.
    pub async fn opened(
        notify: Notify,
        journal: &JournalService,
        what: SessionWhat,
        result: String,
    ) -> Self {
        let entry = record(&notify, journal, what, JournalOutcome::Running, result).await;
        Self {
            notify,
            journal: journal.clone(),
            entry,
            started: Instant::now(),
        }
    }

    /// Records that `what` was refused, with why.
    pub async fn refused(
        notify: &Notify,
        journal: &JournalService,
        what: SessionWhat,
        error: &AppError,
    ) {
        let why = error.message.clone();
        record(notify, journal, what, JournalOutcome::Failed, why).await;
    }

    /// Writes the end: `outcome`, and `how` it ended after the time it lasted.
    pub async fn ended(self, outcome: JournalOutcome, how: &str) {
        let Some(id) = self.entry else {
            return;
        };
        let result = format!("{how} after {}", lasted(self.started.elapsed()));
        let written = self
            .journal
            .run(move |j| j.update_outcome(id, outcome, &result))
            .await;
        match written {
            Ok(()) => (self.notify)(None),
            Err(e) => tracing::warn!(
                entry = id,
                "the session's end was not recorded: {}",
                e.message
            ),
        }
    }
}

async fn record(
    notify: &Notify,
    journal: &JournalService,
    what: SessionWhat,
    outcome: JournalOutcome,
    result: String,
) -> Option<i64> {
    let entry = NewJournalEntry {
        account: what.account,
        region: what.region,
        kind: JournalEntryKind::Session,
        title: what.title,
        api_call: "ssm:StartSession".to_owned(),
        cli: what.cli,
        outcome,
        result,
        at: what.at,
        cost: None,
        detail: None,
    };
    match journal.run(move |j| j.record(&entry)).await {
        Ok(recorded) => {
            notify(Some(recorded.incident.id));
            Some(recorded.entry_id)
        }
        Err(e) => {
            tracing::warn!("a session was not recorded on the incident: {}", e.message);
            None
        }
    }
}

/// `12 min 03 s`, `45 s`, `2 h 05 min`: how long a session lasted, to the second.
pub fn lasted(duration: Duration) -> String {
    let seconds = duration.as_secs();
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (hours, minutes) {
        (0, 0) => format!("{seconds} s"),
        (0, _) => format!("{minutes} min {seconds:02} s"),
        _ => format!("{hours} h {minutes:02} min"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    fn shell() -> SessionWhat {
        SessionWhat {
            account: "practice".into(),
            region: "ap-northeast-1".into(),
            at: "2026-11-28T10:06:00Z".into(),
            title: "Session Manager shell → i-0a1".into(),
            cli: "aws ssm start-session --target i-0a1 --region ap-northeast-1".into(),
        }
    }

    #[tokio::test]
    async fn a_session_goes_on_the_incident_running_and_then_with_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let journal = JournalService::open(dir.path());
        let told = Arc::new(Mutex::new(Vec::new()));
        let heard = Arc::clone(&told);
        let notify: Notify = Arc::new(move |incident| heard.lock().unwrap().push(incident));
        let record =
            SessionRecord::opened(Arc::clone(&notify), &journal, shell(), "session s-1".into())
                .await;
        let entries = journal
            .run(|j| {
                let incident = j.current_incident("practice")?.unwrap();
                j.timeline(incident.id)
            })
            .await
            .unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].kind, JournalEntryKind::Session);
        assert_eq!(entries[0].outcome, JournalOutcome::Running);
        assert_eq!(entries[0].api_call, "ssm:StartSession");
        record
            .ended(JournalOutcome::Success, "the shell exited with status 0")
            .await;
        let entry = journal
            .run(|j| j.timeline(j.current_incident("practice")?.unwrap().id))
            .await
            .unwrap()
            .remove(0);
        assert_eq!(entry.outcome, JournalOutcome::Success);
        assert!(
            entry
                .result
                .starts_with("the shell exited with status 0 after "),
            "{}",
            entry.result
        );
        assert_eq!(
            told.lock().unwrap().len(),
            2,
            "the windows heard of both writes"
        );

        SessionRecord::refused(
            &notify,
            &journal,
            shell(),
            &AppError::new(
                unyo_core::ErrorCode::TargetNotConnected,
                "i-0a1 is not connected",
            ),
        )
        .await;
        let refused = journal
            .run(|j| j.timeline(j.current_incident("practice")?.unwrap().id))
            .await
            .unwrap()
            .remove(1);
        assert_eq!(refused.outcome, JournalOutcome::Failed);
        assert_eq!(refused.result, "i-0a1 is not connected");
    }

    #[test]
    fn a_duration_reads_to_the_second() {
        assert_eq!(lasted(Duration::from_secs(45)), "45 s");
        assert_eq!(lasted(Duration::from_secs(12 * 60 + 3)), "12 min 03 s");
        assert_eq!(
            lasted(Duration::from_secs(2 * 3600 + 5 * 60 + 9)),
            "2 h 05 min"
        );
    }
}
