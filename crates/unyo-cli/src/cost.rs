//! `unyo cost estimate`: what an action would cost on the account before it runs, from the
//! region's prices (Unyo's embedded, dated and sourced ones) and the account's free tier: a
//! runbook's steps (read from its document unless `--steps`), or a Logs Insights query over
//! log groups (at most what they store); and `unyo cost month`, this month's use against the
//! free tiers. Prices are the ones the app refreshed from the AWS Price List, else those
//! shipped with Unyo. The practice account is simulated and free.

use clap::{Args, Subcommand, ValueEnum};
use unyo_core::AppError;
use unyo_core::cloud::{AccountKind, Cloud};
use unyo_core::settings::AutomationHistory;
use unyo_cost::estimate::{self, AutomationRun};
use unyo_cost::practice::Pricing;
use unyo_cost::{Estimate, PriceTable};

use crate::account;
use crate::exit::Exit;
use crate::output;
use crate::reads::{self, ReadArgs};

#[derive(Debug, Subcommand)]
pub enum CostCommand {
    /// What an action would cost, with its arithmetic and the free tier's part.
    #[command(subcommand)]
    Estimate(EstimateCommand),
    /// This month's use in the region against the free tiers: Automation steps, alarms.
    Month(MonthArgs),
}

#[derive(Debug, Args)]
pub struct MonthArgs {
    #[command(flatten)]
    read: ReadArgs,
}

#[derive(Debug, Subcommand)]
pub enum EstimateCommand {
    /// An Automation runbook: its steps × the region's price per step.
    Runbook(RunbookArgs),
    /// A Logs Insights query: at most the groups' stored bytes × the price per GB scanned.
    Logs(LogsArgs),
}

/// The account's Automation history, when the app has not been told it (or to override it).
#[derive(Debug, Clone, Copy, ValueEnum)]
enum History {
    /// It used Automation before 14 August 2025: the monthly free tier applies.
    UsedBefore,
    /// It is new to Automation since then: every step is charged.
    NewSince,
}

#[derive(Debug, Args)]
pub struct RunbookArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// The runbook, e.g. AWSSupport-TroubleshootSSH.
    name: String,
    /// Steps it will run (else its document's main steps are counted).
    #[arg(long)]
    steps: Option<u32>,
    /// The account's Automation history; else the answer given in the app, else unknown.
    #[arg(long, value_enum)]
    automation_history: Option<History>,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// A log group to query (repeatable).
    #[arg(long = "group", value_name = "GROUP", required = true)]
    groups: Vec<String>,
    /// The query's time range, for the sentence: a query scans at most what the groups store.
    #[arg(long, default_value = "1h")]
    since: String,
}

pub fn run(command: &CostCommand) -> Exit {
    match command {
        CostCommand::Estimate(EstimateCommand::Runbook(args)) => {
            reads::run(&args.read, || runbook(args))
        }
        CostCommand::Estimate(EstimateCommand::Logs(args)) => reads::run(&args.read, || logs(args)),
        CostCommand::Month(args) => reads::run(&args.read, || month(args)),
    }
}

async fn runbook(args: &RunbookArgs) -> Result<Exit, AppError> {
    let cloud = account::open(&args.read.account).await?;
    let region = reads::region(cloud.as_ref(), &args.read.account)?;
    let history = match args.automation_history {
        Some(History::UsedBefore) => AutomationHistory::UsedBefore,
        Some(History::NewSince) => AutomationHistory::NewSince,
        None => remembered_history(&cloud.account().id),
    };
    let pricing = pricing(cloud.as_ref(), &region, history);
    let (steps, script_steps) = match args.steps {
        Some(steps) => (u64::from(steps), 0),
        None => {
            let runbook = cloud
                .require_automation()?
                .describe_runbook(&region, &args.name)
                .await
                .map_err(|e| {
                    AppError::new(
                        e.code,
                        format!(
                            "{}; give --steps to estimate without reading the runbook",
                            e.message
                        ),
                    )
                })?;
            let scripts = runbook
                .steps
                .iter()
                .filter(|s| s.action == "aws:executeScript")
                .count();
            (u64::from(runbook.step_count), scripts as u64)
        }
    };
    let run = AutomationRun {
        steps,
        script_seconds: 0,
        script_steps,
    };
    let used = if pricing.history == AutomationHistory::UsedBefore && !pricing.practice {
        let now = unyo_core::time::rfc3339(cloud.now());
        match unyo_cost::month::automation_used(cloud.as_ref(), &region, &now).await {
            Ok(used) => Some(used),
            Err(e) => {
                eprintln!(
                    "this month's Automation use could not be read ({}): the estimate is the most the run can cost",
                    e.message
                );
                None
            }
        }
    } else {
        None
    };
    let estimate = pricing.finish(estimate::automation(
        &pricing.table,
        run,
        pricing.history,
        used,
    ));
    show(
        &args.read,
        &format!("{} ({steps} steps) in {region}", args.name),
        &estimate,
    )
}

async fn logs(args: &LogsArgs) -> Result<Exit, AppError> {
    unyo_core::time::parse_duration(&args.since)?;
    let cloud = account::open(&args.read.account).await?;
    let region = reads::region(cloud.as_ref(), &args.read.account)?;
    let pricing = pricing(cloud.as_ref(), &region, AutomationHistory::Unknown);
    let listed = cloud.require_logs()?.list_log_groups(&region).await?;
    let mut bytes = 0u64;
    for name in &args.groups {
        let group = listed.iter().find(|g| &g.name == name).ok_or_else(|| {
            AppError::invalid_input(format!("there is no log group {name} in {region}"))
        })?;
        bytes = bytes.saturating_add(group.stored_bytes);
    }
    let estimate = pricing.finish(estimate::logs_insights(&pricing.table, bytes));
    let what = format!(
        "a Logs Insights query over the last {} of {} in {region}",
        args.since,
        args.groups.join(", ")
    );
    show(&args.read, &what, &estimate)
}

async fn month(args: &MonthArgs) -> Result<Exit, AppError> {
    let cloud = account::open(&args.read.account).await?;
    let region = reads::region(cloud.as_ref(), &args.read.account)?;
    let history = remembered_history(&cloud.account().id);
    let pricing = pricing(cloud.as_ref(), &region, history);
    let now = unyo_core::time::rfc3339(cloud.now());
    let usage = unyo_cost::month::month_usage(cloud.as_ref(), &region, &now, &pricing).await;
    if args.read.json {
        let written = output::json(&usage);
        return Ok(if usage.gaps.is_empty() {
            written
        } else {
            Exit::Partial
        });
    }
    println!("{} in {region}:", usage.month);
    let mut table_out = reads::table(&["TOOL", "USED", "FREE TIER", "COST"]);
    if let Some(steps) = &usage.automation_steps {
        table_out.add_row([
            format!(
                "Automation steps ({} executions)",
                usage.automation_executions.unwrap_or_default()
            ),
            format!(
                "{}{}",
                if steps.at_least { "at least " } else { "" },
                steps.used
            ),
            free_line(steps.free),
            steps.estimate.summary().en,
        ]);
    }
    let kept = [
        ("Metric alarms", &usage.alarms),
        ("Custom metrics", &usage.custom_metrics),
        ("Dashboards", &usage.dashboards),
    ];
    for (tool, month) in kept {
        if let Some(month) = month {
            table_out.add_row([
                tool.to_owned(),
                month.used.to_string(),
                free_line(month.free),
                month.estimate.summary().en,
            ]);
        }
    }
    if let Some(logs) = &usage.logs_data {
        table_out.add_row([
            "Log data (taken in + stored)".to_owned(),
            gigabytes(logs.used),
            gigabytes(logs.free),
            logs.estimate.summary().en,
        ]);
    }
    println!("{table_out}");
    if let Some(offers) = &usage.aws_free_tier {
        let mut aws = reads::table(&["AWS FREE TIER", "USED", "FORECAST", "LIMIT", "UNIT"]);
        for offer in offers {
            aws.add_row([
                format!("{} ({})", offer.description, offer.service),
                offer.used.to_string(),
                offer.forecast.to_string(),
                offer.limit.to_string(),
                offer.unit.clone(),
            ]);
        }
        println!("{aws}");
    }
    for gap in &usage.gaps {
        eprintln!("{} could not be read: {}", gap.tool, gap.error.message);
    }
    Ok(if usage.gaps.is_empty() {
        Exit::Ok
    } else {
        Exit::Partial
    })
}

/// The region's prices as the app keeps them (refreshed from the Price List there), else the
/// ones shipped with Unyo.
fn prices(region: &str) -> PriceTable {
    match crate::resolver::config_dir() {
        Ok(dir) => unyo_cost::cache::table_for(&dir.join("prices"), region),
        Err(_) => PriceTable::embedded(region),
    }
}

/// How the account's estimates are priced: the practice account's are free, with what the
/// same would cost on AWS.
fn pricing(cloud: &dyn Cloud, region: &str, history: AutomationHistory) -> Pricing {
    let practice = cloud.account().kind == AccountKind::Practice;
    Pricing::new(practice, region, history, prices)
}

/// Bytes as GB (2^30), as CloudWatch Logs bills them.
fn gigabytes(bytes: u64) -> String {
    let thousandths = u128::from(bytes) * 1000 / (1u128 << 30);
    format!("{}.{:03} GB", thousandths / 1000, thousandths % 1000)
}

fn free_line(free: u64) -> String {
    if free == 0 {
        "none".to_owned()
    } else {
        free.to_string()
    }
}

/// The answer given in the app for this account; unknown when there is none or the settings
/// cannot be read (said on stderr).
fn remembered_history(account: &str) -> AutomationHistory {
    let path = match crate::resolver::config_dir() {
        Ok(dir) => dir.join("settings.toml"),
        Err(_) => return AutomationHistory::Unknown,
    };
    match unyo_core::settings::load(&path) {
        Ok(loaded) => loaded.settings.automation_history(account),
        Err(e) => {
            eprintln!(
                "Unyo's settings could not be read ({}): the free tier is taken as unknown",
                e.message
            );
            AutomationHistory::Unknown
        }
    }
}

fn show(read: &ReadArgs, what: &str, estimate: &Estimate) -> Result<Exit, AppError> {
    if read.json {
        return Ok(output::json(estimate));
    }
    println!("{what}: {}", estimate.summary().en);
    if let Some(as_of) = &estimate.basis.as_of {
        let origin = match &estimate.basis.origin {
            unyo_cost::Origin::Embedded => "shipped with Unyo, as of".to_owned(),
            unyo_cost::Origin::PriceList { .. } => "from the AWS Price List, published".to_owned(),
        };
        println!("Prices for {} {origin} {as_of}.", estimate.basis.region);
    }
    Ok(Exit::Ok)
}
