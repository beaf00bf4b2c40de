//! Long-lived services shared by every command, built once in `setup`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use unyo_aws::identity::CallerIdentity;
use unyo_aws::profiles::ProfileResolver;
use unyo_aws::sso::{SsoSignIn, TokenCache};
use unyo_core::aws_files::AwsFilePaths;
use unyo_core::settings::{self, Settings, SettingsProblem};
use unyo_core::{AppError, Cloud, ErrorCode};

use crate::clouds::Clouds;
use unyo_practice::PracticeCloud;

/// When the process started, for the startup benchmark (`cargo xtask bench startup`).
#[derive(Debug, Clone, Copy)]
pub struct StartupClock(pub SystemTime);

impl StartupClock {
    pub fn now() -> Self {
        Self(SystemTime::now())
    }
}

#[derive(Clone)]
pub struct AppState {
    /// The practice account and every profile connected to so far.
    pub clouds: Clouds,
    pub settings_path: PathBuf,
    /// Price tables refreshed from the AWS Price List, one file per region.
    pub prices_dir: PathBuf,
    /// The settings as last saved; the lock is never held across an await.
    pub settings: Arc<Mutex<Settings>>,
    /// What went wrong loading the settings file, reported once to the UI at start.
    pub settings_problem: Option<SettingsProblem>,
    pub startup: StartupClock,
    pub fleet_rendered: Arc<OnceLock<()>>,
    /// Every profile: the shared AWS files and Unyo's own, secrets in the OS keychain.
    pub profiles: ProfileResolver,
    /// IAM Identity Center sign-ins, in the AWS CLI's token cache; shared by every window.
    pub sso: SsoSignIn,
    /// Identities checked this run, by profile; never written anywhere.
    identities: Arc<Mutex<BTreeMap<String, CallerIdentity>>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("settings_path", &self.settings_path)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Loads settings from `config_dir`. A damaged settings file is set aside and reported;
    /// an unreadable one leaves defaults in place: the app always starts.
    pub fn load(config_dir: PathBuf, startup: StartupClock) -> Self {
        let settings_path = config_dir.join("settings.toml");
        let (loaded, problem) = match settings::load(&settings_path) {
            Ok(loaded) => (loaded.settings, loaded.problem),
            Err(err) => {
                tracing::warn!("settings not loaded: {}", err.message);
                let problem = SettingsProblem {
                    message: err.message,
                    set_aside: String::new(),
                };
                (Settings::default(), Some(problem))
            }
        };
        let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
        let aws_files = AwsFilePaths::resolve(home.as_deref(), |name| std::env::var(name).ok());
        let sso_cache = TokenCache::aws_cli_default()
            .unwrap_or_else(|| TokenCache::at(config_dir.join("sso-cache")));
        let sso = SsoSignIn::new(sso_cache);
        let profiles = ProfileResolver::new(
            aws_files,
            config_dir.join("profiles.toml"),
            unyo_keychain::open_store(unyo_keychain::SERVICE),
        )
        .with_sso(sso.clone());
        let practice = Arc::new(PracticeCloud::new());
        // The lessons a learner completed in earlier runs stay completed.
        if let Err(e) = practice.restore_completed(&loaded.lessons_completed) {
            tracing::warn!("earlier lessons' progress not restored: {}", e.message);
        }
        Self {
            clouds: Clouds::new(practice, profiles.clone()),
            profiles,
            sso,
            identities: Arc::default(),
            settings_path,
            prices_dir: config_dir.join("prices"),
            settings: Arc::new(Mutex::new(loaded)),
            settings_problem: problem,
            startup,
            fleet_rendered: Arc::new(OnceLock::new()),
        }
    }

    /// The Cloud behind an account id from the UI.
    pub async fn cloud(&self, account: &str) -> Result<Arc<dyn Cloud>, AppError> {
        self.clouds.get(account).await
    }

    pub fn identity(&self, profile: &str) -> Option<CallerIdentity> {
        self.identities.lock().ok()?.get(profile).cloned()
    }

    pub fn identities(&self) -> Vec<CallerIdentity> {
        self.identities
            .lock()
            .map(|known| known.values().cloned().collect())
            .unwrap_or_default()
    }

    pub fn remember_identity(&self, identity: CallerIdentity) {
        if let Ok(mut known) = self.identities.lock() {
            known.insert(identity.profile.clone(), identity);
        }
    }

    /// Forgets what this run learned about a profile (its identity and its connection), as
    /// after it was deleted.
    pub fn forget_profile(&self, profile: &str) {
        self.clouds.forget(profile);
        if let Ok(mut known) = self.identities.lock() {
            known.remove(profile);
        }
    }

    pub fn settings(&self) -> Result<Settings, AppError> {
        self.settings
            .lock()
            .map(|s| s.clone())
            .map_err(|_| AppError::new(ErrorCode::Internal, "settings lock poisoned"))
    }

    pub fn save_settings(&self, new: Settings) -> Result<(), AppError> {
        settings::save(&self.settings_path, &new)?;
        let mut current = self
            .settings
            .lock()
            .map_err(|_| AppError::new(ErrorCode::Internal, "settings lock poisoned"))?;
        *current = new;
        Ok(())
    }
}
