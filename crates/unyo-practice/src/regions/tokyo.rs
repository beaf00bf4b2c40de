//! Tokyo (ap-northeast-1): production web, API and data tiers, Windows servers, and the
//! legacy bastion that Session Manager makes unnecessary.
//!
//! Its network: public subnets behind an internet gateway, application subnets behind NAT
//! gateways, and a data subnet with no association of its own, so the main route table (local
//! routes only) isolates it. No interface endpoints; Default Host Management is off.

use unyo_core::PingStatus;
use unyo_core::readiness::HttpTokens;

use super::PROFILE;
use super::node::{Os, node};
use super::patches::{
    AMAZON_LINUX_2, AMAZON_LINUX_2023, BEFORE_LOST, Gaps, TOKYO_NIGHTLY, UBUNTU, WINDOWS_INSTALL,
    WINDOWS_PRODUCTION, scanned,
};
use super::site::{Region, internet, nat};
use crate::network::model::{ANYWHERE, all_out, tcp, tcp_from_group};

pub const REGION: &str = "ap-northeast-1";
pub const VPC: &str = "vpc-0a1b2c3d4e5f60001";
const CIDR: &str = "10.0.0.0/16";

pub const WEB_PROD_1: &str = "i-0a1f3c5e7b9d10001";
pub const WEB_PROD_2: &str = "i-0a1f3c5e7b9d10002";
pub const BATCH_WORKER_1: &str = "i-0a1f3c5e7b9d10005";

pub const SG_WEB: &str = "sg-0aa1000000000web1";
pub const SG_API: &str = "sg-0aa1000000000api1";
/// api-prod-2's group, "hardened" to database traffic only: no HTTPS out.
pub const SG_API_HARDENED: &str = "sg-0aa10000000api2c";
pub const SG_BATCH: &str = "sg-0aa100000000batch";
pub const SG_BASTION: &str = "sg-0aa10000000bastn";
pub const SG_DB_PROXY: &str = "sg-0aa100000000dbpx";
pub const SG_WINDOWS: &str = "sg-0aa100000000win1";
pub const SG_RDP_JUMP: &str = "sg-0aa10000000rdpjp";
pub const SG_ANALYTICS: &str = "sg-0aa10000000anlyt";

const PUBLIC_A: &str = "subnet-0aa1000000000001a";
const PUBLIC_C: &str = "subnet-0aa1000000000002c";
const APP_A: &str = "subnet-0aa1000000000011a";
const APP_C: &str = "subnet-0aa1000000000012c";
const DATA_C: &str = "subnet-0aa1000000000021c";

const PUBLIC_ROUTES: &str = "rtb-0aa10000000000001";
const APP_A_ROUTES: &str = "rtb-0aa10000000000011";
const APP_C_ROUTES: &str = "rtb-0aa10000000000012";

pub(super) fn region() -> Region {
    Region::new(REGION, VPC, CIDR)
        .main_table("rtb-0aa10000000000000")
        .table(PUBLIC_ROUTES, internet("igw-0aa10000000000001"))
        .table(APP_A_ROUTES, nat("nat-0aa1000000000001a"))
        .table(APP_C_ROUTES, nat("nat-0aa1000000000002c"))
        .subnet(PUBLIC_A, "a", Some(PUBLIC_ROUTES))
        .subnet(PUBLIC_C, "c", Some(PUBLIC_ROUTES))
        .subnet(APP_A, "a", Some(APP_A_ROUTES))
        .subnet(APP_C, "c", Some(APP_C_ROUTES))
        .subnet(DATA_C, "c", None)
        .s3_gateway("vpce-0aa100000000000s3", &[APP_A_ROUTES, APP_C_ROUTES])
        .group(
            SG_WEB,
            "web",
            vec![tcp(80, ANYWHERE), tcp(443, ANYWHERE)],
            all_out(),
        )
        .group(
            SG_API,
            "orders-api",
            vec![tcp_from_group(8080, SG_WEB)],
            all_out(),
        )
        .group(
            SG_API_HARDENED,
            "orders-api-c",
            vec![tcp_from_group(8080, SG_WEB)],
            vec![tcp(5432, CIDR)],
        )
        .group(SG_BATCH, "nightly-batch", vec![], all_out())
        .group(SG_BASTION, "bastion", vec![tcp(22, ANYWHERE)], all_out())
        .group(
            SG_DB_PROXY,
            "postgres-proxy",
            vec![tcp_from_group(5432, SG_API)],
            all_out(),
        )
        .group(
            SG_WINDOWS,
            "windows-servers",
            vec![tcp(3389, CIDR)],
            all_out(),
        )
        .group(
            SG_RDP_JUMP,
            "rdp-jump",
            vec![tcp(3389, ANYWHERE)],
            all_out(),
        )
        .group(SG_ANALYTICS, "analytics", vec![], all_out())
        .nodes([
            node(WEB_PROD_1, "web-prod-1", "t3.medium", Os::AmazonLinux2023)
                .at(PUBLIC_A, "10.0.1.11", &[SG_WEB])
                .public_ip("54.199.10.11")
                .patches(scanned(AMAZON_LINUX_2023, TOKYO_NIGHTLY, 412, 1204).other(3))
                .tags("production", "web")
                .service("storefront"),
            node(WEB_PROD_2, "web-prod-2", "t3.medium", Os::AmazonLinux2023)
                .at(PUBLIC_C, "10.0.2.12", &[SG_WEB])
                .public_ip("54.199.10.12")
                .patches(scanned(AMAZON_LINUX_2023, TOKYO_NIGHTLY, 412, 1204).other(3))
                .tags("production", "web")
                .service("storefront"),
            node(
                "i-0a1f3c5e7b9d10003",
                "api-prod-1",
                "m6i.large",
                Os::Ubuntu2204,
            )
            .at(APP_A, "10.0.11.21", &[SG_API])
            .agent("3.3.987.0")
            .patches(scanned(UBUNTU, TOKYO_NIGHTLY, 687, 58).group("api-production"))
            .tags("production", "api")
            .service("orders"),
            node(
                "i-0a1f3c5e7b9d10004",
                "api-prod-2",
                "m6i.large",
                Os::Ubuntu2204,
            )
            .at(APP_C, "10.0.12.22", &[SG_API_HARDENED])
            .agent("3.3.987.0")
            .ping(PingStatus::ConnectionLost, "2026-11-28T07:14:03Z")
            .patches(scanned(UBUNTU, BEFORE_LOST, 687, 58).group("api-production"))
            .tags("production", "api")
            .service("orders"),
            node(
                BATCH_WORKER_1,
                "batch-worker-1",
                "c6i.xlarge",
                Os::AmazonLinux2,
            )
            .at(APP_A, "10.0.11.35", &[SG_BATCH])
            .agent("3.2.582.0")
            .patches(scanned(AMAZON_LINUX_2, TOKYO_NIGHTLY, 531, 1892).pending_reboot(2))
            .tags("production", "data")
            .service("nightly-batch"),
            node(
                "i-0a1f3c5e7b9d10006",
                "bastion-legacy",
                "t2.micro",
                Os::AmazonLinux2,
            )
            .at(PUBLIC_A, "10.0.1.5", &[SG_BASTION])
            .public_ip("13.112.40.5")
            .unmanaged()
            .tags("production", "platform")
            .note("replace with Session Manager"),
            node(
                "i-0a1f3c5e7b9d10007",
                "db-proxy-1",
                "t3.small",
                Os::AmazonLinux2,
            )
            .at(APP_C, "10.0.12.40", &[SG_DB_PROXY])
            .agent("3.0.161.0")
            .patches(scanned(AMAZON_LINUX_2, TOKYO_NIGHTLY, 498, 1893).missing(7, 2, 3))
            .tags("production", "data")
            .service("postgres-proxy"),
            node(
                "i-0a1f3c5e7b9d10008",
                "win-ad-1",
                "m5.large",
                Os::Windows2022,
            )
            .at(APP_A, "10.0.11.10", &[SG_WINDOWS])
            .patches(
                scanned(WINDOWS_PRODUCTION, WINDOWS_INSTALL, 96, 412)
                    .install()
                    .group("windows-production"),
            )
            .tags("production", "it")
            .service("active-directory"),
            node(
                "i-0a1f3c5e7b9d10009",
                "win-iis-1",
                "m5.large",
                Os::Windows2019,
            )
            .at(APP_C, "10.0.12.50", &[SG_WINDOWS])
            .agent("3.1.1080.0")
            .tags("production", "web")
            .service("intranet"),
            node(
                "i-0a1f3c5e7b9d10010",
                "win-rdp-jump",
                "t3.large",
                Os::Windows2016,
            )
            .at(PUBLIC_A, "10.0.1.80", &[SG_RDP_JUMP])
            .stopped("2026-11-20T18:02:10Z")
            .tags("production", "it"),
            node(
                "i-0a1f3c5e7b9d10011",
                "staging-web-1",
                "t3.small",
                Os::AmazonLinux2023,
            )
            .at(PUBLIC_A, "10.0.1.90", &[SG_WEB])
            .public_ip("54.199.10.90")
            // IMDSv1 still allowed: the doctor warns about it.
            .imds(true, HttpTokens::Optional)
            .tags("staging", "web")
            .service("storefront"),
            node(
                "i-0a1f3c5e7b9d10012",
                "analytics-etl",
                "r6i.large",
                Os::Rhel9,
            )
            .at(DATA_C, "10.0.21.7", &[SG_ANALYTICS])
            .unmanaged()
            .profile(PROFILE)
            .tags("production", "data")
            .service("analytics"),
        ])
}
