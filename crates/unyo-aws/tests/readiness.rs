//! The readiness doctor on network topologies built in the moto emulator (EC2 and IAM), with
//! Systems Manager's registrations and the Default Host Management setting from
//! `aws-smithy-mocks` (moto has neither DescribeInstanceInformation nor GetServiceSetting).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/moto.rs"]
mod moto;

use aws_sdk_ec2::types::{
    AttributeBooleanValue, HttpTokensState, IamInstanceProfileSpecification,
    InstanceMetadataOptionsRequest, InstanceNetworkInterfaceSpecification, InstanceType,
    IpPermission, IpRange, ResourceType, Tag, TagSpecification, VpcEndpointType,
};
use aws_sdk_ssm::operation::describe_instance_information::DescribeInstanceInformationOutput;
use aws_sdk_ssm::operation::get_service_setting::GetServiceSettingOutput;
use aws_sdk_ssm::types::{self as ssm, InstanceInformation, ServiceSetting};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_types::DateTime;
use unyo_aws::fleet::{FleetClients, RegionClients};
use unyo_aws::readiness::{self, ReadinessClients};
use unyo_core::ErrorCode;
use unyo_core::readiness::{
    CheckId, CheckStatus, Outcome, ReadinessReport, RegionReadiness, diagnose,
};

use moto::Moto;

/// A region's facts judged as the doctor judges them.
async fn region_report(clients: &ReadinessClients, region: &str) -> RegionReadiness {
    let facts = readiness::gather(clients, region, None).await.unwrap();
    RegionReadiness::new(region, facts.iter().map(diagnose).collect())
}

const TOKYO: &str = "ap-northeast-1";

/// The instances of each topology.
struct World {
    public_web: String,
    private_nat: String,
    isolated: String,
    no_https_egress: String,
    behind_endpoints: String,
    endpoint_blocked: String,
    no_profile: String,
}

struct Builder {
    ec2: aws_sdk_ec2::Client,
}

impl Builder {
    async fn vpc(&self, cidr: &str) -> String {
        let vpc = self
            .ec2
            .create_vpc()
            .cidr_block(cidr)
            .send()
            .await
            .unwrap()
            .vpc
            .unwrap()
            .vpc_id
            .unwrap();
        for (support, hostnames) in [(Some(true), None), (None, Some(true))] {
            self.ec2
                .modify_vpc_attribute()
                .vpc_id(&vpc)
                .set_enable_dns_support(
                    support.map(|v| AttributeBooleanValue::builder().value(v).build()),
                )
                .set_enable_dns_hostnames(
                    hostnames.map(|v| AttributeBooleanValue::builder().value(v).build()),
                )
                .send()
                .await
                .unwrap();
        }
        vpc
    }

    /// A subnet with its own route table; returns (subnet, route table).
    async fn subnet(&self, vpc: &str, cidr: &str) -> (String, String) {
        let subnet = self
            .ec2
            .create_subnet()
            .vpc_id(vpc)
            .cidr_block(cidr)
            .availability_zone("ap-northeast-1a")
            .send()
            .await
            .unwrap()
            .subnet
            .unwrap()
            .subnet_id
            .unwrap();
        let table = self
            .ec2
            .create_route_table()
            .vpc_id(vpc)
            .send()
            .await
            .unwrap()
            .route_table
            .unwrap()
            .route_table_id
            .unwrap();
        self.ec2
            .associate_route_table()
            .route_table_id(&table)
            .subnet_id(&subnet)
            .send()
            .await
            .unwrap();
        (subnet, table)
    }

    /// A security group with the given inbound rules and, if `egress` is not `None`, only
    /// those outbound rules (EC2 starts every group with "all traffic out").
    async fn group(
        &self,
        vpc: &str,
        name: &str,
        inbound: Vec<IpPermission>,
        egress: Option<Vec<IpPermission>>,
    ) -> String {
        let id = self
            .ec2
            .create_security_group()
            .vpc_id(vpc)
            .group_name(name)
            .description(name)
            .send()
            .await
            .unwrap()
            .group_id
            .unwrap();
        if !inbound.is_empty() {
            self.ec2
                .authorize_security_group_ingress()
                .group_id(&id)
                .set_ip_permissions(Some(inbound))
                .send()
                .await
                .unwrap();
        }
        if let Some(egress) = egress {
            self.ec2
                .revoke_security_group_egress()
                .group_id(&id)
                .ip_permissions(
                    IpPermission::builder()
                        .ip_protocol("-1")
                        .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                        .build(),
                )
                .send()
                .await
                .unwrap();
            if !egress.is_empty() {
                self.ec2
                    .authorize_security_group_egress()
                    .group_id(&id)
                    .set_ip_permissions(Some(egress))
                    .send()
                    .await
                    .unwrap();
            }
        }
        id
    }

    async fn run(
        &self,
        name: &str,
        subnet: &str,
        group: &str,
        public: bool,
        profile: Option<&str>,
    ) -> String {
        let interface = InstanceNetworkInterfaceSpecification::builder()
            .device_index(0)
            .subnet_id(subnet)
            .groups(group)
            .associate_public_ip_address(public)
            .build();
        self.ec2
            .run_instances()
            .image_id("ami-12c6146b")
            .instance_type(InstanceType::T3Micro)
            .min_count(1)
            .max_count(1)
            .network_interfaces(interface)
            .tag_specifications(
                TagSpecification::builder()
                    .resource_type(ResourceType::Instance)
                    .tags(Tag::builder().key("Name").value(name).build())
                    .build(),
            )
            .set_iam_instance_profile(
                profile.map(|p| IamInstanceProfileSpecification::builder().name(p).build()),
            )
            .metadata_options(
                InstanceMetadataOptionsRequest::builder()
                    .http_tokens(HttpTokensState::Required)
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .instances
            .unwrap()
            .remove(0)
            .instance_id
            .unwrap()
    }

    async fn endpoints(&self, vpc: &str, subnet: &str, group: &str, table: &str) {
        for service in ["ssm", "ssmmessages", "ec2messages"] {
            self.ec2
                .create_vpc_endpoint()
                .vpc_id(vpc)
                .vpc_endpoint_type(VpcEndpointType::Interface)
                .service_name(format!("com.amazonaws.{TOKYO}.{service}"))
                .subnet_ids(subnet)
                .security_group_ids(group)
                .private_dns_enabled(true)
                .send()
                .await
                .unwrap();
        }
        self.ec2
            .create_vpc_endpoint()
            .vpc_id(vpc)
            .vpc_endpoint_type(VpcEndpointType::Gateway)
            .service_name(format!("com.amazonaws.{TOKYO}.s3"))
            .route_table_ids(table)
            .send()
            .await
            .unwrap();
    }
}

fn tcp(port: i32, cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(port)
        .to_port(port)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build()
}

async fn ssm_profile(iam: &aws_sdk_iam::Client) {
    iam.create_role()
        .role_name("SsmRole")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#)
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("SsmRole")
        .policy_arn("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
        .send()
        .await
        .unwrap();
    iam.create_instance_profile()
        .instance_profile_name("SsmProfile")
        .send()
        .await
        .unwrap();
    iam.add_role_to_instance_profile()
        .instance_profile_name("SsmProfile")
        .role_name("SsmRole")
        .send()
        .await
        .unwrap();
}

async fn build(moto: &Moto) -> World {
    let config = moto.config(TOKYO).await;
    ssm_profile(&aws_sdk_iam::Client::new(&config)).await;
    let b = Builder {
        ec2: aws_sdk_ec2::Client::new(&config),
    };
    let profile = Some("SsmProfile");

    // One VPC with a public subnet (internet gateway), a private one (NAT gateway) and an
    // isolated one (no route out, no endpoints).
    let main = b.vpc("10.0.0.0/16").await;
    let igw = b
        .ec2
        .create_internet_gateway()
        .send()
        .await
        .unwrap()
        .internet_gateway
        .unwrap()
        .internet_gateway_id
        .unwrap();
    b.ec2
        .attach_internet_gateway()
        .internet_gateway_id(&igw)
        .vpc_id(&main)
        .send()
        .await
        .unwrap();
    let (public, public_table) = b.subnet(&main, "10.0.1.0/24").await;
    b.ec2
        .create_route()
        .route_table_id(&public_table)
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id(&igw)
        .send()
        .await
        .unwrap();
    let (private, private_table) = b.subnet(&main, "10.0.2.0/24").await;
    let eip = b
        .ec2
        .allocate_address()
        .send()
        .await
        .unwrap()
        .allocation_id
        .unwrap();
    let nat = b
        .ec2
        .create_nat_gateway()
        .subnet_id(&public)
        .allocation_id(eip)
        .send()
        .await
        .unwrap()
        .nat_gateway
        .unwrap()
        .nat_gateway_id
        .unwrap();
    b.ec2
        .create_route()
        .route_table_id(&private_table)
        .destination_cidr_block("0.0.0.0/0")
        .nat_gateway_id(&nat)
        .send()
        .await
        .unwrap();
    let (isolated, _) = b.subnet(&main, "10.0.3.0/24").await;
    let app = b.group(&main, "app", vec![], None).await;
    let locked = b
        .group(
            &main,
            "locked-down",
            vec![tcp(22, "0.0.0.0/0")],
            Some(vec![tcp(5432, "10.0.0.0/16")]),
        )
        .await;

    // A VPC reached only through interface endpoints, and one whose endpoints' group admits
    // another subnet only.
    let endpoint_vpc = b.vpc("10.1.0.0/16").await;
    let (endpoint_subnet, endpoint_table) = b.subnet(&endpoint_vpc, "10.1.1.0/24").await;
    let endpoint_sg = b
        .group(
            &endpoint_vpc,
            "endpoints",
            vec![tcp(443, "10.1.0.0/16")],
            None,
        )
        .await;
    b.endpoints(
        &endpoint_vpc,
        &endpoint_subnet,
        &endpoint_sg,
        &endpoint_table,
    )
    .await;
    let endpoint_app = b.group(&endpoint_vpc, "app", vec![], None).await;

    let blocked_vpc = b.vpc("10.2.0.0/16").await;
    let (blocked_subnet, blocked_table) = b.subnet(&blocked_vpc, "10.2.1.0/24").await;
    let narrow_sg = b
        .group(
            &blocked_vpc,
            "endpoints",
            vec![tcp(443, "10.2.99.0/24")],
            None,
        )
        .await;
    b.endpoints(&blocked_vpc, &blocked_subnet, &narrow_sg, &blocked_table)
        .await;
    let blocked_app = b.group(&blocked_vpc, "app", vec![], None).await;

    World {
        public_web: b.run("public-web", &public, &app, true, profile).await,
        private_nat: b.run("private-nat", &private, &app, false, profile).await,
        isolated: b.run("isolated", &isolated, &app, false, profile).await,
        no_https_egress: b
            .run("no-https-egress", &public, &locked, true, profile)
            .await,
        behind_endpoints: b
            .run(
                "behind-endpoints",
                &endpoint_subnet,
                &endpoint_app,
                false,
                profile,
            )
            .await,
        endpoint_blocked: b
            .run(
                "endpoint-blocked",
                &blocked_subnet,
                &blocked_app,
                false,
                profile,
            )
            .await,
        no_profile: b.run("no-profile", &private, &app, false, None).await,
    }
}

fn online(id: &str) -> InstanceInformation {
    InstanceInformation::builder()
        .instance_id(id)
        .ping_status(ssm::PingStatus::Online)
        .last_ping_date_time(DateTime::from_secs(1_800_000_000))
        .agent_version("3.3.1142.0")
        .build()
}

fn ssm_with(online_ids: Vec<String>, dhmc: &'static str) -> aws_sdk_ssm::Client {
    let info = mock!(aws_sdk_ssm::Client::describe_instance_information).then_output(move || {
        DescribeInstanceInformationOutput::builder()
            .set_instance_information_list(Some(online_ids.iter().map(|id| online(id)).collect()))
            .build()
    });
    let setting = mock!(aws_sdk_ssm::Client::get_service_setting)
        .match_requests(|r| {
            r.setting_id() == Some("/ssm/managed-instance/default-ec2-instance-management-role")
        })
        .then_output(move || {
            GetServiceSettingOutput::builder()
                .service_setting(ServiceSetting::builder().setting_value(dhmc).build())
                .build()
        });
    let rules: Vec<Rule> = vec![info, setting];
    let refs: Vec<&Rule> = rules.iter().collect();
    mock_client!(aws_sdk_ssm, RuleMode::MatchAny, &refs)
}

async fn clients(moto: &Moto, ssm: aws_sdk_ssm::Client) -> ReadinessClients {
    let config = moto.config(TOKYO).await;
    let ec2 = aws_sdk_ec2::Client::new(&config);
    ReadinessClients {
        regional: FleetClients::from_fn(move |_| RegionClients {
            ec2: ec2.clone(),
            ssm: ssm.clone(),
        }),
        iam: Some(aws_sdk_iam::Client::new(&config)),
    }
}

fn status(report: &ReadinessReport, id: CheckId) -> CheckStatus {
    report
        .check(id)
        .unwrap_or_else(|| panic!("no {id:?} check: {report:#?}"))
        .status
}

#[tokio::test]
async fn topologies_get_the_verdicts_they_deserve() {
    let moto = Moto::with_managed_policies();
    let w = build(&moto).await;
    let ssm = ssm_with(
        vec![
            w.public_web.clone(),
            w.private_nat.clone(),
            w.behind_endpoints.clone(),
        ],
        "$None",
    );
    let clients = clients(&moto, ssm).await;

    let region = region_report(&clients, TOKYO).await;
    assert_eq!(region.reports.len(), 7, "{region:#?}");
    let report = |id: &str| region.reports.iter().find(|r| r.instance_id == id).unwrap();

    let public = report(&w.public_web);
    assert_eq!(public.name, "public-web");
    assert_eq!(public.verdict.outcome, Outcome::Ready, "{public:#?}");
    let route = public.check(CheckId::NetworkRoute).unwrap();
    assert!(
        route
            .evidence
            .contains("ssmmessages via internet gateway igw-"),
        "{}",
        route.evidence
    );
    let identity = public.check(CheckId::Identity).unwrap();
    assert_eq!(
        identity.evidence,
        "Instance profile SsmProfile (role SsmRole) has AmazonSSMManagedInstanceCore."
    );

    let nat = report(&w.private_nat);
    assert_eq!(nat.verdict.outcome, Outcome::Ready, "{nat:#?}");
    assert!(
        nat.check(CheckId::NetworkRoute)
            .unwrap()
            .evidence
            .contains("NAT gateway nat-")
    );

    let endpoints = report(&w.behind_endpoints);
    assert_eq!(endpoints.verdict.outcome, Outcome::Ready, "{endpoints:#?}");
    assert!(
        endpoints
            .check(CheckId::NetworkRoute)
            .unwrap()
            .evidence
            .contains("ssmmessages via interface endpoint vpce-")
    );
    assert_eq!(
        status(endpoints, CheckId::EndpointSecurityGroup),
        CheckStatus::Pass
    );
    assert_eq!(
        status(endpoints, CheckId::S3GatewayEndpoint),
        CheckStatus::Pass
    );
    assert_eq!(status(endpoints, CheckId::VpcDns), CheckStatus::Pass);

    let isolated = report(&w.isolated);
    assert_eq!(isolated.verdict.outcome, Outcome::NotReady);
    assert_eq!(
        status(isolated, CheckId::AgentRegistered),
        CheckStatus::Fail
    );
    let route = isolated.check(CheckId::NetworkRoute).unwrap();
    assert_eq!(route.status, CheckStatus::Fail);
    assert!(
        route.evidence.contains("has no route to the internet"),
        "{}",
        route.evidence
    );

    let locked = report(&w.no_https_egress);
    assert_eq!(locked.verdict.outcome, Outcome::NotReady);
    assert_eq!(
        status(locked, CheckId::SecurityGroupEgress),
        CheckStatus::Fail
    );
    assert!(
        locked
            .verdict
            .summary
            .contains("no outbound rule of security groups"),
        "{}",
        locked.verdict.summary
    );
    let ports = locked.check(CheckId::PublicAdminPorts).unwrap();
    assert_eq!(ports.status, CheckStatus::Warn);
    assert!(
        ports
            .evidence
            .contains("admits SSH on port 22 from 0.0.0.0/0"),
        "{}",
        ports.evidence
    );

    let blocked = report(&w.endpoint_blocked);
    assert_eq!(blocked.verdict.outcome, Outcome::NotReady);
    let check = blocked.check(CheckId::EndpointSecurityGroup).unwrap();
    assert_eq!(check.status, CheckStatus::Fail);
    assert!(
        check.evidence.contains("do not admit TCP 443 from 10.2.1."),
        "{}",
        check.evidence
    );

    let bare = report(&w.no_profile);
    let identity = bare.check(CheckId::Identity).unwrap();
    assert_eq!(identity.status, CheckStatus::Fail);
    assert!(
        identity
            .evidence
            .contains("Default Host Management is off in ap-northeast-1"),
        "{}",
        identity.evidence
    );

    assert_eq!(region.summary.instances, 7);
    assert_eq!(region.summary.ready, 3);
    assert_eq!(region.summary.not_ready, 4);
}

#[tokio::test]
async fn one_instance_and_an_unknown_one() {
    let moto = Moto::with_managed_policies();
    let w = build(&moto).await;
    let ssm = ssm_with(
        vec![],
        "service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole",
    );
    let clients = clients(&moto, ssm).await;

    let report = diagnose(
        &readiness::instance(&clients, TOKYO, &w.no_profile)
            .await
            .unwrap(),
    );
    assert_eq!(report.name, "no-profile");
    let identity = report.check(CheckId::Identity).unwrap();
    assert_eq!(
        identity.status,
        CheckStatus::Pass,
        "DHMC serves it: {identity:#?}"
    );

    let err = readiness::instance(&clients, TOKYO, "i-0123456789abcdef0")
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        err.message
            .contains("no instance i-0123456789abcdef0 in ap-northeast-1"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn what_moto_lacks_is_unknown_with_the_reason_not_a_failed_report() {
    let moto = Moto::with_managed_policies();
    let w = build(&moto).await;
    let config = moto.config(TOKYO).await;
    let clients = ReadinessClients::of(&FleetClients::from_config(config.clone()), None);

    let region = region_report(&clients, TOKYO).await;
    let public = region
        .reports
        .iter()
        .find(|r| r.instance_id == w.public_web)
        .unwrap();
    assert_eq!(public.verdict.outcome, Outcome::Unknown, "{public:#?}");
    let registered = public.check(CheckId::AgentRegistered).unwrap();
    assert_eq!(registered.status, CheckStatus::Unknown);
    assert!(
        registered
            .evidence
            .contains("ssm:DescribeInstanceInformation answered HTTP 500"),
        "{}",
        registered.evidence
    );
    let identity = public.check(CheckId::Identity).unwrap();
    assert_eq!(
        identity.status,
        CheckStatus::Unknown,
        "no IAM client: {identity:#?}"
    );
    assert_eq!(status(public, CheckId::NetworkRoute), CheckStatus::Pass);

    let isolated = region
        .reports
        .iter()
        .find(|r| r.instance_id == w.isolated)
        .unwrap();
    assert_eq!(
        isolated.verdict.outcome,
        Outcome::NotReady,
        "a failure is a failure, unknowns aside"
    );
}
