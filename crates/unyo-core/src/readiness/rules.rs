//! The rules: [`diagnose`] turns one instance's facts into checks and a verdict. Each rule
//! lives with its neighbours (the instance and agent, identity, the network path, the
//! filters on it, security) and returns `None` when it does not apply to the instance.

mod filters;
mod identity;
mod instance;
mod path;
mod security;
#[cfg(test)]
mod testing;

use super::facts::{Fact, ReadinessFacts};
use super::fixes;
use super::report::{Check, CheckId, CheckStatus, Fix, Outcome, ReadinessReport, Verdict};
use crate::PingStatus;
use crate::agent::AgentVersion;

/// Judges one instance. Pure: the same facts always give the same report.
pub fn diagnose(facts: &ReadinessFacts) -> ReadinessReport {
    let ctx = Context::new(facts);
    let mut checks: Vec<Check> = [
        instance::running(&ctx),
        instance::registered(&ctx),
        instance::agent_version(&ctx),
        identity::identity(&ctx),
        identity::imds(&ctx),
        path::route(&ctx),
        filters::security_group_egress(&ctx),
        filters::endpoint_security_groups(&ctx),
        path::s3_gateway(&ctx),
        filters::network_acl(&ctx),
        path::vpc_dns(&ctx),
        security::public_admin_ports(&ctx),
    ]
    .into_iter()
    .flatten()
    .collect();
    if ctx.online {
        soften_contradicted(&mut checks);
    }
    ReadinessReport {
        instance_id: facts.instance_id.clone(),
        name: facts.name.clone(),
        region: facts.region.clone(),
        verdict: verdict(&checks),
        checks,
    }
}

/// What every rule needs, worked out once.
pub(super) struct Context<'a> {
    pub facts: &'a ReadinessFacts,
    pub online: bool,
    pub agent: Option<AgentVersion>,
    pub paths: path::Paths,
}

impl<'a> Context<'a> {
    fn new(facts: &'a ReadinessFacts) -> Self {
        let registration = facts.registration.value().and_then(Option::as_ref);
        let online = registration.is_some_and(|r| r.ping_status == PingStatus::Online);
        let agent = registration
            .and_then(|r| r.agent_version.as_deref())
            .and_then(|v| v.parse().ok());
        Self {
            facts,
            online,
            agent,
            paths: path::Paths::of(facts),
        }
    }

    pub fn region(&self) -> &str {
        &self.facts.region
    }

    pub fn id(&self) -> &str {
        &self.facts.instance_id
    }

    pub fn troubleshoot(&self, summary: &str) -> Fix {
        fixes::troubleshoot(self.id(), self.region(), summary)
    }
}

pub(super) fn title(id: CheckId) -> &'static str {
    match id {
        CheckId::InstanceRunning => "The instance is running",
        CheckId::AgentRegistered => "The SSM Agent is registered and online",
        CheckId::AgentVersion => "The agent is new enough for Session Manager's features",
        CheckId::Identity => {
            "The agent has an identity (instance profile or Default Host Management)"
        }
        CheckId::Imds => "Instance metadata (IMDSv2) is available to the agent",
        CheckId::NetworkRoute => "The subnet routes to Systems Manager's endpoints",
        CheckId::SecurityGroupEgress => "Security groups allow HTTPS (443) out",
        CheckId::EndpointSecurityGroup => "VPC endpoints admit HTTPS from the instance",
        CheckId::S3GatewayEndpoint => "An S3 gateway endpoint serves the subnet",
        CheckId::NetworkAcl => "The network ACL lets HTTPS out and its replies in",
        CheckId::VpcDns => "The VPC resolves DNS names",
        CheckId::PublicAdminPorts => "No SSH or RDP port is open to the internet",
    }
}

pub(super) fn check(id: CheckId, status: CheckStatus, evidence: String, fix: Option<Fix>) -> Check {
    Check {
        id,
        title: title(id).to_owned(),
        status,
        evidence,
        fix,
    }
}

/// A check whose facts could not be observed.
pub(super) fn unknown<T>(ctx: &Context<'_>, id: CheckId, what: &str, fact: &Fact<T>) -> Check {
    let why = fact.why_unknown().unwrap_or_default();
    check(
        id,
        CheckStatus::Unknown,
        format!("Unyo could not see {what}: {why}."),
        Some(ctx.troubleshoot("Grant Unyo the read permission, or let AWS check.")),
    )
}

/// Checks an online agent contradicts: it reaches Systems Manager with credentials, so a
/// "fail" from Unyo's reading of the rules means something it cannot see (a proxy, a prefix
/// list, an inline policy). They become warnings that say so. Checks about `ssmmessages`
/// alone are left as they are: an agent can be online and still unable to open sessions.
fn soften_contradicted(checks: &mut [Check]) {
    const CONTRADICTED: [CheckId; 5] = [
        CheckId::Identity,
        CheckId::Imds,
        CheckId::SecurityGroupEgress,
        CheckId::NetworkAcl,
        CheckId::VpcDns,
    ];
    for check in checks
        .iter_mut()
        .filter(|c| c.status == CheckStatus::Fail && CONTRADICTED.contains(&c.id))
    {
        check.status = CheckStatus::Warn;
        check.evidence.push_str(
            " Yet the agent is online, so it gets through some way Unyo cannot see (a proxy, a prefix list, an inline policy); verify before relying on it.",
        );
    }
}

/// The first sentence of an evidence text, as a clause after "because".
fn clause(text: &str) -> String {
    let sentence = text
        .split(". ")
        .next()
        .unwrap_or(text)
        .trim_end_matches('.');
    let mut chars = sentence.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => first
            .to_lowercase()
            .chain(sentence.chars().skip(1))
            .collect(),
        _ => sentence.to_owned(),
    }
}

fn verdict(checks: &[Check]) -> Verdict {
    let with = |status: CheckStatus, blocking: bool| -> Vec<&Check> {
        checks
            .iter()
            .filter(|c| c.status == status && (!blocking || c.id.blocks_sessions()))
            .collect()
    };
    let failed = with(CheckStatus::Fail, true);
    if !failed.is_empty() {
        let reasons: Vec<String> = failed.iter().map(|c| clause(&c.evidence)).collect();
        return Verdict {
            outcome: Outcome::NotReady,
            summary: format!("Session Manager won't work, because {}", reasons.join("; ")),
        };
    }
    let unknown = with(CheckStatus::Unknown, true);
    if !unknown.is_empty() {
        let titles: Vec<&str> = unknown.iter().map(|c| c.title.as_str()).collect();
        return Verdict {
            outcome: Outcome::Unknown,
            summary: format!(
                "Unyo can't tell whether Session Manager will work: it could not check {}",
                titles.join("; ").to_lowercase()
            ),
        };
    }
    let warned: Vec<&Check> = checks
        .iter()
        .filter(|c| matches!(c.status, CheckStatus::Warn | CheckStatus::Fail))
        .collect();
    if warned.is_empty() {
        return Verdict {
            outcome: Outcome::Ready,
            summary: "Session Manager will work".to_owned(),
        };
    }
    let reasons: Vec<String> = warned.iter().map(|c| clause(&c.evidence)).collect();
    Verdict {
        outcome: Outcome::ReadyWithWarnings,
        summary: format!("Session Manager will work, but {}", reasons.join("; ")),
    }
}

#[cfg(test)]
mod tests {
    use super::testing::healthy;
    use super::*;
    use crate::InstanceState;

    #[test]
    fn a_healthy_instance_is_ready_and_every_check_passes() {
        let report = diagnose(&healthy());
        assert_eq!(report.verdict.outcome, Outcome::Ready, "{report:#?}");
        assert_eq!(report.verdict.summary, "Session Manager will work");
        assert!(report.checks.iter().all(|c| c.status == CheckStatus::Pass));
        assert!(report.checks.iter().all(|c| c.fix.is_none()));
    }

    #[test]
    fn a_failure_says_why_in_the_verdict() {
        let mut facts = healthy();
        facts.state = InstanceState::Stopped;
        let report = diagnose(&facts);
        assert_eq!(report.verdict.outcome, Outcome::NotReady);
        assert!(
            report
                .verdict
                .summary
                .starts_with("Session Manager won't work, because the instance is stopped"),
            "{}",
            report.verdict.summary
        );
    }

    #[test]
    fn an_open_ssh_port_warns_but_sessions_still_work() {
        let mut facts = healthy();
        testing::open_inbound(&mut facts, 22);
        let report = diagnose(&facts);
        assert_eq!(report.verdict.outcome, Outcome::ReadyWithWarnings);
        assert!(
            report.verdict.summary.contains("port 22"),
            "{}",
            report.verdict.summary
        );
    }

    #[test]
    fn unknown_facts_make_an_unknown_verdict_unless_something_fails() {
        let mut facts = healthy();
        facts.identity.instance_profile = Fact::unknown(
            super::super::facts::UnknownReason::Denied,
            "ec2:DescribeInstances",
        );
        facts.registration = Fact::unknown(
            super::super::facts::UnknownReason::Unsupported,
            "DescribeInstanceInformation",
        );
        let report = diagnose(&facts);
        assert_eq!(report.verdict.outcome, Outcome::Unknown, "{report:#?}");
        assert!(report.verdict.summary.contains("could not check"));
        facts.state = InstanceState::Stopped;
        assert_eq!(diagnose(&facts).verdict.outcome, Outcome::NotReady);
    }

    #[test]
    fn the_fixes_unyo_can_make_carry_their_action() {
        use crate::readiness::ReadinessAction;
        let action = |facts: &ReadinessFacts, id: CheckId| {
            diagnose(facts)
                .check(id)
                .and_then(|c| c.fix.clone())
                .and_then(|f| f.action)
        };
        let mut facts = healthy();
        testing::unmanaged(&mut facts);
        facts.identity.instance_profile = Fact::known(None);
        if let Fact::Known { value } = &mut facts.network.security_groups {
            value[0].outbound.clear();
        }
        assert_eq!(
            action(&facts, CheckId::Identity),
            Some(ReadinessAction::EnableDefaultHostManagement {
                region: "ap-northeast-1".into()
            })
        );
        assert_eq!(
            action(&facts, CheckId::AgentRegistered),
            Some(ReadinessAction::TroubleshootManagedInstance {
                region: "ap-northeast-1".into(),
                instance_id: "i-0abc".into()
            })
        );
        assert_eq!(
            action(&facts, CheckId::SecurityGroupEgress),
            Some(ReadinessAction::AllowHttpsEgress {
                region: "ap-northeast-1".into(),
                group_id: "sg-app".into(),
                cidr: "0.0.0.0/0".into()
            })
        );

        // Run Command reaches online agents only.
        let mut old = healthy();
        if let Fact::Known { value: Some(r) } = &mut old.registration {
            r.agent_version = Some("2.3.0.0".into());
        }
        assert!(matches!(
            action(&old, CheckId::AgentVersion),
            Some(ReadinessAction::UpdateAgent { .. })
        ));
        if let Fact::Known { value: Some(r) } = &mut old.registration {
            r.ping_status = PingStatus::ConnectionLost;
        }
        let fix = diagnose(&old)
            .check(CheckId::AgentVersion)
            .unwrap()
            .fix
            .clone();
        assert!(fix.as_ref().is_some_and(|f| f.action.is_none()), "{fix:?}");
        assert!(fix.is_some_and(|f| f.commands[0].contains("AWS-UpdateSSMAgent")));
    }

    #[test]
    fn verdict_clauses_keep_acronyms() {
        assert_eq!(clause("IMDS is off. More."), "IMDS is off");
        assert_eq!(
            clause("The subnet has no route."),
            "the subnet has no route"
        );
    }
}
