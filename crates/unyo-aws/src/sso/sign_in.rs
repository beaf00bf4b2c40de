//! One sign-in in flight per session, however many callers ask.
//!
//! Tools that let each caller run its own device flow open a browser tab per caller (21 to 74
//! per expiry in one aws-vault report). Here the first `start()` for a session registers the
//! client and starts the device authorization; every `start()` until that sign-in ends gets the
//! same authorization, and every `finish()` waits on the one poll and gets its result.
//! Refreshes are serialized the same way: a refresh token may be single-use, so two callers
//! refreshing at once could sign each other out.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use tokio::sync::OnceCell;
use unyo_core::AppError;
use unyo_core::secret::{ExposeSecret, SecretString};

use super::cache::{CachedToken, Registration, TokenCache, rfc3339};
use super::clients::SsoClients;
use super::oidc::{self, Failure, Pending, Poll};
use super::{DeviceAuthorization, SsoSession, TokenStatus};

/// RFC 8628 §3.5: each `slow_down` adds 5 s to the polling interval.
const SLOW_DOWN: Duration = Duration::from_secs(5);
/// A cached registration this close to its end is replaced rather than used (the AWS CLI's
/// margin), so it cannot expire between sign-in and the first refresh.
const REGISTRATION_MARGIN: Duration = Duration::from_secs(15 * 60);

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// IAM Identity Center sign-in for the whole app. Clones share everything.
#[derive(Clone)]
pub struct SsoSignIn {
    inner: Arc<Inner>,
    clock: Clock,
}

struct Inner {
    cache: TokenCache,
    clients: SsoClients,
    /// The latest sign-in of each session, by token cache key.
    flights: Mutex<HashMap<String, Arc<Flight>>>,
    /// One refresh at a time per session, by token cache key.
    refreshes: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

struct Flight {
    session: SsoSession,
    authorization: OnceCell<Result<Arc<Pending>, AppError>>,
    outcome: OnceCell<Result<TokenStatus, AppError>>,
}

impl Flight {
    /// Whether a new `start()` for `session` should join this sign-in rather than begin one.
    fn joinable(&self, session: &SsoSession) -> bool {
        if self.session != *session || self.outcome.initialized() {
            return false;
        }
        match self.authorization.get() {
            None => true,
            Some(Ok(pending)) => tokio::time::Instant::now() < pending.deadline,
            Some(Err(_)) => false,
        }
    }
}

impl SsoSignIn {
    /// Clients from the SDK's environment (see [`SsoClients::from_environment`]).
    pub fn new(cache: TokenCache) -> Self {
        Self::with_clients(cache, SsoClients::from_environment(None))
    }

    pub fn with_clients(cache: TokenCache, clients: SsoClients) -> Self {
        Self {
            inner: Arc::new(Inner {
                cache,
                clients,
                flights: Mutex::default(),
                refreshes: Mutex::default(),
            }),
            clock: Arc::new(SystemTime::now),
        }
    }

    /// Reads "now" from `clock` instead of the system clock (tests fix the time).
    pub fn with_clock(self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        Self {
            clock: Arc::new(clock),
            ..self
        }
    }

    pub fn cache(&self) -> &TokenCache {
        &self.inner.cache
    }

    /// From the token file alone; a missing or unreadable file is `SignedOut`.
    pub fn status(&self, session: &SsoSession) -> TokenStatus {
        match self.inner.cache.read_token(session) {
            Ok(Some(token)) => token.status(self.now()),
            _ => TokenStatus::SignedOut,
        }
    }

    /// Starts a sign-in, or joins the one already waiting for approval: the user opens one
    /// page, whoever asked.
    pub async fn start(&self, session: &SsoSession) -> Result<DeviceAuthorization, AppError> {
        let flight = {
            let mut flights = lock(&self.inner.flights);
            match flights.get(session.cache_key()) {
                Some(flight) if flight.joinable(session) => Arc::clone(flight),
                _ => {
                    let flight = Arc::new(Flight {
                        session: session.clone(),
                        authorization: OnceCell::new(),
                        outcome: OnceCell::new(),
                    });
                    flights.insert(session.cache_key().to_owned(), Arc::clone(&flight));
                    flight
                }
            }
        };
        Ok(self.authorization(&flight).await?.authorization.clone())
    }

    /// Waits for the user to approve the latest sign-in of `session` and saves the token.
    /// Every caller shares one poll of the service, and its result.
    pub async fn finish(&self, session: &SsoSession) -> Result<TokenStatus, AppError> {
        let flight = lock(&self.inner.flights)
            .get(session.cache_key())
            .filter(|flight| flight.session == *session)
            .cloned();
        let Some(flight) = flight else {
            return match self.status(session) {
                signed_in @ TokenStatus::SignedIn { .. } => Ok(signed_in),
                _ => Err(AppError::invalid_input(format!(
                    "No sign-in to {} has been started; start one first.",
                    session.label()
                ))),
            };
        };
        let pending = self.authorization(&flight).await?;
        flight
            .outcome
            .get_or_init(|| self.poll(&flight.session, &pending))
            .await
            .clone()
    }

    /// A new access token from the refresh token, without the browser. Callers arriving while
    /// another refresh runs get its result instead of refreshing again.
    pub async fn refresh(&self, session: &SsoSession) -> Result<TokenStatus, AppError> {
        let seen = self.inner.cache.read_token(session)?;
        let gate = Arc::clone(
            lock(&self.inner.refreshes)
                .entry(session.cache_key().to_owned())
                .or_default(),
        );
        let _turn = gate.lock().await;
        let Some(current) = self.inner.cache.read_token(session)? else {
            return Err(oidc::sign_in_again(session));
        };
        if !same_token(seen.as_ref(), &current) {
            return Ok(current.status(self.now()));
        }
        if !current.refreshable(self.now()) {
            // Nothing to refresh with: fine while the access token lasts, the end otherwise.
            return match current.status(self.now()) {
                signed_in @ TokenStatus::SignedIn { .. } => Ok(signed_in),
                _ => Err(oidc::sign_in_again(session)),
            };
        }
        let client = self.inner.clients.oidc(&session.region).await;
        match oidc::refresh(&client, session, &current, self.now()).await {
            Ok(fresh) => {
                self.inner.cache.write_token(session, &fresh)?;
                Ok(fresh.status(self.now()))
            }
            Err(Failure::Rejected(err)) => {
                // Keep what still works (the access token may have time left) but drop the
                // refresh token, so the status stops offering a refresh that cannot succeed.
                let spent = CachedToken {
                    refresh_token: None,
                    ..current
                };
                self.inner.cache.write_token(session, &spent)?;
                Err(err)
            }
            Err(Failure::Failed(err)) => Err(err),
        }
    }

    /// Removes the cached token (the AWS CLI's too: they are the same file).
    pub fn sign_out(&self, session: &SsoSession) -> Result<(), AppError> {
        self.inner.cache.remove_token(session)
    }

    /// The access token for portal calls, refreshed first when it has expired.
    pub(super) async fn access_token(
        &self,
        session: &SsoSession,
    ) -> Result<SecretString, AppError> {
        if self.status(session) == TokenStatus::Refreshable {
            self.refresh(session).await?;
        }
        match self.inner.cache.read_token(session)? {
            Some(token) if matches!(token.status(self.now()), TokenStatus::SignedIn { .. }) => {
                Ok(token.access_token)
            }
            _ => Err(oidc::sign_in_again(session)),
        }
    }

    pub(super) async fn portal(&self, region: &str) -> aws_sdk_sso::Client {
        self.inner.clients.portal(region).await
    }

    async fn authorization(&self, flight: &Flight) -> Result<Arc<Pending>, AppError> {
        flight
            .authorization
            .get_or_init(|| self.authorize(&flight.session))
            .await
            .clone()
    }

    async fn authorize(&self, session: &SsoSession) -> Result<Arc<Pending>, AppError> {
        let client = self.inner.clients.oidc(&session.region).await;
        let cached = self.cached_registration(session);
        let reused = cached.is_some();
        let registration = match cached {
            Some(registration) => registration,
            None => self.register(&client, session).await?,
        };
        let pending = match oidc::authorize(&client, session, registration, self.now()).await {
            // A cached registration the service has forgotten: register afresh, once.
            Err(Failure::Rejected(_)) if reused => {
                let registration = self.register(&client, session).await?;
                oidc::authorize(&client, session, registration, self.now()).await?
            }
            other => other?,
        };
        Ok(Arc::new(pending))
    }

    /// The AWS CLI's registration for the same start URL, region, scopes and session, if it is
    /// one the device flow can use and has time left.
    fn cached_registration(&self, session: &SsoSession) -> Option<Registration> {
        let registration = self.inner.cache.read_registration(session).ok()??;
        let usable = !registration.for_authorization_code
            && registration.expires_at > self.now() + REGISTRATION_MARGIN;
        usable.then_some(registration)
    }

    async fn register(
        &self,
        client: &aws_sdk_ssooidc::Client,
        session: &SsoSession,
    ) -> Result<Registration, AppError> {
        let registration = oidc::register(client, session, self.now()).await?;
        self.inner
            .cache
            .write_registration(session, &registration)?;
        Ok(registration)
    }

    /// CreateToken every `interval` until the user approves or refuses, or the code expires.
    async fn poll(&self, session: &SsoSession, pending: &Pending) -> Result<TokenStatus, AppError> {
        let client = self.inner.clients.oidc(&session.region).await;
        let mut interval = pending.interval;
        loop {
            match oidc::create_token(&client, session, pending, self.now()).await? {
                Poll::Token(token) => {
                    self.inner.cache.write_token(session, &token)?;
                    return Ok(TokenStatus::SignedIn {
                        expires_at: rfc3339(token.expires_at),
                    });
                }
                Poll::SlowDown => interval += SLOW_DOWN,
                Poll::Pending => {}
            }
            // The service says `expired_token` once the code has expired; this stops the loop
            // even if it never does.
            if tokio::time::Instant::now() >= pending.deadline {
                return Err(oidc::code_expired(session));
            }
            tokio::time::sleep(interval).await;
        }
    }

    fn now(&self) -> SystemTime {
        (self.clock)()
    }
}

impl fmt::Debug for SsoSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoSignIn")
            .field("cache", &self.inner.cache)
            .field("clients", &self.inner.clients)
            .finish_non_exhaustive()
    }
}

/// Whether the token file still holds the token a caller saw before waiting its turn.
fn same_token(seen: Option<&CachedToken>, current: &CachedToken) -> bool {
    seen.is_some_and(|seen| {
        seen.access_token.expose_secret() == current.access_token.expose_secret()
    })
}

/// The maps stay consistent even if a holder panicked: every update is a single insert.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
