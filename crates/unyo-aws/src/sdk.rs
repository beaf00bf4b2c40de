//! Loading an `SdkConfig` for a profile, a region and (for the emulator) an endpoint.

use aws_config::{BehaviorVersion, Region, SdkConfig};

/// Which profile and region to use; `None` follows the SDK's defaults (`AWS_PROFILE`,
/// `AWS_REGION`, the profile's `region`), exactly as the AWS CLI does.
#[derive(Debug, Clone, Default)]
pub struct ConfigRequest {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// Sends every call here instead of AWS (a local emulator such as moto); like the AWS
    /// CLI's `--endpoint-url`. `AWS_ENDPOINT_URL` is honoured by the SDK itself.
    pub endpoint_url: Option<String>,
}

pub async fn load(request: &ConfigRequest) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(profile) = &request.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &request.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(endpoint) = &request.endpoint_url {
        loader = loader.endpoint_url(endpoint);
    }
    loader.load().await
}
