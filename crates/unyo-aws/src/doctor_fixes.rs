//! The readiness doctor's fixes on a real account, made only after the user confirmed what
//! [`ReadinessAction::describe`] showed: `ssm:UpdateServiceSetting` (Default Host Management),
//! `ec2:AuthorizeSecurityGroupEgress` (HTTPS out), and the runbook and Run Command through
//! [`crate::automation`] and [`crate::run_command`]. A denied or throttled call says which
//! action and what to do next.

use aws_sdk_ec2::types::{IpPermission, IpRange};
use unyo_core::AppError;
use unyo_core::readiness::fixes::{DHMC_DEFAULT_ROLE, DHMC_SETTING_ID};
use unyo_core::readiness::{ActionStarted, ReadinessAction};

use crate::error::{from_action, service_code};
use crate::fleet::RegionClients;

/// Makes `action` with the clients of its region.
pub async fn apply(
    clients: &RegionClients,
    action: &ReadinessAction,
) -> Result<ActionStarted, AppError> {
    match action {
        ReadinessAction::EnableDefaultHostManagement { .. } => {
            clients
                .ssm
                .update_service_setting()
                .setting_id(DHMC_SETTING_ID)
                .setting_value(DHMC_DEFAULT_ROLE)
                .send()
                .await
                .map_err(|e| from_action("ssm:UpdateServiceSetting", &e))?;
            Ok(ActionStarted::Done)
        }
        ReadinessAction::AllowHttpsEgress { group_id, cidr, .. } => {
            allow_https_egress(&clients.ec2, group_id, cidr).await
        }
        ReadinessAction::TroubleshootManagedInstance {
            region,
            instance_id,
        } => {
            let request = ReadinessAction::troubleshoot_request(region, instance_id);
            Ok(ActionStarted::Automation {
                region: region.clone(),
                execution_id: crate::automation::start(&clients.ssm, &request).await?,
            })
        }
        ReadinessAction::UpdateAgent {
            region,
            instance_id,
        } => {
            let request = ReadinessAction::update_agent_request(region, instance_id);
            Ok(ActionStarted::Command {
                region: region.clone(),
                command_id: crate::run_command::send(&clients.ssm, &request).await?,
            })
        }
    }
}

async fn allow_https_egress(
    ec2: &aws_sdk_ec2::Client,
    group_id: &str,
    cidr: &str,
) -> Result<ActionStarted, AppError> {
    let rule = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(443)
        .to_port(443)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build();
    match ec2
        .authorize_security_group_egress()
        .group_id(group_id)
        .ip_permissions(rule)
        .send()
        .await
    {
        Ok(_) => Ok(ActionStarted::Done),
        // The rule is there already (added since the check): what was asked for holds.
        Err(e) if service_code(&e) == Some("InvalidPermission.Duplicate") => {
            tracing::info!(group_id, cidr, "HTTPS egress rule already present");
            Ok(ActionStarted::Done)
        }
        Err(e) => Err(from_action("ec2:AuthorizeSecurityGroupEgress", &e)),
    }
}
