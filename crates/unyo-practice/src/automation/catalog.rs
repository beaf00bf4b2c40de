//! The runbooks the practice account offers, described as `DescribeDocument` would (the
//! parameters the lessons use; the real documents have a few more).

use unyo_core::automation::{Runbook, RunbookParameter, RunbookStep};

fn param(
    name: &str,
    description: &str,
    default: Option<&str>,
    allowed: &[&str],
) -> RunbookParameter {
    RunbookParameter {
        name: name.to_owned(),
        kind: "String".to_owned(),
        description: description.to_owned(),
        default: default.map(str::to_owned),
        allowed_values: allowed.iter().map(|v| (*v).to_owned()).collect(),
        allowed_pattern: None,
        required: default.is_none(),
    }
}

fn role() -> RunbookParameter {
    param(
        "AutomationAssumeRole",
        "(Optional) The IAM role the runbook acts as; without it, it acts as you.",
        Some(""),
        &[],
    )
}

pub fn runbooks() -> Vec<Runbook> {
    vec![
        Runbook {
            name: super::troubleshoot_ssh::NAME.into(),
            owner: "Amazon".into(),
            document_version: "14".into(),
            description: "Installs EC2Rescue for Linux and checks, or with Action=FixAll fixes, common problems that stop SSH connections. Read-only unless Action is FixAll.".into(),
            parameters: vec![
                param("InstanceId", "(Required) The instance that cannot be reached over SSH.", None, &[]),
                param("Action", "CheckAll only reports; FixAll also repairs what it finds.", Some("CheckAll"), &["CheckAll", "FixAll"]),
                param("AllowOffline", "Allow stopping the instance to repair it from a helper instance.", Some("False"), &["True", "False"]),
                param("SubnetId", "(Optional) The subnet for the helper instance in offline mode.", Some("SelectedInstanceSubnet"), &[]),
                param("S3BucketName", "(Optional) A bucket for the logs of an offline run.", Some(""), &[]),
                role(),
            ],
            step_count: 4,
            steps: vec![
                RunbookStep::new("assertInstanceIsLinux", "aws:assertAwsResourceProperty"),
                RunbookStep::new("assertInstanceIsManaged", "aws:assertAwsResourceProperty"),
                RunbookStep::new("installEC2Rescue", "aws:runCommand"),
                RunbookStep::new("runEC2RescueForOpenSSH", "aws:runCommand"),
            ],
            can_change_resources: true,
        },
        Runbook {
            name: super::troubleshoot_ssh::MANAGED_NAME.into(),
            owner: "Amazon".into(),
            document_version: "9".into(),
            description: "Checks why an EC2 instance is not a managed node: its network path to the Systems Manager endpoints, its instance profile, and its agent. Read-only.".into(),
            parameters: vec![
                param("InstanceId", "(Required) The instance that does not appear as managed.", None, &[]),
                role(),
            ],
            step_count: 4,
            steps: vec![
                RunbookStep::new("getInstanceProperties", "aws:executeAwsApi"),
                RunbookStep::new("checkVpcEndpointsAndRoutes", "aws:executeScript"),
                RunbookStep::new("checkSecurityGroupsAndAcls", "aws:executeScript"),
                RunbookStep::new("generateReport", "aws:executeScript"),
            ],
            can_change_resources: false,
        },
        Runbook {
            name: super::restart::NAME.into(),
            owner: "Amazon".into(),
            document_version: "3".into(),
            description: "Stops and then starts an instance. Its public IP address may change and instance store data is lost.".into(),
            parameters: vec![
                param("InstanceId", "(Required) The instance to restart.", None, &[]),
                role(),
            ],
            step_count: 2,
            steps: vec![
                RunbookStep::new("stopInstances", "aws:changeInstanceState"),
                RunbookStep::new("startInstances", "aws:changeInstanceState"),
            ],
            can_change_resources: true,
        },
    ]
}
