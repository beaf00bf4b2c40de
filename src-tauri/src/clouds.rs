//! The account behind each id the UI sends: the practice account, or `profile:NAME` connected
//! to AWS through that profile once and then reused by every window, so SDK clients, their
//! connections and credential caches are shared.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OnceCell;
use unyo_aws::cloud::AwsCloud;
use unyo_aws::profiles::ProfileResolver;
use unyo_core::cloud::AccountId;
use unyo_core::{AppError, Cloud, ErrorCode};
use unyo_practice::PracticeCloud;

type Slot = Arc<OnceCell<Arc<dyn Cloud>>>;

#[derive(Clone)]
pub struct Clouds {
    practice: Arc<dyn Cloud>,
    /// The same practice account, concrete: the Lessons API (scenarios, reset) lives beside
    /// the Cloud port, not in it, since no real account has scenarios.
    practice_account: Arc<PracticeCloud>,
    profiles: ProfileResolver,
    /// One slot per profile; a failed connection leaves its slot empty, so the next request
    /// (after an MFA code or a sign-in, say) tries again.
    connected: Arc<Mutex<HashMap<String, Slot>>>,
}

impl Clouds {
    pub fn new(practice: Arc<PracticeCloud>, profiles: ProfileResolver) -> Self {
        Self {
            practice: practice.clone(),
            practice_account: practice,
            profiles,
            connected: Arc::default(),
        }
    }

    pub fn practice(&self) -> &Arc<dyn Cloud> {
        &self.practice
    }

    /// The practice account with its Lessons API.
    pub fn practice_account(&self) -> &Arc<PracticeCloud> {
        &self.practice_account
    }

    /// The account `id` names. Connecting a profile checks its credentials with STS, so a
    /// profile that needs an MFA code or a sign-in says so here.
    pub async fn get(&self, id: &str) -> Result<Arc<dyn Cloud>, AppError> {
        let profile = match id.parse::<AccountId>()? {
            AccountId::Practice => return Ok(self.practice.clone()),
            AccountId::Profile(name) => name,
            // The app lists and connects named profiles; the SDK's default chain is the CLI's.
            AccountId::Default => {
                return Err(AppError::new(
                    ErrorCode::InvalidInput,
                    format!("`{id}` is not an account (expected `practice` or `profile:NAME`)"),
                ));
            }
        };
        let profile = profile.as_str();
        // The lock only guards the map; the connection is awaited outside it, and concurrent
        // callers for one profile share a single connection attempt through the cell.
        let slot = self
            .connected
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(profile.to_owned())
            .or_default()
            .clone();
        let cloud = slot
            .get_or_try_init(|| async {
                let cloud = AwsCloud::connect(&self.profiles, profile).await?;
                tracing::info!(profile, "connected to AWS");
                Ok::<_, AppError>(Arc::new(cloud) as Arc<dyn Cloud>)
            })
            .await?;
        Ok(cloud.clone())
    }

    /// Drops a profile's connection, after it was deleted or signed out of, so the next use
    /// resolves its credentials afresh.
    pub fn forget(&self, profile: &str) {
        self.connected
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(profile);
    }

    /// Drops every profile's connection.
    pub fn forget_all(&self) {
        self.connected
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}
