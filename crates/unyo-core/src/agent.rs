//! SSM Agent versions and the minimum version each Session Manager feature needs.
//!
//! Thresholds come from the Systems Manager user guide (see `shared/reference/aws-facts.md`,
//! section E); the fleet flags an agent as old when it is below the newest of them.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A dotted SSM Agent version such as `3.3.1142.0`, compared numerically part by part.
#[derive(Debug, Clone)]
pub struct AgentVersion(Vec<u32>);

impl FromStr for AgentVersion {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts = text
            .trim()
            .split('.')
            .map(|p| p.parse::<u32>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| {
                format!("`{text}` is not an SSM Agent version (expected e.g. 3.3.1142.0)")
            })?;
        if parts.len() < 2 {
            return Err(format!(
                "`{text}` is not an SSM Agent version (expected e.g. 3.3.1142.0)"
            ));
        }
        Ok(Self(parts))
    }
}

impl Ord for AgentVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.0.len().max(other.0.len());
        (0..len)
            .map(|i| {
                let a = self.0.get(i).copied().unwrap_or(0);
                let b = other.0.get(i).copied().unwrap_or(0);
                a.cmp(&b)
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

// Equality follows the ordering, so `3.2` equals `3.2.0.0`.
impl PartialEq for AgentVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for AgentVersion {}

impl PartialOrd for AgentVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for AgentVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: Vec<String> = self.0.iter().map(u32::to_string).collect();
        f.write_str(&text.join("."))
    }
}

/// A feature of Session Manager that depends on the agent's version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentFeature {
    SessionManager,
    PortForwardingAndSsh,
    DefaultHostManagement,
}

impl AgentFeature {
    pub const ALL: [AgentFeature; 3] = [
        AgentFeature::SessionManager,
        AgentFeature::PortForwardingAndSsh,
        AgentFeature::DefaultHostManagement,
    ];

    /// The first agent version that supports the feature.
    pub fn minimum(self) -> AgentVersion {
        let parts = match self {
            AgentFeature::SessionManager => vec![2, 3, 68, 0],
            AgentFeature::PortForwardingAndSsh => vec![3, 0, 222, 0],
            AgentFeature::DefaultHostManagement => vec![3, 2, 582, 0],
        };
        AgentVersion(parts)
    }
}

/// Whether an agent misses any feature Unyo offers, so the fleet can suggest an update.
pub fn is_outdated(version: &AgentVersion) -> bool {
    AgentFeature::ALL.iter().any(|f| version < &f.minimum())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> AgentVersion {
        text.parse().unwrap()
    }

    #[test]
    fn compares_numerically_not_as_text() {
        assert!(v("3.2.1000.0") > v("3.2.582.0"));
        assert!(v("3.10.0.0") > v("3.9.9.9"));
        assert_eq!(v("3.2"), v("3.2.0.0"));
    }

    #[test]
    fn rejects_non_versions() {
        for text in ["", "3", "latest", "3.x.1.0", "3..1"] {
            assert!(text.parse::<AgentVersion>().is_err(), "{text}");
        }
    }

    #[test]
    fn flags_agents_below_the_newest_feature_threshold() {
        assert!(is_outdated(&v("2.3.1319.0")));
        assert!(is_outdated(&v("3.2.500.0")));
        assert!(!is_outdated(&v("3.2.582.0")));
        assert!(!is_outdated(&v("3.3.1142.0")));
    }

    #[test]
    fn displays_as_dotted_text() {
        assert_eq!(v("3.3.1142.0").to_string(), "3.3.1142.0");
    }
}
