//! What every scenario test does: a practice account on a clock the test moves, shells
//! typed into as a terminal would, runbooks and commands followed to the end.
#![allow(dead_code, reason = "each test file uses some of these")]

use std::collections::BTreeMap;
use std::sync::Arc;

use unyo_core::automation::{AutomationExecution, ExecutionStatus, StartAutomationRequest};
use unyo_core::cloud::*;
use unyo_core::run_command::{CommandExecution, CommandStatus, SendCommandRequest};
use unyo_core::scenario::{ScenarioDetail, ScenarioStatus};
use unyo_core::session::{OpenedShell, SessionEvent};
use unyo_practice::PracticeCloud;
use unyo_practice::clock::ManualClock;

pub struct Practice {
    pub cloud: PracticeCloud,
    pub clock: ManualClock,
}

pub fn practice() -> Practice {
    let clock = ManualClock::default();
    let cloud = PracticeCloud::with_clock(Arc::new(clock.clone()), unyo_practice::SEED);
    Practice { cloud, clock }
}

impl Practice {
    pub fn start(&self, id: &str) -> ScenarioDetail {
        let detail = self.cloud.start_scenario(id).unwrap();
        assert_eq!(detail.summary.status, ScenarioStatus::InProgress);
        detail
    }

    /// Each check's result, in order.
    pub fn checks(&self, id: &str) -> Vec<bool> {
        self.cloud
            .scenario(id)
            .unwrap()
            .checks
            .iter()
            .map(|c| c.passed)
            .collect()
    }

    pub fn completed(&self, id: &str) -> bool {
        self.cloud.scenario(id).unwrap().summary.status == ScenarioStatus::Completed
    }

    pub async fn shell(&self, instance_id: &str) -> OpenedShell {
        let mut opened = self.cloud.open_shell(instance_id).await.unwrap();
        drain(&mut opened);
        opened
    }

    /// Starts a runbook and polls it, ten simulated seconds apart, until it has finished;
    /// asserts it was seen in progress on the way.
    pub async fn automation(
        &self,
        region: &str,
        document: &str,
        parameters: &[(&str, &str)],
    ) -> AutomationExecution {
        let request = StartAutomationRequest {
            region: region.into(),
            document_name: document.into(),
            parameters: parameters
                .iter()
                .map(|(k, v)| ((*k).to_owned(), vec![(*v).to_owned()]))
                .collect::<BTreeMap<_, _>>(),
        };
        let id = self.cloud.start_automation(&request).await.unwrap();
        let mut seen_in_progress = false;
        for _ in 0..60 {
            let execution = self
                .cloud
                .get_automation_execution(region, &id)
                .await
                .unwrap();
            if execution.status.is_finished() {
                assert!(
                    seen_in_progress,
                    "{document} finished without being seen running"
                );
                return execution;
            }
            seen_in_progress |= execution.status == ExecutionStatus::InProgress;
            self.clock.advance(10);
        }
        panic!("{document} did not finish");
    }

    /// Sends a shell script and waits for it to finish.
    pub async fn command(
        &self,
        region: &str,
        instance_id: &str,
        commands: &[&str],
    ) -> CommandExecution {
        let request = SendCommandRequest::shell_script(region, &[instance_id], commands);
        let id = self.cloud.send_command(&request).await.unwrap();
        let first = self.cloud.get_command(region, &id).await.unwrap();
        assert_eq!(first.status, CommandStatus::InProgress);
        self.clock.advance(5);
        self.cloud.get_command(region, &id).await.unwrap()
    }
}

/// Everything printed so far, as text.
pub fn drain(opened: &mut OpenedShell) -> String {
    let mut text = String::new();
    while let Ok(event) = opened.events.try_recv() {
        if let SessionEvent::Output(bytes) = event {
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    text
}

/// Types a line and returns what the terminal shows, with CRLFs as LFs.
pub async fn run(opened: &mut OpenedShell, line: &str) -> String {
    opened
        .session
        .write(format!("{line}\r").as_bytes())
        .await
        .unwrap();
    drain(opened).replace("\r\n", "\n")
}

/// The practice account's Run Command, with the simulated clock moving a second at every
/// look, as a paced clock would while a caller polls: lets `unyo_core::verify::run_checks`
/// follow a command to its end without a test driving the clock beside it.
pub struct Ticking<'a> {
    practice: &'a Practice,
}

impl<'a> Ticking<'a> {
    pub fn new(practice: &'a Practice) -> Self {
        Self { practice }
    }
}

#[async_trait::async_trait]
impl RunCommand for Ticking<'_> {
    async fn send_command(
        &self,
        request: &SendCommandRequest,
    ) -> Result<String, unyo_core::AppError> {
        self.practice.cloud.send_command(request).await
    }

    async fn get_command(
        &self,
        region: &str,
        command_id: &str,
    ) -> Result<CommandExecution, unyo_core::AppError> {
        let execution = self.practice.cloud.get_command(region, command_id).await;
        self.practice.clock.advance(1);
        execution
    }

    async fn list_commands(
        &self,
        region: &str,
    ) -> Result<Vec<CommandExecution>, unyo_core::AppError> {
        self.practice.cloud.list_commands(region).await
    }
}
