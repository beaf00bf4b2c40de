//! Open tunnels, by id, so the panel can list and stop them; and the task per tunnel that
//! forwards its status to the UI's channel.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tauri::ipc::Channel;
use ts_rs::TS;
use unyo_core::tunnel::{OpenedTunnel, TunnelControl, TunnelState, TunnelStatus, TunnelTarget};
use unyo_core::{AppError, ErrorCode};
use unyo_journal::JournalOutcome;

use crate::session_journal::SessionRecord;

/// A tunnel as the panel lists it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TunnelInfo {
    pub id: String,
    pub account: String,
    pub target: TunnelTarget,
    /// `address:port` the local clients connect to.
    pub local_address: String,
    /// Whether the listener accepts connections from other machines (not loopback).
    pub exposed: bool,
}

/// A status change of one tunnel, as the panel receives it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TunnelUpdate {
    pub id: String,
    pub status: TunnelStatus,
}

#[derive(Debug)]
struct Entry {
    info: TunnelInfo,
    control: Arc<dyn TunnelControl>,
}

#[derive(Debug, Clone, Default)]
pub struct TunnelRegistry {
    open: Arc<Mutex<BTreeMap<String, Entry>>>,
    opened: Arc<AtomicU64>,
}

fn lock_error() -> AppError {
    AppError::new(ErrorCode::Internal, "tunnel registry unavailable")
}

impl TunnelRegistry {
    /// Registers a new tunnel and forwards its status to `channel` until it closes.
    pub fn adopt(
        &self,
        account: String,
        target: TunnelTarget,
        local: std::net::SocketAddr,
        opened: OpenedTunnel,
        channel: Channel<TunnelUpdate>,
        record: SessionRecord,
    ) -> Result<TunnelInfo, AppError> {
        let n = self.opened.fetch_add(1, Ordering::SeqCst) + 1;
        let info = TunnelInfo {
            id: format!("tunnel-{n}"),
            account,
            target,
            local_address: local.to_string(),
            exposed: !local.ip().is_loopback(),
        };
        let OpenedTunnel {
            control,
            mut status,
        } = opened;
        self.open.lock().map_err(|_| lock_error())?.insert(
            info.id.clone(),
            Entry {
                info: info.clone(),
                control: Arc::from(control),
            },
        );
        let registry = self.clone();
        let id = info.id.clone();
        tauri::async_runtime::spawn(async move {
            let mut how = "the tunnel's status stopped".to_owned();
            loop {
                let current = status.borrow_and_update().clone();
                let closed = matches!(current.state, TunnelState::Closed { .. });
                if let TunnelState::Closed { reason } = &current.state {
                    how = format!(
                        "closed ({reason}; {} connection(s), {} bytes out, {} bytes in)",
                        current.connections_total, current.bytes_out, current.bytes_in
                    );
                }
                let update = TunnelUpdate {
                    id: id.clone(),
                    status: current,
                };
                if channel.send(update).is_err() {
                    tracing::warn!(tunnel = %id, "the window stopped listening to a tunnel");
                }
                if closed || status.changed().await.is_err() {
                    break;
                }
            }
            registry.forget(&id);
            record.ended(JournalOutcome::Success, &how).await;
        });
        Ok(info)
    }

    pub fn list(&self) -> Vec<TunnelInfo> {
        self.open
            .lock()
            .map(|open| open.values().map(|e| e.info.clone()).collect())
            .unwrap_or_default()
    }

    pub fn info(&self, id: &str) -> Result<TunnelInfo, AppError> {
        self.open
            .lock()
            .map_err(|_| lock_error())?
            .get(id)
            .map(|e| e.info.clone())
            .ok_or_else(|| AppError::invalid_input(format!("no open tunnel {id}")))
    }

    pub async fn stop(&self, id: &str) -> Result<(), AppError> {
        let control = self
            .open
            .lock()
            .map_err(|_| lock_error())?
            .get(id)
            .map(|e| e.control.clone())
            .ok_or_else(|| AppError::invalid_input(format!("no open tunnel {id}")))?;
        control.stop().await
    }

    /// Stops every tunnel, when the app quits.
    pub async fn stop_all(&self) {
        let controls: Vec<_> = self
            .open
            .lock()
            .map(|open| open.values().map(|e| e.control.clone()).collect())
            .unwrap_or_default();
        for control in controls {
            if let Err(e) = control.stop().await {
                tracing::warn!("could not stop a tunnel: {}", e.message);
            }
        }
    }

    fn forget(&self, id: &str) {
        if let Ok(mut open) = self.open.lock() {
            open.remove(id);
        }
    }
}
