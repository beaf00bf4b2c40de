//! `unyo doctor`: whether Session Manager will work on an instance (or on every instance of a
//! region), each check pass / warn / fail / unknown with the evidence and the fix, as the
//! app's readiness doctor shows it. Read-only: the fixes are printed, never run.

use clap::{ArgGroup, Args, ValueEnum};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use unyo_core::AppError;
use unyo_core::readiness::{
    CheckStatus, Outcome, ReadinessReport, RegionReadiness, doctor, export,
};

use crate::account::{self, AccountArgs};
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Markdown,
    Csv,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("target").required(true).args(["instance_id", "regions"])))]
pub struct DoctorArgs {
    /// The instance to examine (in the region it was listed in, else the profile's).
    instance_id: Option<String>,
    // `--region REGION` examines every instance of that region instead.
    #[command(flatten)]
    account: AccountArgs,
    /// One JSON document on stdout: the report, `{summary, reports}` for a region, or `{error}`.
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// Write the report as Markdown or CSV instead of a table.
    #[arg(long, value_enum)]
    format: Option<Format>,
}

/// What was examined: one instance, or a region.
enum Found {
    Instance(ReadinessReport),
    Region(RegionReadiness),
}

impl Found {
    fn reports(&self) -> &[ReadinessReport] {
        match self {
            Found::Instance(report) => std::slice::from_ref(report),
            Found::Region(region) => &region.reports,
        }
    }

    fn as_region(&self) -> RegionReadiness {
        match self {
            Found::Instance(report) => RegionReadiness::new(&report.region, vec![report.clone()]),
            Found::Region(region) => region.clone(),
        }
    }
}

pub fn run(args: &DoctorArgs) -> Exit {
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
    let found = runtime.block_on(examine(args));
    let found = match found {
        Ok(found) => found,
        Err(err) => return output::error(&err, args.json),
    };
    let written = match (args.json, args.format) {
        (true, _) => match &found {
            Found::Instance(report) => output::json(report),
            Found::Region(region) => output::json(region),
        },
        (false, Some(Format::Markdown)) => {
            print!("{}", export::markdown(&found.as_region()));
            Exit::Ok
        }
        (false, Some(Format::Csv)) => {
            print!("{}", export::csv(&found.as_region()));
            Exit::Ok
        }
        (false, None) => {
            match &found {
                Found::Instance(report) => print_report(report),
                Found::Region(region) => print_region(region),
            }
            Exit::Ok
        }
    };
    // A check that fails is what the doctor exists to report, and scripts gate on it.
    match written {
        Exit::Ok if found.reports().iter().any(ReadinessReport::has_failures) => Exit::Failed,
        other => other,
    }
}

async fn examine(args: &DoctorArgs) -> Result<Found, AppError> {
    let region = args.account.region()?;
    let cloud = account::open(&args.account).await?;
    match (&args.instance_id, region) {
        (Some(id), _) => Ok(Found::Instance(
            doctor::check_instance(cloud.as_ref(), id).await?,
        )),
        (None, Some(region)) => Ok(Found::Region(
            doctor::check_region(cloud.as_ref(), region).await?,
        )),
        (None, None) => Err(AppError::invalid_input("name an instance id or --region")),
    }
}

fn mark(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Pass => "pass",
        CheckStatus::Warn => "WARN",
        CheckStatus::Fail => "FAIL",
        CheckStatus::Unknown => "unknown",
    }
}

fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    let width = crossterm::terminal::size().map_or(120, |(cols, _)| cols.max(80));
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(header.to_vec());
    table
}

fn title(report: &ReadinessReport) -> String {
    if report.name.is_empty() {
        format!("{} in {}", report.instance_id, report.region)
    } else {
        format!(
            "{} ({}) in {}",
            report.instance_id, report.name, report.region
        )
    }
}

fn print_report(report: &ReadinessReport) {
    println!("{}", title(report));
    println!("{}", report.verdict.summary);
    let mut checks = table(&["STATUS", "CHECK", "EVIDENCE"]);
    for check in &report.checks {
        checks.add_row([
            mark(check.status),
            check.id.as_str(),
            check.evidence.as_str(),
        ]);
    }
    println!("{checks}");
    print_fixes(report);
}

/// The fix of every check that did not pass, with its commands to paste.
fn print_fixes(report: &ReadinessReport) {
    for check in report
        .checks
        .iter()
        .filter(|c| c.status != CheckStatus::Pass)
    {
        let Some(fix) = &check.fix else { continue };
        println!(
            "{} {}: {}",
            mark(check.status),
            check.id.as_str(),
            fix.summary
        );
        for command in &fix.commands {
            println!("    $ {command}");
        }
    }
}

fn print_region(region: &RegionReadiness) {
    let s = &region.summary;
    println!(
        "{}: {} instances, {} ready, {} ready with warnings, {} not ready, {} unknown",
        s.region, s.instances, s.ready, s.ready_with_warnings, s.not_ready, s.unknown
    );
    let mut rows = table(&["NAME", "INSTANCE ID", "FAIL", "WARN", "VERDICT"]);
    for report in &region.reports {
        let count = |status| report.checks.iter().filter(|c| c.status == status).count();
        rows.add_row([
            report.name.clone(),
            report.instance_id.clone(),
            count(CheckStatus::Fail).to_string(),
            count(CheckStatus::Warn).to_string(),
            report.verdict.summary.clone(),
        ]);
    }
    println!("{rows}");
    for report in region
        .reports
        .iter()
        .filter(|r| r.verdict.outcome != Outcome::Ready)
    {
        println!();
        println!("{}", title(report));
        print_fixes(report);
    }
}
