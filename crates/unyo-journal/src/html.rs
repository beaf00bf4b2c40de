//! An incident as one self-contained HTML file: styles inline, no script, no outside link, so
//! it opens anywhere and prints to PDF; pinned charts drawn as inline SVG. The same content
//! as the Markdown report: state, timeline, review, action items, and the activity log with
//! each action's AWS CLI, verdicts and cost.

use std::fmt::Write as _;

use unyo_core::AccountKind;

use crate::model::{JournalEntry, JournalEntryKind, ReportLanguage};
use crate::pin::PinSnapshot;
use crate::report::cost_text;
use crate::time::show;
use crate::words::{
    ReportData, Words, entry_title, kind_word, moment_word, outcome_word, states_outcome,
    status_word, told, words,
};

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans JP','Hiragino Sans',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;line-height:1.5}\
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;margin-top:2rem}h3{font-size:1.05rem;margin-bottom:.2rem}\
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}\
ol.timeline{list-style:none;padding:0}ol.timeline li{border-left:3px solid #888;padding:.2rem .8rem;margin:.4rem 0}\
ol.timeline li.moment{border-color:#6b3fd4}.moment-name{font-weight:700;color:#6b3fd4}.muted{color:#666;font-size:.9em}\
pre{background:#f4f4f6;padding:.6rem;overflow-x:auto;white-space:pre-wrap}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .4rem;text-align:left}\
.outcome-success{color:#116329}.outcome-failed{color:#b42318}.outcome-unknown{color:#9a6700}\
svg.chart{width:100%;max-width:36rem;height:8rem;background:#fafafa;border:1px solid #ddd}\
@media print{body{margin:0}pre{white-space:pre-wrap}}";

/// Text for HTML: `&`, `<`, `>` and quotes escaped.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Paragraphs from text typed with blank lines and line breaks.
fn paragraphs(text: &str) -> String {
    text.trim()
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", esc(p.trim()).replace('\n', "<br>")))
        .collect()
}

/// The report of `data` as HTML, exported at `exported_at` (the account's time).
pub fn html(data: &ReportData, language: ReportLanguage, exported_at: &str) -> String {
    let w = words(language);
    let incident = &data.incident;
    let title = match incident.title.trim() {
        "" => w.untitled.to_owned(),
        t => t.to_owned(),
    };
    let lang = match language {
        ReportLanguage::En => "en",
        ReportLanguage::Ja => "ja",
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}: {}</title><style>{STYLE}</style></head><body>\n<h1>{}: {}</h1>\n",
        esc(w.report),
        esc(&title),
        esc(w.report),
        esc(&title)
    );
    facts(&mut out, data, w, language, exported_at);
    if !incident.summary.trim().is_empty() {
        let _ = writeln!(
            out,
            "<h2>{}</h2>{}",
            esc(w.summary),
            paragraphs(&incident.summary)
        );
    }
    let timeline = told(data);
    if !timeline.is_empty() {
        let _ = write!(out, "<h2>{}</h2><ol class=\"timeline\">", esc(w.timeline));
        for t in &timeline {
            let class = if t.story.moment.is_some() {
                " class=\"moment\""
            } else {
                ""
            };
            let moment = t
                .story
                .moment
                .map(|m| {
                    format!(
                        "<span class=\"moment-name\">{}</span> · ",
                        esc(moment_word(m, language))
                    )
                })
                .unwrap_or_default();
            let retimed = t
                .retimed_from
                .map(|from| {
                    format!(
                        " <span class=\"muted\">({} {})</span>",
                        esc(w.recorded_at),
                        esc(&show(from))
                    )
                })
                .unwrap_or_default();
            let _ = write!(
                out,
                "<li{class}>{moment}<time datetime=\"{}\">{}</time>{retimed} · {}",
                esc(t.at),
                esc(&show(t.at)),
                esc(t.title)
            );
            if !t.story.annotation.is_empty() {
                let _ = write!(out, "<div>{}</div>", esc(&t.story.annotation));
            }
            out.push_str("</li>");
        }
        out.push_str("</ol>\n");
    }
    if let Some(saved) = &data.review {
        let r = &saved.review;
        let sections = [
            &r.summary,
            &r.impact,
            &r.detection,
            &r.root_cause,
            &r.contributing_factors,
            &r.went_well,
            &r.went_badly,
            &r.lessons,
        ];
        let _ = write!(out, "<h2>{}</h2>", esc(w.review));
        for (name, text) in w.sections.iter().zip(sections) {
            if !text.trim().is_empty() {
                let _ = write!(out, "<h3>{}</h3>{}", esc(name), paragraphs(text));
            }
        }
        out.push('\n');
    }
    if !data.action_items.is_empty() {
        let _ = write!(out, "<h2>{}</h2><ul>", esc(w.action_items));
        for item in &data.action_items {
            let state = if item.done { w.done } else { w.open_item };
            let mut facts = vec![esc(state)];
            if !item.owner.is_empty() {
                facts.push(format!("{}: {}", esc(w.owner), esc(&item.owner)));
            }
            if let Some(due) = &item.due {
                facts.push(format!("{}: {}", esc(w.due), esc(due)));
            }
            let _ = write!(
                out,
                "<li>{} <span class=\"muted\">({})</span></li>",
                esc(&item.text),
                facts.join(", ")
            );
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(out, "<h2>{}</h2>", esc(w.activity));
    if data.entries.is_empty() {
        let _ = write!(out, "<p>{}</p>", esc(w.empty));
    }
    for e in &data.entries {
        activity(&mut out, e, w, language);
    }
    out.push_str("</body></html>\n");
    out
}

fn facts(
    out: &mut String,
    data: &ReportData,
    w: &Words,
    language: ReportLanguage,
    exported_at: &str,
) {
    let incident = &data.incident;
    let kind = match incident.account_kind {
        AccountKind::Practice => w.practice,
        AccountKind::Profile => w.profile,
    };
    let mut rows = vec![
        (w.account, format!("{} ({kind})", incident.account)),
        (
            w.severity,
            incident
                .severity
                .map_or_else(|| w.none.to_owned(), |s| s.label()),
        ),
        (w.status, status_word(incident.status, language).to_owned()),
        (w.opened, show(&incident.opened_at)),
        (
            w.closed,
            incident
                .closed_at
                .as_deref()
                .map_or_else(|| w.still_open.to_owned(), show),
        ),
        (w.exported, show(exported_at)),
    ];
    if !incident.affected.is_empty() {
        rows.push((w.affected, incident.affected.join(", ")));
    }
    if data.entries.iter().any(|e| e.cost.is_some()) {
        let total = if incident.cost_at_most {
            format!("{} {}", w.at_most, incident.cost)
        } else {
            incident.cost.to_string()
        };
        rows.push((w.cost, total));
    }
    out.push_str("<dl class=\"facts\">");
    for (name, value) in rows {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(name), esc(&value));
    }
    out.push_str("</dl>\n");
}

fn activity(out: &mut String, e: &JournalEntry, w: &Words, language: ReportLanguage) {
    let _ = write!(
        out,
        "<section><h3><time datetime=\"{}\">{}</time> · {} · {}</h3>",
        esc(&e.at),
        esc(&show(&e.at)),
        esc(kind_word(e.kind, language)),
        esc(&entry_title(e, language))
    );
    let mut items = Vec::new();
    if states_outcome(e.kind) {
        items.push(format!(
            "{} · <span class=\"outcome-{}\">{}</span>",
            esc(&e.region),
            e.outcome.as_str(),
            esc(outcome_word(e.outcome, language))
        ));
    } else if !e.region.is_empty() {
        items.push(esc(&e.region));
    }
    items.extend(e.result.lines().filter(|l| !l.trim().is_empty()).map(esc));
    if !e.api_call.is_empty() {
        items.push(format!("{}: <code>{}</code>", esc(w.api), esc(&e.api_call)));
    }
    if let Some(cost) = cost_text(e, w) {
        items.push(format!("{}: {}", esc(w.cost), esc(&cost)));
    }
    if !items.is_empty() {
        let _ = write!(out, "<ul><li>{}</li></ul>", items.join("</li><li>"));
    }
    match (e.kind, PinSnapshot::from_detail(e.detail.as_deref())) {
        (JournalEntryKind::Pin, Some(snapshot)) => pin(out, &snapshot),
        (JournalEntryKind::Note | JournalEntryKind::StatusUpdate, _) => {
            if let Some(text) = e.detail.as_deref().filter(|t| !t.trim().is_empty()) {
                let _ = write!(out, "<blockquote>{}</blockquote>", paragraphs(text));
            }
        }
        _ => {}
    }
    if !e.cli.trim().is_empty() {
        let _ = write!(out, "<pre><code>{}</code></pre>", esc(e.cli.trim_end()));
    }
    out.push_str("</section>\n");
}

fn pin(out: &mut String, snapshot: &PinSnapshot) {
    match snapshot {
        PinSnapshot::Alarm {
            name,
            state,
            reason,
        } => {
            let _ = write!(
                out,
                "<p><code>{}</code> {}: {}</p>",
                esc(name),
                esc(state),
                esc(reason)
            );
        }
        PinSnapshot::Chart {
            title,
            unit,
            start,
            end,
            points,
        } => {
            let _ = write!(
                out,
                "<figure><figcaption>{} ({}) {} – {}</figcaption>{}</figure>",
                esc(title),
                esc(unit),
                esc(&show(start)),
                esc(&show(end)),
                chart_svg(points, start, end)
            );
        }
        PinSnapshot::Query {
            query,
            groups,
            columns,
            rows,
        } => {
            let _ = write!(
                out,
                "<p>{}</p><pre><code>{}</code></pre>",
                esc(&groups.join(", ")),
                esc(query)
            );
            if !columns.is_empty() {
                out.push_str("<table><tr>");
                for c in columns {
                    let _ = write!(out, "<th>{}</th>", esc(c));
                }
                out.push_str("</tr>");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        let _ = write!(out, "<td>{}</td>", esc(cell));
                    }
                    out.push_str("</tr>");
                }
                out.push_str("</table>");
            }
        }
        PinSnapshot::TrailEvent {
            name,
            user,
            at,
            resources,
        } => {
            let _ = write!(
                out,
                "<p>{} · <code>{}</code> · {} · {}</p>",
                esc(&show(at)),
                esc(name),
                esc(user),
                esc(&resources.join(", "))
            );
        }
    }
}

/// The datapoints as a line over the pinned range, scaled to the values seen.
pub(crate) fn chart_svg(points: &[(String, f64)], start: &str, end: &str) -> String {
    const WIDTH: f64 = 600.0;
    const HEIGHT: f64 = 120.0;
    let times: Vec<(i64, f64)> = points
        .iter()
        .filter(|(_, v)| v.is_finite())
        .filter_map(|(t, v)| Some((unyo_core::time::parse_rfc3339(t)?, *v)))
        .collect();
    let (Some(from), Some(to)) = (
        unyo_core::time::parse_rfc3339(start),
        unyo_core::time::parse_rfc3339(end),
    ) else {
        return String::new();
    };
    let span = (to - from).max(1) as f64;
    let low = times
        .iter()
        .map(|(_, v)| *v)
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let high = times
        .iter()
        .map(|(_, v)| *v)
        .fold(f64::NEG_INFINITY, f64::max);
    let range = if high > low { high - low } else { 1.0 };
    let line: Vec<String> = times
        .iter()
        .map(|(t, v)| {
            let x = (*t - from) as f64 / span * WIDTH;
            let y = HEIGHT - (v - low) / range * (HEIGHT - 10.0) - 5.0;
            format!("{x:.1},{y:.1}")
        })
        .collect();
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" preserveAspectRatio=\"none\" role=\"img\">\
         <polyline fill=\"none\" stroke=\"#6b3fd4\" stroke-width=\"2\" points=\"{}\"/></svg>",
        line.join(" ")
    )
}
