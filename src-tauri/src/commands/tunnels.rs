//! The tunnels panel: forward a local port to an instance (or a host behind it), list the
//! open tunnels, stop one, and open the system's client (browser, SSH, remote desktop) on it.

use std::net::{IpAddr, SocketAddr};

use serde::Deserialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use ts_rs::TS;
use unyo_core::action::shell_quote;
use unyo_core::time::rfc3339;
use unyo_core::tunnel::TunnelTarget;
use unyo_core::{AppError, ErrorCode};

use crate::clients::{self, Client};
use crate::commands::journal::JournalService;
use crate::session_journal::{SessionRecord, SessionWhat, windows_of};
use crate::state::AppState;
use crate::tunnels::{TunnelInfo, TunnelRegistry, TunnelUpdate};

/// What the user asks for in the panel.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TunnelRequest {
    pub target: TunnelTarget,
    /// `127.0.0.1` unless the user chose otherwise (the panel warns first).
    pub bind_address: String,
    /// 0 lets the system choose a free port.
    pub local_port: u16,
    /// The instance's region, when the panel knows it, for the incident's record.
    #[serde(default)]
    #[ts(optional)]
    pub region: Option<String>,
}

/// Opens a tunnel; it (or its refusal) goes on the account's open incident, and its end when
/// it closes.
#[tauri::command]
#[allow(
    clippy::too_many_arguments,
    reason = "a Tauri command takes its state as arguments"
)]
pub async fn open_tunnel(
    app: AppHandle,
    state: State<'_, AppState>,
    registry: State<'_, TunnelRegistry>,
    journal: State<'_, JournalService>,
    account: String,
    request: TunnelRequest,
    on_status: Channel<TunnelUpdate>,
) -> Result<TunnelInfo, AppError> {
    let ip: IpAddr = request.bind_address.trim().parse().map_err(|_| {
        AppError::invalid_input(format!(
            "`{}` is not an IP address to listen on (e.g. 127.0.0.1)",
            request.bind_address
        ))
    })?;
    let cloud = state.cloud(&account).await?;
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(ip, request.local_port))
        .await
        .map_err(|e| {
            AppError::invalid_input(format!(
                "cannot listen on {ip}:{}: {e}; choose another local port (0 picks a free one)",
                request.local_port
            ))
        })?;
    let local = listener
        .local_addr()
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
    let region = request.region.clone().unwrap_or_default();
    let (document, parameters) = forwarding(&request.target, local.port());
    let where_ = if region.is_empty() {
        String::new()
    } else {
        format!(" --region {}", shell_quote(&region))
    };
    let what = SessionWhat {
        account: account.clone(),
        at: rfc3339(cloud.now()),
        title: format!("Port forward {local} → {}", request.target.describe()),
        cli: format!(
            "aws ssm start-session --target {} --document-name {document} --parameters {}{where_}",
            shell_quote(&request.target.instance_id),
            shell_quote(&parameters)
        ),
        region,
    };
    let opened = match cloud
        .require_sessions()?
        .open_tunnel(&request.target, listener)
        .await
    {
        Ok(opened) => opened,
        Err(error) => {
            SessionRecord::refused(&windows_of(&app), &journal, what, &error).await;
            return Err(error);
        }
    };
    let record = SessionRecord::opened(
        windows_of(&app),
        &journal,
        what,
        format!("listening on {local}"),
    )
    .await;
    let info = registry.adopt(account, request.target, local, opened, on_status, record)?;
    tracing::info!(tunnel = info.id, local = info.local_address, target = %info.target.describe(), "tunnel opened");
    Ok(info)
}

#[tauri::command]
pub fn list_tunnels(registry: State<'_, TunnelRegistry>) -> Vec<TunnelInfo> {
    registry.list()
}

/// Stops the tunnel; its session on the far side ends too.
#[tauri::command]
pub async fn close_tunnel(registry: State<'_, TunnelRegistry>, id: String) -> Result<(), AppError> {
    registry.stop(&id).await
}

/// Which clients this computer has for a tunnel, so the panel offers only those.
#[tauri::command]
pub fn tunnel_clients() -> Vec<Client> {
    clients::available()
}

#[tauri::command]
pub fn open_tunnel_client(
    registry: State<'_, TunnelRegistry>,
    id: String,
    client: Client,
) -> Result<(), AppError> {
    let info = registry.info(&id)?;
    clients::launch(client, &info.local_address)
}

/// The Session Manager document and parameters the AWS CLI would use for `target`, as the
/// incident's record shows them.
fn forwarding(target: &TunnelTarget, local_port: u16) -> (&'static str, String) {
    match &target.remote_host {
        Some(host) => (
            "AWS-StartPortForwardingSessionToRemoteHost",
            format!(
                "host={host},portNumber={},localPortNumber={local_port}",
                target.remote_port
            ),
        ),
        None => (
            "AWS-StartPortForwardingSession",
            format!(
                "portNumber={},localPortNumber={local_port}",
                target.remote_port
            ),
        ),
    }
}
