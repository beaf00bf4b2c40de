//! Rules of the filters on the path, each on facts broken one way.

use super::super::diagnose;
use super::super::testing::*;
use crate::readiness::facts::*;
use crate::readiness::report::{Check, CheckId, CheckStatus};

fn get(facts: &ReadinessFacts, id: CheckId) -> Option<Check> {
    diagnose(facts).check(id).cloned()
}

fn outbound(facts: &mut ReadinessFacts, rules: Vec<SecurityGroupRule>) {
    facts.network.security_groups = Fact::known(vec![group("sg-app", vec![], rules)]);
}

#[test]
fn a_security_group_without_443_egress_fails() {
    let mut facts = healthy();
    unmanaged(&mut facts);
    outbound(
        &mut facts,
        vec![rule("tcp", Some((5432, 5432)), &["10.0.0.0/16"])],
    );
    let check = get(&facts, CheckId::SecurityGroupEgress).unwrap();
    assert_eq!(check.status, CheckStatus::Fail);
    assert!(
        check.evidence.contains("to the internet (0.0.0.0/0)"),
        "{}",
        check.evidence
    );
    assert!(
        check.fix.unwrap().commands[0]
            .contains("authorize-security-group-egress --region ap-northeast-1 --group-id sg-app")
    );
    outbound(
        &mut facts,
        vec![rule("tcp", Some((443, 443)), &["0.0.0.0/0"])],
    );
    assert_eq!(
        get(&facts, CheckId::SecurityGroupEgress).unwrap().status,
        CheckStatus::Pass
    );
}

#[test]
fn egress_to_the_vpc_is_enough_for_endpoints() {
    let mut facts = healthy();
    unmanaged(&mut facts);
    default_route(&mut facts, None);
    endpoints(&mut facts, &["ssm", "ssmmessages", "ec2messages"], VPC_CIDR);
    outbound(&mut facts, vec![rule("tcp", Some((443, 443)), &[VPC_CIDR])]);
    assert_eq!(
        get(&facts, CheckId::SecurityGroupEgress).unwrap().status,
        CheckStatus::Pass
    );
    let mut by_group = rule("tcp", Some((443, 443)), &[]);
    by_group.security_groups = vec!["sg-endpoints".into()];
    outbound(&mut facts, vec![by_group]);
    assert_eq!(
        get(&facts, CheckId::SecurityGroupEgress).unwrap().status,
        CheckStatus::Pass
    );
    outbound(
        &mut facts,
        vec![rule("tcp", Some((443, 443)), &["10.0.99.0/24"])],
    );
    assert_eq!(
        get(&facts, CheckId::SecurityGroupEgress).unwrap().status,
        CheckStatus::Fail
    );
}

#[test]
fn an_endpoint_group_that_blocks_the_instance_fails() {
    let mut facts = healthy();
    default_route(&mut facts, None);
    endpoints(
        &mut facts,
        &["ssm", "ssmmessages", "ec2messages"],
        "10.0.99.0/24",
    );
    let check = get(&facts, CheckId::EndpointSecurityGroup).unwrap();
    assert_eq!(
        check.status,
        CheckStatus::Fail,
        "even online: ssmmessages is refused"
    );
    assert!(
        check
            .evidence
            .contains("do not admit TCP 443 from 10.0.11.21"),
        "{}",
        check.evidence
    );
    assert_eq!(check.fix.unwrap().commands.len(), 3);
    endpoints(
        &mut facts,
        &["ssm", "ssmmessages", "ec2messages"],
        "10.0.11.0/24",
    );
    assert_eq!(
        get(&facts, CheckId::EndpointSecurityGroup).unwrap().status,
        CheckStatus::Pass
    );
    endpoints(&mut facts, &[], VPC_CIDR);
    assert!(get(&facts, CheckId::EndpointSecurityGroup).is_none());
}

#[test]
fn an_endpoint_group_may_admit_the_instances_group() {
    let mut facts = healthy();
    default_route(&mut facts, None);
    endpoints(
        &mut facts,
        &["ssm", "ssmmessages", "ec2messages"],
        "192.168.0.0/16",
    );
    if let Fact::Known { value } = &mut facts.network.interface_endpoints {
        for e in value {
            if let Fact::Known { value: groups } = &mut e.security_groups {
                let mut from_app = rule("tcp", Some((443, 443)), &[]);
                from_app.security_groups = vec!["sg-app".into()];
                groups[0].inbound = vec![from_app];
            }
        }
    }
    assert_eq!(
        get(&facts, CheckId::EndpointSecurityGroup).unwrap().status,
        CheckStatus::Pass
    );
}

#[test]
fn network_acls_deny_out_or_replies_in() {
    let mut facts = healthy();
    unmanaged(&mut facts);
    assert_eq!(
        get(&facts, CheckId::NetworkAcl).unwrap().status,
        CheckStatus::Pass
    );
    let acl = |entries| {
        Fact::known(NetworkAcl {
            id: "acl-9".into(),
            entries,
        })
    };
    facts.network.network_acl = acl(vec![
        acl_entry(100, true, true, "6", Some((443, 443))),
        acl_entry(100, false, true, "6", Some((1024, 65535))),
    ]);
    assert_eq!(
        get(&facts, CheckId::NetworkAcl).unwrap().status,
        CheckStatus::Pass
    );
    facts.network.network_acl = acl(vec![acl_entry(100, true, true, "6", Some((443, 443)))]);
    let check = get(&facts, CheckId::NetworkAcl).unwrap();
    assert_eq!(check.status, CheckStatus::Fail);
    assert!(check.evidence.contains("replies on ports 32768-60999 in from the internet (0.0.0.0/0) is denied by the final deny rule"), "{}", check.evidence);
    facts.platform = crate::Platform::Windows;
    facts.network.network_acl = acl(vec![
        acl_entry(100, true, true, "-1", None),
        acl_entry(100, false, true, "6", Some((32768, 60999))),
    ]);
    let check = get(&facts, CheckId::NetworkAcl).unwrap();
    assert!(check.evidence.contains("49152-65535"), "{}", check.evidence);
    assert!(check.fix.unwrap().commands[1].contains("From=49152,To=65535"));
}
