//! Tokyo: public subnets behind an internet gateway, application subnets behind NAT gateways,
//! and a data subnet with no association of its own, so the main route table (local routes
//! only) isolates it. No interface endpoints; Default Host Management is off.

use unyo_core::readiness::{HttpTokens, RouteTarget};

use super::model::{DNS_ON, Endpoint, Model, Subnet, Table, Vpc, all_out, tcp, tcp_from_group};

pub const REGION: &str = "ap-northeast-1";
pub const VPC: &str = "vpc-0a1b2c3d4e5f60001";
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

pub fn add(model: &mut Model) {
    model.vpcs.push(Vpc {
        id: VPC,
        cidr: "10.0.0.0/16",
        dns: DNS_ON,
    });
    let table = |id, main, target: Option<RouteTarget>| Table {
        id,
        vpc: VPC,
        main,
        default_route: target,
    };
    model.tables.extend([
        table("rtb-0aa10000000000000", true, None),
        table(
            "rtb-0aa10000000000001",
            false,
            Some(RouteTarget::InternetGateway {
                id: "igw-0aa10000000000001".into(),
            }),
        ),
        table(
            "rtb-0aa10000000000011",
            false,
            Some(RouteTarget::NatGateway {
                id: "nat-0aa1000000000001a".into(),
            }),
        ),
        table(
            "rtb-0aa10000000000012",
            false,
            Some(RouteTarget::NatGateway {
                id: "nat-0aa1000000000002c".into(),
            }),
        ),
    ]);
    let subnet = |id, route_table| Subnet {
        id,
        vpc: VPC,
        route_table,
    };
    model.subnets.extend([
        subnet("subnet-0aa1000000000001a", Some("rtb-0aa10000000000001")),
        subnet("subnet-0aa1000000000002c", Some("rtb-0aa10000000000001")),
        subnet("subnet-0aa1000000000011a", Some("rtb-0aa10000000000011")),
        subnet("subnet-0aa1000000000012c", Some("rtb-0aa10000000000012")),
        subnet("subnet-0aa1000000000021c", None),
    ]);
    model.endpoints.push(Endpoint {
        id: "vpce-0aa100000000000s3",
        vpc: VPC,
        service: "s3",
        groups: Vec::new(),
        route_tables: vec!["rtb-0aa10000000000011", "rtb-0aa10000000000012"],
    });
    model.add_group(
        SG_WEB,
        "web",
        vec![tcp(80, "0.0.0.0/0"), tcp(443, "0.0.0.0/0")],
        all_out(),
    );
    model.add_group(
        SG_API,
        "orders-api",
        vec![tcp_from_group(8080, SG_WEB)],
        all_out(),
    );
    model.add_group(
        SG_API_HARDENED,
        "orders-api-c",
        vec![tcp_from_group(8080, SG_WEB)],
        vec![tcp(5432, "10.0.0.0/16")],
    );
    model.add_group(SG_BATCH, "nightly-batch", vec![], all_out());
    model.add_group(SG_BASTION, "bastion", vec![tcp(22, "0.0.0.0/0")], all_out());
    model.add_group(
        SG_DB_PROXY,
        "postgres-proxy",
        vec![tcp_from_group(5432, SG_API)],
        all_out(),
    );
    model.add_group(
        SG_WINDOWS,
        "windows-servers",
        vec![tcp(3389, "10.0.0.0/16")],
        all_out(),
    );
    model.add_group(
        SG_RDP_JUMP,
        "rdp-jump",
        vec![tcp(3389, "0.0.0.0/0")],
        all_out(),
    );
    model.add_group(SG_ANALYTICS, "analytics", vec![], all_out());

    model.attach("i-0a1f3c5e7b9d10001", &[SG_WEB]);
    model.attach("i-0a1f3c5e7b9d10002", &[SG_WEB]);
    model.attach("i-0a1f3c5e7b9d10003", &[SG_API]);
    model.attach("i-0a1f3c5e7b9d10004", &[SG_API_HARDENED]);
    model.attach("i-0a1f3c5e7b9d10005", &[SG_BATCH]);
    model.attach("i-0a1f3c5e7b9d10006", &[SG_BASTION]);
    model.attach("i-0a1f3c5e7b9d10007", &[SG_DB_PROXY]);
    model.attach("i-0a1f3c5e7b9d10008", &[SG_WINDOWS]);
    model.attach("i-0a1f3c5e7b9d10009", &[SG_WINDOWS]);
    model.attach("i-0a1f3c5e7b9d10010", &[SG_RDP_JUMP]);
    model.attach("i-0a1f3c5e7b9d10011", &[SG_WEB]);
    model.imds("i-0a1f3c5e7b9d10011", true, HttpTokens::Optional);
    model.attach("i-0a1f3c5e7b9d10012", &[SG_ANALYTICS]);
    model.dhmc.insert(REGION, None);
}
