//! What was observed about one instance, before any judgement. Every fact that comes from a
//! separate call may be [`Fact::Unknown`] with the reason, so a denied `iam:GetInstanceProfile`
//! makes the identity check "unknown" instead of failing the whole report.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{InstanceState, PingStatus, Platform};

/// Why a fact could not be observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum UnknownReason {
    /// The identity lacks the permission; the detail names the action.
    Denied,
    /// The call is not available here (an emulator without it, a partition without it).
    Unsupported,
    /// The call failed for another reason (network, throttling); the detail says which.
    Failed,
    /// Nothing was asked, because an earlier fact it depends on is unknown.
    NotGathered,
}

/// An observation, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum Fact<T> {
    Known {
        value: T,
    },
    Unknown {
        reason: UnknownReason,
        detail: String,
    },
}

impl<T> Fact<T> {
    pub fn known(value: T) -> Self {
        Self::Known { value }
    }

    pub fn unknown(reason: UnknownReason, detail: impl Into<String>) -> Self {
        Self::Unknown {
            reason,
            detail: detail.into(),
        }
    }

    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Known { value } => Some(value),
            Self::Unknown { .. } => None,
        }
    }

    /// Why the fact is unknown, in words ("denied: ..."), or `None` when it is known.
    pub fn why_unknown(&self) -> Option<String> {
        match self {
            Self::Known { .. } => None,
            Self::Unknown { reason, detail } => Some(match reason {
                UnknownReason::Denied => format!("access denied ({detail})"),
                UnknownReason::Unsupported => format!("not available here ({detail})"),
                UnknownReason::Failed => format!("the call failed ({detail})"),
                UnknownReason::NotGathered => format!("not gathered ({detail})"),
            }),
        }
    }
}

/// Everything the doctor looks at for one instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReadinessFacts {
    pub instance_id: String,
    /// The `Name` tag, empty when there is none.
    pub name: String,
    pub region: String,
    pub state: InstanceState,
    pub platform: Platform,
    pub private_ip: Option<String>,
    pub public_ip: Option<String>,
    /// What Systems Manager knows of the instance; `None` when it never registered.
    pub registration: Fact<Option<Registration>>,
    pub identity: IdentityFacts,
    pub network: NetworkFacts,
}

/// The instance's entry in `DescribeInstanceInformation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Registration {
    pub ping_status: PingStatus,
    /// RFC 3339.
    pub last_ping_at: Option<String>,
    pub agent_version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IdentityFacts {
    /// `None` when no instance profile is attached.
    pub instance_profile: Fact<Option<InstanceProfile>>,
    /// The region's Default Host Management Configuration.
    pub dhmc: Fact<Dhmc>,
    pub imds: Fact<Imds>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InstanceProfile {
    pub name: String,
    pub arn: Option<String>,
    /// The role inside the profile (a profile holds at most one); unknown when
    /// `iam:GetInstanceProfile` was refused, `None` for an empty profile.
    pub role: Fact<Option<String>>,
    /// The managed policies attached to the role (`iam:ListAttachedRolePolicies`): AWS's by
    /// name (`AmazonSSMManagedInstanceCore`), the account's own by ARN.
    pub attached_policies: Fact<Vec<String>>,
}

/// Service setting `/ssm/managed-instance/default-ec2-instance-management-role`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Dhmc {
    /// The role path the setting names, `None` when it is `$None` (disabled).
    pub role: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum HttpTokens {
    /// IMDSv2 only.
    Required,
    /// IMDSv1 and IMDSv2.
    Optional,
}

/// The instance's metadata options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Imds {
    pub endpoint_enabled: bool,
    pub http_tokens: HttpTokens,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NetworkFacts {
    pub vpc_id: Option<String>,
    pub subnet_id: Option<String>,
    /// The VPC's IPv4 CIDR blocks.
    pub vpc_cidrs: Fact<Vec<String>>,
    /// The instance's security groups with their rules.
    pub security_groups: Fact<Vec<SecurityGroup>>,
    pub route_table: Fact<RouteTable>,
    /// Interface endpoints in the VPC for `ssm`, `ssmmessages` and `ec2messages`.
    pub interface_endpoints: Fact<Vec<InterfaceEndpoint>>,
    /// The S3 gateway endpoint serving the subnet's route table, if any.
    pub s3_gateway_endpoint: Fact<Option<String>>,
    pub network_acl: Fact<NetworkAcl>,
    pub vpc_dns: Fact<VpcDns>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub inbound: Vec<SecurityGroupRule>,
    pub outbound: Vec<SecurityGroupRule>,
}

/// One permission of a security group, as `IpPermissions` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SecurityGroupRule {
    /// `-1` (all), `tcp`, `udp`, `icmp` or a protocol number.
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub ipv4_ranges: Vec<String>,
    pub ipv6_ranges: Vec<String>,
    /// Other security groups the rule names as peers.
    pub security_groups: Vec<String>,
    pub prefix_lists: Vec<String>,
}

/// Where the subnet's `0.0.0.0/0` route goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export)]
pub enum RouteTarget {
    InternetGateway {
        id: String,
    },
    NatGateway {
        id: String,
    },
    /// A transit gateway, peering, virtual private gateway, firewall instance or ENI: traffic
    /// leaves the VPC's view.
    Other {
        id: String,
    },
    /// The target is gone.
    Blackhole {
        id: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RouteTable {
    pub id: String,
    /// The subnet has no association of its own and uses the VPC's main route table.
    pub main: bool,
    /// `None` when there is no `0.0.0.0/0` route.
    pub default_route: Option<RouteTarget>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InterfaceEndpoint {
    pub id: String,
    /// `ssm`, `ssmmessages` or `ec2messages`.
    pub service: String,
    /// `available`, `pending`, ...
    pub state: String,
    pub private_dns: bool,
    pub subnet_ids: Vec<String>,
    pub security_groups: Fact<Vec<SecurityGroup>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NetworkAcl {
    pub id: String,
    pub entries: Vec<NetworkAclEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NetworkAclEntry {
    pub rule_number: i32,
    pub outbound: bool,
    /// `-1` (all) or a protocol number (`6` is TCP).
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    /// IPv4 CIDR; entries for IPv6 only are left out.
    pub cidr: String,
    pub allow: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VpcDns {
    pub support: bool,
    pub hostnames: bool,
}
