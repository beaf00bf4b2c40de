//! Mirroring an incident to OpsCenter: what the OpsItem will hold and cost, shown first; then
//! the OpsItem created and recorded on the incident as a change.

use serde::Serialize;
use tauri::{AppHandle, State};
use ts_rs::TS;
use unyo_core::AppError;
use unyo_core::ops_item::OpsItemRequest;
use unyo_core::time::rfc3339;
use unyo_cost::Estimate;
use unyo_cost::estimate;
use unyo_journal::{CostBasis, EntryCost, JournalEntryKind, JournalOutcome, NewJournalEntry};

use crate::commands::cost::pricing;
use crate::commands::journal::{JournalService, changed};
use crate::state::AppState;

/// What mirroring will do and cost, for the confirmation.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OpsItemPreview {
    pub request: OpsItemRequest,
    pub cli: String,
    pub estimate: Estimate,
}

async fn request(
    state: &AppState,
    journal: &JournalService,
    account: &str,
    region: &str,
    incident_id: i64,
) -> Result<OpsItemRequest, AppError> {
    let cloud = state.cloud(account).await?;
    cloud.require_ops_center()?;
    let account_id = cloud.account().account_id.clone();
    let region = region.to_owned();
    journal
        .run(move |j| {
            let data = j.report_data(incident_id)?;
            Ok(unyo_journal::ops_item::ops_item(
                &data,
                &region,
                account_id.as_deref(),
            ))
        })
        .await
}

/// The OpsItem the incident would become in `region`, its AWS CLI and its price.
#[tauri::command]
pub async fn ops_item_preview(
    state: State<'_, AppState>,
    journal: State<'_, JournalService>,
    account: String,
    region: String,
    incident_id: i64,
) -> Result<OpsItemPreview, AppError> {
    let request = request(&state, &journal, &account, &region, incident_id).await?;
    let pricing = pricing(&state, &account, &region)?;
    Ok(OpsItemPreview {
        cli: request.cli(),
        estimate: pricing.finish(estimate::ops_items(&pricing.table, 1)),
        request,
    })
}

/// Creates the OpsItem and records it on the incident; returns its id.
#[tauri::command]
pub async fn mirror_to_ops_center(
    app: AppHandle,
    state: State<'_, AppState>,
    journal: State<'_, JournalService>,
    account: String,
    region: String,
    incident_id: i64,
) -> Result<String, AppError> {
    let request = request(&state, &journal, &account, &region, incident_id).await?;
    let cloud = state.cloud(&account).await?;
    let at = rfc3339(cloud.now());
    let pricing = pricing(&state, &account, &region)?;
    let cost = pricing
        .finish(estimate::ops_items(&pricing.table, 1))
        .total
        .filter(|_| !pricing.practice)
        .map(|usd| EntryCost {
            usd,
            basis: CostBasis::Estimate,
        });
    let created = cloud.require_ops_center()?.create_ops_item(&request).await;
    let (outcome, result) = match &created {
        Ok(id) => (JournalOutcome::Success, format!("OpsItem {id}")),
        Err(e) => (JournalOutcome::Failed, e.message.clone()),
    };
    let entry = NewJournalEntry {
        account,
        region,
        kind: JournalEntryKind::Change,
        title: format!("Mirrored to OpsCenter: {}", request.title),
        api_call: "ssm:CreateOpsItem".to_owned(),
        cli: request.cli(),
        outcome,
        result,
        at,
        cost,
        detail: None,
    };
    // On the incident mirrored, even when it is not the account's open one.
    match journal.run(move |j| j.record_on(incident_id, &entry)).await {
        Ok(_) => changed(&app, Some(incident_id)),
        Err(e) => tracing::warn!(
            "the OpsItem was not recorded on the incident: {}",
            e.message
        ),
    }
    let id = created?;
    tracing::info!(ops_item = id, incident_id, "incident mirrored to OpsCenter");
    Ok(id)
}
