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
    pub description: String,
    pub default: Option<String>,
    /// The only values accepted, when the document restricts them.
    pub allowed_values: Vec<String>,
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
    /// Whether some parameter values let it change resources (FixAll, restart...).
    pub can_change_resources: bool,
}

/// `AutomationExecutionStatus` and `StepExecution` status, with AWS's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum ExecutionStatus {
    Pending,
    InProgress,
    Waiting,
    Success,
    TimedOut,
    Cancelling,
    Cancelled,
    Failed,
}

impl ExecutionStatus {
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            Self::Success | Self::TimedOut | Self::Cancelled | Self::Failed
        )
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
