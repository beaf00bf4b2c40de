//! Billing on a real account: the AWS Price List Query API (every product document of Unyo's
//! services in a region, `pricing:GetProducts` filtered on `regionCode`, all pages) and the
//! Free Tier API (`freetier:GetFreeTierUsage`, all pages), both asked in us-east-1, where they
//! answer. `unyo_cost::price_list` reads the documents into a price table.

use async_trait::async_trait;
use aws_sdk_pricing::types::{Filter, FilterType};
use unyo_core::AppError;
use unyo_core::cloud::{Billing, FreeTierUsage};

use crate::cloud::AwsCloud;
use crate::error::from_action;

/// Where the Price List Query API answers.
pub const PRICING_REGION: &str = "us-east-1";

#[async_trait]
impl Billing for AwsCloud {
    async fn price_documents(
        &self,
        region: &str,
        service_codes: &[&str],
    ) -> Result<Vec<String>, AppError> {
        let client = self.pricing_client()?;
        documents(&client, region, service_codes).await
    }

    async fn free_tier_usage(&self) -> Result<Vec<FreeTierUsage>, AppError> {
        let client = self.free_tier_client()?;
        free_tier(&client).await
    }
}

/// Every free-tier offer's use this month, all pages.
pub async fn free_tier(client: &aws_sdk_freetier::Client) -> Result<Vec<FreeTierUsage>, AppError> {
    let mut pages = client.get_free_tier_usage().into_paginator().send();
    let mut found = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| from_action("freetier:GetFreeTierUsage", &e))?;
        found.extend(page.free_tier_usages.into_iter().map(|u| FreeTierUsage {
            service: u.service.unwrap_or_default(),
            usage_type: u.usage_type.unwrap_or_default(),
            region: u.region.filter(|r| !r.is_empty()),
            description: u.description.unwrap_or_default(),
            unit: u.unit.unwrap_or_default(),
            used: u.actual_usage_amount,
            forecast: u.forecasted_usage_amount,
            limit: u.limit,
            offer: u.free_tier_type.unwrap_or_default(),
        }));
    }
    Ok(found)
}

/// The documents of every service in `service_codes` whose `regionCode` is `region`.
pub async fn documents(
    client: &aws_sdk_pricing::Client,
    region: &str,
    service_codes: &[&str],
) -> Result<Vec<String>, AppError> {
    let filter = Filter::builder()
        .r#type(FilterType::TermMatch)
        .field("regionCode")
        .value(region)
        .build()
        .map_err(|e| AppError::invalid_input(format!("a Price List filter: {e}")))?;
    let mut found = Vec::new();
    for code in service_codes {
        let mut pages = client
            .get_products()
            .service_code(*code)
            .filters(filter.clone())
            .format_version("aws_v1")
            .max_results(100)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| from_action("pricing:GetProducts", &e))?;
            found.extend(page.price_list.unwrap_or_default());
        }
    }
    Ok(found)
}
