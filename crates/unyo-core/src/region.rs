//! AWS regions Unyo knows by code. Display names are translated in the UI, keyed by code.

/// Commercial regions enabled by default in every account, plus the opt-in ones operators in
/// Japan use most. The list only seeds the region selector; any valid code is accepted.
pub const KNOWN_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-south-1",
    "sa-east-1",
];

/// Whether `code` has the shape of a region code (`xx-name-N`, including `us-gov-west-1`).
///
/// Used to reject typos in config files and CLI flags before any call is made.
pub fn is_region_code(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    if parts.len() < 3 {
        return false;
    }
    let (last, rest) = match parts.split_last() {
        Some(split) => split,
        None => return false,
    };
    !last.is_empty()
        && last.chars().all(|c| c.is_ascii_digit())
        && rest
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_region_codes() {
        for code in KNOWN_REGIONS.iter().chain(&["us-gov-west-1", "cn-north-1"]) {
            assert!(is_region_code(code), "{code}");
        }
    }

    #[test]
    fn rejects_typos() {
        for code in [
            "",
            "tokyo",
            "ap-northeast",
            "ap-northeast-1a",
            "AP-NORTHEAST-1",
            "ap--1",
        ] {
            assert!(!is_region_code(code), "{code}");
        }
    }
}
