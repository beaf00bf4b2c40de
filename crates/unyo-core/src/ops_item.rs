//! An incident mirrored to AWS Systems Manager OpsCenter as an OpsItem, so a team sees it
//! in AWS (Incident Manager is closed to new customers since 7 November 2025): its title,
//! severity, related resources and a timeline summary as operational data.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::action::shell_quote;

/// The longest description an OpsItem takes (`CreateOpsItem`: 1 to 2,048 characters).
pub const MAX_DESCRIPTION: usize = 2048;
/// The longest title (`CreateOpsItem`: 1 to 1,024 characters).
pub const MAX_TITLE: usize = 1024;
/// What OpsCenter shows as the item's source.
pub const SOURCE: &str = "Unyo";

/// What `CreateOpsItem` is asked to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OpsItemRequest {
    pub region: String,
    pub title: String,
    pub description: String,
    /// `1` (most severe) to `4`, as OpsCenter grades severity; `None` when not set.
    pub severity: Option<String>,
    /// Searchable text fields: the incident's timeline summary and where it came from.
    pub operational_data: BTreeMap<String, String>,
    /// ARNs of the resources the incident affected (`/aws/resources`).
    pub resources: Vec<String>,
}

/// Cuts `text` to at most `max` characters, on a character boundary.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => {
            let cut: String = text[..end].chars().take(max.saturating_sub(1)).collect();
            format!("{cut}…")
        }
        None => text.to_owned(),
    }
}

impl OpsItemRequest {
    /// The AWS CLI command that creates the same OpsItem.
    pub fn cli(&self) -> String {
        let mut cli = format!(
            "aws ssm create-ops-item --region {} --source {SOURCE} --title {} --description {}",
            shell_quote(&self.region),
            shell_quote(&self.title),
            shell_quote(&self.description)
        );
        if let Some(severity) = &self.severity {
            cli.push_str(&format!(" --severity {}", shell_quote(severity)));
        }
        let mut data: BTreeMap<String, serde_json::Value> = self
            .operational_data
            .iter()
            .map(|(key, value)| {
                (
                    key.clone(),
                    // Keys in sorted order, so the text is the same whether or not serde_json
                    // keeps insertion order (a feature another crate may turn on).
                    serde_json::json!({"Type": "SearchableString", "Value": value}),
                )
            })
            .collect();
        if !self.resources.is_empty() {
            let arns: Vec<serde_json::Value> = self
                .resources
                .iter()
                .map(|arn| serde_json::json!({ "arn": arn }))
                .collect();
            data.insert(
                "/aws/resources".to_owned(),
                serde_json::json!({
                    "Type": "SearchableString",
                    "Value": serde_json::Value::Array(arns).to_string()
                }),
            );
        }
        if !data.is_empty() {
            let json = serde_json::to_string(&data).unwrap_or_default();
            cli.push_str(&format!(" --operational-data {}", shell_quote(&json)));
        }
        cli
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_on_characters_and_says_so() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("あいうえお", 3), "あい…");
        assert_eq!(clip("abcdef", 6), "abcdef");
    }

    #[test]
    fn the_cli_creates_the_same_item() {
        let request = OpsItemRequest {
            region: "ap-northeast-1".into(),
            title: "sshd down".into(),
            description: "It's down".into(),
            severity: Some("2".into()),
            operational_data: BTreeMap::from([("unyo:timeline".into(), "10:02 Detected".into())]),
            resources: vec!["arn:aws:ec2:ap-northeast-1:123456789012:instance/i-0a1".into()],
        };
        let cli = request.cli();
        assert!(cli.starts_with(
            "aws ssm create-ops-item --region ap-northeast-1 --source Unyo --title 'sshd down' --description 'It'\\''s down' --severity 2 --operational-data '"
        ), "{cli}");
        assert!(
            cli.contains(r#""unyo:timeline":{"Type":"SearchableString","Value":"10:02 Detected"}"#),
            "{cli}"
        );
        assert!(cli.contains(r#"/aws/resources"#), "{cli}");
    }
}
