//! Tokyo (ap-northeast-1): production web, API and data tiers, Windows servers, and the
//! legacy bastion that Session Manager makes unnecessary.

use unyo_core::{Instance, PingStatus, Platform};

use super::patches::{
    AMAZON_LINUX_2, AMAZON_LINUX_2023, BEFORE_LOST, Gaps, TOKYO_NIGHTLY, UBUNTU, WINDOWS_INSTALL,
    WINDOWS_PRODUCTION, scanned,
};
use super::{Modifiers, PROFILE, node};

pub(super) fn instances() -> Vec<Instance> {
    let tokyo = "ap-northeast-1";
    let vpc_tokyo = "vpc-0a1b2c3d4e5f60001";
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
        .patches(scanned(AMAZON_LINUX_2023, TOKYO_NIGHTLY, 412, 1204).other(3))
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
        .patches(scanned(AMAZON_LINUX_2023, TOKYO_NIGHTLY, 412, 1204).other(3))
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
        .patches(scanned(UBUNTU, TOKYO_NIGHTLY, 687, 58).group("api-production"))
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
        .patches(scanned(UBUNTU, BEFORE_LOST, 687, 58).group("api-production"))
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
        .patches(scanned(AMAZON_LINUX_2, TOKYO_NIGHTLY, 531, 1892).pending_reboot(2))
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
        .patches(scanned(AMAZON_LINUX_2, TOKYO_NIGHTLY, 498, 1893).missing(7, 2, 3))
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
        .patches(
            scanned(WINDOWS_PRODUCTION, WINDOWS_INSTALL, 96, 412)
                .install()
                .group("windows-production"),
        )
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
    ]
}
