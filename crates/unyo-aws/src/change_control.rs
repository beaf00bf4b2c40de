//! Change Calendar and Change Manager on a real account: the region's calendars
//! (`ListDocuments` for `ChangeCalendar` documents) and their state together
//! (`GetCalendarState`), the approved change templates (`Automation.ChangeTemplate`
//! documents), and a runbook submitted as a change request (`StartChangeRequestExecution`),
//! which Automation's `GetAutomationExecution` then follows through approval.

use async_trait::async_trait;
use aws_sdk_ssm::types::{
    self as ssm, CalendarState as SdkCalendarState, DocumentKeyValuesFilter, ReviewStatus,
};
use unyo_core::AppError;
use unyo_core::change::{CalendarState, CalendarStatus, ChangeRequest};
use unyo_core::cloud::ChangeControl;

use crate::automation::no_id;
use crate::cloud::AwsCloud;
use crate::error::from_action;

#[async_trait]
impl ChangeControl for AwsCloud {
    async fn calendar_state(&self, region: &str) -> Result<Option<CalendarState>, AppError> {
        calendar_state(&self.regional(region)?.ssm).await
    }

    async fn change_templates(&self, region: &str) -> Result<Vec<String>, AppError> {
        let templates = documents(&self.regional(region)?.ssm, "Automation.ChangeTemplate").await?;
        // Only an approved template can start a change request.
        Ok(templates
            .into_iter()
            .filter(|d| matches!(d.review_status, None | Some(ReviewStatus::Approved)))
            .filter_map(|d| d.name)
            .collect())
    }

    async fn submit_change_request(&self, request: &ChangeRequest) -> Result<String, AppError> {
        submit(&self.regional(&request.runbook.region)?.ssm, request).await
    }
}

/// The state of every calendar of the region together; `None` when there is none.
pub async fn calendar_state(ssm: &aws_sdk_ssm::Client) -> Result<Option<CalendarState>, AppError> {
    let calendars: Vec<String> = documents(ssm, "ChangeCalendar")
        .await?
        .into_iter()
        .filter_map(|d| d.name)
        .collect();
    if calendars.is_empty() {
        return Ok(None);
    }
    let out = ssm
        .get_calendar_state()
        .set_calendar_names(Some(calendars.clone()))
        .send()
        .await
        .map_err(|e| from_action("ssm:GetCalendarState", &e))?;
    let status = match out.state {
        Some(SdkCalendarState::Open) => CalendarStatus::Open,
        // A state this build does not know is treated as closed: it is never a reason to go on.
        _ => CalendarStatus::Closed,
    };
    Ok(Some(CalendarState {
        calendars,
        status,
        at: out.at_time.filter(|t| !t.is_empty()),
        next_transition: out.next_transition_time.filter(|t| !t.is_empty()),
    }))
}

/// Every document of `kind` the account can use in the region, all pages.
async fn documents(
    ssm: &aws_sdk_ssm::Client,
    kind: &str,
) -> Result<Vec<ssm::DocumentIdentifier>, AppError> {
    let mut pages = ssm
        .list_documents()
        .filters(
            DocumentKeyValuesFilter::builder()
                .key("DocumentType")
                .values(kind)
                .build(),
        )
        .max_results(50)
        .into_paginator()
        .send();
    let mut found = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_action("ssm:ListDocuments", &e))?;
        found.extend(page.document_identifiers.unwrap_or_default());
    }
    Ok(found)
}

/// Submits the runbook as a change request and returns its execution id.
pub async fn submit(
    ssm: &aws_sdk_ssm::Client,
    request: &ChangeRequest,
) -> Result<String, AppError> {
    const ACTION: &str = "ssm:StartChangeRequestExecution";
    let runbook = ssm::Runbook::builder()
        .document_name(&request.runbook.document_name)
        .set_parameters((!request.runbook.parameters.is_empty()).then(|| {
            request
                .runbook
                .parameters
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        }))
        .build()
        .map_err(|e| AppError::invalid_input(format!("the change request's runbook: {e}")))?;
    let out = ssm
        .start_change_request_execution()
        .document_name(&request.template)
        .change_request_name(&request.name)
        .runbooks(runbook)
        .send()
        .await
        .map_err(|e| from_action(ACTION, &e))?;
    out.automation_execution_id
        .ok_or_else(|| no_id(ACTION, "an execution id"))
}
