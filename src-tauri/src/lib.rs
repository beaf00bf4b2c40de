//! The Unyo desktop app: builds the Tauri app, registers long-lived state and the commands.
//! Commands are thin adapters over the Unyo crates (see `commands`).

mod clients;
mod clouds;
mod commands;
mod downloads;
mod dto;
mod session_journal;
mod sessions;
mod state;
mod tunnels;

use tauri::Manager;

/// Starts the app; returns when the last window closes.
pub fn run() {
    let startup = state::StartupClock::now();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("UNYO_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();

    let result = tauri::Builder::default()
        .setup(move |app| {
            let config_dir = app.path().app_config_dir()?;
            app.manage(state::AppState::load(config_dir, startup));
            app.manage(sessions::SessionRegistry::default());
            app.manage(tunnels::TunnelRegistry::default());
            let data_dir = app.path().app_data_dir()?;
            app.manage(commands::journal::JournalService::open(&data_dir));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::bootstrap,
            commands::app::report_fleet_rendered,
            commands::accounts::list_accounts,
            commands::fleet::list_fleet,
            commands::incident::list_alarms,
            commands::incident::get_metric_series,
            commands::incident::list_log_groups,
            commands::incident::get_log_events,
            commands::incident::run_logs_insights,
            commands::incident::stop_logs_insights,
            commands::incident::alarm_history,
            commands::incident::instance_metrics,
            commands::verify::runbook_guide,
            commands::verify::save_own_checks,
            commands::verify::check_sets,
            commands::change::change_calendar,
            commands::change::change_templates,
            commands::change::preview_change_request,
            commands::change::submit_change_request,
            commands::change::confirm_change,
            commands::cost::automation_history,
            commands::cost::set_automation_history,
            commands::cost::estimate_runbook,
            commands::cost::estimate_execution,
            commands::cost::estimate_logs_insights,
            commands::cost::estimate_run_command,
            commands::cost::estimate_session,
            commands::cost::refresh_prices,
            commands::cost::month_usage,
            commands::verify::preview_verification,
            commands::verify::verify_instance,
            commands::incident::insights_templates,
            commands::incident::lookup_trail_events,
            commands::incident::list_runbooks,
            commands::incident::describe_runbook,
            commands::incident::preview_start_automation,
            commands::incident::start_automation,
            commands::incident::get_automation_execution,
            commands::incident::list_automation_executions,
            commands::incident::preview_send_command,
            commands::incident::send_command,
            commands::incident::get_command,
            commands::incident::list_commands,
            commands::incident::incident_cli,
            commands::incident::account_clock,
            commands::journal::journal_status,
            commands::journal::journal_record,
            commands::journal::journal_update,
            commands::journal::journal_set_cost,
            commands::journal::journal_timeline,
            commands::journal::journal_incidents,
            commands::journal::journal_open_incident,
            commands::journal::journal_close_incident,
            commands::journal::journal_report,
            commands::journal::journal_save_report,
            commands::analysis::journal_update_details,
            commands::analysis::journal_incident,
            commands::analysis::journal_find_incidents,
            commands::analysis::journal_delete_incident,
            commands::analysis::journal_reopen_incident,
            commands::analysis::journal_story,
            commands::analysis::journal_promote,
            commands::analysis::journal_demote,
            commands::analysis::journal_edit_story,
            commands::analysis::journal_review,
            commands::analysis::journal_review_draft,
            commands::analysis::journal_save_review,
            commands::analysis::journal_action_items,
            commands::analysis::journal_add_action_item,
            commands::analysis::journal_update_action_item,
            commands::analysis::journal_delete_action_item,
            commands::analysis::journal_status_update,
            commands::analysis::journal_automation_snippet,
            commands::analysis::journal_export,
            commands::analysis::journal_import,
            commands::ops_center::ops_item_preview,
            commands::ops_center::mirror_to_ops_center,
            commands::readiness::instance_readiness,
            commands::readiness::region_readiness,
            commands::readiness::save_region_readiness,
            commands::readiness::preview_readiness_action,
            commands::readiness::apply_readiness_action,
            commands::profiles::list_profiles,
            commands::profiles::check_identity,
            commands::profiles::known_identities,
            commands::profiles::add_profile,
            commands::profiles::delete_profile,
            commands::profiles::add_sso_session,
            commands::profiles::submit_mfa_code,
            commands::sso::sso_status,
            commands::sso::sso_sign_in,
            commands::sso::sso_wait,
            commands::sso::sso_sign_out,
            commands::sso::sso_account_roles,
            commands::sso::import_sso_roles,
            commands::sessions::open_shell,
            commands::sessions::write_session,
            commands::sessions::resize_session,
            commands::sessions::close_session,
            commands::settings::save_settings,
            commands::tunnels::open_tunnel,
            commands::tunnels::list_tunnels,
            commands::tunnels::close_tunnel,
            commands::tunnels::tunnel_clients,
            commands::tunnels::open_tunnel_client,
            commands::settings::save_account_look,
            commands::windows::window_context,
            commands::windows::choose_context,
            commands::windows::set_window_title,
            commands::windows::open_window,
            commands::lessons::list_scenarios,
            commands::lessons::scenario_detail,
            commands::lessons::start_scenario,
            commands::lessons::reset_practice_account,
            commands::lessons::reset_lesson,
        ])
        .build(tauri::generate_context!());
    match result {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                terminate_sessions(handle);
            }
        }),
        Err(e) => {
            tracing::error!("Unyo could not start: {e}");
            std::process::exit(1);
        }
    }
}

/// Quitting ends every open session and tunnel on the far side too, never leaving one
/// running.
fn terminate_sessions(handle: &tauri::AppHandle) {
    let registry = handle.state::<sessions::SessionRegistry>();
    let tunnels = handle.state::<tunnels::TunnelRegistry>();
    tauri::async_runtime::block_on(async {
        tunnels.stop_all().await;
        for session in registry.all() {
            if let Err(e) = session.terminate().await {
                tracing::warn!(session = session.id(), "could not terminate: {}", e.message);
            }
        }
    });
}
