//! Shell sessions: open one on an instance, type into it, resize it, close it; each is
//! recorded on the account's open incident.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use unyo_core::AppError;
use unyo_core::action::shell_quote;
use unyo_core::session::TerminalSize;
use unyo_core::time::rfc3339;

use crate::commands::journal::JournalService;
use crate::session_journal::{SessionRecord, SessionWhat, windows_of};
use crate::sessions::{SessionEventDto, SessionRegistry};
use crate::state::AppState;

/// Opens a shell and streams its output to `on_event`; returns the session id. The shell,
/// or its refusal, goes on the account's open incident, and its end when it ends.
#[tauri::command]
#[allow(
    clippy::too_many_arguments,
    reason = "a Tauri command takes its state as arguments"
)]
pub async fn open_shell(
    app: AppHandle,
    state: State<'_, AppState>,
    registry: State<'_, SessionRegistry>,
    journal: State<'_, JournalService>,
    account: String,
    instance_id: String,
    region: Option<String>,
    on_event: Channel<SessionEventDto>,
) -> Result<String, AppError> {
    let cloud = state.cloud(&account).await?;
    let region = region.unwrap_or_default();
    let where_ = if region.is_empty() {
        String::new()
    } else {
        format!(" --region {}", shell_quote(&region))
    };
    let what = SessionWhat {
        account,
        at: rfc3339(cloud.now()),
        title: format!("Session Manager shell → {instance_id}"),
        cli: format!(
            "aws ssm start-session --target {}{where_}",
            shell_quote(&instance_id)
        ),
        region,
    };
    match cloud.require_sessions()?.open_shell(&instance_id).await {
        Ok(opened) => {
            let session_id = opened.session.id().to_owned();
            let notify = windows_of(&app);
            let record =
                SessionRecord::opened(notify, &journal, what, format!("session {session_id}"))
                    .await;
            registry.adopt(opened, on_event, record)
        }
        Err(error) => {
            SessionRecord::refused(&windows_of(&app), &journal, what, &error).await;
            Err(error)
        }
    }
}

/// Sends keystrokes or pasted text, base64-encoded.
#[tauri::command]
pub async fn write_session(
    registry: State<'_, SessionRegistry>,
    id: String,
    data: String,
) -> Result<(), AppError> {
    let bytes = STANDARD
        .decode(data)
        .map_err(|e| AppError::invalid_input(format!("session input is not base64: {e}")))?;
    registry.get(&id)?.write(&bytes).await
}

#[tauri::command]
pub async fn resize_session(
    registry: State<'_, SessionRegistry>,
    id: String,
    size: TerminalSize,
) -> Result<(), AppError> {
    registry.get(&id)?.resize(size).await
}

/// Terminates the session; closing a tab always ends it on the far side too.
#[tauri::command]
pub async fn close_session(
    registry: State<'_, SessionRegistry>,
    id: String,
) -> Result<(), AppError> {
    registry.get(&id)?.terminate().await
}
