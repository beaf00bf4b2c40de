//! A region as its file declares it: one VPC with its route tables, subnets (each in an
//! availability zone), security groups and endpoints, Default Host Management, and the
//! instances placed in it. Both regions have this shape; their files differ only in data.

use unyo_core::Instance;
use unyo_core::readiness::{RouteTarget, SecurityGroup, SecurityGroupRule};

use super::DHMC_ROLE;
use super::node::{HostKind, Node};
use crate::network::model::{Attachment, DNS_ON, Endpoint, Model, Subnet, Table, Vpc};

/// A subnet and the availability zone (its letter) its instances run in.
#[derive(Debug, Clone)]
struct Placed {
    subnet: Subnet,
    zone: &'static str,
}

#[derive(Debug, Clone)]
pub(crate) struct Region {
    pub name: &'static str,
    vpc: Vpc,
    tables: Vec<Table>,
    subnets: Vec<Placed>,
    groups: Vec<SecurityGroup>,
    endpoints: Vec<Endpoint>,
    dhmc: Option<String>,
    nodes: Vec<Node>,
}

/// A default route to an internet gateway.
pub(crate) fn internet(gateway: &str) -> Option<RouteTarget> {
    Some(RouteTarget::InternetGateway {
        id: gateway.to_owned(),
    })
}

/// A default route to a NAT gateway.
pub(crate) fn nat(gateway: &str) -> Option<RouteTarget> {
    Some(RouteTarget::NatGateway {
        id: gateway.to_owned(),
    })
}

impl Region {
    /// `name`'s one VPC, with DNS support and hostnames on, and Default Host Management off.
    pub fn new(name: &'static str, vpc: &'static str, cidr: &'static str) -> Self {
        Self {
            name,
            vpc: Vpc {
                id: vpc,
                cidr,
                dns: DNS_ON,
            },
            tables: Vec::new(),
            subnets: Vec::new(),
            groups: Vec::new(),
            endpoints: Vec::new(),
            dhmc: None,
            nodes: Vec::new(),
        }
    }

    /// The VPC's main route table: local routes only, for subnets with no association.
    pub fn main_table(self, id: &'static str) -> Self {
        self.add_table(id, true, None)
    }

    /// A route table with `default_route` (`None`: local routes only).
    pub fn table(self, id: &'static str, default_route: Option<RouteTarget>) -> Self {
        self.add_table(id, false, default_route)
    }

    fn add_table(
        mut self,
        id: &'static str,
        main: bool,
        default_route: Option<RouteTarget>,
    ) -> Self {
        self.tables.push(Table {
            id,
            vpc: self.vpc.id,
            main,
            default_route,
        });
        self
    }

    /// A subnet in zone `zone` (`a`, `b`, ...) associated with `route_table`, or with none
    /// so the main table serves it.
    pub fn subnet(
        mut self,
        id: &'static str,
        zone: &'static str,
        route_table: Option<&'static str>,
    ) -> Self {
        self.subnets.push(Placed {
            subnet: Subnet {
                id,
                vpc: self.vpc.id,
                route_table,
            },
            zone,
        });
        self
    }

    pub fn group(
        mut self,
        id: &str,
        name: &str,
        inbound: Vec<SecurityGroupRule>,
        outbound: Vec<SecurityGroupRule>,
    ) -> Self {
        self.groups.push(SecurityGroup {
            id: id.to_owned(),
            name: name.to_owned(),
            inbound,
            outbound,
        });
        self
    }

    /// An interface endpoint for `service` (private DNS on, in the subnets with no way out).
    pub fn interface_endpoint(
        mut self,
        id: &'static str,
        service: &'static str,
        groups: &[&'static str],
    ) -> Self {
        self.endpoints.push(Endpoint {
            id,
            vpc: self.vpc.id,
            service,
            groups: groups.to_vec(),
            route_tables: Vec::new(),
        });
        self
    }

    /// The S3 gateway endpoint, serving `route_tables`.
    pub fn s3_gateway(mut self, id: &'static str, route_tables: &[&'static str]) -> Self {
        self.endpoints.push(Endpoint {
            id,
            vpc: self.vpc.id,
            service: "s3",
            groups: Vec::new(),
            route_tables: route_tables.to_vec(),
        });
        self
    }

    /// Turns Default Host Management on, with AWS's default role.
    pub fn default_host_management(mut self) -> Self {
        self.dhmc = Some(DHMC_ROLE.to_owned());
        self
    }

    pub fn nodes(mut self, nodes: impl IntoIterator<Item = Node>) -> Self {
        self.nodes.extend(nodes);
        self
    }

    /// The fleet's view of the region's instances: region, zone and VPC follow from each
    /// instance's subnet.
    pub fn instances(&self) -> Vec<Instance> {
        self.nodes
            .iter()
            .map(|node| {
                let zone = self.placed(node.subnet).map_or("", |p| p.zone);
                Instance {
                    region: self.name.to_owned(),
                    availability_zone: format!("{}{zone}", self.name),
                    vpc_id: Some(self.vpc.id.to_owned()),
                    ..node.instance.clone()
                }
            })
            .collect()
    }

    /// Adds the region's network, and its instances' place in it, to `model`.
    pub fn add_to(self, model: &mut Model) {
        model.vpcs.push(self.vpc);
        model.tables.extend(self.tables);
        model
            .subnets
            .extend(self.subnets.into_iter().map(|p| p.subnet));
        model.endpoints.extend(self.endpoints);
        model
            .groups
            .extend(self.groups.into_iter().map(|g| (g.id.clone(), g)));
        for node in self.nodes {
            model.attachments.insert(
                node.id,
                Attachment {
                    groups: node.groups,
                    imds: node.imds,
                },
            );
        }
        model.dhmc.insert(self.name, self.dhmc);
    }

    /// The machine kind of `instance_id`, if the region has it.
    pub fn host_kind(&self, instance_id: &str) -> Option<HostKind> {
        self.nodes
            .iter()
            .find(|n| n.id == instance_id)
            .map(|n| n.host)
    }

    fn placed(&self, subnet: &str) -> Option<&Placed> {
        self.subnets.iter().find(|p| p.subnet.id == subnet)
    }

    /// Whether every instance names a subnet and security groups the region declares: the
    /// ids are strings, so a typo would otherwise only show as a confusing doctor verdict.
    #[cfg(test)]
    pub fn check_placements(&self) -> Result<(), String> {
        for node in &self.nodes {
            if self.placed(node.subnet).is_none() {
                return Err(format!("{}: no subnet {:?}", node.id, node.subnet));
            }
            if let Some(group) = node
                .groups
                .iter()
                .find(|g| !self.groups.iter().any(|d| d.id == **g))
            {
                return Err(format!("{}: no security group {group}", node.id));
            }
        }
        Ok(())
    }
}
