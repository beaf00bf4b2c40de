//! N. Virginia: public subnets behind an internet gateway and private subnets with no route
//! out, served by interface endpoints for ssm, ssmmessages and ec2messages (private DNS, so
//! the whole VPC uses them) and an S3 gateway endpoint. Default Host Management is on.

use unyo_core::readiness::{HttpTokens, RouteTarget};

use super::model::{DNS_ON, Endpoint, Model, Subnet, Table, Vpc, all_out, tcp};

pub const REGION: &str = "us-east-1";
pub const VPC: &str = "vpc-0f9e8d7c6b5a40002";
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
pub const DHMC_ROLE: &str = "service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole";

pub fn add(model: &mut Model) {
    model.vpcs.push(Vpc {
        id: VPC,
        cidr: "172.31.0.0/16",
        dns: DNS_ON,
    });
    let table = |id, main, target: Option<RouteTarget>| Table {
        id,
        vpc: VPC,
        main,
        default_route: target,
    };
    model.tables.extend([
        table("rtb-0bb10000000000000", true, None),
        table(
            "rtb-0bb10000000000001",
            false,
            Some(RouteTarget::InternetGateway {
                id: "igw-0bb10000000000001".into(),
            }),
        ),
        table("rtb-0bb10000000000011", false, None),
    ]);
    let subnet = |id, route_table| Subnet {
        id,
        vpc: VPC,
        route_table,
    };
    model.subnets.extend([
        subnet("subnet-0bb1000000000001a", Some("rtb-0bb10000000000001")),
        subnet("subnet-0bb1000000000002b", Some("rtb-0bb10000000000001")),
        subnet("subnet-0bb1000000000011a", Some("rtb-0bb10000000000011")),
        subnet("subnet-0bb1000000000012b", Some("rtb-0bb10000000000011")),
    ]);
    for (id, service) in [
        ("vpce-0bb10000000000ssm", "ssm"),
        ("vpce-0bb1000000ssmmsgs", "ssmmessages"),
        ("vpce-0bb1000000ec2msgs", "ec2messages"),
    ] {
        model.endpoints.push(Endpoint {
            id,
            vpc: VPC,
            service,
            groups: vec![SG_ENDPOINTS],
            route_tables: Vec::new(),
        });
    }
    model.endpoints.push(Endpoint {
        id: "vpce-0bb100000000000s3",
        vpc: VPC,
        service: "s3",
        groups: Vec::new(),
        route_tables: vec!["rtb-0bb10000000000011"],
    });
    model.add_group(
        SG_ENDPOINTS,
        "ssm-endpoints",
        vec![tcp(443, "172.31.0.0/16")],
        all_out(),
    );
    model.add_group(
        SG_WEB,
        "web",
        vec![tcp(80, "0.0.0.0/0"), tcp(443, "0.0.0.0/0")],
        all_out(),
    );
    model.add_group(
        SG_API,
        "orders-api",
        vec![tcp(8080, "172.31.0.0/16")],
        all_out(),
    );
    model.add_group(
        SG_LEGACY,
        "billing-legacy",
        vec![tcp(8443, "172.31.0.0/16")],
        all_out(),
    );
    model.add_group(SG_QUEUE, "queue", vec![], all_out());
    model.add_group(
        SG_SQL,
        "sql-server",
        vec![tcp(1433, "172.31.0.0/16")],
        all_out(),
    );
    model.add_group(SG_CI, "ci-build", vec![], vec![tcp(80, "0.0.0.0/0")]);
    model.add_group(
        SG_MONITORING,
        "prometheus",
        vec![tcp(9090, "172.31.0.0/16")],
        all_out(),
    );
    model.add_group(
        SG_SANDBOX,
        "dev-sandbox",
        vec![tcp(22, "0.0.0.0/0")],
        all_out(),
    );

    model.attach("i-0f9e8d7c6b5a40013", &[SG_WEB]);
    model.attach("i-0f9e8d7c6b5a40014", &[SG_WEB]);
    model.attach("i-0f9e8d7c6b5a40015", &[SG_API]);
    model.attach("i-0f9e8d7c6b5a40016", &[SG_LEGACY]);
    model.attach("i-0f9e8d7c6b5a40017", &[SG_QUEUE]);
    model.attach("i-0f9e8d7c6b5a40018", &[SG_SQL]);
    model.attach("i-0f9e8d7c6b5a40019", &[SG_CI]);
    model.imds("i-0f9e8d7c6b5a40019", true, HttpTokens::Optional);
    model.attach("i-0f9e8d7c6b5a40020", &[SG_MONITORING]);
    model.attach("i-0f9e8d7c6b5a40021", &[SG_SANDBOX]);
    // Turned off "for security" by a hardening script; Default Host Management can't read
    // its credentials.
    model.imds("i-0f9e8d7c6b5a40021", false, HttpTokens::Required);
    model.attach("i-0f9e8d7c6b5a40022", &[SG_WEB]);
    model.dhmc.insert(REGION, Some(DHMC_ROLE.to_owned()));
}
