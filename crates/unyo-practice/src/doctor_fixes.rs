//! The readiness doctor's fixes on the practice account, made as AWS would make them:
//! Default Host Management turns on in the network model, an HTTPS egress rule is added to the
//! security group (ending a scenario's block on it), the managed-instance runbook starts as an
//! Automation execution and `AWS-UpdateSSMAgent` runs as a Run Command. Each is recorded in
//! CloudTrail as the learner's call, and the doctor's next check reads the changed account.

use unyo_core::readiness::fixes::{DHMC_DEFAULT_ROLE, DHMC_SETTING_ID};
use unyo_core::readiness::{ActionStarted, ReadinessAction};
use unyo_core::{AppError, Cloud};

use crate::PracticeCloud;
use crate::account::{Call, LEARNER, LEARNER_ARN, check_region};
use crate::scenarios::EgressRule;

impl PracticeCloud {
    pub(crate) async fn apply_action(
        &self,
        action: &ReadinessAction,
    ) -> Result<ActionStarted, AppError> {
        check_region(action.region())?;
        match action {
            ReadinessAction::EnableDefaultHostManagement { region } => {
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
                    Ok(ActionStarted::Done)
                })
            }
            ReadinessAction::AllowHttpsEgress {
                region,
                group_id,
                cidr,
            } => {
                let mut rule = EgressRule::https_anywhere(region, group_id);
                rule.cidr.clone_from(cidr);
                self.authorize_security_group_egress(&rule)?;
                Ok(ActionStarted::Done)
            }
            ReadinessAction::TroubleshootManagedInstance {
                region,
                instance_id,
            } => {
                let request = ReadinessAction::troubleshoot_request(region, instance_id);
                Ok(ActionStarted::Automation {
                    region: region.clone(),
                    execution_id: self.start_automation(&request).await?,
                })
            }
            ReadinessAction::UpdateAgent {
                region,
                instance_id,
            } => {
                let request = ReadinessAction::update_agent_request(region, instance_id);
                Ok(ActionStarted::Command {
                    region: region.clone(),
                    command_id: self.send_command(&request).await?,
                })
            }
        }
    }
}
