//! Which IAM Identity Center session a name refers to, read from the shared AWS config file by
//! the SDK's own parser, so `AWS_CONFIG_FILE`, `~` and the format's quirks are handled as the
//! SDK (and the AWS CLI) handle them.

use aws_config::profile::ProfileSet;
use aws_types::os_shim_internal::{Env, Fs};
use unyo_core::{AppError, ErrorCode};

use super::{SsoSession, default_scopes};

/// How the user names the sign-in, as with `aws sso login`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionSource<'a> {
    /// An `[sso-session NAME]` section.
    SsoSession(&'a str),
    /// A profile: the session its `sso_session` names, or its legacy `sso_start_url` and
    /// `sso_region`.
    Profile(&'a str),
}

/// Reads the shared AWS config file and finds the session `source` names.
pub async fn find_session(source: SessionSource<'_>) -> Result<SsoSession, AppError> {
    find_session_in(&Fs::real(), &Env::real(), source).await
}

/// [`find_session`] over the given files and environment (tests pass in their own).
pub(super) async fn find_session_in(
    fs: &Fs,
    env: &Env,
    source: SessionSource<'_>,
) -> Result<SsoSession, AppError> {
    let profiles = aws_config::profile::load(fs, env, &Default::default(), None)
        .await
        .map_err(|e| {
            AppError::new(
                ErrorCode::InvalidInput,
                format!("cannot read the AWS config file: {e}"),
            )
        })?;
    session_in(&profiles, source)
}

fn session_in(profiles: &ProfileSet, source: SessionSource<'_>) -> Result<SsoSession, AppError> {
    let name = match source {
        SessionSource::SsoSession(name) => name,
        SessionSource::Profile(profile_name) => {
            let profile = profiles.get_profile(profile_name).ok_or_else(|| {
                AppError::invalid_input(format!(
                    "there is no profile \"{profile_name}\" in the AWS config file"
                ))
            })?;
            match (
                profile.get("sso_session"),
                profile.get("sso_start_url"),
                profile.get("sso_region"),
            ) {
                (Some(session), _, _) => session,
                (None, Some(start_url), Some(region)) => {
                    return Ok(SsoSession::legacy(start_url, region));
                }
                (None, Some(_), None) => {
                    return Err(AppError::invalid_input(format!(
                        "profile \"{profile_name}\" has sso_start_url but no sso_region"
                    )));
                }
                (None, None, _) => {
                    return Err(AppError::invalid_input(format!(
                        "profile \"{profile_name}\" does not use IAM Identity Center (it has neither sso_session nor sso_start_url)"
                    )));
                }
            }
        }
    };
    let section = profiles.sso_session(name).ok_or_else(|| {
        AppError::invalid_input(format!(
            "there is no [sso-session {name}] in the AWS config file"
        ))
    })?;
    let required = |key: &str| {
        section
            .get(key)
            .map(str::to_owned)
            .ok_or_else(|| AppError::invalid_input(format!("[sso-session {name}] has no {key}")))
    };
    Ok(SsoSession {
        name: Some(name.to_owned()),
        start_url: required("sso_start_url")?,
        region: required("sso_region")?,
        scopes: default_scopes(parse_scopes(section.get("sso_registration_scopes"))),
    })
}

/// `sso_registration_scopes` as the AWS CLI reads it: comma-separated, blanks dropped.
fn parse_scopes(raw: Option<&str>) -> Vec<String> {
    raw.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|scope| !scope.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn find(config: &str, source: SessionSource<'_>) -> Result<SsoSession, AppError> {
        let fs = Fs::from_slice(&[("/cfg/config", config)]);
        let env = Env::from_slice(&[("AWS_CONFIG_FILE", "/cfg/config"), ("HOME", "/home/none")]);
        find_session_in(&fs, &env, source).await
    }

    const CONFIG: &str = "\
[sso-session corp]
sso_start_url = https://d-9067642ac7.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access, extra:scope ,

[sso-session bare]
sso_start_url = https://bare.awsapps.com/start
sso_region = us-east-1

[sso-session broken]
sso_region = us-east-1

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer

[profile old]
sso_start_url = https://old.awsapps.com/start
sso_region = ap-northeast-1

[profile half]
sso_start_url = https://half.awsapps.com/start

[profile keys]
region = eu-west-1
";

    #[tokio::test]
    async fn an_sso_session_section_is_read_with_its_scopes() {
        let session = find(CONFIG, SessionSource::SsoSession("corp"))
            .await
            .unwrap();
        assert_eq!(
            session,
            SsoSession {
                name: Some("corp".into()),
                start_url: "https://d-9067642ac7.awsapps.com/start".into(),
                region: "eu-west-1".into(),
                scopes: vec!["sso:account:access".into(), "extra:scope".into()],
            }
        );
    }

    #[tokio::test]
    async fn a_session_without_scopes_asks_for_refreshable_tokens() {
        let session = find(CONFIG, SessionSource::SsoSession("bare"))
            .await
            .unwrap();
        assert_eq!(session.scopes, ["sso:account:access"]);
    }

    #[tokio::test]
    async fn a_profile_leads_to_its_sso_session() {
        let session = find(CONFIG, SessionSource::Profile("dev")).await.unwrap();
        assert_eq!(session.name.as_deref(), Some("corp"));
        assert_eq!(session.region, "eu-west-1");
    }

    #[tokio::test]
    async fn a_legacy_profile_is_a_session_without_a_name() {
        let session = find(CONFIG, SessionSource::Profile("old")).await.unwrap();
        assert_eq!(
            session,
            SsoSession::legacy("https://old.awsapps.com/start", "ap-northeast-1")
        );
    }

    #[tokio::test]
    async fn what_is_missing_is_named() {
        for (source, expected) in [
            (SessionSource::SsoSession("nope"), "no [sso-session nope]"),
            (SessionSource::SsoSession("broken"), "has no sso_start_url"),
            (SessionSource::Profile("nope"), "no profile \"nope\""),
            (SessionSource::Profile("half"), "no sso_region"),
            (
                SessionSource::Profile("keys"),
                "does not use IAM Identity Center",
            ),
        ] {
            let err = find(CONFIG, source).await.unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidInput, "{source:?}");
            assert!(
                err.message.contains(expected),
                "{source:?}: {}",
                err.message
            );
        }
    }
}
