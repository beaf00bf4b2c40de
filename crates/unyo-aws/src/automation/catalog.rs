//! The runbook catalog on a real account: `ListDocuments` for the Automation documents owned
//! by Amazon and by the account, and one runbook's parameters and steps from
//! `DescribeDocument` and `GetDocument`, so the run form is generated from the real document
//! (types, defaults, allowed values, required).

use aws_sdk_ssm::types::{DocumentFormat, DocumentKeyValuesFilter};
use serde_json::Value;
use unyo_core::AppError;
use unyo_core::automation::{
    Runbook, RunbookParameter, RunbookStep, can_change_resources, sort_catalog,
};

use crate::error::from_action;

/// Every Automation document of Amazon and of the account, incident runbooks first.
pub async fn list(ssm: &aws_sdk_ssm::Client) -> Result<Vec<Runbook>, AppError> {
    let mut runbooks: Vec<Runbook> = Vec::new();
    for owner in ["Self", "Amazon"] {
        let mut pages = ssm
            .list_documents()
            .filters(
                DocumentKeyValuesFilter::builder()
                    .key("DocumentType")
                    .values("Automation")
                    .build(),
            )
            .filters(
                DocumentKeyValuesFilter::builder()
                    .key("Owner")
                    .values(owner)
                    .build(),
            )
            .max_results(50)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| from_action("ssm:ListDocuments", &e))?;
            for doc in page.document_identifiers.unwrap_or_default() {
                let name = doc.name.unwrap_or_default();
                if runbooks.iter().any(|r| r.name == name) {
                    continue;
                }
                runbooks.push(Runbook {
                    can_change_resources: can_change_resources(&name),
                    name,
                    owner: doc.owner.unwrap_or_default(),
                    document_version: doc.document_version.unwrap_or_default(),
                    description: doc.display_name.unwrap_or_default(),
                    parameters: Vec::new(),
                    step_count: 0,
                    steps: Vec::new(),
                });
            }
        }
    }
    sort_catalog(&mut runbooks);
    Ok(runbooks)
}

/// One runbook with its parameters and step count, from its current default version.
pub async fn describe(ssm: &aws_sdk_ssm::Client, name: &str) -> Result<Runbook, AppError> {
    let described = ssm
        .describe_document()
        .name(name)
        .send()
        .await
        .map_err(|e| from_action("ssm:DescribeDocument", &e))?
        .document
        .ok_or_else(|| super::no_id("ssm:DescribeDocument", "the document"))?;
    let content = ssm
        .get_document()
        .name(name)
        .document_format(DocumentFormat::Json)
        .send()
        .await
        .map_err(|e| from_action("ssm:GetDocument", &e))?
        .content
        .unwrap_or_default();
    let content: Value = serde_json::from_str(&content).map_err(|e| {
        AppError::new(
            unyo_core::ErrorCode::Internal,
            format!("the document {name} is not the JSON ssm:GetDocument was asked for: {e}"),
        )
    })?;
    Ok(Runbook {
        name: name.to_owned(),
        owner: described.owner.unwrap_or_default(),
        document_version: described
            .default_version
            .or(described.document_version)
            .unwrap_or_default(),
        description: described
            .description
            .or_else(|| content["description"].as_str().map(str::to_owned))
            .unwrap_or_default(),
        parameters: parameters(&content),
        step_count: content["mainSteps"]
            .as_array()
            .map_or(0, |s| u32::try_from(s.len()).unwrap_or(u32::MAX)),
        steps: steps(&content),
        can_change_resources: can_change_resources(name),
    })
}

/// The document's `mainSteps` in order, each with its action's effect.
fn steps(content: &Value) -> Vec<RunbookStep> {
    content["mainSteps"]
        .as_array()
        .map(|steps| {
            steps
                .iter()
                .map(|step| {
                    RunbookStep::new(
                        step["name"].as_str().unwrap_or_default(),
                        step["action"].as_str().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The `parameters` of an Automation document (schema 0.3), in the document's order. A
/// parameter without a default is required, as Automation treats it.
fn parameters(content: &Value) -> Vec<RunbookParameter> {
    let Some(map) = content["parameters"].as_object() else {
        return Vec::new();
    };
    map.iter()
        .map(|(name, p)| {
            let default = match &p["default"] {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                other => Some(other.to_string()),
            };
            RunbookParameter {
                name: name.clone(),
                kind: p["type"].as_str().unwrap_or("String").to_owned(),
                description: p["description"].as_str().unwrap_or_default().to_owned(),
                required: default.is_none(),
                default,
                allowed_values: p["allowedValues"]
                    .as_array()
                    .map(|v| {
                        v.iter()
                            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
                allowed_pattern: p["allowedPattern"].as_str().map(str::to_owned),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_come_from_the_document_with_their_types_and_limits() {
        let doc: Value = serde_json::json!({
            "schemaVersion": "0.3",
            "parameters": {
                "InstanceId": {"type": "String", "description": "(Required) The instance.", "allowedPattern": "^i-[a-z0-9]{8,17}$"},
                "Action": {"type": "String", "default": "CheckAll", "allowedValues": ["CheckAll", "FixAll"]},
                "AllowOffline": {"type": "Boolean", "default": false},
                "AutomationAssumeRole": {"type": "AWS::IAM::Role::Arn", "default": ""}
            },
            "mainSteps": [
                {"name": "assertLinux", "action": "aws:assertAwsResourceProperty"},
                {"name": "restart", "action": "aws:changeInstanceState"}
            ]
        });
        let params = parameters(&doc);
        let find = |n: &str| params.iter().find(|p| p.name == n).unwrap();
        assert!(find("InstanceId").required);
        assert_eq!(
            find("InstanceId").allowed_pattern.as_deref(),
            Some("^i-[a-z0-9]{8,17}$")
        );
        assert_eq!(find("Action").allowed_values, ["CheckAll", "FixAll"]);
        assert!(!find("Action").required);
        assert_eq!(find("AllowOffline").default.as_deref(), Some("false"));
        assert_eq!(find("AllowOffline").kind, "Boolean");
        assert_eq!(find("AutomationAssumeRole").kind, "AWS::IAM::Role::Arn");
        assert!(!find("AutomationAssumeRole").required);
        let steps = steps(&doc);
        assert_eq!(steps[0].name, "assertLinux");
        assert_eq!(steps[0].effect, unyo_core::automation::StepEffect::Reads);
        assert_eq!(steps[1].effect, unyo_core::automation::StepEffect::Changes);
    }
}
