//! The fixes the doctor can make itself, once the user has seen and confirmed what
//! [`ReadinessAction::describe`] says: the API call, the AWS CLI command that does the same,
//! and what it costs ([`ReadinessAction::cost`]). A rule attaches one to its check's fix when
//! it applies; the Cloud port's `apply_readiness_action` makes it, and says what to follow
//! ([`ActionStarted`]). The checks themselves stay read-only.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::fixes::{
    DHMC_DEFAULT_ROLE, DHMC_SETTING_ID, TROUBLESHOOT_RUNBOOK, UPDATE_AGENT_DOCUMENT,
};
use crate::action::{ChangePreview, shell_quote};
use crate::automation::StartAutomationRequest;
use crate::localized::Localized;
use crate::run_command::SendCommandRequest;

/// A change the doctor offers to make, with everything it needs to say and do it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum ReadinessAction {
    /// Turns on Default Host Management in a region, with AWS's default role
    /// (`ssm:UpdateServiceSetting`).
    EnableDefaultHostManagement { region: String },
    /// Starts `AWSSupport-TroubleshootManagedInstance`, which only reads.
    TroubleshootManagedInstance { region: String, instance_id: String },
    /// Sends `AWS-UpdateSSMAgent` to the instance (Run Command).
    UpdateAgent { region: String, instance_id: String },
    /// Adds an outbound rule for TCP 443 to `cidr` (`ec2:AuthorizeSecurityGroupEgress`).
    AllowHttpsEgress {
        region: String,
        group_id: String,
        cidr: String,
    },
}

/// What the confirmation shows before an action is applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReadinessActionPreview {
    pub change: ChangePreview,
    /// What it costs on AWS, in a sentence.
    pub cost: Localized,
}

/// What applying an action started, for the UI to follow before it checks again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum ActionStarted {
    /// The change is made; there is nothing to follow.
    Done,
    /// An Automation execution, followed with `GetAutomationExecution`.
    Automation {
        region: String,
        execution_id: String,
    },
    /// A Run Command, followed with `ListCommandInvocations`.
    Command { region: String, command_id: String },
}

const PRACTICE_FREE: (&str, &str) = (
    "The practice account is free.",
    "練習用アカウントでは料金はかかりません。",
);

impl ReadinessAction {
    pub fn region(&self) -> &str {
        match self {
            Self::EnableDefaultHostManagement { region }
            | Self::TroubleshootManagedInstance { region, .. }
            | Self::UpdateAgent { region, .. }
            | Self::AllowHttpsEgress { region, .. } => region,
        }
    }

    /// The runbook start this action is, when it is one.
    pub fn automation_request(&self) -> Option<StartAutomationRequest> {
        match self {
            Self::TroubleshootManagedInstance {
                region,
                instance_id,
            } => Some(Self::troubleshoot_request(region, instance_id)),
            _ => None,
        }
    }

    /// The Run Command this action is, when it is one.
    pub fn command_request(&self) -> Option<SendCommandRequest> {
        match self {
            Self::UpdateAgent {
                region,
                instance_id,
            } => Some(Self::update_agent_request(region, instance_id)),
            _ => None,
        }
    }

    /// `AWSSupport-TroubleshootManagedInstance` for one instance.
    pub fn troubleshoot_request(region: &str, instance_id: &str) -> StartAutomationRequest {
        StartAutomationRequest {
            region: region.to_owned(),
            document_name: TROUBLESHOOT_RUNBOOK.to_owned(),
            parameters: [("InstanceId".to_owned(), vec![instance_id.to_owned()])].into(),
        }
    }

    /// `AWS-UpdateSSMAgent` for one instance. The document takes no `commands`, and its own
    /// parameters (`version`, `allowDowngrade`) keep their defaults: the latest version,
    /// never a downgrade.
    pub fn update_agent_request(region: &str, instance_id: &str) -> SendCommandRequest {
        SendCommandRequest {
            region: region.to_owned(),
            document_name: UPDATE_AGENT_DOCUMENT.to_owned(),
            instance_ids: vec![instance_id.to_owned()],
            commands: Vec::new(),
            comment: Some("Unyo readiness doctor: update the SSM Agent".to_owned()),
            timeout_seconds: None,
        }
    }

    /// Everything the confirmation shows: [`Self::describe`] and [`Self::cost`].
    pub fn preview(&self) -> ReadinessActionPreview {
        ReadinessActionPreview {
            change: self.describe(),
            cost: self.cost(),
        }
    }

    /// The API call, the AWS CLI command that makes the same request, and what it does.
    pub fn describe(&self) -> ChangePreview {
        let q = shell_quote;
        match self {
            Self::EnableDefaultHostManagement { region } => ChangePreview {
                api_call: "ssm:UpdateServiceSetting".into(),
                cli: format!(
                    "aws ssm update-service-setting --region {} --setting-id {DHMC_SETTING_ID} --setting-value {DHMC_DEFAULT_ROLE}",
                    q(region)
                ),
                summary: Localized::new(
                    format!(
                        "Turns on Default Host Management for every instance in {region}: an instance without an instance profile gets its credentials from the role {DHMC_DEFAULT_ROLE}, which must already exist with AmazonSSMManagedEC2InstanceDefaultPolicy (agent 3.2.582.0 or later, IMDSv2). An instance profile that allows ssm:UpdateInstanceInformation still takes precedence. Agents pick it up the next time they try to register, so an instance may take a while to appear."
                    ),
                    format!(
                        "{region} のすべてのインスタンスに対してデフォルトのホスト管理設定（DHMC）を有効にします。インスタンスプロファイルのないインスタンスは、ロール {DHMC_DEFAULT_ROLE} から認証情報を得ます（このロールが AmazonSSMManagedEC2InstanceDefaultPolicy 付きで既に存在すること、エージェント 3.2.582.0 以降、IMDSv2 が必要）。ssm:UpdateInstanceInformation を許可するインスタンスプロファイルがあればそちらが優先されます。エージェントが次に登録を試みたときに反映されるため、マネージドノードとして現れるまで時間がかかることがあります。"
                    ),
                ),
            },
            Self::TroubleshootManagedInstance { instance_id, .. } => {
                let start = self.automation_request().map(|r| r.describe());
                ChangePreview {
                    api_call: "ssm:StartAutomationExecution".into(),
                    cli: start.map(|s| s.cli).unwrap_or_default(),
                    summary: Localized::new(
                        format!(
                            "Runs the AWS-owned runbook {TROUBLESHOOT_RUNBOOK} on {instance_id}: it checks why the instance is not a managed node (route, endpoints, security groups, network ACL, instance profile or Default Host Management, agent) and changes nothing."
                        ),
                        format!(
                            "AWS 提供のランブック {TROUBLESHOOT_RUNBOOK} を {instance_id} に対して実行します。マネージドノードにならない理由（経路、エンドポイント、セキュリティグループ、ネットワーク ACL、インスタンスプロファイルまたは DHMC、エージェント）を調べるだけで、何も変更しません。"
                        ),
                    ),
                }
            }
            Self::UpdateAgent { instance_id, .. } => ChangePreview {
                api_call: "ssm:SendCommand".into(),
                cli: format!(
                    "aws ssm send-command --region {} --document-name {UPDATE_AGENT_DOCUMENT} --instance-ids {}",
                    q(self.region()),
                    q(instance_id)
                ),
                summary: Localized::new(
                    format!(
                        "Updates the SSM Agent on {instance_id} to the latest version with the Run Command document {UPDATE_AGENT_DOCUMENT}; the agent restarts, so sessions open on it may drop."
                    ),
                    format!(
                        "Run Command ドキュメント {UPDATE_AGENT_DOCUMENT} で {instance_id} の SSM Agent を最新版に更新します。エージェントが再起動するため、開いているセッションは切断されることがあります。"
                    ),
                ),
            },
            Self::AllowHttpsEgress {
                region,
                group_id,
                cidr,
            } => {
                let permissions =
                    format!("IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{{CidrIp={cidr}}}]");
                ChangePreview {
                    api_call: "ec2:AuthorizeSecurityGroupEgress".into(),
                    cli: format!(
                        "aws ec2 authorize-security-group-egress --region {} --group-id {} --ip-permissions {}",
                        q(region),
                        q(group_id),
                        q(&permissions)
                    ),
                    summary: Localized::new(
                        format!(
                            "Adds an outbound rule to security group {group_id}: TCP 443 (HTTPS) to {cidr}, the way the SSM Agent reaches Systems Manager. The group's other rules stay as they are."
                        ),
                        format!(
                            "セキュリティグループ {group_id} にアウトバウンドルール（TCP 443（HTTPS）、宛先 {cidr}）を追加します。SSM Agent はこの経路で Systems Manager に接続します。既存のルールはそのまま残ります。"
                        ),
                    ),
                }
            }
        }
    }

    /// What it costs on AWS, said plainly (prices from AWS's pricing pages, June 2025).
    pub fn cost(&self) -> Localized {
        let (en, ja) = match self {
            Self::EnableDefaultHostManagement { .. } => (
                "Free: a service setting costs nothing.",
                "無料：サービス設定の変更に料金はかかりません。",
            ),
            Self::TroubleshootManagedInstance { .. } => (
                "Automation bills $0.002 per step on AWS, and accounts new to Automation since 14 Aug 2025 have no free tier; how many steps this runbook takes depends on what it finds (10 steps ≈ $0.02).",
                "AWS では Automation はステップごとに $0.002 かかり、2025 年 8 月 14 日以降に Automation を使い始めたアカウントには無料枠がありません。このランブックのステップ数は調べる内容によって変わります（10 ステップで約 $0.02）。",
            ),
            Self::UpdateAgent { .. } => (
                "Free: Run Command has no charge on EC2 instances.",
                "無料：EC2 インスタンスでの Run Command に料金はかかりません。",
            ),
            Self::AllowHttpsEgress { .. } => (
                "Free: security group rules cost nothing.",
                "無料：セキュリティグループのルールに料金はかかりません。",
            ),
        };
        Localized::new(
            format!("{en} {}", PRACTICE_FREE.0),
            format!("{ja}{}", PRACTICE_FREE.1),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKYO: &str = "ap-northeast-1";

    fn all() -> Vec<ReadinessAction> {
        vec![
            ReadinessAction::EnableDefaultHostManagement {
                region: TOKYO.into(),
            },
            ReadinessAction::TroubleshootManagedInstance {
                region: TOKYO.into(),
                instance_id: "i-0abc".into(),
            },
            ReadinessAction::UpdateAgent {
                region: TOKYO.into(),
                instance_id: "i-0abc".into(),
            },
            ReadinessAction::AllowHttpsEgress {
                region: TOKYO.into(),
                group_id: "sg-0123".into(),
                cidr: "0.0.0.0/0".into(),
            },
        ]
    }

    #[test]
    fn each_action_says_its_api_call_and_the_exact_cli() {
        let previews: Vec<ChangePreview> = all().iter().map(ReadinessAction::describe).collect();
        let calls: Vec<&str> = previews.iter().map(|p| p.api_call.as_str()).collect();
        assert_eq!(
            calls,
            [
                "ssm:UpdateServiceSetting",
                "ssm:StartAutomationExecution",
                "ssm:SendCommand",
                "ec2:AuthorizeSecurityGroupEgress"
            ]
        );
        assert_eq!(
            previews[0].cli,
            "aws ssm update-service-setting --region ap-northeast-1 --setting-id /ssm/managed-instance/default-ec2-instance-management-role --setting-value service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole"
        );
        assert_eq!(
            previews[1].cli,
            r#"aws ssm start-automation-execution --region ap-northeast-1 --document-name AWSSupport-TroubleshootManagedInstance --parameters '{"InstanceId":["i-0abc"]}'"#
        );
        assert_eq!(
            previews[2].cli,
            "aws ssm send-command --region ap-northeast-1 --document-name AWS-UpdateSSMAgent --instance-ids i-0abc"
        );
        assert_eq!(
            previews[3].cli,
            "aws ec2 authorize-security-group-egress --region ap-northeast-1 --group-id sg-0123 --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]'"
        );
        assert!(previews[0].summary.en.contains("takes precedence"));
        assert!(previews[1].summary.en.contains("changes nothing"));
    }

    #[test]
    fn every_action_says_what_it_does_and_costs_in_both_languages() {
        let japanese = |text: &str| {
            text.chars().any(|c| {
                ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c)
            })
        };
        for action in all() {
            let preview = action.describe();
            let cost = action.cost();
            for text in [&preview.summary, &cost] {
                assert!(!text.en.is_empty(), "{action:?}");
                assert!(japanese(&text.ja), "{action:?}: {}", text.ja);
            }
            assert!(cost.en.contains("practice account is free"), "{action:?}");
        }
        let runbook = all()[1].cost();
        assert!(runbook.en.contains("$0.002 per step"), "{}", runbook.en);
        assert!(runbook.en.contains("no free tier"), "{}", runbook.en);
    }

    #[test]
    fn runbook_and_command_requests_carry_the_instance() {
        let [_, troubleshoot, update, egress] = <[ReadinessAction; 4]>::try_from(all()).unwrap();
        let start = troubleshoot.automation_request().unwrap();
        assert_eq!(start.document_name, TROUBLESHOOT_RUNBOOK);
        assert_eq!(start.parameters["InstanceId"], ["i-0abc"]);
        let send = update.command_request().unwrap();
        assert_eq!(send.document_name, UPDATE_AGENT_DOCUMENT);
        assert_eq!(send.instance_ids, ["i-0abc"]);
        assert!(send.commands.is_empty());
        assert!(egress.automation_request().is_none() && egress.command_request().is_none());
    }

    #[test]
    fn crosses_ipc_tagged_with_camel_case_fields() {
        let json = serde_json::to_value(&all()[3]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "allowHttpsEgress", "region": TOKYO, "groupId": "sg-0123", "cidr": "0.0.0.0/0"})
        );
        let started = ActionStarted::Automation {
            region: TOKYO.into(),
            execution_id: "e-1".into(),
        };
        assert_eq!(
            serde_json::to_value(&started).unwrap(),
            serde_json::json!({"kind": "automation", "region": TOKYO, "executionId": "e-1"})
        );
        assert_eq!(
            serde_json::to_value(ActionStarted::Done).unwrap(),
            serde_json::json!({"kind": "done"})
        );
    }
}
