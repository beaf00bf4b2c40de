//! Facts for rule tests: a healthy private instance behind a NAT gateway, and helpers that
//! break one thing at a time.

use crate::readiness::facts::*;
use crate::{InstanceState, PingStatus, Platform};

pub const VPC_CIDR: &str = "10.0.0.0/16";

pub fn rule(protocol: &str, ports: Option<(i32, i32)>, cidrs: &[&str]) -> SecurityGroupRule {
    SecurityGroupRule {
        protocol: protocol.into(),
        from_port: ports.map(|p| p.0),
        to_port: ports.map(|p| p.1),
        ipv4_ranges: cidrs.iter().map(|c| (*c).to_owned()).collect(),
        ipv6_ranges: vec![],
        security_groups: vec![],
        prefix_lists: vec![],
    }
}

pub fn group(
    id: &str,
    inbound: Vec<SecurityGroupRule>,
    outbound: Vec<SecurityGroupRule>,
) -> SecurityGroup {
    SecurityGroup {
        id: id.into(),
        name: format!("{id}-name"),
        inbound,
        outbound,
    }
}

pub fn acl_entry(
    n: i32,
    outbound: bool,
    allow: bool,
    protocol: &str,
    ports: Option<(i32, i32)>,
) -> NetworkAclEntry {
    NetworkAclEntry {
        rule_number: n,
        outbound,
        protocol: protocol.into(),
        from_port: ports.map(|p| p.0),
        to_port: ports.map(|p| p.1),
        cidr: "0.0.0.0/0".into(),
        allow,
    }
}

/// The default network ACL: everything allowed both ways.
pub fn open_acl() -> NetworkAcl {
    NetworkAcl {
        id: "acl-1".into(),
        entries: vec![
            acl_entry(100, true, true, "-1", None),
            acl_entry(32767, true, false, "-1", None),
            acl_entry(100, false, true, "-1", None),
            acl_entry(32767, false, false, "-1", None),
        ],
    }
}

pub fn healthy() -> ReadinessFacts {
    ReadinessFacts {
        instance_id: "i-0abc".into(),
        name: "api-1".into(),
        region: "ap-northeast-1".into(),
        state: InstanceState::Running,
        platform: Platform::Linux,
        private_ip: Some("10.0.11.21".into()),
        public_ip: None,
        registration: Fact::known(Some(Registration {
            ping_status: PingStatus::Online,
            last_ping_at: Some("2026-11-28T09:58:41Z".into()),
            agent_version: Some("3.3.1142.0".into()),
        })),
        identity: IdentityFacts {
            instance_profile: Fact::known(Some(InstanceProfile {
                name: "AppProfile".into(),
                arn: Some("arn:aws:iam::123456789012:instance-profile/AppProfile".into()),
                role: Fact::known(Some("AppRole".into())),
                attached_policies: Fact::known(vec!["AmazonSSMManagedInstanceCore".into()]),
            })),
            dhmc: Fact::known(Dhmc { role: None }),
            imds: Fact::known(Imds {
                endpoint_enabled: true,
                http_tokens: HttpTokens::Required,
            }),
        },
        network: NetworkFacts {
            vpc_id: Some("vpc-1".into()),
            subnet_id: Some("subnet-1".into()),
            vpc_cidrs: Fact::known(vec![VPC_CIDR.into()]),
            security_groups: Fact::known(vec![group(
                "sg-app",
                vec![],
                vec![rule("-1", None, &["0.0.0.0/0"])],
            )]),
            route_table: Fact::known(RouteTable {
                id: "rtb-1".into(),
                main: false,
                default_route: Some(RouteTarget::NatGateway { id: "nat-1".into() }),
            }),
            interface_endpoints: Fact::known(vec![]),
            s3_gateway_endpoint: Fact::known(None),
            network_acl: Fact::known(open_acl()),
            vpc_dns: Fact::known(VpcDns {
                support: true,
                hostnames: true,
            }),
        },
    }
}

/// Not registered with Systems Manager (so the network facts are not contradicted).
pub fn unmanaged(facts: &mut ReadinessFacts) {
    facts.registration = Fact::known(None);
}

pub fn open_inbound(facts: &mut ReadinessFacts, port: i32) {
    if let Fact::Known { value } = &mut facts.network.security_groups {
        value[0]
            .inbound
            .push(rule("tcp", Some((port, port)), &["0.0.0.0/0"]));
    }
}

/// Interface endpoints for `services`, with private DNS, in a group admitting 443 from `from`.
pub fn endpoints(facts: &mut ReadinessFacts, services: &[&str], from: &str) {
    let sg = group(
        "sg-endpoints",
        vec![rule("tcp", Some((443, 443)), &[from])],
        vec![],
    );
    facts.network.interface_endpoints = Fact::known(
        services
            .iter()
            .map(|service| InterfaceEndpoint {
                id: format!("vpce-{service}"),
                service: (*service).to_owned(),
                state: "available".into(),
                private_dns: true,
                subnet_ids: vec!["subnet-1".into()],
                security_groups: Fact::known(vec![sg.clone()]),
            })
            .collect(),
    );
}

pub fn default_route(facts: &mut ReadinessFacts, target: Option<RouteTarget>) {
    facts.network.route_table = Fact::known(RouteTable {
        id: "rtb-1".into(),
        main: false,
        default_route: target,
    });
}
