//! The practice account's network and identity, for the readiness doctor: VPCs, subnets,
//! route tables, security groups, endpoints, instance profiles and Default Host Management,
//! consistent with the fleet (every online agent has a path and an identity; each instance
//! that is not managed, or lost its agent, has a reason the doctor finds).
//!
//! Scenarios break it through [`PracticeNetwork`]: `remove_https_egress(sg)`,
//! `allow_https_egress(sg)`, `open_to_internet(sg, port)` and `set_dhmc(region, on)`; the
//! doctor's fixes change it through `authorize_egress` and `set_dhmc`.
//! `Account::blocked_egress` (the scenarios' stand-in) is honoured as well: the groups it
//! names have no HTTPS out while it names them.

pub(crate) mod model;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use unyo_core::readiness::{
    CheckId, CheckStatus, Dhmc, Fact, IdentityFacts, InstanceProfile, InterfaceEndpoint,
    NetworkAcl, NetworkAclEntry, NetworkFacts, ReadinessFacts, Registration, RouteTable,
    SecurityGroup, UnknownReason, diagnose,
};
use unyo_core::{AppError, Instance, PingStatus};

use model::{Model, tcp};

use crate::{ACCOUNT_ID, REGIONS, regions};

/// The practice network, shared by the account and the scenarios that change it. Cheap to
/// clone; every clone sees the same network.
#[derive(Debug, Clone)]
pub struct PracticeNetwork(Arc<Mutex<Model>>);

impl Default for PracticeNetwork {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(regions::network_model())))
    }
}

fn no_group(id: &str) -> AppError {
    AppError::invalid_input(format!(
        "the practice account has no security group {id} (InvalidGroup.NotFound)"
    ))
}

/// Whether a rule lets TCP 443 out (all traffic included).
fn allows_https(rule: &unyo_core::readiness::SecurityGroupRule) -> bool {
    match rule.protocol.as_str() {
        "-1" => true,
        "tcp" | "6" => rule
            .from_port
            .zip(rule.to_port)
            .is_none_or(|(from, to)| from <= 443 && 443 <= to),
        _ => false,
    }
}

impl PracticeNetwork {
    fn with<T>(&self, f: impl FnOnce(&mut Model) -> T) -> T {
        // A panic mid-change cannot leave the model inconsistent in a way that matters to a
        // practice account, so a poisoned lock is still used.
        let mut model = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut model)
    }

    /// Revokes every outbound rule of `group` that lets HTTPS out, as someone "tightening"
    /// it would: its instances' agents lose Systems Manager.
    pub fn remove_https_egress(&self, group: &str) -> Result<(), AppError> {
        self.with(|m| {
            let found = m.groups.get_mut(group).ok_or_else(|| no_group(group))?;
            found.outbound.retain(|rule| !allows_https(rule));
            Ok(())
        })
    }

    /// Authorizes TCP 443 out to 0.0.0.0/0 on `group`.
    pub fn allow_https_egress(&self, group: &str) -> Result<(), AppError> {
        self.authorize_egress(group, "tcp", 443, "0.0.0.0/0")
    }

    /// Whether the network has security group `group`.
    pub fn has_group(&self, group: &str) -> bool {
        self.with(|m| m.groups.contains_key(group))
    }

    /// Adds an outbound rule to `group` (`AuthorizeSecurityGroupEgress`): `protocol` `tcp`
    /// to `port`, or `-1` for all traffic, to `cidr`. A rule it already has is not doubled.
    pub fn authorize_egress(
        &self,
        group: &str,
        protocol: &str,
        port: u16,
        cidr: &str,
    ) -> Result<(), AppError> {
        let added = model::egress(protocol, port, cidr);
        self.with(|m| {
            let found = m.groups.get_mut(group).ok_or_else(|| no_group(group))?;
            if !found.outbound.contains(&added) {
                found.outbound.push(added);
            }
            Ok(())
        })
    }

    /// Opens TCP `port` on `group` to the whole IPv4 internet (the SSH or RDP mistake).
    pub fn open_to_internet(&self, group: &str, port: u16) -> Result<(), AppError> {
        self.with(|m| {
            let found = m.groups.get_mut(group).ok_or_else(|| no_group(group))?;
            found.inbound.push(tcp(i32::from(port), "0.0.0.0/0"));
            Ok(())
        })
    }

    /// Turns Default Host Management on (with AWS's default role) or off in `region`.
    pub fn set_dhmc(&self, region: &str, on: bool) -> Result<(), AppError> {
        self.with(|m| {
            let setting = m
                .dhmc
                .iter_mut()
                .find(|(r, _)| **r == region)
                .map(|(_, setting)| setting)
                .ok_or_else(|| {
                    AppError::invalid_input(format!("the practice account has no region {region}"))
                })?;
            *setting = on.then(|| regions::DHMC_ROLE.to_owned());
            Ok(())
        })
    }

    /// Whether one more outbound rule on `group` lets `instance_id`'s agent out again while
    /// the scenarios' blocks stand: the doctor's egress check, judged with the rule added. So
    /// any rule that restores the path counts (to anywhere, or to the VPC's endpoints).
    pub(crate) fn egress_restored_by(
        &self,
        instances: &[Instance],
        blocked_egress: &BTreeMap<String, String>,
        instance_id: &str,
        group: &str,
        (protocol, port, cidr): (&str, u16, &str),
    ) -> bool {
        let Some(instance) = instances.iter().find(|i| i.id == instance_id) else {
            return false;
        };
        let mut model = self.overlaid(blocked_egress);
        let Some(found) = model.groups.get_mut(group) else {
            return false;
        };
        found.outbound.push(model::egress(protocol, port, cidr));
        diagnose(&facts(&model, instance))
            .check(CheckId::SecurityGroupEgress)
            .is_some_and(|c| c.status == CheckStatus::Pass)
    }

    /// The doctor's facts about `instance_id`, among the fleet's current `instances`.
    pub(crate) fn instance_facts(
        &self,
        instances: &[Instance],
        blocked_egress: &BTreeMap<String, String>,
        instance_id: &str,
    ) -> Result<ReadinessFacts, AppError> {
        let instance = instances
            .iter()
            .find(|i| i.id == instance_id)
            .ok_or_else(|| {
                AppError::invalid_input(format!(
                    "the practice account has no instance {instance_id}"
                ))
            })?;
        let model = self.overlaid(blocked_egress);
        Ok(facts(&model, instance))
    }

    pub(crate) fn region_facts(
        &self,
        instances: &[Instance],
        blocked_egress: &BTreeMap<String, String>,
        region: &str,
    ) -> Result<Vec<ReadinessFacts>, AppError> {
        if !REGIONS.contains(&region) {
            return Err(AppError::invalid_input(format!(
                "the practice account has no region {region}; it has {}",
                REGIONS.join(" and ")
            )));
        }
        let model = self.overlaid(blocked_egress);
        Ok(instances
            .iter()
            .filter(|i| i.region == region)
            .map(|i| facts(&model, i))
            .collect())
    }

    /// A copy of the model with the scenarios' blocked groups applied.
    fn overlaid(&self, blocked_egress: &BTreeMap<String, String>) -> Model {
        let mut model = self.with(|m| m.clone());
        for group in blocked_egress.values() {
            if let Some(found) = model.groups.get_mut(group) {
                found.outbound.retain(|rule| !allows_https(rule));
            }
        }
        model
    }
}

fn facts(model: &Model, instance: &Instance) -> ReadinessFacts {
    let registration = match instance.ping_status {
        PingStatus::NotManaged => Fact::known(None),
        PingStatus::Unknown => {
            Fact::unknown(UnknownReason::Failed, "Systems Manager did not answer")
        }
        status => Fact::known(Some(Registration {
            ping_status: status,
            last_ping_at: instance.last_ping_at.clone(),
            agent_version: instance.agent_version.clone(),
        })),
    };
    let attachment = model.attachments.get(instance.id.as_str());
    let imds = attachment.map_or_else(
        || {
            Fact::unknown(
                UnknownReason::NotGathered,
                "no metadata options in the practice data",
            )
        },
        |a| Fact::known(a.imds),
    );
    let profile = instance.iam_instance_profile.as_ref().map(|name| {
        let found = model.profiles.get(name.as_str());
        InstanceProfile {
            name: name.clone(),
            arn: Some(format!("arn:aws:iam::{ACCOUNT_ID}:instance-profile/{name}")),
            role: Fact::known(found.map(|p| p.role.to_owned())),
            attached_policies: Fact::known(
                found
                    .map(|p| p.policies.iter().map(|s| (*s).to_owned()).collect())
                    .unwrap_or_default(),
            ),
        }
    });
    let dhmc = model.dhmc.get(instance.region.as_str()).map_or_else(
        || Fact::unknown(UnknownReason::NotGathered, "no such region"),
        |role| Fact::known(Dhmc { role: role.clone() }),
    );
    ReadinessFacts {
        instance_id: instance.id.clone(),
        name: instance.name.clone(),
        region: instance.region.clone(),
        state: instance.state,
        platform: instance.platform,
        private_ip: instance.private_ip.clone(),
        public_ip: instance.public_ip.clone(),
        registration,
        identity: IdentityFacts {
            instance_profile: Fact::known(profile),
            dhmc,
            imds,
        },
        network: network(
            model,
            instance,
            attachment.map(|a| a.groups.as_slice()).unwrap_or_default(),
        ),
    }
}

fn network(model: &Model, instance: &Instance, groups: &[&str]) -> NetworkFacts {
    let vpc = instance
        .vpc_id
        .as_deref()
        .and_then(|id| model.vpcs.iter().find(|v| v.id == id));
    let subnet = instance
        .subnet_id
        .as_deref()
        .and_then(|id| model.subnets.iter().find(|s| s.id == id));
    let (Some(vpc), Some(subnet)) = (vpc, subnet) else {
        return NetworkFacts {
            vpc_id: instance.vpc_id.clone(),
            subnet_id: instance.subnet_id.clone(),
            vpc_cidrs: missing(),
            security_groups: missing(),
            route_table: missing(),
            interface_endpoints: missing(),
            s3_gateway_endpoint: missing(),
            network_acl: missing(),
            vpc_dns: missing(),
        };
    };
    let table = model.tables.iter().find(|t| match subnet.route_table {
        Some(id) => t.id == id,
        None => t.vpc == vpc.id && t.main,
    });
    let groups_of = |ids: &[&str]| -> Vec<SecurityGroup> {
        ids.iter()
            .filter_map(|id| model.groups.get(*id).cloned())
            .collect()
    };
    // Endpoints sit in the subnets with no way out, which they serve.
    let private_subnets: Vec<String> = model
        .subnets
        .iter()
        .filter(|s| s.vpc == vpc.id)
        .filter(|s| {
            model
                .tables
                .iter()
                .find(|t| {
                    s.route_table
                        .map_or(t.vpc == s.vpc && t.main, |id| t.id == id)
                })
                .is_some_and(|t| t.default_route.is_none())
        })
        .map(|s| s.id.to_owned())
        .collect();
    NetworkFacts {
        vpc_id: Some(vpc.id.to_owned()),
        subnet_id: Some(subnet.id.to_owned()),
        vpc_cidrs: Fact::known(vec![vpc.cidr.to_owned()]),
        security_groups: Fact::known(groups_of(groups)),
        route_table: table.map_or_else(missing, |t| {
            Fact::known(RouteTable {
                id: t.id.to_owned(),
                main: subnet.route_table.is_none(),
                default_route: t.default_route.clone(),
            })
        }),
        interface_endpoints: Fact::known(
            model
                .endpoints
                .iter()
                .filter(|e| e.vpc == vpc.id && e.service != "s3")
                .map(|e| InterfaceEndpoint {
                    id: e.id.to_owned(),
                    service: e.service.to_owned(),
                    state: "available".into(),
                    private_dns: true,
                    subnet_ids: private_subnets.clone(),
                    security_groups: Fact::known(groups_of(&e.groups)),
                })
                .collect(),
        ),
        s3_gateway_endpoint: Fact::known(table.and_then(|t| {
            model
                .endpoints
                .iter()
                .find(|e| e.service == "s3" && e.route_tables.contains(&t.id))
                .map(|e| e.id.to_owned())
        })),
        network_acl: Fact::known(default_acl(vpc.id)),
        vpc_dns: Fact::known(vpc.dns),
    }
}

fn missing<T>() -> Fact<T> {
    Fact::unknown(UnknownReason::NotGathered, "not in the practice network")
}

/// A VPC's default network ACL: everything in and out.
fn default_acl(vpc: &str) -> NetworkAcl {
    let entry = |rule_number, outbound, allow| NetworkAclEntry {
        rule_number,
        outbound,
        protocol: "-1".into(),
        from_port: None,
        to_port: None,
        cidr: "0.0.0.0/0".into(),
        allow,
    };
    NetworkAcl {
        id: format!("acl-{}", vpc.trim_start_matches("vpc-")),
        entries: vec![
            entry(100, false, true),
            entry(32767, false, false),
            entry(100, true, true),
            entry(32767, true, false),
        ],
    }
}

#[cfg(test)]
mod tests;
