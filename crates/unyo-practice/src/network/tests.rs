//! The practice network against the practice fleet: online agents have what they need, and
//! every instance that is not managed or lost its agent has a reason the doctor finds.

use std::collections::BTreeMap;

use unyo_core::readiness::{
    CheckId, CheckStatus, Outcome, ReadinessReport, RegionReadiness, diagnose,
};
use unyo_core::{AppError, Instance, PingStatus};

use super::PracticeNetwork;

/// The network's facts judged as the doctor judges them.
trait Judged {
    fn readiness(
        &self,
        instances: &[Instance],
        blocked: &BTreeMap<String, String>,
        id: &str,
    ) -> Result<ReadinessReport, AppError>;
    fn region_readiness(
        &self,
        instances: &[Instance],
        blocked: &BTreeMap<String, String>,
        region: &str,
    ) -> Result<RegionReadiness, AppError>;
}

impl Judged for PracticeNetwork {
    fn readiness(
        &self,
        instances: &[Instance],
        blocked: &BTreeMap<String, String>,
        id: &str,
    ) -> Result<ReadinessReport, AppError> {
        Ok(diagnose(&self.instance_facts(instances, blocked, id)?))
    }

    fn region_readiness(
        &self,
        instances: &[Instance],
        blocked: &BTreeMap<String, String>,
        region: &str,
    ) -> Result<RegionReadiness, AppError> {
        let reports = self
            .region_facts(instances, blocked, region)?
            .iter()
            .map(diagnose)
            .collect();
        Ok(RegionReadiness::new(region, reports))
    }
}
use crate::regions::{self as fleet_data, tokyo, virginia};

fn report(network: &PracticeNetwork, instances: &[Instance], name: &str) -> ReadinessReport {
    let id = &instances.iter().find(|i| i.name == name).unwrap().id;
    network.readiness(instances, &BTreeMap::new(), id).unwrap()
}

fn status(report: &ReadinessReport, id: CheckId) -> CheckStatus {
    report.check(id).unwrap().status
}

#[test]
fn online_agents_have_a_path_and_an_identity() {
    let network = PracticeNetwork::default();
    let instances = fleet_data::instances();
    for instance in instances
        .iter()
        .filter(|i| i.ping_status == PingStatus::Online)
    {
        let report = network
            .readiness(&instances, &BTreeMap::new(), &instance.id)
            .unwrap();
        assert!(!report.has_failures(), "{}: {report:#?}", instance.name);
        assert_ne!(
            report.verdict.outcome,
            Outcome::Unknown,
            "{}",
            instance.name
        );
    }
}

#[test]
fn every_unmanaged_or_lost_agent_has_a_reason_beyond_itself() {
    let network = PracticeNetwork::default();
    let instances = fleet_data::instances();
    for instance in instances
        .iter()
        .filter(|i| i.ping_status != PingStatus::Online)
    {
        let report = network
            .readiness(&instances, &BTreeMap::new(), &instance.id)
            .unwrap();
        assert_eq!(
            report.verdict.outcome,
            Outcome::NotReady,
            "{}",
            instance.name
        );
        let reasons: Vec<CheckId> = report
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail && c.id != CheckId::AgentRegistered)
            .map(|c| c.id)
            .collect();
        let launching = instance.name == "autoscale-web-3";
        assert!(
            launching || !reasons.is_empty(),
            "{}: {report:#?}",
            instance.name
        );
    }
}

#[test]
fn each_lesson_instance_fails_where_it_should() {
    let network = PracticeNetwork::default();
    let instances = fleet_data::instances();
    let cases = [
        ("api-prod-2", CheckId::SecurityGroupEgress),
        ("bastion-legacy", CheckId::Identity),
        ("analytics-etl", CheckId::NetworkRoute),
        ("win-rdp-jump", CheckId::InstanceRunning),
        ("win-build-1", CheckId::SecurityGroupEgress),
        ("dev-sandbox", CheckId::Identity),
        ("queue-worker-1", CheckId::InstanceRunning),
    ];
    for (name, check) in cases {
        assert_eq!(
            status(&report(&network, &instances, name), check),
            CheckStatus::Fail,
            "{name}"
        );
    }
    let analytics = report(&network, &instances, "analytics-etl");
    let route = analytics.check(CheckId::NetworkRoute).unwrap();
    assert!(
        route
            .evidence
            .contains("rtb-0aa10000000000000 has no route to the internet"),
        "{}",
        route.evidence
    );
    let sandbox = report(&network, &instances, "dev-sandbox");
    assert!(
        sandbox
            .check(CheckId::Identity)
            .unwrap()
            .evidence
            .contains("metadata endpoint is off")
    );
}

#[test]
fn ssh_and_rdp_open_to_the_internet_are_found() {
    let network = PracticeNetwork::default();
    let instances = fleet_data::instances();
    let bastion = report(&network, &instances, "bastion-legacy");
    let ports = bastion.check(CheckId::PublicAdminPorts).unwrap();
    assert_eq!(ports.status, CheckStatus::Warn);
    assert!(
        ports
            .evidence
            .contains("admits SSH on port 22 from 0.0.0.0/0"),
        "{}",
        ports.evidence
    );
    let jump = report(&network, &instances, "win-rdp-jump");
    assert!(
        jump.check(CheckId::PublicAdminPorts)
            .unwrap()
            .evidence
            .contains("RDP on port 3389")
    );
}

#[test]
fn virginia_goes_through_endpoints_and_has_dhmc() {
    let network = PracticeNetwork::default();
    let instances = fleet_data::instances();
    let api = report(&network, &instances, "api-us-1");
    assert_eq!(api.verdict.outcome, Outcome::Ready, "{api:#?}");
    assert!(
        api.check(CheckId::NetworkRoute)
            .unwrap()
            .evidence
            .contains("ssmmessages via interface endpoint vpce-0bb1000000ssmmsgs")
    );
    assert_eq!(status(&api, CheckId::S3GatewayEndpoint), CheckStatus::Pass);
    assert!(
        api.check(CheckId::Identity)
            .unwrap()
            .evidence
            .contains("takes precedence")
    );
    let legacy = report(&network, &instances, "legacy-app-1");
    assert_eq!(legacy.verdict.outcome, Outcome::ReadyWithWarnings);
    assert_eq!(status(&legacy, CheckId::AgentVersion), CheckStatus::Warn);
}

/// The fleet as a scenario leaves it: `name`'s agent lost its connection.
fn lost(mut instances: Vec<Instance>, name: &str) -> Vec<Instance> {
    for i in instances.iter_mut().filter(|i| i.name == name) {
        i.ping_status = PingStatus::ConnectionLost;
    }
    instances
}

#[test]
fn scenarios_break_egress_through_the_network_or_the_accounts_stand_in() {
    let network = PracticeNetwork::default();
    let instances = lost(fleet_data::instances(), "api-us-1");
    network.remove_https_egress(virginia::SG_API).unwrap();
    let broken = report(&network, &instances, "api-us-1");
    assert_eq!(
        status(&broken, CheckId::SecurityGroupEgress),
        CheckStatus::Fail
    );
    network.allow_https_egress(virginia::SG_API).unwrap();
    assert_eq!(
        status(
            &report(&network, &instances, "api-us-1"),
            CheckId::SecurityGroupEgress
        ),
        CheckStatus::Pass
    );

    let blocked = BTreeMap::from([(
        "i-0f9e8d7c6b5a40015".to_owned(),
        "sg-0c4f5a6b7d8e90015".to_owned(),
    )]);
    let report = network
        .readiness(&instances, &blocked, "i-0f9e8d7c6b5a40015")
        .unwrap();
    assert_eq!(
        status(&report, CheckId::SecurityGroupEgress),
        CheckStatus::Fail
    );
    assert!(network.remove_https_egress("sg-nope").is_err());
}

#[test]
fn dhmc_and_open_ports_can_be_changed() {
    let network = PracticeNetwork::default();
    let instances = fleet_data::instances();
    network.set_dhmc("ap-northeast-1", true).unwrap();
    let bastion = report(&network, &instances, "bastion-legacy");
    assert_eq!(
        status(&bastion, CheckId::Identity),
        CheckStatus::Pass,
        "DHMC serves it now"
    );
    assert!(network.set_dhmc("eu-west-1", true).is_err());
    network.open_to_internet(tokyo::SG_WEB, 22).unwrap();
    let web = report(&network, &instances, "web-prod-1");
    assert_eq!(status(&web, CheckId::PublicAdminPorts), CheckStatus::Warn);
}

#[test]
fn regions_summarise_and_unknown_ones_are_refused() {
    let network = PracticeNetwork::default();
    let instances = fleet_data::instances();
    let tokyo = network
        .region_readiness(&instances, &BTreeMap::new(), "ap-northeast-1")
        .unwrap();
    assert_eq!(tokyo.summary.instances, 12);
    assert!(tokyo.summary.not_ready >= 4, "{:?}", tokyo.summary);
    assert!(tokyo.reports.iter().all(|r| r.region == "ap-northeast-1"));
    assert!(
        network
            .region_readiness(&instances, &BTreeMap::new(), "eu-west-1")
            .is_err()
    );
    assert!(
        network
            .readiness(&instances, &BTreeMap::new(), "i-nope")
            .is_err()
    );
}
