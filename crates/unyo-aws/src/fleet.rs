//! The fleet of one profile over a set of regions: EC2 `DescribeInstances` and Systems
//! Manager `DescribeInstanceInformation` (both paginated) merged per instance, hybrid `mi-`
//! nodes included (see the `merge` module).
//!
//! Patch Manager's compliance of the managed nodes (`DescribeInstancePatchStates`, see the
//! `patches` module) is asked once the nodes are known, while EC2 may still be answering.
//!
//! Regions are listed concurrently, a few at a time, each with a time limit. A region that
//! fails (denied, throttled, not enabled, timed out) becomes a [`RegionFailure`] and the others
//! still list. When only Systems Manager fails, as on an emulator without it or for an identity
//! without `ssm:DescribeInstanceInformation`, the region's EC2 instances are still listed with
//! their SSM status [`PingStatus::Unknown`](unyo_core::PingStatus::Unknown), and the error is
//! reported once for the region. When only the patch states fail, the instances keep their
//! SSM status and have no patch compliance, and that error is the region's one report.
//!
//! Non-goals: tags of hybrid nodes (they need a call per node), and changing anything.

mod merge;
mod patches;

use std::time::Duration;

use aws_config::SdkConfig;
use aws_sdk_ec2::config::http::HttpResponse;
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_ssm::operation::describe_instance_information::DescribeInstanceInformationError;
use aws_sdk_ssm::operation::describe_instance_patch_states::DescribeInstancePatchStatesError;
use aws_sdk_ssm::types::{InstanceInformation, InstancePatchState};
use futures_util::StreamExt;
use unyo_core::fleet::RegionFailure;
use unyo_core::{AppError, ErrorCode, FleetSnapshot, Instance};

use merge::Ec2Instance;

use crate::regional::PerRegion;

/// The clients one region is listed with.
#[derive(Debug, Clone)]
pub struct RegionClients {
    pub ec2: aws_sdk_ec2::Client,
    pub ssm: aws_sdk_ssm::Client,
}

/// Makes a profile's clients for each region and keeps them, so every listing after the first
/// reuses their connections and credentials. Cheap to clone.
#[derive(Clone, Debug)]
pub struct FleetClients(PerRegion<RegionClients>);

impl FleetClients {
    /// Clients built from `config` (its credentials, endpoint, retries and timeouts) with the
    /// region of each listing; all regions share one credentials cache.
    pub fn from_config(config: SdkConfig) -> Self {
        Self(PerRegion::from_config(config, |regional| RegionClients {
            ec2: aws_sdk_ec2::Client::new(regional),
            ssm: aws_sdk_ssm::Client::new(regional),
        }))
    }

    /// Clients made by the caller for a region (tests hand in mocked ones).
    pub fn from_fn(make: impl Fn(&str) -> RegionClients + Send + Sync + 'static) -> Self {
        Self(PerRegion::from_fn(make))
    }

    /// The clients for `region`, made on first use.
    pub fn region(&self, region: &str) -> RegionClients {
        self.0.get(region)
    }
}

/// How a listing is paced.
#[derive(Debug, Clone)]
pub struct FleetOptions {
    /// Regions listed at the same time.
    pub concurrency: usize,
    /// The longest wait for one service in one region, all its pages included; a region that
    /// takes longer is reported as timed out rather than holding up the others.
    pub region_timeout: Duration,
    /// `MaxResults` of each DescribeInstances page (5 to 1000).
    pub ec2_page_size: i32,
    /// `MaxResults` of each DescribeInstanceInformation page (5 to 50).
    pub ssm_page_size: i32,
}

impl Default for FleetOptions {
    fn default() -> Self {
        Self {
            concurrency: 4,
            region_timeout: Duration::from_secs(60),
            ec2_page_size: 1000,
            ssm_page_size: 50,
        }
    }
}

/// Lists `regions` in order. `account_id` names the owner of hybrid nodes (EC2 instances carry
/// their own); without it the owner of the EC2 instances seen is used.
pub async fn list(
    clients: &FleetClients,
    regions: &[String],
    account_id: Option<&str>,
    options: &FleetOptions,
) -> FleetSnapshot {
    // The futures are made up front (they do nothing until polled) so the stream holds no
    // closure over borrowed regions, which `Send` futures cannot name the lifetime of.
    let work: Vec<_> = regions
        .iter()
        .map(|region| list_region(clients.region(region), region, account_id, options))
        .collect();
    let listings: Vec<(Vec<Instance>, Option<RegionFailure>)> = futures_util::stream::iter(work)
        .buffered(options.concurrency.max(1))
        .collect()
        .await;
    let mut snapshot = FleetSnapshot {
        instances: Vec::new(),
        failures: Vec::new(),
    };
    for (instances, failure) in listings {
        snapshot.instances.extend(instances);
        snapshot.failures.extend(failure);
    }
    // A region with only hybrid nodes learns the account from the regions with EC2 instances.
    if let Some(owner) = snapshot
        .instances
        .iter()
        .find(|i| !i.account_id.is_empty())
        .map(|i| i.account_id.clone())
    {
        for instance in &mut snapshot.instances {
            if instance.account_id.is_empty() {
                instance.account_id.clone_from(&owner);
            }
        }
    }
    snapshot
}

async fn list_region(
    clients: RegionClients,
    region: &str,
    account_id: Option<&str>,
    options: &FleetOptions,
) -> (Vec<Instance>, Option<RegionFailure>) {
    let limit = options.region_timeout;
    let (ec2, (ssm, patches)) = tokio::join!(
        tokio::time::timeout(limit, ec2_instances(&clients.ec2, options.ec2_page_size)),
        systems_manager(&clients.ssm, options),
    );
    let failure = |error: AppError| {
        Some(RegionFailure {
            region: region.to_owned(),
            error,
        })
    };
    let ec2 = match ec2 {
        Ok(Ok(instances)) => instances,
        Ok(Err(error)) => return (Vec::new(), failure(ec2_failure(region, &error))),
        Err(_) => return (Vec::new(), failure(timed_out("EC2", region, limit))),
    };
    let ssm_error = match ssm {
        Ok(Ok(nodes)) => {
            let (patches, patch_error) = patch_outcome(region, limit, patches);
            let instances = merge::merge(region, account_id, ec2, Some(nodes), &patches);
            return (instances, patch_error.and_then(failure));
        }
        Ok(Err(error)) => ssm_failure("DescribeInstanceInformation", region, &error),
        Err(_) => timed_out("Systems Manager", region, limit),
    };
    let error = AppError::new(
        ssm_error.code,
        format!(
            "{}; the region's EC2 instances are listed with SSM status unknown",
            ssm_error.message
        ),
    );
    (
        merge::merge(region, account_id, ec2, None, &[]),
        failure(error),
    )
}

/// The patch states that came back, and why none did. Patch compliance is extra: without it
/// the instances and their SSM status still stand.
fn patch_outcome(
    region: &str,
    limit: Duration,
    patches: Option<Timed<Vec<InstancePatchState>, DescribeInstancePatchStatesError>>,
) -> (Vec<InstancePatchState>, Option<AppError>) {
    let error = match patches {
        None => return (Vec::new(), None),
        Some(Ok(Ok(states))) => return (states, None),
        Some(Ok(Err(error))) => ssm_failure("DescribeInstancePatchStates", region, &error),
        Some(Err(_)) => timed_out("Systems Manager DescribeInstancePatchStates", region, limit),
    };
    let error = AppError::new(
        error.code,
        format!(
            "{}; the region's instances are listed without patch compliance",
            error.message
        ),
    );
    (Vec::new(), Some(error))
}

type Timed<T, E> = Result<Result<T, SdkError<E, HttpResponse>>, tokio::time::error::Elapsed>;

/// The region's managed nodes, then (when there are any) their patch states; each with its
/// own time limit. The patch states are `None` when the nodes could not be listed.
async fn systems_manager(
    ssm: &aws_sdk_ssm::Client,
    options: &FleetOptions,
) -> (
    Timed<Vec<InstanceInformation>, DescribeInstanceInformationError>,
    Option<Timed<Vec<InstancePatchState>, DescribeInstancePatchStatesError>>,
) {
    let limit = options.region_timeout;
    let nodes = tokio::time::timeout(limit, managed_nodes(ssm, options.ssm_page_size)).await;
    let ids: Vec<String> = match &nodes {
        Ok(Ok(nodes)) => nodes
            .iter()
            .filter_map(|n| n.instance_id().map(str::to_owned))
            .collect(),
        _ => return (nodes, None),
    };
    if ids.is_empty() {
        return (nodes, Some(Ok(Ok(Vec::new()))));
    }
    let states = tokio::time::timeout(limit, patches::patch_states(ssm, ids)).await;
    (nodes, Some(states))
}

async fn ec2_instances(
    ec2: &aws_sdk_ec2::Client,
    page_size: i32,
) -> Result<
    Vec<Ec2Instance>,
    SdkError<aws_sdk_ec2::operation::describe_instances::DescribeInstancesError>,
> {
    let mut pages = ec2
        .describe_instances()
        .max_results(page_size)
        .into_paginator()
        .send();
    let mut instances = Vec::new();
    while let Some(page) = pages.next().await {
        for reservation in page?.reservations.unwrap_or_default() {
            let owner_id = reservation.owner_id;
            instances.extend(reservation.instances.unwrap_or_default().into_iter().map(
                |instance| Ec2Instance {
                    owner_id: owner_id.clone(),
                    instance,
                },
            ));
        }
    }
    Ok(instances)
}

async fn managed_nodes(
    ssm: &aws_sdk_ssm::Client,
    page_size: i32,
) -> Result<Vec<InstanceInformation>, SdkError<DescribeInstanceInformationError>> {
    ssm.describe_instance_information()
        .max_results(page_size)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
}

/// EC2's error, with what AWS's codes for a region that is not enabled mean.
fn ec2_failure<E>(region: &str, err: &SdkError<E, HttpResponse>) -> AppError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let mapped = crate::from_sdk(err);
    match err.as_service_error().and_then(|e| e.code()) {
        Some("OptInRequired") => AppError::new(
            ErrorCode::InvalidInput,
            format!(
                "{region} is not enabled for this account (enable it in the account's settings, or leave it out): {}",
                mapped.message
            ),
        ),
        // A disabled opt-in region refuses every credential, so the same words that mean
        // "wrong keys" elsewhere mean "not enabled" here when other regions list.
        Some("AuthFailure") => AppError::new(
            ErrorCode::CredentialsInvalid,
            format!(
                "EC2 in {region} refused the credentials; if other regions list, {region} is probably not enabled for this account: {}",
                mapped.message
            ),
        ),
        _ => AppError::new(
            mapped.code,
            format!(
                "EC2 DescribeInstances in {region} failed{}: {}",
                http_status(err),
                mapped.message
            ),
        ),
    }
}

fn ssm_failure<E>(operation: &str, region: &str, err: &SdkError<E, HttpResponse>) -> AppError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let mapped = crate::from_sdk(err);
    AppError::new(
        mapped.code,
        format!(
            "Systems Manager {operation} in {region} failed{}: {}",
            http_status(err),
            mapped.message
        ),
    )
}

/// " with HTTP 500" when the answer carried no AWS error code, as from a proxy, an outage
/// page or an emulator without the call: the SDK's own words are then only a parse error.
fn http_status<E>(err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata,
{
    match err {
        SdkError::ServiceError(service) if service.err().code().is_none() => {
            format!(" with HTTP {}", service.raw().status().as_u16())
        }
        _ => String::new(),
    }
}

fn timed_out(service: &str, region: &str, limit: Duration) -> AppError {
    AppError::new(
        ErrorCode::Network,
        format!(
            "{service} in {region} did not answer within {limit:?} (offline, a proxy, or a slow network?)"
        ),
    )
}
