//! The practice account's own API, beside the Cloud port: the scenario list with progress,
//! starting (and so resetting) a scenario, checking it, and a security group egress rule (the
//! "not managed" scenario's fix, which the doctor's `AllowHttpsEgress` makes through here).
//!
//! Every call first lets simulated time catch up (runbook steps that have ended take effect),
//! then works on the account under its lock; the account's lock is always taken before the
//! hosts' lock.

use std::collections::{BTreeMap, BTreeSet};

use unyo_core::action::ChangePreview;
use unyo_core::scenario::{ScenarioDetail, ScenarioStatus, ScenarioSummary};
use unyo_core::{AppError, Instance, PingStatus};

use crate::account::{Account, Call, LEARNER, LEARNER_ARN, lock_error};
use crate::clock::Clock;
use crate::clock::rfc3339;
use crate::host::Host;
use crate::scenarios::{self, EgressRule, Stage};
use crate::{PracticeCloud, regions};

impl PracticeCloud {
    /// Runs `work` on the account at the clock's now, after letting runbooks catch up.
    pub(crate) fn world<T>(
        &self,
        work: impl FnOnce(
            &mut Account,
            &mut BTreeMap<String, Host>,
            &[Instance],
            i64,
        ) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let now = self.clock.now();
        let mut account = self.state.lock().map_err(|_| lock_error())?;
        let mut hosts = self.hosts.lock().map_err(|_| lock_error())?;
        let instances: Vec<Instance> = regions::instances()
            .into_iter()
            .map(|i| account.instance(i))
            .collect();
        crate::automation::catch_up(&mut account, &mut hosts, &instances, now);
        work(&mut account, &mut hosts, &instances, now)
    }

    fn status_of(account: &Account, id: &str) -> ScenarioStatus {
        if account.completed.contains(id) {
            ScenarioStatus::Completed
        } else if account.scenario.as_deref() == Some(id) {
            ScenarioStatus::InProgress
        } else {
            ScenarioStatus::NotStarted
        }
    }

    /// Evaluates the running scenario's checks, and marks it completed when all pass.
    fn evaluate(
        account: &mut Account,
        hosts: &mut BTreeMap<String, Host>,
        instances: &[Instance],
        now: i64,
        definition: &scenarios::Definition,
    ) -> Vec<unyo_core::scenario::ScenarioCheck> {
        let checks = (definition.checks)(&mut Stage {
            account,
            hosts,
            instances,
            now,
        });
        if !checks.is_empty() && checks.iter().all(|c| c.passed) {
            account.completed.insert(definition.id.to_owned());
        }
        checks
    }

    /// Every scenario with its progress; the running one's checks are evaluated now.
    pub fn scenarios(&self) -> Result<Vec<ScenarioSummary>, AppError> {
        self.world(|account, hosts, instances, now| {
            let mut out = Vec::new();
            for definition in scenarios::all() {
                let running = account.scenario.as_deref() == Some(definition.id);
                let checks = if running {
                    Self::evaluate(account, hosts, instances, now, &definition)
                } else {
                    Vec::new()
                };
                let status = Self::status_of(account, definition.id);
                let mut row = scenarios::summary(&definition, status, &checks);
                if !running {
                    // Not running: count its checks without reading state it has not set up.
                    let total = Self::check_count(&definition);
                    row.checks_total = total;
                    row.checks_passed = if status == ScenarioStatus::Completed {
                        total
                    } else {
                        0
                    };
                }
                out.push(row);
            }
            Ok(out)
        })
    }

    fn check_count(definition: &scenarios::Definition) -> u32 {
        let mut account = Account::baseline(0, crate::clock::START);
        let mut hosts = BTreeMap::new();
        let instances = regions::instances();
        (definition.checks)(&mut Stage {
            account: &mut account,
            hosts: &mut hosts,
            instances: &instances,
            now: crate::clock::START,
        })
        .len() as u32
    }

    /// A scenario's goal, hints, live checks and debrief.
    pub fn scenario(&self, id: &str) -> Result<ScenarioDetail, AppError> {
        let definition = scenarios::find(id)?;
        self.world(|account, hosts, instances, now| {
            let completed = account.completed.contains(id);
            let checks = if account.scenario.as_deref() == Some(id) {
                Self::evaluate(account, hosts, instances, now, &definition)
            } else {
                // Not running: its checks' labels, passed only if it was completed before.
                (definition.checks)(&mut Stage {
                    account: &mut Account::baseline(0, now),
                    hosts: &mut BTreeMap::new(),
                    instances,
                    now,
                })
                .into_iter()
                .map(|mut c| {
                    c.passed = completed;
                    c
                })
                .collect()
            };
            let status = Self::status_of(account, id);
            Ok(scenarios::detail(definition, status, checks))
        })
    }

    /// Resets the account to its calm baseline and breaks it as the scenario describes, at
    /// [`crate::clock::START`] whenever it is started, so the story's times hold. Starting the
    /// running scenario again is its reset. A session left open carries on on the instance's
    /// new machine.
    pub fn start_scenario(&self, id: &str) -> Result<ScenarioDetail, AppError> {
        let definition = scenarios::find(id)?;
        self.clock.rewind();
        self.world(|account, hosts, instances, now| {
            let completed = std::mem::take(&mut account.completed);
            *account = Account::baseline(self.seed, now);
            account.completed = completed;
            // A restart is a fresh start: the scenario is not completed until done again.
            account.completed.remove(id);
            account.scenario = Some(id.to_owned());
            hosts.clear();
            (definition.setup)(&mut Stage {
                account,
                hosts,
                instances,
                now,
            });
            Ok(())
        })?;
        self.scenario(id)
    }

    /// Leaves any scenario: the calm baseline account again (completions are kept).
    pub fn reset_account(&self) -> Result<(), AppError> {
        self.world(|account, hosts, _, now| {
            let completed = std::mem::take(&mut account.completed);
            *account = Account::baseline(self.seed, now);
            account.completed = completed;
            hosts.clear();
            Ok(())
        })
    }

    /// The lessons completed so far, for the app to keep across restarts.
    pub fn completed_lessons(&self) -> Result<BTreeSet<String>, AppError> {
        self.world(|account, _, _, _| Ok(account.completed.clone()))
    }

    /// Takes back the lessons completed in an earlier run (unknown ids are ignored: a lesson
    /// that no longer exists has no progress to show).
    pub fn restore_completed(&self, ids: &BTreeSet<String>) -> Result<(), AppError> {
        let known: BTreeSet<&str> = scenarios::all().iter().map(|d| d.id).collect();
        self.world(|account, _, _, _| {
            account
                .completed
                .extend(ids.iter().filter(|id| known.contains(id.as_str())).cloned());
            Ok(())
        })
    }

    /// Forgets one lesson's progress: not started again. When it is the running one, the
    /// account goes back to its calm baseline too.
    pub fn reset_lesson(&self, id: &str) -> Result<(), AppError> {
        scenarios::find(id)?;
        let running = self.world(|account, _, _, _| {
            account.completed.remove(id);
            Ok(account.scenario.as_deref() == Some(id))
        })?;
        if running {
            self.reset_account()?;
        }
        Ok(())
    }

    /// Adds an outbound rule to a security group (`AuthorizeSecurityGroupEgress`) of the
    /// practice network; a rule that lets HTTPS out also ends a scenario's block on the group.
    pub fn authorize_security_group_egress(
        &self,
        rule: &EgressRule,
    ) -> Result<ChangePreview, AppError> {
        self.world(|account, _, instances, now| {
            crate::account::check_region(&rule.region)?;
            let affected: Vec<String> = account
                .blocked_egress
                .iter()
                .filter(|(_, group)| **group == rule.group_id)
                .map(|(instance, _)| instance.clone())
                .collect();
            if self.network().has_group(&rule.group_id) {
                self.network().authorize_egress(
                    &rule.group_id,
                    &rule.protocol,
                    rule.port,
                    &rule.cidr,
                )?;
            } else if affected.is_empty()
                && rule.group_id != scenarios::NOT_MANAGED_SECURITY_GROUP
            {
                return Err(AppError::invalid_input(format!(
                    "the practice account has no security group {} (InvalidGroup.NotFound)",
                    rule.group_id
                )));
            }
            account.record(
                &rule.region,
                now,
                Call {
                    name: "AuthorizeSecurityGroupEgress",
                    source: "ec2.amazonaws.com",
                    user: LEARNER,
                    user_arn: LEARNER_ARN,
                    request: serde_json::json!({"groupId": rule.group_id, "ipPermissions": {"items": [{"ipProtocol": rule.protocol, "fromPort": rule.port, "toPort": rule.port, "ipRanges": {"items": [{"cidrIp": rule.cidr}]}}]}}),
                    resources: vec![("AWS::EC2::SecurityGroup", &rule.group_id)],
                },
            );
            let restored: Vec<String> = affected
                .into_iter()
                .filter(|instance| {
                    rule.allows_https_out()
                        || self.network().egress_restored_by(
                            instances,
                            &account.blocked_egress,
                            instance,
                            &rule.group_id,
                            (&rule.protocol, rule.port, &rule.cidr),
                        )
                })
                .collect();
            for instance in restored {
                account.blocked_egress.remove(&instance);
                // The agent retries on its own; the next ping gets through.
                account.ping.insert(instance, (PingStatus::Online, rfc3339(now)));
            }
            Ok(rule.describe())
        })
    }
}
