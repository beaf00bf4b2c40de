//! The real-account fleet: EC2 from the moto emulator on loopback (instances made with the EC2
//! API in two regions), Systems Manager from `aws-smithy-mocks` (moto has neither
//! DescribeInstanceInformation nor DescribeInstancePatchStates), and regions that refuse, hang
//! or are not enabled.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_sdk_ec2::operation::describe_instances::DescribeInstancesOutput;
use aws_sdk_ec2::types::{
    IamInstanceProfileSpecification, InstanceType, ResourceType, Tag, TagSpecification,
};
use aws_sdk_ssm::operation::describe_instance_information::DescribeInstanceInformationOutput;
use aws_sdk_ssm::operation::describe_instance_patch_states::{
    DescribeInstancePatchStatesInput, DescribeInstancePatchStatesOutput,
};
use aws_sdk_ssm::types::{self as ssm, InstanceInformation, InstancePatchState};
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, mock, mock_client};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::DateTime;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use unyo_aws::cloud::AwsCloud;
use unyo_aws::fleet::{FleetClients, FleetOptions, RegionClients};
use unyo_aws::profiles::ProfileResolver;
use unyo_core::Cloud;
use unyo_core::aws_files::AwsFilePaths;
use unyo_core::cloud::{Fleet as _, Sessions as _};
use unyo_core::{
    AccountContext, AccountKind, ErrorCode, FleetScope, FleetSnapshot, Instance, InstanceState,
    PatchCompliance, PatchOperation, PingStatus, Platform,
};
use unyo_testkit::{MemorySecrets, Moto, free_loopback_port};

const TOKYO: &str = "ap-northeast-1";
const VIRGINIA: &str = "us-east-1";
const MOTO_ACCOUNT: &str = "123456789012";
/// 2027-01-15T08:00:00Z.
const LAST_PING: i64 = 1_800_000_000;

/// An SDK config for `endpoint` in `region` with keys moto accepts and no retries, so an
/// error answer fails at once.
async fn config(endpoint: &str, region: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .credentials_provider(Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "fleet-test",
        ))
        .endpoint_url(endpoint)
        .region(Region::new(region.to_owned()))
        .retry_config(RetryConfig::disabled())
        .load()
        .await
}

async fn ec2(endpoint: &str, region: &str) -> aws_sdk_ec2::Client {
    aws_sdk_ec2::Client::new(&config(endpoint, region).await)
}

/// moto checks that an instance profile exists in IAM before RunInstances attaches it. IAM's
/// query API is one form POST, so the test makes it by hand rather than compile an IAM SDK;
/// moto routes on the credential scope and does not check the signature.
fn create_instance_profile(moto: &Moto, name: &str) {
    let body =
        format!("Action=CreateInstanceProfile&InstanceProfileName={name}&Version=2010-05-08");
    let host = moto.url().trim_start_matches("http://").to_owned();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20270115/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(&host).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

/// A VPC with one subnet in `zone`, for the instances of a region.
async fn subnet(ec2: &aws_sdk_ec2::Client, zone: &str, cidr: &str) -> (String, String) {
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.0.0.0/16")
        .send()
        .await
        .unwrap()
        .vpc
        .unwrap()
        .vpc_id
        .unwrap();
    let subnet = ec2
        .create_subnet()
        .vpc_id(&vpc)
        .cidr_block(cidr)
        .availability_zone(zone)
        .send()
        .await
        .unwrap()
        .subnet
        .unwrap()
        .subnet_id
        .unwrap();
    (vpc, subnet)
}

/// Runs one instance named `name` in `subnet`, with a `Team` tag and optionally an instance
/// profile; returns its id.
async fn run(
    ec2: &aws_sdk_ec2::Client,
    subnet: &str,
    name: &str,
    instance_type: InstanceType,
    profile: Option<&str>,
) -> String {
    let tags = TagSpecification::builder()
        .resource_type(ResourceType::Instance)
        .tags(Tag::builder().key("Name").value(name).build())
        .tags(Tag::builder().key("Team").value("payments").build())
        .build();
    ec2.run_instances()
        .image_id("ami-12c6146b")
        .instance_type(instance_type)
        .min_count(1)
        .max_count(1)
        .subnet_id(subnet)
        .tag_specifications(tags)
        .set_iam_instance_profile(
            profile.map(|p| IamInstanceProfileSpecification::builder().name(p).build()),
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

/// Two Tokyo instances (one with an instance profile, one stopped) and one in Virginia.
struct Fleet {
    web: String,
    batch: String,
    api: String,
    tokyo_vpc: String,
    tokyo_subnet: String,
}

async fn two_region_fleet(moto: &Moto) -> Fleet {
    create_instance_profile(moto, "WebProfile");
    let tokyo = ec2(&moto.url(), TOKYO).await;
    let (tokyo_vpc, tokyo_subnet) = subnet(&tokyo, "ap-northeast-1a", "10.0.1.0/24").await;
    let web = run(
        &tokyo,
        &tokyo_subnet,
        "web-1",
        InstanceType::T3Micro,
        Some("WebProfile"),
    )
    .await;
    let batch = run(
        &tokyo,
        &tokyo_subnet,
        "batch-1",
        InstanceType::M5Large,
        None,
    )
    .await;
    tokyo
        .stop_instances()
        .instance_ids(&batch)
        .send()
        .await
        .unwrap();
    let virginia = ec2(&moto.url(), VIRGINIA).await;
    let (_, virginia_subnet) = subnet(&virginia, "us-east-1b", "10.0.2.0/24").await;
    let api = run(
        &virginia,
        &virginia_subnet,
        "api-1",
        InstanceType::T3Small,
        None,
    )
    .await;
    Fleet {
        web,
        batch,
        api,
        tokyo_vpc,
        tokyo_subnet,
    }
}

/// AWS files with a profile `ops` whose calls go to `endpoint`, in Tokyo, without retries.
fn profiles(endpoint: &str) -> (tempfile::TempDir, ProfileResolver) {
    let dir = tempfile::tempdir().unwrap();
    let paths = AwsFilePaths {
        config: dir.path().join("config"),
        credentials: dir.path().join("credentials"),
    };
    std::fs::write(
        &paths.config,
        format!("[profile ops]\nregion = {TOKYO}\nendpoint_url = {endpoint}\nmax_attempts = 1\n"),
    )
    .unwrap();
    std::fs::write(
        &paths.credentials,
        "[ops]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
    )
    .unwrap();
    let resolver = ProfileResolver::new(
        Some(paths),
        dir.path().join("unyo/profiles.toml"),
        Arc::new(MemorySecrets::default()),
    )
    .with_endpoint_url(Some(endpoint.to_owned()));
    (dir, resolver)
}

fn scope(regions: &[&str]) -> FleetScope {
    FleetScope {
        regions: regions.iter().map(|r| (*r).to_owned()).collect(),
    }
}

fn find<'a>(snapshot: &'a FleetSnapshot, id: &str) -> &'a Instance {
    snapshot
        .instances
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("{id} not listed: {snapshot:#?}"))
}

fn account(regions: &[&str]) -> AccountContext {
    AccountContext {
        id: "profile:test".into(),
        kind: AccountKind::Profile,
        account_id: Some(MOTO_ACCOUNT.into()),
        regions: regions.iter().map(|r| (*r).to_owned()).collect(),
        default_region: regions.first().map(|r| (*r).to_owned()),
        capabilities: Vec::new(),
    }
}

#[tokio::test]
async fn a_profile_lists_two_regions_from_moto_with_ssm_status_unknown() {
    let moto = Moto::start();
    let fleet = two_region_fleet(&moto).await;
    let (_dir, resolver) = profiles(&moto.url());
    let cloud = AwsCloud::connect(&resolver, "ops").await.unwrap();

    let account = cloud.account();
    assert_eq!(account.id, "profile:ops");
    assert_eq!(account.kind, AccountKind::Profile);
    assert_eq!(account.account_id.as_deref(), Some(MOTO_ACCOUNT));
    assert_eq!(account.regions[0], TOKYO);
    assert_eq!(account.default_region.as_deref(), Some(TOKYO));
    assert!(account.regions.iter().any(|r| r == VIRGINIA));

    let snapshot = cloud.list_fleet(&scope(&[TOKYO, VIRGINIA])).await.unwrap();
    assert_eq!(snapshot.instances.len(), 3, "{snapshot:#?}");

    let web = find(&snapshot, &fleet.web);
    assert_eq!(web.name, "web-1");
    assert_eq!(web.account_id, MOTO_ACCOUNT);
    assert_eq!(web.region, TOKYO);
    assert_eq!(web.availability_zone, "ap-northeast-1a");
    assert_eq!(web.instance_type, "t3.micro");
    assert_eq!(web.state, InstanceState::Running);
    assert_eq!(web.platform, Platform::Linux);
    assert_eq!(web.vpc_id.as_deref(), Some(fleet.tokyo_vpc.as_str()));
    assert_eq!(web.subnet_id.as_deref(), Some(fleet.tokyo_subnet.as_str()));
    assert!(
        web.private_ip.as_deref().unwrap().starts_with("10.0.1."),
        "{web:?}"
    );
    assert_eq!(web.iam_instance_profile.as_deref(), Some("WebProfile"));
    assert!(
        web.tags
            .iter()
            .any(|t| t.key == "Team" && t.value == "payments")
    );

    let batch = find(&snapshot, &fleet.batch);
    assert_eq!(batch.state, InstanceState::Stopped);
    assert_eq!(batch.iam_instance_profile, None);
    assert_eq!(find(&snapshot, &fleet.api).region, VIRGINIA);
    assert_eq!(find(&snapshot, &fleet.api).availability_zone, "us-east-1b");

    // moto has no DescribeInstanceInformation: every instance is "unknown" (not "not
    // managed"), and each region says why once.
    assert!(
        snapshot
            .instances
            .iter()
            .all(|i| i.ping_status == PingStatus::Unknown
                && i.agent_version.is_none()
                && i.patches.is_none()),
        "{snapshot:#?}"
    );
    let failed: Vec<&str> = snapshot
        .failures
        .iter()
        .map(|f| f.region.as_str())
        .collect();
    assert_eq!(failed, [TOKYO, VIRGINIA]);
    for (failure, region) in snapshot.failures.iter().zip([TOKYO, VIRGINIA]) {
        let message = &failure.error.message;
        assert!(
            message.contains(&format!(
                "DescribeInstanceInformation in {region} failed with HTTP 500"
            )),
            "{message}"
        );
        assert!(message.contains("SSM status unknown"), "{message}");
    }
}

#[tokio::test]
async fn a_region_moto_rejects_fails_alone_and_bad_region_codes_are_refused() {
    let moto = Moto::start();
    let fleet = two_region_fleet(&moto).await;
    let (_dir, resolver) = profiles(&moto.url());
    let cloud = AwsCloud::connect(&resolver, "ops").await.unwrap();

    // moto answers an unknown region with HTTP 500.
    let snapshot = cloud
        .list_fleet(&scope(&["eu-nowhere-1", TOKYO, TOKYO]))
        .await
        .unwrap();
    assert!(snapshot.instances.iter().all(|i| i.region == TOKYO));
    assert_eq!(snapshot.instances.len(), 2);
    assert!(snapshot.instances.iter().any(|i| i.id == fleet.web));
    let nowhere: Vec<_> = snapshot
        .failures
        .iter()
        .filter(|f| f.region == "eu-nowhere-1")
        .collect();
    assert_eq!(nowhere.len(), 1, "{:?}", snapshot.failures);
    assert!(
        nowhere[0]
            .error
            .message
            .starts_with("EC2 DescribeInstances in eu-nowhere-1 failed with HTTP 500"),
        "{:?}",
        nowhere[0]
    );
    assert_eq!(
        snapshot.failures.len(),
        2,
        "the unknown region, and Tokyo's SSM once although Tokyo was named twice"
    );

    let err = cloud.list_fleet(&scope(&["tokyo"])).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(err.message.contains("tokyo"), "{}", err.message);
}

/// Counts the requests a client sends.
#[derive(Debug, Clone, Default)]
struct Requests(Arc<AtomicUsize>);

impl Intercept for Requests {
    fn name(&self) -> &'static str {
        "Requests"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

fn info(id: &str) -> ssm::builders::InstanceInformationBuilder {
    InstanceInformation::builder()
        .instance_id(id)
        .resource_type(ssm::ResourceType::Ec2Instance)
        .ping_status(ssm::PingStatus::Online)
        .last_ping_date_time(DateTime::from_secs(LAST_PING))
        .agent_version("3.3.1142.0")
        .platform_type(ssm::PlatformType::Linux)
        .platform_name("Ubuntu")
        .platform_version("22.04")
}

/// DescribeInstanceInformation in two pages: `first`, then (after `page-2`) `second`.
fn ssm_pages(first: Vec<InstanceInformation>, second: Vec<InstanceInformation>) -> [Rule; 2] {
    [
        mock!(aws_sdk_ssm::Client::describe_instance_information)
            .match_requests(|r| r.next_token().is_none() && r.max_results() == Some(5))
            .then_output(move || {
                DescribeInstanceInformationOutput::builder()
                    .set_instance_information_list(Some(first.clone()))
                    .next_token("page-2")
                    .build()
            }),
        mock!(aws_sdk_ssm::Client::describe_instance_information)
            .match_requests(|r| r.next_token() == Some("page-2"))
            .then_output(move || {
                DescribeInstanceInformationOutput::builder()
                    .set_instance_information_list(Some(second.clone()))
                    .build()
            }),
    ]
}

/// Patch Manager's last scan of `id`, with `missing` security patches missing.
fn patch_state(id: &str, missing: i32) -> InstancePatchState {
    InstancePatchState::builder()
        .instance_id(id)
        .patch_group("")
        .baseline_id("pb-0123456789abcdef0")
        .installed_count(410)
        .missing_count(missing)
        .security_non_compliant_count(missing)
        .not_applicable_count(1200)
        .operation(ssm::PatchOperationType::Scan)
        .operation_start_time(DateTime::from_secs(LAST_PING))
        .operation_end_time(DateTime::from_secs(LAST_PING + 90))
        .build()
        .unwrap()
}

/// DescribeInstancePatchStates answering, for each instance asked about, what `state` says
/// (nothing for an instance never scanned), in one page.
fn patch_states(
    state: impl Fn(&str) -> Option<InstancePatchState> + Send + Sync + 'static,
) -> Rule {
    mock!(aws_sdk_ssm::Client::describe_instance_patch_states).then_compute_output(
        move |input: &DescribeInstancePatchStatesInput| {
            DescribeInstancePatchStatesOutput::builder()
                .set_instance_patch_states(Some(
                    input
                        .instance_ids()
                        .iter()
                        .filter_map(|id| state(id))
                        .collect(),
                ))
                .build()
        },
    )
}

fn ssm_client(rules: &[Rule]) -> aws_sdk_ssm::Client {
    let rules: Vec<&Rule> = rules.iter().collect();
    mock_client!(aws_sdk_ssm, RuleMode::MatchAny, &rules)
}

fn small_pages() -> FleetOptions {
    FleetOptions {
        ec2_page_size: 5,
        ssm_page_size: 5,
        ..FleetOptions::default()
    }
}

#[tokio::test]
async fn systems_manager_facts_merge_into_ec2_instances_over_several_pages() {
    let moto = Moto::start();
    let tokyo = ec2(&moto.url(), TOKYO).await;
    let (_, subnet) = subnet(&tokyo, "ap-northeast-1c", "10.0.3.0/24").await;
    let mut ids = Vec::new();
    for n in 0..7 {
        ids.push(
            run(
                &tokyo,
                &subnet,
                &format!("node-{n}"),
                InstanceType::T3Nano,
                None,
            )
            .await,
        );
    }
    let first_id = ids[0].clone();
    let rules = ssm_pages(
        vec![
            info(&ids[0]).build(),
            info(&ids[1])
                .ping_status(ssm::PingStatus::ConnectionLost)
                .agent_version("2.3.1319.0")
                .build(),
        ],
        vec![
            info("mi-0123456789abcdef0")
                .resource_type(ssm::ResourceType::ManagedInstance)
                .name("rack-7")
                .ip_address("192.168.10.7")
                .platform_name("Red Hat Enterprise Linux")
                .platform_version("9.3")
                .build(),
        ],
    );
    let scanned = patch_states(move |id| {
        if id == "mi-0123456789abcdef0" {
            Some(patch_state(id, 0))
        } else if id == first_id {
            Some(patch_state(id, 2))
        } else {
            None
        }
    });
    let ssm = ssm_client(&[rules[0].clone(), rules[1].clone(), scanned.clone()]);
    let requests = Requests::default();
    let ec2_config = config(&moto.url(), TOKYO).await;
    let counted = requests.clone();
    let clients = FleetClients::from_fn(move |_| RegionClients {
        ec2: aws_sdk_ec2::Client::from_conf(
            aws_sdk_ec2::config::Builder::from(&ec2_config)
                .interceptor(counted.clone())
                .build(),
        ),
        ssm: ssm.clone(),
    });
    let cloud = AwsCloud::with_clients(account(&[TOKYO]), clients).with_options(small_pages());

    let snapshot = cloud.list_fleet(&scope(&[])).await.unwrap();
    assert!(snapshot.failures.is_empty(), "{:?}", snapshot.failures);
    assert_eq!(
        snapshot.instances.len(),
        8,
        "seven EC2 instances and one hybrid node"
    );
    assert!(
        requests.0.load(Ordering::SeqCst) >= 2,
        "seven instances in pages of five take two DescribeInstances calls"
    );
    assert!(
        rules.iter().all(|r| r.num_calls() == 1),
        "both SSM pages read"
    );
    assert_eq!(
        scanned.num_calls(),
        1,
        "three managed nodes, one patch call"
    );

    let online = find(&snapshot, &ids[0]);
    assert_eq!(online.ping_status, PingStatus::Online);
    assert_eq!(online.last_ping_at.as_deref(), Some("2027-01-15T08:00:00Z"));
    assert_eq!(online.agent_version.as_deref(), Some("3.3.1142.0"));
    assert!(!online.agent_outdated);
    assert_eq!(online.platform_name, "Ubuntu 22.04");

    let patches = online.patches.as_ref().expect("scanned");
    assert_eq!(patches.state, PatchCompliance::NonCompliant);
    assert_eq!((patches.missing, patches.security_non_compliant), (2, 2));
    assert_eq!(patches.baseline_id, "pb-0123456789abcdef0");
    assert_eq!(patches.operation, PatchOperation::Scan);
    assert_eq!(patches.operation_ended_at, "2027-01-15T08:01:30Z");

    let lost = find(&snapshot, &ids[1]);
    assert_eq!(lost.ping_status, PingStatus::ConnectionLost);
    assert!(lost.agent_outdated, "2.3.1319.0 predates port forwarding");
    assert_eq!(lost.patches, None, "managed but never scanned");

    for id in &ids[2..] {
        let unmanaged = find(&snapshot, id);
        assert_eq!(unmanaged.ping_status, PingStatus::NotManaged);
        assert_eq!(unmanaged.agent_version, None);
        assert_eq!(unmanaged.last_ping_at, None);
        assert_eq!(unmanaged.patches, None);
    }

    let hybrid = find(&snapshot, "mi-0123456789abcdef0");
    assert_eq!(hybrid.name, "rack-7");
    assert_eq!(hybrid.region, TOKYO);
    assert_eq!(hybrid.account_id, MOTO_ACCOUNT);
    assert_eq!(hybrid.state, InstanceState::Running);
    assert_eq!(hybrid.private_ip.as_deref(), Some("192.168.10.7"));
    assert_eq!(hybrid.platform_name, "Red Hat Enterprise Linux 9.3");
    assert_eq!(hybrid.instance_type, "");
    assert_eq!(
        hybrid.patches.as_ref().map(|p| p.state),
        Some(PatchCompliance::Compliant)
    );
}

/// An HTTP client whose requests never get an answer.
fn silent_http() -> SharedHttpClient {
    #[derive(Debug)]
    struct Silent;
    impl HttpConnector for Silent {
        fn call(&self, _request: HttpRequest) -> HttpConnectorFuture {
            HttpConnectorFuture::new(std::future::pending())
        }
    }
    http_client_fn(|_, _| SharedHttpConnector::new(Silent))
}

/// EC2's answer in a region that is not enabled for the account.
fn auth_failure() -> HttpResponse {
    HttpResponse::new(
        401.try_into().unwrap(),
        SdkBody::from(
            "<Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message></Error></Errors><RequestID>1</RequestID></Response>",
        ),
    )
}

#[tokio::test]
async fn refusing_hanging_and_disabled_regions_fail_while_the_others_list() {
    let moto = Moto::start();
    let tokyo = ec2(&moto.url(), TOKYO).await;
    let (_, subnet) = subnet(&tokyo, "ap-northeast-1a", "10.0.1.0/24").await;
    let web = run(&tokyo, &subnet, "web-1", InstanceType::T3Micro, None).await;

    let moto_config = config(&moto.url(), TOKYO).await;
    let refused_config = config(&format!("http://127.0.0.1:{}", free_loopback_port()), TOKYO).await;
    let disabled = mock!(aws_sdk_ec2::Client::describe_instances).then_http_response(auth_failure);
    let disabled_ec2 = mock_client!(aws_sdk_ec2, RuleMode::MatchAny, [&disabled]);
    let empty = mock!(aws_sdk_ssm::Client::describe_instance_information)
        .then_output(|| DescribeInstanceInformationOutput::builder().build());
    let ssm = ssm_client(&[empty]);
    let clients = FleetClients::from_fn(move |region| {
        let ec2 = match region {
            "us-west-2" => aws_sdk_ec2::Client::new(&refused_config),
            "eu-west-1" => aws_sdk_ec2::Client::from_conf(
                aws_sdk_ec2::config::Builder::from(&moto_config)
                    .http_client(silent_http())
                    .build(),
            ),
            "ap-east-1" => disabled_ec2.clone(),
            _ => aws_sdk_ec2::Client::new(&moto_config),
        };
        RegionClients {
            ec2,
            ssm: ssm.clone(),
        }
    });
    let cloud = AwsCloud::with_clients(account(&[TOKYO]), clients).with_options(FleetOptions {
        region_timeout: Duration::from_millis(500),
        ..FleetOptions::default()
    });

    let snapshot = cloud
        .list_fleet(&scope(&["us-west-2", "eu-west-1", "ap-east-1", TOKYO]))
        .await
        .unwrap();
    let ids: Vec<&str> = snapshot.instances.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, [web.as_str()]);
    assert_eq!(snapshot.instances[0].ping_status, PingStatus::NotManaged);

    let failures: Vec<(&str, ErrorCode)> = snapshot
        .failures
        .iter()
        .map(|f| (f.region.as_str(), f.error.code))
        .collect();
    assert_eq!(
        failures,
        [
            ("us-west-2", ErrorCode::Network),
            ("eu-west-1", ErrorCode::Network),
            ("ap-east-1", ErrorCode::CredentialsInvalid),
        ],
        "{:#?}",
        snapshot.failures
    );
    assert!(
        snapshot.failures[1]
            .error
            .message
            .contains("did not answer within"),
        "{:?}",
        snapshot.failures[1]
    );
    assert!(
        snapshot.failures[2]
            .error
            .message
            .contains("ap-east-1 is probably not enabled"),
        "{:?}",
        snapshot.failures[2]
    );
}

#[tokio::test]
async fn a_denied_systems_manager_is_reported_once_with_its_code() {
    let moto = Moto::start();
    let tokyo = ec2(&moto.url(), TOKYO).await;
    let (_, subnet) = subnet(&tokyo, "ap-northeast-1a", "10.0.1.0/24").await;
    let web = run(&tokyo, &subnet, "web-1", InstanceType::T3Micro, None).await;
    let denied = mock!(aws_sdk_ssm::Client::describe_instance_information).then_http_response(|| {
        HttpResponse::new(
            400.try_into().unwrap(),
            SdkBody::from(
                r#"{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/ro is not authorized to perform: ssm:DescribeInstanceInformation"}"#,
            ),
        )
    });
    let ssm = ssm_client(&[denied]);
    let moto_config = config(&moto.url(), TOKYO).await;
    let clients = FleetClients::from_fn(move |_| RegionClients {
        ec2: aws_sdk_ec2::Client::new(&moto_config),
        ssm: ssm.clone(),
    });
    let cloud = AwsCloud::with_clients(account(&[TOKYO]), clients);

    let snapshot = cloud.list_fleet(&scope(&[TOKYO])).await.unwrap();
    assert_eq!(find(&snapshot, &web).ping_status, PingStatus::Unknown);
    assert_eq!(snapshot.failures.len(), 1);
    assert_eq!(snapshot.failures[0].error.code, ErrorCode::AccessDenied);
    assert!(
        snapshot.failures[0]
            .error
            .message
            .contains("ssm:DescribeInstanceInformation"),
        "{:?}",
        snapshot.failures[0]
    );

    let err = cloud.open_shell(&web).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Unsupported);
}

/// EC2 answering with one running instance called `name`, without a network.
fn ec2_with(id: &str, name: &str) -> aws_sdk_ec2::Client {
    use aws_sdk_ec2::types as ec2;
    let instance = ec2::Instance::builder()
        .instance_id(id)
        .state(
            ec2::InstanceState::builder()
                .name(ec2::InstanceStateName::Running)
                .build(),
        )
        .tags(Tag::builder().key("Name").value(name).build())
        .build();
    let rule = mock!(aws_sdk_ec2::Client::describe_instances).then_output(move || {
        DescribeInstancesOutput::builder()
            .reservations(
                ec2::Reservation::builder()
                    .owner_id(MOTO_ACCOUNT)
                    .instances(instance.clone())
                    .build(),
            )
            .build()
    });
    mock_client!(aws_sdk_ec2, RuleMode::MatchAny, [&rule])
}

/// DescribeInstanceInformation answering with `nodes` in one page.
fn nodes(nodes: Vec<InstanceInformation>) -> Rule {
    mock!(aws_sdk_ssm::Client::describe_instance_information).then_output(move || {
        DescribeInstanceInformationOutput::builder()
            .set_instance_information_list(Some(nodes.clone()))
            .build()
    })
}

#[tokio::test]
async fn patch_states_are_asked_fifty_instances_at_a_time_and_every_page_is_read() {
    let hybrid: Vec<String> = (0..120).map(|n| format!("mi-{n:017x}")).collect();
    let infos = hybrid
        .iter()
        .map(|id| {
            info(id)
                .resource_type(ssm::ResourceType::ManagedInstance)
                .name(id.clone())
                .build()
        })
        .collect();
    let most_asked = Arc::new(AtomicUsize::new(0));
    let seen = most_asked.clone();
    // Each batch answers in two pages; every seventh node was never scanned.
    let paged = |input: &DescribeInstancePatchStatesInput| {
        let ids = input.instance_ids();
        let (first, second) = ids.split_at(ids.len() / 2);
        let page = if input.next_token().is_none() {
            first
        } else {
            second
        };
        DescribeInstancePatchStatesOutput::builder()
            .set_instance_patch_states(Some(
                page.iter()
                    .filter(|id| !id.ends_with('7'))
                    .map(|id| patch_state(id, 1))
                    .collect(),
            ))
            .set_next_token(input.next_token().is_none().then(|| "page-2".to_owned()))
            .build()
    };
    let patches = mock!(aws_sdk_ssm::Client::describe_instance_patch_states)
        .match_requests(move |input| {
            seen.fetch_max(input.instance_ids().len(), Ordering::SeqCst);
            true
        })
        .then_compute_output(paged);
    let ssm = ssm_client(&[nodes(infos), patches.clone()]);
    let ec2 = ec2_with("i-0web", "web-1");
    let clients = FleetClients::from_fn(move |_| RegionClients {
        ec2: ec2.clone(),
        ssm: ssm.clone(),
    });
    let cloud = AwsCloud::with_clients(account(&[TOKYO]), clients);

    let snapshot = cloud.list_fleet(&scope(&[TOKYO])).await.unwrap();
    assert!(snapshot.failures.is_empty(), "{:?}", snapshot.failures);
    assert_eq!(snapshot.instances.len(), 121);
    assert_eq!(most_asked.load(Ordering::SeqCst), 50);
    assert_eq!(patches.num_calls(), 6, "three batches of two pages");
    for id in &hybrid {
        let scanned = find(&snapshot, id).patches.is_some();
        assert_eq!(scanned, !id.ends_with('7'), "{id}");
    }
    assert_eq!(find(&snapshot, "i-0web").patches, None, "not managed");
}

#[tokio::test]
async fn denied_patch_states_keep_the_ssm_status_and_are_reported_once() {
    let denied = mock!(aws_sdk_ssm::Client::describe_instance_patch_states).then_http_response(|| {
        HttpResponse::new(
            400.try_into().unwrap(),
            SdkBody::from(
                r#"{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/ro is not authorized to perform: ssm:DescribeInstancePatchStates"}"#,
            ),
        )
    });
    let ssm = ssm_client(&[nodes(vec![info("i-0web").build()]), denied]);
    let ec2 = ec2_with("i-0web", "web-1");
    let clients = FleetClients::from_fn(move |_| RegionClients {
        ec2: ec2.clone(),
        ssm: ssm.clone(),
    });
    let cloud = AwsCloud::with_clients(account(&[TOKYO]), clients);

    let snapshot = cloud.list_fleet(&scope(&[TOKYO])).await.unwrap();
    let web = find(&snapshot, "i-0web");
    assert_eq!(
        web.ping_status,
        PingStatus::Online,
        "patch data is not SSM status"
    );
    assert_eq!(web.patches, None);
    assert_eq!(snapshot.failures.len(), 1, "{:?}", snapshot.failures);
    let failure = &snapshot.failures[0];
    assert_eq!(failure.region, TOKYO);
    assert_eq!(failure.error.code, ErrorCode::AccessDenied);
    for words in [
        "ssm:DescribeInstancePatchStates",
        "DescribeInstancePatchStates in ap-northeast-1 failed",
        "listed without patch compliance",
    ] {
        assert!(failure.error.message.contains(words), "{failure:?}");
    }
}

#[tokio::test]
async fn on_moto_without_patch_states_the_instances_list_with_their_ssm_status() {
    let moto = Moto::start();
    let tokyo = ec2(&moto.url(), TOKYO).await;
    let (_, subnet) = subnet(&tokyo, "ap-northeast-1a", "10.0.1.0/24").await;
    let web = run(&tokyo, &subnet, "web-1", InstanceType::T3Micro, None).await;
    let moto_config = config(&moto.url(), TOKYO).await;
    // DescribeInstanceInformation is mocked (moto lacks it); DescribeInstancePatchStates has
    // no rule, so it goes to moto itself.
    let managed = nodes(vec![info(&web).build()]);
    let ssm = aws_sdk_ssm::Client::from_conf(
        aws_sdk_ssm::config::Builder::from(&moto_config)
            .interceptor(
                MockResponseInterceptor::new()
                    .rule_mode(RuleMode::MatchAny)
                    .with_rule(&managed)
                    .allow_passthrough(),
            )
            .build(),
    );
    let clients = FleetClients::from_fn(move |_| RegionClients {
        ec2: aws_sdk_ec2::Client::new(&moto_config),
        ssm: ssm.clone(),
    });
    let cloud = AwsCloud::with_clients(account(&[TOKYO]), clients);

    let snapshot = cloud.list_fleet(&scope(&[TOKYO])).await.unwrap();
    assert_eq!(managed.num_calls(), 1);
    let listed = find(&snapshot, &web);
    assert_eq!(listed.ping_status, PingStatus::Online);
    assert_eq!(listed.patches, None);
    assert_eq!(snapshot.failures.len(), 1, "{:?}", snapshot.failures);
    let message = &snapshot.failures[0].error.message;
    assert!(
        message.contains("DescribeInstancePatchStates in ap-northeast-1 failed with HTTP 500"),
        "{message}"
    );
    assert!(message.contains("without patch compliance"), "{message}");
}
