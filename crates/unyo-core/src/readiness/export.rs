//! A region's readiness reports as Markdown (to paste into a ticket or a post-incident
//! report) and as CSV (one row per check, for a spreadsheet).

use super::report::{Check, CheckStatus, Outcome, ReadinessReport, RegionReadiness};

fn outcome_words(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Ready => "ready",
        Outcome::ReadyWithWarnings => "ready with warnings",
        Outcome::NotReady => "not ready",
        Outcome::Unknown => "unknown",
    }
}

/// A table cell: no line breaks, and `|` escaped so it cannot end the cell.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

fn status_mark(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Pass => "✅ pass",
        CheckStatus::Warn => "⚠️ warn",
        CheckStatus::Fail => "❌ fail",
        CheckStatus::Unknown => "❔ unknown",
    }
}

fn fix_cell(check: &Check) -> String {
    let Some(fix) = &check.fix else {
        return String::new();
    };
    let mut parts = vec![cell(&fix.summary)];
    parts.extend(
        fix.commands
            .iter()
            .map(|c| format!("`{}`", cell(&c.replace('`', "'")))),
    );
    parts.join("<br>")
}

pub fn markdown(readiness: &RegionReadiness) -> String {
    let summary = &readiness.summary;
    let mut out = format!(
        "# Session Manager readiness: {}\n\n{} instances: {} ready, {} ready with warnings, {} not ready, {} unknown.\n",
        summary.region,
        summary.instances,
        summary.ready,
        summary.ready_with_warnings,
        summary.not_ready,
        summary.unknown
    );
    if !summary.failing_checks.is_empty() {
        let counts: Vec<String> = summary
            .failing_checks
            .iter()
            .map(|c| format!("{} ({})", c.id.as_str(), c.instances))
            .collect();
        out.push_str(&format!("\nFailing checks: {}.\n", counts.join(", ")));
    }
    out.push_str("\n| Instance | Name | Verdict |\n|---|---|---|\n");
    for report in &readiness.reports {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            cell(&report.instance_id),
            cell(&report.name),
            cell(&report.verdict.summary)
        ));
    }
    for report in &readiness.reports {
        out.push_str(&instance_section(report));
    }
    out
}

fn instance_section(report: &ReadinessReport) -> String {
    let title = if report.name.is_empty() {
        report.instance_id.clone()
    } else {
        format!("{} ({})", report.instance_id, report.name)
    };
    let mut out = format!(
        "\n## {}\n\n**{}**: {}\n\n| Status | Check | Evidence | Fix |\n|---|---|---|---|\n",
        cell(&title),
        outcome_words(report.verdict.outcome),
        cell(&report.verdict.summary)
    );
    for check in &report.checks {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            status_mark(check.status),
            cell(&check.title),
            cell(&check.evidence),
            fix_cell(check)
        ));
    }
    out
}

/// RFC 4180: quoted when it holds a comma, quote or line break, quotes doubled. A leading
/// `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet does not run it as a formula.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

pub const CSV_HEADER: &str =
    "region,instance_id,name,verdict,check,status,title,evidence,fix,commands,runbook";

pub fn csv(readiness: &RegionReadiness) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for report in &readiness.reports {
        for check in &report.checks {
            let (summary, commands, runbook) = match &check.fix {
                Some(fix) => (
                    fix.summary.clone(),
                    fix.commands.join("\n"),
                    fix.runbook.clone().unwrap_or_default(),
                ),
                None => Default::default(),
            };
            let row = [
                report.region.as_str(),
                &report.instance_id,
                &report.name,
                outcome_words(report.verdict.outcome),
                check.id.as_str(),
                check.status.as_str(),
                &check.title,
                &check.evidence,
                &summary,
                &commands,
                &runbook,
            ];
            let fields: Vec<String> = row.iter().map(|f| field(f)).collect();
            out.push_str(&fields.join(","));
            out.push_str("\r\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readiness::report::{CheckId, Fix, Verdict};

    fn region() -> RegionReadiness {
        let check = |id, status, evidence: &str, fix: Option<Fix>| Check {
            id,
            title: format!("title of {}", CheckId::as_str(id)),
            status,
            evidence: evidence.into(),
            fix,
        };
        let ready = ReadinessReport {
            instance_id: "i-1".into(),
            name: "web|1".into(),
            region: "ap-northeast-1".into(),
            verdict: Verdict {
                outcome: Outcome::Ready,
                summary: "Session Manager will work".into(),
            },
            checks: vec![check(
                CheckId::InstanceRunning,
                CheckStatus::Pass,
                "The instance is running.",
                None,
            )],
        };
        let broken = ReadinessReport {
            instance_id: "i-2".into(),
            name: String::new(),
            region: "ap-northeast-1".into(),
            verdict: Verdict {
                outcome: Outcome::NotReady,
                summary: "Session Manager won't work, because no rule allows \"443\", sadly".into(),
            },
            checks: vec![check(
                CheckId::SecurityGroupEgress,
                CheckStatus::Fail,
                "No rule allows \"443\", sadly.\nSecond line.",
                Some(Fix {
                    summary: "Allow 443.".into(),
                    commands: vec!["aws ec2 a".into(), "aws ec2 b".into()],
                    runbook: Some("AWS-Runbook".into()),
                    action: None,
                }),
            )],
        };
        RegionReadiness::new("ap-northeast-1", vec![ready, broken])
    }

    #[test]
    fn markdown_has_the_summary_a_row_per_instance_and_each_check() {
        let text = markdown(&region());
        assert!(text.starts_with("# Session Manager readiness: ap-northeast-1\n\n2 instances: 1 ready, 0 ready with warnings, 1 not ready, 0 unknown.\n"), "{text}");
        assert!(text.contains("Failing checks: security-group-egress (1)."));
        assert!(
            text.contains("| i-1 | web\\|1 | Session Manager will work |"),
            "{text}"
        );
        assert!(text.contains("## i-2\n\n**not ready**"));
        assert!(text.contains(
            "| ❌ fail | title of security-group-egress | No rule allows \"443\", sadly. Second line. | Allow 443.<br>`aws ec2 a`<br>`aws ec2 b` |"
        ), "{text}");
    }

    #[test]
    fn csv_quotes_what_needs_it_one_row_per_check() {
        let text = csv(&region());
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], CSV_HEADER);
        assert_eq!(
            lines[1],
            "ap-northeast-1,i-1,web|1,ready,instance-running,pass,title of instance-running,The instance is running.,,,"
        );
        assert_eq!(
            lines[2],
            "ap-northeast-1,i-2,,not ready,security-group-egress,fail,title of security-group-egress,\"No rule allows \"\"443\"\", sadly.\nSecond line.\",Allow 443.,\"aws ec2 a\naws ec2 b\",AWS-Runbook"
        );
        assert_eq!(lines.len(), 4, "a CRLF ends the last row too");
        assert_eq!(field("=cmd()"), "'=cmd()");
    }
}
