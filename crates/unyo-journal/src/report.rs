//! An incident as a Markdown report, in English or Japanese: a heading per action with its
//! time, kind and title, then region, outcome and result, the API call, and the AWS CLI that
//! does the same, oldest first.

use unyo_core::AccountKind;

use crate::model::{
    CostBasis, Incident, JournalEntry, JournalEntryKind, JournalOutcome, ReportLanguage,
};
use crate::time::show;

struct Words {
    report: &'static str,
    untitled: &'static str,
    account: &'static str,
    practice: &'static str,
    profile: &'static str,
    opened: &'static str,
    closed: &'static str,
    still_open: &'static str,
    exported: &'static str,
    empty: &'static str,
    api: &'static str,
    cost: &'static str,
    estimate: &'static str,
    at_most: &'static str,
    actual: &'static str,
}

const EN: Words = Words {
    report: "Incident report",
    untitled: "Untitled incident",
    account: "Account",
    practice: "practice account",
    profile: "AWS profile",
    opened: "Opened",
    closed: "Closed",
    still_open: "still open",
    exported: "Exported",
    empty: "Nothing was recorded.",
    api: "API call",
    cost: "Cost",
    estimate: "estimate",
    at_most: "at most",
    actual: "as reported by AWS",
};

const JA: Words = Words {
    report: "インシデントレポート",
    untitled: "無題のインシデント",
    account: "アカウント",
    practice: "練習用アカウント",
    profile: "AWS プロファイル",
    opened: "開始",
    closed: "終了",
    still_open: "対応中",
    exported: "書き出し日時",
    empty: "記録はありません。",
    api: "API 呼び出し",
    cost: "料金",
    estimate: "見積もり",
    at_most: "最大",
    actual: "AWS の報告による実績",
};

fn kind_word(kind: JournalEntryKind, language: ReportLanguage) -> &'static str {
    use JournalEntryKind as K;
    match (kind, language) {
        (K::Command, _) => "Run Command",
        (K::Runbook, ReportLanguage::En) => "Runbook",
        (K::Runbook, ReportLanguage::Ja) => "ランブック",
        (K::Verification, ReportLanguage::En) => "Verification",
        (K::Verification, ReportLanguage::Ja) => "検証",
        (K::Change, ReportLanguage::En) => "Change",
        (K::Change, ReportLanguage::Ja) => "変更",
        (K::Session, ReportLanguage::En) => "Session",
        (K::Session, ReportLanguage::Ja) => "セッション",
        (K::ChangeRecord, ReportLanguage::En) => "Change record",
        (K::ChangeRecord, ReportLanguage::Ja) => "変更記録",
        (K::Query, ReportLanguage::En) => "Query",
        (K::Query, ReportLanguage::Ja) => "クエリ",
    }
}

fn outcome_word(outcome: JournalOutcome, language: ReportLanguage) -> &'static str {
    use JournalOutcome as O;
    match (outcome, language) {
        (O::Running, ReportLanguage::En) => "Running",
        (O::Running, ReportLanguage::Ja) => "実行中",
        (O::Success, ReportLanguage::En) => "Succeeded",
        (O::Success, ReportLanguage::Ja) => "成功",
        (O::Failed, ReportLanguage::En) => "Failed",
        (O::Failed, ReportLanguage::Ja) => "失敗",
        (O::Cancelled, ReportLanguage::En) => "Cancelled",
        (O::Cancelled, ReportLanguage::Ja) => "キャンセル",
        (O::Unknown, ReportLanguage::En) => "Unknown",
        (O::Unknown, ReportLanguage::Ja) => "不明",
    }
}

/// Text for one Markdown line: line breaks would start a new block.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A code fence longer than any run of backticks in `code`, so the code cannot close it.
fn fence(code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// The report of `incident` with its `entries`, exported at `exported_at` (the account's time).
pub fn markdown(
    incident: &Incident,
    entries: &[JournalEntry],
    language: ReportLanguage,
    exported_at: &str,
) -> String {
    let w = match language {
        ReportLanguage::En => &EN,
        ReportLanguage::Ja => &JA,
    };
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
        format!("- {}: {}", w.opened, show(&incident.opened_at)),
        format!("- {}: {closed}", w.closed),
        format!("- {}: {}", w.exported, show(exported_at)),
    ];
    if entries.iter().any(|e| e.cost.is_some()) {
        let total = if incident.cost_at_most {
            format!("{} {}", w.at_most, incident.cost)
        } else {
            incident.cost.to_string()
        };
        lines.push(format!("- {}: {total}", w.cost));
    }
    lines.push(String::new());
    if entries.is_empty() {
        lines.extend([w.empty.to_owned(), String::new()]);
    }
    for e in entries {
        lines.push(format!(
            "## {} · {} · {}",
            show(&e.at),
            kind_word(e.kind, language),
            one_line(&e.title)
        ));
        lines.push(String::new());
        // A result of several lines (a change record's fields) gets a bullet per line; a
        // change record has no outcome of its own to state.
        let mut result = e.result.lines().map(one_line).filter(|l| !l.is_empty());
        if e.kind == JournalEntryKind::ChangeRecord {
            lines.push(format!("- {}", e.region));
        } else {
            lines.push(format!(
                "- {} · {}{}",
                e.region,
                outcome_word(e.outcome, language),
                result.next().map(|r| format!(": {r}")).unwrap_or_default()
            ));
        }
        lines.extend(result.map(|line| format!("- {line}")));
        if !e.api_call.is_empty() {
            lines.push(format!("- {}: `{}`", w.api, one_line(&e.api_call)));
        }
        if let Some(cost) = e.cost {
            let shown = match cost.basis {
                CostBasis::Estimate => format!("{} ({})", cost.usd, w.estimate),
                CostBasis::AtMost => format!("{} {}", w.at_most, cost.usd),
                CostBasis::Actual => format!("{} ({})", cost.usd, w.actual),
            };
            lines.push(format!("- {}: {shown}", w.cost));
        }
        lines.push(String::new());
        if !e.cli.trim().is_empty() {
            let fence = fence(&e.cli);
            lines.extend([format!("{fence}sh"), e.cli.trim_end().to_owned(), fence]);
            lines.push(String::new());
        }
    }
    lines.join("\n")
}
