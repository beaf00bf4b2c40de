//! Shell sessions: open one on an instance, type into it, resize it, close it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use tauri::State;
use tauri::ipc::Channel;
use unyo_core::AppError;
use unyo_core::session::TerminalSize;

use crate::sessions::{SessionEventDto, SessionRegistry};
use crate::state::AppState;

/// Opens a shell and streams its output to `on_event`; returns the session id.
#[tauri::command]
pub async fn open_shell(
    state: State<'_, AppState>,
    registry: State<'_, SessionRegistry>,
    account: String,
    instance_id: String,
    on_event: Channel<SessionEventDto>,
) -> Result<String, AppError> {
    let cloud = state.cloud(&account).await?;
    let opened = cloud.require_sessions()?.open_shell(&instance_id).await?;
    registry.adopt(opened, on_event)
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
