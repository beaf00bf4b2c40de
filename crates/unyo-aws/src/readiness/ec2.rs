//! The EC2 side: the instances, then the network of their VPCs, read once per region.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_ec2::error::ProvideErrorMetadata;
use aws_sdk_ec2::types::{self as ec2, Filter, InstanceStateName, VpcAttributeName};
use unyo_core::AppError;
use unyo_core::readiness::{Fact, SecurityGroup, SecurityGroupRule, VpcDns};

use super::unknown;

/// The region's instances (or just `only`), terminated ones left out.
pub(crate) async fn instances(
    client: &aws_sdk_ec2::Client,
    region: &str,
    only: Option<&str>,
) -> Result<Vec<ec2::Instance>, AppError> {
    let mut pages = client
        .describe_instances()
        .set_instance_ids(only.map(|id| vec![id.to_owned()]))
        .into_paginator()
        .send();
    let mut instances = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|err| {
            let missing = err
                .as_service_error()
                .and_then(|e| e.code())
                .is_some_and(|c| c.starts_with("InvalidInstanceID"));
            match (missing, only) {
                (true, Some(id)) => {
                    AppError::invalid_input(format!("there is no instance {id} in {region}"))
                }
                _ => {
                    let mapped = crate::from_sdk(&err);
                    AppError::new(
                        mapped.code,
                        format!(
                            "EC2 DescribeInstances in {region} failed: {}",
                            mapped.message
                        ),
                    )
                }
            }
        })?;
        for reservation in page.reservations.unwrap_or_default() {
            instances.extend(
                reservation
                    .instances
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|i| {
                        i.state().and_then(|s| s.name()) != Some(&InstanceStateName::Terminated)
                    }),
            );
        }
    }
    Ok(instances)
}

/// The network of some VPCs, each part known or unknown on its own.
#[derive(Debug)]
pub(crate) struct Network {
    /// VPC id to its IPv4 CIDR blocks.
    pub cidrs: Fact<HashMap<String, Vec<String>>>,
    pub route_tables: Fact<Vec<ec2::RouteTable>>,
    pub groups: Fact<HashMap<String, SecurityGroup>>,
    pub endpoints: Fact<Vec<ec2::VpcEndpoint>>,
    pub acls: Fact<Vec<ec2::NetworkAcl>>,
    pub dns: HashMap<String, Fact<VpcDns>>,
}

fn in_vpcs(vpcs: &BTreeSet<String>) -> Filter {
    Filter::builder()
        .name("vpc-id")
        .set_values(Some(vpcs.iter().cloned().collect()))
        .build()
}

/// Collects a paginated describe call's items, or the fact that says why not.
macro_rules! collect {
    ($action:literal, $request:expr, $items:ident) => {{
        let mut pages = $request.into_paginator().send();
        let mut items = Vec::new();
        loop {
            match pages.next().await {
                None => break Fact::known(items),
                Some(Ok(page)) => items.extend(page.$items.unwrap_or_default()),
                Some(Err(err)) => break unknown::from_sdk($action, &err),
            }
        }
    }};
}

pub(crate) async fn network(client: &aws_sdk_ec2::Client, vpcs: &BTreeSet<String>) -> Network {
    let filter = in_vpcs(vpcs);
    let (vpc_list, route_tables, groups, endpoints, acls, dns) = tokio::join!(
        async {
            collect!(
                "ec2:DescribeVpcs",
                client.describe_vpcs().filters(filter.clone()),
                vpcs
            )
        },
        async {
            collect!(
                "ec2:DescribeRouteTables",
                client.describe_route_tables().filters(filter.clone()),
                route_tables
            )
        },
        async {
            collect!(
                "ec2:DescribeSecurityGroups",
                client.describe_security_groups().filters(filter.clone()),
                security_groups
            )
        },
        async {
            collect!(
                "ec2:DescribeVpcEndpoints",
                client.describe_vpc_endpoints().filters(filter.clone()),
                vpc_endpoints
            )
        },
        async {
            collect!(
                "ec2:DescribeNetworkAcls",
                client.describe_network_acls().filters(filter.clone()),
                network_acls
            )
        },
        vpc_dns(client, vpcs),
    );
    let cidrs = match vpc_list {
        Fact::Known { value } => Fact::known(
            value
                .into_iter()
                .filter_map(|vpc| {
                    let blocks = vpc
                        .cidr_block_association_set()
                        .iter()
                        .filter_map(|a| a.cidr_block().map(str::to_owned))
                        .collect::<Vec<_>>();
                    let blocks = if blocks.is_empty() {
                        vpc.cidr_block().map(str::to_owned).into_iter().collect()
                    } else {
                        blocks
                    };
                    Some((vpc.vpc_id?, blocks))
                })
                .collect(),
        ),
        Fact::Unknown { reason, detail } => Fact::Unknown { reason, detail },
    };
    let groups = match groups {
        Fact::Known { value } => Fact::known(
            value
                .iter()
                .filter_map(|g| Some((g.group_id()?.to_owned(), group(g))))
                .collect(),
        ),
        Fact::Unknown { reason, detail } => Fact::Unknown { reason, detail },
    };
    Network {
        cidrs,
        route_tables,
        groups,
        endpoints,
        acls,
        dns,
    }
}

async fn vpc_dns(
    client: &aws_sdk_ec2::Client,
    vpcs: &BTreeSet<String>,
) -> HashMap<String, Fact<VpcDns>> {
    let mut out = HashMap::new();
    for vpc in vpcs {
        let ask = |attribute: VpcAttributeName| {
            client
                .describe_vpc_attribute()
                .vpc_id(vpc)
                .attribute(attribute)
                .send()
        };
        let (support, hostnames) = tokio::join!(
            ask(VpcAttributeName::EnableDnsSupport),
            ask(VpcAttributeName::EnableDnsHostnames)
        );
        let fact = match (support, hostnames) {
            (Ok(support), Ok(hostnames)) => Fact::known(VpcDns {
                support: support
                    .enable_dns_support()
                    .and_then(|v| v.value())
                    .unwrap_or(false),
                hostnames: hostnames
                    .enable_dns_hostnames()
                    .and_then(|v| v.value())
                    .unwrap_or(false),
            }),
            (Err(err), _) | (_, Err(err)) => unknown::from_sdk("ec2:DescribeVpcAttribute", &err),
        };
        out.insert(vpc.clone(), fact);
    }
    out
}

fn group(g: &ec2::SecurityGroup) -> SecurityGroup {
    SecurityGroup {
        id: g.group_id().unwrap_or_default().to_owned(),
        name: g.group_name().unwrap_or_default().to_owned(),
        inbound: g.ip_permissions().iter().map(rule).collect(),
        outbound: g.ip_permissions_egress().iter().map(rule).collect(),
    }
}

fn rule(p: &ec2::IpPermission) -> SecurityGroupRule {
    SecurityGroupRule {
        protocol: p.ip_protocol().unwrap_or("-1").to_owned(),
        from_port: p.from_port(),
        to_port: p.to_port(),
        ipv4_ranges: p
            .ip_ranges()
            .iter()
            .filter_map(|r| r.cidr_ip().map(str::to_owned))
            .collect(),
        ipv6_ranges: p
            .ipv6_ranges()
            .iter()
            .filter_map(|r| r.cidr_ipv6().map(str::to_owned))
            .collect(),
        security_groups: p
            .user_id_group_pairs()
            .iter()
            .filter_map(|g| g.group_id().map(str::to_owned))
            .collect(),
        prefix_lists: p
            .prefix_list_ids()
            .iter()
            .filter_map(|l| l.prefix_list_id().map(str::to_owned))
            .collect(),
    }
}
