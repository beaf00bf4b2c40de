//! The Cloud port: everything the screens read from or do to an account goes through
//! [`Cloud`], so the same screens run on a real AWS account (`unyo-aws`) and on the practice
//! account (`unyo-practice`).
//!
//! An account offers capabilities, each a small trait with no default bodies ([`Fleet`],
//! [`Sessions`], [`Metrics`], [`Logs`], [`Trail`], [`Automation`], [`RunCommand`],
//! [`Readiness`], [`Remediation`], [`ChangeControl`], [`Billing`]). [`Cloud`] hands out the ones an account has and `None`
//! for the others, so an adapter that forgets part of a capability does not compile, and the
//! UI learns from [`AccountContext::capabilities`] what to show before it asks for anything.

mod account_id;
mod capability;
mod default_credentials;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::alarms::{Alarm, AlarmHistoryItem, AlarmQuery, MetricId, MetricQuery, MetricSeries};
use crate::automation::{AutomationExecution, Runbook, StartAutomationRequest};
use crate::change::{CalendarState, ChangeRequest};
use crate::logs::{InsightsProgress, InsightsQuery, LogEvent, LogEventsQuery, LogGroup};
use crate::readiness::ReadinessFacts;
use crate::run_command::{CommandExecution, SendCommandRequest};
use crate::session::OpenedShell;
use crate::trail::{TrailEvent, TrailQuery};
use crate::tunnel::{OpenedTunnel, TunnelTarget};
use crate::{AppError, FleetScope, FleetSnapshot};

pub use account_id::AccountId;
pub use capability::{Capability, capabilities_of};
pub use default_credentials::DefaultCredentials;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AccountKind {
    /// The simulated account: no network, no credentials, nothing costs money.
    Practice,
    /// A profile from the user's AWS config or credentials files, or the SDK's default
    /// credentials (environment, container or instance role) when no profile is named.
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
    /// What this account can do, in [`Capability`] order; the screens show or explain each
    /// tool from this without asking the account first.
    pub capabilities: Vec<Capability>,
}

/// One account. Implementations own their clients and caches; callers hold them behind
/// `Arc<dyn Cloud>` and never learn which implementation they have.
pub trait Cloud: Send + Sync {
    fn account(&self) -> &AccountContext;

    /// The account's "now", in seconds since the Unix epoch, which every time range on the
    /// incident screen ends at. A real account lives in real time; the practice account runs
    /// its scenario's own clock.
    fn now(&self) -> i64 {
        crate::time::now_unix()
    }

    fn fleet(&self) -> Option<&dyn Fleet>;
    fn sessions(&self) -> Option<&dyn Sessions>;
    fn metrics(&self) -> Option<&dyn Metrics>;
    fn logs(&self) -> Option<&dyn Logs>;
    fn trail(&self) -> Option<&dyn Trail>;
    fn automation(&self) -> Option<&dyn Automation>;
    fn run_command(&self) -> Option<&dyn RunCommand>;
    fn readiness(&self) -> Option<&dyn Readiness>;
    fn remediation(&self) -> Option<&dyn Remediation>;
    fn change_control(&self) -> Option<&dyn ChangeControl>;
    fn billing(&self) -> Option<&dyn Billing>;
    fn ops_center(&self) -> Option<&dyn OpsCenter>;
}

/// Listing instances.
#[async_trait]
pub trait Fleet: Send + Sync {
    /// Lists the instances in `scope`. A region that fails is reported in
    /// [`FleetSnapshot::failures`] while the other regions still list; `Err` is for a request
    /// that cannot be served at all (such as an unknown region code).
    async fn list_fleet(&self, scope: &FleetScope) -> Result<FleetSnapshot, AppError>;
}

/// Session Manager: shells and port forwarding.
#[async_trait]
pub trait Sessions: Send + Sync {
    /// Opens an interactive shell on an instance, as Session Manager's
    /// `SSM-SessionManagerRunShell` does. Fails with `TargetNotConnected` when the instance's
    /// agent cannot be reached, with the reason in the message.
    async fn open_shell(&self, instance_id: &str) -> Result<OpenedShell, AppError>;

    /// Forwards the connections `listener` accepts to `target` until stopped.
    async fn open_tunnel(
        &self,
        target: &TunnelTarget,
        listener: tokio::net::TcpListener,
    ) -> Result<OpenedTunnel, AppError>;
}

/// CloudWatch alarms and metrics (Triage).
#[async_trait]
pub trait Metrics: Send + Sync {
    /// Metric and composite alarms (`DescribeAlarms`, every page), in alarm first.
    async fn list_alarms(&self, query: &AlarmQuery) -> Result<Vec<Alarm>, AppError>;

    /// An alarm's state changes, newest first (`DescribeAlarmHistory`), for "since when".
    async fn alarm_history(
        &self,
        region: &str,
        alarm_name: &str,
    ) -> Result<Vec<AlarmHistoryItem>, AppError>;

    /// One metric's datapoints (`GetMetricData`).
    async fn get_metric_series(&self, query: &MetricQuery) -> Result<MetricSeries, AppError>;

    /// The metrics that exist with `dimension` in `namespace` (`ListMetrics`), such as the
    /// CloudWatch agent's memory and disk of one instance.
    async fn list_metrics(
        &self,
        region: &str,
        namespace: &str,
        dimension: &crate::alarms::Dimension,
    ) -> Result<Vec<MetricId>, AppError>;

    /// How many custom metrics the region holds (`ListMetrics`, every page, namespaces outside
    /// `AWS/`): CloudWatch bills each per metric-month past the free ten.
    async fn count_custom_metrics(&self, region: &str) -> Result<u64, AppError>;

    /// How many dashboards the account has (`ListDashboards`, every page): billed per
    /// dashboard-month past the free three.
    async fn count_dashboards(&self, region: &str) -> Result<u64, AppError>;
}

/// CloudWatch Logs and Logs Insights (Diagnosis).
#[async_trait]
pub trait Logs: Send + Sync {
    /// Every log group of a region (`DescribeLogGroups`, every page).
    async fn list_log_groups(&self, region: &str) -> Result<Vec<LogGroup>, AppError>;

    /// Events of one log group (`FilterLogEvents`), oldest first.
    async fn get_log_events(&self, query: &LogEventsQuery) -> Result<Vec<LogEvent>, AppError>;

    /// Starts a Logs Insights query (`StartQuery`) and returns its id. AWS judges the text
    /// itself (its message comes back as `InvalidInput`); the practice account runs the
    /// subset [`crate::logs::insights::parse`] knows.
    async fn start_insights(&self, query: &InsightsQuery) -> Result<String, AppError>;

    /// The query's status and the rows so far (`GetQueryResults`); while it runs the rows are
    /// partial, and the statistics grow.
    async fn insights_results(
        &self,
        region: &str,
        query_id: &str,
    ) -> Result<InsightsProgress, AppError>;

    /// Stops a running query (`StopQuery`); a query that has ended already is not an error.
    async fn stop_insights(&self, region: &str, query_id: &str) -> Result<(), AppError>;
}

/// CloudTrail's event history (Diagnosis: what changed).
#[async_trait]
pub trait Trail: Send + Sync {
    /// Management events, newest first (`LookupEvents`, every page up to the query's limit).
    async fn lookup_trail_events(&self, query: &TrailQuery) -> Result<Vec<TrailEvent>, AppError>;
}

/// Systems Manager Automation (Recovery).
#[async_trait]
pub trait Automation: Send + Sync {
    /// The Automation runbooks of a region (`ListDocuments`: Amazon's and the account's own),
    /// without their parameters.
    async fn list_runbooks(&self, region: &str) -> Result<Vec<Runbook>, AppError>;

    /// One runbook with its parameters and steps (`DescribeDocument`, `GetDocument`), for the
    /// run form.
    async fn describe_runbook(&self, region: &str, name: &str) -> Result<Runbook, AppError>;

    /// Starts a runbook (`StartAutomationExecution`) and returns its execution id.
    async fn start_automation(&self, request: &StartAutomationRequest) -> Result<String, AppError>;

    /// An execution and its steps as they are now (`GetAutomationExecution`).
    async fn get_automation_execution(
        &self,
        region: &str,
        execution_id: &str,
    ) -> Result<AutomationExecution, AppError>;

    /// Recent executions, newest first (`DescribeAutomationExecutions`), without steps.
    async fn list_automation_executions(
        &self,
        region: &str,
    ) -> Result<Vec<AutomationExecution>, AppError>;
}

/// Change Calendar and Change Manager: whether changes are allowed now, and runbooks run
/// only once approved.
#[async_trait]
pub trait ChangeControl: Send + Sync {
    /// The state of the region's Change Calendars together (`ListDocuments` for
    /// `ChangeCalendar` documents, then `GetCalendarState`); `None` when the account has no
    /// calendar in the region.
    async fn calendar_state(&self, region: &str) -> Result<Option<CalendarState>, AppError>;

    /// The change templates a change request can be submitted from (`ListDocuments` for
    /// `Automation.ChangeTemplate` documents); empty when the account has none, as every
    /// account new to Change Manager since 7 November 2025 does.
    async fn change_templates(&self, region: &str) -> Result<Vec<String>, AppError>;

    /// Submits a runbook as a change request (`StartChangeRequestExecution`) and returns its
    /// execution id, which [`Automation::get_automation_execution`] follows through approval
    /// and the run.
    async fn submit_change_request(&self, request: &ChangeRequest) -> Result<String, AppError>;
}

/// OpsCenter: an incident mirrored as an OpsItem, so a team can see it in AWS.
#[async_trait]
pub trait OpsCenter: Send + Sync {
    /// Creates the OpsItem (`CreateOpsItem`) and returns its id.
    async fn create_ops_item(
        &self,
        request: &crate::ops_item::OpsItemRequest,
    ) -> Result<String, AppError>;
}

/// What AWS says about prices and the account's free tier, asked with the account's
/// credentials: the Price List (`pricing:GetProducts`) and Free Tier usage
/// (`freetier:GetFreeTierUsage`).
#[async_trait]
pub trait Billing: Send + Sync {
    /// Every product document of `service_codes` in `region`, as `GetProducts` returns them
    /// (JSON strings), all pages.
    async fn price_documents(
        &self,
        region: &str,
        service_codes: &[&str],
    ) -> Result<Vec<String>, AppError>;

    /// AWS's own count of the account's free-tier use this month, with its forecast, for
    /// every offer (all pages).
    async fn free_tier_usage(&self) -> Result<Vec<FreeTierUsage>, AppError>;
}

/// One free-tier offer's use this month, as AWS counts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FreeTierUsage {
    /// The service, as AWS names it (`AmazonCloudWatch`, `AWS Systems Manager`...).
    pub service: String,
    pub usage_type: String,
    pub region: Option<String>,
    pub description: String,
    pub unit: String,
    pub used: f64,
    /// What AWS forecasts for the whole month.
    pub forecast: f64,
    pub limit: f64,
    /// `Always Free`, `12 Months Free`...
    pub offer: String,
}

/// Run Command (Mitigation).
#[async_trait]
pub trait RunCommand: Send + Sync {
    /// Sends a command (`SendCommand`) and returns its command id.
    async fn send_command(&self, request: &SendCommandRequest) -> Result<String, AppError>;

    /// A command and each instance's status and output (`ListCommandInvocations`).
    async fn get_command(
        &self,
        region: &str,
        command_id: &str,
    ) -> Result<CommandExecution, AppError>;

    /// Recent commands, newest first (`ListCommands`), without their invocations.
    async fn list_commands(&self, region: &str) -> Result<Vec<CommandExecution>, AppError>;
}

/// The facts the readiness doctor judges ([`crate::readiness::doctor`] does the judging).
#[async_trait]
pub trait Readiness: Send + Sync {
    /// The facts about one instance. Facts that cannot be read (a denied call) are unknown
    /// with the reason; `Err` only when the instance itself cannot be described.
    async fn instance_facts(&self, instance_id: &str) -> Result<ReadinessFacts, AppError>;

    /// The facts about every instance of a region (terminated ones left out).
    async fn region_facts(&self, region: &str) -> Result<Vec<ReadinessFacts>, AppError>;
}

/// The changes the readiness doctor's fixes make beside runbooks and commands.
#[async_trait]
pub trait Remediation: Send + Sync {
    /// Turns on Default Host Management for a region (`UpdateServiceSetting`).
    async fn enable_default_host_management(&self, region: &str) -> Result<(), AppError>;

    /// Lets a security group reach `cidr` on TCP 443 (`AuthorizeSecurityGroupEgress`); a rule
    /// that is there already counts as done.
    async fn allow_https_egress(
        &self,
        region: &str,
        group_id: &str,
        cidr: &str,
    ) -> Result<(), AppError>;
}

impl dyn Cloud + '_ {
    pub fn require_fleet(&self) -> Result<&dyn Fleet, AppError> {
        self.fleet().ok_or_else(|| self.lacks(Capability::Fleet))
    }
    pub fn require_sessions(&self) -> Result<&dyn Sessions, AppError> {
        self.sessions()
            .ok_or_else(|| self.lacks(Capability::Sessions))
    }
    pub fn require_metrics(&self) -> Result<&dyn Metrics, AppError> {
        self.metrics()
            .ok_or_else(|| self.lacks(Capability::Metrics))
    }
    pub fn require_logs(&self) -> Result<&dyn Logs, AppError> {
        self.logs().ok_or_else(|| self.lacks(Capability::Logs))
    }
    pub fn require_trail(&self) -> Result<&dyn Trail, AppError> {
        self.trail().ok_or_else(|| self.lacks(Capability::Trail))
    }
    pub fn require_automation(&self) -> Result<&dyn Automation, AppError> {
        self.automation()
            .ok_or_else(|| self.lacks(Capability::Automation))
    }
    pub fn require_run_command(&self) -> Result<&dyn RunCommand, AppError> {
        self.run_command()
            .ok_or_else(|| self.lacks(Capability::RunCommand))
    }
    pub fn require_readiness(&self) -> Result<&dyn Readiness, AppError> {
        self.readiness()
            .ok_or_else(|| self.lacks(Capability::Readiness))
    }
    pub fn require_remediation(&self) -> Result<&dyn Remediation, AppError> {
        self.remediation()
            .ok_or_else(|| self.lacks(Capability::Remediation))
    }
    pub fn require_billing(&self) -> Result<&dyn Billing, AppError> {
        self.billing()
            .ok_or_else(|| self.lacks(Capability::Billing))
    }
    pub fn require_ops_center(&self) -> Result<&dyn OpsCenter, AppError> {
        self.ops_center()
            .ok_or_else(|| self.lacks(Capability::OpsCenter))
    }
    pub fn require_change_control(&self) -> Result<&dyn ChangeControl, AppError> {
        self.change_control()
            .ok_or_else(|| self.lacks(Capability::ChangeControl))
    }

    fn lacks(&self, capability: Capability) -> AppError {
        AppError::new(
            crate::ErrorCode::Unsupported,
            format!(
                "{} is not available for the account {}",
                capability.describe(),
                self.account().id
            ),
        )
    }
}
