//! The Cloud port: everything the UI reads from an account goes through [`Cloud`], so the same
//! screens run on a real AWS account (`unyo-aws`) and on the practice account (`unyo-practice`).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::session::OpenedShell;
use crate::tunnel::{OpenedTunnel, TunnelTarget};
use crate::{AppError, FleetScope, FleetSnapshot};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AccountKind {
    /// The simulated account: no network, no credentials, nothing costs money.
    Practice,
    /// A profile from the user's AWS config or credentials files.
    Profile,
}

/// What a window is connected to; shown in the window chrome at all times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountContext {
    /// Stable id used across IPC and settings: `practice` or `profile:<name>`.
    pub id: String,
    pub kind: AccountKind,
    /// The 12-digit account id when known.
    pub account_id: Option<String>,
    /// Region codes offered in the region selector, most used first.
    pub regions: Vec<String>,
    pub default_region: Option<String>,
}

/// Read access to one account. Implementations own their clients and caches; callers hold
/// them behind `Arc<dyn Cloud>` and never learn which implementation they have.
#[async_trait]
pub trait Cloud: Send + Sync {
    fn account(&self) -> &AccountContext;

    /// Lists the instances in `scope`. A region that fails is reported in
    /// [`FleetSnapshot::failures`] while the other regions still list; `Err` is for a request
    /// that cannot be served at all (such as an unknown region code).
    async fn list_fleet(&self, scope: &FleetScope) -> Result<FleetSnapshot, AppError>;

    /// Opens an interactive shell on an instance, as Session Manager's
    /// `SSM-SessionManagerRunShell` does. Fails with `TargetNotConnected` when the instance's
    /// agent cannot be reached, with the reason in the message.
    async fn open_shell(&self, instance_id: &str) -> Result<OpenedShell, AppError>;

    /// Forwards the connections `listener` accepts to `target` until stopped. An account that
    /// cannot forward ports says so.
    async fn open_tunnel(
        &self,
        target: &TunnelTarget,
        listener: tokio::net::TcpListener,
    ) -> Result<OpenedTunnel, AppError> {
        drop(listener);
        Err(AppError::new(
            crate::ErrorCode::Unsupported,
            format!(
                "port forwarding to {} is not available for this account in this version",
                target.describe()
            ),
        ))
    }
}
