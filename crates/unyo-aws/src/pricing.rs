//! The AWS Price List Query API on a real account: every product document of Unyo's services
//! in a region (`pricing:GetProducts` filtered on `regionCode`, all pages), asked in us-east-1,
//! where the API answers. `unyo_cost::price_list` reads the documents into a price table.

use async_trait::async_trait;
use aws_sdk_pricing::types::{Filter, FilterType};
use unyo_core::AppError;
use unyo_core::cloud::PriceList;

use crate::cloud::AwsCloud;
use crate::error::from_action;

/// Where the Price List Query API answers.
pub const PRICING_REGION: &str = "us-east-1";

#[async_trait]
impl PriceList for AwsCloud {
    async fn price_documents(
        &self,
        region: &str,
        service_codes: &[&str],
    ) -> Result<Vec<String>, AppError> {
        let client = self.pricing_client()?;
        documents(&client, region, service_codes).await
    }
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
