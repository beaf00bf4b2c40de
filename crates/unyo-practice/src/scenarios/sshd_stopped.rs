//! "sshd stopped": sshd was stopped and disabled on web-prod-2 by someone in a session on
//! the wrong host. AWSSupport-TroubleshootSSH with FixAll checks sshd's configuration and
//! files, finds them fine, and reports Success, while sshd stays stopped; it also rewrites
//! sshd_config at mode 0655. The learner verifies in a Session Manager shell (or with the
//! verification checks) and starts (and enables) it.

use serde_json::json;
use unyo_core::scenario::{Debrief, ScenarioCheck, ServiceUse};

use super::{Definition, Stage, check, hint, text};
use crate::account::Call;
use crate::baseline::{TOKYO, WEB_PROD_2};

pub const ID: &str = "sshd-stopped";

fn setup(stage: &mut Stage<'_>) {
    let at = stage.now - 27 * 60;
    stage.account.record(
        TOKYO,
        at - 120,
        Call {
            name: "StartSession",
            source: "ssm.amazonaws.com",
            user: "alice",
            user_arn: "arn:aws:iam::123456789012:user/alice",
            request: json!({"target": WEB_PROD_2}),
            resources: vec![("AWS::EC2::Instance", WEB_PROD_2)],
        },
    );
    if let Some(host) = stage.host(WEB_PROD_2)
        && let Some(sshd) = host.services.get_mut("sshd")
    {
        let when = crate::clock::host_time(at);
        sshd.active = false;
        sshd.enabled = false;
        sshd.since = format!("Sat {when} UTC");
        sshd.journal
            .push(format!("{when}\tReceived signal 15; terminating."));
        sshd.journal.push(format!(
            "{when}\tStopped sshd.service - OpenSSH server daemon."
        ));
    }
}

fn checks(stage: &mut Stage<'_>) -> Vec<ScenarioCheck> {
    let sshd = stage
        .host(WEB_PROD_2)
        .and_then(|h| h.services.get("sshd"))
        .map(|s| (s.active, s.enabled))
        .unwrap_or_default();
    vec![
        check(
            "sshd is running on web-prod-2",
            "web-prod-2 で sshd が稼働している",
            sshd.0,
        ),
        check(
            "sshd starts at boot again (enabled)",
            "再起動後も sshd が起動する（enabled）",
            sshd.1,
        ),
    ]
}

pub fn definition() -> Definition {
    let start = format!(
        "aws ssm start-automation-execution --region {TOKYO} --document-name AWSSupport-TroubleshootSSH --parameters '{{\"InstanceId\":[\"{WEB_PROD_2}\"],\"Action\":[\"FixAll\"]}}'"
    );
    Definition {
        id: ID,
        region: TOKYO,
        instance_id: WEB_PROD_2,
        title: text("sshd stopped", "sshd が停止している"),
        summary: text(
            "SSH to web-prod-2 is refused. A runbook says it fixed everything. Did it?",
            "web-prod-2 への SSH が拒否される。ランブックは「すべて修正した」と言うが、本当に？",
        ),
        minutes: 10,
        teaches: text(
            "A runbook's Success is not the proof: verify sshd yourself, from a Session Manager shell, before and after the fix.",
            "ランブックの Success は証明になりません。修正の前後に Session Manager のシェルから sshd を自分で確かめます。",
        ),
        situation: text(
            "Since about 09:37 the deploy pipeline cannot reach web-prod-2 over SSH: \"Connection refused\". The instance is running and its SSM Agent is online.",
            "09:37 ごろからデプロイパイプラインが web-prod-2 に SSH で接続できない（Connection refused）。インスタンスは稼働中で、SSM Agent はオンライン。",
        ),
        goal: text(
            "Get sshd running on web-prod-2 so it survives a reboot, and prove it yourself.",
            "web-prod-2 の sshd を再起動後も動く状態で復旧し、自分の目で確認する。",
        ),
        hints: vec![
            hint(
                "Runbooks: run AWSSupport-TroubleshootSSH on web-prod-2 with Action=FixAll and watch its steps.",
                "Runbooks で web-prod-2 に AWSSupport-TroubleshootSSH を Action=FixAll で実行し、ステップを見守る。",
                Some(&start),
            ),
            hint(
                "It ends in Success. That is the runbook's claim about its own checks. Open a Session Manager shell and look for yourself.",
                "結果は Success。これはランブック自身のチェックについての主張にすぎない。Session Manager でシェルを開き、自分で確かめる。",
                Some(&format!(
                    "aws ssm start-session --region {TOKYO} --target {WEB_PROD_2}"
                )),
            ),
            hint(
                "Is sshd running? Is it enabled at boot? What does its journal say, and who had a session on the instance just before?",
                "sshd は動いている？起動時に有効？ジャーナルには何がある？直前にこのインスタンスにセッションを開いていたのは誰？",
                Some(
                    "systemctl status sshd; systemctl is-enabled sshd; sudo journalctl -u sshd -n 20",
                ),
            ),
            hint(
                "Start it and enable it in one go, then verify: is-active, and ss shows port 22 listening.",
                "起動と有効化を一度に行い、is-active と ss でポート 22 の待ち受けを確認する。",
                Some(
                    "sudo systemctl enable --now sshd && systemctl is-active sshd && sudo ss -tlnp",
                ),
            ),
        ],
        debrief: Debrief {
            lesson: text(
                "AWSSupport-TroubleshootSSH's Success meant that every check it ran passed: the configuration, host keys and permissions were fine. Nothing in those checks started the service, so SSH stayed down. A runbook's status is a claim; a verification on the instance (is-active, the port listening) is proof. CloudTrail's StartSession by alice minutes before, and sshd's journal, told what happened: it was stopped and disabled by hand. FixAll also rewrote sshd_config at mode 0655, wider than the 0600 it had: a runbook's repair is a change to verify too (stat -c '%U %a' /etc/ssh/sshd_config; sudo chmod 600 to put it back).",
                "AWSSupport-TroubleshootSSH の Success は「実行したチェックがすべて通った」という意味だった。設定・ホストキー・パーミッションは正常で、サービスを起動するチェックはなかったため、SSH は止まったままだった。ランブックのステータスは主張であり、インスタンス上での確認（is-active、ポートの待ち受け）が証拠になる。直前の alice の StartSession（CloudTrail）と sshd のジャーナルから、手作業で停止・無効化されたことがわかった。さらに FixAll は sshd_config を書き直し、パーミッションを元の 0600 より広い 0655 にしていた。ランブックの修復も確認すべき変更である（stat -c '%U %a' /etc/ssh/sshd_config、戻すには sudo chmod 600）。",
            ),
            services: vec![
                ServiceUse {
                    service: "Systems Manager Automation".into(),
                    why: text(
                        "Ran AWSSupport-TroubleshootSSH and followed its steps.",
                        "AWSSupport-TroubleshootSSH を実行し、ステップを追った。",
                    ),
                    cli: vec![
                        start,
                        "aws ssm get-automation-execution --automation-execution-id <id>".into(),
                    ],
                },
                ServiceUse {
                    service: "Systems Manager Session Manager".into(),
                    why: text(
                        "A shell without SSH, to verify and fix.",
                        "SSH なしでシェルを開き、確認と修正を行った。",
                    ),
                    cli: vec![format!(
                        "aws ssm start-session --region {TOKYO} --target {WEB_PROD_2}"
                    )],
                },
                ServiceUse {
                    service: "AWS CloudTrail".into(),
                    why: text(
                        "Who had a session on the instance before it broke.",
                        "壊れる直前に誰がセッションを開いていたか。",
                    ),
                    cli: vec![format!(
                        "aws cloudtrail lookup-events --region {TOKYO} --lookup-attributes AttributeKey=ResourceName,AttributeValue={WEB_PROD_2}"
                    )],
                },
            ],
        },
        setup,
        checks,
    }
}
