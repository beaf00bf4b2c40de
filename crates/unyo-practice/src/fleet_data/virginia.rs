//! N. Virginia (us-east-1): a second production site, staging and development machines, an
//! agent too old for Session Manager's newer features, and an instance still launching.

use unyo_core::{Instance, Platform};

use super::patches::{
    AMAZON_LINUX_2023, Gaps, UBUNTU, VIRGINIA_NIGHTLY, WINDOWS_INSTALL, WINDOWS_PRODUCTION, scanned,
};
use super::{Modifiers, node};

pub(super) fn instances() -> Vec<Instance> {
    let virginia = "us-east-1";
    let vpc_virginia = "vpc-0f9e8d7c6b5a40002";
    vec![
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
        .patches(scanned(AMAZON_LINUX_2023, VIRGINIA_NIGHTLY, 409, 1207))
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
        .patches(scanned(AMAZON_LINUX_2023, VIRGINIA_NIGHTLY, 409, 1207))
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
        .patches(scanned(UBUNTU, VIRGINIA_NIGHTLY, 702, 61))
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
        .patches(
            scanned(WINDOWS_PRODUCTION, WINDOWS_INSTALL, 88, 420)
                .install()
                .group("windows-production")
                .failed(1, 1),
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
}
