//! Lessons: the practice account's scenarios, with their progress, started and reset from the
//! UI. Only the practice account has scenarios, so these commands take no account id.
//!
//! The calls are async only so that they run off the main thread: the practice account
//! evaluates checks and catches up runbook steps under its locks, and the hints panel polls.

use tauri::State;
use unyo_core::AppError;
use unyo_core::scenario::{ScenarioDetail, ScenarioSummary};

use crate::state::AppState;

/// Every scenario with its status and checks passed; the running one is checked now.
#[tauri::command]
pub async fn list_scenarios(state: State<'_, AppState>) -> Result<Vec<ScenarioSummary>, AppError> {
    state.clouds.practice_account().scenarios()
}

/// A scenario's situation, goal, hints and debrief, with its checks evaluated now: the hints
/// panel polls this to show progress, and it is what marks a scenario completed.
#[tauri::command]
pub async fn scenario_detail(
    state: State<'_, AppState>,
    id: String,
) -> Result<ScenarioDetail, AppError> {
    state.clouds.practice_account().scenario(&id)
}

/// Resets the practice account and breaks it as the scenario describes; starting the running
/// scenario again is how it starts over.
#[tauri::command]
pub async fn start_scenario(
    state: State<'_, AppState>,
    id: String,
) -> Result<ScenarioDetail, AppError> {
    state.clouds.practice_account().start_scenario(&id)
}

/// Leaves any scenario: the calm practice account again; completed scenarios stay completed.
#[tauri::command]
pub async fn reset_practice_account(state: State<'_, AppState>) -> Result<(), AppError> {
    state.clouds.practice_account().reset_account()
}
