//! Reading the AWS Price List (`pricing:GetProducts`) into a price table. Each product comes
//! as a JSON document: the product's attributes (its `usagetype` and `regionCode`), and its
//! on-demand terms with price dimensions (`unit`, `pricePerUnit.USD`, `beginRange`). A price
//! is taken from the first tier (`beginRange` 0) of the product whose usage type Unyo knows,
//! scaled to Unyo's unit (CloudTrail prices per event; Unyo per 100,000). A unit the table
//! needs that the Price List does not answer stays as embedded, and the refresh says which.

use rust_decimal::Decimal;
use serde_json::Value;

use crate::money::Usd;
use crate::prices::{Confidence, Origin, Price, PriceItem, PriceTable};

/// The service codes Unyo asks the Price List for.
pub const SERVICE_CODES: [&str; 3] = ["AWSSystemsManager", "AmazonCloudWatch", "AWSCloudTrail"];

/// One product's first-tier on-demand price, as read from a `GetProducts` document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedPrice {
    pub service_code: String,
    pub usage_type: String,
    pub unit: String,
    pub description: String,
    pub usd: Usd,
    pub publication: String,
}

/// The first-tier on-demand price of one `GetProducts` document; `None` for a document that
/// has no such price (a reserved-only product, a malformed one).
pub fn parse_product(document: &str) -> Option<ListedPrice> {
    let doc: Value = serde_json::from_str(document).ok()?;
    let product = doc.get("product")?;
    let usage_type = product
        .get("attributes")?
        .get("usagetype")?
        .as_str()?
        .to_owned();
    let service_code = doc
        .get("serviceCode")
        .and_then(Value::as_str)
        .or_else(|| product.get("attributes")?.get("servicecode")?.as_str())?
        .to_owned();
    let dimensions = doc
        .get("terms")?
        .get("OnDemand")?
        .as_object()?
        .values()
        .filter_map(|term| term.get("priceDimensions")?.as_object())
        .flat_map(|dims| dims.values());
    let first = dimensions
        .filter(|d| {
            d.get("beginRange")
                .and_then(Value::as_str)
                .is_none_or(|b| b == "0")
        })
        .find_map(|d| {
            let usd = Usd::parse(d.get("pricePerUnit")?.get("USD")?.as_str()?)?;
            Some((
                usd,
                d.get("unit").and_then(Value::as_str).unwrap_or_default(),
                d.get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
            ))
        })?;
    Some(ListedPrice {
        service_code,
        usage_type,
        unit: first.1.to_owned(),
        description: first.2.to_owned(),
        usd: first.0,
        publication: doc
            .get("publicationDate")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    })
}

/// How a Price List product answers one of Unyo's units.
struct Matcher {
    item: PriceItem,
    service: &'static str,
    /// The usage type ends with this (after its region prefix, such as `APN1-`).
    usage_suffix: &'static str,
    /// Unyo's unit in the Price List's units (100,000 events per event...).
    scale: i64,
}

/// The usage types Unyo reads, as AWS's Cost and Usage documentation and price files name
/// them. Systems Manager's are matched on their description, since AWS documents no usage type
/// names for them.
const MATCHERS: &[Matcher] = &[
    Matcher {
        item: PriceItem::LogsInsightsGb,
        service: "AmazonCloudWatch",
        usage_suffix: "DataScanned-Bytes",
        scale: 1,
    },
    Matcher {
        item: PriceItem::LogsIngestionGb,
        service: "AmazonCloudWatch",
        usage_suffix: "DataProcessing-Bytes",
        scale: 1,
    },
    Matcher {
        item: PriceItem::LogsStorageGbMonth,
        service: "AmazonCloudWatch",
        usage_suffix: "TimedStorage-ByteHrs",
        scale: 1,
    },
    Matcher {
        item: PriceItem::AlarmStandardMonth,
        service: "AmazonCloudWatch",
        usage_suffix: "CW:AlarmMonitorUsage",
        scale: 1,
    },
    Matcher {
        item: PriceItem::CustomMetricMonth,
        service: "AmazonCloudWatch",
        usage_suffix: "CW:MetricMonitorUsage",
        scale: 1,
    },
    Matcher {
        item: PriceItem::GetMetricDataThousandMetrics,
        service: "AmazonCloudWatch",
        usage_suffix: "CW:GMD-Metrics",
        scale: 1_000,
    },
    Matcher {
        item: PriceItem::TrailExtraCopyHundredThousand,
        service: "AWSCloudTrail",
        usage_suffix: "PaidEventsRecorded",
        scale: 100_000,
    },
    Matcher {
        item: PriceItem::TrailDataEventsHundredThousand,
        service: "AWSCloudTrail",
        usage_suffix: "DataEventsRecorded",
        scale: 100_000,
    },
];

/// Systems Manager's units, matched on the price's description (AWS documents no usage type
/// names for them): the words that must all appear, lower case.
const DESCRIBED: &[(PriceItem, &[&str])] = &[
    (PriceItem::AutomationStep, &["automation", "step"]),
    (PriceItem::AutomationScriptSecond, &["executescript"]),
    (PriceItem::OpsItem, &["opsitem"]),
    (PriceItem::ParameterAdvancedMonth, &["advanced parameter"]),
];

/// The region's table from the Price List's documents: every unit found replaces the
/// embedded one; the rest stay embedded. Returns the table and the units that were not found.
pub fn table_from(
    embedded: &PriceTable,
    documents: &[String],
    fetched_at: &str,
) -> (PriceTable, Vec<PriceItem>) {
    let listed: Vec<ListedPrice> = documents.iter().filter_map(|d| parse_product(d)).collect();
    let publication = listed
        .iter()
        .map(|l| l.publication.as_str())
        .filter(|p| !p.is_empty())
        .max()
        .unwrap_or(fetched_at)
        .to_owned();
    let as_of = publication.get(..10).unwrap_or(&publication).to_owned();
    let mut table = PriceTable {
        region: embedded.region.clone(),
        origin: Origin::PriceList {
            publication: publication.clone(),
            fetched_at: fetched_at.to_owned(),
        },
        prices: embedded.prices.clone(),
    };
    let mut found = Vec::new();
    let mut take = |item: PriceItem, usd: Usd, what: &str| {
        table.prices.insert(
            item,
            Price {
                item,
                usd,
                source: format!("AWS Price List ({what}), publication {publication}"),
                as_of: as_of.clone(),
                confidence: Confidence::Verified,
            },
        );
        found.push(item);
    };
    for matcher in MATCHERS {
        let hit = listed.iter().find(|l| {
            l.service_code == matcher.service && l.usage_type.ends_with(matcher.usage_suffix)
        });
        if let Some(hit) = hit {
            take(
                matcher.item,
                hit.usd.times(Decimal::from(matcher.scale)),
                &hit.usage_type,
            );
        }
    }
    for (item, words) in DESCRIBED {
        let hit = listed.iter().find(|l| {
            let text = format!("{} {}", l.usage_type, l.description).to_lowercase();
            l.service_code == "AWSSystemsManager" && words.iter().all(|w| text.contains(w))
        });
        if let Some(hit) = hit {
            take(*item, hit.usd, &hit.usage_type);
        }
    }
    let missing = embedded
        .prices
        .keys()
        .copied()
        .chain(MATCHERS.iter().map(|m| m.item))
        .chain(DESCRIBED.iter().map(|(item, _)| *item))
        .filter(|item| !found.contains(item))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    (table, missing)
}
