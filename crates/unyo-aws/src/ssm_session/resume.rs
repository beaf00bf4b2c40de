//! The data channel's resume callback over `ssm:ResumeSession` (§2.6 of the protocol notes):
//! a fresh token for every reconnection, and the new stream URL when the service returns one,
//! because the routing cell in its query can change on resume (the 1.2.677 plugin redialled
//! the old URL; newer plugins take the new one).

use std::sync::{Arc, Mutex, PoisonError};

use unyo_core::ErrorCode;
use unyo_session::{Endpoint, ResumeError, ResumeFuture, ResumeSession};

use super::{Sessions, StartedSession};

/// Resumes one session through `ResumeSession`. The SDK's credential cache refreshes the
/// caller's credentials before each call, so a session outlives its first credentials.
#[derive(Debug, Clone)]
pub struct SsmResume {
    sessions: Sessions,
    session_id: Arc<str>,
    /// The URL of the latest connection, kept when a resume returns none.
    stream_url: Arc<Mutex<String>>,
}

impl SsmResume {
    pub fn new(sessions: Sessions, started: &StartedSession) -> Self {
        Self {
            sessions,
            session_id: Arc::from(started.session_id.as_str()),
            stream_url: Arc::new(Mutex::new(started.stream_url.clone())),
        }
    }

    async fn fresh_endpoint(&self) -> Result<Endpoint, ResumeError> {
        let resumed = match self.sessions.resume(&self.session_id).await {
            Ok(Some(resumed)) => resumed,
            Ok(None) => {
                return Err(ResumeError::Expired(format!(
                    "session {} timed out",
                    self.session_id
                )));
            }
            Err(err) => {
                return Err(match err.code {
                    // Retrying cannot fix these within the reconnection budget.
                    ErrorCode::InvalidInput
                    | ErrorCode::AccessDenied
                    | ErrorCode::CredentialsInvalid => ResumeError::Expired(err.message),
                    // Network trouble, throttling, or credentials the user may renew (an IAM
                    // Identity Center sign-in) while the channel keeps trying.
                    _ => ResumeError::Unavailable(err.message),
                });
            }
        };
        // A poisoned lock only means another resume panicked; the URL in it is still whole.
        // The guard is dropped before the signing awaits.
        let url = {
            let mut url = self
                .stream_url
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if let Some(new_url) = resumed.stream_url {
                *url = new_url;
            }
            url.clone()
        };
        // Signed with the credentials of now: a role renewed since the last dial signs this one.
        self.sessions
            .endpoint(&url, &resumed.token)
            .await
            .map_err(|err| match err.code {
                ErrorCode::InvalidInput | ErrorCode::CredentialsInvalid => {
                    ResumeError::Expired(err.message)
                }
                _ => ResumeError::Unavailable(err.message),
            })
    }
}

impl ResumeSession for SsmResume {
    fn resume(&self) -> ResumeFuture {
        let this = self.clone();
        Box::pin(async move { this.fresh_endpoint().await })
    }
}
