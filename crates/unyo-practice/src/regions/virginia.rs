//! N. Virginia (us-east-1): a second production site, staging and development machines, an
//! agent too old for Session Manager's newer features, and an instance still launching.
//!
//! Its network: public subnets behind an internet gateway and private subnets with no route
//! out, served by interface endpoints for ssm, ssmmessages and ec2messages (private DNS, so
//! the whole VPC uses them) and an S3 gateway endpoint. Default Host Management is on.

use unyo_core::readiness::HttpTokens;

use super::node::{Os, node};
use super::patches::{
    AMAZON_LINUX_2023, Gaps, UBUNTU, VIRGINIA_NIGHTLY, WINDOWS_INSTALL, WINDOWS_PRODUCTION, scanned,
};
use super::site::{Region, internet};
use crate::network::model::{ANYWHERE, all_out, tcp};

pub const REGION: &str = "us-east-1";
pub const VPC: &str = "vpc-0f9e8d7c6b5a40002";
const CIDR: &str = "172.31.0.0/16";

pub const WEB_US_1: &str = "i-0f9e8d7c6b5a40013";
pub const API_US_1: &str = "i-0f9e8d7c6b5a40015";

pub const SG_ENDPOINTS: &str = "sg-0bb10000000endpts";
pub const SG_WEB: &str = "sg-0bb1000000000web1";
/// api-us-1's group (the "instance not managed" scenario breaks it).
pub const SG_API: &str = "sg-0c4f5a6b7d8e90015";
pub const SG_LEGACY: &str = "sg-0bb10000000legacy";
pub const SG_QUEUE: &str = "sg-0bb100000000queue";
pub const SG_SQL: &str = "sg-0bb1000000000sql1";
/// win-build-1's group: only plain HTTP out, for downloads, so no HTTPS.
pub const SG_CI: &str = "sg-0bb10000000000ci1";
pub const SG_MONITORING: &str = "sg-0bb10000000monit";
pub const SG_SANDBOX: &str = "sg-0bb1000000sandbox";

const PUBLIC_A: &str = "subnet-0bb1000000000001a";
const PUBLIC_B: &str = "subnet-0bb1000000000002b";
const PRIVATE_A: &str = "subnet-0bb1000000000011a";
const PRIVATE_B: &str = "subnet-0bb1000000000012b";

const PUBLIC_ROUTES: &str = "rtb-0bb10000000000001";
const PRIVATE_ROUTES: &str = "rtb-0bb10000000000011";

pub(super) fn region() -> Region {
    Region::new(REGION, VPC, CIDR)
        .main_table("rtb-0bb10000000000000")
        .table(PUBLIC_ROUTES, internet("igw-0bb10000000000001"))
        .table(PRIVATE_ROUTES, None)
        .subnet(PUBLIC_A, "a", Some(PUBLIC_ROUTES))
        .subnet(PUBLIC_B, "b", Some(PUBLIC_ROUTES))
        .subnet(PRIVATE_A, "a", Some(PRIVATE_ROUTES))
        .subnet(PRIVATE_B, "b", Some(PRIVATE_ROUTES))
        .interface_endpoint("vpce-0bb10000000000ssm", "ssm", &[SG_ENDPOINTS])
        .interface_endpoint("vpce-0bb1000000ssmmsgs", "ssmmessages", &[SG_ENDPOINTS])
        .interface_endpoint("vpce-0bb1000000ec2msgs", "ec2messages", &[SG_ENDPOINTS])
        .s3_gateway("vpce-0bb100000000000s3", &[PRIVATE_ROUTES])
        .group(
            SG_ENDPOINTS,
            "ssm-endpoints",
            vec![tcp(443, CIDR)],
            all_out(),
        )
        .group(
            SG_WEB,
            "web",
            vec![tcp(80, ANYWHERE), tcp(443, ANYWHERE)],
            all_out(),
        )
        .group(SG_API, "orders-api", vec![tcp(8080, CIDR)], all_out())
        .group(
            SG_LEGACY,
            "billing-legacy",
            vec![tcp(8443, CIDR)],
            all_out(),
        )
        .group(SG_QUEUE, "queue", vec![], all_out())
        .group(SG_SQL, "sql-server", vec![tcp(1433, CIDR)], all_out())
        .group(SG_CI, "ci-build", vec![], vec![tcp(80, ANYWHERE)])
        .group(
            SG_MONITORING,
            "prometheus",
            vec![tcp(9090, CIDR)],
            all_out(),
        )
        .group(
            SG_SANDBOX,
            "dev-sandbox",
            vec![tcp(22, ANYWHERE)],
            all_out(),
        )
        .default_host_management()
        .nodes([
            node(WEB_US_1, "web-us-1", "t3.medium", Os::AmazonLinux2023)
                .at(PUBLIC_A, "172.31.1.11", &[SG_WEB])
                .public_ip("3.91.20.11")
                .patches(scanned(AMAZON_LINUX_2023, VIRGINIA_NIGHTLY, 409, 1207))
                .tags("production", "web")
                .service("storefront"),
            node(
                "i-0f9e8d7c6b5a40014",
                "web-us-2",
                "t3.medium",
                Os::AmazonLinux2023,
            )
            .at(PUBLIC_B, "172.31.2.12", &[SG_WEB])
            .public_ip("3.91.20.12")
            .patches(scanned(AMAZON_LINUX_2023, VIRGINIA_NIGHTLY, 409, 1207))
            .tags("production", "web")
            .service("storefront"),
            node(API_US_1, "api-us-1", "m6i.large", Os::Ubuntu2404)
                .at(PRIVATE_A, "172.31.11.21", &[SG_API])
                .patches(scanned(UBUNTU, VIRGINIA_NIGHTLY, 702, 61))
                .tags("production", "api")
                .service("orders"),
            node(
                "i-0f9e8d7c6b5a40016",
                "legacy-app-1",
                "m4.large",
                Os::AmazonLinux2,
            )
            .at(PRIVATE_B, "172.31.12.30", &[SG_LEGACY])
            .agent("2.3.1319.0")
            .tags("production", "platform")
            .service("billing-legacy"),
            node(
                "i-0f9e8d7c6b5a40017",
                "queue-worker-1",
                "c6i.large",
                Os::AmazonLinux2023,
            )
            .at(PRIVATE_A, "172.31.11.44", &[SG_QUEUE])
            .stopped("2026-11-27T22:40:00Z")
            .tags("staging", "api")
            .service("queue"),
            node(
                "i-0f9e8d7c6b5a40018",
                "win-sql-1",
                "r6i.xlarge",
                Os::Windows2022,
            )
            .at(PRIVATE_B, "172.31.12.60", &[SG_SQL])
            .patches(
                scanned(WINDOWS_PRODUCTION, WINDOWS_INSTALL, 88, 420)
                    .install()
                    .group("windows-production")
                    .failed(1, 1),
            )
            .tags("production", "data")
            .service("sql-server"),
            node(
                "i-0f9e8d7c6b5a40019",
                "win-build-1",
                "c5.xlarge",
                Os::Windows2019,
            )
            .at(PUBLIC_A, "172.31.1.70", &[SG_CI])
            .public_ip("3.91.20.70")
            .imds(true, HttpTokens::Optional)
            .unmanaged()
            .tags("development", "platform")
            .service("ci"),
            node(
                "i-0f9e8d7c6b5a40020",
                "monitoring-1",
                "t3.large",
                Os::AmazonLinux2023,
            )
            .at(PRIVATE_B, "172.31.12.80", &[SG_MONITORING])
            .agent("3.2.1705.0")
            .tags("production", "platform")
            .service("prometheus"),
            node(
                "i-0f9e8d7c6b5a40021",
                "dev-sandbox",
                "t3.micro",
                Os::Ubuntu2204,
            )
            .at(PUBLIC_A, "172.31.1.99", &[SG_SANDBOX])
            .public_ip("3.91.20.99")
            // Turned off "for security" by a hardening script; Default Host Management
            // can't read its credentials.
            .imds(false, HttpTokens::Required)
            .unmanaged()
            .tags("development", "web"),
            node(
                "i-0f9e8d7c6b5a40022",
                "autoscale-web-3",
                "t3.medium",
                Os::AmazonLinux2023,
            )
            .at(PUBLIC_B, "172.31.2.13", &[SG_WEB])
            .launching()
            .tags("production", "web")
            .service("storefront"),
        ])
}
