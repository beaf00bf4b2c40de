//! What filters the path: the instance's security groups (outbound 443), the endpoints'
//! security groups (inbound 443 from the instance) and the subnet's network ACL.

use super::path::Via;
use super::{Context, check, unknown};
use crate::Platform;
use crate::readiness::facts::SecurityGroupRule;
use crate::readiness::fixes;
use crate::readiness::net::{self, Cidr, HTTPS};
use crate::readiness::report::{Check, CheckId, CheckStatus, Fix};

/// Where HTTPS must be allowed to: the internet (gateways) or the VPC (endpoints).
fn destinations(ctx: &Context<'_>) -> Vec<(&'static str, Vec<Cidr>)> {
    let mut out = Vec::new();
    if ctx.paths.leaves_the_vpc() || ctx.paths.vias().is_empty() {
        out.push(("the internet (0.0.0.0/0)", vec![Cidr::ANY]));
    }
    if ctx.paths.uses_endpoints() {
        let vpc: Vec<Cidr> = ctx
            .facts
            .network
            .vpc_cidrs
            .value()
            .map(|cidrs| cidrs.iter().filter_map(|c| Cidr::parse(c)).collect())
            .unwrap_or_default();
        out.push(("the VPC's endpoints", vpc));
    }
    out
}

fn endpoint_group_ids(ctx: &Context<'_>) -> Vec<String> {
    ctx.paths
        .vias()
        .into_iter()
        .filter_map(|via| match via {
            Via::Endpoint(e) => e.security_groups.value(),
            _ => None,
        })
        .flatten()
        .map(|g| g.id.clone())
        .collect()
}

pub fn security_group_egress(ctx: &Context<'_>) -> Option<Check> {
    let id = CheckId::SecurityGroupEgress;
    let fact = &ctx.facts.network.security_groups;
    let Some(groups) = fact.value() else {
        return Some(unknown(ctx, id, "the instance's security groups", fact));
    };
    let rules: Vec<SecurityGroupRule> = groups.iter().flat_map(|g| g.outbound.clone()).collect();
    let names: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    let endpoint_groups = endpoint_group_ids(ctx);
    let mut blocked = Vec::new();
    for (name, cidrs) in destinations(ctx) {
        let allowed = if cidrs.is_empty() {
            net::sg_allows(&rules, HTTPS, None, &endpoint_groups)
        } else {
            cidrs
                .iter()
                .all(|cidr| net::sg_allows(&rules, HTTPS, Some(*cidr), &endpoint_groups))
        };
        if !allowed {
            blocked.push(name);
        }
    }
    if blocked.is_empty() {
        return Some(check(
            id,
            CheckStatus::Pass,
            format!("Security groups {} allow TCP 443 out.", names.join(", ")),
            None,
        ));
    }
    let group = names.first().copied().unwrap_or("<security-group-id>");
    let cidr = if blocked.iter().any(|b| b.starts_with("the internet")) {
        "0.0.0.0/0".to_owned()
    } else {
        ctx.facts
            .network
            .vpc_cidrs
            .value()
            .and_then(|c| c.first().cloned())
            .unwrap_or_else(|| "0.0.0.0/0".into())
    };
    Some(check(
        id,
        CheckStatus::Fail,
        format!(
            "No outbound rule of security groups {} allows TCP 443 to {}.",
            names.join(", "),
            blocked.join(" or ")
        ),
        Some(fixes::https_egress(group, ctx.region(), &cidr)),
    ))
}

pub fn endpoint_security_groups(ctx: &Context<'_>) -> Option<Check> {
    let id = CheckId::EndpointSecurityGroup;
    let mut endpoints = Vec::new();
    for via in ctx.paths.vias() {
        if let Via::Endpoint(e) = via {
            if !endpoints
                .iter()
                .any(|seen: &&crate::readiness::facts::InterfaceEndpoint| seen.id == e.id)
            {
                endpoints.push(e);
            }
        }
    }
    if endpoints.is_empty() {
        return None;
    }
    let instance_ip = ctx.facts.private_ip.as_deref().and_then(Cidr::parse);
    let instance_groups: Vec<String> = ctx
        .facts
        .network
        .security_groups
        .value()
        .map(|groups| groups.iter().map(|g| g.id.clone()).collect())
        .unwrap_or_default();
    let mut admitted = Vec::new();
    let mut refused = Vec::new();
    for endpoint in &endpoints {
        let Some(groups) = endpoint.security_groups.value() else {
            return Some(unknown(
                ctx,
                id,
                &format!("the security groups of endpoint {}", endpoint.id),
                &endpoint.security_groups,
            ));
        };
        let rules: Vec<SecurityGroupRule> = groups.iter().flat_map(|g| g.inbound.clone()).collect();
        let label = format!("{} ({})", endpoint.id, endpoint.service);
        if net::sg_allows(&rules, HTTPS, instance_ip, &instance_groups) {
            admitted.push(label);
        } else {
            refused.push((label, endpoint, groups.first().map(|g| g.id.clone())));
        }
    }
    if refused.is_empty() {
        return Some(check(
            id,
            CheckStatus::Pass,
            format!(
                "Endpoints {} admit TCP 443 from the instance.",
                admitted.join(", ")
            ),
            None,
        ));
    }
    let ssmmessages_refused = refused.iter().any(|(_, e, _)| e.service == "ssmmessages");
    let labels: Vec<&str> = refused.iter().map(|(l, _, _)| l.as_str()).collect();
    let from = ctx.facts.private_ip.as_deref().unwrap_or("the instance");
    let cidr = ctx
        .facts
        .network
        .vpc_cidrs
        .value()
        .and_then(|c| c.first().cloned())
        .unwrap_or_else(|| "<vpc-cidr>".into());
    let commands: Vec<String> = refused
        .iter()
        .filter_map(|(_, _, group)| group.as_deref())
        .map(|group| fixes::endpoint_ingress(group, ctx.region(), &cidr))
        .collect();
    Some(check(
        id,
        if ctx.online && !ssmmessages_refused { CheckStatus::Warn } else { CheckStatus::Fail },
        format!("The security groups of endpoint {} do not admit TCP 443 from {from}.", labels.join(", ")),
        Some(Fix {
            summary: "Allow TCP 443 into the endpoints' security group from the VPC (or from the instance's security group).".into(),
            commands,
            runbook: None,
            action: None,
        }),
    ))
}

/// The ports replies come back on, by the OS's ephemeral range.
fn ephemeral(platform: Platform) -> (u16, u16) {
    match platform {
        Platform::Linux => (32768, 60999),
        Platform::Windows | Platform::MacOs => (49152, 65535),
    }
}

pub fn network_acl(ctx: &Context<'_>) -> Option<Check> {
    let id = CheckId::NetworkAcl;
    let fact = &ctx.facts.network.network_acl;
    ctx.facts.network.subnet_id.as_ref()?;
    let Some(acl) = fact.value() else {
        return Some(unknown(ctx, id, "the subnet's network ACL", fact));
    };
    let (lo, hi) = ephemeral(ctx.facts.platform);
    let mut problems = Vec::new();
    let mut partial = Vec::new();
    for (name, cidrs) in destinations(ctx) {
        for peer in cidrs {
            let out = net::acl_decision(&acl.entries, true, HTTPS, HTTPS, peer);
            let back = net::acl_decision(&acl.entries, false, lo, hi, peer);
            for (decision, what) in [
                (out, format!("TCP 443 out to {name}")),
                (back, format!("replies on ports {lo}-{hi} in from {name}")),
            ] {
                if !decision.allowed {
                    let by = decision
                        .rule
                        .map_or("the final deny rule (*)".to_owned(), |n| {
                            format!("rule {n}")
                        });
                    problems.push(format!("{what} is denied by {by}"));
                } else if let Some(n) = decision.partly_denied_by {
                    partial.push(format!("rule {n} denies some of {what}"));
                }
            }
        }
    }
    let fix = || Some(fixes::acl_entries(&acl.id, ctx.region(), (lo, hi)));
    Some(if !problems.is_empty() {
        check(
            id,
            CheckStatus::Fail,
            format!("Network ACL {}: {}.", acl.id, problems.join("; ")),
            fix(),
        )
    } else if !partial.is_empty() {
        check(
            id,
            CheckStatus::Warn,
            format!(
                "Network ACL {}: {} (Systems Manager's addresses may fall there).",
                acl.id,
                partial.join("; ")
            ),
            fix(),
        )
    } else {
        check(
            id,
            CheckStatus::Pass,
            format!(
                "Network ACL {} allows TCP 443 out and the replies in.",
                acl.id
            ),
            None,
        )
    })
}

#[cfg(test)]
mod tests;
