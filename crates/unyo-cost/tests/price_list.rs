//! Price List documents shaped as `pricing:GetProducts` returns them (the Price List Query
//! API reference: each `PriceList` entry is a JSON string with `product.attributes`,
//! `terms.OnDemand.*.priceDimensions.*.pricePerUnit.USD`, `publicationDate`).
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use unyo_cost::estimate::{automation, logs_insights};
use unyo_cost::price_list::{parse_product, table_from};
use unyo_cost::{AutomationHistory, AutomationRun, Origin, PriceItem, PriceTable, Usd};

fn document(service: &str, usage_type: &str, unit: &str, usd: &str, description: &str) -> String {
    format!(
        r#"{{
  "product": {{
    "productFamily": "Data Payload",
    "attributes": {{
      "servicecode": "{service}",
      "regionCode": "ap-northeast-1",
      "location": "Asia Pacific (Tokyo)",
      "usagetype": "{usage_type}",
      "operation": ""
    }},
    "sku": "ABCDEF123456"
  }},
  "serviceCode": "{service}",
  "terms": {{
    "OnDemand": {{
      "ABCDEF123456.JRTCKXETXF": {{
        "priceDimensions": {{
          "ABCDEF123456.JRTCKXETXF.6YS6EN2CT7": {{
            "unit": "{unit}",
            "endRange": "Inf",
            "description": "{description}",
            "appliesTo": [],
            "rateCode": "ABCDEF123456.JRTCKXETXF.6YS6EN2CT7",
            "beginRange": "0",
            "pricePerUnit": {{ "USD": "{usd}" }}
          }}
        }},
        "sku": "ABCDEF123456",
        "effectiveDate": "2026-10-01T00:00:00Z",
        "offerTermCode": "JRTCKXETXF",
        "termAttributes": {{}}
      }}
    }}
  }},
  "version": "20261004202730",
  "publicationDate": "2026-10-04T20:27:30Z"
}}"#
    )
}

fn tokyo_documents() -> Vec<String> {
    vec![
        document(
            "AmazonCloudWatch",
            "APN1-DataScanned-Bytes",
            "GB",
            "0.0076000000",
            "$0.0076 per GB of data scanned",
        ),
        document(
            "AWSCloudTrail",
            "APN1-PaidEventsRecorded",
            "Events",
            "0.0000200000",
            "$0.00002 per event",
        ),
        document(
            "AWSSystemsManager",
            "APN1-AWS-Automation-Steps",
            "Steps",
            "0.0020000000",
            "$0.002 per Automation step executed",
        ),
        // A reserved-only product has no on-demand price: it is skipped.
        r#"{"product":{"attributes":{"usagetype":"APN1-Other"}},"serviceCode":"AmazonCloudWatch","terms":{}}"#.to_owned(),
        "not json".to_owned(),
    ]
}

#[test]
fn a_document_gives_its_first_tier_on_demand_price() {
    let listed = parse_product(&tokyo_documents()[0]).unwrap();
    assert_eq!(listed.usage_type, "APN1-DataScanned-Bytes");
    assert_eq!(listed.usd, Usd::parse("0.0076").unwrap());
    assert_eq!(listed.unit, "GB");
    assert_eq!(listed.publication, "2026-10-04T20:27:30Z");
    assert!(parse_product(&tokyo_documents()[3]).is_none());
    assert!(parse_product("not json").is_none());
}

#[test]
fn a_refreshed_table_replaces_what_it_found_and_says_what_it_did_not() {
    let embedded = PriceTable::embedded("ap-northeast-1");
    let (table, missing) = table_from(&embedded, &tokyo_documents(), "2026-12-07T22:00:00Z");
    assert_eq!(
        table.origin,
        Origin::PriceList {
            publication: "2026-10-04T20:27:30Z".into(),
            fetched_at: "2026-12-07T22:00:00Z".into(),
        }
    );
    // $0.00002 per event is $2.00 per 100,000.
    assert_eq!(
        table
            .price(PriceItem::TrailExtraCopyHundredThousand)
            .unwrap()
            .usd,
        Usd::parse("2").unwrap()
    );
    let step = table.price(PriceItem::AutomationStep).unwrap();
    assert_eq!(step.usd, Usd::parse("0.002").unwrap());
    assert_eq!(step.as_of, "2026-10-04");
    assert!(step.source.contains("APN1-AWS-Automation-Steps"));
    assert!(missing.contains(&PriceItem::LogsIngestionGb));
    assert!(!missing.contains(&PriceItem::LogsInsightsGb));

    // Tokyo now has what it lacked: the estimate is made, on the Price List's basis.
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
    assert_eq!(estimate.basis.as_of.as_deref(), Some("2026-10-04"));
    // 2 GB at Tokyo's listed $0.0076 = $0.0152
    assert_eq!(logs_insights(&table, 2 << 30).total, Usd::parse("0.0152"));
}
