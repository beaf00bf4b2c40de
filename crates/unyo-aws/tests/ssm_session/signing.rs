//! The data channel's upgrade signed as today's service expects (the 1.2.764.0 plugin's
//! SigV4), against a relay that checks the signature: a signed shell opens, an unsigned or
//! wrongly signed one is refused with the relay's reason, and a shell whose role was renewed
//! mid-session resumes signed with the new keys after the old ones stopped being accepted.

use std::sync::{Arc, Mutex};

use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider, future};

use crate::far_end::{FarEnd, PROMPT};
use crate::shells::{Shell, fast_options};
use crate::{FRESH_TOKEN, SESSION, TARGET, TOKEN, resumed_at, sessions, started_at, terminated};

const REGION: &str = "eu-west-1";

/// The credentials a role hands out, renewed when the test says so.
#[derive(Debug, Clone)]
struct RenewedRole(Arc<Mutex<Credentials>>);

impl RenewedRole {
    fn new(key: &str, secret: &str) -> Self {
        Self(Arc::new(Mutex::new(keys(key, secret))))
    }

    fn renew(&self, key: &str, secret: &str) {
        *self.0.lock().unwrap() = keys(key, secret);
    }
}

fn keys(key: &str, secret: &str) -> Credentials {
    Credentials::new(key, secret, Some(format!("token-of-{key}")), None, "role")
}

impl ProvideCredentials for RenewedRole {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::ready(Ok(self.0.lock().unwrap().clone()))
    }
}

#[tokio::test]
async fn a_signed_upgrade_is_accepted_and_a_renewed_role_signs_the_resume() {
    let far = FarEnd::start().await;
    far.accept_token(TOKEN);
    far.accept_token(FRESH_TOKEN);
    far.require_signature(REGION);
    far.trust_key("ASIAFIRST", "first-secret");
    let role = RenewedRole::new("ASIAFIRST", "first-secret");
    let (start, resume, terminate) = (started_at(far.url(SESSION)), resumed_at(None), terminated());
    let opened = sessions(&[&start, &resume, &terminate])
        .with_signing(SharedCredentialsProvider::new(role.clone()))
        .open_shell(TARGET, fast_options())
        .await
        .unwrap();
    let mut shell = Shell::new(opened);
    shell
        .read_until(|screen| screen.output.ends_with(PROMPT))
        .await;

    // The role is renewed and its old keys stop being accepted; then the relay recycles the
    // socket. The resume must be signed with the new keys, fetched at the dial.
    role.renew("ASIASECOND", "second-secret");
    far.trust_key("ASIASECOND", "second-secret");
    far.distrust_key("ASIAFIRST");
    far.cut_connections();
    shell.type_in(b"after\r").await;
    shell
        .read_until(|screen| screen.output.ends_with(b"after\r"))
        .await;
    assert_eq!(far.signed_by(), ["ASIAFIRST", "ASIASECOND"]);
    assert_eq!(shell.screen.states, ["reconnecting, 60 s", "reconnected"]);
    shell.opened.session.terminate().await.unwrap();
}

#[tokio::test]
async fn an_unsigned_upgrade_is_refused_with_the_relays_reason() {
    let far = FarEnd::start().await;
    far.accept_token(TOKEN);
    far.require_signature(REGION);
    far.trust_key("ASIAFIRST", "first-secret");
    let (start, terminate) = (started_at(far.url(SESSION)), terminated());
    let err = sessions(&[&start, &terminate])
        .open_shell(TARGET, fast_options())
        .await
        .map(|_| ())
        .expect_err("an unsigned upgrade must be refused");
    assert!(err.message.contains("403"), "{}", err.message);
    assert!(far.signed_by().is_empty());
    assert_eq!(
        terminate.num_calls(),
        1,
        "the refused session is terminated"
    );
}

#[tokio::test]
async fn an_upgrade_signed_with_the_wrong_secret_is_refused() {
    let far = FarEnd::start().await;
    far.accept_token(TOKEN);
    far.require_signature(REGION);
    far.trust_key("ASIAFIRST", "first-secret");
    let (start, terminate) = (started_at(far.url(SESSION)), terminated());
    let err = sessions(&[&start, &terminate])
        .with_signing(SharedCredentialsProvider::new(RenewedRole::new(
            "ASIAFIRST",
            "not-the-secret",
        )))
        .open_shell(TARGET, fast_options())
        .await
        .map(|_| ())
        .expect_err("a wrong signature must be refused");
    assert!(err.message.contains("403"), "{}", err.message);
    assert!(far.signed_by().is_empty());
}
