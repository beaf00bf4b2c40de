//! One SDK client per region, made on first use and kept, so a screen that never asks
//! CloudWatch never builds a CloudWatch client, and every call after the first reuses the
//! client's connections and the profile's credentials cache.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use aws_config::{Region, SdkConfig};

type Make<C> = dyn Fn(&str) -> C + Send + Sync;

/// Clients of one service, by region. Cheap to clone.
pub struct PerRegion<C>(Arc<Cache<C>>);

struct Cache<C> {
    make: Box<Make<C>>,
    by_region: Mutex<HashMap<String, C>>,
}

impl<C: Clone> PerRegion<C> {
    /// Clients made by `make` for each region (tests hand in mocked ones).
    pub fn from_fn(make: impl Fn(&str) -> C + Send + Sync + 'static) -> Self {
        Self(Arc::new(Cache {
            make: Box::new(make),
            by_region: Mutex::new(HashMap::new()),
        }))
    }

    /// Clients built from `config` (credentials, endpoint, retries, timeouts) with each
    /// region; `build` is the service's `Client::from_conf` over its config builder.
    pub fn from_config(
        config: SdkConfig,
        build: impl Fn(&SdkConfig) -> C + Send + Sync + 'static,
    ) -> Self {
        Self::from_fn(move |region| {
            let regional = config
                .to_builder()
                .region(Region::new(region.to_owned()))
                .build();
            build(&regional)
        })
    }

    /// The client for `region`, made on first use.
    pub fn get(&self, region: &str) -> C {
        // A panic elsewhere cannot leave the map half-written, so a poisoned lock is still good.
        let mut cache = self
            .0
            .by_region
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        cache
            .entry(region.to_owned())
            .or_insert_with(|| (self.0.make)(region))
            .clone()
    }
}

impl<C> Clone for PerRegion<C> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<C> fmt::Debug for PerRegion<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut regions: Vec<String> = self
            .0
            .by_region
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .keys()
            .cloned()
            .collect();
        regions.sort();
        f.debug_struct("PerRegion")
            .field("regions", &regions)
            .finish()
    }
}
