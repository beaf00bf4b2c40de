//! Saving the user's settings: the Settings screen's preferences and each account's look.
//!
//! Every command here is synchronous on purpose: Tauri runs synchronous commands one at a
//! time on the main thread, so the read-modify-write in [`update`] cannot interleave with
//! another window's.

use std::collections::BTreeMap;

use tauri::{AppHandle, Emitter, State};
use unyo_core::AppError;
use unyo_core::settings::{self, AccountLook, Settings};

use crate::state::AppState;

/// The event every window hears when an account's look changes, with all the looks.
const LOOKS_CHANGED: &str = "account-looks-changed";

/// Saves the preferences the Settings screen edits (language and theme). The rest of the file
/// has its own commands, so a window's stale copy of it never overwrites another window's.
#[tauri::command]
pub fn save_settings(state: State<'_, AppState>, settings: Settings) -> Result<(), AppError> {
    update(&state, |current| {
        current.language = settings.language;
        current.theme = settings.theme;
    })
    .map(drop)
}

/// Sets an account's alias and colour and tells every window, whose chrome shows them.
#[tauri::command]
pub fn save_account_look(
    app: AppHandle,
    state: State<'_, AppState>,
    account: String,
    look: AccountLook,
) -> Result<AccountLook, AppError> {
    settings::check_account_id(&account)?;
    let look = AccountLook::validated(&look.alias, look.colour)?;
    let saved = update(&state, |current| current.set_look(&account, look.clone()))?;
    let looks: &BTreeMap<String, AccountLook> = &saved.accounts;
    if let Err(e) = app.emit(LOOKS_CHANGED, looks) {
        tracing::warn!("other windows not told of the new look: {e}");
    }
    Ok(look)
}

/// Changes the stored settings and saves them; only for synchronous commands (see above).
pub(crate) fn update(
    state: &AppState,
    change: impl FnOnce(&mut Settings),
) -> Result<Settings, AppError> {
    let mut next = state.settings()?;
    change(&mut next);
    state.save_settings(next.clone())?;
    Ok(next)
}
