//! Patch Manager's compliance summary of a region's managed instances:
//! `DescribeInstancePatchStates`, which names at most 50 instances per call. The ids go in
//! batches, a few batches at a time, each batch's pages read to the end. An instance Patch
//! Manager never scanned is simply not in the answer.

use aws_sdk_ssm::error::SdkError;
use aws_sdk_ssm::operation::describe_instance_patch_states::DescribeInstancePatchStatesError;
use aws_sdk_ssm::types as ssm;
use aws_smithy_types::date_time::Format;
use futures_util::{StreamExt, TryStreamExt};
use unyo_core::{PatchCompliance, PatchOperation, PatchSummary};

/// The most instance ids one call accepts.
pub(crate) const IDS_PER_CALL: usize = 50;
/// Patch states per page; a batch's states usually fit in one.
const PAGE_SIZE: i32 = 50;
/// Batches asked at the same time in one region: enough to hide round trips for a large
/// fleet, few enough to stay clear of Systems Manager's request rate.
const BATCHES_AT_ONCE: usize = 4;

/// The patch states of `ids` (managed instance ids; empty asks nothing).
pub(crate) async fn patch_states(
    ssm: &aws_sdk_ssm::Client,
    ids: Vec<String>,
) -> Result<Vec<ssm::InstancePatchState>, SdkError<DescribeInstancePatchStatesError>> {
    let batches: Vec<Vec<String>> = ids.chunks(IDS_PER_CALL).map(<[String]>::to_vec).collect();
    futures_util::stream::iter(batches)
        .map(|batch| {
            ssm.describe_instance_patch_states()
                .set_instance_ids(Some(batch))
                .max_results(PAGE_SIZE)
                .into_paginator()
                .items()
                .send()
                .try_collect()
        })
        .buffer_unordered(BATCHES_AT_ONCE)
        .try_concat()
        .await
}

/// What the fleet shows of one instance's patch state.
pub(crate) fn summary(state: &ssm::InstancePatchState) -> PatchSummary {
    let count = |n: i32| u32::try_from(n).unwrap_or(0);
    let optional = |n: Option<i32>| n.map_or(0, count);
    let time = |t: &aws_smithy_types::DateTime| t.fmt(Format::DateTime).unwrap_or_default();
    let mut summary = PatchSummary {
        state: PatchCompliance::Compliant,
        baseline_id: state.baseline_id().to_owned(),
        patch_group: state.patch_group().to_owned(),
        installed: count(state.installed_count()),
        installed_other: count(state.installed_other_count()),
        installed_pending_reboot: optional(state.installed_pending_reboot_count()),
        installed_rejected: optional(state.installed_rejected_count()),
        missing: count(state.missing_count()),
        failed: count(state.failed_count()),
        not_applicable: count(state.not_applicable_count()),
        critical_non_compliant: optional(state.critical_non_compliant_count()),
        security_non_compliant: optional(state.security_non_compliant_count()),
        other_non_compliant: optional(state.other_non_compliant_count()),
        operation: match state.operation() {
            ssm::PatchOperationType::Install => PatchOperation::Install,
            // Scan, and any kind this SDK does not know: it reported without installing.
            _ => PatchOperation::Scan,
        },
        operation_started_at: time(state.operation_start_time()),
        operation_ended_at: time(state.operation_end_time()),
    };
    summary.state = summary.compliance();
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_types::DateTime;

    #[test]
    fn a_patch_state_becomes_a_summary() {
        let state = ssm::InstancePatchState::builder()
            .instance_id("i-1")
            .patch_group("")
            .baseline_id("pb-0123456789abcdef0")
            .installed_count(410)
            .installed_other_count(2)
            .missing_count(3)
            .failed_count(0)
            .not_applicable_count(1200)
            .critical_non_compliant_count(1)
            .security_non_compliant_count(2)
            .operation(ssm::PatchOperationType::Scan)
            .operation_start_time(DateTime::from_secs(1_800_000_000))
            .operation_end_time(DateTime::from_secs(1_800_000_090))
            .build()
            .unwrap();
        let summary = summary(&state);
        assert_eq!(summary.state, PatchCompliance::NonCompliant);
        assert_eq!((summary.missing, summary.critical_non_compliant), (3, 1));
        assert_eq!(
            summary.installed_pending_reboot, 0,
            "absent counts are zero"
        );
        assert_eq!(summary.operation, PatchOperation::Scan);
        assert_eq!(summary.operation_ended_at, "2027-01-15T08:01:30Z");
    }
}
