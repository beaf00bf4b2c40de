//! The accounts and roles a signed-in user may use (SSO portal ListAccounts and
//! ListAccountRoles, every page), for choosing or creating profiles.

use aws_sdk_sso::Client;
use aws_sdk_sso::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sso::operation::list_account_roles::ListAccountRolesError;
use aws_sdk_sso::operation::list_accounts::ListAccountsError;
use aws_sdk_sso::types::AccountInfo;
use futures_util::{StreamExt, TryStreamExt};
use unyo_core::AppError;
use unyo_core::secret::{ExposeSecret, SecretString};

use super::oidc::sign_in_again;
use super::{AccountRole, SsoSession, SsoSignIn};

/// ListAccountRoles calls in flight at once: an organization's dozens of accounts list in a
/// few round trips, while staying well under the portal's request rate.
const PARALLEL: usize = 4;

/// Every role in every account the session's user may use, sorted by account name and role.
/// Uses the cached token, refreshed first if it has expired and can be; without one the error
/// is `CredentialsExpired`, asking the user to sign in again.
pub async fn list_account_roles(
    sign_in: &SsoSignIn,
    session: &SsoSession,
) -> Result<Vec<AccountRole>, AppError> {
    let token = sign_in.access_token(session).await?;
    let client = sign_in.portal(&session.region).await;
    let accounts: Vec<AccountInfo> = client
        .list_accounts()
        .access_token(token.expose_secret())
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| portal_error(&e, ListAccountsError::is_unauthorized_exception, session))?;
    let per_account: Vec<Vec<AccountRole>> = futures_util::stream::iter(accounts)
        .map(|account| roles_in(&client, &token, account, session))
        .buffered(PARALLEL)
        .try_collect()
        .await?;
    let mut roles: Vec<AccountRole> = per_account.into_iter().flatten().collect();
    roles.sort_by(|a, b| {
        (&a.account_name, &a.account_id, &a.role_name).cmp(&(
            &b.account_name,
            &b.account_id,
            &b.role_name,
        ))
    });
    Ok(roles)
}

async fn roles_in(
    client: &Client,
    token: &SecretString,
    account: AccountInfo,
    session: &SsoSession,
) -> Result<Vec<AccountRole>, AppError> {
    let account_id = account.account_id.unwrap_or_default();
    let roles = client
        .list_account_roles()
        .access_token(token.expose_secret())
        .account_id(&account_id)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| {
            portal_error(
                &e,
                ListAccountRolesError::is_unauthorized_exception,
                session,
            )
        })?;
    Ok(roles
        .into_iter()
        .filter_map(|role| role.role_name)
        .map(|role_name| AccountRole {
            account_id: account_id.clone(),
            account_name: account
                .account_name
                .clone()
                .unwrap_or_else(|| account_id.clone()),
            email: account.email_address.clone(),
            role_name,
        })
        .collect())
}

/// The portal answers `UnauthorizedException` for a token it no longer accepts (signed out in
/// the browser, session ended early); signing in again is the fix.
fn portal_error<E, R>(
    err: &SdkError<E, R>,
    unauthorized: impl Fn(&E) -> bool,
    session: &SsoSession,
) -> AppError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    if err.as_service_error().is_some_and(unauthorized) {
        sign_in_again(session)
    } else {
        crate::from_sdk(err)
    }
}
