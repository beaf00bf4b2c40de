//! The agent's identity: an instance profile with `AmazonSSMManagedInstanceCore`, or Default
//! Host Management (DHMC) for the region, and the instance metadata both are read through.
//!
//! The caveat the rules encode: an instance profile that allows `ssm:UpdateInstanceInformation`
//! takes precedence over DHMC, so DHMC only takes over from a profile without that permission.

use super::{Context, check, unknown};
use crate::agent::AgentFeature;
use crate::readiness::facts::{HttpTokens, InstanceProfile};
use crate::readiness::fixes::{self, CORE_POLICY, OLD_POLICY};
use crate::readiness::report::{Check, CheckId, CheckStatus};

const PRECEDENCE: &str = "An instance profile that allows ssm:UpdateInstanceInformation takes precedence over Default Host Management.";

pub fn identity(ctx: &Context<'_>) -> Option<Check> {
    let id = CheckId::Identity;
    let facts = &ctx.facts.identity;
    let dhmc = facts.dhmc.value().map(|d| d.role.clone());
    let dhmc_words = match &dhmc {
        Some(Some(role)) => format!(
            "Default Host Management is enabled in {} (role {role})",
            ctx.region()
        ),
        Some(None) => format!("Default Host Management is off in {}", ctx.region()),
        None => format!(
            "the Default Host Management setting is unknown ({})",
            facts.dhmc.why_unknown().unwrap_or_default()
        ),
    };
    let Some(profile) = facts.instance_profile.value() else {
        return Some(unknown(
            ctx,
            id,
            "the instance profile",
            &facts.instance_profile,
        ));
    };
    Some(match profile {
        Some(profile) => with_profile(ctx, profile, dhmc.as_ref(), &dhmc_words),
        None => without_profile(ctx, dhmc.as_ref(), &dhmc_words),
    })
}

fn with_profile(
    ctx: &Context<'_>,
    profile: &InstanceProfile,
    dhmc: Option<&Option<String>>,
    dhmc_words: &str,
) -> Check {
    let id = CheckId::Identity;
    let role = match profile.role.value() {
        Some(Some(role)) => role.clone(),
        Some(None) => {
            return check(
                id,
                CheckStatus::Fail,
                format!(
                    "The instance profile {} holds no role, so the agent gets no credentials from it.",
                    profile.name
                ),
                Some(fixes::give_identity(
                    ctx.id(),
                    ctx.region(),
                    matches!(dhmc, Some(None)),
                )),
            );
        }
        None => {
            return unknown(
                ctx,
                id,
                &format!("the role of instance profile {}", profile.name),
                &profile.role,
            );
        }
    };
    let dhmc_on = matches!(dhmc, Some(Some(_)));
    let note = if dhmc_on {
        format!(" {dhmc_words}; the profile is used first. {PRECEDENCE}")
    } else {
        String::new()
    };
    let Some(policies) = profile.attached_policies.value() else {
        if ctx.online {
            return check(
                id,
                CheckStatus::Pass,
                format!(
                    "Instance profile {} (role {role}) gives the agent credentials: it is online. Its policies could not be read: {}.",
                    profile.name,
                    profile.attached_policies.why_unknown().unwrap_or_default()
                ),
                None,
            );
        }
        return unknown(
            ctx,
            id,
            &format!("the policies of role {role}"),
            &profile.attached_policies,
        );
    };
    let has = |name: &str| policies.iter().any(|p| p == name);
    if has(CORE_POLICY) {
        return check(
            id,
            CheckStatus::Pass,
            format!(
                "Instance profile {} (role {role}) has {CORE_POLICY}.{note}",
                profile.name
            ),
            None,
        );
    }
    if has(OLD_POLICY) {
        return check(
            id,
            CheckStatus::Warn,
            format!(
                "Role {role} has {OLD_POLICY}, which AWS deprecated; it still lets the agent in, with more rights than it needs.{note}"
            ),
            Some(fixes::attach_core_policy(&role)),
        );
    }
    let listed = if policies.is_empty() {
        "no managed policies".to_owned()
    } else {
        policies.join(", ")
    };
    if dhmc_on {
        return check(
            id,
            CheckStatus::Warn,
            format!(
                "Role {role} of instance profile {} lacks {CORE_POLICY} (it has {listed}); {dhmc_words}, which the agent falls back to. {PRECEDENCE} If another policy of the role grants that, it needs the rest of {CORE_POLICY} too.",
                profile.name
            ),
            Some(fixes::attach_core_policy(&role)),
        );
    }
    check(
        id,
        CheckStatus::Fail,
        format!(
            "Role {role} of instance profile {} lacks {CORE_POLICY} (it has {listed}), and {dhmc_words}. Unyo reads managed policies only; an inline policy may still grant it.",
            profile.name
        ),
        Some(fixes::attach_core_policy(&role)),
    )
}

fn without_profile(ctx: &Context<'_>, dhmc: Option<&Option<String>>, dhmc_words: &str) -> Check {
    let id = CheckId::Identity;
    match dhmc {
        Some(Some(_)) => {
            let too_old = ctx
                .agent
                .as_ref()
                .is_some_and(|v| v < &AgentFeature::DefaultHostManagement.minimum());
            let imds_off = ctx
                .facts
                .identity
                .imds
                .value()
                .is_some_and(|i| !i.endpoint_enabled);
            if too_old || imds_off {
                let why = if imds_off {
                    "the instance's metadata endpoint is off".to_owned()
                } else {
                    format!(
                        "it needs agent {}",
                        AgentFeature::DefaultHostManagement.minimum()
                    )
                };
                check(
                    id,
                    CheckStatus::Fail,
                    format!(
                        "No instance profile is attached and {dhmc_words}, but it cannot serve this instance: {why}."
                    ),
                    Some(fixes::update_agent(ctx.id(), ctx.region(), ctx.online)),
                )
            } else {
                check(
                    id,
                    CheckStatus::Pass,
                    format!(
                        "No instance profile is attached; {dhmc_words} and gives the agent its credentials."
                    ),
                    None,
                )
            }
        }
        Some(None) => check(
            id,
            if ctx.online {
                CheckStatus::Warn
            } else {
                CheckStatus::Fail
            },
            format!(
                "No instance profile is attached and {dhmc_words}, so the agent has no credentials."
            ),
            Some(fixes::give_identity(ctx.id(), ctx.region(), true)),
        ),
        None => unknown(
            ctx,
            id,
            "the Default Host Management setting, which an instance without a profile needs",
            &ctx.facts.identity.dhmc,
        ),
    }
}

pub fn imds(ctx: &Context<'_>) -> Option<Check> {
    let id = CheckId::Imds;
    let fact = &ctx.facts.identity.imds;
    let Some(imds) = fact.value() else {
        return Some(unknown(ctx, id, "the instance's metadata options", fact));
    };
    let fix = Some(fixes::require_imdsv2(ctx.id(), ctx.region()));
    Some(if !imds.endpoint_enabled {
        check(
            id,
            CheckStatus::Fail,
            "The instance metadata endpoint is turned off; the agent reads its credentials there, for an instance profile and Default Host Management alike.".into(),
            fix,
        )
    } else if imds.http_tokens == HttpTokens::Optional {
        check(
            id,
            CheckStatus::Warn,
            "IMDSv1 is still allowed (tokens optional); Default Host Management needs IMDSv2, and v1 lets a server-side request forgery read the instance's credentials.".into(),
            fix,
        )
    } else {
        check(id, CheckStatus::Pass, "IMDSv2 is required.".into(), None)
    })
}

#[cfg(test)]
mod tests {
    use super::super::diagnose;
    use super::super::testing::*;
    use crate::readiness::facts::*;
    use crate::readiness::report::{CheckId, CheckStatus};

    const DHMC_ROLE: &str = "service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole";

    fn identity(facts: &ReadinessFacts) -> crate::readiness::report::Check {
        diagnose(facts).check(CheckId::Identity).unwrap().clone()
    }

    fn policies(facts: &mut ReadinessFacts, names: &[&str]) {
        if let Fact::Known {
            value: Some(profile),
        } = &mut facts.identity.instance_profile
        {
            profile.attached_policies =
                Fact::known(names.iter().map(|n| (*n).to_owned()).collect());
        }
    }

    fn dhmc(facts: &mut ReadinessFacts, on: bool) {
        facts.identity.dhmc = Fact::known(Dhmc {
            role: on.then(|| DHMC_ROLE.to_owned()),
        });
    }

    #[test]
    fn a_profile_with_the_core_policy_passes_and_names_the_precedence_when_dhmc_is_on() {
        let mut facts = healthy();
        assert_eq!(identity(&facts).status, CheckStatus::Pass);
        dhmc(&mut facts, true);
        let check = identity(&facts);
        assert_eq!(check.status, CheckStatus::Pass);
        assert!(
            check
                .evidence
                .contains("takes precedence over Default Host Management"),
            "{}",
            check.evidence
        );
    }

    #[test]
    fn a_profile_without_ssm_policies_fails_unless_dhmc_can_take_over() {
        let mut facts = healthy();
        unmanaged(&mut facts);
        policies(&mut facts, &["CloudWatchAgentServerPolicy"]);
        let check = identity(&facts);
        assert_eq!(check.status, CheckStatus::Fail);
        assert!(
            check.evidence.contains(
                "lacks AmazonSSMManagedInstanceCore (it has CloudWatchAgentServerPolicy)"
            )
        );
        assert!(check.fix.unwrap().commands[0].contains("attach-role-policy --role-name AppRole"));
        dhmc(&mut facts, true);
        let check = identity(&facts);
        assert_eq!(check.status, CheckStatus::Warn);
        assert!(check.evidence.contains("falls back to"));
    }

    #[test]
    fn the_deprecated_policy_warns() {
        let mut facts = healthy();
        policies(&mut facts, &["AmazonEC2RoleforSSM"]);
        let check = identity(&facts);
        assert_eq!(check.status, CheckStatus::Warn);
        assert!(check.evidence.contains("deprecated"));
    }

    #[test]
    fn no_profile_needs_dhmc_with_a_new_agent_and_metadata() {
        let mut facts = healthy();
        unmanaged(&mut facts);
        facts.identity.instance_profile = Fact::known(None);
        let check = identity(&facts);
        assert_eq!(check.status, CheckStatus::Fail);
        let fix = check.fix.unwrap();
        assert!(fix.commands.iter().any(|c| c.contains(
            "aws ssm update-service-setting --region ap-northeast-1 --setting-id /ssm/managed-instance/default-ec2-instance-management-role --setting-value service-role/AWSSystemsManagerDefaultEC2InstanceManagementRole"
        )));
        assert!(fix.summary.contains("takes precedence"));

        dhmc(&mut facts, true);
        assert_eq!(identity(&facts).status, CheckStatus::Pass);
        facts.identity.imds = Fact::known(Imds {
            endpoint_enabled: false,
            http_tokens: HttpTokens::Required,
        });
        assert_eq!(identity(&facts).status, CheckStatus::Fail);

        let mut old = healthy();
        old.identity.instance_profile = Fact::known(None);
        dhmc(&mut old, true);
        if let Fact::Known { value: Some(r) } = &mut old.registration {
            r.ping_status = crate::PingStatus::ConnectionLost;
            r.agent_version = Some("3.2.500.0".into());
        }
        let check = identity(&old);
        assert_eq!(check.status, CheckStatus::Fail);
        assert!(check.evidence.contains("3.2.582.0"), "{}", check.evidence);
    }

    #[test]
    fn denied_reads_are_unknown_not_failures() {
        let mut facts = healthy();
        unmanaged(&mut facts);
        facts.identity.instance_profile = Fact::known(Some(InstanceProfile {
            name: "AppProfile".into(),
            arn: None,
            role: Fact::unknown(UnknownReason::Denied, "iam:GetInstanceProfile"),
            attached_policies: Fact::unknown(UnknownReason::NotGathered, "the role is unknown"),
        }));
        let check = identity(&facts);
        assert_eq!(check.status, CheckStatus::Unknown);
        assert!(check.evidence.contains("iam:GetInstanceProfile"));

        facts.identity.instance_profile = Fact::known(None);
        facts.identity.dhmc = Fact::unknown(UnknownReason::Unsupported, "GetServiceSetting");
        assert_eq!(identity(&facts).status, CheckStatus::Unknown);
    }

    #[test]
    fn an_online_agent_softens_a_missing_policy_to_a_warning() {
        let mut facts = healthy();
        policies(&mut facts, &[]);
        let check = identity(&facts);
        assert_eq!(check.status, CheckStatus::Warn);
        assert!(check.evidence.contains("agent is online"));
    }

    #[test]
    fn imds_off_fails_v1_warns_v2_passes() {
        let mut facts = healthy();
        for (enabled, tokens, want) in [
            (true, HttpTokens::Required, CheckStatus::Pass),
            (true, HttpTokens::Optional, CheckStatus::Warn),
            (false, HttpTokens::Required, CheckStatus::Warn),
        ] {
            facts.identity.imds = Fact::known(Imds {
                endpoint_enabled: enabled,
                http_tokens: tokens,
            });
            assert_eq!(
                diagnose(&facts).check(CheckId::Imds).unwrap().status,
                want,
                "{enabled} {tokens:?}"
            );
        }
        unmanaged(&mut facts);
        let report = diagnose(&facts);
        let check = report.check(CheckId::Imds).unwrap();
        assert_eq!(
            check.status,
            CheckStatus::Fail,
            "off, and nothing contradicts it"
        );
        assert!(check.fix.as_ref().unwrap().commands[0].contains("--http-tokens required"));
    }
}
