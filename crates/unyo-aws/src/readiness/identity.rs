//! The agent's side: Systems Manager's registration of each instance, the region's Default
//! Host Management setting, and the roles and policies of instance profiles (IAM, global).

use std::collections::{BTreeSet, HashMap};

use aws_sdk_ssm::types::{self as ssm, InstanceInformationFilter, InstanceInformationFilterKey};
use aws_smithy_types::date_time::Format;
use unyo_core::PingStatus;
use unyo_core::readiness::fixes::DHMC_SETTING_ID;
use unyo_core::readiness::{Dhmc, Fact, Registration, UnknownReason};

use super::unknown;

/// Instance id to its registration; an instance missing from a known map never registered.
pub(crate) async fn registrations(
    client: &aws_sdk_ssm::Client,
    only: Option<&str>,
) -> Fact<HashMap<String, Registration>> {
    let filter = only.map(|id| {
        InstanceInformationFilter::builder()
            .key(InstanceInformationFilterKey::InstanceIds)
            .value_set(id)
            .build()
    });
    let mut request = client.describe_instance_information();
    if let Some(Ok(filter)) = filter {
        request = request.instance_information_filter_list(filter);
    }
    let mut pages = request.into_paginator().send();
    let mut out = HashMap::new();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                for info in page.instance_information_list.unwrap_or_default() {
                    if let Some(id) = info.instance_id.clone() {
                        out.insert(id, registration(&info));
                    }
                }
            }
            Err(err) => return unknown::from_sdk("ssm:DescribeInstanceInformation", &err),
        }
    }
    Fact::known(out)
}

fn registration(info: &ssm::InstanceInformation) -> Registration {
    Registration {
        ping_status: match info.ping_status() {
            Some(ssm::PingStatus::Online) => PingStatus::Online,
            Some(ssm::PingStatus::Inactive) => PingStatus::Inactive,
            _ => PingStatus::ConnectionLost,
        },
        last_ping_at: info
            .last_ping_date_time()
            .and_then(|t| t.fmt(Format::DateTime).ok()),
        agent_version: info.agent_version().map(str::to_owned),
    }
}

/// `$None` (the default) means Default Host Management is off.
pub(crate) async fn dhmc(client: &aws_sdk_ssm::Client) -> Fact<Dhmc> {
    match client
        .get_service_setting()
        .setting_id(DHMC_SETTING_ID)
        .send()
        .await
    {
        Ok(out) => {
            let value = out
                .service_setting()
                .and_then(|s| s.setting_value())
                .unwrap_or("$None");
            Fact::known(Dhmc {
                role: (value != "$None" && !value.is_empty()).then(|| value.to_owned()),
            })
        }
        Err(err)
            if err
                .as_service_error()
                .is_some_and(|e| e.is_service_setting_not_found()) =>
        {
            Fact::known(Dhmc { role: None })
        }
        Err(err) => unknown::from_sdk("ssm:GetServiceSetting", &err),
    }
}

/// What IAM says of one instance profile.
#[derive(Debug, Clone)]
pub(crate) struct ProfileRole {
    pub role: Fact<Option<String>>,
    pub policies: Fact<Vec<String>>,
}

/// Profile ARN to its role and the role's managed policies.
pub(crate) async fn profiles(
    iam: Option<&aws_sdk_iam::Client>,
    arns: &BTreeSet<String>,
) -> HashMap<String, ProfileRole> {
    let mut out = HashMap::new();
    for arn in arns {
        let found = match iam {
            Some(iam) => profile(iam, arn).await,
            None => ProfileRole {
                role: Fact::unknown(UnknownReason::NotGathered, "no IAM client"),
                policies: Fact::unknown(UnknownReason::NotGathered, "no IAM client"),
            },
        };
        out.insert(arn.clone(), found);
    }
    out
}

/// `arn:aws:iam::123456789012:instance-profile/path/Name` to `Name`.
pub(crate) fn profile_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

async fn profile(iam: &aws_sdk_iam::Client, arn: &str) -> ProfileRole {
    let role = match iam
        .get_instance_profile()
        .instance_profile_name(profile_name(arn))
        .send()
        .await
    {
        Ok(out) => Fact::known(
            out.instance_profile()
                .and_then(|p| p.roles().first().map(|r| r.role_name().to_owned())),
        ),
        Err(err) => unknown::from_sdk("iam:GetInstanceProfile", &err),
    };
    let policies = match role.value() {
        Some(Some(name)) => {
            let mut pages = iam
                .list_attached_role_policies()
                .role_name(name)
                .into_paginator()
                .send();
            let mut names = Vec::new();
            let mut fact = None;
            while let Some(page) = pages.next().await {
                match page {
                    Ok(page) => names.extend(
                        page.attached_policies()
                            .iter()
                            .filter_map(|p| policy(p.policy_name(), p.policy_arn())),
                    ),
                    Err(err) => {
                        fact = Some(unknown::from_sdk("iam:ListAttachedRolePolicies", &err));
                        break;
                    }
                }
            }
            fact.unwrap_or_else(|| Fact::known(names))
        }
        Some(None) => Fact::known(Vec::new()),
        None => unknown::again(&role),
    };
    ProfileRole { role, policies }
}

/// An AWS managed policy by its name, a customer's by its ARN, so a customer policy named
/// `AmazonSSMManagedInstanceCore` is not taken for AWS's.
fn policy(name: Option<&str>, arn: Option<&str>) -> Option<String> {
    match arn {
        Some(arn) if !arn.contains(":iam::aws:policy/") => Some(arn.to_owned()),
        _ => name.map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_policies_by_name_customer_policies_by_arn() {
        let core = "AmazonSSMManagedInstanceCore";
        assert_eq!(
            policy(
                Some(core),
                Some("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
            )
            .as_deref(),
            Some(core)
        );
        let mine = "arn:aws:iam::123456789012:policy/AmazonSSMManagedInstanceCore";
        assert_eq!(policy(Some(core), Some(mine)).as_deref(), Some(mine));
        assert_eq!(
            profile_name("arn:aws:iam::1:instance-profile/team/Web"),
            "Web"
        );
    }
}
