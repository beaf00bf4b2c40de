//! A security finding rather than a connection problem: SSH or RDP open to the whole internet,
//! which Session Manager makes unnecessary.

use super::{Context, check, unknown};
use crate::readiness::fixes;
use crate::readiness::net;
use crate::readiness::report::{Check, CheckId, CheckStatus};

const ADMIN_PORTS: [(u16, &str); 2] = [(22, "SSH"), (3389, "RDP")];

pub fn public_admin_ports(ctx: &Context<'_>) -> Option<Check> {
    let id = CheckId::PublicAdminPorts;
    let fact = &ctx.facts.network.security_groups;
    let Some(groups) = fact.value() else {
        return Some(unknown(ctx, id, "the instance's security groups", fact));
    };
    let mut findings = Vec::new();
    let mut open_groups: Vec<&str> = Vec::new();
    for group in groups {
        for (port, protocol) in ADMIN_PORTS {
            if let Some(rule) = group
                .inbound
                .iter()
                .find(|r| net::open_to_internet(r, port))
            {
                let from: Vec<&str> = rule
                    .ipv4_ranges
                    .iter()
                    .chain(&rule.ipv6_ranges)
                    .map(String::as_str)
                    .filter(|r| *r == "0.0.0.0/0" || *r == "::/0")
                    .collect();
                findings.push(format!(
                    "{} ({}) admits {protocol} on port {port} from {}",
                    group.id,
                    group.name,
                    from.join(" and ")
                ));
                if !open_groups.contains(&group.id.as_str()) {
                    open_groups.push(&group.id);
                }
            }
        }
    }
    Some(if findings.is_empty() {
        check(
            id,
            CheckStatus::Pass,
            "No security group of the instance opens SSH (22) or RDP (3389) to the internet."
                .into(),
            None,
        )
    } else {
        check(
            id,
            CheckStatus::Warn,
            format!(
                "Security group {}. Session Manager needs no inbound port.",
                findings.join("; ")
            ),
            Some(fixes::close_admin_ports(&open_groups, ctx.region())),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::super::diagnose;
    use super::super::testing::*;
    use crate::readiness::report::{CheckId, CheckStatus};

    #[test]
    fn ssh_or_rdp_open_to_the_internet_warns_with_the_runbook() {
        let mut facts = healthy();
        assert_eq!(
            diagnose(&facts)
                .check(CheckId::PublicAdminPorts)
                .unwrap()
                .status,
            CheckStatus::Pass
        );
        open_inbound(&mut facts, 3389);
        let report = diagnose(&facts);
        let check = report.check(CheckId::PublicAdminPorts).unwrap();
        assert_eq!(check.status, CheckStatus::Warn);
        assert!(
            check
                .evidence
                .contains("sg-app (sg-app-name) admits RDP on port 3389 from 0.0.0.0/0"),
            "{}",
            check.evidence
        );
        let fix = check.fix.as_ref().unwrap();
        assert_eq!(
            fix.runbook.as_deref(),
            Some("AWS-DisablePublicAccessForSecurityGroup")
        );
        assert_eq!(
            fix.commands,
            [
                "aws ssm start-automation-execution --region ap-northeast-1 --document-name AWS-DisablePublicAccessForSecurityGroup --parameters GroupId=sg-app"
            ]
        );
    }

    #[test]
    fn ipv6_and_narrow_sources() {
        let mut facts = healthy();
        if let crate::readiness::facts::Fact::Known { value } = &mut facts.network.security_groups {
            let mut v6 = rule("tcp", Some((22, 22)), &["10.0.0.0/8"]);
            value[0].inbound.push(v6.clone());
            assert_eq!(
                diagnose(&facts)
                    .check(CheckId::PublicAdminPorts)
                    .unwrap()
                    .status,
                CheckStatus::Pass
            );
            if let crate::readiness::facts::Fact::Known { value } =
                &mut facts.network.security_groups
            {
                v6.ipv6_ranges = vec!["::/0".into()];
                value[0].inbound = vec![v6];
            }
        }
        let report = diagnose(&facts);
        let check = report.check(CheckId::PublicAdminPorts).unwrap();
        assert!(check.evidence.contains("from ::/0"), "{}", check.evidence);
    }
}
