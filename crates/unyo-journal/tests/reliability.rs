//! The journal's promises when things go wrong (issue 14): every entry acknowledged before the
//! process is killed is on disk and the file opens cleanly; a full disk is said to be full,
//! loses nothing, and recording resumes once there is room; a schema upgrade keeps every
//! incident and entry.
//!
//! The kill and the full disk need a second process: those tests run this binary again with
//! `UNYO_JOURNAL_CHILD` set and only `child_entry_point` selected, and judge what it printed.
//! Unix only: the kill is SIGKILL, and the full disk is a tmpfs in a Linux mount namespace.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

use rusqlite::{Connection, OpenFlags, params};
use unyo_core::AccountKind;
use unyo_cost::Usd;
use unyo_journal::{
    Journal, JournalEntry, JournalEntryKind, JournalOutcome, NewJournalEntry, SCHEMA_VERSION,
};

/// Tells the re-run binary what to do, and where: `burst:<journal file>` or
/// `disk-full:<tmpfs mount point>`.
const CHILD: &str = "UNYO_JOURNAL_CHILD";

/// Starts each line the child reports, so the parent tells them apart from the test harness's
/// own output (`running 1 test`, a test name printed without a newline).
const REPORT: &str = "unyo-journal-child: ";

/// The arguments that make the test binary run `child_entry_point` alone, output uncaptured.
const CHILD_ARGS: [&str; 3] = ["--exact", "child_entry_point", "--nocapture"];

/// The signal `Child::kill` sends on Unix.
const SIGKILL: i32 = 9;

/// How many entries the killed child sets out to record.
const BURST: usize = 10_000;

/// How many acknowledgements the parent reads before it kills the child: a few thousand, so the
/// kill lands mid-burst, with a transaction as likely in flight as at any other moment.
const KILL_AFTER: usize = 3_000;

/// The body of the child processes, not a test of its own. The harness runs every `#[test]`,
/// this one included, in a plain `cargo test`: without `UNYO_JOURNAL_CHILD` it returns at
/// once, and what it checks is asserted by the parent tests below from its output.
#[test]
fn child_entry_point() {
    let Some(task) = std::env::var_os(CHILD) else {
        return;
    };
    let task = task.into_string().expect("UNYO_JOURNAL_CHILD is UTF-8");
    match task.split_once(':') {
        Some(("burst", path)) => burst(Path::new(path)),
        #[cfg(target_os = "linux")]
        Some(("disk-full", dir)) => full_disk::child(Path::new(dir)),
        _ => panic!("unknown {CHILD} task {task:?}"),
    }
}

/// Writes one report line in a single write and flushes it: once this returns, the parent
/// can read it, and a kill cannot leave half of it behind as a whole line.
fn report(line: &str) {
    let mut out = std::io::stdout().lock();
    out.write_all(format!("{REPORT}{line}\n").as_bytes())
        .and_then(|()| out.flush())
        .expect("the parent reads the child's stdout");
}

/// The report lines in `stdout`, without their marker.
fn reported(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter_map(|line| line.split_once(REPORT).map(|(_, report)| report))
        .collect()
}

/// A Run Command as the UI sends it over IPC: camelCase JSON, optional fields left to their
/// defaults (so a field added with a default needs no change here).
fn action(title: &str) -> NewJournalEntry {
    serde_json::from_value(serde_json::json!({
        "account": "practice",
        "region": "ap-northeast-1",
        "kind": "command",
        "title": title,
        "apiCall": "ssm:SendCommand",
        "cli": "aws ssm send-command --document-name AWS-RunShellScript",
        "outcome": "running",
        "result": "cmd-1",
        "at": "2026-11-28T10:05:00Z",
    }))
    .unwrap()
}

fn read_only(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

// Killed mid-burst.

fn burst_title(n: usize) -> String {
    format!("AWS-RunShellScript: uptime → i-{n:05}")
}

/// The child: records `BURST` entries, acknowledging each once `record` has returned.
fn burst(path: &Path) {
    let journal = Journal::open(path)
        .expect("the burst's journal opens")
        .journal;
    for n in 0..BURST {
        let recorded = journal
            .record(&action(&burst_title(n)))
            .expect("the burst records");
        report(&format!(
            "ack {n} {} {}",
            recorded.entry_id, recorded.incident.id
        ));
    }
    report("done");
}

/// An entry the child said was recorded.
#[derive(Debug)]
struct Ack {
    n: usize,
    entry: i64,
    incident: i64,
}

impl Ack {
    fn parse(report: &str) -> Option<Self> {
        let mut words = report.strip_prefix("ack ")?.split(' ');
        let ack = Self {
            n: words.next()?.parse().ok()?,
            entry: words.next()?.parse().ok()?,
            incident: words.next()?.parse().ok()?,
        };
        words.next().is_none().then_some(ack)
    }
}

/// Reads one whole line; `None` at the end of the pipe or for a line the kill cut short.
fn whole_line(from: &mut impl BufRead) -> Option<String> {
    let mut line = String::new();
    let read = from.read_line(&mut line).expect("the child's stdout reads");
    (read > 0 && line.ends_with('\n')).then_some(line)
}

#[test]
fn every_entry_acknowledged_before_a_kill_is_there_and_the_file_opens_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    let stderr_path = dir.path().join("child.stderr");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(CHILD_ARGS)
        .env(CHILD, format!("burst:{}", path.display()))
        .stdout(Stdio::piped())
        .stderr(File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let child_stderr = || std::fs::read_to_string(&stderr_path).unwrap_or_default();

    let mut acks = Vec::new();
    while acks.len() < KILL_AFTER {
        let Some(line) = whole_line(&mut stdout) else {
            let status = child.wait().unwrap();
            panic!(
                "the child stopped after {} acknowledgements, before the kill ({status}):\n{}",
                acks.len(),
                child_stderr()
            );
        };
        acks.extend(reported(&line).first().and_then(|r| Ack::parse(r)));
    }
    // `Child::kill` sends SIGKILL on Unix: no destructor, no checkpoint, no close.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    // Acknowledgements still in the pipe were printed after their `record` returned as well.
    while let Some(line) = whole_line(&mut stdout) {
        acks.extend(reported(&line).first().and_then(|r| Ack::parse(r)));
    }
    assert_eq!(
        status.signal(),
        Some(SIGKILL),
        "the child should have died of SIGKILL mid-burst, but ended {status} after {} \
         acknowledgements:\n{}",
        acks.len(),
        child_stderr()
    );
    assert!(acks.len() < BURST, "the kill came after the whole burst");
    assert!(
        acks.iter().enumerate().all(|(i, ack)| ack.n == i),
        "the acknowledgements skip or repeat an entry"
    );

    let opened = Journal::open(&path).unwrap();
    assert!(
        opened.problem.is_none(),
        "the journal was set aside after the kill instead of opening: {:?}",
        opened.problem
    );
    let check: String = read_only(&path)
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "integrity_check after the kill");

    let incident = acks[0].incident;
    assert!(
        acks.iter().all(|ack| ack.incident == incident),
        "the burst went on one incident"
    );
    let timeline = opened.journal.timeline(incident).unwrap();
    let found: HashMap<i64, &str> = timeline.iter().map(|e| (e.id, e.title.as_str())).collect();
    let lost: Vec<String> = acks
        .iter()
        .filter(|ack| found.get(&ack.entry).copied() != Some(burst_title(ack.n).as_str()))
        .map(|ack| format!("#{} (id {}): {:?}", ack.n, ack.entry, found.get(&ack.entry)))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged entries are missing or changed after the kill, first: {}",
        lost.len(),
        acks.len(),
        lost.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
    );
    // Only the entry in flight at the kill may be there without its acknowledgement.
    assert!(
        timeline.len() == acks.len() || timeline.len() == acks.len() + 1,
        "{} acknowledged, {} in the journal",
        acks.len(),
        timeline.len()
    );

    let after = opened.journal.record(&action("after the kill")).unwrap();
    assert_eq!(after.incident.id, incident);
    assert_eq!(after.incident.entry_count as usize, timeline.len() + 1);
}

/// A full disk: a tmpfs mounted in a mount namespace of the child's own, so no root is needed.
#[cfg(target_os = "linux")]
mod full_disk {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use super::*;

    /// The size of the tmpfs the disk-full child runs on.
    const TMPFS_SIZE: &str = "512k";

    /// The most the filler may write before the test gives up: more than the tmpfs holds, so a
    /// filler that gets this far is not on it (and must not go on filling a real disk).
    const FILLER_LIMIT: u64 = 1024 * 1024;

    /// The titles of `entries`, in order, as one line.
    fn titles(entries: &[JournalEntry]) -> String {
        entries
            .iter()
            .map(|e| e.title.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    }

    /// Where `program` is on `PATH`.
    fn on_path(program: &str) -> Option<PathBuf> {
        std::env::split_paths(&std::env::var_os("PATH")?)
            .map(|dir| dir.join(program))
            .find(|candidate| candidate.is_file())
    }

    /// Writes `path` until the file system refuses: large chunks, then single bytes, so that not
    /// even the rest of a partly used page is left. Returns how much went in, and the refusal.
    fn fill(path: &Path) -> (u64, std::io::Error) {
        let mut file = File::create(path).expect("the filler file is created");
        let mut written = 0u64;
        let mut refusal = None;
        for chunk in [64 * 1024, 4096, 1] {
            let bytes = vec![0xA5u8; chunk];
            loop {
                assert!(
                    written <= FILLER_LIMIT,
                    "{} took {written} bytes without filling up: it is not on the {TMPFS_SIZE} \
                     tmpfs",
                    path.display()
                );
                match file.write(&bytes) {
                    Ok(n) => written += n as u64,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        refusal = Some(e);
                        break;
                    }
                }
            }
        }
        (written, refusal.expect("the loop ends on a refusal"))
    }

    /// The child, on a tmpfs of its own: records, fills the disk, tries to record, frees the
    /// space, records again, and reports each finding as `name=value`.
    pub(super) fn child(dir: &Path) {
        let path = dir.join("journal.sqlite3");
        let finding =
            |name: &str, value: &str| report(&format!("{name}={}", value.replace('\n', " ")));
        finding("journal", &path.display().to_string());
        let journal = Journal::open(&path)
            .expect("the journal opens on the tmpfs")
            .journal;
        let mut incident = None;
        for n in 0..3 {
            let recorded = journal
                .record(&action(&format!("before the disk filled #{n}")))
                .expect("records while there is room");
            incident = Some(recorded.incident.id);
        }
        let incident = incident.expect("three entries were recorded");

        let filler = dir.join("filler");
        let (written, refusal) = fill(&filler);
        finding("filler-refused", &format!("{:?}", refusal.kind()));
        finding("filler-bytes", &written.to_string());
        let while_full = journal.record(&action("while the disk is full"));
        finding(
            "record-while-full",
            &match while_full {
                Ok(recorded) => format!("recorded as entry {}", recorded.entry_id),
                Err(e) => format!("{:?}: {}", e.code, e.message),
            },
        );
        finding(
            "timeline-while-full",
            &match journal.timeline(incident) {
                Ok(entries) => titles(&entries),
                Err(e) => format!("unreadable: {}", e.message),
            },
        );

        std::fs::remove_file(&filler).expect("the filler is deleted");
        finding(
            "record-after-freeing",
            &match journal.record(&action("after space was freed")) {
                Ok(_) => "recorded".to_owned(),
                Err(e) => format!("{:?}: {}", e.code, e.message),
            },
        );
        finding(
            "timeline-after-freeing",
            &match journal.timeline(incident) {
                Ok(entries) => titles(&entries),
                Err(e) => format!("unreadable: {}", e.message),
            },
        );

        // And the file on the tmpfs is sound: it opens again as it is, everything in it.
        drop(journal);
        let reopened = Journal::open(&path).expect("the journal opens again");
        finding("reopened-problem", &format!("{:?}", reopened.problem));
        finding(
            "reopened-timeline",
            &match reopened.journal.timeline(incident) {
                Ok(entries) => titles(&entries),
                Err(e) => format!("unreadable: {}", e.message),
            },
        );
        // Opening it while the disk is full: the closed journal has no shared-memory file
        // left, and making one needs space.
        drop(reopened);
        let (_, refusal) = fill(&filler);
        finding("filler-refused-again", &format!("{:?}", refusal.kind()));
        finding(
            "open-while-full",
            &match Journal::open(&path) {
                Ok(opened) => format!("opened, problem {:?}", opened.problem),
                Err(e) => format!("{:?}: {}", e.code, e.message),
            },
        );
        std::fs::remove_file(&filler).expect("the filler is deleted");
        finding("done", "yes");
    }

    #[test]
    fn a_full_disk_is_said_to_be_full_loses_nothing_and_recording_resumes_once_there_is_room() {
        let unshare = on_path("unshare").unwrap_or_else(|| {
            panic!(
                "this test needs `unshare` (util-linux) on PATH: it mounts a {TMPFS_SIZE} tmpfs in \
                 a mount namespace of its own (`unshare -rm`) to fill it without root"
            )
        });
        let dir = tempfile::tempdir().unwrap();
        let mount_point = dir.path().join("tmpfs");
        std::fs::create_dir(&mount_point).unwrap();
        // The mount exists only in the child's namespace and goes when the child ends; `exec`
        // keeps the test binary the process that owns it.
        let output = Command::new(unshare)
            .args([
                "-rm",
                "sh",
                "-c",
                &format!(r#"mount -t tmpfs -o size={TMPFS_SIZE} tmpfs "$1" && shift && exec "$@""#),
                "sh",
            ])
            .arg(&mount_point)
            .arg(std::env::current_exe().unwrap())
            .args(CHILD_ARGS)
            .env(CHILD, format!("disk-full:{}", mount_point.display()))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let findings: BTreeMap<&str, &str> = reported(&stdout)
            .into_iter()
            .filter_map(|line| line.split_once('='))
            .collect();
        let said = format!(
            "the child ended {}; it found {findings:#?}\nits stderr:\n{stderr}",
            output.status
        );
        assert!(
            findings.contains_key("journal"),
            "the child never started: `unshare -rm` (an unprivileged user and mount namespace) or \
             `mount -t tmpfs` inside it is not allowed here, and this test needs both \
             (user.max_user_namespaces > 0, and no seccomp or AppArmor rule against them).\n{said}"
        );
        assert!(output.status.success(), "{said}");
        assert_eq!(findings.get("done"), Some(&"yes"), "{said}");

        let journal = findings["journal"];
        assert_eq!(findings["filler-refused"], "StorageFull", "{said}");
        let filled: u64 = findings["filler-bytes"].parse().unwrap();
        assert!(
            filled < 512 * 1024,
            "the filler wrote {filled} bytes: not the {TMPFS_SIZE} tmpfs\n{said}"
        );
        let full = format!(
            "Storage: the disk holding the incident journal ({journal}) is full: free some space \
             and Unyo records again; nothing recorded so far is lost"
        );
        assert_eq!(
            findings["record-while-full"], full,
            "what the user is told when the disk is full\n{said}"
        );
        let before =
            "before the disk filled #0 | before the disk filled #1 | before the disk filled #2";
        assert_eq!(findings["timeline-while-full"], before, "{said}");
        assert_eq!(findings["record-after-freeing"], "recorded", "{said}");
        let after = format!("{before} | after space was freed");
        assert_eq!(findings["timeline-after-freeing"], after, "{said}");
        assert_eq!(findings["reopened-problem"], "None", "{said}");
        assert_eq!(findings["reopened-timeline"], after, "{said}");
        // SQLite answers this one with an I/O error, not SQLITE_FULL (growing the shared-memory
        // file a closed journal no longer has fails), and the user should still hear that the
        // disk is full.
        assert_eq!(findings["filler-refused-again"], "StorageFull", "{said}");
        assert_eq!(
            findings["open-while-full"], full,
            "what the user is told when the journal cannot open on a full disk\n{said}"
        );
    }
}

// A schema upgrade.

/// Migration 1 of `src/schema.rs` as it shipped: the tables the first journal was written with.
const SCHEMA_1: &str = "CREATE TABLE incidents (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        account_kind TEXT NOT NULL,
        title TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        closed_at TEXT,
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX incidents_by_account ON incidents (account, closed_at, id);
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        account TEXT NOT NULL,
        account_kind TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        api_call TEXT NOT NULL,
        cli TEXT NOT NULL,
        outcome TEXT NOT NULL,
        result TEXT NOT NULL,
        at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX entries_by_incident ON entries (incident_id, id);";

/// An incident's schema-1 columns, and its entry count: as written, and as read back.
#[derive(Debug, Clone, PartialEq)]
struct IncidentRow<'a> {
    id: i64,
    account: &'a str,
    account_kind: AccountKind,
    title: &'a str,
    opened_at: &'a str,
    closed_at: Option<&'a str>,
    entry_count: i64,
}

/// An entry's schema-1 columns, with its kind and outcome as the app reads them.
#[derive(Debug, Clone, PartialEq)]
struct EntryRow<'a> {
    id: i64,
    incident_id: i64,
    account: &'a str,
    account_kind: AccountKind,
    region: &'a str,
    kind: JournalEntryKind,
    title: &'a str,
    api_call: &'a str,
    cli: &'a str,
    outcome: JournalOutcome,
    result: &'a str,
    at: &'a str,
    recorded_at: &'a str,
    updated_at: &'a str,
}

/// A closed incident of the practice account and an open, untitled one of a profile. The ids
/// are not 1, 2, 3, so an upgrade that renumbered rows would show.
const INCIDENTS: [IncidentRow<'static>; 2] = [
    IncidentRow {
        id: 7,
        account: "practice",
        account_kind: AccountKind::Practice,
        title: "sshd stopped on web-prod-1",
        opened_at: "2026-11-28T10:05:00Z",
        closed_at: Some("2026-11-28T11:30:00Z"),
        entry_count: 2,
    },
    IncidentRow {
        id: 9,
        account: "profile:prod",
        account_kind: AccountKind::Profile,
        title: "",
        opened_at: "2026-11-29T01:00:00Z",
        closed_at: None,
        entry_count: 1,
    },
];

const ENTRIES: [EntryRow<'static>; 3] = [
    EntryRow {
        id: 21,
        incident_id: 7,
        account: "practice",
        account_kind: AccountKind::Practice,
        region: "ap-northeast-1",
        kind: JournalEntryKind::Command,
        title: "AWS-RunShellScript: systemctl start sshd → i-0abc",
        api_call: "ssm:SendCommand",
        cli: "aws ssm send-command --document-name AWS-RunShellScript --instance-ids i-0abc",
        outcome: JournalOutcome::Success,
        result: "i-0abc Success (0)",
        at: "2026-11-28T10:06:00Z",
        recorded_at: "2026-11-28T10:06:01Z",
        updated_at: "2026-11-28T10:06:30Z",
    },
    EntryRow {
        id: 22,
        incident_id: 7,
        account: "practice",
        account_kind: AccountKind::Practice,
        region: "ap-northeast-1",
        kind: JournalEntryKind::Verification,
        title: "sshd が起動していることを確認",
        api_call: "",
        cli: "aws ssm send-command --document-name AWS-RunShellScript",
        outcome: JournalOutcome::Unknown,
        result: "1 of 2 checks could not be read",
        at: "2026-11-28T10:08:00Z",
        recorded_at: "2026-11-28T10:08:02Z",
        updated_at: "2026-11-28T10:08:02Z",
    },
    EntryRow {
        id: 30,
        incident_id: 9,
        account: "profile:prod",
        account_kind: AccountKind::Profile,
        region: "us-east-1",
        kind: JournalEntryKind::Runbook,
        title: "AWSSupport-TroubleshootSSH {\"InstanceId\":\"i-0def\"}",
        api_call: "ssm:StartAutomationExecution",
        cli: "aws ssm start-automation-execution --document-name AWSSupport-TroubleshootSSH",
        outcome: JournalOutcome::Failed,
        result: "Failed: step 3 timed out",
        at: "2026-11-29T01:01:00Z",
        recorded_at: "2026-11-29T01:01:00Z",
        updated_at: "2026-11-29T01:20:00Z",
    },
];

/// The words schema 1 stored for account kinds, entry kinds and outcomes.
fn account_kind_text(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Practice => "practice",
        AccountKind::Profile => "profile",
    }
}

fn entry_kind_text(kind: JournalEntryKind) -> &'static str {
    match kind {
        JournalEntryKind::Command => "command",
        JournalEntryKind::Verification => "verification",
        JournalEntryKind::Runbook => "runbook",
        other => panic!("no schema-1 fixture uses {other:?}"),
    }
}

fn outcome_text(outcome: JournalOutcome) -> &'static str {
    match outcome {
        JournalOutcome::Success => "success",
        JournalOutcome::Unknown => "unknown",
        JournalOutcome::Failed => "failed",
        other => panic!("no schema-1 fixture uses {other:?}"),
    }
}

/// A journal file as the first release left it: WAL, schema 1, two incidents and their entries.
fn write_schema_1(path: &Path) {
    let conn = Connection::open(path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    conn.execute_batch(SCHEMA_1).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    for i in INCIDENTS {
        conn.execute(
            "INSERT INTO incidents (id, account, account_kind, title, opened_at, closed_at,
                recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)",
            params![
                i.id,
                i.account,
                account_kind_text(i.account_kind),
                i.title,
                i.opened_at,
                i.closed_at
            ],
        )
        .unwrap();
    }
    for e in ENTRIES {
        conn.execute(
            "INSERT INTO entries (id, incident_id, account, account_kind, region, kind, title,
                api_call, cli, outcome, result, at, recorded_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                e.id,
                e.incident_id,
                e.account,
                account_kind_text(e.account_kind),
                e.region,
                entry_kind_text(e.kind),
                e.title,
                e.api_call,
                e.cli,
                outcome_text(e.outcome),
                e.result,
                e.at,
                e.recorded_at,
                e.updated_at
            ],
        )
        .unwrap();
    }
}

#[test]
fn a_schema_1_journal_is_upgraded_keeping_every_incident_and_entry() {
    // Checked when the test is built: with schema 1 current, there would be no upgrade to test.
    const { assert!(SCHEMA_VERSION > 1) };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    write_schema_1(&path);

    let opened = Journal::open(&path).unwrap();
    assert!(
        opened.problem.is_none(),
        "the schema-1 journal was set aside instead of upgraded: {:?}",
        opened.problem
    );
    let version: i64 = read_only(&path)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION, "the file's schema after opening");

    let journal = opened.journal;
    let mut incidents = journal.list_incidents(None, 10).unwrap();
    incidents.sort_by_key(|i| i.id);
    let read: Vec<IncidentRow<'_>> = incidents
        .iter()
        .map(|i| IncidentRow {
            id: i.id,
            account: &i.account,
            account_kind: i.account_kind,
            title: &i.title,
            opened_at: &i.opened_at,
            closed_at: i.closed_at.as_deref(),
            entry_count: i.entry_count,
        })
        .collect();
    let written: Vec<IncidentRow<'_>> = INCIDENTS.to_vec();
    assert_eq!(read, written);
    for incident in &incidents {
        assert_eq!(incident.cost, Usd::ZERO, "schema 1 had no costs");
        assert!(!incident.cost_at_most);
    }

    let entries: Vec<JournalEntry> = incidents
        .iter()
        .flat_map(|i| journal.timeline(i.id).unwrap())
        .collect();
    let read: Vec<EntryRow<'_>> = entries
        .iter()
        .map(|e| EntryRow {
            id: e.id,
            incident_id: e.incident_id,
            account: &e.account,
            account_kind: e.account_kind,
            region: &e.region,
            kind: e.kind,
            title: &e.title,
            api_call: &e.api_call,
            cli: &e.cli,
            outcome: e.outcome,
            result: &e.result,
            at: &e.at,
            recorded_at: &e.recorded_at,
            updated_at: &e.updated_at,
        })
        .collect();
    let written: Vec<EntryRow<'_>> = ENTRIES.to_vec();
    assert_eq!(read, written);
    assert!(
        entries.iter().all(|e| e.cost.is_none()),
        "schema 1 had no costs"
    );
}
