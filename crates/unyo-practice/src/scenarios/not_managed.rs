//! "An instance that won't connect": api-us-1's security group lost its HTTPS egress when
//! someone tightened it to database traffic only, so its SSM Agent cannot reach the Systems
//! Manager endpoints; Fleet shows "connection lost" and Session Manager refuses it.
//!
//! Doctor hook: the lost egress is a fact in `Account::blocked_egress`, which the practice
//! network model (`network.rs`) overlays on its security groups, so the readiness doctor
//! (`Cloud::readiness`) fails api-us-1's security-group egress check during the scenario and
//! passes it after the fix; `AWSSupport-TroubleshootManagedInstance` reports it too. The fix
//! goes through [`crate::PracticeCloud::authorize_security_group_egress`] (the doctor's
//! "Apply fix" too): any rule that lets the agent reach its endpoints again ends the block. The scenario keeps
//! the overlay rather than `PracticeNetwork::remove_https_egress` because starting a scenario
//! resets the account, and the overlay goes with it.

use serde_json::json;
use unyo_core::PingStatus;
use unyo_core::action::{ChangePreview, shell_quote};
use unyo_core::scenario::{Debrief, ScenarioCheck, ServiceUse};

use super::{Definition, Stage, check, hint, text};
use crate::account::Call;
use crate::baseline::{API_US_1, VIRGINIA};
use crate::clock::rfc3339;

pub const ID: &str = "instance-not-managed";
/// api-us-1's security group.
pub const SECURITY_GROUP: &str = crate::regions::virginia::SG_API;

/// An outbound rule to add to a security group (`AuthorizeSecurityGroupEgress`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EgressRule {
    pub region: String,
    pub group_id: String,
    /// `tcp`, or `-1` for all traffic.
    pub protocol: String,
    pub port: u16,
    pub cidr: String,
}

impl EgressRule {
    /// HTTPS to anywhere: what the SSM Agent needs to reach the public endpoints.
    pub fn https_anywhere(region: &str, group_id: &str) -> Self {
        Self {
            region: region.to_owned(),
            group_id: group_id.to_owned(),
            protocol: "tcp".into(),
            port: 443,
            cidr: "0.0.0.0/0".into(),
        }
    }

    /// Whether the rule lets the agent reach the endpoints on 443.
    pub fn allows_https_out(&self) -> bool {
        let any_address = self.cidr == "0.0.0.0/0";
        any_address && (self.protocol == "-1" || (self.protocol == "tcp" && self.port == 443))
    }

    pub fn describe(&self) -> ChangePreview {
        let permissions = format!(
            "IpProtocol={},FromPort={port},ToPort={port},IpRanges=[{{CidrIp={}}}]",
            self.protocol,
            self.cidr,
            port = self.port
        );
        ChangePreview {
            api_call: "ec2:AuthorizeSecurityGroupEgress".into(),
            cli: format!(
                "aws ec2 authorize-security-group-egress --region {} --group-id {} --ip-permissions {}",
                shell_quote(&self.region),
                shell_quote(&self.group_id),
                shell_quote(&permissions)
            ),
            summary: text(
                &format!(
                    "Allows outbound {} port {} to {} from security group {}.",
                    self.protocol, self.port, self.cidr, self.group_id
                ),
                &format!(
                    "セキュリティグループ {} に {} ポート {} 宛て {} のアウトバウンドを許可します。",
                    self.group_id, self.cidr, self.port, self.protocol
                ),
            ),
        }
    }
}

fn setup(stage: &mut Stage<'_>) {
    let at = stage.now - 74 * 60;
    let carol = "arn:aws:iam::123456789012:user/carol";
    stage.account.record(
        VIRGINIA,
        at,
        Call {
            name: "RevokeSecurityGroupEgress",
            source: "ec2.amazonaws.com",
            user: "carol",
            user_arn: carol,
            request: json!({"groupId": SECURITY_GROUP, "ipPermissions": {"items": [{"ipProtocol": "-1", "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}),
            resources: vec![("AWS::EC2::SecurityGroup", SECURITY_GROUP)],
        },
    );
    stage.account.record(
        VIRGINIA,
        at + 40,
        Call {
            name: "AuthorizeSecurityGroupEgress",
            source: "ec2.amazonaws.com",
            user: "carol",
            user_arn: carol,
            request: json!({"groupId": SECURITY_GROUP, "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "ipRanges": {"items": [{"cidrIp": "10.1.0.0/16", "description": "PostgreSQL only"}]}}]}}),
            resources: vec![("AWS::EC2::SecurityGroup", SECURITY_GROUP)],
        },
    );
    stage
        .account
        .blocked_egress
        .insert(API_US_1.to_owned(), SECURITY_GROUP.to_owned());
    // The agent's last successful ping was just before the rule went.
    stage.account.ping.insert(
        API_US_1.to_owned(),
        (PingStatus::ConnectionLost, rfc3339(at - 60)),
    );
}

fn checks(stage: &mut Stage<'_>) -> Vec<ScenarioCheck> {
    let open = !stage.account.blocked_egress.contains_key(API_US_1);
    let online = stage
        .account
        .ping
        .get(API_US_1)
        .is_none_or(|(status, _)| *status == PingStatus::Online);
    vec![
        check(
            &format!("{SECURITY_GROUP} allows outbound HTTPS (443) again"),
            &format!("{SECURITY_GROUP} がアウトバウンド HTTPS（443）を再び許可している"),
            open,
        ),
        check(
            "api-us-1's SSM Agent is online again",
            "api-us-1 の SSM Agent が再びオンライン",
            online,
        ),
    ]
}

pub fn definition() -> Definition {
    let runbook = format!(
        "aws ssm start-automation-execution --region {VIRGINIA} --document-name AWSSupport-TroubleshootManagedInstance --parameters '{{\"InstanceId\":[\"{API_US_1}\"]}}'"
    );
    let fix = EgressRule::https_anywhere(VIRGINIA, SECURITY_GROUP)
        .describe()
        .cli;
    Definition {
        id: ID,
        region: VIRGINIA,
        instance_id: API_US_1,
        title: text("An instance that won't connect", "接続できないインスタンス"),
        summary: text(
            "api-us-1 dropped out of Systems Manager. Nothing changed on the machine. What changed around it?",
            "api-us-1 が Systems Manager から外れた。マシン自体は何も変わっていない。周りで何が変わった？",
        ),
        minutes: 12,
        teaches: text(
            "Why an instance drops out of Systems Manager: the readiness doctor finds the lost outbound 443 and its fix.",
            "インスタンスが Systems Manager から外れる理由。準備状況ドクターが失われたアウトバウンド 443 とその修正を見つけます。",
        ),
        situation: text(
            "Fleet shows api-us-1 as \"Connection lost\" since about 08:49, and Session Manager refuses to open a shell on it. The instance is running.",
            "08:49 ごろから Fleet で api-us-1 が「接続喪失」と表示され、Session Manager でシェルを開けない。インスタンスは稼働中。",
        ),
        goal: text(
            "Find why the agent cannot reach Systems Manager and restore it, changing as little as possible.",
            "エージェントが Systems Manager に到達できない理由を見つけ、変更を最小限にして復旧する。",
        ),
        hints: vec![
            hint(
                "Fleet: the ping status and the time of the last ping tell you when it stopped talking.",
                "Fleet：Ping ステータスと最終 Ping 時刻から、いつ通信が止まったかがわかる。",
                Some(&format!(
                    "aws ssm describe-instance-information --region {VIRGINIA} --filters Key=InstanceIds,Values={API_US_1}"
                )),
            ),
            hint(
                "Fleet: open api-us-1 and check its readiness. The doctor walks Session Manager's prerequisites, says which one fails, and can apply the fix once you have seen the exact API call.",
                "Fleet：api-us-1 を開いてレディネスを確認する。診断が Session Manager の前提条件を順に調べ、どれが満たされていないかを示す。実際の API 呼び出しを確認したうえで、その修正を適用することもできる。",
                None,
            ),
            hint(
                "Run AWSSupport-TroubleshootManagedInstance on it: it checks the network path, the instance profile and the agent.",
                "AWSSupport-TroubleshootManagedInstance を実行する：ネットワーク経路、インスタンスプロファイル、エージェントを確認してくれる。",
                Some(&runbook),
            ),
            hint(
                "Ask CloudTrail what changed on its security group around the time the pings stopped.",
                "Ping が止まった時刻の前後に、セキュリティグループで何が変わったかを CloudTrail に聞く。",
                Some(&format!(
                    "aws cloudtrail lookup-events --region {VIRGINIA} --lookup-attributes AttributeKey=ResourceName,AttributeValue={SECURITY_GROUP}"
                )),
            ),
            hint(
                "The agent needs outbound HTTPS (443) to ssm, ssmmessages and ec2messages. Add that rule back; keep the PostgreSQL rule.",
                "エージェントには ssm・ssmmessages・ec2messages へのアウトバウンド HTTPS（443）が必要。そのルールを戻し、PostgreSQL のルールは残す。",
                Some(&fix),
            ),
        ],
        debrief: Debrief {
            lesson: text(
                "The SSM Agent only ever connects out, on HTTPS 443, to the ssm, ssmmessages and ec2messages endpoints (or VPC endpoints for them). Tightening a security group's egress to the database cut that path, so Systems Manager lost the instance without anything on the machine changing. The managed-instance runbook named the cause, CloudTrail named the change and who made it, and one egress rule fixed it without undoing the intended tightening.",
                "SSM Agent は HTTPS 443 で ssm・ssmmessages・ec2messages のエンドポイント（または VPC エンドポイント）へ外向きに接続するだけ。セキュリティグループのアウトバウンドをデータベース宛てだけに絞ったことでその経路が切れ、マシン上は何も変わらないまま Systems Manager からインスタンスが見えなくなった。マネージドインスタンス用ランブックが原因を示し、CloudTrail が変更内容と実行者を示し、意図した制限を戻さずにアウトバウンドルール 1 つで復旧できた。",
            ),
            services: vec![
                ServiceUse {
                    service: "Systems Manager Fleet Manager".into(),
                    why: text(
                        "Saw the agent's ping status and last ping.",
                        "エージェントの Ping ステータスと最終 Ping を確認した。",
                    ),
                    cli: vec![format!(
                        "aws ssm describe-instance-information --region {VIRGINIA}"
                    )],
                },
                ServiceUse {
                    service: "Systems Manager Automation".into(),
                    why: text(
                        "AWSSupport-TroubleshootManagedInstance found the blocked egress.",
                        "AWSSupport-TroubleshootManagedInstance が遮断されたアウトバウンドを見つけた。",
                    ),
                    cli: vec![runbook],
                },
                ServiceUse {
                    service: "AWS CloudTrail".into(),
                    why: text(
                        "Showed RevokeSecurityGroupEgress and who made it.",
                        "RevokeSecurityGroupEgress とその実行者を示した。",
                    ),
                    cli: vec![format!(
                        "aws cloudtrail lookup-events --region {VIRGINIA} --lookup-attributes AttributeKey=EventName,AttributeValue=RevokeSecurityGroupEgress"
                    )],
                },
                ServiceUse {
                    service: "Amazon EC2 (security groups)".into(),
                    why: text(
                        "Restored outbound HTTPS.",
                        "アウトバウンド HTTPS を復旧した。",
                    ),
                    cli: vec![fix],
                },
            ],
        },
        setup,
        checks,
    }
}
