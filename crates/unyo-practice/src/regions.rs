//! The practice account's world, one file per region: each declares its VPC, route tables,
//! subnets, security groups and endpoints, and its instances with their placement, identity
//! and host, so an instance's id is written once. The fleet ([`instances`]), the network model
//! ([`network_model`]) and the simulated machines ([`new_host`]) are derived from these
//! declarations. Each instance exists to teach something: the healthy web tier, an agent too
//! old for port forwarding, a node whose agent lost its connection, an instance that never
//! registered because it has no instance profile, Windows beside Linux, and Patch Manager's
//! compliance where it has scanned (see `patches`).
//!
//! `site` and `node` hold the builders both regions share, so `tokyo.rs` and `virginia.rs`
//! read as data.

mod node;
mod patches;
mod site;
pub(crate) mod tokyo;
pub(crate) mod virginia;

use unyo_core::Instance;

use crate::host::Host;
use crate::network::model::{Model, Profile};

use site::Region;

/// The instance profile most instances have, with the role Systems Manager needs.
pub(crate) const PROFILE: &str = "UnyoPracticeSSMInstanceProfile";
/// The role Default Host Management uses when it is on: AWS's default.
pub(crate) const DHMC_ROLE: &str = "service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole";

/// Every region's declaration, in the order the fleet lists them.
fn regions() -> [Region; 2] {
    [tokyo::region(), virginia::region()]
}

/// The fleet as the account starts: every region's instances, in declaration order.
pub(crate) fn instances() -> Vec<Instance> {
    regions()
        .iter()
        .flat_map(Region::instances)
        .map(Instance::with_derived_fields)
        .collect()
}

/// The network and identities the readiness doctor reads, as the account starts.
pub(crate) fn network_model() -> Model {
    let mut model = Model::default();
    for region in regions() {
        region.add_to(&mut model);
    }
    // Identities are account-wide, not regional.
    model.profiles.insert(
        PROFILE,
        Profile {
            role: "UnyoPracticeSSMRole",
            policies: vec![
                "AmazonSSMManagedInstanceCore",
                "CloudWatchAgentServerPolicy",
            ],
        },
    );
    model
}

/// A fresh machine for `instance_id`, of the kind its region declares, named `hostname`.
pub(crate) fn new_host(instance_id: &str, hostname: &str) -> Host {
    let kind = regions()
        .iter()
        .find_map(|r| r.host_kind(instance_id))
        // Scenarios only name declared instances; an unknown id still gets a usable machine.
        .unwrap_or_default();
    kind.build(hostname)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::REGIONS;

    #[test]
    fn the_declared_regions_are_the_accounts_regions() {
        let names: Vec<&str> = regions().iter().map(|r| r.name).collect();
        assert_eq!(names, REGIONS);
    }

    #[test]
    fn every_instance_is_placed_in_a_declared_subnet_with_declared_groups() {
        for region in regions() {
            region.check_placements().unwrap();
        }
    }

    #[test]
    fn every_instance_gets_a_host_of_its_kind() {
        let host = new_host("i-0a1f3c5e7b9d10001", "ip-10-0-1-11");
        assert_eq!(host, Host::amazon_linux_web("ip-10-0-1-11"));
    }
}
