//! The account behind each id the UI sends: the practice account, or `profile:NAME` connected
//! to AWS through that profile once and then reused by every window, so SDK clients, their
//! connections and credential caches are shared.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OnceCell;
use unyo_aws::cloud::AwsCloud;
use unyo_aws::profiles::ProfileResolver;
use unyo_core::cloud::AccountId;
use unyo_core::{AppError, Cloud};
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
        let account = id.parse::<AccountId>()?;
        if account == AccountId::Practice {
            return Ok(self.practice.clone());
        }
        // Profiles are keyed by name; the default chain by its own id, which no profile name
        // can take (a profile's key never contains `:`, the default's is `default:`).
        let key = match &account {
            AccountId::Profile(name) => name.clone(),
            _ => format!("{account}:"),
        };
        // The lock only guards the map; the connection is awaited outside it, and concurrent
        // callers for one profile share a single connection attempt through the cell.
        let slot = self
            .connected
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key)
            .or_default()
            .clone();
        let cloud = slot
            .get_or_try_init(|| async {
                let cloud = match &account {
                    AccountId::Profile(profile) => {
                        AwsCloud::connect(&self.profiles, profile).await?
                    }
                    _ => {
                        let endpoint = self.profiles.endpoint_url().map(str::to_owned);
                        AwsCloud::connect_default(endpoint, None).await?
                    }
                };
                tracing::info!(%account, "connected to AWS");
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
