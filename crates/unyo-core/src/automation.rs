//! Systems Manager Automation: the runbook catalog, starting a runbook, and following its
//! execution step by step. A runbook's `Success` is the runbook's claim about itself; the
//! incident workflow verifies the outcome separately.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::action::{ChangePreview, shell_quote};
use crate::localized::Localized;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RunbookParameter {
    pub name: String,
    /// The document's parameter type: `String`, `StringList`, `Integer`, `Boolean`,
    /// `MapList`, `StringMap`, or an AWS resource type such as `AWS::EC2::Instance::Id`.
    pub kind: String,
    pub description: String,
    pub default: Option<String>,
    /// The only values accepted, when the document restricts them.
    pub allowed_values: Vec<String>,
    /// A regular expression values must match, when the document gives one.
    pub allowed_pattern: Option<String>,
    pub required: bool,
}

/// A runbook in the catalog, as `DescribeDocument` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Runbook {
    pub name: String,
    /// `Amazon` for AWS-owned documents, else the account id.
    pub owner: String,
    pub document_version: String,
    pub description: String,
    pub parameters: Vec<RunbookParameter>,
    /// How many steps a typical run executes: Automation bills per step.
    pub step_count: u32,
    /// The document's main steps in order, with what each does to resources; empty in a
    /// catalog listing (only describing a runbook reads its document).
    pub steps: Vec<RunbookStep>,
    /// Whether some parameter values let it change resources (FixAll, restart...).
    pub can_change_resources: bool,
}

/// One of a runbook's main steps, as its document declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RunbookStep {
    pub name: String,
    /// The Automation action, e.g. `aws:runCommand`, `aws:changeInstanceState`.
    pub action: String,
    pub effect: StepEffect,
}

/// What a step's action can do to resources, from the action alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum StepEffect {
    /// Reads, waits, branches or asserts: nothing changes.
    Reads,
    /// Runs a command, a script or an API call: what changes depends on what it runs.
    MayChange,
    /// Starts, stops or creates resources by its nature.
    Changes,
}

impl RunbookStep {
    pub fn new(name: impl Into<String>, action: impl Into<String>) -> Self {
        let action = action.into();
        Self {
            name: name.into(),
            effect: step_effect(&action),
            action,
        }
    }
}

/// The effect of an Automation action (as the Automation actions reference describes them);
/// an action not named here may change resources.
pub fn step_effect(action: &str) -> StepEffect {
    match action {
        "aws:assertAwsResourceProperty"
        | "aws:waitForAwsResourceProperty"
        | "aws:branch"
        | "aws:sleep"
        | "aws:pause"
        | "aws:approve" => StepEffect::Reads,
        "aws:changeInstanceState"
        | "aws:createImage"
        | "aws:copyImage"
        | "aws:deleteImage"
        | "aws:createStack"
        | "aws:deleteStack"
        | "aws:createTags"
        | "aws:runInstances"
        | "aws:updateVariable" => StepEffect::Changes,
        _ => StepEffect::MayChange,
    }
}

/// Amazon's runbooks that only read, whatever their parameters: the incident screen offers
/// them first, and a runbook not named here is taken as one that may change resources.
pub const READ_ONLY_RUNBOOKS: [&str; 6] = [
    "AWSSupport-TroubleshootManagedInstance",
    "AWSSupport-TroubleshootConnectivityToRDS",
    "AWSSupport-TroubleshootEC2InstanceConnect",
    "AWSSupport-ValidateRdsNetworkConfiguration",
    "AWSSupport-AnalyzeAWSEndpointReachabilityFromEC2",
    "AWSSupport-TroubleshootRDSIAMAuthentication",
];

/// Amazon's runbooks for incidents (the catalog's first entries), in the order an operator
/// reaches for them. Read-only by default or diagnostic ones first.
pub const INCIDENT_RUNBOOKS: [&str; 12] = [
    "AWSSupport-TroubleshootSSH",
    "AWSSupport-TroubleshootRDP",
    "AWSSupport-TroubleshootManagedInstance",
    "AWSSupport-TroubleshootEC2InstanceConnect",
    "AWSSupport-TroubleshootConnectivityToRDS",
    "AWSSupport-AnalyzeAWSEndpointReachabilityFromEC2",
    "AWSSupport-ResetAccess",
    "AWSSupport-ExecuteEC2Rescue",
    "AWSSupport-UpgradeWindowsAWSDrivers",
    "AWS-RestartEC2Instance",
    "AWS-DisablePublicAccessForSecurityGroup",
    "AWS-UpdateLinuxAmi",
];

/// Whether some parameter values let the runbook change resources; `false` only for the
/// runbooks known to read and nothing else.
pub fn can_change_resources(name: &str) -> bool {
    !READ_ONLY_RUNBOOKS.contains(&name)
}

/// Orders a catalog as the incident screen lists it: the incident runbooks in their order,
/// then the account's own, then the rest of Amazon's by name.
pub fn sort_catalog(runbooks: &mut [Runbook]) {
    let rank = |r: &Runbook| {
        INCIDENT_RUNBOOKS
            .iter()
            .position(|n| *n == r.name)
            .map_or((1 + usize::from(r.owner == "Amazon"), 0), |i| (0, i))
    };
    runbooks.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name)));
}

/// `AutomationExecutionStatus` and `StepExecution` status, with AWS's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ExecutionStatus {
    Pending,
    /// A change request waits for its approvers (or for a Change Calendar override).
    PendingApproval,
    InProgress,
    Waiting,
    Success,
    TimedOut,
    Cancelling,
    Cancelled,
    Failed,
    /// A change request its approvers (or the Change Calendar's override) turned down: the
    /// runbook never ran.
    Rejected,
}

impl ExecutionStatus {
    pub const FINISHED: [ExecutionStatus; 5] = [
        Self::Success,
        Self::TimedOut,
        Self::Cancelled,
        Self::Failed,
        Self::Rejected,
    ];

    pub fn is_finished(self) -> bool {
        Self::FINISHED.contains(&self)
    }
}

/// Parameters as Automation takes them: every value is a list of strings.
pub type AutomationParameters = BTreeMap<String, Vec<String>>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StartAutomationRequest {
    pub region: String,
    pub document_name: String,
    pub parameters: AutomationParameters,
}

impl StartAutomationRequest {
    pub fn describe(&self) -> ChangePreview {
        let params = serde_json::to_string(&self.parameters).unwrap_or_default();
        let mut cli = format!(
            "aws ssm start-automation-execution --region {} --document-name {}",
            shell_quote(&self.region),
            shell_quote(&self.document_name)
        );
        if !self.parameters.is_empty() {
            cli.push_str(&format!(" --parameters {}", shell_quote(&params)));
        }
        let target = self
            .parameters
            .get("InstanceId")
            .map(|ids| ids.join(", "))
            .unwrap_or_else(|| "the targets in its parameters".to_owned());
        ChangePreview {
            api_call: "ssm:StartAutomationExecution".into(),
            cli,
            summary: Localized::new(
                format!(
                    "Runs the Automation runbook {} on {target}; each step is billed.",
                    self.document_name
                ),
                format!(
                    "Automation ランブック {} を {target} に対して実行します（ステップごとに課金されます）。",
                    self.document_name
                ),
            ),
        }
    }
}

/// One step of an execution, as `GetAutomationExecution` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StepExecution {
    pub step_name: String,
    /// The Automation action, e.g. `aws:runCommand`, `aws:executeScript`, `aws:branch`.
    pub action: String,
    pub status: ExecutionStatus,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub outputs: BTreeMap<String, Vec<String>>,
    pub failure_message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AutomationExecution {
    pub execution_id: String,
    pub region: String,
    pub document_name: String,
    pub parameters: AutomationParameters,
    pub status: ExecutionStatus,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub executed_by: String,
    pub steps: Vec<StepExecution>,
    /// The document's declared outputs once it has finished.
    pub outputs: BTreeMap<String, Vec<String>>,
    pub failure_message: Option<String>,
}

impl AutomationExecution {
    /// The AWS CLI command that reads this execution and its steps.
    pub fn cli(&self) -> String {
        format!(
            "aws ssm get-automation-execution --region {} --automation-execution-id {}",
            shell_quote(&self.region),
            shell_quote(&self.execution_id)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steps_effect_follows_its_action() {
        assert_eq!(
            RunbookStep::new("assertLinux", "aws:assertAwsResourceProperty").effect,
            StepEffect::Reads
        );
        assert_eq!(step_effect("aws:changeInstanceState"), StepEffect::Changes);
        assert_eq!(step_effect("aws:runCommand"), StepEffect::MayChange);
        assert_eq!(step_effect("aws:somethingNew"), StepEffect::MayChange);
    }

    #[test]
    fn describes_itself_as_the_cli_would_run_it() {
        let request = StartAutomationRequest {
            region: "ap-northeast-1".into(),
            document_name: "AWSSupport-TroubleshootSSH".into(),
            parameters: BTreeMap::from([
                ("Action".to_owned(), vec!["FixAll".to_owned()]),
                ("InstanceId".to_owned(), vec!["i-0abc".to_owned()]),
            ]),
        };
        let preview = request.describe();
        assert_eq!(preview.api_call, "ssm:StartAutomationExecution");
        assert_eq!(
            preview.cli,
            r#"aws ssm start-automation-execution --region ap-northeast-1 --document-name AWSSupport-TroubleshootSSH --parameters '{"Action":["FixAll"],"InstanceId":["i-0abc"]}'"#
        );
        assert!(preview.summary.en.contains("i-0abc"));
        assert!(preview.summary.ja.contains("i-0abc"));
    }
}
