//! One instance's facts, picked out of the region's answers: its security groups, the route
//! table of its subnet (or the VPC's main one), its network ACL (or the VPC's default one),
//! the endpoints of its VPC, its registration and its profile's role.

use std::collections::HashMap;

use aws_sdk_ec2::types::{self as ec2, HttpTokensState, InstanceMetadataEndpointState, RouteState};
use unyo_core::readiness::{
    Dhmc, Fact, HttpTokens, IdentityFacts, Imds, InstanceProfile, InterfaceEndpoint, NetworkAcl,
    NetworkAclEntry, NetworkFacts, ReadinessFacts, Registration, RouteTable, RouteTarget,
    SecurityGroup, UnknownReason,
};
use unyo_core::{InstanceState, Platform};

use super::ec2::Network;
use super::identity::{ProfileRole, profile_name};
use super::unknown;

/// The services whose interface endpoints the doctor looks at.
const SERVICES: [&str; 3] = ["ssm", "ssmmessages", "ec2messages"];

pub(crate) struct Context<'a> {
    pub region: &'a str,
    pub network: &'a Network,
    pub registrations: &'a Fact<HashMap<String, Registration>>,
    pub dhmc: &'a Fact<Dhmc>,
    pub profiles: &'a HashMap<String, ProfileRole>,
}

/// Applies `f` to a known fact, keeping an unknown one's reason.
fn map<T, U>(fact: &Fact<T>, f: impl FnOnce(&T) -> U) -> Fact<U> {
    match fact {
        Fact::Known { value } => Fact::known(f(value)),
        Fact::Unknown { reason, detail } => Fact::unknown(*reason, detail.clone()),
    }
}

impl Context<'_> {
    pub fn facts(&self, instance: &ec2::Instance) -> ReadinessFacts {
        let id = instance.instance_id().unwrap_or_default().to_owned();
        let name = instance
            .tags()
            .iter()
            .find(|t| t.key() == Some("Name"))
            .and_then(|t| t.value())
            .unwrap_or_default()
            .to_owned();
        ReadinessFacts {
            registration: map(self.registrations, |r| r.get(&id).cloned()),
            instance_id: id,
            name,
            region: self.region.to_owned(),
            state: state(instance),
            platform: if instance.platform().is_some() {
                Platform::Windows
            } else {
                Platform::Linux
            },
            private_ip: instance.private_ip_address().map(str::to_owned),
            public_ip: instance.public_ip_address().map(str::to_owned),
            identity: self.identity(instance),
            network: self.network(instance),
        }
    }

    fn identity(&self, instance: &ec2::Instance) -> IdentityFacts {
        let profile = instance.iam_instance_profile().and_then(|p| p.arn());
        let instance_profile = Fact::known(profile.map(|arn| {
            let found = self.profiles.get(arn);
            InstanceProfile {
                name: profile_name(arn).to_owned(),
                arn: Some(arn.to_owned()),
                role: found.map_or_else(
                    || Fact::unknown(UnknownReason::NotGathered, "not asked"),
                    |f| f.role.clone(),
                ),
                attached_policies: found.map_or_else(
                    || Fact::unknown(UnknownReason::NotGathered, "not asked"),
                    |f| f.policies.clone(),
                ),
            }
        }));
        let imds = match instance.metadata_options() {
            Some(options) => Fact::known(Imds {
                endpoint_enabled: options.http_endpoint()
                    != Some(&InstanceMetadataEndpointState::Disabled),
                http_tokens: if options.http_tokens() == Some(&HttpTokensState::Required) {
                    HttpTokens::Required
                } else {
                    HttpTokens::Optional
                },
            }),
            None => Fact::unknown(
                UnknownReason::Unsupported,
                "DescribeInstances gave no metadata options",
            ),
        };
        IdentityFacts {
            instance_profile,
            dhmc: self.dhmc.clone(),
            imds,
        }
    }

    fn network(&self, instance: &ec2::Instance) -> NetworkFacts {
        let vpc = instance.vpc_id().map(str::to_owned);
        let subnet = instance.subnet_id().map(str::to_owned);
        let net = self.network;
        let Some(vpc_id) = vpc.clone() else {
            return NetworkFacts {
                vpc_id: None,
                subnet_id: subnet,
                vpc_cidrs: no_vpc(),
                security_groups: no_vpc(),
                route_table: no_vpc(),
                interface_endpoints: no_vpc(),
                s3_gateway_endpoint: no_vpc(),
                network_acl: no_vpc(),
                vpc_dns: no_vpc(),
            };
        };
        // The instance's groups are its network interfaces' groups; EC2 lists the primary
        // interface's at the top, but an emulator may list them only per interface.
        let mut own_groups: Vec<String> = Vec::new();
        let listed = instance.security_groups().iter().chain(
            instance
                .network_interfaces()
                .iter()
                .flat_map(|interface| interface.groups()),
        );
        for id in listed.filter_map(|g| g.group_id()) {
            if !own_groups.iter().any(|g| g == id) {
                own_groups.push(id.to_owned());
            }
        }
        let groups_of = |ids: &[String]| -> Fact<Vec<SecurityGroup>> {
            map(&net.groups, |all| {
                ids.iter().filter_map(|id| all.get(id).cloned()).collect()
            })
        };
        let route_table = match &net.route_tables {
            Fact::Known { value } => route_table(value, &vpc_id, subnet.as_deref()),
            Fact::Unknown { reason, detail } => Fact::unknown(*reason, detail.clone()),
        };
        let table_id = route_table.value().map(|t| t.id.clone());
        let interface_endpoints = map(&net.endpoints, |all| {
            all.iter()
                .filter(|e| e.vpc_id() == Some(vpc_id.as_str()))
                .filter(|e| e.vpc_endpoint_type() == Some(&ec2::VpcEndpointType::Interface))
                .filter_map(|e| {
                    let service = service(e.service_name()?, self.region)?;
                    let ids: Vec<String> = e
                        .groups()
                        .iter()
                        .filter_map(|g| g.group_id().map(str::to_owned))
                        .collect();
                    Some(InterfaceEndpoint {
                        id: e.vpc_endpoint_id().unwrap_or_default().to_owned(),
                        service: service.to_owned(),
                        state: e
                            .state()
                            .map(|s| s.as_str().to_lowercase())
                            .unwrap_or_default(),
                        private_dns: e.private_dns_enabled().unwrap_or(false),
                        subnet_ids: e.subnet_ids().to_vec(),
                        security_groups: groups_of(&ids),
                    })
                })
                .filter(|e| SERVICES.contains(&e.service.as_str()))
                .collect()
        });
        let s3_gateway_endpoint = match (&net.endpoints, &table_id) {
            (Fact::Known { value }, Some(table)) => Fact::known(
                value
                    .iter()
                    .find(|e| {
                        e.vpc_endpoint_type() == Some(&ec2::VpcEndpointType::Gateway)
                            && e.service_name().and_then(|s| service(s, self.region)) == Some("s3")
                            && e.route_table_ids().iter().any(|t| t == table)
                    })
                    .and_then(|e| e.vpc_endpoint_id().map(str::to_owned)),
            ),
            (Fact::Known { .. }, None) => unknown::again(&route_table),
            (Fact::Unknown { reason, detail }, _) => Fact::unknown(*reason, detail.clone()),
        };
        let network_acl = match &net.acls {
            Fact::Known { value } => acl(value, &vpc_id, subnet.as_deref()),
            Fact::Unknown { reason, detail } => Fact::unknown(*reason, detail.clone()),
        };
        NetworkFacts {
            vpc_cidrs: map(&net.cidrs, |all| {
                all.get(&vpc_id).cloned().unwrap_or_default()
            }),
            security_groups: groups_of(&own_groups),
            route_table,
            interface_endpoints,
            s3_gateway_endpoint,
            network_acl,
            vpc_dns: net.dns.get(&vpc_id).cloned().unwrap_or_else(|| {
                Fact::unknown(UnknownReason::NotGathered, "the VPC was not asked about")
            }),
            vpc_id: vpc,
            subnet_id: subnet,
        }
    }
}

fn no_vpc<T>() -> Fact<T> {
    Fact::unknown(UnknownReason::NotGathered, "the instance is in no VPC")
}

fn state(instance: &ec2::Instance) -> InstanceState {
    use ec2::InstanceStateName as Name;
    match instance.state().and_then(|s| s.name()) {
        Some(Name::Pending) => InstanceState::Pending,
        Some(Name::Running) => InstanceState::Running,
        Some(Name::Stopping) => InstanceState::Stopping,
        Some(Name::Stopped) => InstanceState::Stopped,
        Some(Name::ShuttingDown) => InstanceState::ShuttingDown,
        Some(Name::Terminated) => InstanceState::Terminated,
        // A state this SDK does not know yet: not running, as far as a session is concerned.
        _ => InstanceState::Stopped,
    }
}

/// `com.amazonaws.ap-northeast-1.ssm` to `ssm`; `None` for another region's or a partner's.
fn service<'a>(name: &'a str, region: &str) -> Option<&'a str> {
    name.strip_prefix("com.amazonaws.")?
        .strip_prefix(region)?
        .strip_prefix('.')
}

/// The subnet's own route table, else the VPC's main one (which serves every subnet that has
/// no association of its own).
fn route_table(tables: &[ec2::RouteTable], vpc: &str, subnet: Option<&str>) -> Fact<RouteTable> {
    let own = subnet.and_then(|subnet| {
        tables.iter().find(|t| {
            t.associations()
                .iter()
                .any(|a| a.subnet_id() == Some(subnet))
        })
    });
    let main = || {
        tables.iter().find(|t| {
            t.vpc_id() == Some(vpc) && t.associations().iter().any(|a| a.main() == Some(true))
        })
    };
    let (table, is_main) = match own {
        Some(table) => (table, false),
        None => match main() {
            Some(table) => (table, true),
            None => {
                return Fact::unknown(
                    UnknownReason::Failed,
                    format!("no route table of {vpc} serves the subnet, and it has no main one"),
                );
            }
        },
    };
    let default_route = table
        .routes()
        .iter()
        .find(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))
        .map(|r| {
            let id = [
                r.nat_gateway_id(),
                r.gateway_id(),
                r.transit_gateway_id(),
                r.vpc_peering_connection_id(),
                r.network_interface_id(),
                r.instance_id(),
                r.egress_only_internet_gateway_id(),
                r.local_gateway_id(),
                r.carrier_gateway_id(),
            ]
            .into_iter()
            .flatten()
            .next()
            .unwrap_or("an unknown target")
            .to_owned();
            if r.state() == Some(&RouteState::Blackhole) {
                RouteTarget::Blackhole { id }
            } else if r.nat_gateway_id().is_some() {
                RouteTarget::NatGateway { id }
            } else if id.starts_with("igw-") {
                RouteTarget::InternetGateway { id }
            } else {
                RouteTarget::Other { id }
            }
        });
    Fact::known(RouteTable {
        id: table.route_table_id().unwrap_or_default().to_owned(),
        main: is_main,
        default_route,
    })
}

/// The subnet's network ACL, else the VPC's default one.
fn acl(acls: &[ec2::NetworkAcl], vpc: &str, subnet: Option<&str>) -> Fact<NetworkAcl> {
    let own = subnet.and_then(|subnet| {
        acls.iter().find(|a| {
            a.associations()
                .iter()
                .any(|s| s.subnet_id() == Some(subnet))
        })
    });
    let Some(found) = own.or_else(|| {
        acls.iter()
            .find(|a| a.vpc_id() == Some(vpc) && a.is_default() == Some(true))
    }) else {
        return Fact::unknown(
            UnknownReason::Failed,
            format!("no network ACL of {vpc} covers the subnet"),
        );
    };
    Fact::known(NetworkAcl {
        id: found.network_acl_id().unwrap_or_default().to_owned(),
        entries: found
            .entries()
            .iter()
            .filter_map(|e| {
                Some(NetworkAclEntry {
                    rule_number: e.rule_number()?,
                    outbound: e.egress().unwrap_or(false),
                    protocol: e.protocol().unwrap_or("-1").to_owned(),
                    from_port: e.port_range().and_then(|p| p.from()),
                    to_port: e.port_range().and_then(|p| p.to()),
                    // IPv6-only entries have no IPv4 block and do not affect the agent.
                    cidr: e.cidr_block()?.to_owned(),
                    allow: e.rule_action() == Some(&ec2::RuleAction::Allow),
                })
            })
            .collect(),
    })
}
