//! `unyo incident`: the incident journal the app keeps on this computer (`journal.sqlite3` in
//! its data dir), read from a terminal: the incidents, one incident's timeline and activity
//! log, its report, and a note written on an account's open incident. The note is the only
//! write; the file is opened as the app opens it (WAL), so the app may be running meanwhile.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use unyo_core::settings::check_account_id;
use unyo_core::{AppError, ErrorCode};
use unyo_cost::Usd;
use unyo_journal::time::{rfc3339, show as show_time};
use unyo_journal::{
    Incident, IncidentFilter, IncidentStatus, Journal, JournalEntry, JournalEntryKind,
    JournalOutcome, Moment, NewJournalEntry, ReportFormat, ReportLanguage, Severity, StoryEntry,
};

use crate::exit::Exit;
use crate::reads::table;
use crate::{output, resolver};

/// The journal's file name in the app's data dir (`JournalService::open` in the app).
const JOURNAL_FILE: &str = "journal.sqlite3";

/// What the commands say before the app has recorded anything (it has made no journal).
const NOTHING_RECORDED: &str = "no incidents recorded yet on this computer";

/// The longest note title, in characters: the rest of the note is in its text.
const TITLE_CHARS: usize = 80;

#[derive(Debug, Subcommand)]
pub enum IncidentCommand {
    /// Incidents, newest first: severity, status, opening and closing, actions, cost.
    List(ListArgs),
    /// An incident's facts, its curated timeline, then everything recorded on it.
    Show(ShowArgs),
    /// Write a note on the account's open incident (one is opened when it has none); with no
    /// account given, on the one incident open.
    Note(NoteArgs),
    /// An incident as a Markdown or HTML report, or as the JSON file the app imports.
    Export(ExportArgs),
}

/// Which account: one of these at most.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct AccountChoice {
    /// The practice account.
    #[arg(long)]
    practice: bool,
    /// An AWS profile's account.
    #[arg(long, value_name = "PROFILE")]
    profile: Option<String>,
    /// An account as the journal names it: `practice` or `profile:NAME`.
    #[arg(long, value_name = "ACCOUNT")]
    account: Option<String>,
}

impl AccountChoice {
    /// The journal's id of the account chosen, if one was.
    fn id(&self) -> Result<Option<String>, AppError> {
        let id = if self.practice {
            "practice".to_owned()
        } else if let Some(name) = &self.profile {
            format!("profile:{name}")
        } else if let Some(id) = &self.account {
            id.clone()
        } else {
            return Ok(None);
        };
        check_account_id(&id)?;
        Ok(Some(id))
    }
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    account: AccountChoice,
    /// Only this severity: sev1 (the worst) to sev4.
    #[arg(long, value_parser = severity)]
    severity: Option<Severity>,
    /// Only this status: investigating, identified, monitoring or resolved.
    #[arg(long, value_parser = status)]
    status: Option<IncidentStatus>,
    /// Words in the title, summary or affected resources, any case.
    #[arg(long, value_name = "TEXT")]
    search: Option<String>,
    /// At most this many (200 when not given).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    limit: Option<u32>,
    /// One JSON document on stdout: `{incidents}`, or `{error}`.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The incident's id, as `unyo incident list` shows it.
    id: i64,
    /// One JSON document on stdout: `{incident, entries, story}`, or `{error}`.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    #[command(flatten)]
    account: AccountChoice,
    /// The note; several words are joined with spaces. Its first line is its title.
    #[arg(required = true, value_name = "TEXT")]
    text: Vec<String>,
    /// One JSON document on stdout: `{entryId, incident}`, or `{error}`.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// A Markdown report.
    Md,
    /// One self-contained HTML file, printable to PDF.
    Html,
    /// Everything on the incident, for the app's import on another computer.
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Language {
    En,
    Ja,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The incident's id, as `unyo incident list` shows it.
    id: i64,
    #[arg(long, value_enum, default_value = "md")]
    format: ExportFormat,
    /// The report's language (a JSON export has none).
    #[arg(long, value_enum, default_value = "en")]
    lang: Language,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(command: &IncidentCommand) -> Exit {
    let (done, json) = match command {
        IncidentCommand::List(args) => (list(args), args.json),
        IncidentCommand::Show(args) => (show(args), args.json),
        IncidentCommand::Note(args) => (note(args), args.json),
        IncidentCommand::Export(args) => (export(args), false),
    };
    done.unwrap_or_else(|err| output::error(&err, json))
}

fn severity(text: &str) -> Result<Severity, String> {
    Severity::parse(&text.to_ascii_lowercase())
        .ok_or_else(|| "a severity is sev1, sev2, sev3 or sev4".to_owned())
}

fn status(text: &str) -> Result<IncidentStatus, String> {
    IncidentStatus::parse(&text.to_ascii_lowercase())
        .ok_or_else(|| "a status is investigating, identified, monitoring or resolved".to_owned())
}

/// The app's journal, or `None` when nothing was ever recorded on this computer.
fn open_journal() -> Result<Option<Journal>, AppError> {
    let path = resolver::data_dir()?.join(JOURNAL_FILE);
    if !path.exists() {
        return Ok(None);
    }
    open_at(&path).map(Some)
}

/// Opens (or, for a note, creates) the journal at `path` as the app does. An unreadable file
/// is set aside by the journal, as at the app's start; the user hears where it went.
fn open_at(path: &Path) -> Result<Journal, AppError> {
    let opened = Journal::open(path)?;
    if let Some(problem) = opened.problem {
        eprintln!(
            "unyo: {}; it was moved to {} and a new journal started",
            problem.message, problem.set_aside
        );
    }
    Ok(opened.journal)
}

/// The journal, for a command that needs an incident in it.
fn existing_journal() -> Result<Journal, AppError> {
    open_journal()?.ok_or_else(|| AppError::new(ErrorCode::Storage, NOTHING_RECORDED))
}

fn list(args: &ListArgs) -> Result<Exit, AppError> {
    let filter = IncidentFilter {
        account: args.account.id()?,
        severity: args.severity,
        status: args.status,
        text: args.search.clone(),
        limit: args.limit.unwrap_or(0),
    };
    let incidents = match open_journal()? {
        Some(journal) => journal.find_incidents(&filter)?,
        None => Vec::new(),
    };
    if args.json {
        return Ok(output::json(&serde_json::json!({ "incidents": incidents })));
    }
    if incidents.is_empty() {
        let filtered = filter.account.is_some()
            || filter.severity.is_some()
            || filter.status.is_some()
            || filter.text.is_some();
        println!(
            "{}",
            if filtered {
                "no incidents match"
            } else {
                NOTHING_RECORDED
            }
        );
        return Ok(Exit::Ok);
    }
    let mut out = table(&[
        "ID", "ACCOUNT", "TITLE", "SEVERITY", "STATUS", "OPENED", "CLOSED", "ACTIONS", "COST",
    ]);
    for i in &incidents {
        out.add_row([
            i.id.to_string(),
            i.account.clone(),
            title(i),
            severity_label(i.severity),
            i.status.as_str().to_owned(),
            show_time(&i.opened_at),
            i.closed_at
                .as_deref()
                .map_or_else(|| "open".to_owned(), show_time),
            i.entry_count.to_string(),
            cost(i),
        ]);
    }
    println!("{out}");
    Ok(Exit::Ok)
}

/// What `show --json` prints.
#[derive(Serialize)]
struct Shown {
    incident: Incident,
    entries: Vec<JournalEntry>,
    story: Vec<StoryEntry>,
}

fn show(args: &ShowArgs) -> Result<Exit, AppError> {
    let journal = existing_journal()?;
    let shown = Shown {
        incident: journal.incident(args.id)?,
        entries: journal.timeline(args.id)?,
        story: journal.story(args.id)?,
    };
    if args.json {
        return Ok(output::json(&shown));
    }
    let i = &shown.incident;
    println!("Incident {}: {}", i.id, title(i));
    let mut facts = vec![
        ("Account", i.account.clone()),
        ("Severity", severity_label(i.severity)),
        ("Status", i.status.as_str().to_owned()),
        ("Opened", show_time(&i.opened_at)),
        (
            "Closed",
            i.closed_at
                .as_deref()
                .map_or_else(|| "still open".to_owned(), show_time),
        ),
        ("Actions", i.entry_count.to_string()),
        ("Cost", cost(i)),
    ];
    if !i.affected.is_empty() {
        facts.push(("Affected", i.affected.join(", ")));
    }
    for (name, value) in facts {
        println!("{name:<9} {value}");
    }
    if !i.summary.trim().is_empty() {
        println!("\nSummary:\n{}", i.summary.trim());
    }
    if !shown.story.is_empty() {
        println!("\nTimeline:");
        let mut out = table(&["TIME", "MOMENT", "WHAT", "ANNOTATION"]);
        for (story, entry) in timeline(&shown.story, &shown.entries) {
            let time = match &story.happened_at {
                Some(at) => format!("{} (recorded {})", show_time(at), show_time(&entry.at)),
                None => show_time(&entry.at),
            };
            out.add_row([
                time,
                story.moment.map_or_else(String::new, moment_label),
                story.title.clone().unwrap_or_else(|| entry.title.clone()),
                story.annotation.clone(),
            ]);
        }
        println!("{out}");
    }
    println!("\nActivity log:");
    if shown.entries.is_empty() {
        println!("nothing recorded");
        return Ok(Exit::Ok);
    }
    let mut out = table(&["TIME", "KIND", "TITLE", "OUTCOME", "RESULT"]);
    for e in &shown.entries {
        out.add_row([
            show_time(&e.at),
            kind_label(e.kind).to_owned(),
            e.title.clone(),
            outcome_label(e),
            result(e),
        ]);
    }
    println!("{out}");
    Ok(Exit::Ok)
}

/// The timeline entries with the activity each curates, in the order things happened (a
/// re-timed entry where it really belongs), as the reports tell it.
fn timeline<'a>(
    story: &'a [StoryEntry],
    entries: &'a [JournalEntry],
) -> Vec<(&'a StoryEntry, &'a JournalEntry)> {
    let mut told: Vec<_> = story
        .iter()
        .filter_map(|s| Some((s, entries.iter().find(|e| e.id == s.entry_id)?)))
        .collect();
    told.sort_by(|(a, a_entry), (b, b_entry)| {
        let at_a = a.happened_at.as_deref().unwrap_or(&a_entry.at);
        let at_b = b.happened_at.as_deref().unwrap_or(&b_entry.at);
        at_a.cmp(at_b).then(a_entry.id.cmp(&b_entry.id))
    });
    told
}

fn note(args: &NoteArgs) -> Result<Exit, AppError> {
    let text = args.text.join(" ");
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid_input("the note is empty"));
    }
    let (journal, account) = match args.account.id()? {
        Some(account) => (open_at(&resolver::data_dir()?.join(JOURNAL_FILE))?, account),
        None => {
            // No journal yet means no open incident: nothing to guess the account from, and
            // no empty journal is made just to say so.
            let journal = open_journal()?.ok_or_else(no_open_incident)?;
            let account = only_open_account(&journal)?;
            (journal, account)
        }
    };
    let opens = journal.current_incident(&account)?.is_none();
    let recorded = journal.record(&NewJournalEntry {
        account,
        region: String::new(),
        kind: JournalEntryKind::Note,
        title: note_title(text),
        api_call: String::new(),
        cli: String::new(),
        outcome: JournalOutcome::Success,
        result: String::new(),
        at: rfc3339(unyo_core::time::now_unix()),
        cost: None,
        detail: Some(text.to_owned()),
    })?;
    if args.json {
        return Ok(output::json(&recorded));
    }
    let i = &recorded.incident;
    let opened = if opens {
        " (opened for it: the account had no open incident)"
    } else {
        ""
    };
    println!(
        "Noted on incident {} of {}: {}{opened}",
        i.id,
        i.account,
        title(i)
    );
    Ok(Exit::Ok)
}

fn no_open_incident() -> AppError {
    AppError::invalid_input(
        "no incident is open; say whose incident the note is for: --practice, --profile NAME \
         or --account ACCOUNT",
    )
}

/// The account of the one open incident; a note names the account when none or several are.
fn only_open_account(journal: &Journal) -> Result<String, AppError> {
    let open: Vec<String> = journal
        .list_incidents(None, u32::MAX)?
        .into_iter()
        .filter(|i| i.closed_at.is_none())
        .map(|i| i.account)
        .collect();
    match open.as_slice() {
        [] => Err(no_open_incident()),
        [one] => Ok(one.clone()),
        several => Err(AppError::invalid_input(format!(
            "incidents are open on {}; say whose incident the note is for: --practice, \
             --profile NAME or --account ACCOUNT",
            several.join(", ")
        ))),
    }
}

/// The note's first line, cut to [`TITLE_CHARS`] characters.
fn note_title(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() <= TITLE_CHARS {
        return line.to_owned();
    }
    let cut: String = line.chars().take(TITLE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

fn export(args: &ExportArgs) -> Result<Exit, AppError> {
    let journal = existing_journal()?;
    let language = match args.lang {
        Language::En => ReportLanguage::En,
        Language::Ja => ReportLanguage::Ja,
    };
    let exported_at = rfc3339(unyo_core::time::now_unix());
    let text = match args.format {
        ExportFormat::Md => {
            journal.report(args.id, language, ReportFormat::Markdown, &exported_at)?
        }
        ExportFormat::Html => {
            journal.report(args.id, language, ReportFormat::Html, &exported_at)?
        }
        ExportFormat::Json => serde_json::to_string_pretty(&journal.export(args.id)?)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?,
    };
    match &args.output {
        None => println!("{text}"),
        Some(path) => {
            std::fs::write(path, format!("{text}\n")).map_err(|e| {
                AppError::new(
                    ErrorCode::Storage,
                    format!("{} could not be written: {e}", path.display()),
                )
            })?;
            eprintln!("Incident {} written to {}", args.id, path.display());
        }
    }
    Ok(Exit::Ok)
}

fn title(incident: &Incident) -> String {
    match incident.title.trim() {
        "" => "(untitled)".to_owned(),
        title => title.to_owned(),
    }
}

fn severity_label(severity: Option<Severity>) -> String {
    severity.map_or_else(|| "-".to_owned(), Severity::label)
}

/// What the incident's actions cost, `-` when none had a cost.
fn cost(incident: &Incident) -> String {
    if incident.cost_at_most {
        format!("at most {}", incident.cost)
    } else if incident.cost == Usd::ZERO {
        "-".to_owned()
    } else {
        incident.cost.to_string()
    }
}

fn moment_label(moment: Moment) -> String {
    match moment {
        Moment::Detected => "Detected",
        Moment::Diagnosed => "Diagnosed",
        Moment::Mitigated => "Mitigated",
        Moment::Resolved => "Resolved",
    }
    .to_owned()
}

fn kind_label(kind: JournalEntryKind) -> &'static str {
    match kind {
        JournalEntryKind::Command => "Run Command",
        JournalEntryKind::Runbook => "Runbook",
        JournalEntryKind::Verification => "Verification",
        JournalEntryKind::Change => "Change",
        JournalEntryKind::Session => "Session",
        JournalEntryKind::ChangeRecord => "Change record",
        JournalEntryKind::Query => "Query",
        JournalEntryKind::Note => "Note",
        JournalEntryKind::Pin => "Pinned",
        JournalEntryKind::StatusChange => "Status",
        JournalEntryKind::StatusUpdate => "Status update",
    }
}

/// How the action ended; `-` for what has no outcome of its own (it was written down), as
/// the reports leave it out.
fn outcome_label(entry: &JournalEntry) -> String {
    if has_no_outcome(entry.kind) {
        return "-".to_owned();
    }
    match entry.outcome {
        JournalOutcome::Running => "running",
        JournalOutcome::Success => "succeeded",
        JournalOutcome::Failed => "failed",
        JournalOutcome::Cancelled => "cancelled",
        JournalOutcome::Unknown => "unknown",
    }
    .to_owned()
}

fn has_no_outcome(kind: JournalEntryKind) -> bool {
    matches!(
        kind,
        JournalEntryKind::ChangeRecord
            | JournalEntryKind::Note
            | JournalEntryKind::Pin
            | JournalEntryKind::StatusChange
            | JournalEntryKind::StatusUpdate
    )
}

/// The result in a line; for a note or a sent update, its text when it says more than the
/// title (its first line) does.
fn result(entry: &JournalEntry) -> String {
    match (entry.kind, &entry.detail) {
        (JournalEntryKind::Note | JournalEntryKind::StatusUpdate, Some(text))
            if text.trim() != entry.title =>
        {
            text.clone()
        }
        _ => entry.result.clone(),
    }
}
