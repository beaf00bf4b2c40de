//! The readiness doctor as a use case over an account's capabilities, once for every adapter:
//! gather the facts ([`Readiness`](crate::cloud::Readiness)), judge them ([`diagnose`]), and
//! make a fix the user confirmed (through [`Remediation`](crate::cloud::Remediation),
//! [`Automation`](crate::cloud::Automation) or [`RunCommand`](crate::cloud::RunCommand)).

use super::{ActionStarted, ReadinessAction, ReadinessReport, RegionReadiness, diagnose};
use crate::{AppError, Cloud};

/// One instance's report.
pub async fn check_instance(
    cloud: &dyn Cloud,
    instance_id: &str,
) -> Result<ReadinessReport, AppError> {
    let facts = cloud
        .require_readiness()?
        .instance_facts(instance_id)
        .await?;
    Ok(diagnose(&facts))
}

/// Every instance of a region, with the region's summary.
pub async fn check_region(cloud: &dyn Cloud, region: &str) -> Result<RegionReadiness, AppError> {
    let facts = cloud.require_readiness()?.region_facts(region).await?;
    let reports = facts.iter().map(diagnose).collect();
    Ok(RegionReadiness::new(region, reports))
}

/// Makes one of the doctor's fixes, which the user has confirmed after seeing its
/// [`describe`](ReadinessAction::describe). Returns what to follow (a runbook, a command)
/// before checking again; the checks never call this.
pub async fn apply_fix(
    cloud: &dyn Cloud,
    action: &ReadinessAction,
) -> Result<ActionStarted, AppError> {
    match action {
        ReadinessAction::EnableDefaultHostManagement { region } => {
            cloud
                .require_remediation()?
                .enable_default_host_management(region)
                .await?;
            Ok(ActionStarted::Done)
        }
        ReadinessAction::AllowHttpsEgress {
            region,
            group_id,
            cidr,
        } => {
            cloud
                .require_remediation()?
                .allow_https_egress(region, group_id, cidr)
                .await?;
            Ok(ActionStarted::Done)
        }
        ReadinessAction::TroubleshootManagedInstance {
            region,
            instance_id,
        } => {
            let request = ReadinessAction::troubleshoot_request(region, instance_id);
            Ok(ActionStarted::Automation {
                region: region.clone(),
                execution_id: cloud
                    .require_automation()?
                    .start_automation(&request)
                    .await?,
            })
        }
        ReadinessAction::UpdateAgent {
            region,
            instance_id,
        } => {
            let request = ReadinessAction::update_agent_request(region, instance_id);
            Ok(ActionStarted::Command {
                region: region.clone(),
                command_id: cloud.require_run_command()?.send_command(&request).await?,
            })
        }
    }
}
