//! The AWS Price List through the AWS adapter, answered by `aws-smithy-mocks` (moto has no
//! Price List API): every page of every service's products in the region, read into a table
//! that then prices what Unyo had no embedded price for.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

#[path = "support/account.rs"]
mod account;

use aws_sdk_pricing::operation::get_products::GetProductsOutput;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use unyo_aws::cloud::AwsCloud;
use unyo_core::ErrorCode;
use unyo_core::cloud::Cloud;
use unyo_cost::estimate::automation;
use unyo_cost::price_list::{SERVICE_CODES, table_from};
use unyo_cost::{AutomationHistory, AutomationRun, PriceTable, Usd};

const TOKYO: &str = "ap-northeast-1";

fn step_document(usd: &str) -> String {
    format!(
        r#"{{"product":{{"attributes":{{"servicecode":"AWSSystemsManager","regionCode":"ap-northeast-1","usagetype":"APN1-AWS-Automation-Steps"}},"sku":"S1"}},"serviceCode":"AWSSystemsManager","terms":{{"OnDemand":{{"S1.T":{{"priceDimensions":{{"S1.T.R":{{"unit":"Steps","beginRange":"0","endRange":"Inf","description":"$0.002 per Automation step executed","pricePerUnit":{{"USD":"{usd}"}}}}}}}}}}}},"publicationDate":"2026-10-04T20:27:30Z"}}"#
    )
}

fn cloud(pricing: aws_sdk_pricing::Client) -> AwsCloud {
    cloud_with(pricing, mock_client!(aws_sdk_freetier, []))
}

fn cloud_with(pricing: aws_sdk_pricing::Client, free_tier: aws_sdk_freetier::Client) -> AwsCloud {
    account::with(
        TOKYO,
        mock_client!(aws_sdk_ec2, []),
        mock_client!(aws_sdk_ssm, []),
    )
    .with_billing(pricing, free_tier)
}

#[tokio::test]
async fn every_page_of_the_regions_products_is_read_and_prices_what_was_unknown() {
    let in_tokyo = |r: &aws_sdk_pricing::operation::get_products::GetProductsInput| {
        r.filters()
            .iter()
            .any(|f| f.field() == "regionCode" && f.value() == TOKYO)
    };
    let first = mock!(aws_sdk_pricing::Client::get_products)
        .match_requests(move |r| {
            r.service_code() == Some("AWSSystemsManager") && in_tokyo(r) && r.next_token().is_none()
        })
        .then_output(|| {
            GetProductsOutput::builder()
                .price_list(step_document("0.0020000000"))
                .next_token("page-2")
                .build()
        });
    let second = mock!(aws_sdk_pricing::Client::get_products)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .then_output(|| GetProductsOutput::builder().build());
    let others = mock!(aws_sdk_pricing::Client::get_products)
        .match_requests(move |r| r.service_code() != Some("AWSSystemsManager") && in_tokyo(r))
        .then_output(|| GetProductsOutput::builder().build());
    let pricing = mock_client!(
        aws_sdk_pricing,
        RuleMode::MatchAny,
        [&first, &second, &others]
    );
    let cloud = cloud(pricing);
    let documents = (&cloud as &dyn Cloud)
        .require_billing()
        .unwrap()
        .price_documents(TOKYO, &SERVICE_CODES)
        .await
        .unwrap();
    assert_eq!(documents.len(), 1);
    assert_eq!(second.num_calls(), 1);
    assert_eq!(others.num_calls(), 2);

    // Unyo has no embedded Automation price for Tokyo; the Price List gives one.
    let embedded = PriceTable::embedded(TOKYO);
    let (table, _) = table_from(&embedded, &documents, "2026-12-07T22:00:00Z");
    let estimate = automation(
        &table,
        AutomationRun {
            steps: 17,
            ..AutomationRun::default()
        },
        AutomationHistory::NewSince,
        None,
    );
    assert_eq!(estimate.total, Usd::parse("0.034"));
}

#[tokio::test]
async fn a_denied_price_list_names_the_action() {
    let denied = mock!(aws_sdk_pricing::Client::get_products).then_http_response(|| {
        aws_smithy_runtime_api::client::orchestrator::HttpResponse::new(
            400.try_into().unwrap(),
            aws_smithy_types::body::SdkBody::from(
                r#"{"__type":"AccessDeniedException","message":"not authorized to perform: pricing:GetProducts"}"#,
            ),
        )
    });
    let pricing = mock_client!(aws_sdk_pricing, RuleMode::MatchAny, [&denied], |c| c
        .retry_config(aws_smithy_types::retry::RetryConfig::disabled()));
    let cloud = cloud(pricing);
    let err = (&cloud as &dyn Cloud)
        .require_billing()
        .unwrap()
        .price_documents(TOKYO, &SERVICE_CODES)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied, "{err:?}");
    assert!(
        err.message.contains("pricing:GetProducts"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn the_free_tier_usage_is_read_on_every_page() {
    use aws_sdk_freetier::operation::get_free_tier_usage::GetFreeTierUsageOutput;
    use aws_sdk_freetier::types::FreeTierUsage as Usage;
    let usage = |service: &str, usage_type: &str, used: f64| {
        Usage::builder()
            .service(service)
            .usage_type(usage_type)
            .region("global")
            .actual_usage_amount(used)
            .forecasted_usage_amount(used * 3.0)
            .limit(10.0)
            .unit("Alarms")
            .description("10 Alarms free per month")
            .free_tier_type("Always Free")
            .build()
    };
    let first = mock!(aws_sdk_freetier::Client::get_free_tier_usage)
        .match_requests(|r| r.next_token().is_none())
        .then_output(move || {
            GetFreeTierUsageOutput::builder()
                .free_tier_usages(usage(
                    "AmazonCloudWatch",
                    "global-CW:AlarmMonitorUsage",
                    4.0,
                ))
                .next_token("more")
                .build()
                .unwrap()
        });
    let second = mock!(aws_sdk_freetier::Client::get_free_tier_usage)
        .match_requests(|r| r.next_token() == Some("more"))
        .then_output(move || {
            GetFreeTierUsageOutput::builder()
                .free_tier_usages(usage("AWS Lambda", "global-Request", 100.0))
                .build()
                .unwrap()
        });
    let free_tier = mock_client!(aws_sdk_freetier, RuleMode::MatchAny, [&first, &second]);
    let cloud = cloud_with(mock_client!(aws_sdk_pricing, []), free_tier);
    let usages = (&cloud as &dyn Cloud)
        .require_billing()
        .unwrap()
        .free_tier_usage()
        .await
        .unwrap();
    assert_eq!(usages.len(), 2);
    assert_eq!(usages[0].service, "AmazonCloudWatch");
    assert_eq!(
        (usages[0].used, usages[0].forecast, usages[0].limit),
        (4.0, 12.0, 10.0)
    );
    assert_eq!(usages[0].offer, "Always Free");
    assert_eq!(usages[0].region.as_deref(), Some("global"));
}
