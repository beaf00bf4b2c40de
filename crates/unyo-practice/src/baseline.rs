//! What the practice account holds before any scenario breaks it: CPU and disk alarms in OK,
//! application logs with ordinary traffic, and a quiet morning in CloudTrail.

use serde_json::json;

use crate::account::{Account, AlarmDef, Call, Source};

// The instances the alarms, logs and scenarios name, declared with their regions.
pub use crate::regions::tokyo::{BATCH_WORKER_1, REGION as TOKYO, WEB_PROD_1, WEB_PROD_2};
pub use crate::regions::virginia::{API_US_1, REGION as VIRGINIA, WEB_US_1};

pub fn alarm(name: &str, region: &str, instance: &str, source: Source, threshold: f64) -> AlarmDef {
    let what = match source {
        Source::Cpu => "Average CPU above",
        Source::Disk => "Root file system use above",
    };
    AlarmDef {
        name: name.to_owned(),
        region: region.to_owned(),
        description: format!("{what} {threshold}% for 2 minutes on {instance}"),
        instance_id: instance.to_owned(),
        source,
        period_seconds: 60,
        evaluation_periods: 2,
        threshold,
    }
}

pub fn populate(account: &mut Account, now: i64) {
    account.alarms = vec![
        alarm("web-prod-1-cpu-high", TOKYO, WEB_PROD_1, Source::Cpu, 80.0),
        alarm("web-prod-2-cpu-high", TOKYO, WEB_PROD_2, Source::Cpu, 80.0),
        alarm(
            "batch-worker-1-root-disk",
            TOKYO,
            BATCH_WORKER_1,
            Source::Disk,
            90.0,
        ),
        alarm("web-us-1-cpu-high", VIRGINIA, WEB_US_1, Source::Cpu, 80.0),
        alarm("api-us-1-cpu-high", VIRGINIA, API_US_1, Source::Cpu, 80.0),
    ];
    // Three hours of ordinary storefront traffic, a line every ten minutes per server.
    for k in (1..=18).rev() {
        let at = now - k * 600;
        for (stream, ms) in [(WEB_PROD_1, 12 + k % 7), (WEB_PROD_2, 15 + k % 5)] {
            let message =
                json!({"level": "INFO", "msg": "GET /products 200", "ms": ms}).to_string();
            account.log("/storefront/app", TOKYO, at, stream, &message);
        }
    }
    for (offset, msg) in [
        (8 * 3600, "nightly export started"),
        (7 * 3600 + 1800, "nightly export finished: 48211 rows"),
    ] {
        let message = json!({"level": "INFO", "msg": msg}).to_string();
        account.log(
            "/nightly-batch/app",
            TOKYO,
            now - offset,
            BATCH_WORKER_1,
            &message,
        );
    }
    account.log(
        "/aws/ssm/AWS-RunShellScript",
        TOKYO,
        now - 26 * 3600,
        "patch-check",
        "dnf check-update: 0 packages can be upgraded",
    );
    account.record(
        TOKYO,
        now - 2 * 3600 - 600,
        Call {
            name: "StartSession",
            source: "ssm.amazonaws.com",
            user: "alice",
            user_arn: "arn:aws:iam::123456789012:user/alice",
            request: json!({"target": WEB_PROD_1}),
            resources: vec![("AWS::EC2::Instance", WEB_PROD_1)],
        },
    );
    account.record(
        TOKYO,
        now - 2 * 3600 - 300,
        Call {
            name: "TerminateSession",
            source: "ssm.amazonaws.com",
            user: "alice",
            user_arn: "arn:aws:iam::123456789012:user/alice",
            request: json!({"sessionId": "alice-0d1e2f3a4b5c6d7e8"}),
            resources: vec![],
        },
    );
    account.record(
        VIRGINIA,
        now - 5 * 3600,
        Call {
            name: "PutMetricAlarm",
            source: "monitoring.amazonaws.com",
            user: "platform-admin",
            user_arn: "arn:aws:iam::123456789012:user/platform-admin",
            request: json!({"alarmName": "api-us-1-cpu-high", "threshold": 80.0}),
            resources: vec![],
        },
    );
}
