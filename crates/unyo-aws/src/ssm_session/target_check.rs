//! Before `StartSession`: is the target's agent connected to Systems Manager at all? The
//! service's own `TargetNotConnected` says only that it is not; the instance's ping status
//! (`DescribeInstanceInformation`) says whether the agent was never registered in this
//! account and region or has stopped checking in, and so what to look at first.
//!
//! The check never stands in the way of a session that might work: when the lookup itself
//! fails (the identity may not call `ssm:DescribeInstanceInformation`, which many
//! session-only policies leave out, or the call is throttled), the session is started anyway
//! and the service has the last word.

use aws_sdk_ssm::types::{InstanceInformationStringFilter, PingStatus};
use unyo_core::{AppError, ErrorCode};

use super::Sessions;

/// What to check when an agent is not connected; the same advice for every case, since
/// each of these stops an agent from checking in.
const WHAT_TO_CHECK: &str = "Check that SSM Agent is installed and running on it; that it \
     has an IAM role allowing Systems Manager (an instance profile with \
     AmazonSSMManagedInstanceCore, or Default Host Management Configuration turned on for the \
     account and region); and that it can reach the ssm, ssmmessages and ec2messages endpoints \
     over HTTPS (outbound 443 through a NAT gateway, a proxy or VPC interface endpoints)";

/// What the lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TargetStatus {
    Online,
    /// Registered, with this ping status (`ConnectionLost`, `Inactive`).
    Offline(String),
    NotRegistered,
    /// The lookup failed or was not made; nothing is known.
    Unknown,
}

impl Sessions {
    /// Fails with `TargetNotConnected`, saying what to check, when Systems Manager knows
    /// that `target`'s agent cannot take a session. Any other outcome lets the session start.
    pub async fn check_target(&self, target: &str) -> Result<(), AppError> {
        let region = self.region().unwrap_or("this region");
        let why = match self.target_status(target).await {
            TargetStatus::Online | TargetStatus::Unknown => return Ok(()),
            TargetStatus::Offline(ping) => format!(
                "{target} is registered with Systems Manager in {region} but its agent is not \
                 connected (ping status {ping}): the instance may be stopped, or its agent has \
                 stopped checking in."
            ),
            TargetStatus::NotRegistered => format!(
                "{target} is not registered with Systems Manager in {region}: its agent has \
                 never checked in here, or the instance is in another region or account."
            ),
        };
        Err(AppError::new(
            ErrorCode::TargetNotConnected,
            format!("{why} {WHAT_TO_CHECK}."),
        ))
    }

    pub(super) async fn target_status(&self, target: &str) -> TargetStatus {
        // ECS tasks and anything else that is not an instance or a managed node are not in
        // the inventory this looks at.
        if !(target.starts_with("i-") || target.starts_with("mi-")) {
            return TargetStatus::Unknown;
        }
        let filter = match InstanceInformationStringFilter::builder()
            .key("InstanceIds")
            .values(target)
            .build()
        {
            Ok(filter) => filter,
            Err(err) => {
                tracing::warn!(%err, "could not build the ping status filter");
                return TargetStatus::Unknown;
            }
        };
        let answer = self
            .client
            .describe_instance_information()
            .filters(filter)
            .send()
            .await;
        let output = match answer {
            Ok(output) => output,
            Err(err) => {
                let err = crate::from_sdk(&err);
                tracing::info!(target, code = ?err.code, error = %err.message, "ping status unknown; starting the session anyway");
                return TargetStatus::Unknown;
            }
        };
        let found = output
            .instance_information_list()
            .iter()
            .find(|info| info.instance_id() == Some(target));
        let Some(info) = found else {
            return TargetStatus::NotRegistered;
        };
        match info.ping_status() {
            Some(PingStatus::Online) => TargetStatus::Online,
            Some(status @ (PingStatus::ConnectionLost | PingStatus::Inactive)) => {
                TargetStatus::Offline(status.as_str().to_owned())
            }
            // A status this SDK does not know yet may well be a connected one.
            _ => TargetStatus::Unknown,
        }
    }
}
