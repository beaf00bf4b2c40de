//! Shell sessions on the practice account: the simulated shell behind the same
//! [`ShellSession`] interface as a real Session Manager session, so the app's terminals work
//! without AWS. Hosts live in the account and outlast sessions.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio::sync::mpsc;
use unyo_core::session::{
    EVENT_BUFFER, OpenedShell, SessionEnd, SessionEndReason, SessionEvent, ShellSession,
    TerminalSize,
};
use unyo_core::{AppError, ErrorCode, Instance, InstanceState, PingStatus, Platform};

use crate::clock::Clock;
use crate::host::Host;
use crate::regions;
use crate::shell::PracticeShell;

/// The simulated machines, by instance id, created when first needed.
pub type Hosts = Arc<Mutex<BTreeMap<String, Host>>>;

fn lock_error() -> AppError {
    AppError::new(ErrorCode::Internal, "practice account state is unavailable")
}

/// Why Session Manager would refuse this instance, in the words the app shows.
pub fn refuse(instance: &Instance) -> Option<AppError> {
    let not_connected = |why: String| {
        Some(AppError::new(
            ErrorCode::TargetNotConnected,
            format!("{} is not connected to Session Manager: {why}", instance.id),
        ))
    };
    if instance.state != InstanceState::Running {
        return not_connected(
            format!("the instance is {:?}, not running", instance.state).to_lowercase(),
        );
    }
    match instance.ping_status {
        PingStatus::Online => {}
        PingStatus::NotManaged => {
            return not_connected(
                "its SSM Agent has never registered (it is not a managed instance)".into(),
            );
        }
        PingStatus::ConnectionLost | PingStatus::Inactive => {
            return not_connected(
                "its SSM Agent has stopped reporting (ping status: connection lost)".into(),
            );
        }
        PingStatus::Unknown => {
            return not_connected("Systems Manager could not be asked about its SSM Agent".into());
        }
    }
    if instance.platform != Platform::Linux {
        return Some(AppError::new(
            ErrorCode::Unsupported,
            "the practice account simulates Linux shells only; Windows instances open PowerShell on a real account",
        ));
    }
    None
}

/// Opens a shell on `instance`, creating its host on first use.
pub fn open(
    hosts: &Hosts,
    clock: Arc<dyn Clock>,
    instance: &Instance,
    session_id: String,
) -> Result<OpenedShell, AppError> {
    if let Some(refusal) = refuse(instance) {
        return Err(refusal);
    }
    let (shell, banner) = {
        let mut map = hosts.lock().map_err(|_| lock_error())?;
        let host = map
            .entry(instance.id.clone())
            .or_insert_with(|| regions::new_host(&instance.id, &hostname(instance)));
        host.set_time(clock.now());
        PracticeShell::open(host)
    };
    let (events, receiver) = mpsc::channel(EVENT_BUFFER);
    // The channel is new and empty, so the banner always fits.
    let _ = events.try_send(SessionEvent::Output(banner));
    let session = PracticeSession {
        id: session_id,
        instance_id: instance.id.clone(),
        hostname: hostname(instance),
        hosts: hosts.clone(),
        clock,
        shell: Mutex::new(shell),
        events,
        closed: AtomicBool::new(false),
    };
    Ok(OpenedShell {
        session: Arc::new(session),
        events: receiver,
    })
}

/// EC2's private DNS name, which is what an Amazon Linux prompt shows.
pub(crate) fn hostname(instance: &Instance) -> String {
    let ip = instance
        .private_ip
        .as_deref()
        .unwrap_or("10.0.0.1")
        .replace('.', "-");
    format!("ip-{ip}.{}.compute.internal", instance.region)
}

#[derive(Debug)]
struct PracticeSession {
    id: String,
    instance_id: String,
    hostname: String,
    hosts: Hosts,
    clock: Arc<dyn Clock>,
    shell: Mutex<PracticeShell>,
    events: mpsc::Sender<SessionEvent>,
    closed: AtomicBool,
}

impl PracticeSession {
    async fn close(&self, end: SessionEnd) {
        if !self.closed.swap(true, Ordering::SeqCst) {
            // A reader that has gone away no longer needs to hear about the end.
            let _ = self.events.send(SessionEvent::Closed(end)).await;
        }
    }
}

#[async_trait]
impl ShellSession for PracticeSession {
    fn id(&self) -> &str {
        &self.id
    }

    async fn write(&self, input: &[u8]) -> Result<(), AppError> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(AppError::invalid_input(format!(
                "session {} has ended",
                self.id
            )));
        }
        let (output, exited) = {
            let mut hosts = self.hosts.lock().map_err(|_| lock_error())?;
            // A scenario start or reset replaces the account's machines; a session left open
            // across it carries on on the instance's new machine.
            let host = hosts
                .entry(self.instance_id.clone())
                .or_insert_with(|| regions::new_host(&self.instance_id, &self.hostname));
            let mut shell = self.shell.lock().map_err(|_| lock_error())?;
            host.set_time(self.clock.now());
            let output = shell.feed(host, input);
            // So a fix made here shows in the instance's metrics from this minute.
            host.record_load();
            (output, shell.is_closed().then(|| shell.last_status()))
        };
        if !output.is_empty() {
            let _ = self.events.send(SessionEvent::Output(output)).await;
        }
        if let Some(code) = exited {
            self.close(SessionEnd {
                reason: SessionEndReason::Exited,
                exit_code: Some(code),
            })
            .await;
        }
        Ok(())
    }

    async fn resize(&self, _size: TerminalSize) -> Result<(), AppError> {
        // The simulated commands do not lay out by width.
        Ok(())
    }

    async fn terminate(&self) -> Result<(), AppError> {
        self.close(SessionEnd {
            reason: SessionEndReason::Terminated,
            exit_code: None,
        })
        .await;
        Ok(())
    }
}
