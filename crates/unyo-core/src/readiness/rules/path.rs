//! The network path from the instance to `ssm`, `ssmmessages` and `ec2messages`: an interface
//! endpoint with private DNS (which wins over any route, since the names resolve to it), else
//! the subnet's default route to an internet gateway (with a public IP) or a NAT gateway.

use super::{Context, check, unknown};
use crate::agent::AgentVersion;
use crate::readiness::facts::{InterfaceEndpoint, ReadinessFacts, RouteTarget};
use crate::readiness::fixes;
use crate::readiness::report::{Check, CheckId, CheckStatus, Fix};

/// The services the agent talks to, in the order they matter.
pub const SERVICES: [&str; 3] = ["ssm", "ssmmessages", "ec2messages"];

/// How one service is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Endpoint(InterfaceEndpoint),
    InternetGateway(String),
    NatGateway(String),
    /// Beyond what Unyo can see (transit gateway, firewall appliance, ...).
    Other(String),
}

impl Via {
    fn describe(&self) -> String {
        match self {
            Via::Endpoint(e) => format!("interface endpoint {}", e.id),
            Via::InternetGateway(id) => format!("internet gateway {id}"),
            Via::NatGateway(id) => format!("NAT gateway {id}"),
            Via::Other(id) => format!("{id} (beyond what Unyo can check)"),
        }
    }
}

/// Each service's path, or why there is none; `Err` when the facts that decide are unknown.
#[derive(Debug, Clone)]
pub struct Paths(pub Result<Vec<ServicePath>, String>);

/// A service and how it is reached, or why it is not.
pub type ServicePath = (&'static str, Result<Via, String>);

impl Paths {
    pub fn of(facts: &ReadinessFacts) -> Self {
        let network = &facts.network;
        let endpoints = network.interface_endpoints.value();
        let default = network.route_table.value().map(|t| match &t.default_route {
            Some(RouteTarget::InternetGateway { id }) if facts.public_ip.is_some() => {
                Ok(Via::InternetGateway(id.clone()))
            }
            Some(RouteTarget::InternetGateway { id }) => Err(format!(
                "the subnet routes to internet gateway {id}, but the instance has no public IP"
            )),
            Some(RouteTarget::NatGateway { id }) => Ok(Via::NatGateway(id.clone())),
            Some(RouteTarget::Other { id }) => Ok(Via::Other(id.clone())),
            Some(RouteTarget::Blackhole { id }) => Err(format!(
                "the default route's target {id} no longer exists (blackhole)"
            )),
            None => Err(format!("route table {} has no route to the internet", t.id)),
        });
        let mut paths = Vec::new();
        for service in SERVICES {
            let endpoint = endpoints.and_then(|list| {
                list.iter()
                    .find(|e| e.service == service && e.private_dns && e.state == "available")
            });
            let via = match (endpoint, &default) {
                (Some(endpoint), _) => Ok(Via::Endpoint(endpoint.clone())),
                (None, Some(Ok(via))) => Ok(via.clone()),
                (None, Some(Err(why))) if endpoints.is_some() => Err(format!(
                    "no {service} interface endpoint with private DNS, and {why}"
                )),
                (None, Some(Err(_))) => {
                    return Self(Err(network
                        .interface_endpoints
                        .why_unknown()
                        .unwrap_or_default()));
                }
                (None, None) => {
                    return Self(Err(network.route_table.why_unknown().unwrap_or_default()));
                }
            };
            paths.push((service, via));
        }
        Self(Ok(paths))
    }

    /// The paths that exist.
    pub fn vias(&self) -> Vec<&Via> {
        match &self.0 {
            Ok(paths) => paths
                .iter()
                .filter_map(|(_, via)| via.as_ref().ok())
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Whether some service goes out through a gateway rather than an endpoint.
    pub fn leaves_the_vpc(&self) -> bool {
        self.vias().iter().any(|v| !matches!(v, Via::Endpoint(_)))
    }

    pub fn uses_endpoints(&self) -> bool {
        self.vias().iter().any(|v| matches!(v, Via::Endpoint(_)))
    }
}

pub fn route(ctx: &Context<'_>) -> Option<Check> {
    let id = CheckId::NetworkRoute;
    let paths = match &ctx.paths.0 {
        Ok(paths) => paths,
        Err(_) => {
            let fact = if ctx.facts.network.route_table.value().is_none() {
                &ctx.facts.network.route_table
            } else {
                return Some(unknown(
                    ctx,
                    id,
                    "the VPC's interface endpoints",
                    &ctx.facts.network.interface_endpoints,
                ));
            };
            return Some(unknown(ctx, id, "the subnet's route table", fact));
        }
    };
    // Agents from 3.3.40.0 stop using ec2messages once ssmmessages connects.
    let threshold: Option<AgentVersion> = "3.3.40.0".parse().ok();
    let ec2messages_optional = ctx
        .agent
        .as_ref()
        .zip(threshold.as_ref())
        .is_some_and(|(agent, threshold)| agent >= threshold);
    let mut reached = Vec::new();
    let mut missing = Vec::new();
    let mut status = CheckStatus::Pass;
    for (service, via) in paths {
        match via {
            Ok(via) => {
                if matches!(via, Via::Other(_)) && status == CheckStatus::Pass {
                    status = CheckStatus::Warn;
                }
                reached.push(format!("{service} via {}", via.describe()));
            }
            Err(why) => {
                let blocking = match *service {
                    "ec2messages" => !ec2messages_optional,
                    "ssm" => !ctx.online,
                    _ => true,
                };
                status = if blocking {
                    CheckStatus::Fail
                } else {
                    status.max(CheckStatus::Warn)
                };
                missing.push((*service, why.clone()));
            }
        }
    }
    if missing.is_empty() {
        return Some(check(
            id,
            status,
            format!("Reaches {}.", reached.join(", ")),
            None,
        ));
    }
    let unreachable: Vec<&str> = missing.iter().map(|(s, _)| *s).collect();
    let mut evidence = format!(
        "{} cannot be reached: {}.",
        unreachable.join(", "),
        missing[0].1
    );
    if !reached.is_empty() {
        evidence.push_str(&format!(" Reached: {}.", reached.join(", ")));
    }
    if unreachable == ["ec2messages"] && ec2messages_optional {
        evidence.push_str(" Agents from 3.3.40.0 need it only until ssmmessages connects.");
    }
    Some(check(
        id,
        status,
        evidence,
        Some(route_fix(ctx, &unreachable)),
    ))
}

fn route_fix(ctx: &Context<'_>, services: &[&str]) -> Fix {
    let network = &ctx.facts.network;
    let vpc = network.vpc_id.as_deref().unwrap_or("<vpc-id>");
    let subnet = network.subnet_id.as_deref().unwrap_or("<subnet-id>");
    let table = network
        .route_table
        .value()
        .map(|t| t.id.as_str())
        .unwrap_or("<route-table-id>");
    let mut commands = fixes::interface_endpoints(vpc, subnet, ctx.region(), services);
    commands.push(fixes::nat_route(table, ctx.region()));
    Fix {
        summary: format!(
            "Create interface endpoints for {} with private DNS (about $0.01 per hour each per AZ), or route 0.0.0.0/0 to a NAT gateway.",
            services.join(", ")
        ),
        commands,
        runbook: None,
        action: None,
    }
}

/// Needed only when nothing leaves the VPC: then agent updates and patching reach S3 through
/// the gateway endpoint or not at all.
pub fn s3_gateway(ctx: &Context<'_>) -> Option<Check> {
    // S3 follows the subnet's default route whatever the SSM endpoints do.
    let way_out = ctx
        .facts
        .network
        .route_table
        .value()
        .is_some_and(|t| match &t.default_route {
            Some(RouteTarget::InternetGateway { .. }) => ctx.facts.public_ip.is_some(),
            Some(RouteTarget::NatGateway { .. } | RouteTarget::Other { .. }) => true,
            Some(RouteTarget::Blackhole { .. }) | None => false,
        });
    if way_out || !ctx.paths.uses_endpoints() {
        return None;
    }
    let id = CheckId::S3GatewayEndpoint;
    let fact = &ctx.facts.network.s3_gateway_endpoint;
    let Some(endpoint) = fact.value() else {
        return Some(unknown(ctx, id, "the S3 gateway endpoint", fact));
    };
    Some(match endpoint {
        Some(endpoint) => check(
            id,
            CheckStatus::Pass,
            format!("S3 gateway endpoint {endpoint} serves the subnet's route table."),
            None,
        ),
        None => {
            let network = &ctx.facts.network;
            let table = network
                .route_table
                .value()
                .map(|t| t.id.as_str())
                .unwrap_or("<route-table-id>");
            check(
                id,
                CheckStatus::Warn,
                "No S3 gateway endpoint serves the subnet, and nothing else leaves the VPC: sessions work, but agent updates, patching and S3 session logs will not.".into(),
                Some(fixes::s3_gateway(network.vpc_id.as_deref().unwrap_or("<vpc-id>"), table, ctx.region())),
            )
        }
    })
}

pub fn vpc_dns(ctx: &Context<'_>) -> Option<Check> {
    let id = CheckId::VpcDns;
    let fact = &ctx.facts.network.vpc_dns;
    ctx.facts.network.vpc_id.as_ref()?;
    let Some(dns) = fact.value() else {
        return Some(unknown(ctx, id, "the VPC's DNS attributes", fact));
    };
    let vpc = ctx.facts.network.vpc_id.as_deref().unwrap_or("<vpc-id>");
    let fix = Some(fixes::vpc_dns(vpc, ctx.region()));
    Some(
        if ctx.paths.uses_endpoints() && !(dns.support && dns.hostnames) {
            check(
                id,
                CheckStatus::Fail,
                format!(
                    "VPC {vpc} has DNS support {} and DNS hostnames {}; the endpoints' private DNS names need both.",
                    on_off(dns.support),
                    on_off(dns.hostnames)
                ),
                fix,
            )
        } else if !dns.support {
            check(
                id,
                CheckStatus::Warn,
                format!(
                    "VPC {vpc} has the Amazon DNS server turned off; the instance must resolve ssm.{}.amazonaws.com through DNS servers of your own.",
                    ctx.region()
                ),
                fix,
            )
        } else {
            check(
                id,
                CheckStatus::Pass,
                format!(
                    "VPC {vpc} resolves DNS (support {}, hostnames {}).",
                    on_off(dns.support),
                    on_off(dns.hostnames)
                ),
                None,
            )
        },
    )
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

#[cfg(test)]
mod tests;
