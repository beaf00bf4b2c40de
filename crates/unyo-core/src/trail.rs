//! CloudTrail's event history: who changed what, and when. Diagnosis asks it what changed
//! in the hours before an alarm; the answer is often the cause.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::action::shell_quote;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TrailResource {
    /// e.g. `AWS::EC2::Instance`, `AWS::SSM::Parameter`.
    pub resource_type: String,
    pub resource_name: String,
}

/// One management event, as `LookupEvents` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TrailEvent {
    pub event_id: String,
    /// RFC 3339.
    pub event_time: String,
    /// e.g. `RevokeSecurityGroupEgress`.
    pub event_name: String,
    /// e.g. `ec2.amazonaws.com`.
    pub event_source: String,
    /// The IAM user, role session or service that made the call.
    pub username: String,
    pub read_only: bool,
    pub resources: Vec<TrailResource>,
    /// The whole record as CloudTrail stores it (JSON text), for the detail view.
    pub cloud_trail_event: String,
}

/// The one attribute `LookupEvents` filters on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum LookupAttribute {
    EventName,
    EventSource,
    ResourceName,
    ResourceType,
    Username,
    ReadOnly,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TrailLookup {
    pub attribute: LookupAttribute,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TrailQuery {
    pub region: String,
    /// RFC 3339 bounds.
    pub start: String,
    pub end: String,
    pub lookup: Option<TrailLookup>,
    /// At most this many events, newest first.
    pub max_results: Option<u32>,
}

impl TrailEvent {
    /// Whether the event passes `lookup`, as `LookupEvents` decides it.
    pub fn matches(&self, lookup: &TrailLookup) -> bool {
        let value = lookup.value.as_str();
        match lookup.attribute {
            LookupAttribute::EventName => self.event_name == value,
            LookupAttribute::EventSource => self.event_source == value,
            LookupAttribute::Username => self.username == value,
            LookupAttribute::ReadOnly => self.read_only.to_string() == value,
            LookupAttribute::ResourceName => {
                self.resources.iter().any(|r| r.resource_name == value)
            }
            LookupAttribute::ResourceType => {
                self.resources.iter().any(|r| r.resource_type == value)
            }
        }
    }
}

impl TrailQuery {
    /// The AWS CLI command that asks the same question.
    pub fn cli(&self) -> String {
        let mut cli = format!(
            "aws cloudtrail lookup-events --region {} --start-time {} --end-time {}",
            shell_quote(&self.region),
            shell_quote(&self.start),
            shell_quote(&self.end)
        );
        if let Some(lookup) = &self.lookup {
            cli.push_str(&format!(
                " --lookup-attributes {}",
                shell_quote(&format!(
                    "AttributeKey={:?},AttributeValue={}",
                    lookup.attribute, lookup.value
                ))
            ));
        }
        if let Some(n) = self.max_results {
            cli.push_str(&format!(" --max-results {n}"));
        }
        cli
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_names_the_lookup() {
        let query = TrailQuery {
            region: "ap-northeast-1".into(),
            start: "2026-11-28T07:00:00Z".into(),
            end: "2026-11-28T10:00:00Z".into(),
            lookup: Some(TrailLookup {
                attribute: LookupAttribute::ResourceName,
                value: "i-0abc".into(),
            }),
            max_results: Some(50),
        };
        assert_eq!(
            query.cli(),
            "aws cloudtrail lookup-events --region ap-northeast-1 --start-time 2026-11-28T07:00:00Z --end-time 2026-11-28T10:00:00Z --lookup-attributes AttributeKey=ResourceName,AttributeValue=i-0abc --max-results 50"
        );
    }
}
