//! Rules of the network path, each on facts broken one way.

use super::super::diagnose;
use super::super::testing::*;
use crate::readiness::facts::*;
use crate::readiness::report::{CheckId, CheckStatus};

fn route(facts: &ReadinessFacts) -> crate::readiness::report::Check {
    diagnose(facts)
        .check(CheckId::NetworkRoute)
        .unwrap()
        .clone()
}

#[test]
fn nat_and_internet_gateway_with_public_ip_pass() {
    let mut facts = healthy();
    assert_eq!(route(&facts).status, CheckStatus::Pass);
    assert!(
        route(&facts)
            .evidence
            .contains("ssmmessages via NAT gateway nat-1")
    );
    unmanaged(&mut facts);
    default_route(
        &mut facts,
        Some(RouteTarget::InternetGateway { id: "igw-1".into() }),
    );
    facts.public_ip = Some("54.1.2.3".into());
    assert_eq!(route(&facts).status, CheckStatus::Pass);
}

#[test]
fn an_internet_gateway_without_a_public_ip_fails() {
    let mut facts = healthy();
    unmanaged(&mut facts);
    default_route(
        &mut facts,
        Some(RouteTarget::InternetGateway { id: "igw-1".into() }),
    );
    let check = route(&facts);
    assert_eq!(check.status, CheckStatus::Fail);
    assert!(
        check.evidence.contains("no public IP"),
        "{}",
        check.evidence
    );
}

#[test]
fn an_isolated_subnet_fails_and_suggests_endpoints_or_nat() {
    let mut facts = healthy();
    unmanaged(&mut facts);
    default_route(&mut facts, None);
    let check = route(&facts);
    assert_eq!(check.status, CheckStatus::Fail);
    assert!(
        check
            .evidence
            .starts_with("ssm, ssmmessages, ec2messages cannot be reached"),
        "{}",
        check.evidence
    );
    let fix = check.fix.unwrap();
    assert_eq!(fix.commands.len(), 4);
    assert!(fix.commands[1].contains("--service-name com.amazonaws.ap-northeast-1.ssmmessages"));
    assert!(
        fix.commands[3].contains("create-route --region ap-northeast-1 --route-table-id rtb-1")
    );
    assert!(diagnose(&facts).check(CheckId::S3GatewayEndpoint).is_none());
}

#[test]
fn interface_endpoints_with_private_dns_serve_a_private_subnet() {
    let mut facts = healthy();
    unmanaged(&mut facts);
    default_route(&mut facts, None);
    endpoints(&mut facts, &["ssm", "ssmmessages", "ec2messages"], VPC_CIDR);
    let report = diagnose(&facts);
    assert_eq!(
        report.check(CheckId::NetworkRoute).unwrap().status,
        CheckStatus::Pass
    );
    let s3 = report.check(CheckId::S3GatewayEndpoint).unwrap();
    assert_eq!(s3.status, CheckStatus::Warn);
    facts.network.s3_gateway_endpoint = Fact::known(Some("vpce-s3".into()));
    assert_eq!(
        diagnose(&facts)
            .check(CheckId::S3GatewayEndpoint)
            .unwrap()
            .status,
        CheckStatus::Pass
    );
}

#[test]
fn a_missing_ssmmessages_endpoint_fails_even_when_the_agent_is_online() {
    let mut facts = healthy();
    default_route(&mut facts, None);
    endpoints(&mut facts, &["ssm", "ec2messages"], VPC_CIDR);
    let check = route(&facts);
    assert_eq!(check.status, CheckStatus::Fail);
    assert!(
        check.evidence.starts_with("ssmmessages cannot be reached"),
        "{}",
        check.evidence
    );
    assert_eq!(
        check.fix.unwrap().commands.len(),
        2,
        "one endpoint and the NAT route"
    );
}

#[test]
fn an_endpoint_without_private_dns_does_not_count() {
    let mut facts = healthy();
    unmanaged(&mut facts);
    default_route(&mut facts, None);
    endpoints(&mut facts, &["ssm", "ssmmessages", "ec2messages"], VPC_CIDR);
    if let Fact::Known { value } = &mut facts.network.interface_endpoints {
        value[1].private_dns = false;
    }
    assert_eq!(route(&facts).status, CheckStatus::Fail);
}

#[test]
fn ec2messages_is_optional_for_new_agents_and_other_targets_warn() {
    let mut facts = healthy();
    default_route(&mut facts, None);
    endpoints(&mut facts, &["ssm", "ssmmessages"], VPC_CIDR);
    assert_eq!(route(&facts).status, CheckStatus::Warn, "agent 3.3.1142.0");
    default_route(&mut facts, Some(RouteTarget::Other { id: "tgw-1".into() }));
    facts.network.interface_endpoints = Fact::known(vec![]);
    let check = route(&facts);
    assert_eq!(check.status, CheckStatus::Warn);
    assert!(
        check
            .evidence
            .contains("tgw-1 (beyond what Unyo can check)")
    );
    default_route(
        &mut facts,
        Some(RouteTarget::Blackhole {
            id: "nat-gone".into(),
        }),
    );
    assert!(route(&facts).evidence.contains("blackhole"));
}

#[test]
fn unknown_route_table_is_unknown() {
    let mut facts = healthy();
    facts.network.route_table = Fact::unknown(UnknownReason::Denied, "ec2:DescribeRouteTables");
    assert_eq!(route(&facts).status, CheckStatus::Unknown);
}

#[test]
fn vpc_dns_is_required_for_endpoints() {
    let mut facts = healthy();
    unmanaged(&mut facts);
    facts.network.vpc_dns = Fact::known(VpcDns {
        support: true,
        hostnames: false,
    });
    assert_eq!(
        diagnose(&facts).check(CheckId::VpcDns).unwrap().status,
        CheckStatus::Pass
    );
    endpoints(&mut facts, &["ssm", "ssmmessages", "ec2messages"], VPC_CIDR);
    let report = diagnose(&facts);
    let check = report.check(CheckId::VpcDns).unwrap();
    assert_eq!(check.status, CheckStatus::Fail);
    assert!(check.fix.as_ref().unwrap().commands[1].contains("--enable-dns-hostnames"));
    facts.network.interface_endpoints = Fact::known(vec![]);
    facts.network.vpc_dns = Fact::known(VpcDns {
        support: false,
        hostnames: false,
    });
    assert_eq!(
        diagnose(&facts).check(CheckId::VpcDns).unwrap().status,
        CheckStatus::Warn
    );
}

/// Regression: a public subnet in a VPC whose SSM endpoints have private DNS was told it
/// needs an S3 gateway endpoint, although S3 follows its route to the internet gateway.
#[test]
fn s3_follows_the_default_route_not_the_ssm_endpoints() {
    let mut facts = healthy();
    default_route(
        &mut facts,
        Some(RouteTarget::InternetGateway { id: "igw-1".into() }),
    );
    facts.public_ip = Some("54.1.2.3".into());
    endpoints(&mut facts, &["ssm", "ssmmessages", "ec2messages"], VPC_CIDR);
    assert!(diagnose(&facts).check(CheckId::S3GatewayEndpoint).is_none());
}
