//! The readiness doctor's changes on a real account, made only after the user confirmed what
//! `ReadinessAction::describe` showed: `ssm:UpdateServiceSetting` (Default Host Management)
//! and `ec2:AuthorizeSecurityGroupEgress` (HTTPS out). The runbook and command fixes go
//! through the account's Automation and Run Command. A denied or throttled call says which
//! action and what to do next.

use async_trait::async_trait;
use aws_sdk_ec2::types::{IpPermission, IpRange};
use unyo_core::AppError;
use unyo_core::cloud::Remediation;
use unyo_core::readiness::fixes::{DHMC_DEFAULT_ROLE, DHMC_SETTING_ID};

use crate::cloud::AwsCloud;
use crate::error::{from_action, service_code};

#[async_trait]
impl Remediation for AwsCloud {
    async fn enable_default_host_management(&self, region: &str) -> Result<(), AppError> {
        self.regional(region)?
            .ssm
            .update_service_setting()
            .setting_id(DHMC_SETTING_ID)
            .setting_value(DHMC_DEFAULT_ROLE)
            .send()
            .await
            .map_err(|e| from_action("ssm:UpdateServiceSetting", &e))?;
        Ok(())
    }

    async fn allow_https_egress(
        &self,
        region: &str,
        group_id: &str,
        cidr: &str,
    ) -> Result<(), AppError> {
        allow_https_egress(&self.regional(region)?.ec2, group_id, cidr).await
    }
}

async fn allow_https_egress(
    ec2: &aws_sdk_ec2::Client,
    group_id: &str,
    cidr: &str,
) -> Result<(), AppError> {
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
        Ok(_) => Ok(()),
        // The rule is there already (added since the check): what was asked for holds.
        Err(e) if service_code(&e) == Some("InvalidPermission.Duplicate") => {
            tracing::info!(group_id, cidr, "HTTPS egress rule already present");
            Ok(())
        }
        Err(e) => Err(from_action("ec2:AuthorizeSecurityGroupEgress", &e)),
    }
}
