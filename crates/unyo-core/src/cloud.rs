//! The Cloud port: everything the UI reads from an account goes through [`Cloud`], so the same
//! screens run on a real AWS account (`unyo-aws`) and on the practice account (`unyo-practice`).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::action::unsupported;
use crate::alarms::{Alarm, AlarmQuery, MetricQuery, MetricSeries};
use crate::automation::{AutomationExecution, Runbook, StartAutomationRequest};
use crate::logs::{InsightsQuery, InsightsResult, LogEvent, LogEventsQuery, LogGroup};
use crate::run_command::{CommandExecution, SendCommandRequest};
use crate::session::OpenedShell;
use crate::trail::{TrailEvent, TrailQuery};
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

    /// The account's "now", in seconds since the Unix epoch, which every time range on the
    /// incident screen ends at. A real account lives in real time; the practice account runs
    /// its scenario's own clock.
    fn now(&self) -> i64 {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        i64::try_from(since_epoch).unwrap_or(i64::MAX)
    }

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

    // The incident workflow's reads and changes. Each has a default so an account that cannot
    // serve it yet says so instead of failing to build; changes take a request that can
    // `describe()` itself, so the UI shows the API call and the AWS CLI command first.

    /// CloudWatch alarms (`DescribeAlarms`).
    async fn list_alarms(&self, query: &AlarmQuery) -> Result<Vec<Alarm>, AppError> {
        let _ = query;
        Err(unsupported("listing CloudWatch alarms"))
    }

    /// One metric's datapoints (`GetMetricData`).
    async fn get_metric_series(&self, query: &MetricQuery) -> Result<MetricSeries, AppError> {
        let _ = query;
        Err(unsupported("reading CloudWatch metrics"))
    }

    /// Log groups in a region (`DescribeLogGroups`).
    async fn list_log_groups(&self, region: &str) -> Result<Vec<LogGroup>, AppError> {
        let _ = region;
        Err(unsupported("listing CloudWatch Logs log groups"))
    }

    /// Events of one log group (`FilterLogEvents`), oldest first.
    async fn get_log_events(&self, query: &LogEventsQuery) -> Result<Vec<LogEvent>, AppError> {
        let _ = query;
        Err(unsupported("reading CloudWatch Logs events"))
    }

    /// Runs a Logs Insights query to completion (`StartQuery`, `GetQueryResults`); the text
    /// is checked with [`crate::logs::insights::parse`] first.
    async fn run_logs_insights(&self, query: &InsightsQuery) -> Result<InsightsResult, AppError> {
        let _ = query;
        Err(unsupported("CloudWatch Logs Insights"))
    }

    /// CloudTrail management events, newest first (`LookupEvents`).
    async fn lookup_trail_events(&self, query: &TrailQuery) -> Result<Vec<TrailEvent>, AppError> {
        let _ = query;
        Err(unsupported("CloudTrail event history"))
    }

    /// The Automation runbooks the app offers in a region (`DescribeDocument`).
    async fn list_runbooks(&self, region: &str) -> Result<Vec<Runbook>, AppError> {
        let _ = region;
        Err(unsupported("the Automation runbook catalog"))
    }

    /// Starts a runbook (`StartAutomationExecution`) and returns its execution id.
    async fn start_automation(&self, request: &StartAutomationRequest) -> Result<String, AppError> {
        let _ = request;
        Err(unsupported("starting Automation runbooks"))
    }

    /// An execution and its steps as they are now (`GetAutomationExecution`).
    async fn get_automation_execution(
        &self,
        region: &str,
        execution_id: &str,
    ) -> Result<AutomationExecution, AppError> {
        let _ = (region, execution_id);
        Err(unsupported("reading Automation executions"))
    }

    /// Recent executions, newest first (`DescribeAutomationExecutions`).
    async fn list_automation_executions(
        &self,
        region: &str,
    ) -> Result<Vec<AutomationExecution>, AppError> {
        let _ = region;
        Err(unsupported("listing Automation executions"))
    }

    /// Sends a Run Command (`SendCommand`) and returns its command id.
    async fn send_command(&self, request: &SendCommandRequest) -> Result<String, AppError> {
        let _ = request;
        Err(unsupported("Run Command"))
    }

    /// A command and each instance's status and output (`ListCommandInvocations`).
    async fn get_command(
        &self,
        region: &str,
        command_id: &str,
    ) -> Result<CommandExecution, AppError> {
        let _ = (region, command_id);
        Err(unsupported("reading Run Command results"))
    }

    /// Recent commands, newest first (`ListCommands`).
    async fn list_commands(&self, region: &str) -> Result<Vec<CommandExecution>, AppError> {
        let _ = region;
        Err(unsupported("listing Run Command history"))
    }

    /// The readiness doctor for one instance: whether Session Manager will work on it, each
    /// check with its evidence and fix. Read-only. Facts that cannot be read (a denied call)
    /// make their checks "unknown"; `Err` only when the instance itself cannot be described.
    async fn readiness(
        &self,
        instance_id: &str,
    ) -> Result<crate::readiness::ReadinessReport, AppError> {
        let _ = instance_id;
        Err(unsupported("the readiness doctor"))
    }

    /// The readiness doctor for every instance of a region, with a summary. Read-only.
    async fn region_readiness(
        &self,
        region: &str,
    ) -> Result<crate::readiness::RegionReadiness, AppError> {
        let _ = region;
        Err(unsupported("the readiness doctor"))
    }

    /// Makes one of the doctor's fixes, which the user has confirmed after seeing its
    /// [`describe`](crate::readiness::ReadinessAction::describe). Returns what to follow (a
    /// runbook, a command) before checking again; the checks never call this.
    async fn apply_readiness_action(
        &self,
        action: &crate::readiness::ReadinessAction,
    ) -> Result<crate::readiness::ActionStarted, AppError> {
        let _ = action;
        Err(unsupported("applying the doctor's fixes"))
    }
}
