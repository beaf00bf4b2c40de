//! The practice account's instances. Each one exists to teach something: the healthy web
//! tier, an agent too old for port forwarding, a node whose agent lost its connection, an
//! instance that never registered because it has no instance profile, Windows beside Linux.

use unyo_core::{Instance, InstanceState, PingStatus, Platform, Tag};

use crate::ACCOUNT_ID;

const CURRENT_AGENT: &str = "3.3.1142.0";
const LAST_PING: &str = "2026-11-28T09:58:41Z";
const PROFILE: &str = "UnyoPracticeSSMInstanceProfile";

pub(crate) fn instances() -> Vec<Instance> {
    let tokyo = "ap-northeast-1";
    let virginia = "us-east-1";
    let vpc_tokyo = "vpc-0a1b2c3d4e5f60001";
    let vpc_virginia = "vpc-0f9e8d7c6b5a40002";
    vec![
        node(
            "0a1f3c5e7b9d10001",
            "web-prod-1",
            tokyo,
            "a",
            "t3.medium",
            Platform::Linux,
            "Amazon Linux 2023",
        )
        .net(
            vpc_tokyo,
            "subnet-0aa1000000000001a",
            "10.0.1.11",
            Some("54.199.10.11"),
        )
        .tags(&[
            ("Environment", "production"),
            ("Team", "web"),
            ("Service", "storefront"),
        ]),
        node(
            "0a1f3c5e7b9d10002",
            "web-prod-2",
            tokyo,
            "c",
            "t3.medium",
            Platform::Linux,
            "Amazon Linux 2023",
        )
        .net(
            vpc_tokyo,
            "subnet-0aa1000000000002c",
            "10.0.2.12",
            Some("54.199.10.12"),
        )
        .tags(&[
            ("Environment", "production"),
            ("Team", "web"),
            ("Service", "storefront"),
        ]),
        node(
            "0a1f3c5e7b9d10003",
            "api-prod-1",
            tokyo,
            "a",
            "m6i.large",
            Platform::Linux,
            "Ubuntu 22.04",
        )
        .net(vpc_tokyo, "subnet-0aa1000000000011a", "10.0.11.21", None)
        .agent("3.3.987.0")
        .tags(&[
            ("Environment", "production"),
            ("Team", "api"),
            ("Service", "orders"),
        ]),
        node(
            "0a1f3c5e7b9d10004",
            "api-prod-2",
            tokyo,
            "c",
            "m6i.large",
            Platform::Linux,
            "Ubuntu 22.04",
        )
        .net(vpc_tokyo, "subnet-0aa1000000000012c", "10.0.12.22", None)
        .agent("3.3.987.0")
        .ping(PingStatus::ConnectionLost, "2026-11-28T07:14:03Z")
        .tags(&[
            ("Environment", "production"),
            ("Team", "api"),
            ("Service", "orders"),
        ]),
        node(
            "0a1f3c5e7b9d10005",
            "batch-worker-1",
            tokyo,
            "a",
            "c6i.xlarge",
            Platform::Linux,
            "Amazon Linux 2",
        )
        .net(vpc_tokyo, "subnet-0aa1000000000011a", "10.0.11.35", None)
        .agent("3.2.582.0")
        .tags(&[
            ("Environment", "production"),
            ("Team", "data"),
            ("Service", "nightly-batch"),
        ]),
        node(
            "0a1f3c5e7b9d10006",
            "bastion-legacy",
            tokyo,
            "a",
            "t2.micro",
            Platform::Linux,
            "Amazon Linux 2",
        )
        .net(
            vpc_tokyo,
            "subnet-0aa1000000000001a",
            "10.0.1.5",
            Some("13.112.40.5"),
        )
        .unmanaged()
        .tags(&[
            ("Environment", "production"),
            ("Team", "platform"),
            ("Note", "replace with Session Manager"),
        ]),
        node(
            "0a1f3c5e7b9d10007",
            "db-proxy-1",
            tokyo,
            "c",
            "t3.small",
            Platform::Linux,
            "Amazon Linux 2",
        )
        .net(vpc_tokyo, "subnet-0aa1000000000012c", "10.0.12.40", None)
        .agent("3.0.161.0")
        .tags(&[
            ("Environment", "production"),
            ("Team", "data"),
            ("Service", "postgres-proxy"),
        ]),
        node(
            "0a1f3c5e7b9d10008",
            "win-ad-1",
            tokyo,
            "a",
            "m5.large",
            Platform::Windows,
            "Windows Server 2022 Datacenter",
        )
        .net(vpc_tokyo, "subnet-0aa1000000000011a", "10.0.11.10", None)
        .tags(&[
            ("Environment", "production"),
            ("Team", "it"),
            ("Service", "active-directory"),
        ]),
        node(
            "0a1f3c5e7b9d10009",
            "win-iis-1",
            tokyo,
            "c",
            "m5.large",
            Platform::Windows,
            "Windows Server 2019 Datacenter",
        )
        .net(vpc_tokyo, "subnet-0aa1000000000012c", "10.0.12.50", None)
        .agent("3.1.1080.0")
        .tags(&[
            ("Environment", "production"),
            ("Team", "web"),
            ("Service", "intranet"),
        ]),
        node(
            "0a1f3c5e7b9d10010",
            "win-rdp-jump",
            tokyo,
            "a",
            "t3.large",
            Platform::Windows,
            "Windows Server 2016 Datacenter",
        )
        .net(vpc_tokyo, "subnet-0aa1000000000001a", "10.0.1.80", None)
        .stopped("2026-11-20T18:02:10Z")
        .tags(&[("Environment", "production"), ("Team", "it")]),
        node(
            "0a1f3c5e7b9d10011",
            "staging-web-1",
            tokyo,
            "a",
            "t3.small",
            Platform::Linux,
            "Amazon Linux 2023",
        )
        .net(
            vpc_tokyo,
            "subnet-0aa1000000000001a",
            "10.0.1.90",
            Some("54.199.10.90"),
        )
        .tags(&[
            ("Environment", "staging"),
            ("Team", "web"),
            ("Service", "storefront"),
        ]),
        node(
            "0a1f3c5e7b9d10012",
            "analytics-etl",
            tokyo,
            "c",
            "r6i.large",
            Platform::Linux,
            "Red Hat Enterprise Linux 9",
        )
        .net(vpc_tokyo, "subnet-0aa1000000000021c", "10.0.21.7", None)
        .unmanaged()
        .profile(PROFILE)
        .tags(&[
            ("Environment", "production"),
            ("Team", "data"),
            ("Service", "analytics"),
        ]),
        node(
            "0f9e8d7c6b5a40013",
            "web-us-1",
            virginia,
            "a",
            "t3.medium",
            Platform::Linux,
            "Amazon Linux 2023",
        )
        .net(
            vpc_virginia,
            "subnet-0bb1000000000001a",
            "172.31.1.11",
            Some("3.91.20.11"),
        )
        .tags(&[
            ("Environment", "production"),
            ("Team", "web"),
            ("Service", "storefront"),
        ]),
        node(
            "0f9e8d7c6b5a40014",
            "web-us-2",
            virginia,
            "b",
            "t3.medium",
            Platform::Linux,
            "Amazon Linux 2023",
        )
        .net(
            vpc_virginia,
            "subnet-0bb1000000000002b",
            "172.31.2.12",
            Some("3.91.20.12"),
        )
        .tags(&[
            ("Environment", "production"),
            ("Team", "web"),
            ("Service", "storefront"),
        ]),
        node(
            "0f9e8d7c6b5a40015",
            "api-us-1",
            virginia,
            "a",
            "m6i.large",
            Platform::Linux,
            "Ubuntu 24.04",
        )
        .net(
            vpc_virginia,
            "subnet-0bb1000000000011a",
            "172.31.11.21",
            None,
        )
        .tags(&[
            ("Environment", "production"),
            ("Team", "api"),
            ("Service", "orders"),
        ]),
        node(
            "0f9e8d7c6b5a40016",
            "legacy-app-1",
            virginia,
            "b",
            "m4.large",
            Platform::Linux,
            "Amazon Linux 2",
        )
        .net(
            vpc_virginia,
            "subnet-0bb1000000000012b",
            "172.31.12.30",
            None,
        )
        .agent("2.3.1319.0")
        .tags(&[
            ("Environment", "production"),
            ("Team", "platform"),
            ("Service", "billing-legacy"),
        ]),
        node(
            "0f9e8d7c6b5a40017",
            "queue-worker-1",
            virginia,
            "a",
            "c6i.large",
            Platform::Linux,
            "Amazon Linux 2023",
        )
        .net(
            vpc_virginia,
            "subnet-0bb1000000000011a",
            "172.31.11.44",
            None,
        )
        .stopped("2026-11-27T22:40:00Z")
        .tags(&[
            ("Environment", "staging"),
            ("Team", "api"),
            ("Service", "queue"),
        ]),
        node(
            "0f9e8d7c6b5a40018",
            "win-sql-1",
            virginia,
            "b",
            "r6i.xlarge",
            Platform::Windows,
            "Windows Server 2022 Datacenter",
        )
        .net(
            vpc_virginia,
            "subnet-0bb1000000000012b",
            "172.31.12.60",
            None,
        )
        .tags(&[
            ("Environment", "production"),
            ("Team", "data"),
            ("Service", "sql-server"),
        ]),
        node(
            "0f9e8d7c6b5a40019",
            "win-build-1",
            virginia,
            "a",
            "c5.xlarge",
            Platform::Windows,
            "Windows Server 2019 Datacenter",
        )
        .net(
            vpc_virginia,
            "subnet-0bb1000000000001a",
            "172.31.1.70",
            Some("3.91.20.70"),
        )
        .unmanaged()
        .tags(&[
            ("Environment", "development"),
            ("Team", "platform"),
            ("Service", "ci"),
        ]),
        node(
            "0f9e8d7c6b5a40020",
            "monitoring-1",
            virginia,
            "b",
            "t3.large",
            Platform::Linux,
            "Amazon Linux 2023",
        )
        .net(
            vpc_virginia,
            "subnet-0bb1000000000012b",
            "172.31.12.80",
            None,
        )
        .agent("3.2.1705.0")
        .tags(&[
            ("Environment", "production"),
            ("Team", "platform"),
            ("Service", "prometheus"),
        ]),
        node(
            "0f9e8d7c6b5a40021",
            "dev-sandbox",
            virginia,
            "a",
            "t3.micro",
            Platform::Linux,
            "Ubuntu 22.04",
        )
        .net(
            vpc_virginia,
            "subnet-0bb1000000000001a",
            "172.31.1.99",
            Some("3.91.20.99"),
        )
        .unmanaged()
        .tags(&[("Environment", "development"), ("Team", "web")]),
        node(
            "0f9e8d7c6b5a40022",
            "autoscale-web-3",
            virginia,
            "b",
            "t3.medium",
            Platform::Linux,
            "Amazon Linux 2023",
        )
        .net(
            vpc_virginia,
            "subnet-0bb1000000000002b",
            "172.31.2.13",
            None,
        )
        .launching()
        .tags(&[
            ("Environment", "production"),
            ("Team", "web"),
            ("Service", "storefront"),
        ]),
    ]
    .into_iter()
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
}
