//! Run Command: a document (usually `AWS-RunShellScript`) run on some instances at once, with
//! each instance's status and output. It runs as root (Linux) or SYSTEM (Windows) on every
//! target, so the request says
//! exactly what will run, where, before it does.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::action::{ChangePreview, shell_quote};
use crate::localized::Localized;

pub const RUN_SHELL_SCRIPT: &str = "AWS-RunShellScript";
/// The Windows counterpart: the same `commands` parameter, run by PowerShell as SYSTEM.
pub const RUN_POWERSHELL_SCRIPT: &str = "AWS-RunPowerShellScript";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SendCommandRequest {
    pub region: String,
    pub document_name: String,
    pub instance_ids: Vec<String>,
    /// The script, one command per line (the document's `commands` parameter).
    pub commands: Vec<String>,
    pub comment: Option<String>,
    pub timeout_seconds: Option<u32>,
}

impl SendCommandRequest {
    /// A shell script for `instance_ids`, with AWS-RunShellScript.
    pub fn shell_script(region: &str, instance_ids: &[&str], commands: &[&str]) -> Self {
        Self {
            region: region.to_owned(),
            document_name: RUN_SHELL_SCRIPT.to_owned(),
            instance_ids: instance_ids.iter().map(|i| (*i).to_owned()).collect(),
            commands: commands.iter().map(|c| (*c).to_owned()).collect(),
            comment: None,
            timeout_seconds: None,
        }
    }

    pub fn describe(&self) -> ChangePreview {
        let parameters = serde_json::json!({ "commands": self.commands }).to_string();
        let mut cli = format!(
            "aws ssm send-command --region {} --document-name {} --targets {} --parameters {}",
            shell_quote(&self.region),
            shell_quote(&self.document_name),
            shell_quote(&format!(
                "Key=InstanceIds,Values={}",
                self.instance_ids.join(",")
            )),
            shell_quote(&parameters)
        );
        if let Some(comment) = &self.comment {
            cli.push_str(&format!(" --comment {}", shell_quote(comment)));
        }
        if let Some(seconds) = self.timeout_seconds {
            cli.push_str(&format!(" --timeout-seconds {seconds}"));
        }
        let count = self.instance_ids.len();
        // Run Command runs as the agent's own account: root on Linux, SYSTEM on Windows.
        let account = if self.document_name == RUN_POWERSHELL_SCRIPT {
            "SYSTEM"
        } else {
            "root"
        };
        ChangePreview {
            api_call: "ssm:SendCommand".into(),
            cli,
            summary: Localized::new(
                format!(
                    "Runs {} as {account} on {count} instance(s): {}.",
                    self.document_name,
                    self.instance_ids.join(", ")
                ),
                format!(
                    "{} を {count} 台のインスタンス（{}）で {account} として実行します。",
                    self.document_name,
                    self.instance_ids.join(", ")
                ),
            ),
        }
    }
}

/// Run Command's status names, for the command and for each instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum CommandStatus {
    Pending,
    InProgress,
    Delayed,
    Success,
    Cancelled,
    TimedOut,
    Failed,
    Cancelling,
}

/// One instance's run, as `GetCommandInvocation` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CommandInvocation {
    pub instance_id: String,
    pub status: CommandStatus,
    /// The script's exit status, once it has one.
    pub response_code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CommandExecution {
    pub command_id: String,
    pub region: String,
    pub document_name: String,
    pub commands: Vec<String>,
    pub comment: Option<String>,
    pub requested_at: String,
    /// The overall status: `Success` only when every invocation succeeded.
    pub status: CommandStatus,
    pub invocations: Vec<CommandInvocation>,
}

impl CommandExecution {
    /// The AWS CLI command that reads each instance's status and output.
    pub fn cli(&self) -> String {
        format!(
            "aws ssm list-command-invocations --region {} --command-id {} --details",
            shell_quote(&self.region),
            shell_quote(&self.command_id)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_itself_as_the_cli_would_run_it() {
        let mut request =
            SendCommandRequest::shell_script("us-east-1", &["i-1", "i-2"], &["df -h", "echo 'hi'"]);
        request.comment = Some("clean up".into());
        let preview = request.describe();
        assert_eq!(preview.api_call, "ssm:SendCommand");
        assert_eq!(
            preview.cli,
            r#"aws ssm send-command --region us-east-1 --document-name AWS-RunShellScript --targets Key=InstanceIds,Values=i-1,i-2 --parameters '{"commands":["df -h","echo '\''hi'\''"]}' --comment 'clean up'"#
        );
        assert!(preview.summary.ja.contains("root"));
    }

    #[test]
    fn a_powershell_script_says_it_runs_as_system() {
        let mut request = SendCommandRequest::shell_script("us-east-1", &["i-1"], &["Get-Service"]);
        request.document_name = RUN_POWERSHELL_SCRIPT.into();
        let preview = request.describe();
        assert!(
            preview.summary.en.contains("as SYSTEM"),
            "{}",
            preview.summary.en
        );
        assert!(!preview.summary.en.contains("root"));
        assert!(
            preview
                .cli
                .contains("--document-name AWS-RunPowerShellScript")
        );
    }
}
