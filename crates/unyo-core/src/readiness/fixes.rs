//! The fixes the doctor suggests, each with the AWS CLI command (or AWS-owned runbook) that
//! does it, so the user can see exactly what would change before anything does. The few that
//! Unyo can make itself carry a [`ReadinessAction`].

use super::action::ReadinessAction;
use super::report::Fix;

pub const TROUBLESHOOT_RUNBOOK: &str = "AWSSupport-TroubleshootManagedInstance";
pub const UPDATE_AGENT_DOCUMENT: &str = "AWS-UpdateSSMAgent";
pub const DISABLE_PUBLIC_ACCESS_RUNBOOK: &str = "AWS-DisablePublicAccessForSecurityGroup";
pub const DHMC_SETTING_ID: &str = "/ssm/managed-instance/default-ec2-instance-management-role";
pub const DHMC_DEFAULT_ROLE: &str =
    "service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole";
pub const CORE_POLICY: &str = "AmazonSSMManagedInstanceCore";
/// Deprecated by AWS in favour of [`CORE_POLICY`], but it still lets the agent register.
pub const OLD_POLICY: &str = "AmazonEC2RoleforSSM";

fn fix(summary: impl Into<String>, commands: Vec<String>, runbook: Option<&str>) -> Fix {
    Fix {
        summary: summary.into(),
        commands,
        runbook: runbook.map(str::to_owned),
        action: None,
    }
}

impl Fix {
    fn with_action(mut self, action: ReadinessAction) -> Self {
        self.action = Some(action);
        self
    }
}

/// AWS's own diagnosis from inside the account: the first step AWS support suggests.
pub fn troubleshoot(instance_id: &str, region: &str, summary: &str) -> Fix {
    fix(
        format!("{summary} Run {TROUBLESHOOT_RUNBOOK}, which checks the same from inside AWS."),
        vec![format!(
            "aws ssm start-automation-execution --region {region} --document-name {TROUBLESHOOT_RUNBOOK} --parameters InstanceId={instance_id}"
        )],
        Some(TROUBLESHOOT_RUNBOOK),
    )
    .with_action(ReadinessAction::TroubleshootManagedInstance {
        region: region.to_owned(),
        instance_id: instance_id.to_owned(),
    })
}

pub fn start_instance(instance_id: &str, region: &str) -> Fix {
    fix(
        "Start the instance; the agent reconnects a few minutes after boot.",
        vec![format!(
            "aws ec2 start-instances --region {region} --instance-ids {instance_id}"
        )],
        None,
    )
}

/// Run Command reaches only an agent that is online, so only then can Unyo do it.
pub fn update_agent(instance_id: &str, region: &str, online: bool) -> Fix {
    let fix = fix(
        format!("Update the SSM Agent with {UPDATE_AGENT_DOCUMENT} (Run Command)."),
        vec![format!(
            "aws ssm send-command --region {region} --document-name {UPDATE_AGENT_DOCUMENT} --instance-ids {instance_id}"
        )],
        Some(UPDATE_AGENT_DOCUMENT),
    );
    if online {
        fix.with_action(ReadinessAction::UpdateAgent {
            region: region.to_owned(),
            instance_id: instance_id.to_owned(),
        })
    } else {
        fix
    }
}

pub fn enable_dhmc(region: &str) -> String {
    format!(
        "aws ssm update-service-setting --region {region} --setting-id {DHMC_SETTING_ID} --setting-value {DHMC_DEFAULT_ROLE}"
    )
}

/// An identity for the agent: an instance profile, or Default Host Management, which Unyo
/// can turn on when it is known to be off.
pub fn give_identity(instance_id: &str, region: &str, dhmc_off: bool) -> Fix {
    let fix = fix(
        format!(
            "Attach an instance profile whose role has {CORE_POLICY}, or enable Default Host Management for {region} (its role needs AmazonSSMManagedEC2InstanceDefaultPolicy, the agent 3.2.582.0 or later, and IMDSv2). An instance profile that allows ssm:UpdateInstanceInformation takes precedence over Default Host Management."
        ),
        vec![
            format!(
                "aws ec2 associate-iam-instance-profile --region {region} --instance-id {instance_id} --iam-instance-profile Name=<profile-name>"
            ),
            enable_dhmc(region),
        ],
        None,
    );
    if dhmc_off {
        fix.with_action(ReadinessAction::EnableDefaultHostManagement {
            region: region.to_owned(),
        })
    } else {
        fix
    }
}

pub fn attach_core_policy(role: &str) -> Fix {
    fix(
        format!("Attach {CORE_POLICY} to the role {role}."),
        vec![format!(
            "aws iam attach-role-policy --role-name {role} --policy-arn arn:aws:iam::aws:policy/{CORE_POLICY}"
        )],
        None,
    )
}

pub fn require_imdsv2(instance_id: &str, region: &str) -> Fix {
    fix(
        "Turn the metadata endpoint on and require IMDSv2 (session tokens).",
        vec![format!(
            "aws ec2 modify-instance-metadata-options --region {region} --instance-id {instance_id} --http-endpoint enabled --http-tokens required"
        )],
        None,
    )
}

pub fn https_egress(group_id: &str, region: &str, cidr: &str) -> Fix {
    let action = ReadinessAction::AllowHttpsEgress {
        region: region.to_owned(),
        group_id: group_id.to_owned(),
        cidr: cidr.to_owned(),
    };
    let fix = fix(
        format!("Allow TCP 443 out of {group_id} (to {cidr})."),
        vec![action.describe().cli],
        None,
    );
    // A placeholder group is words for the user, not something to send.
    if group_id.starts_with("sg-") {
        fix.with_action(action)
    } else {
        fix
    }
}

pub fn interface_endpoints(
    vpc: &str,
    subnet: &str,
    region: &str,
    services: &[&str],
) -> Vec<String> {
    services
        .iter()
        .map(|service| {
            format!(
                "aws ec2 create-vpc-endpoint --region {region} --vpc-id {vpc} --vpc-endpoint-type Interface --service-name com.amazonaws.{region}.{service} --subnet-ids {subnet} --security-group-ids <endpoint-sg> --private-dns-enabled"
            )
        })
        .collect()
}

pub fn nat_route(route_table: &str, region: &str) -> String {
    format!(
        "aws ec2 create-route --region {region} --route-table-id {route_table} --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <nat-gateway-id>"
    )
}

pub fn endpoint_ingress(group_id: &str, region: &str, cidr: &str) -> String {
    format!(
        "aws ec2 authorize-security-group-ingress --region {region} --group-id {group_id} --protocol tcp --port 443 --cidr {cidr}"
    )
}

pub fn s3_gateway(vpc: &str, route_table: &str, region: &str) -> Fix {
    fix(
        "Add the S3 gateway endpoint (free): agent updates, patching and S3 session logs read from S3.",
        vec![format!(
            "aws ec2 create-vpc-endpoint --region {region} --vpc-id {vpc} --vpc-endpoint-type Gateway --service-name com.amazonaws.{region}.s3 --route-table-ids {route_table}"
        )],
        None,
    )
}

pub fn acl_entries(acl: &str, region: &str, ephemeral: (u16, u16)) -> Fix {
    fix(
        "Allow TCP 443 out and the replies (ephemeral ports) in, numbered before any deny.",
        vec![
            format!(
                "aws ec2 create-network-acl-entry --region {region} --network-acl-id {acl} --egress --rule-number <n> --protocol tcp --port-range From=443,To=443 --cidr-block 0.0.0.0/0 --rule-action allow"
            ),
            format!(
                "aws ec2 create-network-acl-entry --region {region} --network-acl-id {acl} --ingress --rule-number <n> --protocol tcp --port-range From={},To={} --cidr-block 0.0.0.0/0 --rule-action allow",
                ephemeral.0, ephemeral.1
            ),
        ],
        None,
    )
}

pub fn vpc_dns(vpc: &str, region: &str) -> Fix {
    fix(
        "Turn on DNS resolution and DNS hostnames for the VPC.",
        vec![
            format!(
                "aws ec2 modify-vpc-attribute --region {region} --vpc-id {vpc} --enable-dns-support '{{\"Value\":true}}'"
            ),
            format!(
                "aws ec2 modify-vpc-attribute --region {region} --vpc-id {vpc} --enable-dns-hostnames '{{\"Value\":true}}'"
            ),
        ],
        None,
    )
}

pub fn close_admin_ports(groups: &[&str], region: &str) -> Fix {
    fix(
        format!(
            "Session Manager needs no inbound port: remove the rules with {DISABLE_PUBLIC_ACCESS_RUNBOOK}, which revokes SSH and RDP from 0.0.0.0/0 and ::/0."
        ),
        groups
            .iter()
            .map(|group| {
                format!(
                    "aws ssm start-automation-execution --region {region} --document-name {DISABLE_PUBLIC_ACCESS_RUNBOOK} --parameters GroupId={group}"
                )
            })
            .collect(),
        Some(DISABLE_PUBLIC_ACCESS_RUNBOOK),
    )
}
