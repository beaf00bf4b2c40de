//! Change control around a change Unyo is asked to make: the Change Calendar's word on
//! whether changes are allowed now (`GetCalendarState`), submitting a runbook as a Change
//! Manager change request for accounts that still have Change Manager (closed to new
//! customers since 7 November 2025), and, for every account, a local change record (what,
//! why, risk, rollback, who confirmed) written to the incident before the change starts.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::action::{ChangePreview, shell_quote};
use crate::automation::StartAutomationRequest;
use crate::localized::Localized;

/// Whether a Change Calendar allows changes now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum CalendarStatus {
    /// Changes are allowed (AWS's `OPEN`).
    #[serde(rename = "OPEN")]
    Open,
    /// Changes are blocked (AWS's `CLOSED`): Automation refuses runbooks that check it.
    #[serde(rename = "CLOSED")]
    Closed,
}

/// The state of the region's Change Calendars, as `GetCalendarState` reports it: one answer
/// for all of them together (closed when any is closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CalendarState {
    /// The calendars asked about (the account's `ChangeCalendar` documents).
    pub calendars: Vec<String>,
    pub status: CalendarStatus,
    /// When the state was read (RFC 3339).
    pub at: Option<String>,
    /// When it next changes, when a calendar says so.
    pub next_transition: Option<String>,
}

impl CalendarState {
    /// The AWS CLI command that reads the same state.
    pub fn cli(&self, region: &str) -> String {
        let names: Vec<String> = self.calendars.iter().map(|c| shell_quote(c)).collect();
        format!(
            "aws ssm get-calendar-state --region {} --calendar-names {}",
            shell_quote(region),
            names.join(" ")
        )
    }
}

/// A runbook submitted as a Change Manager change request: it waits for the template's
/// approvers, then Change Manager runs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChangeRequest {
    /// The change template (`Automation.ChangeTemplate` document) that names the approvers.
    pub template: String,
    /// What approvers see as the request's name.
    pub name: String,
    pub runbook: StartAutomationRequest,
}

impl ChangeRequest {
    pub fn describe(&self) -> ChangePreview {
        let runbooks = serde_json::json!([{
            "DocumentName": self.runbook.document_name,
            "Parameters": self.runbook.parameters,
        }]);
        ChangePreview {
            api_call: "ssm:StartChangeRequestExecution".into(),
            cli: format!(
                "aws ssm start-change-request-execution --region {} --document-name {} --change-request-name {} --runbooks {}",
                shell_quote(&self.runbook.region),
                shell_quote(&self.template),
                shell_quote(&self.name),
                shell_quote(&runbooks.to_string())
            ),
            summary: Localized::new(
                format!(
                    "Submits {} as a change request from the template {}; it runs once its approvers approve it.",
                    self.runbook.document_name, self.template
                ),
                format!(
                    "{} をテンプレート {} の変更リクエストとして送信します。承認者が承認すると実行されます。",
                    self.runbook.document_name, self.template
                ),
            ),
        }
    }
}

/// How much could go wrong, as the one confirming judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Risk {
    Low,
    Medium,
    High,
}

impl Risk {
    fn word(self) -> Localized {
        match self {
            Self::Low => Localized::new("low", "低"),
            Self::Medium => Localized::new("medium", "中"),
            Self::High => Localized::new("high", "高"),
        }
    }
}

/// What the one confirming a change says about it, before it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChangeIntent {
    /// What will change: the runbook or command and its target.
    pub what: String,
    /// Why it is needed now.
    pub why: String,
    pub risk: Risk,
    /// How to undo it if it makes things worse.
    pub rollback: String,
}

/// A change record: the intent, and who confirmed it (filled by the app from the account's
/// identity, not typed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChangeRecord {
    pub intent: ChangeIntent,
    pub confirmed_by: String,
}

impl ChangeIntent {
    /// Why the intent cannot be recorded yet, or `None` when it can: a change record without
    /// a reason or a way back is not one.
    pub fn missing(&self) -> Option<Localized> {
        if self.why.trim().is_empty() {
            return Some(Localized::new(
                "say why the change is needed",
                "変更が必要な理由を入力してください",
            ));
        }
        if self.rollback.trim().is_empty() {
            return Some(Localized::new(
                "say how to roll the change back",
                "切り戻しの方法を入力してください",
            ));
        }
        None
    }
}

/// A change record as the incident keeps it: the record, and its title and body in both
/// languages (the window writes the ones of its language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConfirmedChange {
    pub record: ChangeRecord,
    pub title: Localized,
    pub body: Localized,
}

/// Who confirms a change: the AWS identity the account acts as, when known, and the person
/// at this computer, when the operating system says.
pub fn confirmed_by(identity_arn: Option<&str>, os_user: Option<&str>, account: &str) -> String {
    let acting = identity_arn.unwrap_or(account);
    match os_user.map(str::trim).filter(|u| !u.is_empty()) {
        Some(user) => format!("{user} as {acting}"),
        None => acting.to_owned(),
    }
}

impl ChangeRecord {
    /// The record with its title and body, once its intent is complete.
    pub fn confirm(
        intent: ChangeIntent,
        confirmed_by: String,
    ) -> Result<ConfirmedChange, crate::AppError> {
        if let Some(missing) = intent.missing() {
            return Err(crate::AppError::invalid_input(missing.en));
        }
        let record = Self {
            intent,
            confirmed_by,
        };
        Ok(ConfirmedChange {
            title: record.title(),
            body: record.body(),
            record,
        })
    }

    /// The record's title on the incident: "Change record: AWSSupport-TroubleshootSSH on i-…".
    pub fn title(&self) -> Localized {
        Localized::new(
            format!("Change record: {}", self.intent.what),
            format!("変更記録: {}", self.intent.what),
        )
    }

    /// The record's body in one line per field, as the incident keeps it.
    pub fn body(&self) -> Localized {
        let risk = self.intent.risk.word();
        Localized::new(
            format!(
                "Why: {}\nRisk: {}\nRollback: {}\nConfirmed by: {}",
                self.intent.why.trim(),
                risk.en,
                self.intent.rollback.trim(),
                self.confirmed_by
            ),
            format!(
                "理由: {}\nリスク: {}\n切り戻し: {}\n確認者: {}",
                self.intent.why.trim(),
                risk.ja,
                self.intent.rollback.trim(),
                self.confirmed_by
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn intent(why: &str, rollback: &str) -> ChangeIntent {
        ChangeIntent {
            what: "AWSSupport-TroubleshootSSH on i-0abc".into(),
            why: why.into(),
            risk: Risk::Medium,
            rollback: rollback.into(),
        }
    }

    #[test]
    fn a_record_needs_a_reason_and_a_way_back() {
        assert!(intent("  ", "restore sshd_config").missing().is_some());
        assert!(intent("sshd down", "").missing().is_some());
        assert_eq!(intent("sshd down", "restore sshd_config").missing(), None);
    }

    #[test]
    fn a_record_reads_with_its_fields_and_who_confirmed_it() {
        let record = ChangeRecord {
            intent: intent(
                " sshd is down on the bastion ",
                "restore sshd_config from backup",
            ),
            confirmed_by: "arn:aws:sts::123456789012:assumed-role/oncall/alice".into(),
        };
        assert_eq!(
            record.title().en,
            "Change record: AWSSupport-TroubleshootSSH on i-0abc"
        );
        let body = record.body();
        assert_eq!(
            body.en,
            "Why: sshd is down on the bastion\nRisk: medium\nRollback: restore sshd_config from backup\nConfirmed by: arn:aws:sts::123456789012:assumed-role/oncall/alice"
        );
        assert!(body.ja.contains("リスク: 中"));
    }

    #[test]
    fn who_confirmed_names_the_person_and_the_identity_they_acted_as() {
        assert_eq!(
            confirmed_by(
                Some("arn:aws:iam::1:user/op"),
                Some("alice"),
                "profile:prod"
            ),
            "alice as arn:aws:iam::1:user/op"
        );
        assert_eq!(confirmed_by(None, Some(" "), "practice"), "practice");
        let refused = ChangeRecord::confirm(intent("", "x"), "alice".into()).unwrap_err();
        assert_eq!(refused.message, "say why the change is needed");
        let confirmed = ChangeRecord::confirm(intent("why", "back"), "alice".into()).unwrap();
        assert!(confirmed.body.en.ends_with("Confirmed by: alice"));
    }

    #[test]
    fn a_change_request_previews_as_the_cli_would_submit_it() {
        let request = ChangeRequest {
            template: "Ops-Standard".into(),
            name: "Fix sshd on i-0abc".into(),
            runbook: StartAutomationRequest {
                region: "us-east-1".into(),
                document_name: "AWSSupport-TroubleshootSSH".into(),
                parameters: BTreeMap::from([("InstanceId".to_owned(), vec!["i-0abc".to_owned()])]),
            },
        };
        let preview = request.describe();
        assert_eq!(preview.api_call, "ssm:StartChangeRequestExecution");
        assert_eq!(
            preview.cli,
            r#"aws ssm start-change-request-execution --region us-east-1 --document-name Ops-Standard --change-request-name 'Fix sshd on i-0abc' --runbooks '[{"DocumentName":"AWSSupport-TroubleshootSSH","Parameters":{"InstanceId":["i-0abc"]}}]'"#
        );
    }

    #[test]
    fn the_calendar_state_is_read_again_with_the_same_names() {
        let state = CalendarState {
            calendars: vec!["freeze".into(), "business hours".into()],
            status: CalendarStatus::Closed,
            at: None,
            next_transition: None,
        };
        assert_eq!(
            state.cli("ap-northeast-1"),
            "aws ssm get-calendar-state --region ap-northeast-1 --calendar-names freeze 'business hours'"
        );
        assert_eq!(
            serde_json::to_string(&CalendarStatus::Closed).unwrap(),
            "\"CLOSED\""
        );
    }
}
