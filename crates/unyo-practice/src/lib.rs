//! The practice account: a simulated AWS account that needs no network and no credentials.
//! It is the default when no AWS profile exists and the base of lessons and UI tests, so its
//! data is deterministic: the same instances, ids and addresses on every start.
//!
//! Each simulated instance can have a [`host::Host`] (files and services) that the practice
//! [`shell::PracticeShell`] reads and changes, so a session's fix is a fix a lesson can verify.
//! Beside the fleet it has alarms over metrics drawn from the hosts, log groups, CloudTrail,
//! Automation runbooks that progress step by step, and Run Command through the same shell;
//! and scenarios that break one thing each, with hints, checks and a debrief
//! ([`PracticeCloud::scenarios`], [`PracticeCloud::start_scenario`]). Time comes from a
//! [`clock::Clock`] passed in, so the same calls give the same account every run.
//!
//! Non-goals: imitating AWS latency or pagination; the UI shows it with a "Practice" badge.

mod account;
mod automation;
mod baseline;
pub mod clock;
mod doctor_fixes;
mod history;
pub mod host;
mod lessons;
mod logs;
mod metrics;
pub mod network;
mod regions;
mod run_command;
mod scenarios;
mod session;
pub mod shell;
mod tunnel;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use unyo_core::alarms::{
    Alarm, AlarmHistoryItem, AlarmQuery, Dimension, MetricId, MetricQuery, MetricSeries,
};
use unyo_core::automation::{AutomationExecution, Runbook, StartAutomationRequest};
use unyo_core::cloud::{
    Automation, Billing, ChangeControl, Fleet, Logs, Metrics, OpsCenter, Readiness, Remediation,
    RunCommand, Sessions, Trail, capabilities_of,
};
use unyo_core::logs::{InsightsProgress, InsightsQuery, LogEvent, LogEventsQuery, LogGroup};
use unyo_core::readiness::ReadinessFacts;
use unyo_core::run_command::{CommandExecution, SendCommandRequest};
use unyo_core::session::OpenedShell;
use unyo_core::trail::{TrailEvent, TrailQuery};
use unyo_core::tunnel::{OpenedTunnel, TunnelTarget};
use unyo_core::{AccountContext, AccountKind, AppError, Cloud, FleetScope, FleetSnapshot};

use crate::clock::Clock;
pub use crate::scenarios::{EgressRule, NOT_MANAGED_SECURITY_GROUP};

/// The simulated account id, from the range AWS documentation uses for examples.
pub const ACCOUNT_ID: &str = "123456789012";
/// Stable id of the practice account across IPC, settings and the CLI.
pub const ACCOUNT_KEY: &str = "practice";
/// The regions the practice account has instances in, most used first.
pub const REGIONS: [&str; 2] = ["ap-northeast-1", "us-east-1"];

#[derive(Debug)]
pub struct PracticeCloud {
    account: AccountContext,
    hosts: session::Hosts,
    /// Numbers sessions, so their ids are deterministic.
    sessions_opened: AtomicU64,
    clock: Arc<clock::ScenarioClock>,
    seed: u64,
    /// Alarms, logs, trail, executions, commands and the running scenario.
    state: Arc<std::sync::Mutex<account::Account>>,
    /// VPCs, security groups and identities, for the readiness doctor.
    network: network::PracticeNetwork,
}

/// The seed of the practice account's metric noise.
pub const SEED: u64 = 2026;

impl PracticeCloud {
    /// The account for the app: it starts at [`clock::START`] and then follows real time, so
    /// runbooks progress and alarms recover while the learner watches.
    pub fn new() -> Self {
        Self::with_clock(Arc::new(clock::PacedClock::new()), SEED)
    }

    /// The account on a clock the caller controls (tests and screenshots pass a
    /// [`clock::ManualClock`]), with the seed of its metric noise.
    pub fn with_clock(clock: Arc<dyn Clock>, seed: u64) -> Self {
        let clock = Arc::new(clock::ScenarioClock::new(clock));
        let state = account::Account::baseline(seed, clock.now());
        let mut cloud = Self {
            clock,
            seed,
            state: Arc::new(std::sync::Mutex::new(state)),
            account: AccountContext {
                id: ACCOUNT_KEY.to_owned(),
                kind: AccountKind::Practice,
                account_id: Some(ACCOUNT_ID.to_owned()),
                regions: REGIONS.iter().map(|r| (*r).to_owned()).collect(),
                default_region: Some(REGIONS[0].to_owned()),
                capabilities: Vec::new(),
            },
            hosts: Arc::default(),
            sessions_opened: AtomicU64::new(0),
            network: network::PracticeNetwork::default(),
        };
        cloud.account.capabilities = capabilities_of(&cloud);
        cloud
    }

    /// The network the readiness doctor reads; scenarios break and fix it through this.
    pub fn network(&self) -> &network::PracticeNetwork {
        &self.network
    }
}

impl Default for PracticeCloud {
    fn default() -> Self {
        Self::new()
    }
}

impl Cloud for PracticeCloud {
    fn account(&self) -> &AccountContext {
        &self.account
    }

    fn now(&self) -> i64 {
        self.clock.now()
    }

    fn fleet(&self) -> Option<&dyn Fleet> {
        Some(self)
    }
    fn sessions(&self) -> Option<&dyn Sessions> {
        Some(self)
    }
    fn metrics(&self) -> Option<&dyn Metrics> {
        Some(self)
    }
    fn logs(&self) -> Option<&dyn Logs> {
        Some(self)
    }
    fn trail(&self) -> Option<&dyn Trail> {
        Some(self)
    }
    fn automation(&self) -> Option<&dyn Automation> {
        Some(self)
    }
    fn run_command(&self) -> Option<&dyn RunCommand> {
        Some(self)
    }
    fn readiness(&self) -> Option<&dyn Readiness> {
        Some(self)
    }
    fn remediation(&self) -> Option<&dyn Remediation> {
        Some(self)
    }
    /// The practice account has no Change Calendar and no Change Manager: it says so rather
    /// than invent an approval nobody gives.
    fn change_control(&self) -> Option<&dyn ChangeControl> {
        None
    }
    /// Nothing is billed on the practice account, so it has no prices to ask for.
    fn billing(&self) -> Option<&dyn Billing> {
        None
    }
    /// The practice account has no OpsCenter to mirror an incident to; Analysis keeps it.
    fn ops_center(&self) -> Option<&dyn OpsCenter> {
        None
    }
}

#[async_trait]
impl Fleet for PracticeCloud {
    async fn list_fleet(&self, scope: &FleetScope) -> Result<FleetSnapshot, AppError> {
        if let Some(unknown) = scope
            .regions
            .iter()
            .find(|r| !REGIONS.contains(&r.as_str()))
        {
            return Err(AppError::invalid_input(format!(
                "the practice account has no region {unknown}; it has {}",
                REGIONS.join(" and ")
            )));
        }
        let instances = self
            .world(|_, _, instances, _| Ok(instances.to_vec()))?
            .into_iter()
            .filter(|i| scope.regions.is_empty() || scope.regions.contains(&i.region))
            .collect();
        Ok(FleetSnapshot {
            instances,
            failures: Vec::new(),
        })
    }
}

#[async_trait]
impl Sessions for PracticeCloud {
    async fn open_shell(&self, instance_id: &str) -> Result<OpenedShell, AppError> {
        let instance = self.world(|account, _, instances, now| {
            let instance = instances
                .iter()
                .find(|i| i.id == instance_id)
                .cloned()
                .ok_or_else(|| {
                    AppError::invalid_input(format!(
                        "the practice account has no instance {instance_id}"
                    ))
                })?;
            if session::refuse(&instance).is_none() {
                account.record(
                    &instance.region,
                    now,
                    account::Call {
                        name: "StartSession",
                        source: "ssm.amazonaws.com",
                        user: account::LEARNER,
                        user_arn: account::LEARNER_ARN,
                        request: serde_json::json!({"target": instance.id}),
                        resources: vec![("AWS::EC2::Instance", &instance.id)],
                    },
                );
            }
            Ok(instance)
        })?;
        let n = self.sessions_opened.fetch_add(1, Ordering::SeqCst) + 1;
        session::open(
            &self.hosts,
            self.clock.clone(),
            &instance,
            format!("practice-{n:04}"),
        )
    }

    async fn open_tunnel(
        &self,
        target: &TunnelTarget,
        listener: tokio::net::TcpListener,
    ) -> Result<OpenedTunnel, AppError> {
        let instances = self.world(|_, _, instances, _| Ok(instances.to_vec()))?;
        let instance = instances
            .iter()
            .find(|i| i.id == target.instance_id)
            .cloned()
            .ok_or_else(|| {
                AppError::invalid_input(format!(
                    "the practice account has no instance {}",
                    target.instance_id
                ))
            })?;
        tunnel::open(&self.hosts, &instance, instances, target, listener)
    }
}

#[async_trait]
impl Metrics for PracticeCloud {
    async fn list_alarms(&self, query: &AlarmQuery) -> Result<Vec<Alarm>, AppError> {
        self.world(|a, h, i, now| metrics::alarms(a, h, i, query, now))
    }

    async fn alarm_history(
        &self,
        region: &str,
        alarm_name: &str,
    ) -> Result<Vec<AlarmHistoryItem>, AppError> {
        self.world(|a, h, i, now| metrics::history(a, h, i, region, alarm_name, now))
    }

    async fn get_metric_series(&self, query: &MetricQuery) -> Result<MetricSeries, AppError> {
        self.world(|a, h, i, now| metrics::series(a, h, i, query, now))
    }

    async fn list_metrics(
        &self,
        region: &str,
        namespace: &str,
        dimension: &Dimension,
    ) -> Result<Vec<MetricId>, AppError> {
        self.world(|_, _, i, _| metrics::list(i, region, namespace, dimension))
    }

    async fn count_custom_metrics(&self, region: &str) -> Result<u64, AppError> {
        self.world(|_, _, i, _| metrics::count_custom(i, region))
    }

    /// The practice account keeps no dashboards.
    async fn count_dashboards(&self, region: &str) -> Result<u64, AppError> {
        self.world(|_, _, _, _| account::check_region(region).map(|()| 0))
    }
}

#[async_trait]
impl Logs for PracticeCloud {
    async fn list_log_groups(&self, region: &str) -> Result<Vec<LogGroup>, AppError> {
        self.world(|a, _, _, _| logs::list_groups(a, region))
    }

    async fn get_log_events(&self, query: &LogEventsQuery) -> Result<Vec<LogEvent>, AppError> {
        self.world(|a, _, _, now| logs::events(a, query, now))
    }

    async fn start_insights(&self, query: &InsightsQuery) -> Result<String, AppError> {
        self.world(|a, _, _, now| logs::start_insights(a, query, now))
    }

    async fn insights_results(
        &self,
        region: &str,
        query_id: &str,
    ) -> Result<InsightsProgress, AppError> {
        self.world(|a, _, _, _| logs::insights_results(a, region, query_id))
    }

    async fn stop_insights(&self, region: &str, query_id: &str) -> Result<(), AppError> {
        // Practice queries finish as they start; stopping one that ended is not an error,
        // as on AWS, but an id the account never gave is.
        self.world(|a, _, _, _| logs::insights_results(a, region, query_id).map(|_| ()))
    }
}

#[async_trait]
impl Trail for PracticeCloud {
    async fn lookup_trail_events(&self, query: &TrailQuery) -> Result<Vec<TrailEvent>, AppError> {
        self.world(|a, _, _, now| logs::trail(a, query, now))
    }
}

#[async_trait]
impl Automation for PracticeCloud {
    async fn list_runbooks(&self, region: &str) -> Result<Vec<Runbook>, AppError> {
        account::check_region(region)?;
        Ok(automation::runbooks())
    }

    async fn describe_runbook(&self, region: &str, name: &str) -> Result<Runbook, AppError> {
        account::check_region(region)?;
        automation::runbooks()
            .into_iter()
            .find(|r| r.name == name)
            .ok_or_else(|| {
                AppError::invalid_input(format!("the practice account has no runbook {name}"))
            })
    }

    async fn start_automation(&self, request: &StartAutomationRequest) -> Result<String, AppError> {
        self.world(|a, h, i, now| automation::start(a, h, i, request, now))
    }

    async fn get_automation_execution(
        &self,
        region: &str,
        execution_id: &str,
    ) -> Result<AutomationExecution, AppError> {
        self.world(|a, _, _, now| automation::get(a, region, execution_id, now))
    }

    async fn list_automation_executions(
        &self,
        region: &str,
    ) -> Result<Vec<AutomationExecution>, AppError> {
        self.world(|a, _, _, now| automation::list(a, region, now))
    }
}

#[async_trait]
impl RunCommand for PracticeCloud {
    async fn send_command(&self, request: &SendCommandRequest) -> Result<String, AppError> {
        self.world(|a, h, i, now| run_command::send(a, h, i, request, now))
    }

    async fn get_command(
        &self,
        region: &str,
        command_id: &str,
    ) -> Result<CommandExecution, AppError> {
        self.world(|a, _, _, now| run_command::get(a, region, command_id, now))
    }

    async fn list_commands(&self, region: &str) -> Result<Vec<CommandExecution>, AppError> {
        self.world(|a, _, _, now| run_command::list(a, region, now))
    }
}

#[async_trait]
impl Readiness for PracticeCloud {
    async fn instance_facts(&self, instance_id: &str) -> Result<ReadinessFacts, AppError> {
        self.world(|a, _, i, _| {
            self.network
                .instance_facts(i, &a.blocked_egress, instance_id)
        })
    }

    async fn region_facts(&self, region: &str) -> Result<Vec<ReadinessFacts>, AppError> {
        self.world(|a, _, i, _| self.network.region_facts(i, &a.blocked_egress, region))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use unyo_core::{Capability, InstanceState, PingStatus, Platform};

    #[test]
    fn the_practice_account_offers_every_capability_but_change_control_prices_and_opscenter() {
        let cloud = PracticeCloud::new();
        let expected: Vec<Capability> = Capability::ALL
            .into_iter()
            .filter(|c| {
                !matches!(
                    c,
                    Capability::ChangeControl | Capability::Billing | Capability::OpsCenter
                )
            })
            .collect();
        assert_eq!(cloud.account().capabilities, expected);
    }

    async fn all() -> FleetSnapshot {
        PracticeCloud::new()
            .list_fleet(&FleetScope { regions: vec![] })
            .await
            .unwrap()
    }

    #[test]
    fn the_account_tells_its_scenario_time_not_the_wall_clock() {
        let clock = clock::ManualClock::default();
        clock.advance(3600 + 30);
        let cloud = PracticeCloud::with_clock(Arc::new(clock), SEED);
        assert_eq!(cloud.now(), clock::START + 3600 + 30);
    }

    #[tokio::test]
    async fn has_a_varied_fleet_in_two_regions() {
        let fleet = all().await;
        let instances = &fleet.instances;
        assert!(instances.len() >= 20, "{}", instances.len());
        for region in REGIONS {
            assert!(instances.iter().any(|i| i.region == region), "{region}");
        }
        let has = |f: &dyn Fn(&unyo_core::Instance) -> bool| instances.iter().any(f);
        assert!(has(&|i| i.platform == Platform::Linux));
        assert!(has(&|i| i.platform == Platform::Windows));
        assert!(has(&|i| i.ping_status == PingStatus::Online));
        assert!(has(&|i| i.ping_status == PingStatus::ConnectionLost));
        assert!(has(&|i| i.ping_status == PingStatus::NotManaged));
        assert!(has(&|i| i.agent_outdated));
        assert!(has(&|i| i.state == InstanceState::Stopped));
        assert!(fleet.failures.is_empty());
    }

    #[tokio::test]
    async fn ids_are_unique_and_facts_are_consistent() {
        let fleet = all().await;
        let ids: HashSet<&str> = fleet.instances.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids.len(), fleet.instances.len());
        for i in &fleet.instances {
            assert_eq!(i.account_id, ACCOUNT_ID);
            assert!(i.availability_zone.starts_with(&i.region), "{}", i.id);
            let managed = i.ping_status != PingStatus::NotManaged;
            assert_eq!(managed, i.agent_version.is_some(), "{}", i.id);
            assert_eq!(managed, i.last_ping_at.is_some(), "{}", i.id);
            if i.state == InstanceState::Stopped {
                assert_ne!(i.ping_status, PingStatus::Online, "{}", i.id);
                assert_eq!(i.public_ip, None, "{}", i.id);
            }
        }
    }

    #[tokio::test]
    async fn is_deterministic() {
        assert_eq!(all().await, all().await);
    }

    #[tokio::test]
    async fn filters_by_region_and_rejects_unknown_regions() {
        let cloud = PracticeCloud::new();
        let tokyo = cloud
            .list_fleet(&FleetScope {
                regions: vec!["ap-northeast-1".into()],
            })
            .await
            .unwrap();
        assert!(!tokyo.instances.is_empty());
        assert!(tokyo.instances.iter().all(|i| i.region == "ap-northeast-1"));
        let err = cloud
            .list_fleet(&FleetScope {
                regions: vec!["eu-west-1".into()],
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, unyo_core::ErrorCode::InvalidInput);
    }
}
