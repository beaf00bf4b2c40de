//! Ending a session on the service exactly once, whoever gets there first: the user closing
//! a tab, the reader going away, or the channel dropping for good. Closing the websocket alone
//! would leave the session (and the agent's worker) running until the idle timeout.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use unyo_core::AppError;

use super::Sessions;

/// How long the end of a session may wait for `TerminateSession` before it is reported.
pub(super) const TERMINATE_TIMEOUT: Duration = Duration::from_secs(10);

/// Calls `TerminateSession` at most once per session.
#[derive(Debug)]
pub(super) struct Ending {
    sessions: Sessions,
    session_id: String,
    /// Set by whoever takes charge of ending the session, or when the service ended it.
    claimed: AtomicBool,
}

impl Ending {
    pub(super) fn new(sessions: Sessions, session_id: String) -> Self {
        Self {
            sessions,
            session_id,
            claimed: AtomicBool::new(false),
        }
    }

    pub(super) fn session_id(&self) -> &str {
        &self.session_id
    }

    /// Whether the caller is the first to end the session. Also how the service's own end
    /// of a session is recorded: nothing is left to terminate.
    pub(super) fn claim(&self) -> bool {
        !self.claimed.swap(true, Ordering::SeqCst)
    }

    /// `TerminateSession`, for the caller that claimed the ending. A failure gives the claim
    /// back so that a later call can try again.
    pub(super) async fn terminate(&self) -> Result<(), AppError> {
        let result = self.sessions.terminate(&self.session_id).await;
        if result.is_err() {
            self.claimed.store(false, Ordering::SeqCst);
        }
        result
    }

    /// Terminates the session unless someone else has taken care of it; best effort,
    /// bounded, for endings nobody waits on.
    pub(super) async fn terminate_claimed(&self) {
        if !self.claim() {
            return;
        }
        let session_id = self.session_id.as_str();
        match tokio::time::timeout(TERMINATE_TIMEOUT, self.terminate()).await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => {
                tracing::warn!(session_id, error = %err.message, "could not terminate the session")
            }
            Err(_) => tracing::warn!(session_id, "TerminateSession did not answer in time"),
        }
    }
}
