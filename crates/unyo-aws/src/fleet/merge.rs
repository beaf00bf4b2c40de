//! One region's answers merged into Unyo's instances: EC2 describes every instance, Systems
//! Manager adds the agent's view of those that registered, and hybrid (`mi-`) nodes exist in
//! Systems Manager alone.

use std::collections::HashMap;

use aws_sdk_ec2::types as ec2;
use aws_sdk_ssm::types as ssm;
use aws_smithy_types::date_time::Format;
use unyo_core::{Instance, InstanceState, PingStatus, Platform, Tag};

use super::patches::summary;

/// An EC2 instance and the account that owns it (its reservation's `OwnerId`).
#[derive(Debug)]
pub(crate) struct Ec2Instance {
    pub owner_id: Option<String>,
    pub instance: ec2::Instance,
}

/// The instances of `region`: every EC2 instance, with its agent's facts when `managed` has
/// them, then the hybrid nodes. `managed` is `None` when Systems Manager could not be asked,
/// and the instances' ping status is then `Unknown` rather than `NotManaged`. Each instance
/// with a state in `patches` gets its patch compliance; the others have none.
/// `account_id` is for hybrid nodes, which no reservation names an owner for.
pub(crate) fn merge(
    region: &str,
    account_id: Option<&str>,
    ec2_instances: Vec<Ec2Instance>,
    managed: Option<Vec<ssm::InstanceInformation>>,
    patches: &[ssm::InstancePatchState],
) -> Vec<Instance> {
    let ssm_answered = managed.is_some();
    let mut by_id: HashMap<String, ssm::InstanceInformation> = managed
        .unwrap_or_default()
        .into_iter()
        .filter_map(|info| Some((info.instance_id()?.to_owned(), info)))
        .collect();
    let account_id = account_id
        .map(str::to_owned)
        .or_else(|| ec2_instances.iter().find_map(|i| i.owner_id.clone()));
    let mut instances: Vec<Instance> = ec2_instances
        .into_iter()
        .filter_map(|Ec2Instance { owner_id, instance }| {
            let info = by_id.remove(instance.instance_id()?);
            let owner = owner_id.or_else(|| account_id.clone()).unwrap_or_default();
            Some(from_ec2(
                region,
                owner,
                &instance,
                info.as_ref(),
                ssm_answered,
            ))
        })
        .collect();
    // What is left registered with Systems Manager without an EC2 instance: hybrid nodes, and
    // EC2 instances terminated between the two calls (left out: EC2 has the last word on those).
    instances.extend(
        by_id
            .values()
            .filter(|info| is_hybrid(info))
            .map(|info| from_hybrid(region, account_id.as_deref().unwrap_or_default(), info)),
    );
    instances.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    let mut patches: HashMap<&str, &ssm::InstancePatchState> =
        patches.iter().map(|p| (p.instance_id(), p)).collect();
    instances
        .into_iter()
        .map(|mut instance| {
            instance.patches = patches.remove(instance.id.as_str()).map(summary);
            instance.with_derived_fields()
        })
        .collect()
}

fn from_ec2(
    region: &str,
    account_id: String,
    instance: &ec2::Instance,
    info: Option<&ssm::InstanceInformation>,
    ssm_answered: bool,
) -> Instance {
    let owned = |s: Option<&str>| s.map(str::to_owned);
    let tags: Vec<Tag> = instance
        .tags()
        .iter()
        .filter_map(|t| {
            Some(Tag {
                key: t.key()?.to_owned(),
                value: t.value().unwrap_or_default().to_owned(),
            })
        })
        .collect();
    let ping_status = match info {
        Some(info) => ping_status(info),
        None if ssm_answered => PingStatus::NotManaged,
        None => PingStatus::Unknown,
    };
    Instance {
        id: instance.instance_id().unwrap_or_default().to_owned(),
        name: tags
            .iter()
            .find(|t| t.key == "Name")
            .map(|t| t.value.clone())
            .unwrap_or_default(),
        account_id,
        region: region.to_owned(),
        availability_zone: instance
            .placement()
            .and_then(|p| p.availability_zone())
            .unwrap_or_default()
            .to_owned(),
        instance_type: instance
            .instance_type()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
        state: state(instance.state().and_then(|s| s.name())),
        platform: platform(instance, info),
        // The agent knows the distribution; EC2's billing platform ("Linux/UNIX") is the
        // best there is for an instance that never registered.
        platform_name: info
            .and_then(os_name)
            .or_else(|| owned(instance.platform_details()))
            .unwrap_or_default(),
        private_ip: owned(instance.private_ip_address()),
        public_ip: owned(instance.public_ip_address()),
        vpc_id: owned(instance.vpc_id()),
        subnet_id: owned(instance.subnet_id()),
        ping_status,
        last_ping_at: info.and_then(last_ping_at),
        agent_version: info.and_then(|i| owned(i.agent_version())),
        agent_outdated: false,
        iam_instance_profile: instance
            .iam_instance_profile()
            .and_then(|p| p.arn())
            .map(profile_name),
        tags,
        patches: None,
    }
}

fn from_hybrid(region: &str, account_id: &str, info: &ssm::InstanceInformation) -> Instance {
    // `Name` is the name given at activation; the host name stands in when there was none.
    let name = [info.name(), info.computer_name()]
        .into_iter()
        .flatten()
        .find(|n| !n.is_empty())
        .unwrap_or_default();
    Instance {
        id: info.instance_id().unwrap_or_default().to_owned(),
        name: name.to_owned(),
        account_id: account_id.to_owned(),
        region: region.to_owned(),
        availability_zone: String::new(),
        instance_type: String::new(),
        state: InstanceState::Running,
        platform: info
            .platform_type()
            .and_then(agent_platform)
            .unwrap_or(Platform::Linux),
        platform_name: os_name(info).unwrap_or_default(),
        private_ip: info.ip_address().map(str::to_owned),
        public_ip: None,
        vpc_id: None,
        subnet_id: None,
        ping_status: ping_status(info),
        last_ping_at: last_ping_at(info),
        agent_version: info.agent_version().map(str::to_owned),
        agent_outdated: false,
        iam_instance_profile: None,
        tags: Vec::new(),
        patches: None,
    }
}

fn is_hybrid(info: &ssm::InstanceInformation) -> bool {
    match info.resource_type() {
        Some(ssm::ResourceType::ManagedInstance) => true,
        Some(_) => false,
        None => info.instance_id().is_some_and(|id| id.starts_with("mi-")),
    }
}

fn ping_status(info: &ssm::InstanceInformation) -> PingStatus {
    match info.ping_status() {
        Some(ssm::PingStatus::Online) => PingStatus::Online,
        Some(ssm::PingStatus::ConnectionLost) => PingStatus::ConnectionLost,
        Some(ssm::PingStatus::Inactive) => PingStatus::Inactive,
        _ => PingStatus::Unknown,
    }
}

fn last_ping_at(info: &ssm::InstanceInformation) -> Option<String> {
    info.last_ping_date_time()
        .and_then(|t| t.fmt(Format::DateTime).ok())
}

fn state(name: Option<&ec2::InstanceStateName>) -> InstanceState {
    match name {
        Some(ec2::InstanceStateName::Running) => InstanceState::Running,
        Some(ec2::InstanceStateName::ShuttingDown) => InstanceState::ShuttingDown,
        Some(ec2::InstanceStateName::Terminated) => InstanceState::Terminated,
        Some(ec2::InstanceStateName::Stopping) => InstanceState::Stopping,
        Some(ec2::InstanceStateName::Stopped) => InstanceState::Stopped,
        // A state this SDK does not know is a transition Unyo should not act on yet.
        _ => InstanceState::Pending,
    }
}

fn platform(instance: &ec2::Instance, info: Option<&ssm::InstanceInformation>) -> Platform {
    if let Some(platform) = info
        .and_then(|i| i.platform_type())
        .and_then(agent_platform)
    {
        return platform;
    }
    // EC2 sets `Platform` for Windows only; Mac instances are told apart by their type.
    if matches!(instance.platform(), Some(ec2::PlatformValues::Windows)) {
        Platform::Windows
    } else if instance
        .instance_type()
        .is_some_and(|t| t.as_str().starts_with("mac"))
    {
        Platform::MacOs
    } else {
        Platform::Linux
    }
}

fn agent_platform(platform: &ssm::PlatformType) -> Option<Platform> {
    match platform {
        ssm::PlatformType::Linux => Some(Platform::Linux),
        ssm::PlatformType::Windows => Some(Platform::Windows),
        ssm::PlatformType::Macos => Some(Platform::MacOs),
        _ => None,
    }
}

/// The agent's `PlatformName` with its `PlatformVersion` when the name lacks one: "Amazon
/// Linux" + "2023" reads as the distribution people know, while Windows names already carry
/// their release ("Microsoft Windows Server 2022 Datacenter") and a build number would be noise.
fn os_name(info: &ssm::InstanceInformation) -> Option<String> {
    let name = info.platform_name().filter(|n| !n.is_empty())?;
    match info.platform_version().filter(|v| !v.is_empty()) {
        Some(version) if !name.chars().any(|c| c.is_ascii_digit()) => {
            Some(format!("{name} {version}"))
        }
        _ => Some(name.to_owned()),
    }
}

/// `arn:aws:iam::111122223333:instance-profile/path/Name` → `Name`.
fn profile_name(arn: &str) -> String {
    arn.rsplit('/').next().unwrap_or(arn).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_types::DateTime;
    use unyo_core::PatchCompliance;

    fn ec2_instance(id: &str, name: &str) -> Ec2Instance {
        Ec2Instance {
            owner_id: Some("111122223333".into()),
            instance: ec2::Instance::builder()
                .instance_id(id)
                .instance_type(ec2::InstanceType::T3Micro)
                .state(
                    ec2::InstanceState::builder()
                        .name(ec2::InstanceStateName::Running)
                        .build(),
                )
                .tags(ec2::Tag::builder().key("Name").value(name).build())
                .tags(ec2::Tag::builder().key("Team").value("web").build())
                .build(),
        }
    }

    fn info(id: &str) -> ssm::builders::InstanceInformationBuilder {
        ssm::InstanceInformation::builder()
            .instance_id(id)
            .ping_status(ssm::PingStatus::Online)
            .last_ping_date_time(DateTime::from_secs(1_800_000_000))
            .agent_version("3.3.1142.0")
            .platform_type(ssm::PlatformType::Linux)
            .platform_name("Amazon Linux")
            .platform_version("2023")
    }

    #[test]
    fn an_instance_gets_its_agents_facts() {
        let merged = merge(
            "eu-west-1",
            None,
            vec![ec2_instance("i-1", "web")],
            Some(vec![
                info("i-1")
                    .resource_type(ssm::ResourceType::Ec2Instance)
                    .build(),
            ]),
            &[],
        );
        let web = &merged[0];
        assert_eq!(web.name, "web");
        assert_eq!(web.account_id, "111122223333");
        assert_eq!(web.ping_status, PingStatus::Online);
        assert_eq!(web.platform_name, "Amazon Linux 2023");
        assert_eq!(web.last_ping_at.as_deref(), Some("2027-01-15T08:00:00Z"));
        assert!(!web.agent_outdated);
        assert_eq!(web.tags.len(), 2);
    }

    #[test]
    fn without_systems_manager_the_status_is_unknown_not_unmanaged() {
        let unknown = merge("eu-west-1", None, vec![ec2_instance("i-1", "a")], None, &[]);
        assert_eq!(unknown[0].ping_status, PingStatus::Unknown);
        let unmanaged = merge(
            "eu-west-1",
            None,
            vec![ec2_instance("i-1", "a")],
            Some(vec![]),
            &[],
        );
        assert_eq!(unmanaged[0].ping_status, PingStatus::NotManaged);
        assert_eq!(unmanaged[0].agent_version, None);
    }

    #[test]
    fn hybrid_nodes_join_and_vanished_ec2_instances_do_not() {
        let merged = merge(
            "eu-west-1",
            None,
            vec![ec2_instance("i-1", "web")],
            Some(vec![
                info("mi-0123456789abcdef0")
                    .resource_type(ssm::ResourceType::ManagedInstance)
                    .name("")
                    .computer_name("rack-7.example")
                    .ip_address("192.168.1.7")
                    .agent_version("3.1.0.0")
                    .build(),
                info("i-gone")
                    .resource_type(ssm::ResourceType::Ec2Instance)
                    .build(),
            ]),
            &[],
        );
        let ids: Vec<&str> = merged.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["mi-0123456789abcdef0", "i-1"], "sorted by name");
        let hybrid = merged.iter().find(|i| i.id.starts_with("mi-")).unwrap();
        assert_eq!(hybrid.name, "rack-7.example");
        assert_eq!(hybrid.account_id, "111122223333");
        assert_eq!(hybrid.state, InstanceState::Running);
        assert_eq!(hybrid.private_ip.as_deref(), Some("192.168.1.7"));
        assert!(hybrid.agent_outdated);
        assert!(merged.iter().all(|i| i.id != "i-gone"));
    }

    fn patch_state(id: &str, missing: i32) -> ssm::InstancePatchState {
        ssm::InstancePatchState::builder()
            .instance_id(id)
            .patch_group("")
            .baseline_id("pb-0123456789abcdef0")
            .installed_count(400)
            .missing_count(missing)
            .operation(ssm::PatchOperationType::Scan)
            .operation_start_time(DateTime::from_secs(1_800_000_000))
            .operation_end_time(DateTime::from_secs(1_800_000_060))
            .build()
            .unwrap()
    }

    #[test]
    fn patch_states_join_their_instances_and_the_others_have_none() {
        let merged = merge(
            "eu-west-1",
            None,
            vec![ec2_instance("i-1", "a"), ec2_instance("i-2", "b")],
            Some(vec![
                info("i-1")
                    .resource_type(ssm::ResourceType::Ec2Instance)
                    .build(),
                info("i-2")
                    .resource_type(ssm::ResourceType::Ec2Instance)
                    .build(),
                info("mi-0123456789abcdef0")
                    .resource_type(ssm::ResourceType::ManagedInstance)
                    .name("rack-7")
                    .build(),
            ]),
            &[
                patch_state("i-1", 3),
                patch_state("mi-0123456789abcdef0", 0),
                patch_state("i-gone", 1),
            ],
        );
        let patches = |id: &str| {
            merged
                .iter()
                .find(|i| i.id == id)
                .unwrap()
                .patches
                .as_ref()
                .map(|p| (p.missing, p.state))
        };
        assert_eq!(patches("i-1"), Some((3, PatchCompliance::NonCompliant)));
        assert_eq!(patches("i-2"), None, "never scanned");
        assert_eq!(
            patches("mi-0123456789abcdef0"),
            Some((0, PatchCompliance::Compliant))
        );
        assert_eq!(merged.len(), 3);
    }

    #[test]
    fn windows_names_keep_their_release_and_drop_the_build() {
        let windows = info("i-1")
            .platform_type(ssm::PlatformType::Windows)
            .platform_name("Microsoft Windows Server 2022 Datacenter")
            .platform_version("10.0.20348")
            .build();
        assert_eq!(
            os_name(&windows).as_deref(),
            Some("Microsoft Windows Server 2022 Datacenter")
        );
    }

    #[test]
    fn platform_falls_back_to_ec2_facts() {
        let windows = ec2::Instance::builder()
            .platform(ec2::PlatformValues::Windows)
            .build();
        assert_eq!(platform(&windows, None), Platform::Windows);
        let mac = ec2::Instance::builder()
            .instance_type(ec2::InstanceType::Mac2Metal)
            .build();
        assert_eq!(platform(&mac, None), Platform::MacOs);
        assert_eq!(
            platform(&ec2::Instance::builder().build(), None),
            Platform::Linux
        );
    }

    #[test]
    fn profile_name_is_the_arns_last_part() {
        assert_eq!(
            profile_name("arn:aws:iam::111122223333:instance-profile/team/WebProfile"),
            "WebProfile"
        );
    }
}
