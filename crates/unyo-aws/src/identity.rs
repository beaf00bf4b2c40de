//! Who a profile is: STS GetCallerIdentity, which needs no permissions and works in every
//! account, so it is the first proof that a profile's credentials work.

use serde::Serialize;
use ts_rs::TS;
use unyo_core::AppError;

use aws_config::SdkConfig;

use crate::sdk::{ConfigRequest, load};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CallerIdentity {
    /// The profile the SDK used (`default` when none was named).
    pub profile: String,
    pub region: Option<String>,
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

/// GetCallerIdentity for `request`, resolved by the SDK alone (no Unyo profiles, no MFA).
pub async fn whoami(request: &ConfigRequest) -> Result<CallerIdentity, AppError> {
    let config = load(request).await;
    let profile = request
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok())
        .unwrap_or_else(|| "default".to_owned());
    caller_identity(&config, profile).await
}

/// GetCallerIdentity with `config`'s credentials; STS answers in every region, so one is
/// picked when the config has none.
pub async fn caller_identity(
    config: &SdkConfig,
    profile: String,
) -> Result<CallerIdentity, AppError> {
    let region = config.region().map(ToString::to_string);
    let sts_config = aws_sdk_sts::config::Builder::from(config)
        .region(
            config
                .region()
                .cloned()
                .or(Some(aws_config::Region::from_static("us-east-1"))),
        )
        .build();
    let out = aws_sdk_sts::Client::from_conf(sts_config)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| crate::from_sdk(&e))?;
    Ok(CallerIdentity {
        profile,
        region,
        account: out.account().unwrap_or_default().to_owned(),
        arn: out.arn().unwrap_or_default().to_owned(),
        user_id: out.user_id().unwrap_or_default().to_owned(),
    })
}
