//! `unyo lessons`: the practice account's five lessons listed with their instance's platform
//! and status, in English, in Japanese by `--lang` or by the locale, and as JSON; one lesson
//! started, with its goal and failing checks and the word that it goes on in the app; an
//! unknown lesson named with the ones there are.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

#[path = "support/hermetic.rs"]
mod hermetic;

use assert_cmd::Command;
use serde_json::Value;

const IDS: [&str; 5] = [
    "sshd-stopped",
    "sshd-config-missing",
    "instance-not-managed",
    "disk-full",
    "cpu-after-deploy",
];

/// `unyo ARGS`, hermetic, with no locale unless `locale` sets some (the developer's own would
/// pick the language otherwise).
fn unyo(args: &[&str], locale: &[(&str, &str)]) -> Command {
    let mut cmd = hermetic::unyo(args);
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .envs(locale.iter().copied());
    cmd
}

fn stdout(args: &[&str], locale: &[(&str, &str)]) -> String {
    let out = unyo(args, locale).output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The table's row for a lesson.
fn row<'a>(table: &'a str, id: &str) -> &'a str {
    table
        .lines()
        .find(|line| line.contains(&format!(" {id} ")))
        .unwrap_or_else(|| panic!("no row for {id} in\n{table}"))
}

#[test]
fn the_list_shows_the_five_lessons_not_started() {
    let out = stdout(&["lessons", "list"], &[]);
    for header in ["ID", "TITLE", "PLATFORM", "REGION", "INSTANCE", "STATUS"] {
        assert!(out.contains(header), "{header} in\n{out}");
    }
    for id in IDS {
        assert!(row(&out, id).contains("not started"), "{id} in\n{out}");
    }
    let sshd = row(&out, "sshd-stopped");
    for cell in [
        "sshd stopped",
        "Linux",
        "ap-northeast-1",
        "i-0a1f3c5e7b9d10002",
    ] {
        assert!(sshd.contains(cell), "{cell} in {sshd}");
    }
}

#[test]
fn the_json_list_has_each_lesson_with_both_titles() {
    let out: Value = serde_json::from_str(&stdout(&["lessons", "list", "--json"], &[])).unwrap();
    let lessons = out["lessons"].as_array().unwrap();
    let ids: Vec<&str> = lessons.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, IDS);
    assert_eq!(
        lessons[0],
        serde_json::json!({
            "id": "sshd-stopped",
            "title": {"en": "sshd stopped", "ja": "sshd が停止している"},
            "platform": "linux",
            "region": "ap-northeast-1",
            "instanceId": "i-0a1f3c5e7b9d10002",
            "status": "notStarted",
        })
    );
    for lesson in lessons {
        let keys: Vec<&String> = lesson.as_object().unwrap().keys().collect();
        assert_eq!(
            keys.len(),
            6,
            "{lesson}: id, title, platform, region, instanceId, status"
        );
        assert!(["linux", "windows"].contains(&lesson["platform"].as_str().unwrap()));
    }
}

#[test]
fn lang_ja_lists_the_japanese_titles() {
    let out = stdout(&["lessons", "list", "--lang", "ja"], &[]);
    let sshd = row(&out, "sshd-stopped");
    assert!(sshd.contains("sshd が停止している"), "{sshd}");
    assert!(sshd.contains("未開始"), "{sshd}");
    assert!(!out.contains("not started"), "{out}");
}

#[test]
fn a_japanese_locale_picks_japanese_unless_told_otherwise() {
    let ja = stdout(&["lessons", "list"], &[("LANG", "ja_JP.UTF-8")]);
    assert!(
        row(&ja, "sshd-stopped").contains("sshd が停止している"),
        "{ja}"
    );

    // LC_ALL comes before LANG, as for every program that reads the locale.
    let en = stdout(
        &["lessons", "list"],
        &[("LANG", "ja_JP.UTF-8"), ("LC_ALL", "en_US.UTF-8")],
    );
    assert!(row(&en, "sshd-stopped").contains("sshd stopped"), "{en}");

    // --lang comes before the locale.
    let en = stdout(
        &["lessons", "list", "--lang", "en"],
        &[("LANG", "ja_JP.UTF-8")],
    );
    assert!(row(&en, "sshd-stopped").contains("not started"), "{en}");
}

#[test]
fn starting_a_lesson_prints_its_goal_failing_checks_first_hint_and_where_to_go_on() {
    let out = stdout(&["lessons", "start", "sshd-stopped"], &[]);
    for part in [
        "sshd stopped (sshd-stopped)",
        "web-prod-2 (i-0a1f3c5e7b9d10002), Linux, ap-northeast-1",
        "Connection refused",
        "Your goal:\n  Get sshd running on web-prod-2 so it survives a reboot, and prove it yourself.",
        "How success is checked (0 of 2 passed):",
        "  [not yet] sshd is running on web-prod-2\n",
        "  [not yet] sshd starts at boot again (enabled)\n",
        "Hint 1 of 4:",
        "$ aws ssm start-automation-execution --region ap-northeast-1 --document-name AWSSupport-TroubleshootSSH",
        "Lessons (Ctrl+6",
    ] {
        assert!(out.contains(part), "{part:?} in\n{out}");
    }
    // Only the first hint: the app reveals the rest one at a time.
    assert!(!out.contains("It ends in Success"), "{out}");
}

#[test]
fn starting_a_lesson_in_japanese() {
    let out = stdout(&["lessons", "start", "sshd-stopped", "--lang", "ja"], &[]);
    for part in [
        "sshd が停止している (sshd-stopped)",
        "目標：\n  web-prod-2 の sshd を再起動後も動く状態で復旧し、自分の目で確認する。",
        "[未達] web-prod-2 で sshd が稼働している",
        "レッスン画面（Ctrl+6",
    ] {
        assert!(out.contains(part), "{part:?} in\n{out}");
    }
}

#[test]
fn a_started_lesson_as_json_is_in_progress_with_its_checks_failing() {
    let out: Value = serde_json::from_str(&stdout(
        &["lessons", "start", "sshd-stopped", "--json"],
        &[],
    ))
    .unwrap();
    assert_eq!(out["platform"], "linux");
    let lesson = &out["lesson"];
    assert_eq!(lesson["summary"]["id"], "sshd-stopped");
    assert_eq!(lesson["summary"]["status"], "inProgress");
    assert_eq!(
        lesson["goal"]["en"],
        "Get sshd running on web-prod-2 so it survives a reboot, and prove it yourself."
    );
    let checks = lesson["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 2);
    assert!(checks.iter().all(|c| c["passed"] == false), "{checks:?}");
}

#[test]
fn an_unknown_lesson_fails_naming_the_lessons_there_are() {
    let out = unyo(&["lessons", "start", "sshd-stoped"], &[])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("there is no lesson sshd-stoped"), "{err}");
    for id in IDS {
        assert!(err.contains(id), "{id} in {err}");
    }

    let out = unyo(&["lessons", "start", "sshd-stoped", "--json"], &[])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["error"]["code"], "InvalidInput");
}

#[test]
fn the_list_shows_the_progress_the_app_kept() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("xdg/app.unyo.desktop");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("settings.toml"),
        "lessonsCompleted = [\"disk-full\"]\n",
    )
    .unwrap();
    let out = unyo(&["lessons", "list"], &[])
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("xdg"))
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(row(&table, "disk-full").contains("completed"), "{table}");
    assert!(
        row(&table, "sshd-stopped").contains("not started"),
        "{table}"
    );
}
