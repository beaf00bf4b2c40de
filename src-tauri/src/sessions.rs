//! Open shell sessions, by id, so input, resize and close calls find theirs; and the task per
//! session that forwards its output to the UI's channel.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use tauri::ipc::Channel;
use ts_rs::TS;
use unyo_core::session::{OpenedShell, SessionEnd, SessionEndReason, SessionEvent, ShellSession};
use unyo_core::{AppError, ErrorCode};
use unyo_journal::JournalOutcome;

use crate::session_journal::SessionRecord;

/// A session event as the terminal receives it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
#[ts(export)]
pub enum SessionEventDto {
    /// Bytes for the terminal, base64-encoded (they need not be UTF-8).
    Output {
        data: String,
    },
    /// The connection dropped; the session is being resumed until `givesUpInSeconds` pass.
    Reconnecting {
        cause: String,
        gives_up_in_seconds: u32,
    },
    Reconnected,
    Closed {
        end: SessionEnd,
    },
}

#[derive(Debug, Clone, Default)]
pub struct SessionRegistry {
    open: Arc<Mutex<HashMap<String, Arc<dyn ShellSession>>>>,
}

fn lock_error() -> AppError {
    AppError::new(ErrorCode::Internal, "session registry unavailable")
}

impl SessionRegistry {
    /// Registers a new session and forwards its events to `channel` until it ends.
    pub fn adopt(
        &self,
        opened: OpenedShell,
        channel: Channel<SessionEventDto>,
        record: SessionRecord,
    ) -> Result<String, AppError> {
        let OpenedShell {
            session,
            mut events,
        } = opened;
        let id = session.id().to_owned();
        self.open
            .lock()
            .map_err(|_| lock_error())?
            .insert(id.clone(), session);
        let registry = self.clone();
        let forwarded_id = id.clone();
        tauri::async_runtime::spawn(async move {
            let mut end = None;
            while let Some(event) = events.recv().await {
                let (dto, ended) = match event {
                    SessionEvent::Output(bytes) => (
                        SessionEventDto::Output {
                            data: STANDARD.encode(bytes),
                        },
                        false,
                    ),
                    SessionEvent::Reconnecting {
                        cause,
                        gives_up_in_seconds,
                    } => (
                        SessionEventDto::Reconnecting {
                            cause,
                            gives_up_in_seconds,
                        },
                        false,
                    ),
                    SessionEvent::Reconnected => (SessionEventDto::Reconnected, false),
                    SessionEvent::Closed(closed) => {
                        end = Some(closed.clone());
                        (SessionEventDto::Closed { end: closed }, true)
                    }
                };
                if channel.send(dto).is_err() {
                    tracing::warn!(session = %forwarded_id, "the window stopped listening to a session");
                }
                if ended {
                    break;
                }
            }
            registry.forget(&forwarded_id);
            // Without an end from the session, how it went is not known.
            let outcome = if end.is_some() {
                JournalOutcome::Success
            } else {
                JournalOutcome::Unknown
            };
            let how = match end {
                Some(SessionEnd {
                    reason: SessionEndReason::Exited,
                    exit_code: Some(code),
                }) => format!("the shell exited with status {code}"),
                Some(SessionEnd {
                    reason: SessionEndReason::Exited,
                    exit_code: None,
                }) => "the shell exited".to_owned(),
                Some(SessionEnd {
                    reason: SessionEndReason::Terminated,
                    ..
                }) => "closed and terminated".to_owned(),
                None => "the session's events stopped".to_owned(),
            };
            record.ended(outcome, &how).await;
        });
        Ok(id)
    }

    pub fn get(&self, id: &str) -> Result<Arc<dyn ShellSession>, AppError> {
        self.open
            .lock()
            .map_err(|_| lock_error())?
            .get(id)
            .cloned()
            .ok_or_else(|| AppError::invalid_input(format!("no open session {id}")))
    }

    fn forget(&self, id: &str) {
        if let Ok(mut open) = self.open.lock() {
            open.remove(id);
        }
    }

    /// Every open session, so the app can terminate them all when it quits.
    pub fn all(&self) -> Vec<Arc<dyn ShellSession>> {
        self.open
            .lock()
            .map(|open| open.values().cloned().collect())
            .unwrap_or_default()
    }
}
