use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;

use super::*;
use crate::AppError;
use crate::cloud::RunCommand;
use crate::run_command::{CommandExecution, CommandInvocation, CommandStatus, SendCommandRequest};

/// The script's output as a host would print it: each probe's lines and exit status.
fn output(sections: &[(&str, i32)]) -> String {
    let mut out = String::new();
    for (i, (text, status)) in sections.iter().enumerate() {
        out.push_str(&format!("::unyo-probe:{i}:begin::\n"));
        if !text.is_empty() {
            out.push_str(text);
            out.push('\n');
        }
        out.push_str(&format!("::unyo-probe:{i}:end:{status}::\n"));
    }
    out
}

fn verdicts(results: &[CheckResult]) -> Vec<Verdict> {
    results.iter().map(|r| r.verdict).collect()
}

/// The seed incident: the runbook said Success, sshd stayed stopped and FixAll left 0655.
#[test]
fn the_seed_incident_fails_with_its_two_reasons() {
    let probes = catalog::ssh();
    let out = output(&[
        ("inactive", 3),
        ("enabled", 0),
        ("", 0),
        ("root 655", 0),
        (
            "State  Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0 128 127.0.0.1:25 0.0.0.0:*",
            0,
        ),
    ]);
    let results = parse(&probes, &out);
    use Verdict::*;
    assert_eq!(verdicts(&results), [Failed, Passed, Passed, Failed, Failed]);
    assert_eq!(results[0].summary.en, "sshd is inactive");
    assert_eq!(
        results[3].summary.en,
        "sshd_config mode 0655 is wider than 0644"
    );
    assert_eq!(results[4].summary.en, "nothing listens on port 22");
    assert_eq!(overall(&results), Failed);
    assert_eq!(
        summarize(&results).en,
        "3 of 5 checks failed: sshd is inactive; sshd_config mode 0655 is wider than 0644; nothing listens on port 22"
    );
}

#[test]
fn a_healthy_host_passes_every_check() {
    let out = output(&[
        ("active", 0),
        ("enabled", 0),
        ("", 0),
        ("root 600", 0),
        (
            "State Recv-Q Send-Q Local Address:Port Peer Address:Port\nLISTEN 0 128 0.0.0.0:22 0.0.0.0:*\nLISTEN 0 128 [::]:22 [::]:*",
            0,
        ),
    ]);
    let results = parse(&catalog::ssh(), &out);
    assert_eq!(overall(&results), Verdict::Passed, "{results:#?}");
    assert_eq!(summarize(&results).en, "all 5 checks passed");
}

/// The old check was one script whose verdict was its last line's exit status: `sshd -t`
/// passing hid sshd being inactive. Each probe now stands on its own.
#[test]
fn a_later_probe_that_succeeds_cannot_turn_a_failed_one_into_a_pass() {
    let probes = vec![
        Probe::ServiceActive {
            service: "sshd".into(),
        },
        Probe::ConfigTest {
            command: "sshd -t".into(),
        },
    ];
    let mut out = output(&[("inactive", 3), ("", 0)]);
    out.push_str("sshd_config OK\n");
    let results = parse(&probes, &out);
    assert_eq!(verdicts(&results), [Verdict::Failed, Verdict::Passed]);
    assert_eq!(overall(&results), Verdict::Failed);
}

#[test]
fn a_missing_command_or_a_cut_off_output_is_unknown_never_passed() {
    let probes = catalog::ssh();
    let mut out = output(&[
        ("active", 0),
        ("sh: systemctl: command not found", 127),
        ("sh: sshd: not found", 127),
    ]);
    // Run Command kept only the start of the output: the fourth section never closes.
    out.push_str("::unyo-probe:3:begin::\nroot 6");
    let results = parse(&probes, &out);
    use Verdict::*;
    assert_eq!(
        verdicts(&results),
        [Passed, Unknown, Unknown, Unknown, Unknown]
    );
    assert!(results[1].summary.en.contains("command is missing"));
    assert!(results[3].summary.en.contains("cut off"));
    assert!(results[4].summary.en.contains("did not run"));
    assert_eq!(overall(&results), Unknown);
}

#[test]
fn an_unreadable_status_or_a_stat_that_names_another_file_is_unknown() {
    let probes = vec![
        Probe::ServiceActive {
            service: "sshd".into(),
        },
        Probe::FileMode {
            path: "/etc/ssh/sshd_config".into(),
            owner: None,
            max_mode: "644".into(),
        },
    ];
    let out = "::unyo-probe:0:begin::\nactive\n::unyo-probe:0:end:$?::\n\
               ::unyo-probe:1:begin::\nstat: cannot statx '-c': No such file or directory\n::unyo-probe:1:end:1::\n";
    let results = parse(&probes, out);
    assert_eq!(verdicts(&results), [Verdict::Unknown, Verdict::Unknown]);
    assert!(
        results[0]
            .summary
            .en
            .contains("exit status could not be read")
    );
}

#[test]
fn file_owner_and_existence_are_judged() {
    let probe = vec![Probe::FileMode {
        path: "/etc/ssh/sshd_config".into(),
        owner: Some("root".into()),
        max_mode: "644".into(),
    }];
    let judged = |text: &str, status: i32| parse(&probe, &output(&[(text, status)])).remove(0);
    let other = judged("ec2-user 600", 0);
    assert_eq!(other.verdict, Verdict::Failed);
    assert_eq!(
        other.summary.en,
        "/etc/ssh/sshd_config is owned by ec2-user, not root"
    );
    let gone = judged(
        "stat: cannot statx '/etc/ssh/sshd_config': No such file or directory",
        1,
    );
    assert_eq!(gone.verdict, Verdict::Failed);
    assert_eq!(gone.summary.en, "/etc/ssh/sshd_config does not exist");
    assert_eq!(judged("root 644", 0).verdict, Verdict::Passed);
    assert_eq!(judged("root", 0).verdict, Verdict::Unknown);
}

#[test]
fn disk_process_http_and_windows_probes_read_their_tools() {
    let probes = vec![
        Probe::DiskUsage {
            path: "/".into(),
            max_percent: 90,
        },
        Probe::ProcessRunning {
            process: "nginx".into(),
        },
        Probe::HttpAnswers {
            url: "http://localhost/health".into(),
        },
        Probe::ServiceEnabled {
            service: "sshd".into(),
        },
    ];
    let out = output(&[
        (
            "Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/nvme0n1p1 8376300 8040000 336300 97% /",
            0,
        ),
        ("COMMAND\nsystemd\nsshd\nnginx", 0),
        ("503", 0),
        ("disabled", 1),
    ]);
    let results = parse(&probes, &out);
    use Verdict::*;
    assert_eq!(verdicts(&results), [Failed, Passed, Failed, Failed]);
    assert_eq!(results[0].summary.en, "/ is 97% full, over 90%");
    assert_eq!(
        results[2].summary.en,
        "http://localhost/health answered 503"
    );

    let windows = vec![Probe::WindowsServiceRunning {
        service: "TermService".into(),
    }];
    let judged = |text: &str, status| parse(&windows, &output(&[(text, status)])).remove(0);
    assert_eq!(judged("Running", 0).verdict, Passed);
    assert_eq!(judged("Stopped", 0).verdict, Failed);
    assert_eq!(
        judged(
            "Cannot find any service with service name 'TermService'.",
            1
        )
        .verdict,
        Failed
    );
    assert_eq!(judged("Access is denied", 1).verdict, Unknown);
}

#[test]
fn scripts_mark_each_section_and_quote_what_probes_name() {
    let lines = script::lines(&[
        Probe::ServiceActive {
            service: "my service".into(),
        },
        Probe::ConfigTest {
            command: "sshd -t".into(),
        },
    ]);
    assert_eq!(
        lines,
        [
            "echo '::unyo-probe:0:begin::'",
            "systemctl is-active 'my service' 2>&1",
            "echo \"::unyo-probe:0:end:$?::\"",
            "echo '::unyo-probe:1:begin::'",
            "sshd -t 2>&1",
            "echo \"::unyo-probe:1:end:$?::\"",
        ]
    );
    let windows = script::lines(&catalog::rdp());
    assert!(
        windows[1].contains("Get-Service -Name 'TermService'"),
        "{windows:?}"
    );
}

#[test]
fn a_request_runs_in_the_shell_of_its_probes_and_never_mixes_them() {
    let linux = VerifyRequest {
        region: "ap-northeast-1".into(),
        instance_id: "i-1".into(),
        probes: catalog::ssh(),
    };
    assert_eq!(linux.command().unwrap().document_name, "AWS-RunShellScript");
    let windows = VerifyRequest {
        probes: catalog::rdp(),
        ..linux.clone()
    };
    assert_eq!(
        windows.command().unwrap().document_name,
        "AWS-RunPowerShellScript"
    );
    let mixed = VerifyRequest {
        probes: [catalog::ssh(), catalog::rdp()].concat(),
        ..linux
    };
    assert_eq!(
        mixed.command().unwrap_err().code,
        crate::ErrorCode::InvalidInput
    );
}

/// A Run Command that answers with `stdout` after `pending` reads still in progress.
struct Host {
    stdout: String,
    status: CommandStatus,
    pending: Mutex<u32>,
    sent: Mutex<Vec<SendCommandRequest>>,
}

#[async_trait]
impl RunCommand for Host {
    async fn send_command(&self, request: &SendCommandRequest) -> Result<String, AppError> {
        self.sent.lock().unwrap().push(request.clone());
        Ok("cmd-1".into())
    }

    async fn get_command(&self, region: &str, id: &str) -> Result<CommandExecution, AppError> {
        let mut pending = self.pending.lock().unwrap();
        let status = if *pending > 0 {
            *pending -= 1;
            CommandStatus::InProgress
        } else {
            self.status
        };
        Ok(CommandExecution {
            command_id: id.into(),
            region: region.into(),
            document_name: "AWS-RunShellScript".into(),
            commands: Vec::new(),
            comment: None,
            requested_at: String::new(),
            status,
            invocations: vec![CommandInvocation {
                instance_id: "i-1".into(),
                status,
                response_code: None,
                stdout: if status == CommandStatus::InProgress {
                    String::new()
                } else {
                    self.stdout.clone()
                },
                stderr: String::new(),
                started_at: None,
                ended_at: None,
            }],
        })
    }

    async fn list_commands(&self, _: &str) -> Result<Vec<CommandExecution>, AppError> {
        Ok(Vec::new())
    }
}

#[tokio::test]
async fn the_use_case_follows_the_command_and_judges_each_probe() {
    let host = Host {
        stdout: output(&[
            ("inactive", 3),
            ("enabled", 0),
            ("", 0),
            ("root 600", 0),
            ("", 0),
        ]),
        // The last line of the script succeeded, so Run Command says Success.
        status: CommandStatus::Success,
        pending: Mutex::new(2),
        sent: Mutex::default(),
    };
    let request = VerifyRequest {
        region: "ap-northeast-1".into(),
        instance_id: "i-1".into(),
        probes: catalog::ssh(),
    };
    let results = run_checks(&host, &request, Duration::ZERO, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(results[0].verdict, Verdict::Failed);
    assert_eq!(overall(&results), Verdict::Failed);
    assert_eq!(host.sent.lock().unwrap()[0].instance_ids, ["i-1"]);
}

#[tokio::test]
async fn a_host_that_never_answers_leaves_every_probe_unknown() {
    let host = Host {
        stdout: String::new(),
        status: CommandStatus::Success,
        pending: Mutex::new(u32::MAX),
        sent: Mutex::default(),
    };
    let request = VerifyRequest {
        region: "ap-northeast-1".into(),
        instance_id: "i-1".into(),
        probes: catalog::ssh(),
    };
    let results = run_checks(&host, &request, Duration::ZERO, Duration::ZERO)
        .await
        .unwrap();
    assert!(results.iter().all(|r| r.verdict == Verdict::Unknown));
    assert!(results[0].summary.en.contains("did not answer"));
}

#[tokio::test]
async fn a_command_that_failed_before_any_probe_says_so_in_each() {
    let host = Host {
        stdout: String::new(),
        status: CommandStatus::Failed,
        pending: Mutex::new(0),
        sent: Mutex::default(),
    };
    let request = VerifyRequest {
        region: "ap-northeast-1".into(),
        instance_id: "i-1".into(),
        probes: catalog::ssh(),
    };
    let results = run_checks(&host, &request, Duration::ZERO, Duration::from_secs(1))
        .await
        .unwrap();
    assert!(results.iter().all(|r| r.verdict == Verdict::Unknown));
    assert!(
        results[0].summary.en.contains("ended Failed"),
        "{}",
        results[0].summary.en
    );
}

#[test]
fn a_probe_that_could_never_be_judged_is_refused_with_why() {
    let refused = [
        Probe::ServiceActive {
            service: " ".into(),
        },
        Probe::ConfigTest {
            command: "nginx -t\nrm -rf /".into(),
        },
        Probe::FileMode {
            path: "/etc/ssh/sshd_config".into(),
            owner: None,
            max_mode: "0o644".into(),
        },
        Probe::FileMode {
            path: "/etc/ssh/sshd_config".into(),
            owner: None,
            max_mode: "648".into(),
        },
        Probe::PortListening { port: 0 },
        Probe::DiskUsage {
            path: "/".into(),
            max_percent: 101,
        },
        Probe::HttpAnswers {
            url: "localhost:8080".into(),
        },
    ];
    for probe in refused {
        let err = probe.validate().unwrap_err();
        assert_eq!(err.code, crate::ErrorCode::InvalidInput, "{probe:?}");
    }
    let mode = Probe::FileMode {
        path: "/etc/ssh/sshd_config".into(),
        owner: None,
        max_mode: "0o644".into(),
    };
    assert!(mode.validate().unwrap_err().message.contains("octal"));
    for probe in catalog::ssh().into_iter().chain(catalog::rdp()).chain([
        Probe::HttpAnswers {
            url: "http://127.0.0.1:8080/health".into(),
        },
        Probe::FileMode {
            path: "/etc/shadow".into(),
            owner: Some("root".into()),
            max_mode: "0640".into(),
        },
    ]) {
        probe.validate().unwrap();
    }
}

#[test]
fn a_runbooks_guide_says_what_it_changes_and_adds_the_users_checks_once() {
    let nginx = Probe::ServiceActive {
        service: "nginx".into(),
    };
    let guide = catalog::guide(
        "AWSSupport-TroubleshootSSH",
        vec![catalog::ssh()[0].clone(), nginx.clone()],
    );
    assert!(!guide.read_only);
    assert!(guide.changes.as_ref().unwrap().en.contains("FixAll"));
    assert!(guide.changes.as_ref().unwrap().ja.contains("FixAll"));
    // sshd active is the catalog's already: it runs once.
    let all = guide.all_checks();
    assert_eq!(all.len(), catalog::ssh().len() + 1);
    assert_eq!(all.last(), Some(&nginx));

    let read_only = catalog::guide("AWSSupport-TroubleshootManagedInstance", Vec::new());
    assert!(read_only.read_only);
    assert_eq!(
        read_only.changes.unwrap().en,
        "Reads only: it changes nothing."
    );
    assert_eq!(read_only.checks, catalog::agent());

    let unknown = catalog::guide("Acme-RotateLogs", Vec::new());
    assert!(!unknown.read_only);
    assert_eq!(unknown.changes, None);
    assert!(unknown.checks.is_empty());
    for name in catalog::NAMED {
        assert!(catalog::named(name).is_some(), "{name}");
    }
}

#[test]
fn a_long_process_name_is_found_as_linux_cuts_it() {
    let agent = [Probe::ProcessRunning {
        process: "amazon-ssm-agent".into(),
    }];
    let listed = output(&[("COMMAND\nsystemd\namazon-ssm-agen\nsshd", 0)]);
    assert_eq!(verdicts(&parse(&agent, &listed)), [Verdict::Passed]);
    // A shorter name is not a cut one.
    let listed = output(&[("COMMAND\namazon-ssm\nsshd", 0)]);
    assert_eq!(verdicts(&parse(&agent, &listed)), [Verdict::Failed]);
    let nginx = [Probe::ProcessRunning {
        process: "nginx".into(),
    }];
    let listed = output(&[("COMMAND\nnginx: master\nngin", 0)]);
    assert_eq!(verdicts(&parse(&nginx, &listed)), [Verdict::Failed]);
}
