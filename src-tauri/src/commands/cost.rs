//! What an action will cost before it runs: the cost model's estimate over the region's
//! prices (refreshed from the AWS Price List when asked, else the embedded ones) and the
//! account's free-tier answer. The practice account is simulated and free, and its estimates
//! say what the same would cost on AWS.

use serde::Serialize;
use tauri::State;
use ts_rs::TS;
use unyo_core::AppError;
use unyo_core::automation::AutomationExecution;
use unyo_core::cloud::AccountId;
use unyo_core::settings::{self, AutomationHistory};
use unyo_core::time::rfc3339;
use unyo_cost::estimate::{self, AutomationRun};
use unyo_cost::month::{self, MonthGap, MonthUsage, QueriesMonth};
use unyo_journal::JournalEntryKind;

use crate::commands::journal::JournalService;
use unyo_cost::practice::Pricing;
use unyo_cost::price_list::{SERVICE_CODES, table_from};
use unyo_cost::{Estimate, NodeKind, Origin, PriceItem, PriceTable, cache};

use crate::commands::settings::update;
use crate::state::AppState;

/// The account's answer on its Automation history (`unknown` until given).
#[tauri::command]
pub fn automation_history(
    state: State<'_, AppState>,
    account: String,
) -> Result<AutomationHistory, AppError> {
    settings::check_account_id(&account)?;
    Ok(state.settings()?.automation_history(&account))
}

/// Remembers the account's Automation history, asked once per account.
#[tauri::command]
pub fn set_automation_history(
    state: State<'_, AppState>,
    account: String,
    history: AutomationHistory,
) -> Result<(), AppError> {
    settings::check_account_id(&account)?;
    update(&state, |current| {
        current.set_automation_history(&account, history)
    })
    .map(drop)
}

/// A runbook of `steps` steps (`script_steps` of them `aws:executeScript`) in `region`,
/// against what the account's free tier has left this month where it has one.
#[tauri::command]
pub async fn estimate_runbook(
    state: State<'_, AppState>,
    account: String,
    region: String,
    steps: u32,
    script_steps: u32,
) -> Result<Estimate, AppError> {
    let run = AutomationRun {
        steps: steps.into(),
        script_seconds: 0,
        script_steps: script_steps.into(),
    };
    let pricing = pricing(&state, &account, &region)?;
    let used = if pricing.history == AutomationHistory::UsedBefore && !pricing.practice {
        let cloud = state.cloud(&account).await?;
        // Unread, the estimate says so and gives the most the run can cost.
        month::automation_used(cloud.as_ref(), &region, &rfc3339(cloud.now()))
            .await
            .inspect_err(
                |e| tracing::info!(error = %e.message, "this month's Automation use unread"),
            )
            .ok()
    } else {
        None
    };
    let estimate = estimate::automation(&pricing.table, run, pricing.history, used);
    Ok(pricing.finish(estimate))
}

/// What a finished execution cost: the steps it ran and its scripts' seconds, read from its
/// step list as the month's use reads them.
#[tauri::command]
pub fn estimate_execution(
    state: State<'_, AppState>,
    account: String,
    execution: AutomationExecution,
) -> Result<Estimate, AppError> {
    let run = AutomationRun {
        steps: month::executed_steps(&execution),
        script_seconds: month::script_seconds(&execution),
        script_steps: 0,
    };
    automation_estimate(&state, &account, &execution.region, run)
}

fn automation_estimate(
    state: &AppState,
    account: &str,
    region: &str,
    run: AutomationRun,
) -> Result<Estimate, AppError> {
    let pricing = pricing(state, account, region)?;
    let estimate = estimate::automation(&pricing.table, run, pricing.history, None);
    Ok(pricing.finish(estimate))
}

/// How `account`'s estimates in `region` are priced; the practice account is simulated, so
/// its estimates are free and say what the same would cost on AWS.
pub(crate) fn pricing(state: &AppState, account: &str, region: &str) -> Result<Pricing, AppError> {
    let practice = account.parse::<AccountId>()? == AccountId::Practice;
    let history = state.settings()?.automation_history(account);
    Ok(Pricing::new(practice, region, history, |r| {
        cache::table_for(&state.prices_dir, r)
    }))
}

/// Where `ids` run: on other (hybrid, `mi-`) nodes when any is one, and how many of them.
fn nodes(ids: &[String]) -> (NodeKind, u64) {
    let hybrid = ids.iter().filter(|id| id.starts_with("mi-")).count() as u64;
    let node = if hybrid > 0 {
        NodeKind::NonEc2
    } else {
        NodeKind::Ec2
    };
    (node, hybrid)
}

/// The account's day (`YYYY-MM-DD`), which decides which non-EC2 price model applies.
async fn today(state: &AppState, account: &str) -> Result<String, AppError> {
    let now = rfc3339(state.cloud(account).await?.now());
    Ok(now.get(..10).unwrap_or(&now).to_owned())
}

/// A Run Command to `instance_ids`: free on EC2 instances; on other (hybrid, `mi-`) nodes,
/// priced per invocation from the account's day on which the 2026 model applies.
#[tauri::command]
pub async fn estimate_run_command(
    state: State<'_, AppState>,
    account: String,
    region: String,
    instance_ids: Vec<String>,
) -> Result<Estimate, AppError> {
    let pricing = pricing(&state, &account, &region)?;
    let (node, hybrid) = nodes(&instance_ids);
    let day = today(&state, &account).await?;
    Ok(pricing.finish(estimate::run_command(&pricing.table, node, hybrid, &day)))
}

/// A Session Manager session (a shell or a port forward) to `node_id`: free on an EC2
/// instance; on another node, the advanced tier's node-hour or, from the account's day on
/// which the 2026 model applies, a price per session.
#[tauri::command]
pub async fn estimate_session(
    state: State<'_, AppState>,
    account: String,
    region: String,
    node_id: String,
) -> Result<Estimate, AppError> {
    let pricing = pricing(&state, &account, &region)?;
    let (node, _) = nodes(std::slice::from_ref(&node_id));
    let day = today(&state, &account).await?;
    Ok(pricing.finish(estimate::session(&pricing.table, node, &day)))
}

/// A Logs Insights query in `region`: before it runs, over groups holding `bytes` in all
/// (the most it can scan); once it has run (`scanned`), what its statistics say it scanned.
#[tauri::command]
pub fn estimate_logs_insights(
    state: State<'_, AppState>,
    account: String,
    region: String,
    bytes: u64,
    scanned: bool,
) -> Result<Estimate, AppError> {
    let pricing = pricing(&state, &account, &region)?;
    let estimate = if scanned {
        estimate::logs_insights_scanned(&pricing.table, bytes)
    } else {
        estimate::logs_insights(&pricing.table, bytes)
    };
    Ok(pricing.finish(estimate))
}

/// What a refresh from the Price List found.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PriceRefresh {
    pub origin: Origin,
    /// How many of Unyo's units it priced.
    pub found: u32,
    /// The units it did not find (they stay as embedded, or unknown).
    pub missing: Vec<PriceItem>,
}

/// Reads `region`'s prices from the AWS Price List with the account's credentials
/// (`pricing:GetProducts`), keeps them for every later estimate, and says what it found.
#[tauri::command]
pub async fn refresh_prices(
    state: State<'_, AppState>,
    account: String,
    region: String,
) -> Result<PriceRefresh, AppError> {
    let cloud = state.cloud(&account).await?;
    let documents = cloud
        .require_billing()?
        .price_documents(&region, &SERVICE_CODES)
        .await?;
    let embedded = PriceTable::embedded(&region);
    let (table, missing) = table_from(&embedded, &documents, &rfc3339(unyo_core::time::now_unix()));
    cache::save(&state.prices_dir, &table)?;
    let found = table
        .prices
        .values()
        .filter(|p| p.source.starts_with("AWS Price List"))
        .count() as u32;
    tracing::info!(region, found, missing = missing.len(), "prices refreshed");
    Ok(PriceRefresh {
        origin: table.origin,
        found,
        missing,
    })
}

/// This month's use in `region` against the free tiers, on the account's clock, with the
/// Logs Insights queries run from Unyo this month (from the incident journal).
#[tauri::command]
pub async fn month_usage(
    state: State<'_, AppState>,
    journal: State<'_, JournalService>,
    account: String,
    region: String,
) -> Result<MonthUsage, AppError> {
    let cloud = state.cloud(&account).await?;
    let pricing = pricing(&state, &account, &region)?;
    let now = rfc3339(cloud.now());
    let mut usage = month::month_usage(cloud.as_ref(), &region, &now, &pricing).await;
    let since = format!("{}-01", usage.month);
    let (who, where_) = (account.clone(), region.clone());
    match journal
        .run(move |j| j.cost_since(&who, &where_, JournalEntryKind::Query, &since))
        .await
    {
        Ok((queries, cost)) => usage.unyo_queries = Some(QueriesMonth { queries, cost }),
        Err(error) => usage.gaps.push(MonthGap {
            tool: "queries".into(),
            error,
        }),
    }
    Ok(usage)
}
