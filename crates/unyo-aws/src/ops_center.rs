//! OpsCenter on a real account: an incident mirrored as an OpsItem (`CreateOpsItem`), with
//! its timeline summary and its resources as operational data, so a team sees it in AWS.

use async_trait::async_trait;
use aws_sdk_ssm::types::{OpsItemDataType, OpsItemDataValue};
use unyo_core::AppError;
use unyo_core::cloud::OpsCenter;
use unyo_core::ops_item::{OpsItemRequest, SOURCE};

use crate::cloud::AwsCloud;
use crate::error::from_action;

#[async_trait]
impl OpsCenter for AwsCloud {
    async fn create_ops_item(&self, request: &OpsItemRequest) -> Result<String, AppError> {
        create(&self.regional(&request.region)?.ssm, request).await
    }
}

fn searchable(value: String) -> OpsItemDataValue {
    OpsItemDataValue::builder()
        .value(value)
        .r#type(OpsItemDataType::SearchableString)
        .build()
}

/// Creates the OpsItem and returns its id.
pub async fn create(
    ssm: &aws_sdk_ssm::Client,
    request: &OpsItemRequest,
) -> Result<String, AppError> {
    let mut call = ssm
        .create_ops_item()
        .source(SOURCE)
        .title(&request.title)
        .description(&request.description)
        .set_severity(request.severity.clone());
    for (key, value) in &request.operational_data {
        call = call.operational_data(key, searchable(value.clone()));
    }
    if !request.resources.is_empty() {
        let arns: Vec<serde_json::Value> = request
            .resources
            .iter()
            .map(|arn| serde_json::json!({ "arn": arn }))
            .collect();
        call = call.operational_data(
            "/aws/resources",
            searchable(serde_json::Value::Array(arns).to_string()),
        );
    }
    let created = call
        .send()
        .await
        .map_err(|e| from_action("ssm:CreateOpsItem", &e))?;
    created.ops_item_id().map(str::to_owned).ok_or_else(|| {
        AppError::new(
            unyo_core::ErrorCode::Internal,
            "CreateOpsItem answered without an OpsItem id",
        )
    })
}
