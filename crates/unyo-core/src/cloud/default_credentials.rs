//! Where the AWS SDK's default credential chain would find credentials without a profile,
//! read from the environment as the SDK reads it, so the account switcher can offer
//! "Default credentials" exactly when the AWS CLI would work without `--profile`. The instance
//! role (IMDS) is not probed: asking would reach beyond this computer at every start.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The first source the chain would use, in the SDK's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DefaultCredentials {
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (CI jobs, CloudShell, exported keys).
    Environment,
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` with `AWS_ROLE_ARN` (EKS service accounts, CI OIDC).
    WebIdentity,
    /// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `..._FULL_URI` (ECS tasks, EKS Pod Identity).
    Container,
}

impl DefaultCredentials {
    /// What `var` (an environment lookup) says the chain would use, if anything.
    pub fn detect(var: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let set = |name: &str| var(name).is_some_and(|v| !v.trim().is_empty());
        if set("AWS_ACCESS_KEY_ID") && set("AWS_SECRET_ACCESS_KEY") {
            Some(Self::Environment)
        } else if set("AWS_WEB_IDENTITY_TOKEN_FILE") && set("AWS_ROLE_ARN") {
            Some(Self::WebIdentity)
        } else if set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
            || set("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        {
            Some(Self::Container)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn finds_the_source_the_sdk_would_use_first() {
        assert_eq!(DefaultCredentials::detect(env(&[])), None);
        assert_eq!(
            DefaultCredentials::detect(env(&[("AWS_ACCESS_KEY_ID", "AKID")])),
            None,
            "a key id without its secret is not credentials"
        );
        let keys = [
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
            ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/creds"),
        ];
        assert_eq!(
            DefaultCredentials::detect(env(&keys)),
            Some(DefaultCredentials::Environment)
        );
        let web = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci"),
        ];
        assert_eq!(
            DefaultCredentials::detect(env(&web)),
            Some(DefaultCredentials::WebIdentity)
        );
        assert_eq!(
            DefaultCredentials::detect(env(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://x")])),
            Some(DefaultCredentials::Container)
        );
    }
}
