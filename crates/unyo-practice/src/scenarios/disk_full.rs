//! "A disk fills up": a debug log level switched on at night for one ticket was never
//! switched off, and by morning batch-worker-1's root file system is full. Logs Insights
//! shows the "no space left on device" errors, CloudTrail shows the command that turned
//! debug on, and Run Command cleans up and restores the level.

use serde_json::json;
use unyo_core::scenario::{Debrief, ScenarioCheck, ServiceUse};

use super::{Definition, Stage, check, hint, text};
use crate::account::Call;
use crate::baseline::{BATCH_WORKER_1, TOKYO};
use crate::host::{File, LoadSample, Service};

pub const ID: &str = "disk-full";
const CONF: &str = "/etc/nightly-batch/logging.conf";
const LOG_DIR: &str = "/var/log/nightly-batch";
const GROUP: &str = "/nightly-batch/app";
const MIB: u64 = 1024 * 1024;

fn big_log(modified: &str, last_line: &str, mib: u64) -> File {
    let mut file = File::root(0o640, modified, last_line);
    file.hidden_bytes = mib * MIB;
    file
}

fn setup(stage: &mut Stage<'_>) {
    let now = stage.now;
    let changed = now - (7 * 3600 + 54 * 60);
    stage.account.record(
        TOKYO,
        changed,
        Call {
            name: "SendCommand",
            source: "ssm.amazonaws.com",
            user: "kenji",
            user_arn: "arn:aws:iam::123456789012:user/kenji",
            request: json!({
                "documentName": "AWS-RunShellScript",
                "instanceIds": [BATCH_WORKER_1],
                "parameters": {"commands": [format!("sed -i 's/^level=INFO/level=DEBUG/' {CONF}"), "systemctl restart nightly-batch"]},
                "comment": "TICKET-4521: debug the slow export",
            }),
            resources: vec![("AWS::EC2::Instance", BATCH_WORKER_1)],
        },
    );
    let info = |msg: &str| json!({"level": "INFO", "msg": msg}).to_string();
    let debug = |msg: &str| json!({"level": "DEBUG", "msg": msg}).to_string();
    let error = |msg: &str| json!({"level": "ERROR", "msg": msg}).to_string();
    stage.account.log(
        GROUP,
        TOKYO,
        changed + 5,
        BATCH_WORKER_1,
        &info("logging level DEBUG"),
    );
    for k in 0..12 {
        let at = changed + 60 + k * 1800;
        stage.account.log(
            GROUP,
            TOKYO,
            at,
            BATCH_WORKER_1,
            &debug("export batch 500 rows, 912 queries"),
        );
    }
    for k in 0..22 {
        let at = now - 44 * 60 + k * 120;
        let msg = format!("write {LOG_DIR}/batch-debug.log: no space left on device");
        stage
            .account
            .log(GROUP, TOKYO, at, BATCH_WORKER_1, &error(&msg));
    }
    stage.account.log(
        GROUP,
        TOKYO,
        now - 6 * 60,
        BATCH_WORKER_1,
        &error("export failed: ENOSPC, 0 rows written"),
    );

    let Some(host) = stage.host(BATCH_WORKER_1) else {
        return;
    };
    let mut service = Service::running(
        "Nightly export worker",
        "/opt/nightly-batch/bin/worker --config /etc/nightly-batch",
        &[],
        &["Started nightly-batch.service - Nightly export worker."],
    );
    let debug_conf =
        format!("level=DEBUG\nfile={LOG_DIR}/batch.log\ndebug_file={LOG_DIR}/batch-debug.log\n");
    service.config_path = Some(CONF.to_owned());
    service.loaded_config = Some(debug_conf.clone());
    service.journal.push(format!(
        "{}\tERROR write {LOG_DIR}/batch-debug.log: no space left on device",
        crate::clock::host_time(now - 120)
    ));
    host.services.insert("nightly-batch".into(), service);
    host.files.insert(
        CONF.into(),
        File::root(0o644, &crate::clock::host_time(changed)[..16], &debug_conf),
    );
    let files = [
        (
            "batch.log",
            118,
            "2026-11-28 09:58:10 INFO export resumed\n",
        ),
        (
            "batch-debug.log",
            2100,
            "2026-11-28 09:58:11 ERROR no space left on device\n",
        ),
        (
            "batch-debug.log.1",
            1800,
            "2026-11-28 06:00:00 DEBUG rotated\n",
        ),
        (
            "batch-debug.log.2",
            1700,
            "2026-11-28 04:00:00 DEBUG rotated\n",
        ),
    ];
    for (name, mib, last) in files {
        host.files.insert(
            format!("{LOG_DIR}/{name}"),
            big_log("2026-11-28 09:58", last, mib),
        );
        host.disk_used_mib += mib;
    }
    // The disk filled through the night: use from before the change until now.
    let size = host.disk_size_mib as f64;
    let base = (host.disk_used_mib - 5600) as f64;
    host.history.clear();
    for (at, used) in [
        (now - 12 * 3600, base),
        (changed, base),
        (changed + 7200, base + 1400.0),
        (changed + 4 * 3600, base + 3300.0),
        (changed + 6 * 3600, base + 4800.0),
        (now - 40 * 60, base + 5600.0),
    ] {
        host.history.push(LoadSample {
            at,
            cpu_percent: host.base_cpu + 6.0,
            disk_percent: used * 100.0 / size,
        });
    }
    host.record_load();
}

fn checks(stage: &mut Stage<'_>) -> Vec<ScenarioCheck> {
    let Some(host) = stage.host(BATCH_WORKER_1) else {
        return Vec::new();
    };
    let space = host.disk_percent() < 80.0;
    let conf = host
        .files
        .get(CONF)
        .map(|f| f.content.clone())
        .unwrap_or_default();
    let level = conf.lines().any(|l| l.trim() == "level=INFO") && !conf.contains("level=DEBUG");
    let running = host
        .services
        .get("nightly-batch")
        .is_some_and(|s| s.active && s.loaded_config.as_deref() == Some(conf.as_str()));
    vec![
        check(
            "The root file system is below 80% used",
            "ルートファイルシステムの使用率が 80% 未満",
            space,
        ),
        check(
            "Logging is back at level=INFO",
            "ログレベルが level=INFO に戻っている",
            level,
        ),
        check(
            "nightly-batch is running with that setting",
            "nightly-batch がその設定で稼働している",
            level && running,
        ),
    ]
}

pub fn definition() -> Definition {
    let cleanup = format!(
        "aws ssm send-command --region {TOKYO} --document-name AWS-RunShellScript --targets Key=InstanceIds,Values={BATCH_WORKER_1} --parameters '{{\"commands\":[\"rm -f {LOG_DIR}/batch-debug.log.*\",\"truncate -s 0 {LOG_DIR}/batch-debug.log\",\"sed -i s/^level=DEBUG/level=INFO/ {CONF}\",\"systemctl restart nightly-batch\",\"df -h\"]}}'"
    );
    let query =
        "fields @timestamp, level, msg | filter level = \"ERROR\" | stats count(*) by bin(10m)";
    Definition {
        id: ID,
        region: TOKYO,
        instance_id: BATCH_WORKER_1,
        title: text("A disk fills up", "ディスクが一杯になる"),
        summary: text(
            "batch-worker-1's disk alarm fired and the morning export failed. Free the space, and make sure it does not fill again.",
            "batch-worker-1 のディスクアラームが発報し、朝のエクスポートが失敗した。空き容量を確保し、再び一杯にならないようにする。",
        ),
        minutes: 8,
        teaches: text(
            "Find what filled a disk with Run Command and free it safely, then watch the alarm return to OK.",
            "Run Command でディスクを埋めたものを見つけて安全に空け、アラームが OK に戻るのを確かめます。",
        ),
        situation: text(
            "The alarm batch-worker-1-root-disk is in ALARM and the nightly export reported \"export failed\" at 09:58.",
            "アラーム batch-worker-1-root-disk が ALARM 状態で、夜間エクスポートが 09:58 に「export failed」を報告した。",
        ),
        goal: text(
            "Bring the root file system below 80% and remove the cause, using Run Command.",
            "Run Command を使って、ルートファイルシステムを 80% 未満にし、原因を取り除く。",
        ),
        hints: vec![
            hint(
                "Logs: run a Logs Insights query over /nightly-batch/app for the last 12 hours. When did the errors start, and what did the log say before that?",
                "Logs：/nightly-batch/app に対して直近 12 時間の Logs Insights クエリを実行する。エラーはいつ始まり、その前に何が記録されていた？",
                Some(query),
            ),
            hint(
                "CloudTrail: what was run on batch-worker-1 last night, by whom, and why?",
                "CloudTrail：昨夜 batch-worker-1 で、誰が、何を、なぜ実行した？",
                Some(&format!(
                    "aws cloudtrail lookup-events --region {TOKYO} --lookup-attributes AttributeKey=ResourceName,AttributeValue={BATCH_WORKER_1}"
                )),
            ),
            hint(
                "Look before you delete: a read-only Run Command shows where the space went.",
                "削除する前に確認する：読み取りだけの Run Command で容量の行き先がわかる。",
                Some(&format!("df -h; du -sh {LOG_DIR}; ls -lh {LOG_DIR}")),
            ),
            hint(
                "Clean up with Run Command: remove the rotated debug logs, empty the live one, set the level back to INFO and restart the worker. Check df -h in the output.",
                "Run Command で片付ける：ローテート済みのデバッグログを削除し、書き込み中のものを空にし、レベルを INFO に戻してワーカーを再起動する。出力の df -h を確認する。",
                Some(&cleanup),
            ),
        ],
        debrief: Debrief {
            lesson: text(
                "Freeing space treats the symptom; the cause was a debug level switched on for one ticket and never switched off, found in CloudTrail as a SendCommand with its comment. Logs Insights turned thousands of lines into a count per ten minutes that showed when the errors began. Run Command made the fix repeatable and recorded: the same script, its output and exit code per instance. Emptying a log a process still writes to (truncate) frees the space, where deleting it would not until the process closes it.",
                "空き容量の確保は対症療法で、原因はチケット対応で有効にしたまま戻されなかったデバッグレベルだった。CloudTrail の SendCommand とそのコメントでわかった。Logs Insights は大量の行を 10 分ごとの件数にまとめ、エラーの開始時刻を示した。Run Command は修正を再現可能かつ記録されたものにした：同じスクリプト、インスタンスごとの出力と終了コード。プロセスが書き込み中のログは、削除してもプロセスが閉じるまで容量は戻らないが、truncate で空にすれば戻る。",
            ),
            services: vec![
                ServiceUse {
                    service: "Amazon CloudWatch (alarms)".into(),
                    why: text(
                        "The disk alarm started the incident and confirmed the recovery.",
                        "ディスクアラームがインシデントの発端となり、復旧の確認にも使った。",
                    ),
                    cli: vec![format!(
                        "aws cloudwatch describe-alarms --region {TOKYO} --alarm-names batch-worker-1-root-disk"
                    )],
                },
                ServiceUse {
                    service: "CloudWatch Logs Insights".into(),
                    why: text(
                        "Counted the errors over time.",
                        "エラーを時系列で集計した。",
                    ),
                    cli: vec![format!(
                        "aws logs start-query --region {TOKYO} --log-group-name {GROUP} --start-time <epoch> --end-time <epoch> --query-string '{query}'"
                    )],
                },
                ServiceUse {
                    service: "AWS CloudTrail".into(),
                    why: text(
                        "Found the command that enabled debug logging.",
                        "デバッグログを有効にしたコマンドを見つけた。",
                    ),
                    cli: vec![format!(
                        "aws cloudtrail lookup-events --region {TOKYO} --lookup-attributes AttributeKey=EventName,AttributeValue=SendCommand"
                    )],
                },
                ServiceUse {
                    service: "Systems Manager Run Command".into(),
                    why: text(
                        "Inspected and cleaned up as root, with output per instance.",
                        "root として確認と片付けを行い、インスタンスごとの出力を得た。",
                    ),
                    cli: vec![
                        cleanup,
                        "aws ssm list-command-invocations --command-id <id> --details".into(),
                    ],
                },
            ],
        },
        setup,
        checks,
    }
}
