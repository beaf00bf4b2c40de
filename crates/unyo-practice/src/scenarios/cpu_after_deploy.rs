//! "CPU alarm after a deploy": a release moved the storefront's cache to a new cluster and
//! the old one was deleted, but the deploy script only *reloaded* the service. The workers
//! that were already running keep retrying the old cache in a tight loop, and CPU sits near
//! 100%. Metrics show when it started, CloudTrail shows the deploy and the deleted cluster,
//! the application log shows the retries, a restart replaces the stuck workers, and the
//! alarm returning to OK is the verification.

use serde_json::json;
use unyo_core::alarms::AlarmState;
use unyo_core::scenario::{Debrief, ScenarioCheck, ServiceUse};

use super::{Definition, Stage, check, hint, text};
use crate::account::Call;
use crate::baseline::{TOKYO, WEB_PROD_1};
use crate::host::{File, LoadSample, Service};

pub const ID: &str = "cpu-after-deploy";
pub const ALARM: &str = "web-prod-1-cpu-high";
const CONF: &str = "/etc/storefront/storefront.conf";
const GROUP: &str = "/storefront/app";
const STUCK_CPU: f64 = 94.0;

fn setup(stage: &mut Stage<'_>) {
    let now = stage.now;
    let deploy = now - 52 * 60;
    stage.account.record(
        TOKYO,
        deploy - 180,
        Call {
            name: "DeleteCacheCluster",
            source: "elasticache.amazonaws.com",
            user: "platform-admin",
            user_arn: "arn:aws:iam::123456789012:user/platform-admin",
            request: json!({"cacheClusterId": "storefront-cache-v1"}),
            resources: vec![("AWS::ElastiCache::CacheCluster", "storefront-cache-v1")],
        },
    );
    stage.account.record(
        TOKYO,
        deploy,
        Call {
            name: "SendCommand",
            source: "ssm.amazonaws.com",
            user: "deploy-pipeline",
            user_arn: "arn:aws:sts::123456789012:assumed-role/DeployPipeline/deploy-pipeline",
            request: json!({
                "documentName": "AWS-RunShellScript",
                "instanceIds": [WEB_PROD_1],
                "parameters": {"commands": [
                    "aws s3 cp --recursive s3://storefront-releases/2026.11.28-1/ /opt/storefront/",
                    format!("cp /opt/storefront/storefront.conf {CONF}"),
                    "systemctl reload storefront",
                ]},
                "comment": "storefront release 2026.11.28-1 (cache moved to storefront-cache-v2)",
            }),
            resources: vec![("AWS::EC2::Instance", WEB_PROD_1)],
        },
    );
    for k in 0..50 {
        let at = deploy + 20 + k * 60;
        let message = json!({
            "level": "ERROR",
            "msg": "cache: dial tcp 10.0.3.40:6379: connect: connection refused (retrying)",
            "worker": 3 + k % 4,
        })
        .to_string();
        stage.account.log(GROUP, TOKYO, at, WEB_PROD_1, &message);
    }
    let Some(host) = stage.host(WEB_PROD_1) else {
        return;
    };
    let conf =
        "cache_endpoint=storefront-cache-v2.abc123.apne1.cache.amazonaws.com:6379\nworkers=4\n";
    host.files.insert(
        CONF.into(),
        File::root(0o644, &crate::clock::host_time(deploy)[..16], conf),
    );
    let mut service = Service::running(
        "Storefront application server",
        "/opt/storefront/bin/storefront --workers 4",
        &[8080],
        &["Started storefront.service - Storefront application server."],
    );
    let when = crate::clock::host_time(deploy);
    service.journal.push(format!(
        "{when}\tReloading storefront.service - Storefront application server..."
    ));
    service.journal.push(format!(
        "{when}\tReloaded storefront.service - Storefront application server."
    ));
    service.journal.push(format!(
        "{}\tworker 3: cache: connect: connection refused (retrying)",
        crate::clock::host_time(now - 60)
    ));
    service.config_path = Some(CONF.to_owned());
    service.loaded_config = Some(conf.to_owned());
    service.cpu = STUCK_CPU;
    service.cpu_on_start = 9.0;
    host.services.insert("storefront".into(), service);
    host.history.clear();
    let disk = host.disk_percent();
    host.history.push(LoadSample {
        at: now - 12 * 3600,
        cpu_percent: host.base_cpu + 10.0,
        disk_percent: disk,
    });
    host.history.push(LoadSample {
        at: deploy,
        cpu_percent: host.cpu_percent(),
        disk_percent: disk,
    });
}

fn checks(stage: &mut Stage<'_>) -> Vec<ScenarioCheck> {
    let seed = stage.account.seed;
    let now = stage.now;
    let def = stage
        .account
        .alarms
        .iter()
        .find(|a| a.name == ALARM)
        .cloned();
    let Some(host) = stage.host(WEB_PROD_1) else {
        return Vec::new();
    };
    let fresh = host
        .services
        .get("storefront")
        .is_some_and(|s| s.active && s.cpu < 50.0);
    let ok =
        def.is_some_and(|d| crate::metrics::alarm(seed, &d, host, now).state == AlarmState::Ok);
    vec![
        check(
            "storefront runs fresh workers (no stuck process)",
            "storefront が新しいワーカーで稼働している（スタックしたプロセスがない）",
            fresh,
        ),
        check(
            &format!("The alarm {ALARM} is back to OK"),
            &format!("アラーム {ALARM} が OK に戻っている"),
            ok,
        ),
    ]
}

pub fn definition() -> Definition {
    let restart = format!(
        "aws ssm send-command --region {TOKYO} --document-name AWS-RunShellScript --targets Key=InstanceIds,Values={WEB_PROD_1} --parameters '{{\"commands\":[\"systemctl restart storefront\",\"systemctl is-active storefront\"]}}'"
    );
    let query = "fields @timestamp, msg, worker | filter level = \"ERROR\" | sort @timestamp desc | limit 20";
    Definition {
        id: ID,
        region: TOKYO,
        instance_id: WEB_PROD_1,
        title: text("CPU alarm after a deploy", "デプロイ後の CPU アラーム"),
        summary: text(
            "web-prod-1 has run hot since this morning's release. Find out why, fix it, and prove it is fixed.",
            "今朝のリリース以降、web-prod-1 の CPU が高止まりしている。原因を突き止めて直し、直ったことを証明する。",
        ),
        minutes: 12,
        teaches: text(
            "Read an alarm and its metric against a recent change in CloudTrail, then restart and confirm the recovery.",
            "アラームとメトリクスを CloudTrail の最近の変更と突き合わせ、再起動して回復を確かめます。",
        ),
        situation: text(
            "The alarm web-prod-1-cpu-high is in ALARM. Pages are slow but still served.",
            "アラーム web-prod-1-cpu-high が ALARM 状態。ページは遅いが表示はされている。",
        ),
        goal: text(
            "Bring web-prod-1's CPU back to normal and see its alarm return to OK.",
            "web-prod-1 の CPU を平常に戻し、アラームが OK に戻るのを確認する。",
        ),
        hints: vec![
            hint(
                "Alarms: open web-prod-1-cpu-high and its CPUUtilization graph for the last 3 hours. When did it jump?",
                "アラーム：web-prod-1-cpu-high と直近 3 時間の CPUUtilization グラフを開く。いつ跳ね上がった？",
                Some(&format!(
                    "aws cloudwatch describe-alarms --region {TOKYO} --alarm-names {ALARM}"
                )),
            ),
            hint(
                "CloudTrail around that minute: what was deployed, and what else changed just before?",
                "その時刻前後の CloudTrail：何がデプロイされ、直前に他に何が変わった？",
                Some(&format!(
                    "aws cloudtrail lookup-events --region {TOKYO} --start-time <jump - 15 min> --end-time <jump + 5 min>"
                )),
            ),
            hint(
                "Logs Insights over /storefront/app: what are the workers doing?",
                "/storefront/app に Logs Insights：ワーカーは何をしている？",
                Some(query),
            ),
            hint(
                "The deploy reloaded the service; reloading kept the old workers. Restart it (Run Command or a session), then check ps aux.",
                "デプロイはサービスをリロードしただけで、古いワーカーが残った。再起動し（Run Command かセッションで）、ps aux を確認する。",
                Some(&restart),
            ),
            hint(
                "Verify: the alarm needs two good one-minute datapoints in a row before it returns to OK. Watch the graph come down.",
                "確認：アラームが OK に戻るには、1 分間のデータポイントが 2 回続けて正常である必要がある。グラフが下がるのを見守る。",
                None,
            ),
        ],
        debrief: Debrief {
            lesson: text(
                "The metric gave the minute things changed; CloudTrail gave the two changes at that minute (the old cache deleted, the release deployed with a reload); the application log gave the mechanism (workers retrying the deleted cache in a loop). A restart replaced the stuck workers. The fix was only proven when the alarm, which needs consecutive good datapoints, went back to OK. For the next release: restart instead of reload when connections must move.",
                "メトリクスが変化した時刻を示し、CloudTrail がその時刻の 2 つの変更（旧キャッシュの削除、リロードによるリリース）を示し、アプリケーションログが仕組み（削除されたキャッシュへの再試行ループ）を示した。再起動でスタックしたワーカーが入れ替わった。連続した正常データポイントを必要とするアラームが OK に戻ったとき、初めて修正が証明された。次のリリースでは、接続先が変わるならリロードではなく再起動を。",
            ),
            services: vec![
                ServiceUse {
                    service: "Amazon CloudWatch (alarms and metrics)".into(),
                    why: text(
                        "Showed when CPU jumped, and confirmed recovery.",
                        "CPU の上昇時刻を示し、復旧を確認した。",
                    ),
                    cli: vec![format!(
                        "aws cloudwatch get-metric-data --region {TOKYO} --metric-data-queries '[{{\"Id\":\"cpu\",\"MetricStat\":{{\"Metric\":{{\"Namespace\":\"AWS/EC2\",\"MetricName\":\"CPUUtilization\",\"Dimensions\":[{{\"Name\":\"InstanceId\",\"Value\":\"{WEB_PROD_1}\"}}]}},\"Period\":60,\"Stat\":\"Average\"}}}}]' --start-time <start> --end-time <end>"
                    )],
                },
                ServiceUse {
                    service: "AWS CloudTrail".into(),
                    why: text(
                        "Found the deploy and the deleted cache cluster.",
                        "デプロイと削除されたキャッシュクラスターを見つけた。",
                    ),
                    cli: vec![format!(
                        "aws cloudtrail lookup-events --region {TOKYO} --start-time <start> --end-time <end>"
                    )],
                },
                ServiceUse {
                    service: "CloudWatch Logs Insights".into(),
                    why: text(
                        "Showed the workers' retry loop.",
                        "ワーカーの再試行ループを示した。",
                    ),
                    cli: vec![format!(
                        "aws logs start-query --region {TOKYO} --log-group-name {GROUP} --start-time <epoch> --end-time <epoch> --query-string '{query}'"
                    )],
                },
                ServiceUse {
                    service: "Systems Manager Run Command".into(),
                    why: text(
                        "Restarted the service as root, with the output recorded.",
                        "root としてサービスを再起動し、出力を記録した。",
                    ),
                    cli: vec![restart],
                },
            ],
        },
        setup,
        checks,
    }
}
