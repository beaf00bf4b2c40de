//! Profiles resolved to working credentials against the moto emulator on loopback: the SDK's
//! own providers walk role chains from the files; Unyo's keychain profiles, roles on top of
//! them, and MFA sessions are resolved by `ProfileResolver`.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use unyo_aws::profiles::{NewProfile, ProfileResolver};
use unyo_core::ErrorCode;
use unyo_core::aws_files::AwsFilePaths;
use unyo_core::secret::SecretString;
use unyo_testkit::{MemorySecrets, Moto};

const MFA: &str = "arn:aws:iam::111111111111:mfa/alice";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// AWS files whose every profile sends its calls to `endpoint` (the SDK's own providers read
/// `endpoint_url` from the profile, so no process environment is touched).
fn setup(endpoint: &str) -> (tempfile::TempDir, Arc<MemorySecrets>, ProfileResolver) {
    let dir = tempfile::tempdir().unwrap();
    let paths = AwsFilePaths {
        config: dir.path().join("config"),
        credentials: dir.path().join("credentials"),
    };
    let e = format!("endpoint_url = {endpoint}\n");
    std::fs::write(
        &paths.config,
        format!(
            "[profile base]\nregion = ap-northeast-1\n{e}\
             [profile ops]\nrole_arn = arn:aws:iam::111111111111:role/Ops\nsource_profile = base\n{e}\
             [profile audit]\nrole_arn = arn:aws:iam::222222222222:role/Audit\nsource_profile = ops\n{e}\
             [profile guarded]\nrole_arn = arn:aws:iam::333333333333:role/Guarded\nsource_profile = base\nmfa_serial = {MFA}\n{e}\
             [profile orphan]\nrole_arn = arn:aws:iam::1:role/X\nsource_profile = nowhere\n"
        ),
    )
    .unwrap();
    std::fs::write(
        &paths.credentials,
        format!(
            "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {SECRET}\n"
        ),
    )
    .unwrap();
    let secrets = Arc::new(MemorySecrets::default());
    let resolver = ProfileResolver::new(
        Some(paths),
        dir.path().join("unyo/profiles.toml"),
        secrets.clone(),
    )
    .with_endpoint_url(Some(endpoint.to_owned()));
    (dir, secrets, resolver)
}

fn keys(name: &str) -> NewProfile {
    NewProfile::AccessKeys {
        name: name.into(),
        region: Some("us-east-1".into()),
        access_key_id: "AKIAI44QH8DHBEXAMPLE".into(),
        secret_access_key: SecretString::from(SECRET.to_owned()),
    }
}

fn role(name: &str, source: &str, mfa: Option<&str>) -> NewProfile {
    NewProfile::AssumeRole {
        name: name.into(),
        region: None,
        source_profile: source.into(),
        role_arn: "arn:aws:iam::444444444444:role/Deploy".into(),
        mfa_serial: mfa.map(str::to_owned),
        external_id: Some(String::new()),
        duration_seconds: None,
    }
}

#[tokio::test]
async fn a_role_chain_from_the_files_ends_in_the_last_role() {
    let moto = Moto::start();
    let (_dir, _secrets, resolver) = setup(&moto.url());
    let who = resolver.whoami("audit", None).await.unwrap();
    assert_eq!(who.account, "222222222222");
    assert!(who.arn.contains(":assumed-role/Audit/"), "{}", who.arn);
    let base = resolver.whoami("base", None).await.unwrap();
    assert!(
        base.arn.ends_with(":root") || base.arn.contains(":user/"),
        "{}",
        base.arn
    );
}

#[tokio::test]
async fn a_broken_or_unknown_profile_says_why_before_any_call() {
    let (_dir, _secrets, resolver) = setup("http://127.0.0.1:9");
    let err = resolver.sdk_config("orphan", None).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::CredentialsInvalid);
    assert!(
        err.message.contains("`nowhere` is not defined"),
        "{}",
        err.message
    );
    let err = resolver.sdk_config("ghost", None).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
}

#[tokio::test]
async fn unyo_keys_live_in_the_keychain_and_a_role_can_stand_on_them() {
    let moto = Moto::start();
    let (dir, secrets, resolver) = setup(&moto.url());
    let added = resolver.add_profile(keys("mine")).unwrap();
    assert_eq!(secrets.items(), ["profile/mine/keys"]);
    let file = std::fs::read_to_string(dir.path().join("unyo/profiles.toml")).unwrap();
    assert!(
        !file.contains(SECRET) && !file.contains("AKIAI44QH8DHBEXAMPLE"),
        "{file}"
    );
    assert!(file.contains("AKIA************MPLE"), "{file}");
    assert_eq!(added.chain, Vec::<String>::new());
    assert_eq!(added.key_hint.as_deref(), Some("AKIA************MPLE"));

    let who = resolver.whoami("mine", None).await.unwrap();
    assert!(!who.account.is_empty());

    resolver.add_profile(role("deploy", "mine", None)).unwrap();
    let who = resolver.whoami("deploy", None).await.unwrap();
    assert_eq!(who.account, "444444444444");
    assert!(
        who.arn.contains(":assumed-role/Deploy/unyo-deploy"),
        "{}",
        who.arn
    );

    let err = resolver.delete_profile("mine").unwrap_err();
    assert!(err.message.contains("deploy"), "{}", err.message);
    resolver.delete_profile("deploy").unwrap();
    resolver.delete_profile("mine").unwrap();
    assert!(secrets.items().is_empty(), "{:?}", secrets.items());
    assert!(resolver.list().profiles.iter().all(|p| p.name != "mine"));
}

#[tokio::test]
async fn an_mfa_role_asks_once_then_works_from_the_cached_session() {
    let moto = Moto::start();
    let (_dir, secrets, resolver) = setup(&moto.url());
    let err = resolver.whoami("guarded", None).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::MfaRequired);
    assert!(err.message.contains(MFA), "{}", err.message);

    let err = resolver
        .submit_mfa_code("guarded", "12ab")
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::MfaRequired);

    resolver.submit_mfa_code("guarded", "123456").await.unwrap();
    assert_eq!(secrets.items(), [format!("mfa/base/{MFA}")]);
    for _ in 0..2 {
        let who = resolver.whoami("guarded", None).await.unwrap();
        assert_eq!(who.account, "333333333333");
        assert!(who.arn.contains(":assumed-role/Guarded/"), "{}", who.arn);
    }
}

#[tokio::test]
async fn a_unyo_mfa_role_is_forgotten_with_its_profile() {
    let moto = Moto::start();
    let (_dir, secrets, resolver) = setup(&moto.url());
    resolver
        .add_profile(role("guarded2", "base", Some(MFA)))
        .unwrap();
    assert_eq!(
        resolver.whoami("guarded2", None).await.unwrap_err().code,
        ErrorCode::MfaRequired
    );
    resolver
        .submit_mfa_code("guarded2", "654321")
        .await
        .unwrap();
    assert!(resolver.whoami("guarded2", None).await.is_ok());
    resolver.delete_profile("guarded2").unwrap();
    assert!(secrets.items().is_empty(), "{:?}", secrets.items());
}

/// An STS stand-in on loopback that refuses every MFA code the way AWS does.
async fn sts_refusing_mfa() -> String {
    sts_refusing(
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
    )
    .await
}

/// An STS stand-in on loopback that answers every request with the error `code`.
async fn sts_refusing(code: &'static str, message: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0_u8; 64 * 1024];
            let _ = stream.read(&mut buf).await;
            let body = format!(
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>1</RequestId></ErrorResponse>"
            );
            let response = format!(
                "HTTP/1.1 403 Forbidden\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
        }
    });
    url
}

#[tokio::test]
async fn a_wrong_mfa_code_keeps_asking_with_the_reason() {
    let url = sts_refusing_mfa().await;
    let (_dir, secrets, resolver) = setup(&url);
    let err = resolver
        .submit_mfa_code("guarded", "000000")
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::MfaRequired);
    assert!(
        err.message.contains("did not accept that code"),
        "{}",
        err.message
    );
    assert!(secrets.items().is_empty());
}

#[test]
fn importing_identity_center_roles_names_each_profile_after_its_account_and_role() {
    let (dir, _secrets, resolver) = setup("http://127.0.0.1:9");
    std::fs::write(
        dir.path().join("config"),
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
         [profile prod-payments-admin]\nregion = us-east-1\n",
    )
    .unwrap();
    let role = |account: &str, name: &str| unyo_aws::sso::AccountRole {
        account_id: "111122223333".into(),
        account_name: account.into(),
        email: None,
        role_name: name.into(),
    };
    let added = resolver
        .import_sso_roles(
            "corp",
            &[
                role("Prod Payments", "Admin"),
                role("Dev/Sandbox", "ReadOnly"),
            ],
            Some("ap-northeast-1".into()),
        )
        .unwrap();
    let names: Vec<&str> = added.iter().map(|p| p.name.as_str()).collect();
    // The first name is taken by a file profile, so it gets a suffix.
    assert_eq!(names, ["prod-payments-admin-2", "dev-sandbox-readonly"]);
    assert_eq!(added[0].sso_session.as_deref(), Some("corp"));
    assert_eq!(added[0].sso_role_name.as_deref(), Some("Admin"));
    assert_eq!(added[0].region.as_deref(), Some("ap-northeast-1"));
}

#[tokio::test]
async fn a_signed_out_identity_center_profile_asks_to_sign_in_again() {
    let (dir, _secrets, resolver) = setup("http://127.0.0.1:9");
    std::fs::write(
        dir.path().join("config"),
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
         [profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n",
    )
    .unwrap();
    let cache = unyo_aws::sso::TokenCache::at(dir.path().join("sso-cache"));
    let resolver = resolver.with_sso(unyo_aws::sso::SsoSignIn::new(cache));
    let err = resolver.sdk_config("dev", None).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::CredentialsExpired);
    assert!(err.message.contains("sign in again"), "{}", err.message);
    assert!(err.message.contains("`corp`"), "{}", err.message);
}

#[tokio::test]
async fn a_malformed_line_elsewhere_does_not_stop_a_good_profile() {
    let moto = Moto::start();
    let (dir, _secrets, resolver) = setup(&moto.url());
    let config = dir.path().join("config");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("[profile broken\nthis line has no equals sign\n");
    std::fs::write(&config, text).unwrap();
    assert_eq!(resolver.list().issues.len(), 2);
    let who = resolver.whoami("audit", None).await.unwrap();
    assert!(who.arn.contains(":assumed-role/Audit/"), "{}", who.arn);
}

#[tokio::test]
async fn a_wrong_clock_is_named_as_such() {
    let url = sts_refusing(
        "SignatureDoesNotMatch",
        "Signature expired: 20261128T010000Z is now earlier than 20261128T013000Z (20261128T014500Z - 15 min.)",
    )
    .await;
    let (_dir, _secrets, resolver) = setup(&url);
    let err = resolver.whoami("base", None).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::ClockSkew);
    assert!(err.message.contains("clock"), "{}", err.message);
}

#[tokio::test]
async fn access_denied_by_sts_says_so() {
    let url = sts_refusing(
        "AccessDenied",
        "User is not authorized to perform: sts:AssumeRole",
    )
    .await;
    let (_dir, _secrets, resolver) = setup(&url);
    let err = resolver.whoami("ops", None).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::AccessDenied, "{}", err.message);
}
