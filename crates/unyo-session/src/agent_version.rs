//! The agent-version gates of port sessions (§8), compared the way the plugin compares them,
//! because the agent makes the matching decision on its side from our client version and the
//! two must agree: a client that speaks smux to an agent running basic forwarding (or the
//! reverse) sends garbage both ways.
//!
//! The plugin's rule: split both versions on `.`, require the same number of parts, compare
//! part by part as integers, and call the agent newer only when it is strictly greater. An
//! empty or unreadable version, or one with a different number of parts, is never newer.

use std::cmp::Ordering;

/// Agents after this version multiplex port forwarding with smux.
pub const TCP_MULTIPLEXING_AFTER: &str = "3.0.196.0";
/// Agents after this version turn their smux keep-alive off (for clients newer than
/// 1.2.331.0, which this client reports); older ones close a mux session that stays silent
/// for 30 to 60 s, so the client must send NOPs to them.
pub const SMUX_KEEPALIVE_DISABLED_AFTER: &str = "3.1.1511.0";
/// Agents after this version end a port session on the `TerminateSession` flag.
pub const TERMINATE_SESSION_FLAG_AFTER: &str = "2.3.722.0";

/// Whether `agent` is strictly newer than `threshold`, by the plugin's rule.
pub fn is_after(agent: &str, threshold: &str) -> bool {
    compare(agent, threshold) == Some(Ordering::Greater)
}

/// Part by part, left to right; a part is only read when the ones before it are equal, so
/// `3.1.x.0` is after `3.0.196.0`, as in the plugin.
fn compare(left: &str, right: &str) -> Option<Ordering> {
    if left.is_empty() || right.is_empty() {
        return None;
    }
    let left: Vec<&str> = left.split('.').collect();
    let right: Vec<&str> = right.split('.').collect();
    if left.len() != right.len() {
        return None;
    }
    for (l, r) in left.iter().zip(&right) {
        let l: i64 = l.parse().ok()?;
        let r: i64 = r.parse().ok()?;
        match l.cmp(&r) {
            Ordering::Equal => {}
            decided => return Some(decided),
        }
    }
    Some(Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiplexing_needs_an_agent_strictly_after_3_0_196_0() {
        // The plugin's own test cases.
        assert!(!is_after("3.0.196.0", TCP_MULTIPLEXING_AFTER));
        for old in ["1.2.3.4", "2.3.4.5", "3.0.195.100", "2.99.1000.0"] {
            assert!(!is_after(old, TCP_MULTIPLEXING_AFTER), "{old}");
        }
        for new in ["3.0.196.1", "3.0.197.0", "3.1.0.0", "4.0.0.0", "3.3.987.0"] {
            assert!(is_after(new, TCP_MULTIPLEXING_AFTER), "{new}");
        }
    }

    #[test]
    fn keepalive_and_terminate_gates() {
        assert!(!is_after("3.1.1511.0", SMUX_KEEPALIVE_DISABLED_AFTER));
        assert!(is_after("3.1.1512.0", SMUX_KEEPALIVE_DISABLED_AFTER));
        assert!(is_after("3.1.1511.1", SMUX_KEEPALIVE_DISABLED_AFTER));
        assert!(!is_after("2.3.722.0", TERMINATE_SESSION_FLAG_AFTER));
        assert!(is_after("2.3.750.0", TERMINATE_SESSION_FLAG_AFTER));
    }

    #[test]
    fn unreadable_or_differently_shaped_versions_are_never_after() {
        for odd in [
            "",
            "3.3",
            "3.3.987",
            "3.3.987.0.1",
            "three.0.0.0",
            "3.0.196.x",
        ] {
            assert!(!is_after(odd, TCP_MULTIPLEXING_AFTER), "{odd:?}");
        }
        assert!(
            is_after("3.1.x.0", TCP_MULTIPLEXING_AFTER),
            "decided before x"
        );
        assert!(
            !is_after("3.0.196.0", ""),
            "an empty threshold decides nothing"
        );
    }
}
