//! The words the reports and the status update use, in English and Japanese, and the
//! everything-about-an-incident value the reports are written from.

use crate::model::{
    Incident, IncidentStatus, JournalEntry, JournalEntryKind, JournalOutcome, ReportLanguage,
};
use crate::review::{ActionItem, SavedReview};
use crate::story::{Moment, StoryEntry};

/// An incident with all that is on it, as the reports need it.
#[derive(Debug, Clone)]
pub struct ReportData {
    pub incident: Incident,
    pub entries: Vec<JournalEntry>,
    pub story: Vec<StoryEntry>,
    pub review: Option<SavedReview>,
    pub action_items: Vec<ActionItem>,
}

pub(crate) struct Words {
    pub report: &'static str,
    pub untitled: &'static str,
    pub account: &'static str,
    pub practice: &'static str,
    pub profile: &'static str,
    pub opened: &'static str,
    pub closed: &'static str,
    pub still_open: &'static str,
    pub exported: &'static str,
    pub empty: &'static str,
    pub api: &'static str,
    pub cost: &'static str,
    pub estimate: &'static str,
    pub at_most: &'static str,
    pub actual: &'static str,
    pub severity: &'static str,
    pub status: &'static str,
    pub summary: &'static str,
    pub affected: &'static str,
    pub none: &'static str,
    pub timeline: &'static str,
    pub activity: &'static str,
    pub review: &'static str,
    pub action_items: &'static str,
    pub owner: &'static str,
    pub due: &'static str,
    pub done: &'static str,
    pub open_item: &'static str,
    pub recorded_at: &'static str,
    /// The review's sections, in the template's order.
    pub sections: [&'static str; 8],
}

pub(crate) const EN: Words = Words {
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
    severity: "Severity",
    status: "Status",
    summary: "Summary",
    affected: "Affected",
    none: "none",
    timeline: "Timeline",
    activity: "Activity log",
    review: "Post-incident review",
    action_items: "Action items",
    owner: "owner",
    due: "due",
    done: "done",
    open_item: "open",
    recorded_at: "recorded at",
    sections: [
        "Summary",
        "Impact",
        "Detection",
        "Root cause",
        "Contributing factors",
        "What went well",
        "What went badly",
        "Lessons",
    ],
};

pub(crate) const JA: Words = Words {
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
    severity: "重大度",
    status: "ステータス",
    summary: "概要",
    affected: "影響を受けたリソース",
    none: "なし",
    timeline: "タイムライン",
    activity: "操作ログ",
    review: "事後レビュー",
    action_items: "アクションアイテム",
    owner: "担当",
    due: "期限",
    done: "完了",
    open_item: "未完了",
    recorded_at: "記録時刻",
    sections: [
        "概要",
        "影響",
        "検知",
        "根本原因",
        "寄与要因",
        "うまくいったこと",
        "うまくいかなかったこと",
        "教訓",
    ],
};

pub(crate) fn words(language: ReportLanguage) -> &'static Words {
    match language {
        ReportLanguage::En => &EN,
        ReportLanguage::Ja => &JA,
    }
}

pub(crate) fn kind_word(kind: JournalEntryKind, language: ReportLanguage) -> &'static str {
    use JournalEntryKind as K;
    let ja = language == ReportLanguage::Ja;
    match (kind, ja) {
        (K::Command, _) => "Run Command",
        (K::Runbook, false) => "Runbook",
        (K::Runbook, true) => "ランブック",
        (K::Verification, false) => "Verification",
        (K::Verification, true) => "検証",
        (K::Change, false) => "Change",
        (K::Change, true) => "変更",
        (K::Session, false) => "Session",
        (K::Session, true) => "セッション",
        (K::ChangeRecord, false) => "Change record",
        (K::ChangeRecord, true) => "変更記録",
        (K::Query, false) => "Query",
        (K::Query, true) => "クエリ",
        (K::Note, false) => "Note",
        (K::Note, true) => "メモ",
        (K::Pin, false) => "Pinned",
        (K::Pin, true) => "ピン留め",
        (K::StatusChange, false) => "Status",
        (K::StatusChange, true) => "ステータス",
        (K::StatusUpdate, false) => "Status update",
        (K::StatusUpdate, true) => "状況報告",
    }
}

pub(crate) fn outcome_word(outcome: JournalOutcome, language: ReportLanguage) -> &'static str {
    use JournalOutcome as O;
    let ja = language == ReportLanguage::Ja;
    match (outcome, ja) {
        (O::Running, false) => "Running",
        (O::Running, true) => "実行中",
        (O::Success, false) => "Succeeded",
        (O::Success, true) => "成功",
        (O::Failed, false) => "Failed",
        (O::Failed, true) => "失敗",
        (O::Cancelled, false) => "Cancelled",
        (O::Cancelled, true) => "キャンセル",
        (O::Unknown, false) => "Unknown",
        (O::Unknown, true) => "不明",
    }
}

pub(crate) fn status_word(status: IncidentStatus, language: ReportLanguage) -> &'static str {
    use IncidentStatus as S;
    let ja = language == ReportLanguage::Ja;
    match (status, ja) {
        (S::Investigating, false) => "Investigating",
        (S::Identified, false) => "Identified",
        (S::Monitoring, false) => "Monitoring",
        (S::Resolved, false) => "Resolved",
        (S::Investigating, true) => "調査中",
        (S::Identified, true) => "原因特定",
        (S::Monitoring, true) => "経過観察中",
        (S::Resolved, true) => "解決済み",
    }
}

pub(crate) fn moment_word(moment: Moment, language: ReportLanguage) -> &'static str {
    let ja = language == ReportLanguage::Ja;
    match (moment, ja) {
        (Moment::Detected, false) => "Detected",
        (Moment::Diagnosed, false) => "Diagnosed",
        (Moment::Mitigated, false) => "Mitigated",
        (Moment::Resolved, false) => "Resolved",
        (Moment::Detected, true) => "検知",
        (Moment::Diagnosed, true) => "診断",
        (Moment::Mitigated, true) => "緩和",
        (Moment::Resolved, true) => "解決",
    }
}

/// A timeline entry with the activity it curates: its shown title and time, and the
/// original time when it was re-timed.
pub(crate) struct Told<'a> {
    pub story: &'a StoryEntry,
    pub entry: &'a JournalEntry,
    pub title: &'a str,
    pub at: &'a str,
    pub retimed_from: Option<&'a str>,
}

/// The timeline in the order things happened (re-timed entries where they really belong).
pub(crate) fn told(data: &ReportData) -> Vec<Told<'_>> {
    let mut told: Vec<Told<'_>> = data
        .story
        .iter()
        .filter_map(|s| {
            let entry = data.entries.iter().find(|e| e.id == s.entry_id)?;
            Some(Told {
                story: s,
                entry,
                title: s.title.as_deref().unwrap_or(&entry.title),
                at: s.happened_at.as_deref().unwrap_or(&entry.at),
                retimed_from: s.happened_at.as_ref().map(|_| entry.at.as_str()),
            })
        })
        .collect();
    told.sort_by(|a, b| a.at.cmp(b.at).then(a.entry.id.cmp(&b.entry.id)));
    told
}

/// A change of severity or status in `language`, from its entry's detail
/// (`{"severity": [from, to], "status": [from, to]}`); `None` for a detail this build cannot
/// read, whose entry then shows its own (English) title.
pub(crate) fn status_change(detail: Option<&str>, language: ReportLanguage) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(detail?).ok()?;
    let w = words(language);
    let pair = |key: &str| -> Option<(Option<String>, Option<String>)> {
        let both = value.get(key)?.as_array()?;
        let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
        Some((both.first().and_then(text), both.get(1).and_then(text)))
    };
    let mut parts = Vec::new();
    if let Some((from, to)) = pair("severity")
        && from != to
    {
        let shown = |s: Option<String>| s.map_or_else(|| w.none.to_owned(), |s| s.to_uppercase());
        parts.push(format!("{} {} → {}", w.severity, shown(from), shown(to)));
    }
    if let Some((Some(from), Some(to))) = pair("status")
        && from != to
    {
        let shown = |s: &str| {
            IncidentStatus::parse(s)
                .map_or_else(|| s.to_owned(), |s| status_word(s, language).to_owned())
        };
        parts.push(format!("{} {} → {}", w.status, shown(&from), shown(&to)));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// An entry's heading in `language`: a change of severity or status reads in the language,
/// any other entry by its own title.
pub(crate) fn entry_title(entry: &JournalEntry, language: ReportLanguage) -> String {
    match entry.kind {
        JournalEntryKind::StatusChange => {
            status_change(entry.detail.as_deref(), language).unwrap_or_else(|| entry.title.clone())
        }
        _ => entry.title.clone(),
    }
}

/// Whether an entry has an outcome of its own to state: a change record, a note, a pin or a
/// status entry does not.
pub(crate) fn states_outcome(kind: JournalEntryKind) -> bool {
    !matches!(
        kind,
        JournalEntryKind::ChangeRecord
            | JournalEntryKind::Note
            | JournalEntryKind::Pin
            | JournalEntryKind::StatusChange
            | JournalEntryKind::StatusUpdate
    )
}
