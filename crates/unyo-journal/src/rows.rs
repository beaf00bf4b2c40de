//! Rows as the journal reads them back: the SELECTs and the functions that turn a row into
//! an incident or an entry. A value this build does not know (written by a newer Unyo) is an
//! error naming it, never a silent default, except where noted.

use rusqlite::Row;
use unyo_cost::Usd;

use crate::model::{
    CostBasis, EntryCost, Incident, IncidentStatus, JournalEntry, JournalEntryKind, JournalOutcome,
    Severity,
};

/// An incident with its number of entries, and its entries' costs as `usd:basis` pairs joined
/// by commas (decimals are added in Rust, exactly, not by SQLite in floating point).
pub(crate) const INCIDENT_SELECT: &str = "SELECT i.id, i.account, i.account_kind, i.title,
    i.opened_at, i.closed_at, (SELECT COUNT(*) FROM entries e WHERE e.incident_id = i.id),
    (SELECT group_concat(e.cost_usd || ':' || e.cost_basis, ',') FROM entries e
        WHERE e.incident_id = i.id AND e.cost_usd IS NOT NULL),
    i.severity, i.status, i.summary, i.affected
    FROM incidents i";

/// Every column of an entry, in the order [`entry_row`] reads them.
pub(crate) const ENTRY_SELECT: &str = "SELECT id, incident_id, account, account_kind, region,
    kind, title, api_call, cli, outcome, result, at, recorded_at, updated_at, cost_usd,
    cost_basis, detail FROM entries";

pub(crate) fn unknown(column: usize, what: &str, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("unknown {what} {text:?} (written by a newer Unyo?)").into(),
    )
}

fn kind_of_account(row: &Row<'_>, column: usize) -> rusqlite::Result<unyo_core::AccountKind> {
    let text: String = row.get(column)?;
    match text.as_str() {
        "practice" => Ok(unyo_core::AccountKind::Practice),
        "profile" => Ok(unyo_core::AccountKind::Profile),
        _ => Err(unknown(column, "account kind", &text)),
    }
}

pub(crate) fn incident_row(row: &Row<'_>) -> rusqlite::Result<Incident> {
    let costs: Option<String> = row.get(7)?;
    let costs: Vec<EntryCost> = costs
        .unwrap_or_default()
        .split(',')
        .filter_map(|pair| {
            let (usd, basis) = pair.split_once(':')?;
            cost_of(Some(usd.to_owned()), Some(basis.to_owned()))
        })
        .collect();
    let cost = costs.iter().map(|c| c.usd).sum();
    let cost_at_most = costs.iter().any(|c| c.basis == CostBasis::AtMost);
    Ok(Incident {
        id: row.get(0)?,
        account: row.get(1)?,
        account_kind: kind_of_account(row, 2)?,
        title: row.get(3)?,
        opened_at: row.get(4)?,
        closed_at: row.get(5)?,
        entry_count: row.get(6)?,
        cost,
        cost_at_most,
        severity: match row.get::<_, Option<String>>(8)? {
            Some(text) => {
                Some(Severity::parse(&text).ok_or_else(|| unknown(8, "severity", &text))?)
            }
            None => None,
        },
        status: {
            let text: String = row.get(9)?;
            IncidentStatus::parse(&text).ok_or_else(|| unknown(9, "status", &text))?
        },
        summary: row.get(10)?,
        // A list this build cannot read shows as none rather than hiding the incident.
        affected: serde_json::from_str(&row.get::<_, String>(11)?).unwrap_or_default(),
    })
}

/// An entry's cost from its two columns; a value this build cannot read is no cost.
pub(crate) fn cost_of(usd: Option<String>, basis: Option<String>) -> Option<EntryCost> {
    Some(EntryCost {
        usd: Usd::parse(&usd?)?,
        basis: CostBasis::parse(&basis?)?,
    })
}

pub(crate) fn entry_row(row: &Row<'_>) -> rusqlite::Result<JournalEntry> {
    let kind: String = row.get(5)?;
    let outcome: String = row.get(9)?;
    Ok(JournalEntry {
        id: row.get(0)?,
        incident_id: row.get(1)?,
        account: row.get(2)?,
        account_kind: kind_of_account(row, 3)?,
        region: row.get(4)?,
        kind: JournalEntryKind::parse(&kind).ok_or_else(|| unknown(5, "entry kind", &kind))?,
        title: row.get(6)?,
        api_call: row.get(7)?,
        cli: row.get(8)?,
        outcome: JournalOutcome::parse(&outcome).ok_or_else(|| unknown(9, "outcome", &outcome))?,
        result: row.get(10)?,
        at: row.get(11)?,
        recorded_at: row.get(12)?,
        updated_at: row.get(13)?,
        cost: cost_of(row.get(14)?, row.get(15)?),
        detail: row.get(16)?,
    })
}
