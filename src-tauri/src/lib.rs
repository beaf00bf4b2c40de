//! The Unyo desktop app: builds the Tauri app, registers long-lived state and the commands.
//! Commands are thin adapters over the Unyo crates (see `commands`).

mod commands;
mod dto;
mod state;

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
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::bootstrap,
            commands::app::report_fleet_rendered,
            commands::accounts::list_accounts,
            commands::fleet::list_fleet,
            commands::settings::save_settings,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!("Unyo could not start: {e}");
        std::process::exit(1);
    }
}
