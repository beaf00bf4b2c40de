//! The readiness doctor on a real account: the facts about an instance (or every instance of
//! a region) gathered with read-only calls — EC2 `DescribeInstances`, `DescribeVpcs`,
//! `DescribeRouteTables`, `DescribeSecurityGroups`, `DescribeVpcEndpoints`,
//! `DescribeNetworkAcls`, `DescribeVpcAttribute`; IAM `GetInstanceProfile`,
//! `ListAttachedRolePolicies`; Systems Manager `DescribeInstanceInformation`,
//! `GetServiceSetting` — then judged by `unyo_core::readiness::doctor`.
//!
//! A call that is denied or not available makes its facts unknown, with the reason, and the
//! report still comes; only an instance that cannot be described at all is an error. The
//! network calls are made once per VPC, so a region costs a handful of calls, not a handful
//! per instance. Nothing here changes anything.

mod assemble;
mod ec2;
mod identity;
mod unknown;

use std::collections::BTreeSet;

use unyo_core::AppError;
use unyo_core::readiness::ReadinessFacts;

use crate::fleet::FleetClients;

/// The clients the doctor reads with: EC2 and Systems Manager per region (shared with the
/// fleet), and IAM, which is global.
#[derive(Debug, Clone)]
pub struct ReadinessClients {
    pub regional: FleetClients,
    /// `None` leaves the instance profiles' roles and policies unknown ("not gathered").
    pub iam: Option<aws_sdk_iam::Client>,
}

impl ReadinessClients {
    /// The fleet's regional clients, and an IAM client from the profile's config when there
    /// is one (clients handed in by a caller come without it).
    pub fn of(regional: &FleetClients, config: Option<&aws_config::SdkConfig>) -> Self {
        Self {
            regional: regional.clone(),
            iam: config.map(aws_sdk_iam::Client::new),
        }
    }
}

/// One instance's facts. Fails with `InvalidInput` when `region` has no such instance.
pub async fn instance(
    clients: &ReadinessClients,
    region: &str,
    instance_id: &str,
) -> Result<ReadinessFacts, AppError> {
    gather(clients, region, Some(instance_id))
        .await?
        .pop()
        .ok_or_else(|| {
            AppError::invalid_input(format!("there is no instance {instance_id} in {region}"))
        })
}

/// The facts about `only` (or every instance) in `region`.
pub async fn gather(
    clients: &ReadinessClients,
    region: &str,
    only: Option<&str>,
) -> Result<Vec<ReadinessFacts>, AppError> {
    let regional = clients.regional.region(region);
    let instances = ec2::instances(&regional.ec2, region, only).await?;
    if instances.is_empty() {
        return Ok(Vec::new());
    }
    let vpcs: BTreeSet<String> = instances
        .iter()
        .filter_map(|i| i.vpc_id().map(str::to_owned))
        .collect();
    let profiles: BTreeSet<String> = instances
        .iter()
        .filter_map(|i| i.iam_instance_profile()?.arn().map(str::to_owned))
        .collect();
    let (network, registrations, dhmc, roles) = tokio::join!(
        ec2::network(&regional.ec2, &vpcs),
        identity::registrations(&regional.ssm, only),
        identity::dhmc(&regional.ssm),
        identity::profiles(clients.iam.as_ref(), &profiles),
    );
    let context = assemble::Context {
        region,
        network: &network,
        registrations: &registrations,
        dhmc: &dhmc,
        profiles: &roles,
    };
    Ok(instances.iter().map(|i| context.facts(i)).collect())
}
