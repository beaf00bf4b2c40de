//! The OpsItem an incident is mirrored to in OpsCenter: its title, severity, a description
//! from its summary, the resources it affected as ARNs, and its timeline as operational data.

use std::collections::BTreeMap;

use unyo_core::ops_item::{MAX_DESCRIPTION, MAX_TITLE, OpsItemRequest, clip};

use crate::model::{ReportLanguage, Severity};
use crate::time::show;
use crate::words::{ReportData, moment_word, status_word, told};

/// The most text the timeline summary takes (OpsCenter caps operational data in total).
const MAX_TIMELINE: usize = 8000;

/// The ARN of an affected resource: an EC2 instance, a hybrid node, or else an alarm.
fn arn(resource: &str, region: &str, account_id: &str) -> String {
    if resource.starts_with("i-") {
        format!("arn:aws:ec2:{region}:{account_id}:instance/{resource}")
    } else if resource.starts_with("mi-") {
        format!("arn:aws:ssm:{region}:{account_id}:managed-instance/{resource}")
    } else {
        format!("arn:aws:cloudwatch:{region}:{account_id}:alarm:{resource}")
    }
}

/// The OpsItem for `data` in `region`; resources only when the account's id is known.
pub fn ops_item(data: &ReportData, region: &str, account_id: Option<&str>) -> OpsItemRequest {
    let incident = &data.incident;
    let title = match incident.title.trim() {
        "" => format!("Unyo incident {}", incident.id),
        t => t.to_owned(),
    };
    let summary = match incident.summary.trim() {
        "" => format!(
            "Recorded by Unyo: {} actions since {}.",
            incident.entry_count,
            show(&incident.opened_at)
        ),
        s => s.to_owned(),
    };
    let status = status_word(incident.status, ReportLanguage::En);
    let timeline: Vec<String> = told(data)
        .iter()
        .map(|t| {
            let moment = t
                .story
                .moment
                .map(|m| format!("{} · ", moment_word(m, ReportLanguage::En)))
                .unwrap_or_default();
            format!("{} · {moment}{}", show(t.at), t.title)
        })
        .collect();
    let mut operational_data = BTreeMap::from([
        ("unyo:account".to_owned(), incident.account.clone()),
        ("unyo:status".to_owned(), status.to_owned()),
    ]);
    if !timeline.is_empty() {
        operational_data.insert(
            "unyo:timeline".to_owned(),
            clip(&timeline.join("\n"), MAX_TIMELINE),
        );
    }
    let resources = account_id.map_or_else(Vec::new, |account| {
        incident
            .affected
            .iter()
            .map(|r| arn(r, region, account))
            .collect()
    });
    OpsItemRequest {
        region: region.to_owned(),
        title: clip(&title, MAX_TITLE),
        description: clip(&format!("{summary}\n\nStatus: {status}."), MAX_DESCRIPTION),
        severity: incident.severity.map(|s| {
            match s {
                Severity::Sev1 => "1",
                Severity::Sev2 => "2",
                Severity::Sev3 => "3",
                Severity::Sev4 => "4",
            }
            .to_owned()
        }),
        operational_data,
        resources,
    }
}
