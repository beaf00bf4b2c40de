//! Reading a verification script's output back: each probe's section judged on its own
//! output and exit status. A section that is missing, not closed (output cut off), or whose
//! command was not found is unknown.

use super::script::{begin_marker, end_prefix};
use super::{CheckResult, Probe, Verdict};
use crate::localized::Localized;

/// Evidence longer than this is cut; Run Command keeps 2,500 characters of output anyway.
const EVIDENCE_LIMIT: usize = 800;

/// The verdict of every probe, in order, from the script's standard output.
pub fn parse(probes: &[Probe], stdout: &str) -> Vec<CheckResult> {
    let lines: Vec<&str> = stdout.lines().collect();
    probes
        .iter()
        .enumerate()
        .map(|(index, probe)| judge_section(probe, section(&lines, index)))
        .collect()
}

/// What one section holds.
enum Section {
    Missing,
    CutOff(String),
    /// The section closed, but its exit status could not be read (the shell did not
    /// expand `$?`): nothing can be judged on it.
    NoStatus(String),
    Done {
        output: String,
        status: i32,
    },
}

fn section(lines: &[&str], index: usize) -> Section {
    let begin = begin_marker(index);
    let end = end_prefix(index);
    let Some(start) = lines.iter().position(|l| l.trim() == begin) else {
        return Section::Missing;
    };
    let mut output = Vec::new();
    for line in &lines[start + 1..] {
        if let Some(rest) = line.trim().strip_prefix(&end) {
            let output = output.join("\n");
            return match rest.trim_end_matches("::").trim().parse::<i32>() {
                Ok(status) => Section::Done { output, status },
                Err(_) => Section::NoStatus(output),
            };
        }
        output.push(*line);
    }
    Section::CutOff(output.join("\n"))
}

/// Linux keeps a process's name (`comm`) to 15 bytes: `amazon-ssm-agent` lists as
/// `amazon-ssm-agen`.
const COMM_LEN: usize = 15;

/// Whether `listed`, a name as `ps -eo comm` prints it, is `process`.
fn is_process(listed: &str, process: &str) -> bool {
    if listed == process {
        return true;
    }
    let mut end = COMM_LEN.min(process.len());
    while !process.is_char_boundary(end) {
        end -= 1;
    }
    process.len() > COMM_LEN && listed == &process[..end]
}

fn cap(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(EVIDENCE_LIMIT) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

fn result(probe: &Probe, verdict: Verdict, summary: Localized, evidence: &str) -> CheckResult {
    CheckResult {
        probe: probe.clone(),
        verdict,
        summary,
        evidence: cap(evidence),
    }
}

fn judge_section(probe: &Probe, section: Section) -> CheckResult {
    let what = probe.describe();
    match section {
        Section::Missing => result(
            probe,
            Verdict::Unknown,
            Localized::new(
                format!("{}: the check did not run", what.en),
                format!("{}: チェックが実行されませんでした", what.ja),
            ),
            "",
        ),
        Section::CutOff(output) => result(
            probe,
            Verdict::Unknown,
            Localized::new(
                format!("{}: the output was cut off", what.en),
                format!("{}: 出力が途中で切れています", what.ja),
            ),
            &output,
        ),
        Section::NoStatus(output) => result(
            probe,
            Verdict::Unknown,
            Localized::new(
                format!("{}: the check's exit status could not be read", what.en),
                format!("{}: チェックの終了ステータスを読めませんでした", what.ja),
            ),
            &output,
        ),
        Section::Done { output, status } if status == 126 || status == 127 => result(
            probe,
            Verdict::Unknown,
            Localized::new(
                format!("{}: the command is missing on the host", what.en),
                format!("{}: ホストにコマンドがありません", what.ja),
            ),
            &output,
        ),
        Section::Done { output, status } => judge(probe, &output, status),
    }
}

/// The verdict of a section that ran to its end.
fn judge(probe: &Probe, output: &str, status: i32) -> CheckResult {
    let first = output.lines().next().unwrap_or_default().trim();
    let fail =
        |en: String, ja: String| result(probe, Verdict::Failed, Localized::new(en, ja), output);
    let pass = || result(probe, Verdict::Passed, probe.describe(), output);
    let unknown =
        |en: String, ja: String| result(probe, Verdict::Unknown, Localized::new(en, ja), output);
    match probe {
        Probe::ServiceActive { service } => match first {
            "active" if status == 0 => pass(),
            "" => unknown(
                format!("{service}: systemctl said nothing"),
                format!("{service}: systemctl の応答がありません"),
            ),
            state => fail(
                format!("{service} is {state}"),
                format!("{service} は {state} です"),
            ),
        },
        Probe::ServiceEnabled { service } => match first {
            "enabled" | "enabled-runtime" | "alias" => pass(),
            "disabled" | "masked" | "static" | "indirect" | "generated" | "transient" => fail(
                format!("{service} does not start at boot ({first})"),
                format!("{service} は起動時に開始しません（{first}）"),
            ),
            _ => unknown(
                format!("{service}: systemctl could not say whether it starts at boot"),
                format!("{service}: 起動時の有効・無効を確認できませんでした"),
            ),
        },
        Probe::ConfigTest { command } => {
            if status == 0 {
                pass()
            } else {
                fail(
                    format!("`{command}` failed: {first}"),
                    format!("`{command}` が失敗: {first}"),
                )
            }
        }
        Probe::FileMode {
            path,
            owner,
            max_mode,
        } => judge_file(probe, output, status, path, owner.as_deref(), max_mode),
        Probe::PortListening { port } => {
            if status != 0 {
                return unknown(
                    format!("port {port}: ss could not list listening sockets"),
                    format!("ポート {port}: ss で待ち受けを確認できませんでした"),
                );
            }
            let suffix = format!(":{port}");
            let listening = output.lines().skip(1).any(|line| {
                line.split_whitespace()
                    .nth(3)
                    .is_some_and(|local| local.ends_with(&suffix))
            });
            if listening {
                pass()
            } else {
                fail(
                    format!("nothing listens on port {port}"),
                    format!("ポート {port} で待ち受けているものがありません"),
                )
            }
        }
        Probe::ProcessRunning { process } => {
            if status != 0 {
                return unknown(
                    format!("{process}: ps could not list processes"),
                    format!("{process}: ps でプロセスを確認できませんでした"),
                );
            }
            if output.lines().any(|l| is_process(l.trim(), process)) {
                pass()
            } else {
                fail(
                    format!("no {process} process runs"),
                    format!("{process} のプロセスがありません"),
                )
            }
        }
        Probe::DiskUsage { path, max_percent } => {
            let used = output.lines().nth(1).and_then(|line| {
                line.split_whitespace()
                    .nth(4)
                    .and_then(|p| p.trim_end_matches('%').parse::<u8>().ok())
            });
            match used {
                Some(used) if used <= *max_percent => pass(),
                Some(used) => fail(
                    format!("{path} is {used}% full, over {max_percent}%"),
                    format!("{path} の使用率は {used}% で、{max_percent}% を超えています"),
                ),
                None => unknown(
                    format!("{path}: df could not say how full it is"),
                    format!("{path}: df で使用率を確認できませんでした"),
                ),
            }
        }
        Probe::HttpAnswers { url } => match first.parse::<u16>() {
            Ok(code) if (200..400).contains(&code) => pass(),
            Ok(0) | Err(_) => fail(
                format!("{url} did not answer"),
                format!("{url} が応答しません"),
            ),
            Ok(code) => fail(
                format!("{url} answered {code}"),
                format!("{url} の応答は {code} です"),
            ),
        },
        Probe::WindowsServiceRunning { service } => match (status, first) {
            (0, "Running") => pass(),
            (0, state) => fail(
                format!("Windows service {service} is {state}"),
                format!("Windows サービス {service} は {state} です"),
            ),
            (_, message) if message.contains("Cannot find any service") => fail(
                format!("there is no Windows service {service}"),
                format!("Windows サービス {service} がありません"),
            ),
            _ => unknown(
                format!("Windows service {service}: Get-Service failed"),
                format!("Windows サービス {service}: Get-Service が失敗しました"),
            ),
        },
    }
}

fn judge_file(
    probe: &Probe,
    output: &str,
    status: i32,
    path: &str,
    owner: Option<&str>,
    max_mode: &str,
) -> CheckResult {
    let say =
        |verdict, en: String, ja: String| result(probe, verdict, Localized::new(en, ja), output);
    if status != 0 {
        // Only stat's complaint about this very path means the file is missing; a stat that
        // misread its options can name something else.
        if output.contains("No such file") && output.contains(path) {
            return say(
                Verdict::Failed,
                format!("{path} does not exist"),
                format!("{path} が存在しません"),
            );
        }
        return say(
            Verdict::Unknown,
            format!("{path}: stat failed"),
            format!("{path}: stat が失敗しました"),
        );
    }
    let mut fields = output.split_whitespace();
    let (Some(found_owner), Some(mode)) = (fields.next(), fields.next()) else {
        return say(
            Verdict::Unknown,
            format!("{path}: stat printed no owner and mode"),
            format!("{path}: stat の出力に所有者とモードがありません"),
        );
    };
    let (Ok(mode_bits), Ok(max_bits)) = (
        u32::from_str_radix(mode, 8),
        u32::from_str_radix(max_mode, 8),
    ) else {
        return say(
            Verdict::Unknown,
            format!("{path}: the mode {mode} is not octal"),
            format!("{path}: モード {mode} を読めません"),
        );
    };
    if let Some(owner) = owner
        && owner != found_owner
    {
        return say(
            Verdict::Failed,
            format!("{path} is owned by {found_owner}, not {owner}"),
            format!("{path} の所有者は {found_owner} で、{owner} ではありません"),
        );
    }
    if mode_bits & !max_bits != 0 {
        return say(
            Verdict::Failed,
            format!(
                "{} mode {mode_bits:04o} is wider than {max_bits:04o}",
                file_name(path)
            ),
            format!(
                "{} のモード {mode_bits:04o} は {max_bits:04o} より広い権限です",
                file_name(path)
            ),
        );
    }
    result(probe, Verdict::Passed, probe.describe(), output)
}

/// `sshd_config` for `/etc/ssh/sshd_config`: the short name reads better in a summary.
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
