//! Analysis on the journal as a responder uses it: a story curated from the activity log
//! (which never changes), the incident's state, the review and its action items, a status
//! update, the reports in Markdown and HTML, an automation snippet, and an incident carried
//! to another computer as JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use unyo_journal::automation::snippet;
use unyo_journal::pin::PinSnapshot;
use unyo_journal::{
    ActionItemEdit, Incident, IncidentDetails, IncidentFilter, IncidentStatus, Journal,
    JournalEntryKind, JournalOutcome, Moment, NewJournalEntry, ReportFormat, ReportLanguage,
    Review, Severity, StoryEdit,
};

const ACCOUNT: &str = "profile:prod";

fn entry(kind: JournalEntryKind, at: &str, title: &str) -> NewJournalEntry {
    NewJournalEntry {
        account: ACCOUNT.into(),
        region: "ap-northeast-1".into(),
        kind,
        title: title.into(),
        api_call: String::new(),
        cli: String::new(),
        outcome: JournalOutcome::Success,
        result: String::new(),
        at: at.into(),
        cost: None,
        detail: None,
    }
}

/// An incident with an alarm pinned, a runbook, a check and a note: (journal, incident, ids).
fn incident() -> (Journal, Incident, Vec<i64>) {
    let journal = Journal::open_in_memory().unwrap();
    let opened = journal
        .open_incident(ACCOUNT, "sshd down on web-prod-1", "2026-11-28T10:00:00Z")
        .unwrap();
    let alarm = PinSnapshot::Alarm {
        name: "web-prod-1-status".into(),
        state: "ALARM".into(),
        reason: "StatusCheckFailed > 0 for 2 datapoints".into(),
    };
    let mut pinned = entry(
        JournalEntryKind::Pin,
        "2026-11-28T10:02:00Z",
        "Alarm web-prod-1-status",
    );
    pinned.detail = Some(serde_json::to_string(&alarm).unwrap());
    let mut runbook = entry(
        JournalEntryKind::Runbook,
        "2026-11-28T10:20:00Z",
        "AWSSupport-TroubleshootSSH {\"InstanceId\":[\"i-0a1\"]}",
    );
    runbook.cli =
        "aws ssm start-automation-execution --document-name AWSSupport-TroubleshootSSH".into();
    runbook.api_call = "ssm:StartAutomationExecution".into();
    let check = entry(
        JournalEntryKind::Verification,
        "2026-11-28T10:31:00Z",
        "sshd active on i-0a1",
    );
    let mut note = entry(
        JournalEntryKind::Note,
        "2026-11-28T10:33:00Z",
        "Customers can log in again",
    );
    note.detail = Some("Checked with support.\nNo tickets since 10:30.".into());
    let ids = [pinned, runbook, check, note]
        .iter()
        .map(|e| journal.record(e).unwrap().entry_id)
        .collect();
    (journal, opened, ids)
}

#[test]
fn a_story_is_curated_while_the_activity_log_stays_as_recorded() {
    let (journal, incident, ids) = incident();
    let before = journal.timeline(incident.id).unwrap();
    journal.promote(ids[0]).unwrap();
    journal.promote(ids[2]).unwrap();
    // Promoting twice changes nothing.
    journal.promote(ids[0]).unwrap();
    let detected = journal
        .edit_story(
            ids[0],
            &StoryEdit {
                title: Some("Status check alarm fired".into()),
                annotation: "Paged the on-call".into(),
                moment: Some(Moment::Detected),
                happened_at: Some("2026-11-28T09:58:00Z".into()),
            },
        )
        .unwrap();
    assert_eq!(detected.title.as_deref(), Some("Status check alarm fired"));
    assert_eq!(
        detected.happened_at.as_deref(),
        Some("2026-11-28T09:58:00Z")
    );
    journal
        .edit_story(
            ids[2],
            &StoryEdit {
                title: None,
                annotation: String::new(),
                moment: Some(Moment::Resolved),
                happened_at: None,
            },
        )
        .unwrap();
    // A moment belongs to one entry: marking another `detected` moves it there.
    journal.promote(ids[1]).unwrap();
    journal
        .edit_story(
            ids[1],
            &StoryEdit {
                title: None,
                annotation: String::new(),
                moment: Some(Moment::Detected),
                happened_at: None,
            },
        )
        .unwrap();
    let story = journal.story(incident.id).unwrap();
    let moments: Vec<(i64, Option<Moment>)> =
        story.iter().map(|s| (s.entry_id, s.moment)).collect();
    assert_eq!(
        moments,
        [
            (ids[0], None),
            (ids[1], Some(Moment::Detected)),
            (ids[2], Some(Moment::Resolved))
        ]
    );
    assert_eq!(
        journal.timeline(incident.id).unwrap(),
        before,
        "the activity log never changes"
    );

    journal.demote(ids[1]).unwrap();
    assert_eq!(journal.story(incident.id).unwrap().len(), 2);
    let err = journal
        .edit_story(
            ids[3],
            &StoryEdit {
                title: None,
                annotation: "x".into(),
                moment: None,
                happened_at: None,
            },
        )
        .unwrap_err();
    assert!(err.message.contains("promote it first"), "{}", err.message);
}

#[test]
fn severity_and_status_changes_go_on_the_activity_log_and_lists_filter_by_them() {
    let (journal, incident, _) = incident();
    let details = IncidentDetails {
        title: "sshd down on web-prod-1".into(),
        severity: Some(Severity::Sev2),
        status: IncidentStatus::Identified,
        summary: "sshd was stopped by a config push.".into(),
        affected: vec!["i-0a1".into(), " web-prod-1-status ".into(), "i-0a1".into()],
    };
    let updated = journal
        .update_details(incident.id, &details, "2026-11-28T10:15:00Z")
        .unwrap();
    assert_eq!(updated.severity, Some(Severity::Sev2));
    assert_eq!(updated.affected, ["i-0a1", "web-prod-1-status"]);
    let log = journal.timeline(incident.id).unwrap();
    let change = log.last().unwrap();
    assert_eq!(change.kind, JournalEntryKind::StatusChange);
    assert_eq!(
        change.title,
        "severity none → SEV2; status investigating → identified"
    );
    assert_eq!(change.at, "2026-11-28T10:15:00Z");
    // Saving the same state again writes no change.
    journal
        .update_details(incident.id, &details, "2026-11-28T10:16:00Z")
        .unwrap();
    assert_eq!(journal.timeline(incident.id).unwrap().len(), log.len());

    let other = journal
        .open_incident("profile:staging", "disk full", "2026-11-28T11:00:00Z")
        .unwrap();
    let find = |filter: IncidentFilter| -> Vec<i64> {
        journal
            .find_incidents(&filter)
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect()
    };
    assert_eq!(find(IncidentFilter::default()), [other.id, incident.id]);
    assert_eq!(
        find(IncidentFilter {
            severity: Some(Severity::Sev2),
            ..IncidentFilter::default()
        }),
        [incident.id]
    );
    assert_eq!(
        find(IncidentFilter {
            status: Some(IncidentStatus::Investigating),
            ..IncidentFilter::default()
        }),
        [other.id]
    );
    assert_eq!(
        find(IncidentFilter {
            account: Some("profile:staging".into()),
            ..IncidentFilter::default()
        }),
        [other.id]
    );
    assert_eq!(
        find(IncidentFilter {
            text: Some("CONFIG PUSH".into()),
            ..IncidentFilter::default()
        }),
        [incident.id],
        "the summary is searched, any case"
    );
    assert_eq!(
        find(IncidentFilter {
            text: Some("status".into()),
            ..IncidentFilter::default()
        }),
        [incident.id],
        "affected resources are searched"
    );
    assert!(
        find(IncidentFilter {
            text: Some("100%".into()),
            ..IncidentFilter::default()
        })
        .is_empty()
    );
}

#[test]
fn the_review_starts_from_the_key_moments_and_keeps_its_action_items() {
    let (journal, incident, ids) = incident();
    journal
        .update_details(
            incident.id,
            &IncidentDetails {
                title: incident.title.clone(),
                severity: Some(Severity::Sev2),
                status: IncidentStatus::Resolved,
                summary: "sshd was stopped.".into(),
                affected: vec!["i-0a1".into()],
            },
            "2026-11-28T10:40:00Z",
        )
        .unwrap();
    for (id, moment) in [(ids[0], Moment::Detected), (ids[2], Moment::Resolved)] {
        journal.promote(id).unwrap();
        journal
            .edit_story(
                id,
                &StoryEdit {
                    title: None,
                    annotation: String::new(),
                    moment: Some(moment),
                    happened_at: None,
                },
            )
            .unwrap();
    }
    let draft = journal
        .review_draft(incident.id, ReportLanguage::En)
        .unwrap();
    assert_eq!(draft.summary, "sshd was stopped.");
    // Detected 10:02, resolved 10:31: 29 minutes.
    assert_eq!(
        draft.impact,
        "i-0a1 affected for 29 minutes, from 2026-11-28 10:02:00 UTC to 2026-11-28 10:31:00 UTC."
    );
    assert_eq!(
        draft.detection,
        "Detected at 2026-11-28 10:02:00 UTC: Alarm web-prod-1-status"
    );
    let ja = journal
        .review_draft(incident.id, ReportLanguage::Ja)
        .unwrap();
    assert!(ja.impact.contains("29 分間"), "{}", ja.impact);

    let review = Review {
        root_cause: "A config push stopped sshd.".into(),
        ..draft
    };
    journal
        .save_review(incident.id, ReportLanguage::En, &review)
        .unwrap();
    assert_eq!(journal.review(incident.id).unwrap().unwrap().review, review);

    let item = journal
        .add_action_item(
            incident.id,
            &ActionItemEdit {
                text: "Alarm on sshd".into(),
                owner: "aki".into(),
                due: Some("2026-12-05".into()),
                done: false,
            },
        )
        .unwrap();
    let done = journal
        .update_action_item(
            item.id,
            &ActionItemEdit {
                done: true,
                ..ActionItemEdit {
                    text: item.text.clone(),
                    owner: item.owner.clone(),
                    due: item.due.clone(),
                    done: false,
                }
            },
        )
        .unwrap();
    assert!(done.done);
    let err = journal
        .add_action_item(
            incident.id,
            &ActionItemEdit {
                text: "  ".into(),
                owner: String::new(),
                due: None,
                done: false,
            },
        )
        .unwrap_err();
    assert_eq!(err.message, "an action item needs a text");
    assert_eq!(journal.action_items(incident.id).unwrap(), [done]);
}

#[test]
fn a_status_update_says_what_is_known_the_impact_and_what_is_being_done() {
    let (journal, incident, _) = incident();
    journal
        .update_details(
            incident.id,
            &IncidentDetails {
                title: incident.title.clone(),
                severity: Some(Severity::Sev2),
                status: IncidentStatus::Monitoring,
                summary: "sshd restarted; watching logins.".into(),
                affected: vec!["web-prod-1".into()],
            },
            "2026-11-28T10:35:00Z",
        )
        .unwrap();
    let text = journal
        .status_update_draft(
            incident.id,
            ReportLanguage::En,
            "2026-11-28T10:40:00Z",
            Some("2026-11-28T11:10:00Z"),
        )
        .unwrap();
    assert_eq!(
        text,
        "[SEV2] sshd down on web-prod-1: Monitoring\n\
         Known: sshd restarted; watching logins.\n\
         Impact: web-prod-1, since 2026-11-28 10:00:00 UTC (40 min)\n\
         Doing: sshd active on i-0a1; AWSSupport-TroubleshootSSH {\"InstanceId\":[\"i-0a1\"]}\n\
         Next update: 2026-11-28 11:10:00 UTC"
    );
    let ja = journal
        .status_update_draft(
            incident.id,
            ReportLanguage::Ja,
            "2026-11-28T10:40:00Z",
            None,
        )
        .unwrap();
    assert!(
        ja.starts_with("[SEV2] sshd down on web-prod-1: 経過観察中\n状況: "),
        "{ja}"
    );
    assert!(
        ja.contains("影響: web-prod-1（2026-11-28 10:00:00 UTC から 40 分）"),
        "{ja}"
    );
}

#[test]
fn reports_carry_the_story_the_review_and_every_action() {
    let (journal, incident, ids) = incident();
    journal.promote(ids[0]).unwrap();
    journal
        .edit_story(
            ids[0],
            &StoryEdit {
                title: Some("<script>alert(1)</script> fired".into()),
                annotation: "Paged".into(),
                moment: Some(Moment::Detected),
                happened_at: Some("2026-11-28T09:58:00Z".into()),
            },
        )
        .unwrap();
    let chart = PinSnapshot::Chart {
        title: "CPUUtilization i-0a1".into(),
        unit: "Percent".into(),
        start: "2026-11-28T09:00:00Z".into(),
        end: "2026-11-28T10:00:00Z".into(),
        points: vec![
            ("2026-11-28T09:00:00Z".into(), 10.0),
            ("2026-11-28T09:30:00Z".into(), 95.0),
        ],
    };
    let mut pinned = entry(
        JournalEntryKind::Pin,
        "2026-11-28T10:34:00Z",
        "CPU before the fix",
    );
    pinned.detail = Some(serde_json::to_string(&chart).unwrap());
    journal.record(&pinned).unwrap();
    journal
        .save_review(
            incident.id,
            ReportLanguage::En,
            &Review {
                root_cause: "A config push.".into(),
                ..Review::default()
            },
        )
        .unwrap();
    journal
        .add_action_item(
            incident.id,
            &ActionItemEdit {
                text: "Alarm on sshd".into(),
                owner: "aki".into(),
                due: None,
                done: true,
            },
        )
        .unwrap();

    let md = journal
        .report(
            incident.id,
            ReportLanguage::En,
            ReportFormat::Markdown,
            "2026-11-28T11:00:00Z",
        )
        .unwrap();
    assert!(
        md.contains("- **Detected** · 2026-11-28 09:58:00 UTC (recorded at 2026-11-28 10:02:00 UTC) · <script>alert(1)</script> fired\n  - Paged"),
        "{md}"
    );
    assert!(md.contains("### Root cause\n\nA config push."), "{md}");
    assert!(md.contains("- [x] Alarm on sshd (owner: aki)"), "{md}");
    assert!(
        md.contains("> Checked with support.\n> No tickets since 10:30."),
        "{md}"
    );
    assert!(md.contains("- CPUUtilization i-0a1 2026-11-28 09:00:00 UTC–2026-11-28 10:00:00 UTC (2 points): 10–95 Percent"), "{md}");

    let html = journal
        .report(
            incident.id,
            ReportLanguage::Ja,
            ReportFormat::Html,
            "2026-11-28T11:00:00Z",
        )
        .unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt; fired"),
        "titles are escaped"
    );
    assert!(!html.contains("<script"), "no script runs in the report");
    assert!(
        !html.contains("src=") && !html.contains("href="),
        "nothing is loaded from outside"
    );
    assert!(
        html.contains("<svg class=\"chart\""),
        "the pinned chart is drawn inline"
    );
    assert!(html.contains("<polyline"), "{html}");
    assert!(html.contains("<h2>タイムライン</h2>"));
    assert!(html.contains("<h3>根本原因</h3><p>A config push.</p>"));
    assert!(
        html.contains(
            "aws ssm start-automation-execution --document-name AWSSupport-TroubleshootSSH"
        )
    );
}

#[test]
fn a_runbook_incident_offers_an_eventbridge_rule_to_automate_the_fix() {
    let (journal, incident, _) = incident();
    journal
        .update_details(
            incident.id,
            &IncidentDetails {
                title: incident.title.clone(),
                severity: None,
                status: IncidentStatus::Resolved,
                summary: String::new(),
                affected: vec!["i-0a1".into(), "web-prod-1-status".into()],
            },
            "2026-11-28T10:40:00Z",
        )
        .unwrap();
    let data = journal.report_data(incident.id).unwrap();
    let snippet = snippet(&data.incident, &data.entries).unwrap();
    assert_eq!(snippet.document, "AWSSupport-TroubleshootSSH");
    assert_eq!(snippet.alarms, ["web-prod-1-status"]);
    assert_eq!(snippet.instances, ["i-0a1"]);
    assert!(snippet.cli.starts_with(
        "aws events put-rule --region ap-northeast-1 --name unyo-awssupport-troubleshootssh-on-alarm --event-pattern '{"
    ), "{}", snippet.cli);
    assert!(
        snippet
            .cli
            .contains("\"alarmName\":[\"web-prod-1-status\"]"),
        "{}",
        snippet.cli
    );
    assert!(
        snippet
            .cli
            .contains("automation-definition/AWSSupport-TroubleshootSSH:$DEFAULT"),
        "{}",
        snippet.cli
    );
    assert!(snippet.cloudformation.contains("Type: AWS::Events::Rule"));
    assert!(snippet.cloudformation.contains("- 'web-prod-1-status'"));
    assert!(
        snippet
            .cloudformation
            .contains("Input: '{\"InstanceId\":[\"i-0a1\"]}'"),
        "{}",
        snippet.cloudformation
    );

    let bare = Journal::open_in_memory().unwrap();
    let only_notes = bare
        .record(&entry(JournalEntryKind::Note, "2026-11-28T10:00:00Z", "hm"))
        .unwrap();
    let data = bare.report_data(only_notes.incident.id).unwrap();
    assert!(
        snippet_of(&data).is_none(),
        "nothing to automate without a runbook"
    );
}

fn snippet_of(
    data: &unyo_journal::ReportData,
) -> Option<unyo_journal::automation::AutomationSnippet> {
    snippet(&data.incident, &data.entries)
}

#[test]
fn an_incident_travels_as_json_and_comes_back_closed_with_its_story() {
    let (journal, incident, ids) = incident();
    journal.promote(ids[1]).unwrap();
    journal
        .edit_story(
            ids[1],
            &StoryEdit {
                title: Some("Ran the SSH runbook".into()),
                annotation: String::new(),
                moment: Some(Moment::Mitigated),
                happened_at: None,
            },
        )
        .unwrap();
    journal
        .add_action_item(
            incident.id,
            &ActionItemEdit {
                text: "Alarm on sshd".into(),
                owner: String::new(),
                due: None,
                done: false,
            },
        )
        .unwrap();
    let file = journal.export(incident.id).unwrap();
    let text = serde_json::to_string(&file).unwrap();

    let elsewhere = Journal::open_in_memory().unwrap();
    let imported = elsewhere
        .import(&serde_json::from_str(&text).unwrap())
        .unwrap();
    assert_eq!(imported.title, incident.title);
    assert_eq!(
        imported.closed_at.as_deref(),
        Some("2026-11-28T10:33:00Z"),
        "closed at its last action"
    );
    assert_eq!(imported.entry_count, 4);
    let story = elsewhere.story(imported.id).unwrap();
    let entries = elsewhere.timeline(imported.id).unwrap();
    assert_eq!(story.len(), 1);
    let curated = entries.iter().find(|e| e.id == story[0].entry_id).unwrap();
    assert!(
        curated.title.starts_with("AWSSupport-TroubleshootSSH"),
        "the story follows its entry's new id"
    );
    assert_eq!(story[0].moment, Some(Moment::Mitigated));
    assert_eq!(elsewhere.action_items(imported.id).unwrap().len(), 1);
    assert_eq!(
        elsewhere.current_incident(ACCOUNT).unwrap(),
        None,
        "an import never takes new actions"
    );

    let reopened = elsewhere
        .reopen_incident(imported.id, "2026-12-01T09:00:00Z")
        .unwrap();
    assert_eq!(reopened.closed_at, None);
    assert_eq!(
        elsewhere.current_incident(ACCOUNT).unwrap().unwrap().id,
        imported.id
    );

    let mut newer = file.clone();
    newer.version = 99;
    let err = elsewhere.import(&newer).unwrap_err();
    assert!(
        err.message.contains("exported by a newer Unyo"),
        "{}",
        err.message
    );
    let mut other = file;
    other.format = "something-else".into();
    assert!(elsewhere.import(&other).is_err());
}

#[test]
fn deleting_an_incident_takes_everything_on_it() {
    let (journal, incident, ids) = incident();
    journal.promote(ids[0]).unwrap();
    journal
        .save_review(incident.id, ReportLanguage::En, &Review::default())
        .unwrap();
    journal
        .add_action_item(
            incident.id,
            &ActionItemEdit {
                text: "x".into(),
                owner: String::new(),
                due: None,
                done: false,
            },
        )
        .unwrap();
    let kept = journal
        .open_incident("profile:staging", "other", "2026-11-28T12:00:00Z")
        .unwrap();
    journal.delete_incident(incident.id).unwrap();
    assert!(journal.incident(incident.id).is_err());
    assert!(journal.timeline(incident.id).unwrap().is_empty());
    assert!(journal.story(incident.id).unwrap().is_empty());
    assert!(journal.review(incident.id).unwrap().is_none());
    assert!(journal.action_items(incident.id).unwrap().is_empty());
    assert_eq!(journal.incident(kept.id).unwrap().title, "other");
    assert!(
        journal.delete_incident(incident.id).is_err(),
        "deleting twice says so"
    );
}

#[test]
fn an_incident_mirrors_to_an_opsitem_with_its_timeline_and_resources() {
    let (journal, incident, ids) = incident();
    journal
        .update_details(
            incident.id,
            &IncidentDetails {
                title: incident.title.clone(),
                severity: Some(Severity::Sev1),
                status: IncidentStatus::Monitoring,
                summary: "sshd was stopped by a config push.".into(),
                affected: vec!["i-0a1".into(), "mi-0b2".into(), "web-prod-1-status".into()],
            },
            "2026-11-28T10:35:00Z",
        )
        .unwrap();
    journal.promote(ids[0]).unwrap();
    journal
        .edit_story(
            ids[0],
            &StoryEdit {
                title: None,
                annotation: String::new(),
                moment: Some(Moment::Detected),
                happened_at: None,
            },
        )
        .unwrap();
    let data = journal.report_data(incident.id).unwrap();
    let item = unyo_journal::ops_item::ops_item(&data, "ap-northeast-1", Some("123456789012"));
    assert_eq!(item.title, "sshd down on web-prod-1");
    assert_eq!(item.severity.as_deref(), Some("1"));
    assert_eq!(
        item.description,
        "sshd was stopped by a config push.\n\nStatus: Monitoring."
    );
    assert_eq!(
        item.resources,
        [
            "arn:aws:ec2:ap-northeast-1:123456789012:instance/i-0a1",
            "arn:aws:ssm:ap-northeast-1:123456789012:managed-instance/mi-0b2",
            "arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:web-prod-1-status",
        ]
    );
    assert_eq!(
        item.operational_data["unyo:timeline"],
        "2026-11-28 10:02:00 UTC · Detected · Alarm web-prod-1-status"
    );
    assert_eq!(item.operational_data["unyo:account"], ACCOUNT);
    // Without the account's id there are no ARNs to name, and nothing is guessed.
    let unknown = unyo_journal::ops_item::ops_item(&data, "ap-northeast-1", None);
    assert!(unknown.resources.is_empty());
}

#[test]
fn an_entry_goes_on_the_incident_named_and_abandoned_sessions_are_settled() {
    let (journal, incident, _) = incident();
    journal
        .close_incident(incident.id, "2026-11-28T11:00:00Z")
        .unwrap();
    // Closing an incident ends it: it no longer reads "investigating".
    assert_eq!(
        journal.incident(incident.id).unwrap().status,
        IncidentStatus::Resolved
    );
    let mut update = entry(
        JournalEntryKind::StatusUpdate,
        "2026-11-28T11:05:00Z",
        "Resolved",
    );
    update.detail = Some("All clear.".into());
    let id = journal.record_on(incident.id, &update).unwrap();
    let log = journal.timeline(incident.id).unwrap();
    assert_eq!(
        log.last().unwrap().id,
        id,
        "on the closed incident, not a new one"
    );
    assert_eq!(journal.current_incident(ACCOUNT).unwrap(), None);
    let mut other = update.clone();
    other.account = "profile:staging".into();
    assert!(
        journal.record_on(incident.id, &other).is_err(),
        "another account's entry is refused"
    );

    let mut shell = entry(
        JournalEntryKind::Session,
        "2026-11-28T12:00:00Z",
        "shell → i-0a1",
    );
    shell.outcome = JournalOutcome::Running;
    shell.result = "session s-1".into();
    let recorded = journal.record(&shell).unwrap();
    assert_eq!(journal.settle_abandoned_sessions().unwrap(), 1);
    let settled = journal
        .timeline(recorded.incident.id)
        .unwrap()
        .into_iter()
        .find(|e| e.id == recorded.entry_id)
        .unwrap();
    assert_eq!(settled.outcome, JournalOutcome::Unknown);
    assert_eq!(settled.result, "session s-1 · Unyo quit while it was open");
}

#[test]
fn a_corrected_time_is_a_time_kept_in_utc() {
    let (journal, incident, ids) = incident();
    journal.promote(ids[0]).unwrap();
    let edit = |at: &str| StoryEdit {
        title: None,
        annotation: String::new(),
        moment: None,
        happened_at: Some(at.into()),
    };
    let kept = journal
        .edit_story(ids[0], &edit("2026-11-28T18:58:00+09:00"))
        .unwrap();
    assert_eq!(kept.happened_at.as_deref(), Some("2026-11-28T09:58:00Z"));
    let err = journal.edit_story(ids[0], &edit("09:58")).unwrap_err();
    assert!(err.message.contains("is not a time"), "{}", err.message);
    let err = journal
        .add_action_item(
            incident.id,
            &ActionItemEdit {
                text: "x".into(),
                owner: String::new(),
                due: Some("next week".into()),
                done: false,
            },
        )
        .unwrap_err();
    assert!(err.message.contains("is not a date"), "{}", err.message);
}

#[test]
fn an_import_is_checked_like_a_recording_and_never_counts_as_this_computers_use() {
    let (journal, incident, ids) = incident();
    let mut query = entry(
        JournalEntryKind::Query,
        "2026-11-28T10:40:00Z",
        "Logs Insights",
    );
    query.cost = Some(unyo_journal::EntryCost {
        usd: unyo_cost::Usd::parse("0.005").unwrap(),
        basis: unyo_journal::CostBasis::Actual,
    });
    journal.record(&query).unwrap();
    for id in [ids[0], ids[2]] {
        journal.promote(id).unwrap();
        journal
            .edit_story(
                id,
                &StoryEdit {
                    title: None,
                    annotation: String::new(),
                    moment: Some(Moment::Detected),
                    happened_at: None,
                },
            )
            .unwrap();
    }
    let mut file = journal.export(incident.id).unwrap();
    // A hand-edited file: two entries claim the same moment.
    for s in &mut file.story {
        s.moment = Some(Moment::Resolved);
    }
    let elsewhere = Journal::open_in_memory().unwrap();
    let first = elsewhere.import(&file).unwrap();
    elsewhere.import(&file).unwrap();
    let resolved = elsewhere
        .story(first.id)
        .unwrap()
        .iter()
        .filter(|s| s.moment == Some(Moment::Resolved))
        .count();
    assert_eq!(resolved, 1, "one entry keeps the moment");
    let (queries, cost) = elsewhere
        .cost_since(
            ACCOUNT,
            "ap-northeast-1",
            JournalEntryKind::Query,
            "2026-11-01",
        )
        .unwrap();
    assert_eq!(
        (queries, cost),
        (0, unyo_cost::Usd::ZERO),
        "imports are not this computer's use"
    );

    let mut foreign = file.clone();
    foreign.entries[0].account = "profile:someone-else".into();
    let err = elsewhere.import(&foreign).unwrap_err();
    assert!(
        err.message.contains("not to the incident's account"),
        "{}",
        err.message
    );
}

#[test]
fn a_status_change_reads_in_the_reports_language() {
    let (journal, incident, _) = incident();
    journal
        .update_details(
            incident.id,
            &IncidentDetails {
                title: incident.title.clone(),
                severity: Some(Severity::Sev2),
                status: IncidentStatus::Identified,
                summary: String::new(),
                affected: Vec::new(),
            },
            "2026-11-28T10:15:00Z",
        )
        .unwrap();
    let ja = journal
        .report(
            incident.id,
            ReportLanguage::Ja,
            ReportFormat::Markdown,
            "2026-11-28T11:00:00Z",
        )
        .unwrap();
    assert!(
        ja.contains("ステータス · 重大度 なし → SEV2; ステータス 調査中 → 原因特定"),
        "{ja}"
    );
    let en = journal
        .report(
            incident.id,
            ReportLanguage::En,
            ReportFormat::Html,
            "2026-11-28T11:00:00Z",
        )
        .unwrap();
    assert!(
        en.contains("Severity none → SEV2; Status Investigating → Identified"),
        "{en}"
    );
}
