//! One instance as a region declares it: what the fleet lists (type, platform, agent, state,
//! tags, patches), where it sits in the network (subnet, addresses, security groups, metadata
//! options) and what machine answers its shell. `node(..)` starts from a running, managed,
//! online instance with the current agent and the common instance profile; the modifiers
//! change only what makes an instance teach something.

use unyo_core::readiness::{HttpTokens, Imds};
use unyo_core::{Instance, InstanceState, PatchSummary, PingStatus, Platform, Tag};

use super::PROFILE;
use crate::ACCOUNT_ID;
use crate::host::Host;

const CURRENT_AGENT: &str = "3.3.1142.0";
const LAST_PING: &str = "2026-11-28T09:58:41Z";

/// The operating systems the practice fleet runs, as EC2 names them.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Os {
    AmazonLinux2023,
    AmazonLinux2,
    Ubuntu2204,
    Ubuntu2404,
    Rhel9,
    Windows2022,
    Windows2019,
    Windows2016,
}

impl Os {
    fn platform(self) -> Platform {
        match self {
            Self::Windows2022 | Self::Windows2019 | Self::Windows2016 => Platform::Windows,
            _ => Platform::Linux,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::AmazonLinux2023 => "Amazon Linux 2023",
            Self::AmazonLinux2 => "Amazon Linux 2",
            Self::Ubuntu2204 => "Ubuntu 22.04",
            Self::Ubuntu2404 => "Ubuntu 24.04",
            Self::Rhel9 => "Red Hat Enterprise Linux 9",
            Self::Windows2022 => "Windows Server 2022 Datacenter",
            Self::Windows2019 => "Windows Server 2019 Datacenter",
            Self::Windows2016 => "Windows Server 2016 Datacenter",
        }
    }
}

/// The simulated machine behind an instance's shell, metrics and ports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum HostKind {
    /// The one image the lessons need: Amazon Linux with nginx, sshd and the agents. Windows
    /// instances have it too, for their metrics; the shell refuses them before it is read.
    #[default]
    AmazonLinuxWeb,
}

impl HostKind {
    pub(crate) fn build(self, hostname: &str) -> Host {
        match self {
            Self::AmazonLinuxWeb => Host::amazon_linux_web(hostname),
        }
    }
}

/// An instance's declaration. The region fills in what follows from its subnet (VPC and
/// availability zone) when it lists the fleet.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub id: &'static str,
    /// The fleet's view, without region, zone and VPC.
    pub instance: Instance,
    pub subnet: &'static str,
    pub groups: Vec<&'static str>,
    pub imds: Imds,
    pub host: HostKind,
}

/// A running, managed, online instance with the current agent and the common profile, placed
/// nowhere yet (see [`Node::at`]).
pub(crate) fn node(id: &'static str, name: &str, instance_type: &str, os: Os) -> Node {
    Node {
        id,
        instance: Instance {
            id: id.to_owned(),
            name: name.to_owned(),
            account_id: ACCOUNT_ID.to_owned(),
            region: String::new(),
            availability_zone: String::new(),
            instance_type: instance_type.to_owned(),
            state: InstanceState::Running,
            platform: os.platform(),
            platform_name: os.name().to_owned(),
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
        },
        subnet: "",
        groups: Vec::new(),
        // EC2's default for new launch templates; `imds` overrides it.
        imds: Imds {
            endpoint_enabled: true,
            http_tokens: HttpTokens::Required,
        },
        host: HostKind::default(),
    }
}

impl Node {
    /// Places the instance in `subnet` at `private_ip`, in security `groups`.
    pub fn at(mut self, subnet: &'static str, private_ip: &str, groups: &[&'static str]) -> Self {
        self.subnet = subnet;
        self.instance.subnet_id = Some(subnet.to_owned());
        self.instance.private_ip = Some(private_ip.to_owned());
        self.groups = groups.to_vec();
        self
    }

    pub fn public_ip(mut self, address: &str) -> Self {
        self.instance.public_ip = Some(address.to_owned());
        self
    }

    pub fn imds(mut self, endpoint_enabled: bool, http_tokens: HttpTokens) -> Self {
        self.imds = Imds {
            endpoint_enabled,
            http_tokens,
        };
        self
    }

    pub fn agent(mut self, version: &str) -> Self {
        self.instance.agent_version = Some(version.to_owned());
        self
    }

    pub fn ping(mut self, status: PingStatus, last_ping_at: &str) -> Self {
        self.instance.ping_status = status;
        self.instance.last_ping_at = Some(last_ping_at.to_owned());
        self
    }

    /// Stopped instances lose their public address and their agent's connection.
    pub fn stopped(self, last_ping_at: &str) -> Self {
        let mut this = self.ping(PingStatus::ConnectionLost, last_ping_at);
        this.instance.state = InstanceState::Stopped;
        this.instance.public_ip = None;
        this
    }

    /// Just launched: the agent has not registered yet.
    pub fn launching(self) -> Self {
        let mut this = self.unmanaged();
        this.instance.state = InstanceState::Pending;
        this.instance.iam_instance_profile = Some(PROFILE.to_owned());
        this
    }

    /// Never registered with Systems Manager; by default because it has no instance profile.
    pub fn unmanaged(mut self) -> Self {
        self.instance.ping_status = PingStatus::NotManaged;
        self.instance.last_ping_at = None;
        self.instance.agent_version = None;
        self.instance.iam_instance_profile = None;
        self
    }

    pub fn profile(mut self, name: &str) -> Self {
        self.instance.iam_instance_profile = Some(name.to_owned());
        self
    }

    /// The `Environment` and `Team` tags every instance has; `service` and `note` follow.
    pub fn tags(mut self, environment: &str, team: &str) -> Self {
        self.instance.tags = Vec::new();
        self.tag("Environment", environment).tag("Team", team)
    }

    pub fn service(self, name: &str) -> Self {
        self.tag("Service", name)
    }

    pub fn note(self, text: &str) -> Self {
        self.tag("Note", text)
    }

    fn tag(mut self, key: &str, value: &str) -> Self {
        self.instance.tags.push(Tag {
            key: key.to_owned(),
            value: value.to_owned(),
        });
        self
    }

    pub fn patches(mut self, summary: PatchSummary) -> Self {
        self.instance.patches = Some(summary);
        self
    }
}
