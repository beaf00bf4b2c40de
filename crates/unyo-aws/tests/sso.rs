//! IAM Identity Center sign-in against `aws-smithy-mocks` clients: the device flow and its
//! answers, one flow shared by concurrent callers, refresh, status, and account listing.
//! Time is tokio's paused clock for waits and a fixed instant for expiry dates.
#![allow(clippy::unwrap_used, reason = "tests fail loudly")]

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_sso::operation::list_account_roles::ListAccountRolesOutput;
use aws_sdk_sso::operation::list_accounts::{ListAccountsError, ListAccountsOutput};
use aws_sdk_sso::types::{AccountInfo, RoleInfo};
use aws_sdk_ssooidc::operation::create_token::{CreateTokenError, CreateTokenOutput};
use aws_sdk_ssooidc::operation::register_client::RegisterClientOutput;
use aws_sdk_ssooidc::operation::start_device_authorization::{
    StartDeviceAuthorizationError, StartDeviceAuthorizationOutput,
};
use aws_sdk_ssooidc::types::error as oidc_errors;
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_types::body::SdkBody;
use serde_json::{Value, json};
use tempfile::TempDir;
use unyo_aws::sso::{
    AccountRole, SsoClients, SsoSession, SsoSignIn, TokenCache, TokenStatus, list_account_roles,
};
use unyo_core::ErrorCode;

const START_URL: &str = "https://d-9067642ac7.awsapps.com/start";
/// 2027-01-15T08:00:00Z.
const NOW: u64 = 1_800_000_000;

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

fn corp() -> SsoSession {
    SsoSession::named("corp", START_URL, "eu-west-1")
}

/// A sign-in over mocked OIDC and portal clients, with its cache in a scratch directory.
struct World {
    dir: TempDir,
    sign_in: SsoSignIn,
}

impl World {
    fn new(oidc_rules: &[&Rule], portal_rules: &[&Rule]) -> Self {
        let oidc = mock_client!(aws_sdk_ssooidc, RuleMode::MatchAny, oidc_rules, |c| c
            .http_client(slow_http()));
        let portal = mock_client!(aws_sdk_sso, RuleMode::MatchAny, portal_rules);
        let dir = TempDir::new().unwrap();
        let clients = SsoClients::from_fn(move |_| oidc.clone(), move |_| portal.clone());
        let sign_in = SsoSignIn::with_clients(TokenCache::at(dir.path().join("cache")), clients)
            .with_clock(now);
        Self { dir, sign_in }
    }

    fn token_file(&self, session: &SsoSession) -> PathBuf {
        self.sign_in.cache().token_path(session)
    }

    fn read_token(&self, session: &SsoSession) -> Value {
        serde_json::from_slice(&std::fs::read(self.token_file(session)).unwrap()).unwrap()
    }

    /// The AWS CLI's token file for `corp`, changed by `edit`.
    fn write_cli_token(&self, edit: impl FnOnce(&mut Value)) {
        let mut token: Value =
            serde_json::from_str(include_str!("fixtures/sso/aws-cli-token.json")).unwrap();
        edit(&mut token);
        let path = self.token_file(&corp());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, token.to_string()).unwrap();
    }
}

/// Every mocked OIDC call takes 100 ms (of tokio's paused clock), so concurrent callers
/// really overlap. The mock interceptor replaces the empty answer with the rule's.
fn slow_http() -> SharedHttpClient {
    #[derive(Debug)]
    struct Slow;
    impl HttpConnector for Slow {
        fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
            HttpConnectorFuture::new(async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                Ok(HttpResponse::new(200.try_into().unwrap(), SdkBody::empty()))
            })
        }
    }
    http_client_fn(|_, _| SharedHttpConnector::new(Slow))
}

fn register() -> Rule {
    mock!(aws_sdk_ssooidc::Client::register_client)
        .match_requests(|r| {
            r.client_type() == Some("public") && r.scopes() == ["sso:account:access"]
        })
        .then_output(|| {
            RegisterClientOutput::builder()
                .client_id("client-1")
                .client_secret("client-secret-1")
                .client_secret_expires_at(NOW as i64 + 90 * 86_400)
                .build()
        })
}

fn device_authorization() -> Rule {
    mock!(aws_sdk_ssooidc::Client::start_device_authorization)
        .match_requests(|r| r.client_id() == Some("client-1") && r.start_url() == Some(START_URL))
        .then_output(authorization_output)
}

fn authorization_output() -> StartDeviceAuthorizationOutput {
    StartDeviceAuthorizationOutput::builder()
        .device_code("device-1")
        .user_code("ABCD-EFGH")
        .verification_uri("https://device.sso.eu-west-1.amazonaws.com/")
        .verification_uri_complete(
            "https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH",
        )
        .expires_in(600)
        .interval(1)
        .build()
}

fn issued_token() -> CreateTokenOutput {
    CreateTokenOutput::builder()
        .access_token("access-1")
        .refresh_token("refresh-1")
        .token_type("Bearer")
        .expires_in(8 * 3600)
        .build()
}

/// CreateToken with the device code: `answers` in order, then the token.
fn device_token(answers: Vec<fn() -> CreateTokenError>) -> Rule {
    let mut sequence = mock!(aws_sdk_ssooidc::Client::create_token)
        .match_requests(|r| {
            r.grant_type() == Some("urn:ietf:params:oauth:grant-type:device_code")
                && r.device_code() == Some("device-1")
                && r.client_secret() == Some("client-secret-1")
        })
        .sequence();
    for answer in answers {
        sequence = sequence.error(answer);
    }
    sequence.output(issued_token).build()
}

fn pending() -> CreateTokenError {
    CreateTokenError::AuthorizationPendingException(
        oidc_errors::AuthorizationPendingException::builder().build(),
    )
}

fn slow_down() -> CreateTokenError {
    CreateTokenError::SlowDownException(oidc_errors::SlowDownException::builder().build())
}

#[tokio::test(start_paused = true)]
async fn the_device_flow_writes_the_token_file_the_aws_cli_writes() {
    let (reg, auth, token) = (register(), device_authorization(), device_token(vec![]));
    let world = World::new(&[&reg, &auth, &token], &[]);

    let authorization = world.sign_in.start(&corp()).await.unwrap();
    assert_eq!(authorization.user_code, "ABCD-EFGH");
    assert_eq!(authorization.expires_at, "2027-01-15T08:10:00Z");
    let status = world.sign_in.finish(&corp()).await.unwrap();

    let expected_expiry = "2027-01-15T16:00:00Z";
    assert_eq!(
        status,
        TokenStatus::SignedIn {
            expires_at: expected_expiry.into()
        }
    );
    assert_eq!(world.sign_in.status(&corp()), status);
    let file = world.read_token(&corp());
    assert_eq!(
        file,
        json!({
            "startUrl": START_URL,
            "region": "eu-west-1",
            "accessToken": "access-1",
            "expiresAt": expected_expiry,
            "clientId": "client-1",
            "clientSecret": "client-secret-1",
            "registrationExpiresAt": "2027-04-15T08:00:00Z",
            "refreshToken": "refresh-1",
        })
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(world.token_file(&corp()))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let registration: Value = serde_json::from_slice(
        &std::fs::read(world.sign_in.cache().registration_path(&corp())).unwrap(),
    )
    .unwrap();
    assert_eq!(
        registration,
        json!({
            "clientId": "client-1",
            "clientSecret": "client-secret-1",
            "expiresAt": "2027-04-15T08:00:00Z",
            "scopes": ["sso:account:access"],
        })
    );
    // Nothing but the two files (no temp file left behind).
    assert_eq!(
        std::fs::read_dir(world.dir.path().join("cache"))
            .unwrap()
            .count(),
        2
    );
}

#[tokio::test(start_paused = true)]
async fn authorization_pending_polls_again_after_the_interval() {
    let (reg, auth) = (register(), device_authorization());
    let token = device_token(vec![pending, pending]);
    let world = World::new(&[&reg, &auth, &token], &[]);
    world.sign_in.start(&corp()).await.unwrap();

    let started = tokio::time::Instant::now();
    let status = world.sign_in.finish(&corp()).await.unwrap();

    assert!(matches!(status, TokenStatus::SignedIn { .. }));
    assert_eq!(token.num_calls(), 3);
    // Two 1 s intervals, plus 100 ms for each of the three calls.
    assert_eq!(started.elapsed(), Duration::from_millis(2_300));
}

#[tokio::test(start_paused = true)]
async fn slow_down_adds_five_seconds_to_the_interval() {
    let (reg, auth) = (register(), device_authorization());
    let token = device_token(vec![pending, slow_down, pending]);
    let world = World::new(&[&reg, &auth, &token], &[]);
    world.sign_in.start(&corp()).await.unwrap();

    let started = tokio::time::Instant::now();
    world.sign_in.finish(&corp()).await.unwrap();

    assert_eq!(token.num_calls(), 4);
    // 1 s, then 6 s twice (the slower interval stays), plus 4 × 100 ms calls.
    assert_eq!(started.elapsed(), Duration::from_millis(13_400));
}

#[tokio::test(start_paused = true)]
async fn a_code_never_approved_expires_and_the_next_sign_in_reuses_the_registration() {
    let (reg, auth) = (register(), device_authorization());
    let token = device_token(vec![pending, || {
        CreateTokenError::ExpiredTokenException(
            oidc_errors::ExpiredTokenException::builder().build(),
        )
    }]);
    let world = World::new(&[&reg, &auth, &token], &[]);
    world.sign_in.start(&corp()).await.unwrap();

    let err = world.sign_in.finish(&corp()).await.unwrap_err();

    assert_eq!(err.code, ErrorCode::CredentialsExpired);
    assert!(
        err.message.contains("expired before it was approved"),
        "{}",
        err.message
    );
    assert!(!world.token_file(&corp()).exists());
    assert_eq!(world.sign_in.status(&corp()), TokenStatus::SignedOut);

    world.sign_in.start(&corp()).await.unwrap();
    assert_eq!(auth.num_calls(), 2, "a new sign-in needs a new code");
    assert_eq!(
        reg.num_calls(),
        1,
        "but the cached registration is used again"
    );
}

#[tokio::test(start_paused = true)]
async fn a_sign_in_denied_in_the_browser_says_so() {
    let (reg, auth) = (register(), device_authorization());
    let token = device_token(vec![|| {
        CreateTokenError::AccessDeniedException(
            oidc_errors::AccessDeniedException::builder().build(),
        )
    }]);
    let world = World::new(&[&reg, &auth, &token], &[]);
    world.sign_in.start(&corp()).await.unwrap();

    let err = world.sign_in.finish(&corp()).await.unwrap_err();

    assert_eq!(err.code, ErrorCode::AccessDenied);
    assert!(
        err.message.contains("denied in the browser"),
        "{}",
        err.message
    );
    assert!(!world.token_file(&corp()).exists());
}

/// Regression test for the duplicate-tab bug of other tools (21 to 74 approval tabs per
/// expiry in one aws-vault report): parallel callers each started a device flow.
#[tokio::test(start_paused = true)]
async fn ten_concurrent_callers_share_one_device_authorization_and_one_poll() {
    let (reg, auth) = (register(), device_authorization());
    let token = device_token(vec![pending]);
    let world = World::new(&[&reg, &auth, &token], &[]);

    let callers: Vec<_> = (0..10)
        .map(|_| {
            let sign_in = world.sign_in.clone();
            tokio::spawn(async move {
                let authorization = sign_in.start(&corp()).await.unwrap();
                (authorization, sign_in.finish(&corp()).await)
            })
        })
        .collect();
    let mut results = Vec::new();
    for caller in callers {
        results.push(caller.await.unwrap());
    }

    assert_eq!(reg.num_calls(), 1);
    assert_eq!(auth.num_calls(), 1, "one code, one browser tab");
    assert_eq!(token.num_calls(), 2, "one poll: pending, then the token");
    let (first_authorization, first_outcome) = &results[0];
    assert!(matches!(first_outcome, Ok(TokenStatus::SignedIn { .. })));
    for (authorization, outcome) in &results {
        assert_eq!(authorization, first_authorization);
        assert_eq!(outcome, first_outcome);
    }
}

#[tokio::test(start_paused = true)]
async fn a_forgotten_cached_registration_is_replaced_once() {
    let reg = register();
    let auth = mock!(aws_sdk_ssooidc::Client::start_device_authorization)
        .sequence()
        .output(authorization_output)
        .error(|| {
            StartDeviceAuthorizationError::InvalidClientException(
                oidc_errors::InvalidClientException::builder().build(),
            )
        })
        .output(authorization_output)
        .build();
    let token = device_token(vec![]);
    let world = World::new(&[&reg, &auth, &token], &[]);
    world.sign_in.start(&corp()).await.unwrap();
    world.sign_in.finish(&corp()).await.unwrap();

    world.sign_in.start(&corp()).await.unwrap();

    assert_eq!(reg.num_calls(), 2);
    assert_eq!(auth.num_calls(), 3);
}

#[tokio::test]
async fn status_tells_fresh_expired_refreshable_and_missing_apart() {
    let world = World::new(&[], &[]);
    let status = || world.sign_in.status(&corp());
    assert_eq!(status(), TokenStatus::SignedOut, "no file");

    world.write_cli_token(|_| {});
    assert_eq!(
        status(),
        TokenStatus::SignedIn {
            expires_at: "2027-01-15T16:00:00Z".into()
        }
    );
    assert_eq!(
        serde_json::to_value(status()).unwrap(),
        json!({"state": "signedIn", "expiresAt": "2027-01-15T16:00:00Z"})
    );

    world.write_cli_token(|t| t["expiresAt"] = json!("2027-01-15T07:00:00Z"));
    assert_eq!(status(), TokenStatus::Refreshable);

    world.write_cli_token(|t| {
        t["expiresAt"] = json!("2027-01-15T07:00:00Z");
        t["registrationExpiresAt"] = json!("2027-01-01T00:00:00Z");
    });
    assert_eq!(status(), TokenStatus::SignedOut, "registration expired");

    world.write_cli_token(|t| {
        t["expiresAt"] = json!("2027-01-15T07:00:00Z");
        t.as_object_mut().unwrap().remove("refreshToken");
    });
    assert_eq!(
        status(),
        TokenStatus::SignedOut,
        "legacy token: no refresh token"
    );
}

fn refresh_grant() -> Rule {
    mock!(aws_sdk_ssooidc::Client::create_token)
        .match_requests(|r| {
            r.grant_type() == Some("refresh_token")
                && r.refresh_token() == Some("refresh-1")
                && r.client_id() == Some("client-1")
                && r.client_secret() == Some("client-secret-1")
        })
        .then_output(|| {
            CreateTokenOutput::builder()
                .access_token("access-2")
                .refresh_token("refresh-2")
                .expires_in(3600)
                .build()
        })
}

#[tokio::test(start_paused = true)]
async fn refresh_uses_the_refresh_token_once_for_concurrent_callers() {
    let grant = refresh_grant();
    let world = World::new(&[&grant], &[]);
    world.write_cli_token(|t| t["expiresAt"] = json!("2027-01-15T07:00:00Z"));

    let callers: Vec<_> = (0..5)
        .map(|_| {
            let sign_in = world.sign_in.clone();
            tokio::spawn(async move { sign_in.refresh(&corp()).await })
        })
        .collect();
    for caller in callers {
        assert_eq!(
            caller.await.unwrap().unwrap(),
            TokenStatus::SignedIn {
                expires_at: "2027-01-15T09:00:00Z".into()
            }
        );
    }

    assert_eq!(grant.num_calls(), 1);
    let file = world.read_token(&corp());
    assert_eq!(file["accessToken"], "access-2");
    assert_eq!(file["refreshToken"], "refresh-2");
    assert_eq!(file["clientId"], "client-1");
    assert_eq!(file["registrationExpiresAt"], "2027-04-15T08:00:00Z");
}

#[tokio::test(start_paused = true)]
async fn a_refused_refresh_token_is_dropped_and_the_user_asked_to_sign_in() {
    let grant = mock!(aws_sdk_ssooidc::Client::create_token).then_error(|| {
        CreateTokenError::InvalidGrantException(
            oidc_errors::InvalidGrantException::builder().build(),
        )
    });
    let world = World::new(&[&grant], &[]);
    world.write_cli_token(|t| t["expiresAt"] = json!("2027-01-15T07:00:00Z"));

    let err = world.sign_in.refresh(&corp()).await.unwrap_err();

    assert_eq!(err.code, ErrorCode::CredentialsExpired);
    assert!(err.message.contains("Sign in again"), "{}", err.message);
    assert_eq!(world.sign_in.status(&corp()), TokenStatus::SignedOut);
}

#[tokio::test]
async fn sign_out_removes_the_token_file() {
    let world = World::new(&[], &[]);
    world.write_cli_token(|_| {});

    world.sign_in.sign_out(&corp()).unwrap();

    assert!(!world.token_file(&corp()).exists());
    assert_eq!(world.sign_in.status(&corp()), TokenStatus::SignedOut);
    world.sign_in.sign_out(&corp()).unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_legacy_profile_s_token_is_named_after_its_start_url() {
    let (reg, auth, token) = (register(), device_authorization(), device_token(vec![]));
    let world = World::new(&[&reg, &auth, &token], &[]);
    let legacy = SsoSession::legacy(START_URL, "eu-west-1");

    world.sign_in.start(&legacy).await.unwrap();
    world.sign_in.finish(&legacy).await.unwrap();

    // sha1("https://d-9067642ac7.awsapps.com/start"), as the AWS CLI names it.
    let expected = world
        .dir
        .path()
        .join("cache/9e104e67bc03709422c341f8e7b917448969b3a1.json");
    assert_eq!(world.token_file(&legacy), expected);
    assert!(expected.exists());
    assert!(!world.token_file(&corp()).exists());
}

fn accounts_page(next: Option<&'static str>, ids: &[&'static str]) -> ListAccountsOutput {
    let accounts = ids.iter().map(|id| {
        AccountInfo::builder()
            .account_id(*id)
            .account_name(format!("account {id}"))
            .email_address(format!("{id}@example.com"))
            .build()
    });
    ListAccountsOutput::builder()
        .set_account_list(Some(accounts.collect()))
        .set_next_token(next.map(str::to_owned))
        .build()
}

fn list_accounts(access_token: &'static str) -> Rule {
    mock!(aws_sdk_sso::Client::list_accounts)
        .match_requests(move |r| r.access_token() == Some(access_token))
        .then_compute_output(|r| match r.next_token() {
            None => accounts_page(Some("page-2"), &["222222222222", "111111111111"]),
            Some("page-2") => accounts_page(None, &["333333333333"]),
            Some(other) => panic!("unexpected page token {other}"),
        })
}

/// Account 111… has two pages of roles, 222… one role, 333… none.
fn list_account_roles_rule() -> Rule {
    mock!(aws_sdk_sso::Client::list_account_roles).then_compute_output(|r| {
        let roles: &[&str] = match (r.account_id().unwrap(), r.next_token()) {
            ("111111111111", None) => &["ReadOnly"],
            ("111111111111", Some("roles-2")) => &["Admin"],
            ("222222222222", None) => &["Developer"],
            _ => &[],
        };
        let next = (r.account_id() == Some("111111111111") && r.next_token().is_none())
            .then(|| "roles-2".to_owned());
        ListAccountRolesOutput::builder()
            .set_role_list(Some(
                roles
                    .iter()
                    .map(|name| RoleInfo::builder().role_name(*name).build())
                    .collect(),
            ))
            .set_next_token(next)
            .build()
    })
}

fn role(account: &str, role: &str) -> AccountRole {
    AccountRole {
        account_id: account.into(),
        account_name: format!("account {account}"),
        email: Some(format!("{account}@example.com")),
        role_name: role.into(),
    }
}

#[tokio::test]
async fn every_role_of_every_account_is_listed_across_pages() {
    let (accounts, roles) = (list_accounts("access-1"), list_account_roles_rule());
    let world = World::new(&[], &[&accounts, &roles]);
    world.write_cli_token(|_| {});

    let listed = list_account_roles(&world.sign_in, &corp()).await.unwrap();

    assert_eq!(
        listed,
        [
            role("111111111111", "Admin"),
            role("111111111111", "ReadOnly"),
            role("222222222222", "Developer"),
        ]
    );
    assert_eq!(accounts.num_calls(), 2);
    assert_eq!(roles.num_calls(), 4);
}

#[tokio::test(start_paused = true)]
async fn listing_with_an_expired_token_refreshes_it_first() {
    let grant = refresh_grant();
    let (accounts, roles) = (list_accounts("access-2"), list_account_roles_rule());
    let world = World::new(&[&grant], &[&accounts, &roles]);
    world.write_cli_token(|t| t["expiresAt"] = json!("2027-01-15T07:00:00Z"));

    let listed = list_account_roles(&world.sign_in, &corp()).await.unwrap();

    assert_eq!(listed.len(), 3);
    assert_eq!(grant.num_calls(), 1);
}

#[tokio::test]
async fn listing_without_a_usable_token_asks_to_sign_in_again() {
    let accounts = list_accounts("access-1");
    let world = World::new(&[], &[&accounts]);
    world.write_cli_token(|t| {
        t["expiresAt"] = json!("2027-01-15T07:00:00Z");
        t.as_object_mut().unwrap().remove("refreshToken");
    });

    let err = list_account_roles(&world.sign_in, &corp())
        .await
        .unwrap_err();

    assert_eq!(err.code, ErrorCode::CredentialsExpired);
    assert!(err.message.contains("Sign in again"), "{}", err.message);
    assert_eq!(accounts.num_calls(), 0);
}

#[tokio::test]
async fn a_token_the_portal_refuses_asks_to_sign_in_again() {
    let accounts = mock!(aws_sdk_sso::Client::list_accounts).then_error(|| {
        ListAccountsError::UnauthorizedException(
            aws_sdk_sso::types::error::UnauthorizedException::builder().build(),
        )
    });
    let world = World::new(&[], &[&accounts]);
    world.write_cli_token(|_| {});

    let err = list_account_roles(&world.sign_in, &corp())
        .await
        .unwrap_err();

    assert_eq!(err.code, ErrorCode::CredentialsExpired);
    assert!(err.message.contains("Sign in again"), "{}", err.message);
}

#[tokio::test]
async fn finish_without_start_says_what_to_do() {
    let world = World::new(&[], &[]);
    let err = world.sign_in.finish(&corp()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("start one first"), "{}", err.message);
}
