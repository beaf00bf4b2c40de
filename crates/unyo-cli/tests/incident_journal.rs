//! `unyo incident`: the journal the app keeps, read and noted on from a terminal. Each test
//! writes a journal with the journal's own API into a data dir of its own (HOME and
//! XDG_DATA_HOME in a temp dir, where the app would keep it), then runs `unyo` on it while
//! that handle stays open, as the running app's would.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/hermetic.rs"]
mod hermetic;

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;
use unyo_cost::Usd;
use unyo_journal::{
    CostBasis, EntryCost, IncidentDetails, IncidentFile, IncidentStatus, Journal, JournalEntryKind,
    JournalOutcome, Moment, NewJournalEntry, Severity, StoryEdit,
};

/// A computer of its own: a home and data dir in a temp dir.
struct Computer {
    home: tempfile::TempDir,
}

impl Computer {
    fn new() -> Self {
        Self {
            home: tempfile::tempdir().unwrap(),
        }
    }

    /// Where the app keeps its journal: the data dir under the app's identifier.
    fn journal_path(&self) -> PathBuf {
        self.home
            .path()
            .join("data/app.unyo.desktop/journal.sqlite3")
    }

    fn journal(&self) -> Journal {
        Journal::open(&self.journal_path()).unwrap().journal
    }

    fn unyo(&self, args: &[&str]) -> Command {
        let mut cmd = hermetic::unyo(args);
        cmd.env("HOME", self.home.path())
            .env("XDG_DATA_HOME", self.home.path().join("data"));
        cmd
    }

    /// stdout, stderr and the exit code.
    fn run(&self, args: &[&str]) -> (String, String, i32) {
        let out = self.unyo(args).output().unwrap();
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
            out.status.code().unwrap(),
        )
    }

    fn stdout(&self, args: &[&str]) -> String {
        let (stdout, stderr, code) = self.run(args);
        assert_eq!(code, 0, "{stdout}{stderr}");
        stdout
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.stdout(args)).unwrap()
    }

    /// The ids `list ARGS --json` shows, in its order.
    fn listed(&self, args: &[&str]) -> Vec<i64> {
        let args = [&["incident", "list", "--json"][..], args].concat();
        self.json(&args)["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    }
}

fn entry(account: &str, kind: JournalEntryKind, at: &str, title: &str) -> NewJournalEntry {
    NewJournalEntry {
        account: account.into(),
        region: "ap-northeast-1".into(),
        kind,
        title: title.into(),
        api_call: String::new(),
        cli: String::new(),
        outcome: JournalOutcome::Success,
        result: String::new(),
        at: at.into(),
        cost: None,
        detail: None,
    }
}

const PROD: i64 = 1;
const STAGING: i64 = 2;
const PRACTICE: i64 = 3;

/// Three incidents, oldest first: prod's (SEV2, identified, then closed and so resolved, with
/// a curated timeline), staging's (SEV4, resolved, closed), and the practice account's
/// (untitled, opened by its first action, still open).
fn recorded(computer: &Computer) -> Journal {
    let journal = computer.journal();
    let prod = journal
        .open_incident(
            "profile:prod",
            "sshd down on web-prod-1",
            "2026-11-28T10:00:00Z",
        )
        .unwrap();
    assert_eq!(prod.id, PROD);
    let alarm = journal
        .record(&entry(
            "profile:prod",
            JournalEntryKind::Pin,
            "2026-11-28T10:02:00Z",
            "Alarm web-prod-1-status",
        ))
        .unwrap();
    let mut runbook = entry(
        "profile:prod",
        JournalEntryKind::Runbook,
        "2026-11-28T10:20:00Z",
        "AWSSupport-TroubleshootSSH",
    );
    runbook.result = "Success".into();
    runbook.cost = Some(EntryCost {
        usd: Usd::parse("0.008").unwrap(),
        basis: CostBasis::Estimate,
    });
    journal.record(&runbook).unwrap();
    let mut check = entry(
        "profile:prod",
        JournalEntryKind::Verification,
        "2026-11-28T10:31:00Z",
        "sshd active on i-0a1",
    );
    check.result = "1 passed".into();
    let check = journal.record(&check).unwrap();
    journal
        .update_details(
            PROD,
            &IncidentDetails {
                title: "sshd down on web-prod-1".into(),
                severity: Some(Severity::Sev2),
                status: IncidentStatus::Identified,
                summary: "sshd was stopped by a config push.".into(),
                affected: vec!["i-0a1".into()],
            },
            "2026-11-28T10:15:00Z",
        )
        .unwrap();
    journal.promote(alarm.entry_id).unwrap();
    journal
        .edit_story(
            alarm.entry_id,
            &StoryEdit {
                title: Some("Status check alarm fired".into()),
                annotation: "Paged the on-call".into(),
                moment: Some(Moment::Detected),
                happened_at: Some("2026-11-28T09:58:00Z".into()),
            },
        )
        .unwrap();
    journal.promote(check.entry_id).unwrap();
    journal
        .edit_story(
            check.entry_id,
            &StoryEdit {
                title: None,
                annotation: String::new(),
                moment: Some(Moment::Resolved),
                happened_at: None,
            },
        )
        .unwrap();
    journal
        .close_incident(PROD, "2026-11-28T10:40:00Z")
        .unwrap();

    let staging = journal
        .open_incident(
            "profile:staging",
            "disk full on batch-1",
            "2026-11-28T11:00:00Z",
        )
        .unwrap();
    assert_eq!(staging.id, STAGING);
    journal
        .update_details(
            STAGING,
            &IncidentDetails {
                title: "disk full on batch-1".into(),
                severity: Some(Severity::Sev4),
                status: IncidentStatus::Resolved,
                summary: String::new(),
                affected: Vec::new(),
            },
            "2026-11-28T11:30:00Z",
        )
        .unwrap();
    journal
        .close_incident(STAGING, "2026-11-28T11:30:00Z")
        .unwrap();

    let practice = journal
        .record(&entry(
            "practice",
            JournalEntryKind::Command,
            "2026-11-28T12:00:00Z",
            "AWS-RunShellScript: df -h → i-0a1f3c5e7b9d10001",
        ))
        .unwrap();
    assert_eq!(practice.incident.id, PRACTICE);
    journal
}

#[test]
fn list_shows_the_newest_first_and_filters() {
    let computer = Computer::new();
    let _journal = recorded(&computer);
    let table = computer.stdout(&["incident", "list"]);
    for header in [
        "ID", "ACCOUNT", "TITLE", "SEVERITY", "STATUS", "OPENED", "CLOSED", "ACTIONS", "COST",
    ] {
        assert!(table.contains(header), "{header} missing from {table}");
    }
    let rows: Vec<&str> = table.lines().filter(|l| l.contains("2026-11-28")).collect();
    assert_eq!(rows.len(), 3, "{table}");
    // The practice account's incident, opened by its first action, is untitled and open.
    for cell in ["practice", "(untitled)", "investigating", "open"] {
        assert!(rows[0].contains(cell), "{cell} missing from {}", rows[0]);
    }
    assert!(rows[1].contains("disk full on batch-1") && rows[1].contains("SEV4"));
    for cell in [
        "profile:prod",
        "sshd down on web-prod-1",
        "SEV2",
        // Closing an incident resolves it.
        "resolved",
        "2026-11-28 10:00:00 UTC",
        "2026-11-28 10:40:00 UTC",
        "$0.008",
    ] {
        assert!(rows[2].contains(cell), "{cell} missing from {}", rows[2]);
    }

    assert_eq!(computer.listed(&[]), [PRACTICE, STAGING, PROD]);
    assert_eq!(computer.listed(&["--severity", "sev2"]), [PROD]);
    assert_eq!(computer.listed(&["--severity", "SEV4"]), [STAGING]);
    assert_eq!(computer.listed(&["--status", "resolved"]), [STAGING, PROD]);
    assert_eq!(computer.listed(&["--status", "investigating"]), [PRACTICE]);
    assert_eq!(computer.listed(&["--search", "DISK"]), [STAGING]);
    assert_eq!(computer.listed(&["--search", "i-0a1"]), [PROD]);
    assert_eq!(computer.listed(&["--practice"]), [PRACTICE]);
    assert_eq!(computer.listed(&["--profile", "prod"]), [PROD]);
    assert_eq!(
        computer.listed(&["--account", "profile:staging"]),
        [STAGING]
    );
    assert_eq!(computer.listed(&["--limit", "2"]), [PRACTICE, STAGING]);
    let prod = &computer.json(&["incident", "list", "--profile", "prod", "--json"])["incidents"][0];
    assert_eq!(prod["entryCount"], 4, "three actions and the status change");
    assert_eq!(prod["cost"], "0.008");

    let none = computer.stdout(&["incident", "list", "--status", "monitoring"]);
    assert_eq!(none.trim(), "no incidents match");
}

#[test]
fn list_refuses_what_is_not_a_severity_a_status_or_an_account() {
    let computer = Computer::new();
    let _journal = recorded(&computer);
    let (_, stderr, code) = computer.run(&["incident", "list", "--severity", "sev5"]);
    assert_eq!(code, 2, "a usage error");
    assert!(
        stderr.contains("invalid value 'sev5' for '--severity <SEVERITY>': a severity is sev1, sev2, sev3 or sev4"),
        "{stderr}"
    );
    let (_, stderr, code) = computer.run(&["incident", "list", "--status", "fixed"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("a status is investigating, identified, monitoring or resolved"),
        "{stderr}"
    );
    let (_, stderr, code) = computer.run(&["incident", "list", "--account", "prod"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("\"prod\" is not an account id (practice or profile:<name>)"),
        "{stderr}"
    );
    let (_, stderr, code) = computer.run(&["incident", "list", "--practice", "--profile", "prod"]);
    assert_eq!(code, 2, "one account at most: {stderr}");
}

#[test]
fn show_tells_the_timeline_then_the_activity_log() {
    let computer = Computer::new();
    let _journal = recorded(&computer);
    let out = computer.stdout(&["incident", "show", "1"]);
    assert!(
        out.starts_with("Incident 1: sshd down on web-prod-1\n"),
        "{out}"
    );
    for fact in [
        "Account   profile:prod",
        "Severity  SEV2",
        "Status    resolved",
        "Opened    2026-11-28 10:00:00 UTC",
        "Closed    2026-11-28 10:40:00 UTC",
        "Actions   4",
        "Cost      $0.008",
        "Affected  i-0a1",
        "sshd was stopped by a config push.",
    ] {
        assert!(out.contains(fact), "{fact} missing from {out}");
    }
    let (timeline, activity) = out.split_once("Activity log:").unwrap();
    let timeline = timeline.split_once("Timeline:").unwrap().1;
    // Re-timed to when it really happened, with the time it was recorded kept beside it.
    let detected = timeline
        .lines()
        .find(|l| l.contains("Detected"))
        .unwrap_or_else(|| panic!("no Detected moment in {timeline}"));
    for cell in [
        "2026-11-28 09:58:00 UTC (recorded 2026-11-28 10:02:00 UTC)",
        "Status check alarm fired",
        "Paged the on-call",
    ] {
        assert!(detected.contains(cell), "{cell} missing from {detected}");
    }
    let resolved = timeline.find("Resolved").unwrap();
    assert!(timeline.find("Detected").unwrap() < resolved, "{timeline}");
    assert!(timeline.contains("sshd active on i-0a1"));
    assert!(
        !timeline.contains("AWSSupport-TroubleshootSSH"),
        "not promoted"
    );

    for header in ["TIME", "KIND", "TITLE", "OUTCOME", "RESULT"] {
        assert!(activity.contains(header), "{activity}");
    }
    let in_order: Vec<usize> = [
        "Alarm web-prod-1-status",
        "AWSSupport-TroubleshootSSH",
        "sshd active on i-0a1",
        "severity none → SEV2; status investigating → identified",
    ]
    .iter()
    .map(|title| {
        activity
            .find(title)
            .unwrap_or_else(|| panic!("{title} missing from {activity}"))
    })
    .collect();
    assert!(in_order.is_sorted(), "recorded order: {activity}");
    let runbook = activity
        .lines()
        .find(|l| l.contains("AWSSupport-TroubleshootSSH"))
        .unwrap();
    for cell in ["2026-11-28 10:20:00 UTC", "Runbook", "succeeded", "Success"] {
        assert!(runbook.contains(cell), "{cell} missing from {runbook}");
    }

    let json = computer.json(&["incident", "show", "1", "--json"]);
    assert_eq!(json["incident"]["id"], PROD);
    assert_eq!(json["incident"]["severity"], "sev2");
    assert_eq!(json["entries"].as_array().unwrap().len(), 4);
    assert_eq!(json["story"].as_array().unwrap().len(), 2);
    assert_eq!(json["story"][0]["moment"], "detected");
}

#[test]
fn a_note_goes_on_the_open_incident_and_shows_in_show() {
    let computer = Computer::new();
    let journal = recorded(&computer);

    // One incident is open (the practice account's): a note naming no account goes there.
    let out = computer.stdout(&["incident", "note", "checked", "the", "dashboards"]);
    assert_eq!(out.trim(), "Noted on incident 3 of practice: (untitled)");
    let long = format!(
        "Restarted nginx on web-1 {}\nafter the config push",
        "x".repeat(90)
    );
    let out = computer.stdout(&["incident", "note", "--practice", &long]);
    assert_eq!(out.trim(), "Noted on incident 3 of practice: (untitled)");

    // The app's handle, open all along, reads what the CLI wrote.
    let log = journal.timeline(PRACTICE).unwrap();
    let notes: Vec<_> = log
        .iter()
        .filter(|e| e.kind == JournalEntryKind::Note)
        .collect();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0].title, "checked the dashboards");
    assert_eq!(notes[0].detail.as_deref(), Some("checked the dashboards"));
    let note = notes[1];
    assert_eq!(note.title.chars().count(), 80);
    assert!(note.title.starts_with("Restarted nginx on web-1 xxx") && note.title.ends_with('…'));
    assert_eq!(note.detail.as_deref(), Some(long.as_str()));
    assert_eq!(
        (note.region.as_str(), note.outcome),
        ("", JournalOutcome::Success)
    );
    assert!(
        unyo_core::time::parse_rfc3339(&note.at).is_some(),
        "{}",
        note.at
    );
    assert!(note.at.ends_with('Z'), "UTC: {}", note.at);

    let shown = computer.stdout(&["incident", "show", "3"]);
    let row = shown
        .lines()
        .find(|l| l.contains("checked the dashboards"))
        .unwrap_or_else(|| panic!("the note missing from {shown}"));
    assert!(row.contains("Note"), "{row}");
    assert!(
        shown.contains("after the config push"),
        "its whole text: {shown}"
    );

    // Prod's incident is closed: the journal opens a new one for the note.
    let out = computer.stdout(&[
        "incident",
        "note",
        "--profile",
        "prod",
        "sshd flapping again",
    ]);
    assert_eq!(
        out.trim(),
        "Noted on incident 4 of profile:prod: (untitled) (opened for it: the account had no open incident)"
    );
    let json = computer.json(&[
        "incident",
        "note",
        "--account",
        "profile:prod",
        "--json",
        "paged the DBA",
    ]);
    assert_eq!(json["incident"]["id"], 4);
    assert_eq!(json["incident"]["entryCount"], 2);
    assert_eq!(computer.listed(&["--profile", "prod"]), [4, PROD]);

    // Two are open now: which one is for the user to say.
    let (_, stderr, code) = computer.run(&["incident", "note", "which one?"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "incidents are open on profile:prod, practice; say whose incident the note is for: --practice, --profile NAME or --account ACCOUNT"
        ),
        "{stderr}"
    );
    let (_, stderr, code) = computer.run(&["incident", "note", "--practice", "  "]);
    assert_eq!(code, 1);
    assert!(stderr.contains("the note is empty"), "{stderr}");
}

#[test]
fn export_writes_the_reports_and_the_file_the_app_imports() {
    let computer = Computer::new();
    let _journal = recorded(&computer);
    let markdown = computer.stdout(&["incident", "export", "1"]);
    assert!(
        markdown.starts_with("# Incident report: sshd down on web-prod-1\n"),
        "{markdown}"
    );
    assert!(markdown.contains("Status check alarm fired"));
    let japanese = computer.stdout(&["incident", "export", "1", "--format", "md", "--lang", "ja"]);
    assert!(
        japanese.starts_with("# インシデントレポート: "),
        "{japanese}"
    );

    let html_file = computer.home.path().join("report.html");
    let (stdout, stderr, code) = computer.run(&[
        "incident",
        "export",
        "1",
        "--format",
        "html",
        "--output",
        html_file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "", "the report is in the file");
    assert!(stderr.contains("report.html"), "{stderr}");
    let html = std::fs::read_to_string(&html_file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("sshd down on web-prod-1"));

    let json = computer.stdout(&["incident", "export", "1", "--format", "json"]);
    assert!(
        json.starts_with("{\n  \"format\": \"unyo-incident\""),
        "pretty: {json}"
    );
    let file: IncidentFile = serde_json::from_str(&json).unwrap();
    let elsewhere = Computer::new();
    let other = elsewhere.journal();
    let imported = other.import(&file).unwrap();
    assert_eq!(imported.title, "sshd down on web-prod-1");
    assert_eq!(imported.severity, Some(Severity::Sev2));
    assert_eq!(imported.entry_count, 4);
    let titles = |j: &Journal, id| -> Vec<String> {
        j.timeline(id)
            .unwrap()
            .into_iter()
            .map(|e| e.title)
            .collect()
    };
    assert_eq!(
        titles(&other, imported.id),
        titles(&computer.journal(), PROD)
    );
    assert_eq!(other.story(imported.id).unwrap().len(), 2);
}

#[test]
fn reads_change_nothing_in_the_journal() {
    let computer = Computer::new();
    let journal = recorded(&computer);
    let everything = || -> Vec<IncidentFile> {
        [PROD, STAGING, PRACTICE]
            .iter()
            .map(|id| journal.export(*id).unwrap())
            .collect()
    };
    let before = everything();
    computer.stdout(&["incident", "list"]);
    computer.stdout(&["incident", "show", "1"]);
    computer.stdout(&["incident", "export", "1", "--format", "html"]);
    computer.stdout(&["incident", "export", "3", "--format", "json"]);
    assert_eq!(everything(), before);
}

#[test]
fn an_unknown_incident_and_an_empty_computer_are_said_plainly() {
    let computer = Computer::new();
    let _journal = recorded(&computer);
    for args in [
        &["incident", "show", "99"][..],
        &["incident", "export", "99", "--format", "json"],
    ] {
        let (stdout, stderr, code) = computer.run(args);
        assert_eq!((stdout.as_str(), code), ("", 1));
        assert!(stderr.contains("no incident 99 in the journal"), "{stderr}");
    }
    let (stdout, _, code) = computer.run(&["incident", "show", "99", "--json"]);
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["error"]["message"], "no incident 99 in the journal");

    let empty = Computer::new();
    assert_eq!(
        empty.stdout(&["incident", "list"]).trim(),
        "no incidents recorded yet on this computer"
    );
    assert_eq!(
        empty.json(&["incident", "list", "--json"]),
        serde_json::json!({ "incidents": [] })
    );
    for args in [&["incident", "show", "1"][..], &["incident", "export", "1"]] {
        let (_, stderr, code) = empty.run(args);
        assert_eq!(code, 1);
        assert!(
            stderr.contains("no incidents recorded yet on this computer"),
            "{stderr}"
        );
    }
    let (_, stderr, code) = empty.run(&["incident", "note", "hello"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("no incident is open; say whose incident"),
        "{stderr}"
    );
    assert!(
        !empty.journal_path().exists(),
        "reading an empty computer makes no journal"
    );
}

#[test]
fn a_journal_from_a_newer_unyo_is_left_alone() {
    let computer = Computer::new();
    drop(recorded(&computer));
    let path = computer.journal_path();
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let (_, stderr, code) = computer.run(&["incident", "list"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("was written by a newer Unyo (schema 99"),
        "{stderr}"
    );
    let (_, stderr, code) = computer.run(&["incident", "note", "--practice", "hello"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("written by a newer Unyo"), "{stderr}");
}
