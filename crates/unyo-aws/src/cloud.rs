//! A real AWS account behind the [`Cloud`] port: one profile, any of its regions. The screens
//! talk to it exactly as to the practice account. Each capability lives in the module of its
//! service (`fleet`, `ssm_session`, `metrics`, `logs`, `trail`, `automation`, `run_command`,
//! `readiness`, `doctor_fixes`, `change_control`, `pricing`); this module holds the account, its clients, and which capabilities it has.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use async_trait::async_trait;
use aws_config::{Region, SdkConfig};
use unyo_core::cloud::{
    Automation, Billing, ChangeControl, Fleet, Logs, Metrics, OpsCenter, Readiness, Remediation,
    RunCommand, Sessions, Trail, capabilities_of,
};
use unyo_core::readiness::ReadinessFacts;
use unyo_core::region::{KNOWN_REGIONS, is_region_code};
use unyo_core::session::OpenedShell;
use unyo_core::tunnel::{OpenedTunnel, TunnelTarget};
use unyo_core::{
    AccountContext, AccountKind, AppError, Cloud, ErrorCode, FleetScope, FleetSnapshot,
};

use crate::fleet::{self, FleetClients, FleetOptions};
use crate::profiles::ProfileResolver;
use crate::regional::PerRegion;

/// One profile's account. Its SDK clients are made once per region and reused.
#[derive(Debug)]
pub struct AwsCloud {
    account: AccountContext,
    /// The profile's config, for sessions; `None` when the caller handed in clients.
    config: Option<SdkConfig>,
    clients: FleetClients,
    options: FleetOptions,
    /// The region each instance was last listed in, so a shell opens where the instance is.
    listed_in: Mutex<HashMap<String, String>>,
    /// The incident tools' clients, made per region on first use; an account opened from
    /// ready-made clients has only those it was given, and lacks the capabilities of the rest.
    pub(crate) cloudwatch: Option<PerRegion<aws_sdk_cloudwatch::Client>>,
    pub(crate) logs: Option<PerRegion<aws_sdk_cloudwatchlogs::Client>>,
    pub(crate) cloudtrail: Option<PerRegion<aws_sdk_cloudtrail::Client>>,
    /// The Price List Query API's client, in the one region it answers in.
    pricing: Option<aws_sdk_pricing::Client>,
    /// The Free Tier API's client, in us-east-1 too.
    free_tier: Option<aws_sdk_freetier::Client>,
}

impl AwsCloud {
    /// Connects to `profile`: resolves its credentials (failing with what they need first,
    /// such as an MFA code or an IAM Identity Center sign-in) and asks STS for the account,
    /// which proves they work. The profile's region is listed first and is the default.
    pub async fn connect(profiles: &ProfileResolver, profile: &str) -> Result<Self, AppError> {
        let config = profiles.sdk_config(profile, None).await?;
        Self::connect_with(format!("profile:{profile}"), config).await
    }

    /// Connects with the credentials the AWS SDK finds by itself when no profile is named,
    /// as the AWS CLI does: environment variables, web identity, ECS/EKS container
    /// credentials, then the EC2 instance role. The region is `region`, else `AWS_REGION` /
    /// `AWS_DEFAULT_REGION` (else the instance's, else us-east-1, STS's global one), and
    /// `endpoint_url` (else `AWS_ENDPOINT_URL`) is honoured. The account's id is `default`.
    pub async fn connect_default(
        endpoint_url: Option<String>,
        region: Option<&str>,
    ) -> Result<Self, AppError> {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(url) = endpoint_url {
            loader = loader.endpoint_url(url);
        }
        if let Some(region) = region {
            loader = loader.region(Region::new(region.to_owned()));
        }
        let mut config = loader.load().await;
        if config.region().is_none() {
            config = config
                .to_builder()
                .region(Region::from_static("us-east-1"))
                .build();
        }
        // Asking the chain first turns "no credentials anywhere" into one clear error, where
        // STS would report it as a failure to sign.
        if let Some(provider) = config.credentials_provider() {
            use aws_credential_types::provider::ProvideCredentials;
            if let Err(err) = provider.provide_credentials().await {
                return Err(AppError::new(
                    ErrorCode::CredentialsInvalid,
                    format!(
                        "the SDK's default chain (environment, web identity, container, \
                         instance role) found no credentials: {err}"
                    ),
                ));
            }
        }
        Self::connect_with("default".to_owned(), config).await
    }

    /// Connects an account whose config the caller resolved (a profile, perhaps in a region
    /// other than its own, or the SDK's default chain) under the account id `id`, asking STS
    /// for the account number, which proves the credentials work. The config's region is
    /// listed first and is the default.
    pub async fn connect_with(id: String, config: SdkConfig) -> Result<Self, AppError> {
        let who = id.strip_prefix("profile:").unwrap_or(&id).to_owned();
        let identity = crate::identity::caller_identity(&config, who).await?;
        let home = config.region().map(ToString::to_string);
        let account = AccountContext {
            id,
            kind: AccountKind::Profile,
            account_id: Some(identity.account).filter(|a| !a.is_empty()),
            regions: regions(home.as_deref()),
            default_region: home,
            capabilities: Vec::new(),
        };
        let cloud = Self {
            account,
            clients: FleetClients::from_config(config.clone()),
            cloudwatch: Some(PerRegion::from_config(config.clone(), |c| {
                aws_sdk_cloudwatch::Client::new(c)
            })),
            logs: Some(PerRegion::from_config(config.clone(), |c| {
                aws_sdk_cloudwatchlogs::Client::new(c)
            })),
            cloudtrail: Some(PerRegion::from_config(config.clone(), |c| {
                aws_sdk_cloudtrail::Client::new(c)
            })),
            pricing: Some(aws_sdk_pricing::Client::from_conf(
                aws_sdk_pricing::config::Builder::from(&config)
                    .region(Region::new(crate::pricing::PRICING_REGION))
                    .build(),
            )),
            free_tier: Some(aws_sdk_freetier::Client::from_conf(
                aws_sdk_freetier::config::Builder::from(&config)
                    .region(Region::new(crate::pricing::PRICING_REGION))
                    .build(),
            )),
            config: Some(config),
            options: FleetOptions::default(),
            listed_in: Mutex::default(),
        };
        Ok(cloud.with_capabilities())
    }

    /// An account listed through clients the caller made (for an emulator, or mocked in
    /// tests). It cannot open sessions, which need the profile's whole config.
    pub fn with_clients(account: AccountContext, clients: FleetClients) -> Self {
        Self {
            account,
            config: None,
            clients,
            options: FleetOptions::default(),
            listed_in: Mutex::default(),
            cloudwatch: None,
            logs: None,
            cloudtrail: None,
            pricing: None,
            free_tier: None,
        }
        .with_capabilities()
    }

    /// Adds Price List and Free Tier clients to an account made from ready-made ones.
    pub fn with_billing(
        mut self,
        pricing: aws_sdk_pricing::Client,
        free_tier: aws_sdk_freetier::Client,
    ) -> Self {
        self.pricing = Some(pricing);
        self.free_tier = Some(free_tier);
        self.with_capabilities()
    }

    pub(crate) fn pricing_client(&self) -> Result<aws_sdk_pricing::Client, AppError> {
        self.pricing
            .clone()
            .ok_or_else(|| AppError::new(ErrorCode::Unsupported, "no Price List client"))
    }

    pub(crate) fn free_tier_client(&self) -> Result<aws_sdk_freetier::Client, AppError> {
        self.free_tier
            .clone()
            .ok_or_else(|| AppError::new(ErrorCode::Unsupported, "no Free Tier client"))
    }

    pub fn with_options(mut self, options: FleetOptions) -> Self {
        self.options = options;
        self
    }

    /// Adds CloudWatch clients (alarms and metrics) to an account made from ready-made ones.
    pub fn with_cloudwatch(mut self, clients: PerRegion<aws_sdk_cloudwatch::Client>) -> Self {
        self.cloudwatch = Some(clients);
        self.with_capabilities()
    }

    /// Adds CloudWatch Logs clients to an account made from ready-made ones.
    pub fn with_logs(mut self, clients: PerRegion<aws_sdk_cloudwatchlogs::Client>) -> Self {
        self.logs = Some(clients);
        self.with_capabilities()
    }

    /// Adds CloudTrail clients to an account made from ready-made ones.
    pub fn with_cloudtrail(mut self, clients: PerRegion<aws_sdk_cloudtrail::Client>) -> Self {
        self.cloudtrail = Some(clients);
        self.with_capabilities()
    }

    /// Says in the account's context what it can do, from what it hands out.
    fn with_capabilities(mut self) -> Self {
        self.account.capabilities = capabilities_of(&self);
        self
    }

    /// Checks that `region` is a region code (a request from the UI names it).
    pub(crate) fn check_region(region: &str) -> Result<(), AppError> {
        if is_region_code(region) {
            Ok(())
        } else {
            Err(AppError::invalid_input(format!(
                "`{region}` is not a region code"
            )))
        }
    }

    /// The clients of `region`, which must be a region code (a request from the UI names it).
    pub(crate) fn regional(&self, region: &str) -> Result<crate::fleet::RegionClients, AppError> {
        Self::check_region(region)?;
        Ok(self.clients.region(region))
    }

    /// The regions `scope` names (each once), or all of the account's when it names none.
    fn scope_regions(&self, scope: &FleetScope) -> Result<Vec<String>, AppError> {
        if scope.regions.is_empty() {
            return Ok(self.account.regions.clone());
        }
        let mut regions: Vec<String> = Vec::new();
        for region in &scope.regions {
            if !is_region_code(region) {
                return Err(AppError::invalid_input(format!(
                    "`{region}` is not a region code (such as ap-northeast-1)"
                )));
            }
            if !regions.contains(region) {
                regions.push(region.clone());
            }
        }
        Ok(regions)
    }
}

/// `home` first, then the standard commercial regions.
fn regions(home: Option<&str>) -> Vec<String> {
    home.into_iter()
        .chain(KNOWN_REGIONS.iter().copied().filter(|r| Some(*r) != home))
        .map(str::to_owned)
        .collect()
}

impl Cloud for AwsCloud {
    fn account(&self) -> &AccountContext {
        &self.account
    }

    fn fleet(&self) -> Option<&dyn Fleet> {
        Some(self)
    }
    fn sessions(&self) -> Option<&dyn Sessions> {
        // Sessions need the profile's whole config (credentials on every dial).
        self.config.as_ref().map(|_| self as &dyn Sessions)
    }
    fn metrics(&self) -> Option<&dyn Metrics> {
        self.cloudwatch.as_ref().map(|_| self as &dyn Metrics)
    }
    fn logs(&self) -> Option<&dyn Logs> {
        self.logs.as_ref().map(|_| self as &dyn Logs)
    }
    fn trail(&self) -> Option<&dyn Trail> {
        self.cloudtrail.as_ref().map(|_| self as &dyn Trail)
    }
    fn automation(&self) -> Option<&dyn Automation> {
        Some(self)
    }
    fn run_command(&self) -> Option<&dyn RunCommand> {
        Some(self)
    }
    fn readiness(&self) -> Option<&dyn Readiness> {
        Some(self)
    }
    fn remediation(&self) -> Option<&dyn Remediation> {
        Some(self)
    }
    fn change_control(&self) -> Option<&dyn ChangeControl> {
        Some(self)
    }
    fn billing(&self) -> Option<&dyn Billing> {
        self.pricing.as_ref().map(|_| self as &dyn Billing)
    }
    fn ops_center(&self) -> Option<&dyn OpsCenter> {
        Some(self)
    }
}

#[async_trait]
impl Fleet for AwsCloud {
    async fn list_fleet(&self, scope: &FleetScope) -> Result<FleetSnapshot, AppError> {
        let regions = self.scope_regions(scope)?;
        let snapshot = fleet::list(
            &self.clients,
            &regions,
            self.account.account_id.as_deref(),
            &self.options,
        )
        .await;
        let mut listed_in = self
            .listed_in
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for instance in &snapshot.instances {
            listed_in.insert(instance.id.clone(), instance.region.clone());
        }
        Ok(snapshot)
    }
}

#[async_trait]
impl Sessions for AwsCloud {
    async fn open_shell(&self, instance_id: &str) -> Result<OpenedShell, AppError> {
        let config = self.session_config(instance_id)?;
        crate::ssm_session::open_shell(&config, instance_id).await
    }

    async fn open_tunnel(
        &self,
        target: &TunnelTarget,
        listener: tokio::net::TcpListener,
    ) -> Result<OpenedTunnel, AppError> {
        let config = self.session_config(&target.instance_id)?;
        crate::ssm_session::open_tunnel(&config, target, listener).await
    }
}

#[async_trait]
impl Readiness for AwsCloud {
    async fn instance_facts(&self, instance_id: &str) -> Result<ReadinessFacts, AppError> {
        // Where the instance was last listed, else the profile's own region (as the AWS CLI).
        let listed_in = self
            .listed_in
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(instance_id)
            .cloned();
        let region = listed_in
            .or_else(|| self.account.default_region.clone())
            .ok_or_else(|| AppError::invalid_input("the profile has no region; name one"))?;
        let clients = crate::readiness::ReadinessClients::of(&self.clients, self.config.as_ref());
        crate::readiness::instance(&clients, &region, instance_id).await
    }

    async fn region_facts(&self, region: &str) -> Result<Vec<ReadinessFacts>, AppError> {
        self.regional(region)?;
        let clients = crate::readiness::ReadinessClients::of(&self.clients, self.config.as_ref());
        crate::readiness::gather(&clients, region, None).await
    }
}

impl AwsCloud {
    /// The profile's config in the region `instance_id` was last listed in, for its
    /// sessions. An instance not listed yet is looked for in the profile's own region, as
    /// the AWS CLI would.
    pub fn session_config(&self, instance_id: &str) -> Result<SdkConfig, AppError> {
        let Some(config) = &self.config else {
            return Err(AppError::new(
                ErrorCode::Unsupported,
                "this account was opened from ready-made clients, which cannot start sessions",
            ));
        };
        let listed_in = self
            .listed_in
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(instance_id)
            .cloned();
        Ok(match listed_in {
            Some(region) => config.to_builder().region(Region::new(region)).build(),
            None => config.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profiles_region_comes_first_once() {
        let listed = regions(Some("eu-west-1"));
        assert_eq!(listed[0], "eu-west-1");
        assert_eq!(listed.iter().filter(|r| *r == "eu-west-1").count(), 1);
        assert_eq!(listed.len(), KNOWN_REGIONS.len());
        let far = regions(Some("af-south-1"));
        assert_eq!(far[0], "af-south-1");
        assert_eq!(far.len(), KNOWN_REGIONS.len() + 1);
        assert_eq!(regions(None).len(), KNOWN_REGIONS.len());
    }

    fn offline_account() -> AwsCloud {
        let account = AccountContext {
            id: "profile:test".into(),
            kind: AccountKind::Profile,
            account_id: None,
            regions: vec!["eu-west-1".into()],
            default_region: Some("eu-west-1".into()),
            capabilities: Vec::new(),
        };
        // Clients that are never called: the test only asks what the account hands out.
        let config = SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(Region::new("eu-west-1"))
            .build();
        let fleet = FleetClients::from_config(config);
        AwsCloud::with_clients(account, fleet)
    }

    #[test]
    fn logs_and_trail_are_capabilities_only_with_their_clients() {
        use unyo_core::cloud::Capability;
        let config = SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        let bare = offline_account();
        let caps = &bare.account().capabilities;
        assert!(!caps.contains(&Capability::Logs) && !caps.contains(&Capability::Trail));
        assert!(bare.logs().is_none() && bare.trail().is_none());

        let logs_only = offline_account().with_logs(PerRegion::from_config(config.clone(), |c| {
            aws_sdk_cloudwatchlogs::Client::new(c)
        }));
        let caps = &logs_only.account().capabilities;
        assert!(caps.contains(&Capability::Logs) && !caps.contains(&Capability::Trail));

        let both = offline_account()
            .with_logs(PerRegion::from_config(config.clone(), |c| {
                aws_sdk_cloudwatchlogs::Client::new(c)
            }))
            .with_cloudtrail(PerRegion::from_config(config.clone(), |c| {
                aws_sdk_cloudtrail::Client::new(c)
            }))
            .with_billing(
                aws_sdk_pricing::Client::new(&config),
                aws_sdk_freetier::Client::new(&config),
            );
        let caps = &both.account().capabilities;
        assert!(caps.contains(&Capability::Logs) && caps.contains(&Capability::Trail));
        assert!(both.logs().is_some() && both.trail().is_some());
    }

    #[test]
    fn the_adapter_pins_its_capability_set() {
        use unyo_core::cloud::Capability as C;
        let config = SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        // Ready-made clients cannot open sessions (they need the profile's whole config), and
        // the incident tools come only with the clients given.
        assert_eq!(
            offline_account().account().capabilities,
            [
                C::Fleet,
                C::Automation,
                C::RunCommand,
                C::Readiness,
                C::Remediation,
                C::ChangeControl,
                C::OpsCenter
            ]
        );
        let full = offline_account()
            .with_cloudwatch(PerRegion::from_config(config.clone(), |c| {
                aws_sdk_cloudwatch::Client::new(c)
            }))
            .with_logs(PerRegion::from_config(config.clone(), |c| {
                aws_sdk_cloudwatchlogs::Client::new(c)
            }))
            .with_cloudtrail(PerRegion::from_config(config.clone(), |c| {
                aws_sdk_cloudtrail::Client::new(c)
            }))
            .with_billing(
                aws_sdk_pricing::Client::new(&config),
                aws_sdk_freetier::Client::new(&config),
            );
        assert_eq!(
            full.account().capabilities,
            [
                C::Fleet,
                C::Metrics,
                C::Logs,
                C::Trail,
                C::Automation,
                C::RunCommand,
                C::Readiness,
                C::Remediation,
                C::ChangeControl,
                C::Billing,
                C::OpsCenter
            ]
        );
    }
}
