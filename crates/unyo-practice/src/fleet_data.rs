//! The practice account's instances. Each one exists to teach something: the healthy web
//! tier, an agent too old for port forwarding, a node whose agent lost its connection, an
//! instance that never registered because it has no instance profile, Windows beside Linux,
//! and Patch Manager's compliance where it has scanned (see `patches`).

mod patches;
mod tokyo;
mod virginia;

use unyo_core::{Instance, InstanceState, PatchSummary, PingStatus, Platform, Tag};

use crate::ACCOUNT_ID;

const CURRENT_AGENT: &str = "3.3.1142.0";
const LAST_PING: &str = "2026-11-28T09:58:41Z";
const PROFILE: &str = "UnyoPracticeSSMInstanceProfile";

pub(crate) fn instances() -> Vec<Instance> {
    tokyo::instances()
        .into_iter()
        .chain(virginia::instances())
        .map(Instance::with_derived_fields)
        .collect()
}

/// A running, managed, online instance with the current agent; modifiers below change that.
fn node(
    id: &str,
    name: &str,
    region: &str,
    zone: &str,
    instance_type: &str,
    platform: Platform,
    platform_name: &str,
) -> Instance {
    Instance {
        id: format!("i-{id}"),
        name: name.to_owned(),
        account_id: ACCOUNT_ID.to_owned(),
        region: region.to_owned(),
        availability_zone: format!("{region}{zone}"),
        instance_type: instance_type.to_owned(),
        state: InstanceState::Running,
        platform,
        platform_name: platform_name.to_owned(),
        private_ip: None,
        public_ip: None,
        vpc_id: None,
        subnet_id: None,
        ping_status: PingStatus::Online,
        last_ping_at: Some(LAST_PING.to_owned()),
        agent_version: Some(CURRENT_AGENT.to_owned()),
        agent_outdated: false,
        iam_instance_profile: Some(PROFILE.to_owned()),
        tags: Vec::new(),
        patches: None,
    }
}

trait Modifiers {
    fn net(self, vpc: &str, subnet: &str, private_ip: &str, public_ip: Option<&str>) -> Self;
    fn agent(self, version: &str) -> Self;
    fn ping(self, status: PingStatus, last_ping_at: &str) -> Self;
    fn stopped(self, last_ping_at: &str) -> Self;
    fn launching(self) -> Self;
    fn unmanaged(self) -> Self;
    fn profile(self, name: &str) -> Self;
    fn tags(self, pairs: &[(&str, &str)]) -> Self;
    fn patches(self, summary: PatchSummary) -> Self;
}

impl Modifiers for Instance {
    fn net(mut self, vpc: &str, subnet: &str, private_ip: &str, public_ip: Option<&str>) -> Self {
        self.vpc_id = Some(vpc.to_owned());
        self.subnet_id = Some(subnet.to_owned());
        self.private_ip = Some(private_ip.to_owned());
        self.public_ip = public_ip.map(str::to_owned);
        self
    }

    fn agent(mut self, version: &str) -> Self {
        self.agent_version = Some(version.to_owned());
        self
    }

    fn ping(mut self, status: PingStatus, last_ping_at: &str) -> Self {
        self.ping_status = status;
        self.last_ping_at = Some(last_ping_at.to_owned());
        self
    }

    /// Stopped instances lose their public address and their agent's connection.
    fn stopped(self, last_ping_at: &str) -> Self {
        let mut this = self.ping(PingStatus::ConnectionLost, last_ping_at);
        this.state = InstanceState::Stopped;
        this.public_ip = None;
        this
    }

    /// Just launched: the agent has not registered yet.
    fn launching(self) -> Self {
        let mut this = self.unmanaged();
        this.state = InstanceState::Pending;
        this.iam_instance_profile = Some(PROFILE.to_owned());
        this
    }

    /// Never registered with Systems Manager; by default because it has no instance profile.
    fn unmanaged(mut self) -> Self {
        self.ping_status = PingStatus::NotManaged;
        self.last_ping_at = None;
        self.agent_version = None;
        self.iam_instance_profile = None;
        self
    }

    fn profile(mut self, name: &str) -> Self {
        self.iam_instance_profile = Some(name.to_owned());
        self
    }

    fn tags(mut self, pairs: &[(&str, &str)]) -> Self {
        self.tags = pairs
            .iter()
            .map(|(key, value)| Tag {
                key: (*key).to_owned(),
                value: (*value).to_owned(),
            })
            .collect();
        self
    }

    fn patches(mut self, summary: PatchSummary) -> Self {
        self.patches = Some(summary);
        self
    }
}
