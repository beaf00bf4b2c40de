//! The readiness doctor's changes on the practice account, made as AWS would make them:
//! Default Host Management turns on in the network model, and an HTTPS egress rule is added to
//! the security group (ending a scenario's block on it). Each is recorded in CloudTrail as the
//! learner's call, and the doctor's next check reads the changed account. The runbook and
//! command fixes go through the account's Automation and Run Command like any other.

use async_trait::async_trait;
use unyo_core::AppError;
use unyo_core::cloud::Remediation;
use unyo_core::readiness::fixes::{DHMC_DEFAULT_ROLE, DHMC_SETTING_ID};

use crate::PracticeCloud;
use crate::account::{Call, LEARNER, LEARNER_ARN, check_region};
use crate::scenarios::EgressRule;

#[async_trait]
impl Remediation for PracticeCloud {
    async fn enable_default_host_management(&self, region: &str) -> Result<(), AppError> {
        check_region(region)?;
        self.world(|account, _, _, now| {
            self.network.set_dhmc(region, true)?;
            account.record(
                region,
                now,
                Call {
                    name: "UpdateServiceSetting",
                    source: "ssm.amazonaws.com",
                    user: LEARNER,
                    user_arn: LEARNER_ARN,
                    request: serde_json::json!({
                        "settingId": DHMC_SETTING_ID,
                        "settingValue": DHMC_DEFAULT_ROLE,
                    }),
                    resources: Vec::new(),
                },
            );
            Ok(())
        })
    }

    async fn allow_https_egress(
        &self,
        region: &str,
        group_id: &str,
        cidr: &str,
    ) -> Result<(), AppError> {
        check_region(region)?;
        let mut rule = EgressRule::https_anywhere(region, group_id);
        rule.cidr = cidr.to_owned();
        self.authorize_security_group_egress(&rule).map(|_| ())
    }
}
