//! Where the SSO OIDC and SSO portal clients come from: the SDK's environment (so
//! `AWS_ENDPOINT_URL` and an emulator work as for every other call), an `SdkConfig` the caller
//! already has, or functions (tests hand in clients built by `aws-smithy-mocks`).
//!
//! Both services are called without AWS credentials (the OIDC calls are unauthenticated, the
//! portal calls carry the SSO access token), so no profile's credentials are ever resolved here.

use std::fmt;
use std::sync::Arc;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use tokio::sync::OnceCell;

type OidcFn = dyn Fn(&str) -> aws_sdk_ssooidc::Client + Send + Sync;
type PortalFn = dyn Fn(&str) -> aws_sdk_sso::Client + Send + Sync;

/// Makes the clients for a session's region. Cheap to clone.
#[derive(Clone)]
pub struct SsoClients(Arc<Source>);

enum Source {
    /// Loaded on first use, because loading reads files and the environment asynchronously.
    Environment {
        endpoint_url: Option<String>,
        config: OnceCell<SdkConfig>,
    },
    Config(SdkConfig),
    Functions {
        oidc: Box<OidcFn>,
        portal: Box<PortalFn>,
    },
}

impl SsoClients {
    /// The SDK's defaults: `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_SSO_OIDC` and
    /// `AWS_ENDPOINT_URL_SSO`, proxies, timeouts; `endpoint_url` overrides them all (an
    /// emulator, like the AWS CLI's `--endpoint-url`).
    pub fn from_environment(endpoint_url: Option<String>) -> Self {
        Self(Arc::new(Source::Environment {
            endpoint_url,
            config: OnceCell::new(),
        }))
    }

    /// Clients built from `config` (its endpoint, HTTP client, retries), with the region of
    /// each session.
    pub fn from_config(config: SdkConfig) -> Self {
        Self(Arc::new(Source::Config(config)))
    }

    /// Clients made by the caller for a region.
    pub fn from_fn(
        oidc: impl Fn(&str) -> aws_sdk_ssooidc::Client + Send + Sync + 'static,
        portal: impl Fn(&str) -> aws_sdk_sso::Client + Send + Sync + 'static,
    ) -> Self {
        Self(Arc::new(Source::Functions {
            oidc: Box::new(oidc),
            portal: Box::new(portal),
        }))
    }

    pub(super) async fn oidc(&self, region: &str) -> aws_sdk_ssooidc::Client {
        match self.resolve().await {
            Resolved::Functions { oidc, .. } => oidc(region),
            Resolved::Config(config) => aws_sdk_ssooidc::Client::from_conf(
                aws_sdk_ssooidc::config::Builder::from(config)
                    .region(Region::new(region.to_owned()))
                    .build(),
            ),
        }
    }

    pub(super) async fn portal(&self, region: &str) -> aws_sdk_sso::Client {
        match self.resolve().await {
            Resolved::Functions { portal, .. } => portal(region),
            Resolved::Config(config) => aws_sdk_sso::Client::from_conf(
                aws_sdk_sso::config::Builder::from(config)
                    .region(Region::new(region.to_owned()))
                    .build(),
            ),
        }
    }

    async fn resolve(&self) -> Resolved<'_> {
        match &*self.0 {
            Source::Config(config) => Resolved::Config(config),
            Source::Functions { oidc, portal } => Resolved::Functions { oidc, portal },
            Source::Environment {
                endpoint_url,
                config,
            } => Resolved::Config(
                config
                    .get_or_init(|| async {
                        let mut loader =
                            aws_config::defaults(BehaviorVersion::latest()).no_credentials();
                        if let Some(url) = endpoint_url {
                            loader = loader.endpoint_url(url);
                        }
                        loader.load().await
                    })
                    .await,
            ),
        }
    }
}

enum Resolved<'a> {
    Config(&'a SdkConfig),
    Functions {
        oidc: &'a OidcFn,
        portal: &'a PortalFn,
    },
}

impl fmt::Debug for SsoClients {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &*self.0 {
            Source::Environment { endpoint_url, .. } => {
                format!("environment, endpoint {endpoint_url:?}")
            }
            Source::Config(_) => "SdkConfig".to_owned(),
            Source::Functions { .. } => "functions".to_owned(),
        };
        write!(f, "SsoClients({source})")
    }
}
