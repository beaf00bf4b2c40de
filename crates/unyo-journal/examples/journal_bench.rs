//! Issue 14's analysis benchmarks on a real file: an incident with 10,000 activity entries and
//! 200 of them on its timeline (plus a review and action items) is read as the Analysis screen
//! opens it (the incident, its activity log, timeline, review and action items), and its HTML
//! report is written. Prints the median and the slowest of several runs.
//!
//! Run with `cargo xtask bench journal` (a release build).
#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark"
)]

use std::time::{Duration, Instant};

use unyo_journal::{
    ActionItemEdit, Journal, JournalEntryKind, JournalOutcome, Moment, NewJournalEntry,
    ReportFormat, ReportLanguage, Review, StoryEdit,
};

const ENTRIES: usize = 10_000;
const STORY: usize = 200;
const RUNS: usize = 15;

fn entry(n: usize) -> NewJournalEntry {
    let minute = n % 60;
    let hour = 10 + n / 600 % 10;
    NewJournalEntry {
        account: "profile:prod".into(),
        region: "ap-northeast-1".into(),
        kind: if n % 3 == 0 {
            JournalEntryKind::Command
        } else {
            JournalEntryKind::Verification
        },
        title: format!("AWS-RunShellScript: systemctl is-active sshd → i-0a1f3c5e7b9d{n:05}"),
        api_call: "ssm:SendCommand".into(),
        cli: format!(
            "aws ssm send-command --document-name AWS-RunShellScript --targets Key=InstanceIds,Values=i-0a1f3c5e7b9d{n:05} --parameters 'commands=[\"systemctl is-active sshd\"]' --region ap-northeast-1"
        ),
        outcome: JournalOutcome::Success,
        result: format!("i-0a1f3c5e7b9d{n:05} Success (0): active"),
        at: format!("2026-11-28T{hour:02}:{minute:02}:00Z"),
        cost: None,
        detail: None,
    }
}

fn timed<T>(mut work: impl FnMut() -> T) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(work());
            started.elapsed()
        })
        .collect();
    times.sort();
    (times[RUNS / 2], times[RUNS - 1])
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    let journal = Journal::open(&path).unwrap().journal;
    let incident = journal
        .open_incident(
            "profile:prod",
            "sshd down across the web tier",
            "2026-11-28T09:58:00Z",
        )
        .unwrap();
    let filling = Instant::now();
    let mut ids = Vec::with_capacity(ENTRIES);
    for n in 0..ENTRIES {
        ids.push(journal.record(&entry(n)).unwrap().entry_id);
    }
    let fill = filling.elapsed();
    for (k, id) in ids.iter().step_by(ENTRIES / STORY).enumerate() {
        journal.promote(*id).unwrap();
        let moment = match k {
            0 => Some(Moment::Detected),
            199 => Some(Moment::Resolved),
            _ => None,
        };
        journal
            .edit_story(
                *id,
                &StoryEdit {
                    title: Some(format!("Step {k} of the response")),
                    annotation: "Checked on the bastion".into(),
                    moment,
                    happened_at: None,
                },
            )
            .unwrap();
    }
    journal
        .save_review(
            incident.id,
            ReportLanguage::En,
            &Review {
                root_cause: "A config push stopped sshd.".into(),
                ..Review::default()
            },
        )
        .unwrap();
    for n in 0..10 {
        journal
            .add_action_item(
                incident.id,
                &ActionItemEdit {
                    text: format!("Follow-up {n}"),
                    owner: "aki".into(),
                    due: None,
                    done: n % 2 == 0,
                },
            )
            .unwrap();
    }
    drop(journal);

    // As the app starts: open the file, then read what Analysis shows.
    let (open_median, open_max) = timed(|| {
        let journal = Journal::open(&path).unwrap().journal;
        let data = journal.report_data(incident.id).unwrap();
        assert_eq!(data.entries.len(), ENTRIES);
        assert_eq!(data.story.len(), STORY);
        data.entries.len()
    });
    let journal = Journal::open(&path).unwrap().journal;
    let (read_median, read_max) = timed(|| journal.report_data(incident.id).unwrap().entries.len());
    let (json_median, _) = timed(|| {
        serde_json::to_string(&journal.timeline(incident.id).unwrap())
            .unwrap()
            .len()
    });
    let mut html_len = 0;
    let (html_median, html_max) = timed(|| {
        let html = journal
            .report(
                incident.id,
                ReportLanguage::En,
                ReportFormat::Html,
                "2026-11-28T12:00:00Z",
            )
            .unwrap();
        html_len = html.len();
        html_len
    });
    println!(
        "journal bench: {ENTRIES} activity entries, {STORY} on the timeline, {RUNS} runs each"
    );
    println!("  filling the journal (one transaction per entry): {fill:.2?}");
    println!(
        "  open the file and read the incident for Analysis: median {open_median:.2?}, slowest {open_max:.2?} (target 200 ms)"
    );
    println!(
        "  read the incident again (file open):              median {read_median:.2?}, slowest {read_max:.2?}"
    );
    println!("  the activity log as JSON for the window:          median {json_median:.2?}");
    println!(
        "  HTML report ({} KiB):                             median {html_median:.2?}, slowest {html_max:.2?} (target 1 s)",
        html_len / 1024
    );
}
