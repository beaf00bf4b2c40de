//! Practice scenarios: each breaks one thing in the simulated account, in a story an
//! operator would meet, and knows how to tell from the account's state whether it is fixed.
//!
//! A scenario is a [`Definition`]: text (goal, situation, hints, debrief) as `Localized`
//! English and Japanese — content travels with its translations, so the UI only picks `en`
//! or `ja` — a `setup` that breaks the freshly reset account, and `checks` that read the
//! simulated state (never what the learner clicked), so any correct fix counts and a
//! runbook's "Success" counts for nothing by itself.

mod cpu_after_deploy;
mod disk_full;
mod not_managed;
mod sshd_config_missing;
mod sshd_stopped;

use std::collections::BTreeMap;

use unyo_core::localized::Localized;
use unyo_core::scenario::{
    Debrief, Hint, ScenarioCheck, ScenarioDetail, ScenarioStatus, ScenarioSummary,
};
use unyo_core::{AppError, Instance};

use crate::account::Account;
use crate::host::Host;

pub use not_managed::{EgressRule, SECURITY_GROUP as NOT_MANAGED_SECURITY_GROUP};

/// The account while a scenario sets it up or is checked.
#[derive(Debug)]
pub struct Stage<'a> {
    pub account: &'a mut Account,
    pub hosts: &'a mut BTreeMap<String, Host>,
    pub instances: &'a [Instance],
    pub now: i64,
}

impl Stage<'_> {
    /// The instance's machine, made on first use, with its clock at now.
    pub fn host(&mut self, instance_id: &str) -> Option<&mut Host> {
        let instance = self.instances.iter().find(|i| i.id == instance_id)?;
        crate::metrics::with_host(self.hosts, instance, self.now, |_| ());
        self.hosts.get_mut(instance_id)
    }
}

#[derive(Debug)]
pub struct Definition {
    pub id: &'static str,
    pub region: &'static str,
    pub instance_id: &'static str,
    pub title: Localized,
    pub summary: Localized,
    /// About how long a learner takes, in minutes.
    pub minutes: u32,
    /// What the lesson teaches, in a sentence.
    pub teaches: Localized,
    pub situation: Localized,
    pub goal: Localized,
    pub hints: Vec<Hint>,
    pub debrief: Debrief,
    pub setup: fn(&mut Stage<'_>),
    pub checks: fn(&mut Stage<'_>) -> Vec<ScenarioCheck>,
}

pub fn all() -> Vec<Definition> {
    vec![
        sshd_stopped::definition(),
        sshd_config_missing::definition(),
        not_managed::definition(),
        disk_full::definition(),
        cpu_after_deploy::definition(),
    ]
}

pub fn find(id: &str) -> Result<Definition, AppError> {
    all().into_iter().find(|d| d.id == id).ok_or_else(|| {
        AppError::invalid_input(format!("the practice account has no scenario {id}"))
    })
}

pub fn text(en: &str, ja: &str) -> Localized {
    Localized::new(en, ja)
}

pub fn hint(en: &str, ja: &str, command: Option<&str>) -> Hint {
    Hint {
        text: text(en, ja),
        command: command.map(str::to_owned),
    }
}

pub fn check(en: &str, ja: &str, passed: bool) -> ScenarioCheck {
    ScenarioCheck {
        label: text(en, ja),
        passed,
    }
}

/// The list row; `checks` are the live ones when the scenario is the running one.
pub fn summary(
    definition: &Definition,
    status: ScenarioStatus,
    checks: &[ScenarioCheck],
) -> ScenarioSummary {
    ScenarioSummary {
        id: definition.id.to_owned(),
        title: definition.title.clone(),
        summary: definition.summary.clone(),
        region: definition.region.to_owned(),
        instance_id: definition.instance_id.to_owned(),
        status,
        checks_passed: checks.iter().filter(|c| c.passed).count() as u32,
        checks_total: checks.len() as u32,
        minutes: definition.minutes,
        teaches: definition.teaches.clone(),
    }
}

pub fn detail(
    definition: Definition,
    status: ScenarioStatus,
    checks: Vec<ScenarioCheck>,
) -> ScenarioDetail {
    ScenarioDetail {
        summary: summary(&definition, status, &checks),
        situation: definition.situation,
        goal: definition.goal,
        hints: definition.hints,
        checks,
        debrief: definition.debrief,
    }
}

/// Lines of a config file that matter: no comments or blanks, spacing folded, keywords in
/// lower case; order kept out of it, as sshd takes the first of each keyword anyway.
pub fn settings(text: &str) -> std::collections::BTreeSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut words = l.split_whitespace();
            let key = words.next().unwrap_or_default().to_lowercase();
            std::iter::once(key)
                .chain(words.map(str::to_owned))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(d: &Definition) -> Vec<&Localized> {
        let mut all = vec![
            &d.title,
            &d.summary,
            &d.situation,
            &d.goal,
            &d.debrief.lesson,
        ];
        all.extend(d.hints.iter().map(|h| &h.text));
        all.extend(d.debrief.services.iter().map(|s| &s.why));
        all
    }

    #[test]
    fn every_scenario_is_complete_in_english_and_japanese() {
        let all = all();
        assert!(all.len() >= 5);
        let ids: std::collections::BTreeSet<&str> = all.iter().map(|d| d.id).collect();
        assert_eq!(ids.len(), all.len(), "ids are unique");
        for d in &all {
            assert!(d.hints.len() >= 3, "{}", d.id);
            assert!(!d.debrief.services.is_empty(), "{}", d.id);
            for service in &d.debrief.services {
                assert!(
                    service.cli.iter().all(|c| c.starts_with("aws ")),
                    "{}: {:?}",
                    d.id,
                    service.cli
                );
            }
            for text in texts(d) {
                assert!(!text.en.trim().is_empty(), "{}", d.id);
                // Japanese text has kana or kanji, not a copy of the English.
                assert!(
                    text.ja
                        .chars()
                        .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)
                            || ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{}: {}",
                    d.id,
                    text.ja
                );
            }
        }
    }

    #[test]
    fn settings_ignore_comments_spacing_order_and_keyword_case() {
        let a = settings("# c\nPort  22\nPermitRootLogin no\n\n");
        let b = settings("permitrootlogin no\nport 22\n");
        assert_eq!(a, b);
        assert_ne!(a, settings("Port 22\nPermitRootLogin yes\n"));
    }
}
