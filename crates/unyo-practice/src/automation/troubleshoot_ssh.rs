//! AWSSupport-TroubleshootSSH and AWSSupport-TroubleshootManagedInstance as the practice
//! account runs them. The SSH runbook runs EC2Rescue for Linux's OpenSSH checks: they look at
//! sshd's configuration and files, so with `Action=FixAll` they can report Success while the
//! service itself is still stopped. FixAll also rewrites `sshd_config`, and leaves it at mode
//! 0655 whatever mode it had (as the real runbook was seen doing), so its "all detected
//! problems fixed" can leave a problem it did not have before. Outputs follow the shape of an EC2Rescue report; they are
//! written for the lessons, not copied from a real run.

use unyo_core::automation::AutomationParameters;
use unyo_core::{AppError, Instance, PingStatus};

use super::{Effect, PlannedStep};
use crate::host::{File, Host, SSHD_CONFIG};

pub const NAME: &str = "AWSSupport-TroubleshootSSH";
pub const MANAGED_NAME: &str = "AWSSupport-TroubleshootManagedInstance";

/// What FixAll writes when sshd_config is missing: a generic template, not the distribution's
/// file, and world-readable-and-executable (0655). About ten lines differ from the default.
pub const GENERATED_SSHD_CONFIG: &str = "\
Port 22
Protocol 2
HostKey /etc/ssh/ssh_host_rsa_key
HostKey /etc/ssh/ssh_host_ecdsa_key
HostKey /etc/ssh/ssh_host_ed25519_key
KeyRegenerationInterval 3600
ServerKeyBits 1024
SyslogFacility AUTHPRIV
PermitRootLogin yes
RSAAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication yes
ChallengeResponseAuthentication no
UsePAM yes
X11Forwarding yes
PrintMotd no
UseDNS yes
Subsystem sftp /usr/lib/openssh/sftp-server
";

pub const GENERATED_MODE: u32 = 0o655;

type Plan = (Vec<PlannedStep>, Vec<(&'static str, &'static str)>);

fn assert_managed(instance: &Instance) -> PlannedStep {
    let step = PlannedStep::ok(
        "assertInstanceIsManaged",
        "aws:assertAwsResourceProperty",
        2,
    )
    .output("PingStatus", format!("{:?}", instance.ping_status));
    if instance.ping_status == PingStatus::Online {
        step
    } else {
        step.failed(format!(
            "The instance {} is not connected to Systems Manager (PingStatus {:?}); the online checks need its SSM Agent. Run AWSSupport-TroubleshootManagedInstance.",
            instance.id, instance.ping_status
        ))
    }
}

pub fn plan(
    instance: &Instance,
    host: &Host,
    parameters: &AutomationParameters,
) -> Result<Plan, AppError> {
    let value = |name: &str| {
        parameters
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    };
    if value("AllowOffline") == Some("True") {
        return Err(AppError::invalid_input(
            "the practice account runs AWSSupport-TroubleshootSSH online only; AllowOffline=True would stop the instance and repair its volume from a helper instance",
        ));
    }
    let fix = value("Action") == Some("FixAll");
    let mut steps = vec![
        PlannedStep::ok("assertInstanceIsLinux", "aws:assertAwsResourceProperty", 1)
            .output("Platform", "Linux"),
    ];
    let managed = assert_managed(instance);
    let failed = managed.failure.is_some();
    steps.push(managed);
    if failed {
        return Ok((steps, Vec::new()));
    }
    steps.push(
        PlannedStep::ok("installEC2Rescue", "aws:runCommand", 6).output(
            "Output",
            "Successfully installed AWSSupport-EC2Rescue-Linux 1.1.5",
        ),
    );
    let missing = !host.files.contains_key(SSHD_CONFIG);
    let mut lines = vec![
        "----------[Configuration File]----------".to_owned(),
        "Configuration file loaded: /opt/ec2rl/configuration.cfg".to_owned(),
        "-------------[Output  Logs]-------------".to_owned(),
        format!(
            "The output logs are located in: /var/tmp/ec2rl/{}",
            host.now.replace([' ', ':'], "T")
        ),
        "--------------[Module Run]--------------".to_owned(),
        format!(
            "Running Modules: openssh{}",
            if fix { " (remediate)" } else { "" }
        ),
        "-----------[Diagnostic Results]-----------".to_owned(),
    ];
    let summary = match (missing, fix) {
        (true, true) => "[SUCCESS] All configuration checks passed or all detected problems fixed.",
        (true, false) => "[FAILURE] Problems found; run with Action=FixAll to remediate.",
        (false, _) => "[SUCCESS] All configuration checks passed or all detected problems fixed.",
    };
    lines.push(format!("module run/openssh  {summary}"));
    if missing {
        lines.push(if fix {
            "--   [SUCCESS] Missing sshd_config: created a new /etc/ssh/sshd_config".to_owned()
        } else {
            "--   [FAILURE] /etc/ssh/sshd_config is missing".to_owned()
        });
    } else {
        lines.push("--   [SUCCESS] /etc/ssh/sshd_config present and parses".to_owned());
        if fix {
            lines.push(
                "--   [SUCCESS] Rewrote /etc/ssh/sshd_config with its current settings".to_owned(),
            );
        }
    }
    for check in [
        "Host keys present with valid permissions",
        "Privilege separation directory /var/empty/sshd",
        "authorized_keys files and their directories are not writable by others",
        "Duplicate AuthorizedKeysFile entries: none",
    ] {
        lines.push(format!("--   [SUCCESS] {check}"));
    }
    lines.push("Please see the logs for further details.".to_owned());
    let mut run = PlannedStep::ok("runEC2RescueForOpenSSH", "aws:runCommand", 12)
        .output("Output", lines.join("\n"));
    if fix {
        run = run.effect(Effect::RewriteSshdConfig);
    }
    steps.push(run);
    Ok((steps, vec![("runEC2RescueForOpenSSH", "Output")]))
}

/// FixAll's pass over sshd_config: a missing file is recreated from the generic template; an
/// existing one is written back with its settings. Either way it ends root's, at 0655.
pub fn rewrite_config(host: &mut Host) {
    let modified = host.now.get(..16).unwrap_or_default().to_owned();
    let content = host
        .files
        .get(SSHD_CONFIG)
        .map_or(GENERATED_SSHD_CONFIG, |f| f.content.as_str())
        .to_owned();
    let mut file = File::root(GENERATED_MODE, &modified, &content);
    if let Some(old) = host.files.get(SSHD_CONFIG) {
        file.hidden_bytes = old.hidden_bytes;
    }
    host.files.insert(SSHD_CONFIG.to_owned(), file);
}

/// AWSSupport-TroubleshootManagedInstance: reports why the agent cannot reach Systems
/// Manager. The network verdict comes from the scenario's facts (see
/// `scenarios::not_managed`) until the practice network model answers it.
pub fn plan_managed_instance(
    instance: &Instance,
    blocked_by: Option<&str>,
) -> Result<Plan, AppError> {
    let sg = match blocked_by {
        Some(group) => format!(
            "[FAILED] Security group {group} has no outbound rule that allows TCP 443; the SSM Agent cannot reach ssm, ssmmessages and ec2messages.{} .amazonaws.com",
            instance.region
        ),
        None => {
            "[PASSED] Outbound HTTPS (443) to the Systems Manager endpoints is allowed.".to_owned()
        }
    };
    let profile = match &instance.iam_instance_profile {
        Some(p) => format!("[PASSED] Instance profile {p} is attached."),
        None => "[FAILED] No instance profile is attached, and Default Host Management Configuration is off.".to_owned(),
    };
    let report = [
        format!(
            "Instance {} in {} (PingStatus {:?})",
            instance.id, instance.region, instance.ping_status
        ),
        "[PASSED] The VPC has an internet gateway route for the subnet.".to_owned(),
        sg,
        "[PASSED] The network ACL allows outbound 443 and inbound ephemeral ports.".to_owned(),
        profile,
    ]
    .join("\n");
    Ok((
        vec![
            PlannedStep::ok("getInstanceProperties", "aws:executeAwsApi", 2),
            PlannedStep::ok("checkVpcEndpointsAndRoutes", "aws:executeScript", 5),
            PlannedStep::ok("checkSecurityGroupsAndAcls", "aws:executeScript", 5),
            PlannedStep::ok("generateReport", "aws:executeScript", 3).output("Report", report),
        ],
        vec![("generateReport", "Report")],
    ))
}
