//! What CloudWatch bills per month that Unyo counts for the Costs screen: the region's custom
//! metrics and the account's dashboards.

use unyo_core::AppError;

use crate::error::from_action;

/// Custom metrics: every metric `ListMetrics` lists (those with data in the last two weeks)
/// outside the `AWS/` namespaces AWS services publish to for free.
pub async fn count_custom_metrics(
    cloudwatch: &aws_sdk_cloudwatch::Client,
) -> Result<u64, AppError> {
    let mut pages = cloudwatch.list_metrics().into_paginator().send();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_action("cloudwatch:ListMetrics", &e))?;
        count += page
            .metrics()
            .iter()
            .filter(|m| !m.namespace().unwrap_or_default().starts_with("AWS/"))
            .count() as u64;
    }
    Ok(count)
}

/// The account's dashboards (global: any region lists them all).
pub async fn count_dashboards(cloudwatch: &aws_sdk_cloudwatch::Client) -> Result<u64, AppError> {
    let mut pages = cloudwatch.list_dashboards().into_paginator().send();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_action("cloudwatch:ListDashboards", &e))?;
        count += page.dashboard_entries().len() as u64;
    }
    Ok(count)
}
