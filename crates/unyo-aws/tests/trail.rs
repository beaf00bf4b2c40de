//! CloudTrail's event history on a real account through the Cloud port, as Diagnosis asks
//! "what changed": `LookupEvents` answers from `aws-smithy-mocks`, because moto lacks it.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/mocks.rs"]
mod mocks;

use aws_sdk_cloudtrail::operation::lookup_events::{LookupEventsInput, LookupEventsOutput};
use aws_sdk_cloudtrail::types::{Event, LookupAttributeKey, Resource};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_types::DateTime;
use aws_smithy_types::retry::RetryConfig;
use unyo_aws::cloud::AwsCloud;
use unyo_aws::fleet::FleetClients;
use unyo_aws::regional::PerRegion;
use unyo_core::cloud::*;
use unyo_core::trail::{LookupAttribute, TrailLookup, TrailQuery};
use unyo_core::{AccountContext, AccountKind, ErrorCode};

const TOKYO: &str = "ap-northeast-1";
/// 2026-11-28T10:00:00Z, the end of the window.
const END: i64 = 1_795_860_000;

fn cloud(rules: &[&Rule]) -> AwsCloud {
    let account = AccountContext {
        id: "profile:test".into(),
        kind: AccountKind::Profile,
        account_id: Some("123456789012".into()),
        regions: vec![TOKYO.into()],
        default_region: Some(TOKYO.into()),
        capabilities: Vec::new(),
    };
    let fleet = FleetClients::from_config(
        aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build(),
    );
    let cloudtrail = mock_client!(aws_sdk_cloudtrail, RuleMode::MatchAny, rules, |c| c
        .retry_config(RetryConfig::disabled()));
    AwsCloud::with_clients(account, fleet)
        .with_cloudtrail(PerRegion::from_fn(move |_| cloudtrail.clone()))
}

fn query(max_results: Option<u32>) -> TrailQuery {
    TrailQuery {
        region: TOKYO.into(),
        start: "2026-11-28T07:00:00Z".into(),
        end: "2026-11-28T10:00:00Z".into(),
        lookup: None,
        max_results,
    }
}

/// The `n`th newest event: every third one a read, summarised without `ReadOnly` so that
/// the record's own flag is read.
fn event(n: i64) -> Event {
    let read = n % 3 == 0;
    let record = format!(
        r#"{{"eventVersion":"1.08","eventName":"{}","readOnly":{read},"requestParameters":{{"groupId":"sg-0abc"}}}}"#,
        if read {
            "DescribeSecurityGroups"
        } else {
            "RevokeSecurityGroupEgress"
        }
    );
    let builder = Event::builder()
        .event_id(format!("ev-{n}"))
        .event_time(DateTime::from_secs(END - n * 60))
        .event_name(if read {
            "DescribeSecurityGroups"
        } else {
            "RevokeSecurityGroupEgress"
        })
        .event_source("ec2.amazonaws.com")
        .username("deploy-bot")
        .resources(
            Resource::builder()
                .resource_type("AWS::EC2::SecurityGroup")
                .resource_name("sg-0abc")
                .build(),
        )
        .cloud_trail_event(record);
    if n % 2 == 0 {
        builder.read_only(read.to_string()).build()
    } else {
        builder.build()
    }
}

/// A page of events `from..to` (newest first), pointing at `next` when there is one.
fn page(from: i64, to: i64, next: Option<&str>) -> LookupEventsOutput {
    LookupEventsOutput::builder()
        .set_events(Some((from..to).map(event).collect()))
        .set_next_token(next.map(str::to_owned))
        .build()
}

fn asks_for_the_window(r: &LookupEventsInput) -> bool {
    r.start_time() == Some(&DateTime::from_secs(END - 3 * 3600))
        && r.end_time() == Some(&DateTime::from_secs(END))
}

#[tokio::test]
async fn pages_are_read_until_the_limit_newest_first_with_each_record() {
    let first = mock!(aws_sdk_cloudtrail::Client::lookup_events)
        .match_requests(|r| {
            asks_for_the_window(r) && r.next_token().is_none() && r.max_results() == Some(50)
        })
        .then_output(|| page(0, 50, Some("page-2")));
    let second = mock!(aws_sdk_cloudtrail::Client::lookup_events)
        .match_requests(|r| asks_for_the_window(r) && r.next_token() == Some("page-2"))
        .then_output(|| page(50, 100, Some("page-3")));
    // A third page must not be asked for: 60 events are in hand after the second.
    let third = mock!(aws_sdk_cloudtrail::Client::lookup_events)
        .match_requests(|r| r.next_token() == Some("page-3"))
        .then_output(|| page(100, 150, None));
    let cloud = cloud(&[&first, &second, &third]);

    let events = cloud
        .trail()
        .unwrap()
        .lookup_trail_events(&query(Some(60)))
        .await
        .unwrap();
    assert_eq!(events.len(), 60);
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
    assert_eq!(third.num_calls(), 0);
    assert_eq!(events[0].event_id, "ev-0");
    assert_eq!(events[59].event_id, "ev-59");
    assert!(events.windows(2).all(|w| w[0].event_time > w[1].event_time));
    assert_eq!(events[0].event_time, "2026-11-28T10:00:00Z");

    let revoke = &events[1];
    assert_eq!(revoke.event_name, "RevokeSecurityGroupEgress");
    assert_eq!(revoke.event_source, "ec2.amazonaws.com");
    assert_eq!(revoke.username, "deploy-bot");
    assert!(!revoke.read_only);
    assert_eq!(revoke.resources[0].resource_type, "AWS::EC2::SecurityGroup");
    assert_eq!(revoke.resources[0].resource_name, "sg-0abc");
    let record: serde_json::Value = serde_json::from_str(&revoke.cloud_trail_event).unwrap();
    assert_eq!(record["requestParameters"]["groupId"], "sg-0abc");
    // Event 3 has no ReadOnly in its summary: the record's `readOnly: true` decides.
    assert!(events[3].read_only);
    assert!(events[0].read_only, "from the summary's ReadOnly");
}

#[tokio::test]
async fn a_small_limit_asks_for_a_small_page_and_the_default_is_200() {
    let attribute = mock!(aws_sdk_cloudtrail::Client::lookup_events)
        .match_requests(|r| {
            let attrs = r.lookup_attributes();
            r.max_results() == Some(5)
                && attrs.len() == 1
                && attrs[0].attribute_key() == &LookupAttributeKey::ResourceName
                && attrs[0].attribute_value() == "sg-0abc"
        })
        .then_output(|| page(0, 5, Some("more")));
    let cloud_small = cloud(&[&attribute]);
    let mut small = query(Some(5));
    small.lookup = Some(TrailLookup {
        attribute: LookupAttribute::ResourceName,
        value: "sg-0abc".into(),
    });
    let events = cloud_small
        .trail()
        .unwrap()
        .lookup_trail_events(&small)
        .await
        .unwrap();
    assert_eq!(events.len(), 5);
    assert_eq!(attribute.num_calls(), 1);

    // Five pages of 50 on offer; the default stops after four.
    let pages = mock!(aws_sdk_cloudtrail::Client::lookup_events)
        .match_requests(|r| r.max_results() == Some(50))
        .sequence()
        .output(|| page(0, 50, Some("p2")))
        .output(|| page(50, 100, Some("p3")))
        .output(|| page(100, 150, Some("p4")))
        .output(|| page(150, 200, Some("p5")))
        .output(|| page(200, 250, None))
        .build();
    let cloud_default = cloud(&[&pages]);
    let events = cloud_default
        .trail()
        .unwrap()
        .lookup_trail_events(&query(None))
        .await
        .unwrap();
    assert_eq!(events.len(), 200);
    assert_eq!(pages.num_calls(), 4);
}

#[tokio::test]
async fn a_region_that_is_not_enabled_is_named() {
    let refused = mock!(aws_sdk_cloudtrail::Client::lookup_events).then_http_response(|| {
        mocks::service_error(
            400,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        )
    });
    let refusing = cloud(&[&refused]);
    let mut in_hong_kong = query(None);
    in_hong_kong.region = "ap-east-1".into();
    let err = refusing
        .trail()
        .unwrap()
        .lookup_trail_events(&in_hong_kong)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::CredentialsInvalid);
    assert!(
        err.message.contains("ap-east-1 is probably not enabled"),
        "{}",
        err.message
    );

    let opt_in = mock!(aws_sdk_cloudtrail::Client::lookup_events).then_http_response(|| {
        mocks::service_error(
            403,
            "OptInRequired",
            "You are not subscribed to this service.",
        )
    });
    let not_subscribed = cloud(&[&opt_in]);
    let err = not_subscribed
        .trail()
        .unwrap()
        .lookup_trail_events(&in_hong_kong)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message.contains("ap-east-1 is not enabled"),
        "{}",
        err.message
    );

    let bad_window = TrailQuery {
        start: "yesterday".into(),
        ..query(None)
    };
    let err = not_subscribed
        .trail()
        .unwrap()
        .lookup_trail_events(&bad_window)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}
