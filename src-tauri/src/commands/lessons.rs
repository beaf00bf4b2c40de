//! Lessons: the practice account's scenarios, with their progress, started and reset from the
//! UI. Only the practice account has scenarios, so these commands take no account id.
//!
//! The calls are async only so that they run off the main thread: the practice account
//! evaluates checks and catches up runbook steps under its locks, and the hints panel polls.

use tauri::State;
use unyo_core::AppError;
use unyo_core::scenario::{ScenarioDetail, ScenarioSummary};

use crate::commands::settings::update;
use crate::state::AppState;

/// Every scenario with its status and checks passed; the running one is checked now.
#[tauri::command]
pub async fn list_scenarios(state: State<'_, AppState>) -> Result<Vec<ScenarioSummary>, AppError> {
    let scenarios = state.clouds.practice_account().scenarios()?;
    keep_progress(&state);
    Ok(scenarios)
}

/// Saves the completed lessons when they changed, so they survive a restart. Progress that
/// cannot be saved is logged: the lesson itself goes on.
fn keep_progress(state: &AppState) {
    let Ok(completed) = state.clouds.practice_account().completed_lessons() else {
        return;
    };
    // The hints panel polls: the file is written only when the progress changed.
    if state
        .settings()
        .is_ok_and(|settings| settings.lessons_completed == completed)
    {
        return;
    }
    let saved = update(state, |settings| settings.lessons_completed = completed);
    if let Err(e) = saved {
        tracing::warn!("lesson progress not saved: {}", e.message);
    }
}

/// Forgets one lesson's progress (not started again); the running one also leaves the
/// practice account calm.
#[tauri::command]
pub async fn reset_lesson(state: State<'_, AppState>, id: String) -> Result<(), AppError> {
    state.clouds.practice_account().reset_lesson(&id)?;
    keep_progress(&state);
    Ok(())
}

/// A scenario's situation, goal, hints and debrief, with its checks evaluated now: the hints
/// panel polls this to show progress, and it is what marks a scenario completed.
#[tauri::command]
pub async fn scenario_detail(
    state: State<'_, AppState>,
    id: String,
) -> Result<ScenarioDetail, AppError> {
    let detail = state.clouds.practice_account().scenario(&id)?;
    keep_progress(&state);
    Ok(detail)
}

/// Resets the practice account and breaks it as the scenario describes; starting the running
/// scenario again is how it starts over.
#[tauri::command]
pub async fn start_scenario(
    state: State<'_, AppState>,
    id: String,
) -> Result<ScenarioDetail, AppError> {
    let detail = state.clouds.practice_account().start_scenario(&id)?;
    // Starting again is starting over: the lesson is not completed until done again.
    keep_progress(&state);
    Ok(detail)
}

/// Leaves any scenario: the calm practice account again; completed scenarios stay completed.
#[tauri::command]
pub async fn reset_practice_account(state: State<'_, AppState>) -> Result<(), AppError> {
    state.clouds.practice_account().reset_account()
}
