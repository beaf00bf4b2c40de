//! A real AWS account behind the [`Cloud`] port: one profile, any of its regions. The screens
//! talk to it exactly as to the practice account.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use async_trait::async_trait;
use aws_config::{Region, SdkConfig};
use unyo_core::automation::{AutomationExecution, StartAutomationRequest};
use unyo_core::readiness::{ActionStarted, ReadinessAction};
use unyo_core::region::{KNOWN_REGIONS, is_region_code};
use unyo_core::run_command::{CommandExecution, SendCommandRequest};
use unyo_core::session::OpenedShell;
use unyo_core::tunnel::{OpenedTunnel, TunnelTarget};
use unyo_core::{
    AccountContext, AccountKind, AppError, Cloud, ErrorCode, FleetScope, FleetSnapshot,
};

use crate::fleet::{self, FleetClients, FleetOptions};
use crate::profiles::ProfileResolver;

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
}

impl AwsCloud {
    /// Connects to `profile`: resolves its credentials (failing with what they need first,
    /// such as an MFA code or an IAM Identity Center sign-in) and asks STS for the account,
    /// which proves they work. The profile's region is listed first and is the default.
    pub async fn connect(profiles: &ProfileResolver, profile: &str) -> Result<Self, AppError> {
        let config = profiles.sdk_config(profile, None).await?;
        let identity = crate::identity::caller_identity(&config, profile.to_owned()).await?;
        let home = config.region().map(ToString::to_string);
        let account = AccountContext {
            id: format!("profile:{profile}"),
            kind: AccountKind::Profile,
            account_id: Some(identity.account).filter(|a| !a.is_empty()),
            regions: regions(home.as_deref()),
            default_region: home,
        };
        Ok(Self {
            account,
            clients: FleetClients::from_config(config.clone()),
            config: Some(config),
            options: FleetOptions::default(),
            listed_in: Mutex::default(),
        })
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
        }
    }

    pub fn with_options(mut self, options: FleetOptions) -> Self {
        self.options = options;
        self
    }

    /// The clients of `region`, which must be a region code (a request from the UI names it).
    fn regional(&self, region: &str) -> Result<crate::fleet::RegionClients, AppError> {
        if !is_region_code(region) {
            return Err(AppError::invalid_input(format!(
                "`{region}` is not a region code"
            )));
        }
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

#[async_trait]
impl Cloud for AwsCloud {
    fn account(&self) -> &AccountContext {
        &self.account
    }

    async fn readiness(
        &self,
        instance_id: &str,
    ) -> Result<unyo_core::readiness::ReadinessReport, AppError> {
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

    async fn region_readiness(
        &self,
        region: &str,
    ) -> Result<unyo_core::readiness::RegionReadiness, AppError> {
        self.regional(region)?;
        let clients = crate::readiness::ReadinessClients::of(&self.clients, self.config.as_ref());
        crate::readiness::region(&clients, region).await
    }

    async fn start_automation(&self, request: &StartAutomationRequest) -> Result<String, AppError> {
        let clients = self.regional(&request.region)?;
        crate::automation::start(&clients.ssm, request).await
    }

    async fn get_automation_execution(
        &self,
        region: &str,
        execution_id: &str,
    ) -> Result<AutomationExecution, AppError> {
        let clients = self.regional(region)?;
        crate::automation::get(&clients.ssm, region, execution_id).await
    }

    async fn send_command(&self, request: &SendCommandRequest) -> Result<String, AppError> {
        let clients = self.regional(&request.region)?;
        crate::run_command::send(&clients.ssm, request).await
    }

    async fn get_command(
        &self,
        region: &str,
        command_id: &str,
    ) -> Result<CommandExecution, AppError> {
        let clients = self.regional(region)?;
        crate::run_command::get(&clients.ssm, region, command_id).await
    }

    async fn apply_readiness_action(
        &self,
        action: &ReadinessAction,
    ) -> Result<ActionStarted, AppError> {
        let clients = self.regional(action.region())?;
        crate::doctor_fixes::apply(&clients, action).await
    }

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
}
