//! Which account a command works on, resolved the same way by every command: the practice
//! account, a named profile (the shared AWS files or Unyo's own), or, with no profile named,
//! `AWS_PROFILE`, the `default` profile, and failing those the SDK's default credential
//! chain (environment variables, web identity, container or instance role), as the AWS CLI
//! finds credentials.

use std::sync::Arc;

use clap::Args;
use unyo_aws::cloud::AwsCloud;
use unyo_core::cloud::AccountId;
use unyo_core::{AccountKind, AppError, Cloud, ErrorCode};
use unyo_practice::PracticeCloud;

use crate::resolver;

/// The account options every command takes (`#[command(flatten)]`).
#[derive(Debug, Clone, Default, Args)]
pub struct AccountArgs {
    /// Use the practice account (simulated, offline, free).
    #[arg(long, conflicts_with_all = ["profiles", "endpoint_url"])]
    pub practice: bool,
    /// The AWS profile; AWS_PROFILE or `default` when not given, else the SDK's default
    /// credentials (environment, container or instance role). `fleet` takes several.
    #[arg(long = "profile", value_name = "PROFILE")]
    pub profiles: Vec<String>,
    /// The region (repeatable where a command reads several); the profile's own when not
    /// given, and every region of the practice account.
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Send every call to this endpoint instead of AWS (a local emulator).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

impl AccountArgs {
    /// The one region a single-region command works in, if one was named.
    pub fn region(&self) -> Result<Option<&str>, AppError> {
        match self.regions.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            _ => Err(AppError::invalid_input(
                "this command works in one region; give --region once",
            )),
        }
    }
}

/// The accounts the arguments name, each once: the practice account, the profiles given,
/// else the one the AWS CLI would use.
pub fn ids(args: &AccountArgs) -> Result<Vec<AccountId>, AppError> {
    if args.practice {
        return Ok(vec![AccountId::Practice]);
    }
    let mut ids: Vec<AccountId> = Vec::new();
    for name in &args.profiles {
        let id = AccountId::Profile(name.clone());
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        let profiles = resolver::open(args.endpoint_url.clone())?;
        ids.push(match profiles.list().default_profile {
            Some(name) => AccountId::Profile(name),
            None => AccountId::Default,
        });
    }
    Ok(ids)
}

/// The one account the arguments name, connected; its home region is `--region` when given.
pub async fn open(args: &AccountArgs) -> Result<Arc<dyn Cloud>, AppError> {
    match ids(args)?.as_slice() {
        [id] => connect(id, args).await.map(Arc::from),
        _ => Err(AppError::invalid_input(
            "this command works on one account; give --profile once",
        )),
    }
}

/// Connects `id`. A profile's credentials are checked with STS here, so one that needs an
/// MFA code or a sign-in says so before anything else runs.
pub async fn connect(id: &AccountId, args: &AccountArgs) -> Result<Box<dyn Cloud>, AppError> {
    Ok(match id {
        AccountId::Practice => Box::new(PracticeCloud::new()),
        _ => Box::new(connect_aws(id, args).await?),
    })
}

/// Connects an AWS account (a profile or the default chain), concrete, for what lies beside
/// the Cloud port (the SSH proxy's direct stream).
pub async fn connect_aws(id: &AccountId, args: &AccountArgs) -> Result<AwsCloud, AppError> {
    let region = args.regions.first().map(String::as_str);
    match id {
        AccountId::Profile(name) => {
            let profiles = resolver::open(args.endpoint_url.clone())?;
            let config = profiles
                .sdk_config(name, region)
                .await
                .map_err(|err| mfa_hint(err, name))?;
            AwsCloud::connect_with(id.to_string(), config).await
        }
        AccountId::Default => {
            AwsCloud::connect_default(args.endpoint_url.clone(), region)
                .await
                .map_err(|err| match err.code {
                    ErrorCode::CredentialsInvalid => AppError::new(
                        err.code,
                        format!(
                            "no profile given, AWS_PROFILE is not set and there is no `default` profile, \
                             and {}; name one with --profile, or try --practice",
                            err.message
                        ),
                    ),
                    _ => err,
                })
        }
        AccountId::Practice => Err(AppError::invalid_input(
            "the practice account is not an AWS account",
        )),
    }
}

/// The regions a command reads: `--region` when given, every region of the practice
/// account, else the account's own.
pub fn regions(cloud: &dyn Cloud, args: &AccountArgs) -> Vec<String> {
    if !args.regions.is_empty() {
        args.regions.clone()
    } else if cloud.account().kind == AccountKind::Practice {
        cloud.account().regions.clone()
    } else {
        cloud.account().default_region.clone().into_iter().collect()
    }
}

/// The session a code opens is kept, so entering it once through whoami is enough.
fn mfa_hint(err: AppError, profile: &str) -> AppError {
    match err.code {
        ErrorCode::MfaRequired => AppError::new(
            err.code,
            format!(
                "{}; enter a code once with `unyo whoami --profile {profile}`, then run this again",
                err.message
            ),
        ),
        _ => err,
    }
}
