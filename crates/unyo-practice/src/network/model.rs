//! The shape of the practice network: VPCs, subnets, route tables, security groups,
//! endpoints, and each instance's groups and metadata options. Plain data; the region
//! declarations in `crate::regions` fill it.

use std::collections::BTreeMap;

use unyo_core::readiness::{Imds, RouteTarget, SecurityGroup, SecurityGroupRule, VpcDns};

#[derive(Debug, Clone)]
pub struct Vpc {
    pub id: &'static str,
    pub cidr: &'static str,
    pub dns: VpcDns,
}

#[derive(Debug, Clone)]
pub struct Subnet {
    pub id: &'static str,
    pub vpc: &'static str,
    /// `None`: the subnet has no association and uses the VPC's main route table.
    pub route_table: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub id: &'static str,
    pub vpc: &'static str,
    pub main: bool,
    pub default_route: Option<RouteTarget>,
}

#[derive(Debug, Clone)]
pub struct Endpoint {
    pub id: &'static str,
    pub vpc: &'static str,
    /// `ssm`, `ssmmessages`, `ec2messages`, or `s3` for the gateway endpoint.
    pub service: &'static str,
    pub groups: Vec<&'static str>,
    /// The route tables a gateway endpoint serves.
    pub route_tables: Vec<&'static str>,
}

/// An instance's place in the network, beyond what the fleet lists.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub groups: Vec<&'static str>,
    pub imds: Imds,
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub role: &'static str,
    pub policies: Vec<&'static str>,
}

#[derive(Debug, Clone, Default)]
pub struct Model {
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub tables: Vec<Table>,
    /// Security groups by id.
    pub groups: BTreeMap<String, SecurityGroup>,
    pub endpoints: Vec<Endpoint>,
    pub attachments: BTreeMap<&'static str, Attachment>,
    pub profiles: BTreeMap<&'static str, Profile>,
    /// Region to the Default Host Management role, `None` when off.
    pub dhmc: BTreeMap<&'static str, Option<String>>,
}

/// A rule for `protocol` ports `from..=to` from or to `cidr`.
pub fn rule(protocol: &str, ports: Option<(i32, i32)>, cidr: &str) -> SecurityGroupRule {
    SecurityGroupRule {
        protocol: protocol.to_owned(),
        from_port: ports.map(|p| p.0),
        to_port: ports.map(|p| p.1),
        ipv4_ranges: vec![cidr.to_owned()],
        ipv6_ranges: Vec::new(),
        security_groups: Vec::new(),
        prefix_lists: Vec::new(),
    }
}

pub fn tcp(port: i32, cidr: &str) -> SecurityGroupRule {
    rule("tcp", Some((port, port)), cidr)
}

/// An outbound rule as `AuthorizeSecurityGroupEgress` takes it: `protocol` `tcp` to `port`, or
/// `-1` for all traffic, to `cidr`.
pub fn egress(protocol: &str, port: u16, cidr: &str) -> SecurityGroupRule {
    if protocol == "-1" {
        rule("-1", None, cidr)
    } else {
        rule(protocol, Some((i32::from(port), i32::from(port))), cidr)
    }
}

/// TCP `port` from members of another security group.
pub fn tcp_from_group(port: i32, group: &str) -> SecurityGroupRule {
    SecurityGroupRule {
        ipv4_ranges: Vec::new(),
        security_groups: vec![group.to_owned()],
        ..tcp(port, "")
    }
}

/// The whole IPv4 internet, as a rule's range.
pub const ANYWHERE: &str = "0.0.0.0/0";

/// EC2's default outbound rule: everything, anywhere.
pub fn all_out() -> Vec<SecurityGroupRule> {
    vec![rule("-1", None, ANYWHERE)]
}

pub const DNS_ON: VpcDns = VpcDns {
    support: true,
    hostnames: true,
};
