//! Credentials for profiles created in Unyo: keys read from the keychain when a config is
//! built, roles assumed on top of any other profile, IAM Identity Center roles through the
//! SDK's SSO provider (which shares the AWS CLI's token cache).

use aws_config::sso::SsoCredentialsProvider;
use aws_config::sts::AssumeRoleProvider;
use aws_config::{Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use unyo_core::aws_files::ProfileDiscovery;
use unyo_core::secret::{ExposeSecret, decode_keys, keys_item};
use unyo_core::unyo_profiles::{UnyoCredentials, UnyoProfile, UnyoProfiles};
use unyo_core::{AppError, ErrorCode};

use super::ProfileResolver;
use super::mfa::{self, MfaRole};

pub(super) async fn config(
    resolver: &ProfileResolver,
    unyo: &UnyoProfiles,
    files: &ProfileDiscovery,
    profile: &UnyoProfile,
    region: Option<&str>,
) -> Result<SdkConfig, AppError> {
    let region = region.or(profile.region.as_deref());
    match &profile.credentials {
        UnyoCredentials::AccessKeys { .. } => {
            let Some(secret) = resolver.secrets().get(&keys_item(&profile.name))? else {
                return Err(AppError::new(
                    ErrorCode::CredentialsInvalid,
                    format!(
                        "the keys of profile `{}` are no longer in the keychain; delete the profile and add its keys again",
                        profile.name
                    ),
                ));
            };
            let keys = decode_keys(&secret)?;
            let credentials = Credentials::new(
                keys.access_key_id,
                keys.secret_access_key.expose_secret().to_owned(),
                None,
                None,
                "unyo-keychain",
            );
            Ok(resolver
                .config_with(SharedCredentialsProvider::new(credentials), region)
                .await)
        }
        UnyoCredentials::AssumeRole {
            source_profile,
            role_arn,
            external_id,
            duration_seconds,
            ..
        } => {
            if let Some(role) = MfaRole::from_unyo(profile) {
                return mfa::config(resolver, &role, region).await;
            }
            let source = Box::pin(resolver.sdk_config(source_profile, region)).await?;
            let Some(source_credentials) = source.credentials_provider() else {
                return Err(AppError::new(
                    ErrorCode::CredentialsInvalid,
                    format!("profile `{source_profile}` gives no credentials"),
                ));
            };
            let mut builder = AssumeRoleProvider::builder(role_arn)
                .session_name(format!("unyo-{}", profile.name))
                .configure(&source);
            if let Some(id) = external_id {
                builder = builder.external_id(id);
            }
            if let Some(seconds) = duration_seconds {
                builder = builder.session_length(std::time::Duration::from_secs((*seconds).into()));
            }
            let provider = builder.build_from_provider(source_credentials).await;
            Ok(resolver
                .config_with(SharedCredentialsProvider::new(provider), region)
                .await)
        }
        UnyoCredentials::IdentityCenter {
            sso_session,
            account_id,
            role_name,
        } => {
            let session = unyo
                .sso_session(sso_session)
                .or_else(|| files.sso_session(sso_session))
                .ok_or_else(|| {
                    AppError::new(
                        ErrorCode::CredentialsInvalid,
                        format!(
                            "profile `{}` signs in through IAM Identity Center session `{sso_session}`, which no longer exists",
                            profile.name
                        ),
                    )
                })?;
            let (Some(start_url), Some(sso_region)) = (&session.start_url, &session.region) else {
                return Err(AppError::new(
                    ErrorCode::CredentialsInvalid,
                    format!(
                        "IAM Identity Center session `{sso_session}` needs sso_start_url and sso_region"
                    ),
                ));
            };
            let provider = SsoCredentialsProvider::builder()
                .configure(&aws_config::provider_config::ProviderConfig::default())
                .account_id(account_id)
                .role_name(role_name)
                .start_url(start_url)
                .session_name(sso_session)
                .region(Region::new(sso_region.clone()))
                .build();
            Ok(resolver
                .config_with(SharedCredentialsProvider::new(provider), region)
                .await)
        }
    }
}
