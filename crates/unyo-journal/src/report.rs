//! An incident as a Markdown report, in English or Japanese: its state (severity, status,
//! summary, affected resources, cost), the curated timeline with its key moments, the
//! post-incident review and its action items, then the complete activity log, a heading per
//! action with its time, kind and title, region, outcome and result, the API call, and the
//! AWS CLI that does the same, oldest first.

use unyo_core::AccountKind;

use crate::model::{CostBasis, JournalEntry, JournalEntryKind, ReportLanguage};
use crate::pin::PinSnapshot;
use crate::time::show;
pub use crate::words::ReportData;
use crate::words::{
    Words, entry_title, kind_word, moment_word, outcome_word, states_outcome, status_word, told,
    words,
};

/// Text for one Markdown line: line breaks would start a new block.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A code fence longer than any run of backticks in `code`, so the code cannot close it.
fn fence(code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

pub(crate) fn cost_text(entry: &JournalEntry, w: &Words) -> Option<String> {
    let cost = entry.cost?;
    Some(match cost.basis {
        CostBasis::Estimate => format!("{} ({})", cost.usd, w.estimate),
        CostBasis::AtMost => format!("{} {}", w.at_most, cost.usd),
        CostBasis::Actual => format!("{} ({})", cost.usd, w.actual),
    })
}

/// The report of `data`, exported at `exported_at` (the account's time).
pub fn markdown(data: &ReportData, language: ReportLanguage, exported_at: &str) -> String {
    let w = words(language);
    let incident = &data.incident;
    let title = match one_line(&incident.title) {
        t if t.is_empty() => w.untitled.to_owned(),
        t => t,
    };
    let kind = match incident.account_kind {
        AccountKind::Practice => w.practice,
        AccountKind::Profile => w.profile,
    };
    let closed = incident
        .closed_at
        .as_deref()
        .map_or_else(|| w.still_open.to_owned(), show);
    let mut lines = vec![
        format!("# {}: {title}", w.report),
        String::new(),
        format!("- {}: {} ({kind})", w.account, incident.account),
        format!(
            "- {}: {}",
            w.severity,
            incident
                .severity
                .map_or_else(|| w.none.to_owned(), |s| s.label())
        ),
        format!("- {}: {}", w.status, status_word(incident.status, language)),
        format!("- {}: {}", w.opened, show(&incident.opened_at)),
        format!("- {}: {closed}", w.closed),
        format!("- {}: {}", w.exported, show(exported_at)),
    ];
    if !incident.affected.is_empty() {
        let affected: Vec<String> = incident
            .affected
            .iter()
            .map(|a| format!("`{}`", one_line(a)))
            .collect();
        lines.push(format!("- {}: {}", w.affected, affected.join(", ")));
    }
    if data.entries.iter().any(|e| e.cost.is_some()) {
        let total = if incident.cost_at_most {
            format!("{} {}", w.at_most, incident.cost)
        } else {
            incident.cost.to_string()
        };
        lines.push(format!("- {}: {total}", w.cost));
    }
    lines.push(String::new());
    if !incident.summary.trim().is_empty() {
        lines.extend([format!("## {}", w.summary), String::new()]);
        lines.extend(incident.summary.trim().lines().map(str::to_owned));
        lines.push(String::new());
    }
    let timeline = told(data);
    if !timeline.is_empty() {
        lines.extend([format!("## {}", w.timeline), String::new()]);
        for t in &timeline {
            let moment = t
                .story
                .moment
                .map(|m| format!("**{}** · ", moment_word(m, language)))
                .unwrap_or_default();
            let retimed = t
                .retimed_from
                .map(|from| format!(" ({} {})", w.recorded_at, show(from)))
                .unwrap_or_default();
            lines.push(format!(
                "- {moment}{}{retimed} · {}",
                show(t.at),
                one_line(t.title)
            ));
            if !t.story.annotation.is_empty() {
                lines.push(format!("  - {}", one_line(&t.story.annotation)));
            }
        }
        lines.push(String::new());
    }
    if let Some(saved) = &data.review {
        lines.extend([format!("## {}", w.review), String::new()]);
        let review = &saved.review;
        let sections = [
            &review.summary,
            &review.impact,
            &review.detection,
            &review.root_cause,
            &review.contributing_factors,
            &review.went_well,
            &review.went_badly,
            &review.lessons,
        ];
        for (name, text) in w.sections.iter().zip(sections) {
            if text.trim().is_empty() {
                continue;
            }
            lines.extend([format!("### {name}"), String::new()]);
            lines.extend(text.trim().lines().map(str::to_owned));
            lines.push(String::new());
        }
    }
    if !data.action_items.is_empty() {
        lines.extend([format!("## {}", w.action_items), String::new()]);
        for item in &data.action_items {
            let mut facts = Vec::new();
            if !item.owner.is_empty() {
                facts.push(format!("{}: {}", w.owner, one_line(&item.owner)));
            }
            if let Some(due) = &item.due {
                facts.push(format!("{}: {due}", w.due));
            }
            let facts = if facts.is_empty() {
                String::new()
            } else {
                format!(" ({})", facts.join(", "))
            };
            lines.push(format!(
                "- [{}] {}{facts}",
                if item.done { "x" } else { " " },
                one_line(&item.text)
            ));
        }
        lines.push(String::new());
    }
    lines.extend([format!("## {}", w.activity), String::new()]);
    if data.entries.is_empty() {
        lines.extend([w.empty.to_owned(), String::new()]);
    }
    for e in &data.entries {
        activity(&mut lines, e, w, language);
    }
    lines.join("\n")
}

fn activity(lines: &mut Vec<String>, e: &JournalEntry, w: &Words, language: ReportLanguage) {
    lines.push(format!(
        "### {} · {} · {}",
        show(&e.at),
        kind_word(e.kind, language),
        one_line(&entry_title(e, language))
    ));
    lines.push(String::new());
    // A result of several lines (a change record's fields) gets a bullet per line.
    let mut result = e.result.lines().map(one_line).filter(|l| !l.is_empty());
    if states_outcome(e.kind) {
        lines.push(format!(
            "- {} · {}{}",
            e.region,
            outcome_word(e.outcome, language),
            result.next().map(|r| format!(": {r}")).unwrap_or_default()
        ));
    } else if !e.region.is_empty() {
        lines.push(format!("- {}", e.region));
    }
    lines.extend(result.map(|line| format!("- {line}")));
    if !e.api_call.is_empty() {
        lines.push(format!("- {}: `{}`", w.api, one_line(&e.api_call)));
    }
    if let Some(cost) = cost_text(e, w) {
        lines.push(format!("- {}: {cost}", w.cost));
    }
    lines.push(String::new());
    match (e.kind, PinSnapshot::from_detail(e.detail.as_deref())) {
        (JournalEntryKind::Pin, Some(snapshot)) => {
            lines.extend(pin_lines(&snapshot));
            lines.push(String::new());
        }
        (JournalEntryKind::Note | JournalEntryKind::StatusUpdate, _) => {
            if let Some(text) = e.detail.as_deref().filter(|t| !t.trim().is_empty()) {
                lines.extend(text.trim().lines().map(|l| format!("> {l}")));
                lines.push(String::new());
            }
        }
        _ => {}
    }
    if !e.cli.trim().is_empty() {
        let fence = fence(&e.cli);
        lines.extend([format!("{fence}sh"), e.cli.trim_end().to_owned(), fence]);
        lines.push(String::new());
    }
}

/// A pinned read in a few lines: what it was and what it showed.
fn pin_lines(snapshot: &PinSnapshot) -> Vec<String> {
    match snapshot {
        PinSnapshot::Alarm {
            name,
            state,
            reason,
        } => {
            vec![format!(
                "- `{}` {state}: {}",
                one_line(name),
                one_line(reason)
            )]
        }
        PinSnapshot::Chart {
            title,
            unit,
            start,
            end,
            points,
        } => {
            let values = points.iter().map(|(_, v)| *v);
            let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
            let range = if points.is_empty() {
                String::new()
            } else {
                format!(": {low}–{high} {unit}")
            };
            vec![format!(
                "- {} {}–{} ({} points){range}",
                one_line(title),
                show(start),
                show(end),
                points.len()
            )]
        }
        PinSnapshot::Query {
            query,
            groups,
            columns,
            rows,
        } => {
            let mut lines = vec![format!("- {}", groups.join(", "))];
            let fence = fence(query);
            lines.extend([
                fence.clone(),
                query.trim_end().to_owned(),
                fence,
                String::new(),
            ]);
            if !columns.is_empty() {
                let cell = |c: &String| one_line(c).replace('|', "\\|");
                lines.push(format!(
                    "| {} |",
                    columns.iter().map(cell).collect::<Vec<_>>().join(" | ")
                ));
                lines.push(format!("|{}", " --- |".repeat(columns.len())));
                for row in rows {
                    lines.push(format!(
                        "| {} |",
                        row.iter().map(cell).collect::<Vec<_>>().join(" | ")
                    ));
                }
            }
            lines
        }
        PinSnapshot::TrailEvent {
            name,
            user,
            at,
            resources,
        } => vec![format!(
            "- {} · `{}` · {} · {}",
            show(at),
            one_line(name),
            one_line(user),
            resources.join(", ")
        )],
    }
}
