//! The journal against real files in a temporary folder.

use std::path::Path;
use std::sync::Arc;

use unyo_core::{AccountKind, ErrorCode};

use crate::{
    CostBasis, EntryCost, Journal, JournalEntryKind, JournalOutcome, NewJournalEntry, ReportFormat,
    ReportLanguage, SCHEMA_VERSION,
};

/// 2026-11-28T10:04:00Z.
const WALL: i64 = 1_795_860_240;

fn fixed() -> crate::time::Clock {
    Arc::new(|| WALL)
}

fn command(at: &str, title: &str) -> NewJournalEntry {
    NewJournalEntry {
        account: "practice".into(),
        region: "ap-northeast-1".into(),
        kind: JournalEntryKind::Command,
        title: title.into(),
        api_call: "ssm:SendCommand".into(),
        cli: "aws ssm send-command --document-name AWS-RunShellScript".into(),
        outcome: JournalOutcome::Running,
        result: "cmd-1".into(),
        at: at.into(),
        cost: None,
        detail: None,
    }
}

fn open(path: &Path) -> Journal {
    let opened = Journal::open_with_clock(path, fixed()).unwrap();
    assert!(opened.problem.is_none(), "{:?}", opened.problem);
    opened.journal
}

#[test]
fn records_update_and_read_back_on_an_implicit_incident() {
    let journal = Journal::open_in_memory().unwrap().with_clock(fixed());
    let first = journal
        .record(&command(
            "2026-11-28T10:05:00Z",
            "AWS-RunShellScript: df -h → i-1",
        ))
        .unwrap();
    assert_eq!(first.incident.title, "");
    assert_eq!(first.incident.opened_at, "2026-11-28T10:05:00Z");
    assert_eq!(first.incident.closed_at, None);
    assert_eq!(first.incident.account_kind, AccountKind::Practice);
    assert_eq!(first.incident.entry_count, 1);
    journal
        .update_outcome(first.entry_id, JournalOutcome::Success, "i-1 Success (0)")
        .unwrap();
    let second = journal
        .record(&NewJournalEntry {
            kind: JournalEntryKind::Verification,
            ..command("2026-11-28T10:07:00Z", "check")
        })
        .unwrap();
    assert_eq!(second.incident.id, first.incident.id);
    assert_eq!(second.incident.entry_count, 2);

    let timeline = journal.timeline(first.incident.id).unwrap();
    assert_eq!(timeline.len(), 2);
    let done = &timeline[0];
    assert_eq!(done.outcome, JournalOutcome::Success);
    assert_eq!(done.result, "i-1 Success (0)");
    assert_eq!(done.api_call, "ssm:SendCommand");
    assert_eq!(done.at, "2026-11-28T10:05:00Z");
    assert_eq!(done.recorded_at, "2026-11-28T10:04:00Z");
    assert_eq!(timeline[1].kind, JournalEntryKind::Verification);
    assert_eq!(
        journal.current_incident("practice").unwrap().map(|i| i.id),
        Some(first.incident.id)
    );
}

#[test]
fn incidents_open_close_and_list_per_account() {
    let journal = Journal::open_in_memory().unwrap();
    let implicit = journal
        .record(&command("2026-11-28T10:05:00Z", "one"))
        .unwrap()
        .incident;
    let named = journal
        .open_incident(
            "practice",
            "  sshd stopped on web-prod-1 ",
            "2026-11-28T11:00:00Z",
        )
        .unwrap();
    assert_eq!(named.title, "sshd stopped on web-prod-1");
    assert_eq!(named.entry_count, 0);
    let earlier = journal.incident(implicit.id).unwrap();
    assert_eq!(earlier.closed_at.as_deref(), Some("2026-11-28T11:00:00Z"));
    let next = journal
        .record(&command("2026-11-28T11:01:00Z", "two"))
        .unwrap();
    assert_eq!(next.incident.id, named.id);

    let closed = journal
        .close_incident(named.id, "2026-11-28T12:00:00Z")
        .unwrap();
    assert_eq!(closed.closed_at.as_deref(), Some("2026-11-28T12:00:00Z"));
    // Closing again keeps the first time.
    let again = journal
        .close_incident(named.id, "2026-11-28T13:00:00Z")
        .unwrap();
    assert_eq!(again.closed_at, closed.closed_at);
    assert_eq!(journal.current_incident("practice").unwrap(), None);
    let third = journal
        .record(&command("2026-11-28T12:30:00Z", "three"))
        .unwrap();
    assert_ne!(third.incident.id, named.id);

    let other = journal
        .record(&NewJournalEntry {
            account: "profile:prod".into(),
            ..command("2026-11-28T12:31:00Z", "elsewhere")
        })
        .unwrap();
    assert_eq!(other.incident.account_kind, AccountKind::Profile);
    assert_ne!(other.incident.id, third.incident.id);

    let practice: Vec<_> = journal
        .list_incidents(Some("practice"), 10)
        .unwrap()
        .into_iter()
        .map(|i| (i.id, i.entry_count))
        .collect();
    assert_eq!(
        practice,
        vec![(third.incident.id, 1), (named.id, 1), (implicit.id, 1)]
    );
    assert_eq!(journal.list_incidents(None, 2).unwrap().len(), 2);
    assert_eq!(journal.list_incidents(None, 10).unwrap().len(), 4);
}

#[test]
fn refuses_what_it_cannot_record() {
    let journal = Journal::open_in_memory().unwrap();
    let bad_account = journal.record(&NewJournalEntry {
        account: "prod".into(),
        ..command("2026-11-28T10:05:00Z", "x")
    });
    assert_eq!(bad_account.unwrap_err().code, ErrorCode::InvalidInput);
    let no_time = journal.record(&command(" ", "x"));
    assert_eq!(no_time.unwrap_err().code, ErrorCode::InvalidInput);
    let huge = journal.record(&NewJournalEntry {
        result: "x".repeat(70_000),
        ..command("2026-11-28T10:05:00Z", "x")
    });
    assert_eq!(huge.unwrap_err().code, ErrorCode::InvalidInput);
    let missing = journal.update_outcome(42, JournalOutcome::Failed, "gone");
    assert_eq!(missing.unwrap_err().code, ErrorCode::InvalidInput);
    assert_eq!(
        journal.incident(42).unwrap_err().code,
        ErrorCode::InvalidInput
    );
}

#[test]
fn a_file_journal_is_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/journal.sqlite3");
    let journal = open(&path);
    assert_eq!(journal.journal_mode().unwrap(), "wal");
    journal
        .record(&command("2026-11-28T10:05:00Z", "one"))
        .unwrap();
    assert!(dir.path().join("nested/journal.sqlite3-wal").exists());
}

#[test]
fn entries_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    let (incident, entry) = {
        let journal = open(&path);
        let recorded = journal
            .record(&command("2026-11-28T10:05:00Z", "one"))
            .unwrap();
        journal
            .update_outcome(recorded.entry_id, JournalOutcome::Failed, "i-1 Failed (3)")
            .unwrap();
        (recorded.incident.id, recorded.entry_id)
    };
    let reopened = open(&path);
    let timeline = reopened.timeline(incident).unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0].id, entry);
    assert_eq!(timeline[0].outcome, JournalOutcome::Failed);
    assert_eq!(timeline[0].result, "i-1 Failed (3)");
    assert_eq!(
        reopened.current_incident("practice").unwrap().map(|i| i.id),
        Some(incident)
    );
}

#[test]
fn two_handles_write_at_once_without_losing_an_entry_or_splitting_the_incident() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    let (a, b) = (open(&path), open(&path));
    let writers: Vec<_> = [a.clone(), b]
        .into_iter()
        .enumerate()
        .map(|(n, journal)| {
            std::thread::spawn(move || {
                for i in 0..40 {
                    let recorded = journal
                        .record(&command("2026-11-28T10:05:00Z", &format!("w{n} #{i}")))
                        .unwrap();
                    journal
                        .update_outcome(recorded.entry_id, JournalOutcome::Success, "ok")
                        .unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let incidents = a.list_incidents(Some("practice"), 10).unwrap();
    assert_eq!(
        incidents.len(),
        1,
        "both writers used the one open incident"
    );
    let timeline = a.timeline(incidents[0].id).unwrap();
    assert_eq!(timeline.len(), 80);
    assert!(
        timeline
            .iter()
            .all(|e| e.outcome == JournalOutcome::Success)
    );
}

#[test]
fn a_file_that_is_not_a_database_is_set_aside_and_a_new_journal_starts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    let garbage = "this was never a database, but it is the user's file\n".repeat(100);
    std::fs::write(&path, &garbage).unwrap();
    let opened = Journal::open_with_clock(&path, fixed()).unwrap();
    let problem = opened.problem.unwrap();
    assert!(
        problem.message.contains("could not be read"),
        "{}",
        problem.message
    );
    assert!(
        problem
            .set_aside
            .ends_with("journal.sqlite3.unreadable-20261128T100400Z"),
        "{}",
        problem.set_aside
    );
    assert_eq!(
        std::fs::read_to_string(&problem.set_aside).unwrap(),
        garbage
    );
    let recorded = opened
        .journal
        .record(&command("2026-11-28T10:05:00Z", "after"))
        .unwrap();
    assert_eq!(recorded.incident.entry_count, 1);
}

#[test]
fn a_damaged_page_is_found_at_open_and_the_file_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    {
        let journal = open(&path);
        for i in 0..200 {
            journal
                .record(&command(
                    "2026-11-28T10:05:00Z",
                    &format!("entry {i:03} {}", "x".repeat(200)),
                ))
                .unwrap();
        }
    }
    // Checkpointed on close: the pages are in the main file. Scribble over all but the header.
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8192);
    for b in &mut bytes[4096..] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let opened = Journal::open_with_clock(&path, fixed()).unwrap();
    let problem = opened.problem.expect("the damage is noticed");
    assert_eq!(std::fs::read(&problem.set_aside).unwrap(), bytes);
    assert_eq!(opened.journal.list_incidents(None, 10).unwrap(), vec![]);
}

#[test]
fn an_empty_database_is_migrated_and_a_newer_one_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE unrelated (x); PRAGMA user_version = 0;")
        .unwrap();
    let journal = open(&path);
    journal
        .record(&command("2026-11-28T10:05:00Z", "one"))
        .unwrap();
    drop(journal);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let refused = Journal::open_with_clock(&path, fixed()).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Storage);
    assert!(
        refused.message.contains("newer Unyo"),
        "{}",
        refused.message
    );
    assert!(path.exists(), "a newer journal is never moved");
}

#[test]
fn the_report_lists_each_action_in_either_language() {
    let journal = Journal::open_in_memory().unwrap();
    let incident = journal
        .open_incident("practice", "sshd stopped", "2026-11-28T10:00:00Z")
        .unwrap();
    let sent = journal
        .record(&command(
            "2026-11-28T10:04:00.123Z",
            "AWS-RunShellScript: df -h\nuptime → i-1",
        ))
        .unwrap();
    journal
        .update_outcome(sent.entry_id, JournalOutcome::Success, "i-1 Success (0)")
        .unwrap();
    journal
        .record(&NewJournalEntry {
            kind: JournalEntryKind::Runbook,
            api_call: String::new(),
            cli: "echo ```".into(),
            outcome: JournalOutcome::Cancelled,
            result: String::new(),
            ..command("2026-11-28T10:06:00Z", "AWSSupport-TroubleshootSSH")
        })
        .unwrap();
    journal
        .record(&NewJournalEntry {
            kind: JournalEntryKind::ChangeRecord,
            api_call: String::new(),
            cli: String::new(),
            outcome: JournalOutcome::Success,
            result: "Why: sshd down\nRisk: medium\nRollback: restore the backup\nConfirmed by: arn:aws:iam::1:user/op".into(),
            ..command("2026-11-28T10:05:00Z", "Change record: AWSSupport-TroubleshootSSH on i-1")
        })
        .unwrap();
    journal
        .record(&NewJournalEntry {
            kind: JournalEntryKind::Verification,
            api_call: "ssm:SendCommand".into(),
            cli: String::new(),
            outcome: JournalOutcome::Unknown,
            result: "i-1: unknown: port 22 is listening".into(),
            ..command(
                "2026-11-28T10:07:00Z",
                "Verification after AWSSupport-TroubleshootSSH",
            )
        })
        .unwrap();
    let en = journal
        .report(
            incident.id,
            ReportLanguage::En,
            ReportFormat::Markdown,
            "2026-11-28T10:10:00Z",
        )
        .unwrap();
    assert!(en.starts_with("# Incident report: sshd stopped\n"), "{en}");
    assert!(en.contains(
        "## 2026-11-28 10:05:00 UTC · Change record · Change record: AWSSupport-TroubleshootSSH on i-1\n\n\
         - ap-northeast-1\n- Why: sshd down\n- Risk: medium\n- Rollback: restore the backup\n- Confirmed by: arn:aws:iam::1:user/op\n"
    ), "{en}");
    assert!(en.contains("- ap-northeast-1 · Unknown: i-1: unknown: port 22 is listening"));
    assert!(en.contains("- Account: practice (practice account)"));
    assert!(en.contains("- Opened: 2026-11-28 10:00:00 UTC"));
    assert!(en.contains("- Closed: still open"));
    assert!(en.contains("- Exported: 2026-11-28 10:10:00 UTC"));
    assert!(en.contains(
        "## 2026-11-28 10:04:00 UTC · Run Command · AWS-RunShellScript: df -h uptime → i-1\n\n\
         - ap-northeast-1 · Succeeded: i-1 Success (0)\n- API call: `ssm:SendCommand`\n\n\
         ```sh\naws ssm send-command --document-name AWS-RunShellScript\n```\n"
    ));
    assert!(en.contains("## 2026-11-28 10:06:00 UTC · Runbook · AWSSupport-TroubleshootSSH"));
    assert!(en.contains("- ap-northeast-1 · Cancelled\n\n````sh\necho ```\n````"));

    let ja = journal
        .report(
            incident.id,
            ReportLanguage::Ja,
            ReportFormat::Markdown,
            "2026-11-28T10:10:00Z",
        )
        .unwrap();
    assert!(ja.starts_with("# インシデントレポート: sshd stopped\n"));
    assert!(ja.contains("- アカウント: practice (練習用アカウント)"));
    assert!(ja.contains("- 終了: 対応中"));
    assert!(ja.contains("· ランブック ·"));
    assert!(ja.contains("· 変更記録 ·"));
    assert!(ja.contains("- ap-northeast-1 · 不明: i-1"));
    assert!(ja.contains("- ap-northeast-1 · 成功: i-1 Success (0)"));

    let empty = journal
        .open_incident("practice", "", "2026-11-28T11:00:00Z")
        .unwrap();
    let nothing = journal
        .report(
            empty.id,
            ReportLanguage::En,
            ReportFormat::Markdown,
            "2026-11-28T11:00:00Z",
        )
        .unwrap();
    assert!(nothing.starts_with("# Incident report: Untitled incident\n"));
    assert!(nothing.contains("Nothing was recorded."));
}

#[test]
fn crosses_ipc_in_camel_case_and_takes_entries_without_an_api_call() {
    let entry: NewJournalEntry = serde_json::from_value(serde_json::json!({
        "account": "practice", "region": "us-east-1", "kind": "change", "title": "t",
        "cli": "aws ...", "outcome": "running", "result": "", "at": "2026-11-28T10:05:00Z"
    }))
    .unwrap();
    assert_eq!(entry.api_call, "");
    assert_eq!(entry.kind, JournalEntryKind::Change);
    let journal = Journal::open_in_memory().unwrap();
    let recorded = journal.record(&entry).unwrap();
    let json = serde_json::to_value(&recorded).unwrap();
    assert_eq!(json["incident"]["accountKind"], "practice");
    assert_eq!(json["incident"]["closedAt"], serde_json::Value::Null);
    assert!(json["entryId"].is_i64());
}

#[test]
fn costs_are_kept_per_action_added_exactly_per_incident_and_reported() {
    let journal = Journal::open_in_memory().unwrap();
    let usd = |text: &str| unyo_cost::Usd::parse(text).unwrap();
    let runbook = journal
        .record(&NewJournalEntry {
            kind: JournalEntryKind::Runbook,
            cost: Some(EntryCost {
                usd: usd("0.034"),
                basis: CostBasis::Estimate,
            }),
            ..command("2026-11-28T10:05:00Z", "AWSSupport-TroubleshootSSH")
        })
        .unwrap();
    journal
        .record(&NewJournalEntry {
            cost: Some(EntryCost {
                usd: usd("0.1"),
                basis: CostBasis::Actual,
            }),
            ..command("2026-11-28T10:06:00Z", "df -h")
        })
        .unwrap();
    journal
        .record(&command("2026-11-28T10:07:00Z", "uptime"))
        .unwrap();
    // The runbook ran 4 steps, not 17: the estimate is replaced by what AWS reported.
    journal
        .update_cost(
            runbook.entry_id,
            EntryCost {
                usd: usd("0.2"),
                basis: CostBasis::Actual,
            },
        )
        .unwrap();
    let incident = journal.incident(runbook.incident.id).unwrap();
    // 0.2 + 0.1 is exactly 0.3.
    assert_eq!(incident.cost, usd("0.3"));
    assert!(!incident.cost_at_most);
    let timeline = journal.timeline(incident.id).unwrap();
    assert_eq!(timeline[0].cost.unwrap().basis, CostBasis::Actual);
    assert_eq!(timeline[2].cost, None);

    journal
        .record(&NewJournalEntry {
            cost: Some(EntryCost {
                usd: usd("0.06"),
                basis: CostBasis::AtMost,
            }),
            ..command("2026-11-28T10:08:00Z", "Logs Insights")
        })
        .unwrap();
    let incident = journal.incident(incident.id).unwrap();
    assert_eq!(incident.cost, usd("0.36"));
    assert!(incident.cost_at_most);
    let en = journal
        .report(
            incident.id,
            ReportLanguage::En,
            ReportFormat::Markdown,
            "2026-11-28T10:10:00Z",
        )
        .unwrap();
    assert!(en.contains("- Cost: at most $0.36\n"), "{en}");
    assert!(en.contains("- Cost: $0.20 (as reported by AWS)"), "{en}");
    assert!(en.contains("- Cost: at most $0.06"), "{en}");
    let ja = journal
        .report(
            incident.id,
            ReportLanguage::Ja,
            ReportFormat::Markdown,
            "2026-11-28T10:10:00Z",
        )
        .unwrap();
    assert!(ja.contains("- 料金: 最大 $0.36"), "{ja}");
    assert!(
        journal
            .update_cost(
                999,
                EntryCost {
                    usd: usd("1"),
                    basis: CostBasis::Actual
                }
            )
            .is_err()
    );
}

#[test]
fn the_months_queries_and_their_cost_are_summed_per_account_and_region() {
    let journal = Journal::open_in_memory().unwrap();
    let usd = |text: &str| unyo_cost::Usd::parse(text).unwrap();
    let query = |at: &str, cost: &str| NewJournalEntry {
        kind: JournalEntryKind::Query,
        cost: Some(EntryCost {
            usd: usd(cost),
            basis: CostBasis::Actual,
        }),
        ..command(at, "Logs Insights: /storefront/app")
    };
    journal.record(&query("2026-10-31T23:00:00Z", "1")).unwrap();
    journal
        .record(&query("2026-11-02T10:00:00Z", "0.0025"))
        .unwrap();
    journal
        .record(&query("2026-11-28T10:00:00Z", "0.0005"))
        .unwrap();
    journal
        .record(&command("2026-11-28T10:01:00Z", "df -h"))
        .unwrap();
    let (count, cost) = journal
        .cost_since(
            "practice",
            "ap-northeast-1",
            JournalEntryKind::Query,
            "2026-11-01",
        )
        .unwrap();
    assert_eq!((count, cost), (2, usd("0.003")));
    let (none, zero) = journal
        .cost_since(
            "practice",
            "us-east-1",
            JournalEntryKind::Query,
            "2026-11-01",
        )
        .unwrap();
    assert_eq!((none, zero), (0, usd("0")));
}
