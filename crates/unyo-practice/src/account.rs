//! The practice account's state beyond its machines: alarms, log groups, CloudTrail's
//! history, runbook executions, commands, agents that lost their connection, and which
//! scenario is running. [`Account::baseline`] is the calm account a new user lands in;
//! scenarios start from it and break one thing.

use std::collections::{BTreeMap, BTreeSet};

use unyo_core::alarms::{ComparisonOperator, Dimension, MetricId};
use unyo_core::run_command::CommandExecution;
use unyo_core::trail::TrailEvent;
use unyo_core::{AppError, ErrorCode, Instance, PingStatus};

use crate::automation::Execution;
use crate::clock::rfc3339;

/// The IAM user the learner acts as, in CloudTrail and in runbook executions.
pub const LEARNER: &str = "learner";
pub const LEARNER_ARN: &str = "arn:aws:iam::123456789012:user/learner";

/// Where an alarm's metric comes from on the simulated machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Cpu,
    Disk,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlarmDef {
    pub name: String,
    pub region: String,
    pub description: String,
    pub instance_id: String,
    pub source: Source,
    pub period_seconds: u32,
    pub evaluation_periods: u32,
    pub threshold: f64,
}

impl AlarmDef {
    pub fn metric(&self) -> MetricId {
        metric_id(self.source, &self.instance_id)
    }

    pub fn comparison(&self) -> ComparisonOperator {
        ComparisonOperator::GreaterThanThreshold
    }
}

/// The CloudWatch metric a source is published as: EC2's own CPU metric, and the disk use
/// the CloudWatch agent reports.
pub fn metric_id(source: Source, instance_id: &str) -> MetricId {
    let instance = Dimension {
        name: "InstanceId".into(),
        value: instance_id.into(),
    };
    match source {
        Source::Cpu => MetricId {
            namespace: "AWS/EC2".into(),
            metric_name: "CPUUtilization".into(),
            dimensions: vec![instance],
        },
        Source::Disk => MetricId {
            namespace: "CWAgent".into(),
            metric_name: "disk_used_percent".into(),
            dimensions: vec![
                instance,
                Dimension {
                    name: "path".into(),
                    value: "/".into(),
                },
            ],
        },
    }
}

/// The source behind a metric id, when the practice account publishes it.
pub fn source_of(metric: &MetricId) -> Option<(Source, &str)> {
    let instance = metric.instance_id()?;
    match (metric.namespace.as_str(), metric.metric_name.as_str()) {
        ("AWS/EC2", "CPUUtilization") => Some((Source::Cpu, instance)),
        ("CWAgent", "disk_used_percent") => Some((Source::Disk, instance)),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub at: i64,
    pub stream: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupData {
    pub region: String,
    pub retention_days: Option<u32>,
    pub events: Vec<StoredEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTrail {
    pub region: String,
    pub at: i64,
    pub event: TrailEvent,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    /// Seeds the metric noise, so the same account draws the same curves.
    pub seed: u64,
    pub alarms: Vec<AlarmDef>,
    pub log_groups: BTreeMap<String, GroupData>,
    pub trail: Vec<StoredTrail>,
    pub executions: Vec<Execution>,
    pub commands: Vec<(i64, CommandExecution)>,
    /// Logs Insights queries by id; each finishes as it starts.
    pub queries: BTreeMap<String, unyo_core::logs::InsightsProgress>,
    /// Agents whose ping status differs from the fleet data: status and last ping time.
    pub ping: BTreeMap<String, (PingStatus, String)>,
    /// Agents updated since the fleet data (`AWS-UpdateSSMAgent`): their version now.
    pub agents: BTreeMap<String, String>,
    /// Instances whose security group (the value) lost its HTTPS egress. A stand-in for the
    /// practice network model (`network.rs`, another module's) until it can answer this.
    pub blocked_egress: BTreeMap<String, String>,
    pub scenario: Option<String>,
    pub completed: BTreeSet<String>,
    next_id: u64,
}

impl Account {
    /// The calm account: a few alarms in OK, application logs, a morning's CloudTrail.
    pub fn baseline(seed: u64, now: i64) -> Self {
        let mut account = Self {
            seed,
            alarms: Vec::new(),
            log_groups: BTreeMap::new(),
            trail: Vec::new(),
            executions: Vec::new(),
            commands: Vec::new(),
            queries: BTreeMap::new(),
            ping: BTreeMap::new(),
            agents: BTreeMap::new(),
            blocked_egress: BTreeMap::new(),
            scenario: None,
            completed: BTreeSet::new(),
            next_id: 0,
        };
        crate::baseline::populate(&mut account, now);
        crate::history::populate(&mut account);
        account
    }

    /// A fresh number for ids; deterministic because everything else is.
    pub fn next_number(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// An id shaped like AWS's (hex groups), derived from a counter.
    pub fn next_uuid(&mut self) -> String {
        let n = self.next_number();
        let h = crate::metrics::mix(self.seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            h >> 32,
            (h >> 16) & 0xffff,
            h & 0xfff,
            (h >> 20) & 0xfff,
            (h ^ n) & 0xffff_ffff_ffff
        )
    }

    pub fn log(&mut self, group: &str, region: &str, at: i64, stream: &str, message: &str) {
        self.log_groups
            .entry(group.to_owned())
            .or_insert_with(|| GroupData {
                region: region.to_owned(),
                retention_days: Some(30),
                events: Vec::new(),
            })
            .events
            .push(StoredEvent {
                at,
                stream: stream.to_owned(),
                message: message.to_owned(),
            });
    }

    /// Records a management event, as CloudTrail would for a call the learner (or someone in
    /// a scenario's story) made.
    pub fn record(&mut self, region: &str, at: i64, call: Call<'_>) {
        let event_id = self.next_uuid();
        let resources = call
            .resources
            .iter()
            .map(|(kind, name)| unyo_core::trail::TrailResource {
                resource_type: (*kind).to_owned(),
                resource_name: (*name).to_owned(),
            })
            .collect();
        let detail = serde_json::json!({
            "eventVersion": "1.09",
            "userIdentity": { "type": if call.user_arn.contains(":assumed-role/") { "AssumedRole" } else { "IAMUser" }, "arn": call.user_arn },
            "eventTime": rfc3339(at),
            "eventSource": call.source,
            "eventName": call.name,
            "awsRegion": region,
            "sourceIPAddress": "203.0.113.10",
            "requestParameters": call.request,
            "readOnly": false,
            "eventID": event_id,
            "eventType": "AwsApiCall",
            "recipientAccountId": crate::ACCOUNT_ID,
        });
        self.trail.push(StoredTrail {
            region: region.to_owned(),
            at,
            event: TrailEvent {
                event_id,
                event_time: rfc3339(at),
                event_name: call.name.to_owned(),
                event_source: call.source.to_owned(),
                username: call.user.to_owned(),
                read_only: false,
                resources,
                cloud_trail_event: detail.to_string(),
            },
        });
    }

    /// The instance as the fleet shows it now: fleet data with this account's changes.
    pub fn instance(&self, instance: Instance) -> Instance {
        let instance = match self.agents.get(&instance.id) {
            Some(version) => Instance {
                agent_version: Some(version.clone()),
                ..instance
            }
            .with_derived_fields(),
            None => instance,
        };
        match self.ping.get(&instance.id) {
            Some((status, last)) => Instance {
                ping_status: *status,
                last_ping_at: Some(last.clone()),
                ..instance
            },
            None => instance,
        }
    }
}

/// An API call for CloudTrail.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    pub name: &'a str,
    pub source: &'a str,
    pub user: &'a str,
    pub user_arn: &'a str,
    pub request: serde_json::Value,
    pub resources: Vec<(&'a str, &'a str)>,
}

pub fn lock_error() -> AppError {
    AppError::new(ErrorCode::Internal, "practice account state is unavailable")
}

/// Refuses a region the practice account does not have.
pub fn check_region(region: &str) -> Result<(), AppError> {
    if crate::REGIONS.contains(&region) {
        Ok(())
    } else {
        Err(AppError::invalid_input(format!(
            "the practice account has no region {region}; it has {}",
            crate::REGIONS.join(" and ")
        )))
    }
}
