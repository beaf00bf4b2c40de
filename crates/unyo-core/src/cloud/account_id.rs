//! The ids an account goes by across IPC, settings and the command line, parsed in one place
//! so the app and the CLI accept the same ones.

use std::fmt;
use std::str::FromStr;

use crate::AppError;

const PROFILE_PREFIX: &str = "profile:";

/// `practice`, `profile:NAME`, or `default`: the credentials the AWS SDK finds by itself
/// (environment variables, web identity, container or instance role) when no profile is
/// named, as the AWS CLI does.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AccountId {
    Practice,
    Profile(String),
    Default,
}

impl AccountId {
    /// The profile's name, for an id that names one.
    pub fn profile(&self) -> Option<&str> {
        match self {
            Self::Profile(name) => Some(name),
            Self::Practice | Self::Default => None,
        }
    }
}

impl FromStr for AccountId {
    type Err = AppError;

    fn from_str(id: &str) -> Result<Self, AppError> {
        match id {
            "practice" => Ok(Self::Practice),
            "default" => Ok(Self::Default),
            _ => match id.strip_prefix(PROFILE_PREFIX) {
                Some(name) if !name.trim().is_empty() => Ok(Self::Profile(name.to_owned())),
                _ => Err(AppError::invalid_input(format!(
                    "`{id}` is not an account (expected `practice`, `profile:NAME` or `default`)"
                ))),
            },
        }
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Practice => f.write_str("practice"),
            Self::Default => f.write_str("default"),
            Self::Profile(name) => write!(f, "{PROFILE_PREFIX}{name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for id in [
            "practice",
            "default",
            "profile:ops",
            "profile:a:b",
            "profile:default",
        ] {
            assert_eq!(id.parse::<AccountId>().unwrap().to_string(), id);
        }
        assert_eq!(
            "profile:ops".parse::<AccountId>().unwrap().profile(),
            Some("ops")
        );
        // A profile that happens to be called `default` is still a profile.
        assert_eq!(
            "profile:default".parse::<AccountId>().unwrap(),
            AccountId::Profile("default".into())
        );
        assert_eq!(AccountId::Default.profile(), None);
    }

    #[test]
    fn anything_else_is_invalid_input() {
        for id in ["", "Practice", "ops", "profile:", "profile: ", "aws:ops"] {
            let err = id.parse::<AccountId>().unwrap_err();
            assert_eq!(err.code, crate::ErrorCode::InvalidInput, "{id}");
            assert!(err.message.contains("profile:NAME"), "{}", err.message);
        }
    }
}
