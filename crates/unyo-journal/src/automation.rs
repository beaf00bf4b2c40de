//! An action item that automates the fix: an EventBridge rule that starts the runbook this
//! incident ran when one of its alarms goes into ALARM, as AWS CLI commands and as a
//! CloudFormation template to copy ("Run automations based on EventBridge events", Systems
//! Manager user guide). Unyo writes the snippet; the user decides whether to create it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use unyo_core::action::shell_quote;

use crate::model::{Incident, JournalEntry, JournalEntryKind};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AutomationSnippet {
    pub region: String,
    /// The runbook the rule starts.
    pub document: String,
    pub alarms: Vec<String>,
    pub instances: Vec<String>,
    pub cli: String,
    pub cloudformation: String,
}

fn is_node(resource: &str) -> bool {
    resource.starts_with("i-") || resource.starts_with("mi-")
}

/// The rule for `incident`, from the last runbook it ran and the alarms it lists as affected;
/// `None` when it ran no runbook (there is nothing to automate yet).
pub fn snippet(incident: &Incident, entries: &[JournalEntry]) -> Option<AutomationSnippet> {
    let runbook = entries
        .iter()
        .rev()
        .find(|e| e.kind == JournalEntryKind::Runbook)?;
    let document = runbook
        .title
        .split_whitespace()
        .next()?
        .trim_end_matches(':')
        .to_owned();
    let region = runbook.region.clone();
    let alarms: Vec<String> = incident
        .affected
        .iter()
        .filter(|r| !is_node(r))
        .cloned()
        .collect();
    let instances: Vec<String> = incident
        .affected
        .iter()
        .filter(|r| is_node(r))
        .cloned()
        .collect();
    let slug: String = document
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let rule = format!("unyo-{slug}-on-alarm");
    let alarm_list = if alarms.is_empty() {
        vec!["REPLACE-WITH-ALARM-NAME".to_owned()]
    } else {
        alarms.clone()
    };
    let pattern = serde_json::json!({
        "source": ["aws.cloudwatch"],
        "detail-type": ["CloudWatch Alarm State Change"],
        "detail": {"alarmName": alarm_list, "state": {"value": ["ALARM"]}},
    });
    let input = serde_json::json!({ "InstanceId": instances });
    let target = serde_json::json!([{
        "Id": "runbook",
        "Arn": format!("arn:aws:ssm:{region}:ACCOUNT_ID:automation-definition/{document}:$DEFAULT"),
        "RoleArn": "arn:aws:iam::ACCOUNT_ID:role/REPLACE-WITH-A-ROLE-EVENTBRIDGE-CAN-ASSUME",
        "Input": input.to_string(),
    }]);
    // The region comes from the journal, which an imported file may have filled.
    let quoted_region = shell_quote(&region);
    let cli = format!(
        "aws events put-rule --region {quoted_region} --name {rule} --event-pattern {}\n\
         aws events put-targets --region {quoted_region} --rule {rule} --targets {}",
        shell_quote(&pattern.to_string()),
        shell_quote(&target.to_string())
    );
    let alarms_yaml: String = alarm_list
        .iter()
        .map(|a| format!("\n              - {}", yaml_string(a)))
        .collect();
    let cloudformation = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\n\
         Description: Starts {document} when an alarm of this incident goes into ALARM (written by Unyo)\n\
         Parameters:\n\
         \x20 RoleArn:\n\
         \x20   Type: String\n\
         \x20   Description: A role EventBridge can assume that may start the automation\n\
         Resources:\n\
         \x20 StartRunbookOnAlarm:\n\
         \x20   Type: AWS::Events::Rule\n\
         \x20   Properties:\n\
         \x20     Name: {rule}\n\
         \x20     EventPattern:\n\
         \x20       source: [aws.cloudwatch]\n\
         \x20       detail-type: [CloudWatch Alarm State Change]\n\
         \x20       detail:\n\
         \x20         alarmName:{alarms_yaml}\n\
         \x20         state:\n\
         \x20           value: [ALARM]\n\
         \x20     Targets:\n\
         \x20       - Id: runbook\n\
         \x20         Arn: !Sub arn:aws:ssm:${{AWS::Region}}:${{AWS::AccountId}}:automation-definition/{document}:$DEFAULT\n\
         \x20         RoleArn: !Ref RoleArn\n\
         \x20         Input: {}\n",
        yaml_string(&input.to_string())
    );
    Some(AutomationSnippet {
        region,
        document,
        alarms,
        instances,
        cli,
        cloudformation,
    })
}

/// A YAML scalar in single quotes, so any text (JSON included) stays one string.
fn yaml_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
