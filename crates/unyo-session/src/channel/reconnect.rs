//! Resuming a session after its websocket dropped (§2.6): the caller's [`ResumeSession`]
//! callback, which in production calls `ssm:ResumeSession`, and the capped exponential
//! back-off between attempts.
//!
//! The plugin's budget (five retries, about 10 s) is known to be too small for the hourly
//! socket recycling and brief network loss (plugin issue #135), so the default policy keeps
//! trying for about a minute. The jitter comes from a seeded generator so that tests can fix
//! the schedule.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Where to connect: the `StreamUrl` and `TokenValue` of `StartSession` or `ResumeSession`,
/// and the headers the websocket upgrade request carries (the SigV4 signature that service
/// releases since the 1.2.764.0 plugin expect, made by the caller for this one dial).
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Used verbatim: its query carries the routing cell, which may change on resume.
    pub stream_url: String,
    pub token: String,
    /// Added to the upgrade request as they are, e.g. `authorization`, `x-amz-date`.
    pub headers: Vec<(String, String)>,
}

impl Endpoint {
    pub fn new(stream_url: impl Into<String>, token: impl Into<String>) -> Self {
        Self {
            stream_url: stream_url.into(),
            token: token.into(),
            headers: Vec::new(),
        }
    }

    /// The same endpoint, its upgrade request carrying `headers`.
    pub fn with_headers(mut self, headers: Vec<(String, String)>) -> Self {
        self.headers = headers;
        self
    }
}

// The token and the signature authenticate the websocket; they must not reach logs through
// Debug. Header names are kept, to tell a signed dial from an unsigned one.
impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Endpoint")
            .field("stream_url", &self.stream_url)
            .field("token", &"<redacted>")
            .field("headers", &headers)
            .finish()
    }
}

/// Why the callback could not supply a fresh endpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResumeError {
    /// The session cannot be resumed any more (ResumeSession returned no token, or the session
    /// was terminated): retrying is pointless.
    #[error("the session can no longer be resumed: {0}")]
    Expired(String),
    /// A failure that may pass (network, throttling, credentials being refreshed): retried.
    #[error("{0}")]
    Unavailable(String),
}

/// The future a [`ResumeSession`] returns.
pub type ResumeFuture = Pin<Box<dyn Future<Output = Result<Endpoint, ResumeError>> + Send>>;

/// Supplies a fresh endpoint for the same session after the connection dropped.
///
/// Any `Fn() -> impl Future<Output = Result<Endpoint, ResumeError>>` closure is one.
pub trait ResumeSession: Send + Sync {
    fn resume(&self) -> ResumeFuture;
}

impl<F, Fut> ResumeSession for F
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<Endpoint, ResumeError>> + Send + 'static,
{
    fn resume(&self) -> ResumeFuture {
        Box::pin(self())
    }
}

/// How long and how often to try resuming a dropped connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReconnectPolicy {
    /// The wait before the second attempt (the first is immediate); each later wait doubles.
    /// A random share of up to the same amount again is added, as the plugin does.
    pub initial_delay: Duration,
    /// No wait is longer than this (before jitter).
    pub max_delay: Duration,
    /// Give up when the next attempt would start this long after the connection dropped.
    pub give_up_after: Duration,
    /// Seed of the jitter; fix it in tests for a repeatable schedule.
    pub jitter_seed: u64,
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        Self {
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
            give_up_after: Duration::from_secs(60),
            jitter_seed: uuid::Uuid::new_v4().as_u64_pair().0,
        }
    }
}

/// The waits between attempts of one reconnection, derived from a [`ReconnectPolicy`].
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    policy: ReconnectPolicy,
    rng: SplitMix64,
}

impl Backoff {
    pub(crate) fn new(policy: ReconnectPolicy) -> Self {
        Self {
            policy,
            rng: SplitMix64(policy.jitter_seed),
        }
    }

    pub(crate) fn give_up_after(&self) -> Duration {
        self.policy.give_up_after
    }

    /// The wait after `failed` attempts have failed (1 for the wait after the first).
    pub(crate) fn delay(&mut self, failed: u32) -> Duration {
        let exponent = failed.saturating_sub(1).min(16);
        let base = self
            .policy
            .initial_delay
            .saturating_mul(1 << exponent)
            .min(self.policy.max_delay);
        base.saturating_add(base.mul_f64(self.rng.unit()))
    }
}

/// A tiny, well-mixed generator for jitter; nothing here needs cryptographic randomness.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        // The top 53 bits fill an f64 mantissa exactly.
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(seed: u64) -> ReconnectPolicy {
        ReconnectPolicy {
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
            give_up_after: Duration::from_secs(60),
            jitter_seed: seed,
        }
    }

    #[test]
    fn waits_double_from_the_initial_delay_with_up_to_as_much_again_in_jitter() {
        let mut backoff = Backoff::new(policy(7));
        for (failed, base_ms) in [(1, 100), (2, 200), (3, 400), (4, 800), (5, 1600)] {
            let wait = backoff.delay(failed);
            let base = Duration::from_millis(base_ms);
            assert!(wait >= base && wait < base * 2, "{failed}: {wait:?}");
        }
    }

    #[test]
    fn waits_are_capped_and_never_overflow() {
        let mut backoff = Backoff::new(policy(1));
        for failed in [7, 30, u32::MAX] {
            let wait = backoff.delay(failed);
            assert!(wait >= Duration::from_secs(5) && wait < Duration::from_secs(10));
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_schedule() {
        let schedule = |seed| {
            let mut backoff = Backoff::new(policy(seed));
            (1..8).map(|n| backoff.delay(n)).collect::<Vec<_>>()
        };
        assert_eq!(schedule(42), schedule(42));
        assert_ne!(schedule(42), schedule(43));
    }

    #[test]
    fn debug_output_hides_the_token() {
        let shown = format!("{:?}", Endpoint::new("wss://example/x", "secret-token"));
        assert!(!shown.contains("secret-token"));
        assert!(shown.contains("wss://example/x"));
    }

    #[test]
    fn a_closure_is_a_resume_callback() {
        let callback = || async { Ok(Endpoint::new("ws://127.0.0.1:1/x", "t")) };
        let resumer: &dyn ResumeSession = &callback;
        drop(resumer.resume());
    }
}
