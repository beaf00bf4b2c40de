//! Practice scenarios as the Lessons screens show them: a list with progress, a goal and
//! hints beside the incident workflow, the checks that decide success, and a debrief naming
//! the AWS services used with their AWS CLI equivalents. All text is [`Localized`]: English
//! and Japanese travel with the scenario (see that type for why).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::localized::Localized;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ScenarioStatus {
    NotStarted,
    InProgress,
    Completed,
}

/// A row of the scenario list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScenarioSummary {
    /// Stable id, e.g. `sshd-stopped`.
    pub id: String,
    pub title: Localized,
    /// One or two sentences for the list.
    pub summary: Localized,
    pub region: String,
    /// The instance the scenario breaks.
    pub instance_id: String,
    pub status: ScenarioStatus,
    /// Checks passed out of all checks.
    pub checks_passed: u32,
    pub checks_total: u32,
    /// About how long a learner takes, in minutes.
    pub minutes: u32,
    /// What the lesson teaches, in a sentence.
    pub teaches: Localized,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Hint {
    pub text: Localized,
    /// The AWS CLI or shell command the hint is about, when there is one.
    pub command: Option<String>,
}

/// One part of the success condition, evaluated from the simulated account's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScenarioCheck {
    pub label: Localized,
    pub passed: bool,
}

/// An AWS service the scenario used, what for, and the CLI commands behind the clicks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ServiceUse {
    /// e.g. `Systems Manager Automation`.
    pub service: String,
    pub why: Localized,
    pub cli: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Debrief {
    /// What happened and what to remember.
    pub lesson: Localized,
    pub services: Vec<ServiceUse>,
}

/// Everything the hints panel and the debrief screen show, with live progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScenarioDetail {
    pub summary: ScenarioSummary,
    /// The situation the learner walks into (the alarm, the ticket).
    pub situation: Localized,
    pub goal: Localized,
    /// In the order a learner should read them; the UI reveals them one at a time.
    pub hints: Vec<Hint>,
    /// All must pass for the scenario to be completed.
    pub checks: Vec<ScenarioCheck>,
    pub debrief: Debrief,
}
