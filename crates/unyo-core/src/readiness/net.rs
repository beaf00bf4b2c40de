//! IPv4 CIDR arithmetic and the evaluation of security group and network ACL rules that the
//! network checks share. IPv6 is out of scope: the agent reaches Systems Manager over IPv4.

use std::net::Ipv4Addr;

use super::facts::{NetworkAclEntry, SecurityGroupRule};

pub const HTTPS: u16 = 443;

/// An IPv4 network such as `10.0.0.0/16`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    base: u32,
    len: u8,
}

impl Cidr {
    pub const ANY: Cidr = Cidr { base: 0, len: 0 };

    /// `a.b.c.d/n`, or a bare address as `/32`.
    pub fn parse(text: &str) -> Option<Cidr> {
        let (addr, len) = match text.trim().split_once('/') {
            Some((addr, len)) => (addr, len.parse::<u8>().ok()?),
            None => (text.trim(), 32),
        };
        if len > 32 {
            return None;
        }
        let addr: Ipv4Addr = addr.parse().ok()?;
        Some(Cidr {
            base: u32::from(addr) & Self::mask(len),
            len,
        })
    }

    fn mask(len: u8) -> u32 {
        u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0)
    }

    fn last(self) -> u32 {
        self.base | !Self::mask(self.len)
    }

    /// Whether every address of `other` is in `self`.
    pub fn contains(self, other: Cidr) -> bool {
        other.base & Self::mask(self.len) == self.base && other.len >= self.len
    }

    pub fn overlaps(self, other: Cidr) -> bool {
        self.base <= other.last() && other.base <= self.last()
    }
}

/// Whether `protocol` with ports `from..=to` covers every TCP port in `lo..=hi`.
fn covers_tcp(protocol: &str, from: Option<i32>, to: Option<i32>, lo: u16, hi: u16) -> bool {
    match protocol {
        "-1" | "all" => true,
        "tcp" | "6" => match (from, to) {
            (Some(from), Some(to)) => from <= i32::from(lo) && i32::from(hi) <= to,
            // EC2 leaves the ports out only when the rule covers them all.
            _ => true,
        },
        _ => false,
    }
}

fn touches_tcp(protocol: &str, from: Option<i32>, to: Option<i32>, lo: u16, hi: u16) -> bool {
    match protocol {
        "-1" | "all" => true,
        "tcp" | "6" => match (from, to) {
            (Some(from), Some(to)) => from <= i32::from(hi) && i32::from(lo) <= to,
            _ => true,
        },
        _ => false,
    }
}

/// Whether security group rules let TCP `port` reach `peer` (a CIDR inside one of the
/// rules' ranges) or a member of one of `peer_groups`.
pub fn sg_allows(
    rules: &[SecurityGroupRule],
    port: u16,
    peer: Option<Cidr>,
    peer_groups: &[String],
) -> bool {
    rules.iter().any(|rule| {
        covers_tcp(&rule.protocol, rule.from_port, rule.to_port, port, port)
            && (peer.is_some_and(|peer| {
                rule.ipv4_ranges
                    .iter()
                    .filter_map(|r| Cidr::parse(r))
                    .any(|range| range.contains(peer))
            }) || rule.security_groups.iter().any(|g| peer_groups.contains(g)))
    })
}

/// Whether a rule opens `port` to the whole IPv4 or IPv6 internet.
pub fn open_to_internet(rule: &SecurityGroupRule, port: u16) -> bool {
    covers_tcp(&rule.protocol, rule.from_port, rule.to_port, port, port)
        && (rule.ipv4_ranges.iter().any(|r| r.trim() == "0.0.0.0/0")
            || rule.ipv6_ranges.iter().any(|r| r.trim() == "::/0"))
}

/// How a network ACL treats a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AclDecision {
    pub allowed: bool,
    /// The rule that decided; `None` for the implicit final deny.
    pub rule: Option<i32>,
    /// A lower-numbered deny rule that blocks part of the flow (some addresses or ports).
    pub partly_denied_by: Option<i32>,
}

/// Evaluates entries in rule-number order, first match wins, as EC2 does, for TCP ports
/// `lo..=hi` to or from every address of `peer`.
pub fn acl_decision(
    entries: &[NetworkAclEntry],
    outbound: bool,
    lo: u16,
    hi: u16,
    peer: Cidr,
) -> AclDecision {
    let mut ordered: Vec<&NetworkAclEntry> =
        entries.iter().filter(|e| e.outbound == outbound).collect();
    ordered.sort_by_key(|e| e.rule_number);
    let mut partly_denied_by = None;
    for entry in ordered {
        let Some(range) = Cidr::parse(&entry.cidr) else {
            continue;
        };
        if !range.overlaps(peer)
            || !touches_tcp(&entry.protocol, entry.from_port, entry.to_port, lo, hi)
        {
            continue;
        }
        let whole = range.contains(peer)
            && covers_tcp(&entry.protocol, entry.from_port, entry.to_port, lo, hi);
        if whole {
            return AclDecision {
                allowed: entry.allow,
                rule: Some(entry.rule_number),
                partly_denied_by,
            };
        }
        if !entry.allow && partly_denied_by.is_none() {
            partly_denied_by = Some(entry.rule_number);
        }
    }
    AclDecision {
        allowed: false,
        rule: None,
        partly_denied_by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cidr(text: &str) -> Cidr {
        Cidr::parse(text).unwrap()
    }

    fn rule(protocol: &str, ports: Option<(i32, i32)>, ranges: &[&str]) -> SecurityGroupRule {
        SecurityGroupRule {
            protocol: protocol.into(),
            from_port: ports.map(|p| p.0),
            to_port: ports.map(|p| p.1),
            ipv4_ranges: ranges.iter().map(|r| (*r).to_owned()).collect(),
            ipv6_ranges: vec![],
            security_groups: vec![],
            prefix_lists: vec![],
        }
    }

    fn entry(
        n: i32,
        allow: bool,
        protocol: &str,
        ports: Option<(i32, i32)>,
        cidr: &str,
    ) -> NetworkAclEntry {
        NetworkAclEntry {
            rule_number: n,
            outbound: true,
            protocol: protocol.into(),
            from_port: ports.map(|p| p.0),
            to_port: ports.map(|p| p.1),
            cidr: cidr.into(),
            allow,
        }
    }

    #[test]
    fn cidrs_contain_and_overlap() {
        assert!(cidr("0.0.0.0/0").contains(cidr("10.0.1.5")));
        assert!(cidr("10.0.0.0/16").contains(cidr("10.0.1.0/24")));
        assert!(!cidr("10.0.1.0/24").contains(cidr("10.0.0.0/16")));
        assert!(cidr("10.0.1.0/24").overlaps(cidr("10.0.0.0/16")));
        assert!(!cidr("10.1.0.0/16").overlaps(cidr("10.0.0.0/16")));
        assert_eq!(cidr("10.0.1.7/24"), cidr("10.0.1.0/24"));
        for bad in ["", "10.0.0.0/33", "banana", "::/0"] {
            assert_eq!(Cidr::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn security_group_rules_match_protocol_port_and_peer() {
        let all = rule("-1", None, &["0.0.0.0/0"]);
        let https_vpc = rule("tcp", Some((443, 443)), &["10.0.0.0/16"]);
        let postgres = rule("tcp", Some((5432, 5432)), &["0.0.0.0/0"]);
        assert!(sg_allows(&[all], 443, Some(Cidr::ANY), &[]));
        assert!(sg_allows(
            std::slice::from_ref(&https_vpc),
            443,
            Some(cidr("10.0.5.9")),
            &[]
        ));
        assert!(!sg_allows(&[https_vpc], 443, Some(Cidr::ANY), &[]));
        assert!(!sg_allows(&[postgres], 443, Some(Cidr::ANY), &[]));
        let mut by_group = rule("tcp", Some((0, 65535)), &[]);
        by_group.security_groups = vec!["sg-1".into()];
        assert!(sg_allows(&[by_group.clone()], 443, None, &["sg-1".into()]));
        assert!(!sg_allows(&[by_group], 443, None, &["sg-2".into()]));
    }

    #[test]
    fn finds_ports_open_to_the_internet() {
        assert!(open_to_internet(
            &rule("tcp", Some((22, 22)), &["0.0.0.0/0"]),
            22
        ));
        assert!(open_to_internet(&rule("-1", None, &["0.0.0.0/0"]), 3389));
        assert!(!open_to_internet(
            &rule("tcp", Some((22, 22)), &["10.0.0.0/8"]),
            22
        ));
        let mut v6 = rule("tcp", Some((3389, 3389)), &[]);
        v6.ipv6_ranges = vec!["::/0".into()];
        assert!(open_to_internet(&v6, 3389));
    }

    #[test]
    fn acl_first_match_wins_and_partial_denies_are_noted() {
        let entries = vec![
            entry(100, true, "6", Some((443, 443)), "0.0.0.0/0"),
            entry(32767, false, "-1", None, "0.0.0.0/0"),
        ];
        let decision = acl_decision(&entries, true, 443, 443, Cidr::ANY);
        assert_eq!((decision.allowed, decision.rule), (true, Some(100)));
        assert!(!acl_decision(&entries, true, 80, 80, Cidr::ANY).allowed);

        let mut denied_first = entries.clone();
        denied_first.push(entry(50, false, "-1", None, "0.0.0.0/0"));
        let decision = acl_decision(&denied_first, true, 443, 443, Cidr::ANY);
        assert_eq!((decision.allowed, decision.rule), (false, Some(50)));

        let mut partial = entries;
        partial.push(entry(10, false, "6", Some((443, 443)), "52.0.0.0/8"));
        let decision = acl_decision(&partial, true, 443, 443, Cidr::ANY);
        assert!(decision.allowed);
        assert_eq!(decision.partly_denied_by, Some(10));
        assert!(!acl_decision(&[], true, 443, 443, Cidr::ANY).allowed);
    }
}
