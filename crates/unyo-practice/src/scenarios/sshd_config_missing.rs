//! "sshd_config missing": a cleanup command deleted /etc/ssh/sshd_config on web-us-1, so sshd
//! cannot start. AWSSupport-TroubleshootSSH with FixAll recreates the file, but from a generic
//! template: mode 0655 and about ten lines that differ from the distribution's default (root
//! login and passwords allowed, EC2 Instance Connect gone, SSH-1 options). The learner
//! inspects it, corrects it, checks it with `sshd -t`, and restarts sshd on it.

use serde_json::json;
use unyo_core::scenario::{Debrief, ScenarioCheck, ServiceUse};

use super::{Definition, Stage, check, hint, settings, text};
use crate::account::Call;
use crate::baseline::{VIRGINIA, WEB_US_1};
use crate::host::{DEFAULT_SSHD_CONFIG, DISTRIBUTION_SSHD_CONFIG, SSHD_CONFIG};

pub const ID: &str = "sshd-config-missing";

fn setup(stage: &mut Stage<'_>) {
    let at = stage.now - 41 * 60;
    stage.account.record(
        VIRGINIA,
        at,
        Call {
            name: "SendCommand",
            source: "ssm.amazonaws.com",
            user: "config-mgmt",
            user_arn: "arn:aws:sts::123456789012:assumed-role/ConfigManagement/config-mgmt",
            request: json!({
                "documentName": "AWS-RunShellScript",
                "instanceIds": [WEB_US_1],
                "parameters": {"commands": ["rm -f /etc/ssh/sshd_config.d/50-legacy.conf /etc/ssh/sshd_config", "systemctl restart sshd"]},
                "comment": "remove legacy sshd drop-in",
            }),
            resources: vec![("AWS::EC2::Instance", WEB_US_1)],
        },
    );
    if let Some(host) = stage.host(WEB_US_1) {
        host.files.remove(SSHD_CONFIG);
        if let Some(sshd) = host.services.get_mut("sshd") {
            let when = crate::clock::host_time(at + 2);
            sshd.active = false;
            sshd.since = format!("Sat {when} UTC");
            for line in [
                "Received signal 15; terminating.".to_owned(),
                format!("{SSHD_CONFIG}: No such file or directory"),
                "sshd.service: Main process exited, code=exited, status=255/EXCEPTION".to_owned(),
                "Failed to start sshd.service - OpenSSH server daemon.".to_owned(),
            ] {
                sshd.journal.push(format!("{when}\t{line}"));
            }
        }
    }
}

fn checks(stage: &mut Stage<'_>) -> Vec<ScenarioCheck> {
    let Some(host) = stage.host(WEB_US_1) else {
        return Vec::new();
    };
    let file = host.files.get(SSHD_CONFIG);
    let mode_ok = file.is_some_and(|f| f.mode == 0o600 && f.owner == "root");
    let settings_ok = file.is_some_and(|f| settings(&f.content) == settings(DEFAULT_SSHD_CONFIG));
    let test_ok = file.is_some()
        && host.sshd_config_errors().is_empty()
        && host.sshd_config_warnings().is_empty();
    let running = host.services.get("sshd").is_some_and(|s| {
        s.active && file.is_some_and(|f| s.loaded_config.as_deref() == Some(f.content.as_str()))
    });
    vec![
        check(
            "/etc/ssh/sshd_config is owned by root with mode 0600",
            "/etc/ssh/sshd_config の所有者が root、パーミッションが 0600",
            mode_ok,
        ),
        check(
            "Its settings match the distribution default (no root login, no passwords, Instance Connect back)",
            "設定がディストリビューションの既定と一致（root ログインなし、パスワードなし、Instance Connect 復旧）",
            settings_ok,
        ),
        check(
            "sshd -t passes without errors or warnings",
            "sshd -t がエラーも警告もなく通る",
            test_ok,
        ),
        check(
            "sshd is running with the corrected file",
            "修正後のファイルで sshd が稼働している",
            running && settings_ok,
        ),
    ]
}

pub fn definition() -> Definition {
    let start = format!(
        "aws ssm start-automation-execution --region {VIRGINIA} --document-name AWSSupport-TroubleshootSSH --parameters '{{\"InstanceId\":[\"{WEB_US_1}\"],\"Action\":[\"FixAll\"]}}'"
    );
    let session = format!("aws ssm start-session --region {VIRGINIA} --target {WEB_US_1}");
    Definition {
        id: ID,
        region: VIRGINIA,
        instance_id: WEB_US_1,
        title: text("sshd_config went missing", "sshd_config が消えた"),
        summary: text(
            "sshd will not start on web-us-1. A runbook recreates its config. Would you ship what it wrote?",
            "web-us-1 で sshd が起動しない。ランブックが設定を作り直すが、その中身をそのまま使ってよいか？",
        ),
        minutes: 12,
        teaches: text(
            "Restore a missing configuration file, test it with sshd -t and reload the service, checking owner and mode.",
            "失われた設定ファイルを復元し、sshd -t で検証してサービスを再読み込みします。所有者とモードも確認します。",
        ),
        situation: text(
            "web-us-1 refuses SSH since about 09:23. Its SSM Agent is online.",
            "09:23 ごろから web-us-1 が SSH を受け付けない。SSM Agent はオンライン。",
        ),
        goal: text(
            "Bring sshd back on web-us-1 with a configuration you have checked: the distribution's settings, mode 0600, and a clean sshd -t.",
            "確認済みの設定で web-us-1 の sshd を復旧する：ディストリビューションの設定、パーミッション 0600、警告のない sshd -t。",
        ),
        hints: vec![
            hint(
                "Start with the journal: why does sshd fail to start? CloudTrail may show what ran on the instance just before.",
                "まずジャーナルを見る：なぜ sshd が起動しないのか。直前にインスタンスで何が実行されたかは CloudTrail でわかる。",
                Some("sudo journalctl -u sshd -n 20"),
            ),
            hint(
                "AWSSupport-TroubleshootSSH with Action=FixAll can recreate a missing sshd_config.",
                "AWSSupport-TroubleshootSSH を Action=FixAll で実行すると、消えた sshd_config を作り直せる。",
                Some(&start),
            ),
            hint(
                "Inspect what it wrote before trusting it: its mode, and how it differs from the distribution's default (kept at /usr/share/openssh/sshd_config.default on this image).",
                "作られたファイルを信用する前に確認する：パーミッションと、ディストリビューション既定（このイメージでは /usr/share/openssh/sshd_config.default）との差分。",
                Some(&format!(
                    "stat {SSHD_CONFIG}; sudo diff {SSHD_CONFIG} {DISTRIBUTION_SSHD_CONFIG}"
                )),
            ),
            hint(
                "Correct it (copy the default over it, or fix the lines with sed -i), set the mode, and test it.",
                "修正する（既定のファイルを上書きコピーするか、sed -i で行を直す）。パーミッションを設定してテストする。",
                Some(&format!(
                    "sudo cp {DISTRIBUTION_SSHD_CONFIG} {SSHD_CONFIG} && sudo chmod 600 {SSHD_CONFIG} && sudo sshd -t"
                )),
            ),
            hint(
                "Restart sshd so it runs with the corrected file, then check it is active.",
                "修正したファイルで動くよう sshd を再起動し、active になったことを確認する。",
                Some("sudo systemctl restart sshd && systemctl is-active sshd"),
            ),
        ],
        debrief: Debrief {
            lesson: text(
                "FixAll did make sshd startable, but with a file you would not have chosen: mode 0655, root login and password authentication allowed, EC2 Instance Connect's AuthorizedKeysCommand gone, the wrong sftp path, and SSH-1 options that today's sshd only warns about. A repair is a change; read it like one. The cause was in CloudTrail: a cleanup command that removed the main file along with a drop-in. Note that cp onto an existing file keeps that file's mode, which is why the chmod was still needed.",
                "FixAll で sshd は起動できるようになったが、選びたくない内容だった：パーミッション 0655、root ログインとパスワード認証の許可、EC2 Instance Connect の AuthorizedKeysCommand の欠落、誤った sftp パス、現在の sshd が警告するだけの SSH-1 時代のオプション。修復も変更の一つとして読むこと。原因は CloudTrail にあった：ドロップインと一緒に本体のファイルまで消したクリーンアップコマンド。既存ファイルへの cp はそのファイルのパーミッションを保つため、chmod が必要だった。",
            ),
            services: vec![
                ServiceUse {
                    service: "Systems Manager Automation".into(),
                    why: text(
                        "AWSSupport-TroubleshootSSH recreated the missing file.",
                        "AWSSupport-TroubleshootSSH が消えたファイルを作り直した。",
                    ),
                    cli: vec![start],
                },
                ServiceUse {
                    service: "Systems Manager Session Manager".into(),
                    why: text(
                        "Inspected, corrected and tested the file on the instance.",
                        "インスタンス上でファイルを確認・修正・テストした。",
                    ),
                    cli: vec![session],
                },
                ServiceUse {
                    service: "AWS CloudTrail".into(),
                    why: text(
                        "Found the command that deleted the file.",
                        "ファイルを削除したコマンドを見つけた。",
                    ),
                    cli: vec![format!(
                        "aws cloudtrail lookup-events --region {VIRGINIA} --lookup-attributes AttributeKey=EventName,AttributeValue=SendCommand"
                    )],
                },
            ],
        },
        setup,
        checks,
    }
}
