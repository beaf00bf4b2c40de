//! The instance and its agent: running, registered and online, and new enough.

use super::{Context, check, unknown};
use crate::agent::{AgentFeature, AgentVersion};
use crate::readiness::fixes;
use crate::readiness::report::{Check, CheckId, CheckStatus};
use crate::{InstanceState, PingStatus};

pub fn running(ctx: &Context<'_>) -> Option<Check> {
    let id = CheckId::InstanceRunning;
    let state = ctx.facts.state;
    Some(match state {
        InstanceState::Running => check(
            id,
            CheckStatus::Pass,
            "The instance is running.".into(),
            None,
        ),
        InstanceState::Pending => check(
            id,
            CheckStatus::Warn,
            "The instance is starting; its agent registers a few minutes after boot.".into(),
            None,
        ),
        InstanceState::Terminated | InstanceState::ShuttingDown => check(
            id,
            CheckStatus::Fail,
            "The instance is terminated (or shutting down) and cannot come back.".into(),
            None,
        ),
        InstanceState::Stopped | InstanceState::Stopping => check(
            id,
            CheckStatus::Fail,
            format!(
                "The instance is {}.",
                if state == InstanceState::Stopped {
                    "stopped"
                } else {
                    "stopping"
                }
            ),
            Some(fixes::start_instance(ctx.id(), ctx.region())),
        ),
    })
}

pub fn registered(ctx: &Context<'_>) -> Option<Check> {
    let id = CheckId::AgentRegistered;
    let fact = &ctx.facts.registration;
    let Some(registration) = fact.value() else {
        return Some(unknown(
            ctx,
            id,
            "whether Systems Manager knows the instance",
            fact,
        ));
    };
    let Some(registration) = registration else {
        return Some(check(
            id,
            CheckStatus::Fail,
            format!(
                "The instance is not a managed node: its agent never registered with Systems Manager in {}. The usual causes are no identity, no route to the endpoints, or no agent running.",
                ctx.region()
            ),
            Some(ctx.troubleshoot("Fix the identity and network findings below.")),
        ));
    };
    let last = registration
        .last_ping_at
        .as_deref()
        .map(|at| format!(", last ping {at}"))
        .unwrap_or_default();
    let stopped = ctx.facts.state != InstanceState::Running;
    Some(match registration.ping_status {
        PingStatus::Online => check(
            id,
            CheckStatus::Pass,
            format!("The agent is registered and online{last}."),
            None,
        ),
        status => {
            let words = match status {
                PingStatus::ConnectionLost => "lost its connection to Systems Manager",
                PingStatus::Inactive => "is registered but inactive",
                _ => "is not connected",
            };
            let cause = if stopped {
                " That is expected while the instance is not running."
            } else {
                " The service pings every 5 minutes; a running instance that stays like this cannot reach Systems Manager or lost its credentials."
            };
            check(
                id,
                CheckStatus::Fail,
                format!("The agent {words}{last}.{cause}"),
                (!stopped).then(|| ctx.troubleshoot("Check the network and identity findings.")),
            )
        }
    })
}

pub fn agent_version(ctx: &Context<'_>) -> Option<Check> {
    let id = CheckId::AgentVersion;
    let registration = ctx.facts.registration.value()?.as_ref()?;
    let Some(version) = &ctx.agent else {
        let text = registration.agent_version.as_deref().unwrap_or("none");
        return Some(check(
            id,
            CheckStatus::Unknown,
            format!("The agent reported no version Unyo can read ({text})."),
            None,
        ));
    };
    let at_least = |feature: AgentFeature| version >= &feature.minimum();
    let relies_on_dhmc = matches!(ctx.facts.identity.instance_profile.value(), Some(None));
    let update = Some(fixes::update_agent(ctx.id(), ctx.region(), ctx.online));
    Some(if !at_least(AgentFeature::SessionManager) {
        check(
            id,
            CheckStatus::Fail,
            format!(
                "Agent {version} predates Session Manager, which needs {}.",
                AgentFeature::SessionManager.minimum()
            ),
            update,
        )
    } else if !at_least(AgentFeature::PortForwardingAndSsh) {
        check(
            id,
            CheckStatus::Warn,
            format!(
                "Agent {version} opens shell sessions, but port forwarding and SSH need {}.",
                AgentFeature::PortForwardingAndSsh.minimum()
            ),
            update,
        )
    } else if !at_least(AgentFeature::DefaultHostManagement) && relies_on_dhmc {
        check(
            id,
            CheckStatus::Warn,
            format!(
                "Agent {version} is too old for Default Host Management, which needs {} (with IMDSv2).",
                AgentFeature::DefaultHostManagement.minimum()
            ),
            update,
        )
    } else {
        check(
            id,
            CheckStatus::Pass,
            format!(
                "Agent {version} supports shell sessions, port forwarding and SSH{}.",
                dhmc_note(version)
            ),
            None,
        )
    })
}

fn dhmc_note(version: &AgentVersion) -> String {
    if version >= &AgentFeature::DefaultHostManagement.minimum() {
        " and Default Host Management".into()
    } else {
        format!(
            " (Default Host Management would need {})",
            AgentFeature::DefaultHostManagement.minimum()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::diagnose;
    use super::super::testing::*;
    use crate::readiness::facts::{Fact, Registration, UnknownReason};
    use crate::readiness::report::{CheckId, CheckStatus};
    use crate::{InstanceState, PingStatus};

    fn status(facts: &crate::readiness::facts::ReadinessFacts, id: CheckId) -> Option<CheckStatus> {
        diagnose(facts).check(id).map(|c| c.status)
    }

    #[test]
    fn running_pending_stopped_and_terminated() {
        let mut facts = healthy();
        for (state, want) in [
            (InstanceState::Running, CheckStatus::Pass),
            (InstanceState::Pending, CheckStatus::Warn),
            (InstanceState::Stopped, CheckStatus::Fail),
            (InstanceState::Stopping, CheckStatus::Fail),
            (InstanceState::Terminated, CheckStatus::Fail),
        ] {
            facts.state = state;
            assert_eq!(
                status(&facts, CheckId::InstanceRunning),
                Some(want),
                "{state:?}"
            );
        }
        facts.state = InstanceState::Stopped;
        let report = diagnose(&facts);
        let fix = report
            .check(CheckId::InstanceRunning)
            .unwrap()
            .fix
            .as_ref()
            .unwrap();
        assert_eq!(
            fix.commands,
            ["aws ec2 start-instances --region ap-northeast-1 --instance-ids i-0abc"]
        );
    }

    fn registration(status: PingStatus) -> Fact<Option<Registration>> {
        Fact::known(Some(Registration {
            ping_status: status,
            last_ping_at: Some("2026-11-28T07:14:03Z".into()),
            agent_version: Some("3.3.1142.0".into()),
        }))
    }

    #[test]
    fn registration_online_lost_absent_and_unknown() {
        let mut facts = healthy();
        facts.registration = registration(PingStatus::ConnectionLost);
        let report = diagnose(&facts);
        let lost = report.check(CheckId::AgentRegistered).unwrap();
        assert_eq!(lost.status, CheckStatus::Fail);
        assert!(
            lost.evidence.contains("last ping 2026-11-28T07:14:03Z"),
            "{}",
            lost.evidence
        );
        assert_eq!(
            lost.fix.as_ref().unwrap().runbook.as_deref(),
            Some("AWSSupport-TroubleshootManagedInstance")
        );

        unmanaged(&mut facts);
        let report = diagnose(&facts);
        let absent = report.check(CheckId::AgentRegistered).unwrap();
        assert_eq!(absent.status, CheckStatus::Fail);
        assert!(absent.evidence.contains("not a managed node"));
        assert!(
            report.check(CheckId::AgentVersion).is_none(),
            "no agent, no version check"
        );

        facts.registration =
            Fact::unknown(UnknownReason::Denied, "ssm:DescribeInstanceInformation");
        let report = diagnose(&facts);
        let unknown = report.check(CheckId::AgentRegistered).unwrap();
        assert_eq!(unknown.status, CheckStatus::Unknown);
        assert!(
            unknown
                .evidence
                .contains("access denied (ssm:DescribeInstanceInformation)")
        );
    }

    #[test]
    fn a_stopped_instance_losing_its_agent_is_expected() {
        let mut facts = healthy();
        facts.state = InstanceState::Stopped;
        facts.registration = registration(PingStatus::ConnectionLost);
        let report = diagnose(&facts);
        let check = report.check(CheckId::AgentRegistered).unwrap();
        assert!(
            check
                .evidence
                .contains("expected while the instance is not running")
        );
        assert!(check.fix.is_none(), "starting it is the fix, given once");
    }

    fn with_agent(version: &str) -> crate::readiness::facts::ReadinessFacts {
        let mut facts = healthy();
        facts.registration = Fact::known(Some(Registration {
            ping_status: PingStatus::Online,
            last_ping_at: None,
            agent_version: Some(version.into()),
        }));
        facts
    }

    #[test]
    fn agent_versions_against_feature_thresholds() {
        for (version, want) in [
            ("2.3.50.0", CheckStatus::Fail),
            ("2.3.1319.0", CheckStatus::Warn),
            ("3.0.222.0", CheckStatus::Pass),
            ("3.3.1142.0", CheckStatus::Pass),
            ("latest", CheckStatus::Unknown),
        ] {
            assert_eq!(
                status(&with_agent(version), CheckId::AgentVersion),
                Some(want),
                "{version}"
            );
        }
        let report = diagnose(&with_agent("2.3.1319.0"));
        let check = report.check(CheckId::AgentVersion).unwrap();
        assert!(
            check
                .evidence
                .contains("port forwarding and SSH need 3.0.222.0")
        );
        assert_eq!(
            check.fix.as_ref().unwrap().runbook.as_deref(),
            Some("AWS-UpdateSSMAgent")
        );
    }

    #[test]
    fn default_host_management_needs_a_newer_agent_only_when_relied_on() {
        let mut facts = with_agent("3.1.1080.0");
        assert_eq!(
            status(&facts, CheckId::AgentVersion),
            Some(CheckStatus::Pass)
        );
        facts.identity.instance_profile = Fact::known(None);
        facts.identity.dhmc = Fact::known(crate::readiness::facts::Dhmc {
            role: Some("service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole".into()),
        });
        let report = diagnose(&facts);
        let check = report.check(CheckId::AgentVersion).unwrap();
        assert_eq!(check.status, CheckStatus::Warn);
        assert!(check.evidence.contains("3.2.582.0"));
    }
}
