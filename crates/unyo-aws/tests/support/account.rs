//! The account the adapter tests connect: `profile:test`, account 123456789012, in one region,
//! made from ready-made (mocked or moto) clients.

#![allow(dead_code, reason = "each test file uses part of it")]

use unyo_aws::cloud::AwsCloud;
use unyo_aws::fleet::{FleetClients, RegionClients};
use unyo_core::{AccountContext, AccountKind};

pub fn context(region: &str) -> AccountContext {
    AccountContext {
        id: "profile:test".into(),
        kind: AccountKind::Profile,
        account_id: Some("123456789012".into()),
        regions: vec![region.into()],
        default_region: Some(region.into()),
        capabilities: Vec::new(),
    }
}

/// The account in `region` over these EC2 and SSM clients, in every region.
pub fn with(region: &str, ec2: aws_sdk_ec2::Client, ssm: aws_sdk_ssm::Client) -> AwsCloud {
    AwsCloud::with_clients(
        context(region),
        FleetClients::from_fn(move |_| RegionClients {
            ec2: ec2.clone(),
            ssm: ssm.clone(),
        }),
    )
}
