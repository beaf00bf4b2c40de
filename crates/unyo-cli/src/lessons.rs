//! `unyo lessons`: the practice account's lessons (its scenarios) from a terminal: the list with
//! each lesson's instance and status, and one lesson started to read its situation, goal,
//! checks and first hint.
//!
//! The practice account is simulated inside the process that runs it. This command's account
//! is a fresh one that ends when the command does, so it cannot carry on a lesson, nor see the
//! app's progress: `start` says so and sends the learner to the app's Lessons screen.

use std::collections::HashMap;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use unyo_core::cloud::Fleet;
use unyo_core::localized::Localized;
use unyo_core::scenario::{ScenarioDetail, ScenarioStatus, ScenarioSummary};
use unyo_core::{AppError, FleetScope, Instance, Platform};
use unyo_practice::PracticeCloud;

use crate::exit::Exit;
use crate::output;
use crate::reads::{or_dash, table};

#[derive(Debug, Subcommand)]
pub enum LessonsCommand {
    /// Every lesson: ID, TITLE, PLATFORM, REGION, INSTANCE, STATUS (on a fresh practice account).
    List(ListArgs),
    /// Start a lesson here and print its situation, goal, checks and first hint; continue it
    /// in the app's Lessons screen.
    Start(StartArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The text's language; else LC_ALL, LC_MESSAGES or LANG (ja… is Japanese), else English.
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// One JSON document on stdout: `{lessons}` with titles in every language, or `{error}`.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// The lesson's id, as `unyo lessons list` shows it, e.g. sshd-stopped.
    id: String,
    /// The text's language; else LC_ALL, LC_MESSAGES or LANG (ja… is Japanese), else English.
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// One JSON document on stdout: `{lesson, platform}` with text in every language, or `{error}`.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Lang {
    En,
    Ja,
}

impl Lang {
    /// `--lang`, else the locale the environment names, as gettext reads it.
    fn chosen(lang: Option<Self>) -> Self {
        lang.unwrap_or_else(|| {
            let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
                .into_iter()
                .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
                .unwrap_or_default();
            if locale.starts_with("ja") {
                Self::Ja
            } else {
                Self::En
            }
        })
    }

    fn pick(self, text: &Localized) -> &str {
        match self {
            Self::En => &text.en,
            Self::Ja => &text.ja,
        }
    }

    /// The CLI's own words, in the wording of the app's Lessons screen.
    fn say(self, en: &'static str, ja: &'static str) -> &'static str {
        match self {
            Self::En => en,
            Self::Ja => ja,
        }
    }
}

pub fn run(command: &LessonsCommand) -> Exit {
    let json = match command {
        LessonsCommand::List(args) => args.json,
        LessonsCommand::Start(args) => args.json,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("unyo: cannot start: {e}");
            return Exit::Failed;
        }
    };
    let done = runtime.block_on(async {
        match command {
            LessonsCommand::List(args) => list(args).await,
            LessonsCommand::Start(args) => start(args).await,
        }
    });
    done.unwrap_or_else(|err| output::error(&err, json))
}

/// The practice fleet by instance id: a scenario names only its instance's id and region.
async fn fleet(cloud: &PracticeCloud) -> Result<HashMap<String, Instance>, AppError> {
    let snapshot = cloud
        .list_fleet(&FleetScope {
            regions: Vec::new(),
        })
        .await?;
    Ok(snapshot
        .instances
        .into_iter()
        .map(|i| (i.id.clone(), i))
        .collect())
}

/// What `list --json` prints.
#[derive(Debug, Serialize)]
struct Listing<'a> {
    lessons: Vec<LessonRow<'a>>,
}

/// A row of `--json`'s `lessons`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct LessonRow<'a> {
    id: &'a str,
    title: &'a Localized,
    platform: Option<Platform>,
    region: &'a str,
    instance_id: &'a str,
    status: ScenarioStatus,
}

async fn list(args: &ListArgs) -> Result<Exit, AppError> {
    let cloud = PracticeCloud::new();
    // The progress the app keeps: lessons completed there show as completed here.
    cloud.restore_completed(&completed_in_app())?;
    let lessons = cloud.scenarios()?;
    let fleet = fleet(&cloud).await?;
    let platform = |lesson: &ScenarioSummary| fleet.get(&lesson.instance_id).map(|i| i.platform);
    if args.json {
        let rows = lessons
            .iter()
            .map(|lesson| LessonRow {
                id: &lesson.id,
                title: &lesson.title,
                platform: platform(lesson),
                region: &lesson.region,
                instance_id: &lesson.instance_id,
                status: lesson.status,
            })
            .collect();
        return Ok(output::json(&Listing { lessons: rows }));
    }
    let lang = Lang::chosen(args.lang);
    let mut out = table(&["ID", "TITLE", "PLATFORM", "REGION", "INSTANCE", "STATUS"]);
    for lesson in &lessons {
        out.add_row([
            lesson.id.clone(),
            lang.pick(&lesson.title).to_owned(),
            or_dash(platform(lesson).map(|p| format!("{p:?}"))),
            lesson.region.clone(),
            lesson.instance_id.clone(),
            status(lang, lesson.status).to_owned(),
        ]);
    }
    println!("{out}");
    Ok(Exit::Ok)
}

fn status(lang: Lang, status: ScenarioStatus) -> &'static str {
    match status {
        ScenarioStatus::NotStarted => lang.say("not started", "未開始"),
        ScenarioStatus::InProgress => lang.say("in progress", "進行中"),
        ScenarioStatus::Completed => lang.say("completed", "完了"),
    }
}

/// What `start --json` prints: the lesson as the app's lesson panel gets it, and its instance's
/// platform.
#[derive(Debug, Serialize)]
struct Started<'a> {
    lesson: &'a ScenarioDetail,
    platform: Option<Platform>,
}

async fn start(args: &StartArgs) -> Result<Exit, AppError> {
    let cloud = PracticeCloud::new();
    let ids: Vec<String> = cloud.scenarios()?.into_iter().map(|s| s.id).collect();
    if !ids.contains(&args.id) {
        return Err(AppError::invalid_input(format!(
            "there is no lesson {}; the lessons are {}",
            args.id,
            ids.join(", ")
        )));
    }
    let lesson = cloud.start_scenario(&args.id)?;
    let instance = fleet(&cloud).await?.remove(&lesson.summary.instance_id);
    if args.json {
        return Ok(output::json(&Started {
            lesson: &lesson,
            platform: instance.as_ref().map(|i| i.platform),
        }));
    }
    print_lesson(Lang::chosen(args.lang), &lesson, instance.as_ref());
    Ok(Exit::Ok)
}

fn print_lesson(lang: Lang, lesson: &ScenarioDetail, instance: Option<&Instance>) {
    let summary = &lesson.summary;
    let title = lang.pick(&summary.title);
    println!("{title} ({})", summary.id);
    match instance {
        Some(i) => println!(
            "{} ({}), {:?}, {}",
            i.name, i.id, i.platform, summary.region
        ),
        None => println!("{}, {}", summary.instance_id, summary.region),
    }
    println!();
    println!("{}", lang.say("The situation:", "状況："));
    println!("  {}", lang.pick(&lesson.situation));
    println!();
    println!("{}", lang.say("Your goal:", "目標："));
    println!("  {}", lang.pick(&lesson.goal));
    println!();
    let passed = lesson.checks.iter().filter(|c| c.passed).count();
    let total = lesson.checks.len();
    match lang {
        Lang::En => println!("How success is checked ({passed} of {total} passed):"),
        Lang::Ja => println!("成功の確認方法（{total} 件中 {passed} 件に合格）："),
    }
    for check in &lesson.checks {
        let state = if check.passed {
            lang.say("passed", "合格")
        } else {
            lang.say("not yet", "未達")
        };
        println!("  [{state}] {}", lang.pick(&check.label));
    }
    if let Some(hint) = lesson.hints.first() {
        println!();
        let total = lesson.hints.len();
        match lang {
            Lang::En => println!("Hint 1 of {total}:"),
            Lang::Ja => println!("ヒント 1（全 {total} 件）："),
        }
        println!("  {}", lang.pick(&hint.text));
        if let Some(command) = &hint.command {
            println!("  $ {command}");
        }
    }
    println!();
    match lang {
        Lang::En => println!(
            "This lesson was started on a practice account simulated inside this command, and it ended with the command. The practice account lives inside the process that runs it: the app keeps its own, and every `unyo ... --practice` command starts a fresh, calm one, so no other command (nor the app) sees this lesson. Continue in the app: open Lessons (Ctrl+6, ⌘6 on macOS) and start \"{title}\" there; its lesson panel shows these checks as you work."
        ),
        Lang::Ja => println!(
            "このレッスンは、このコマンドの中でシミュレートした練習用アカウントで開始したため、コマンドの終了とともに消えました。練習用アカウントはそれを動かすプロセスの中にあります。アプリは自分の練習用アカウントを持ち、`unyo ... --practice` の各コマンドはそのたびに正常な状態の新しいアカウントを使うので、このレッスンはほかのコマンドからもアプリからも見えません。続きはアプリで：レッスン画面（Ctrl+6、macOS では ⌘6）を開き、「{title}」を開始してください。作業に合わせて、レッスンパネルにこれらのチェックが表示されます。"
        ),
    }
}

/// The lessons the app has saved as completed (`lessons_completed` in its settings); none
/// when the settings cannot be read, which is said on stderr.
fn completed_in_app() -> std::collections::BTreeSet<String> {
    let Ok(dir) = crate::resolver::config_dir() else {
        return std::collections::BTreeSet::new();
    };
    match unyo_core::settings::load(&dir.join("settings.toml")) {
        Ok(loaded) => loaded.settings.lessons_completed,
        Err(e) => {
            eprintln!(
                "Unyo's settings could not be read ({}): lessons show no progress",
                e.message
            );
            std::collections::BTreeSet::new()
        }
    }
}
