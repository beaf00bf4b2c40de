//! Patch Manager's view of the practice fleet: a nightly `AWS-RunPatchBaseline` scan in each
//! region against the default baseline of each operating system, a Windows baseline of the
//! team's own installed on Sundays, and the gaps worth teaching: critical and security patches
//! missing on a neglected proxy, an install waiting for a reboot, a Windows update that failed.
//! Instances nobody scans have no patch data at all, as in a real account.
//!
//! The baseline ids are made up in AWS's `pb-` form; the counts are the size real scans report.

use unyo_core::{PatchCompliance, PatchOperation, PatchSummary};

/// Stand-ins for the AWS-provided default baselines, and the team's Windows baseline.
pub(super) const AMAZON_LINUX_2023: &str = "pb-0f6a0c3e1b2d4a023";
pub(super) const AMAZON_LINUX_2: &str = "pb-0b2a4c6e8d0f1a002";
pub(super) const UBUNTU: &str = "pb-0c3b5d7f9e1a2b004";
pub(super) const WINDOWS_PRODUCTION: &str = "pb-0d4c6e8a0f2b3c005";

/// When an operation ran: its start and end, RFC 3339.
pub(super) type Window = (&'static str, &'static str);

/// 03:00 in Tokyo (JST) last night.
pub(super) const TOKYO_NIGHTLY: Window = ("2026-11-27T18:00:04Z", "2026-11-27T18:01:37Z");
/// 03:00 in N. Virginia (EST) this morning.
pub(super) const VIRGINIA_NIGHTLY: Window = ("2026-11-28T08:00:03Z", "2026-11-28T08:01:52Z");
/// The Windows maintenance window in every region: Saturday 17:00 UTC (Sunday 02:00 in Tokyo).
pub(super) const WINDOWS_INSTALL: Window = ("2026-11-21T17:00:00Z", "2026-11-21T17:24:51Z");
/// The last scan an instance sent before its agent lost its connection.
pub(super) const BEFORE_LOST: Window = ("2026-11-26T18:00:02Z", "2026-11-26T18:01:29Z");

/// A scan that found every approved patch installed.
pub(super) fn scanned(
    baseline: &str,
    window: Window,
    installed: u32,
    not_applicable: u32,
) -> PatchSummary {
    PatchSummary {
        state: PatchCompliance::Compliant,
        baseline_id: baseline.to_owned(),
        patch_group: String::new(),
        installed,
        installed_other: 0,
        installed_pending_reboot: 0,
        installed_rejected: 0,
        missing: 0,
        failed: 0,
        not_applicable,
        critical_non_compliant: 0,
        security_non_compliant: 0,
        other_non_compliant: 0,
        operation: PatchOperation::Scan,
        operation_started_at: window.0.to_owned(),
        operation_ended_at: window.1.to_owned(),
    }
}

/// Changes to a clean scan; the compliance state follows from the counts.
pub(super) trait Gaps {
    /// The counts come from an install, not a scan.
    fn install(self) -> Self;
    fn group(self, name: &str) -> Self;
    fn other(self, count: u32) -> Self;
    /// `count` approved patches not installed: `critical` of Critical severity, `security`
    /// security updates, the rest neither.
    fn missing(self, count: u32, critical: u32, security: u32) -> Self;
    fn pending_reboot(self, count: u32) -> Self;
    fn failed(self, count: u32, security: u32) -> Self;
}

impl Gaps for PatchSummary {
    fn install(mut self) -> Self {
        self.operation = PatchOperation::Install;
        self
    }

    fn group(mut self, name: &str) -> Self {
        name.clone_into(&mut self.patch_group);
        self
    }

    fn other(mut self, count: u32) -> Self {
        self.installed_other = count;
        self
    }

    fn missing(mut self, count: u32, critical: u32, security: u32) -> Self {
        self.missing = count;
        self.critical_non_compliant += critical;
        self.security_non_compliant += security;
        self.other_non_compliant += count.saturating_sub(critical + security);
        self
    }

    fn pending_reboot(mut self, count: u32) -> Self {
        self.installed_pending_reboot = count;
        self.installed += count;
        self.other_non_compliant += count;
        self
    }

    fn failed(mut self, count: u32, security: u32) -> Self {
        self.failed = count;
        self.security_non_compliant += security;
        self.other_non_compliant += count.saturating_sub(security);
        self
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use unyo_core::{Instance, PatchCompliance, PingStatus};

    fn by_name() -> HashMap<String, Instance> {
        super::super::instances()
            .into_iter()
            .map(|i| (i.name.clone(), i))
            .collect()
    }

    #[test]
    fn some_instances_are_compliant_some_are_not_and_some_have_no_data() {
        let fleet = by_name();
        let state = |name: &str| fleet[name].patches.as_ref().map(|p| p.state);
        assert_eq!(state("web-prod-1"), Some(PatchCompliance::Compliant));
        assert_eq!(state("win-ad-1"), Some(PatchCompliance::Compliant));
        for name in ["db-proxy-1", "batch-worker-1", "win-sql-1"] {
            assert_eq!(state(name), Some(PatchCompliance::NonCompliant), "{name}");
        }
        for name in ["win-iis-1", "staging-web-1", "legacy-app-1", "monitoring-1"] {
            assert_eq!(state(name), None, "{name} is managed but never scanned");
        }
        let proxy = fleet["db-proxy-1"].patches.as_ref().unwrap();
        assert!(proxy.missing > 0 && proxy.critical_non_compliant > 0);
        assert!(proxy.security_non_compliant > 0);
        let reboot = fleet["batch-worker-1"].patches.as_ref().unwrap();
        assert_eq!((reboot.missing, reboot.installed_pending_reboot), (0, 2));
    }

    #[test]
    fn only_managed_instances_have_patch_data_and_it_is_not_newer_than_their_last_ping() {
        for i in super::super::instances() {
            let Some(patches) = &i.patches else { continue };
            assert_ne!(i.ping_status, PingStatus::NotManaged, "{}", i.name);
            let last_ping = i.last_ping_at.as_deref().unwrap();
            assert!(
                patches.operation_ended_at.as_str() <= last_ping,
                "{}",
                i.name
            );
            assert!(patches.operation_started_at < patches.operation_ended_at);
            assert!(patches.baseline_id.starts_with("pb-"), "{}", i.name);
            let non_compliant = patches.critical_non_compliant
                + patches.security_non_compliant
                + patches.other_non_compliant;
            assert_eq!(
                non_compliant > 0,
                patches.state == PatchCompliance::NonCompliant,
                "{}",
                i.name
            );
        }
    }
}
