//! `unyo runbooks`: the Automation runbooks of the account's regions, or one runbook's
//! parameters (`--describe NAME`) as the run form asks for them. Read-only: nothing runs.

use clap::Args;
use unyo_core::action::shell_quote;
use unyo_core::automation::{Runbook, StepEffect};

use crate::account;
use crate::exit::Exit;
use crate::output;
use crate::reads::{self, ReadArgs, or_dash};

#[derive(Debug, Args)]
pub struct RunbooksArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// One runbook with its parameters (type, default, allowed values, required).
    #[arg(long, value_name = "NAME")]
    describe: Option<String>,
}

pub fn run(args: &RunbooksArgs) -> Exit {
    reads::run(&args.read, || async {
        let cloud = account::open(&args.read.account).await?;
        let automation = cloud.require_automation()?;
        if let Some(name) = &args.describe {
            let region = reads::region(cloud.as_ref(), &args.read.account)?;
            args.read.explain([format!(
                "aws ssm describe-document --region {} --name {}",
                shell_quote(&region),
                shell_quote(name)
            )]);
            let runbook = automation.describe_runbook(&region, name).await?;
            if args.read.json {
                return Ok(output::json(&runbook));
            }
            print_runbook(&runbook);
            return Ok(Exit::Ok);
        }
        let regions = account::regions(cloud.as_ref(), &args.read.account);
        args.read.explain(regions.iter().map(|r| {
            format!(
                "aws ssm list-documents --region {} --filters Key=DocumentType,Values=Automation",
                shell_quote(r)
            )
        }));
        let gathered = reads::each_region(&cloud, &regions, |cloud, region| async move {
            let automation = cloud.require_automation()?;
            let runbooks = automation.list_runbooks(&region).await?;
            Ok(runbooks.into_iter().map(|r| (region.clone(), r)).collect())
        })
        .await;
        Ok(gathered.finish("runbooks", args.read.json, print_list))
    })
}

fn print_list(runbooks: &[(String, Runbook)]) {
    let mut table = reads::table(&["NAME", "OWNER", "REGION", "CHANGES", "DESCRIPTION"]);
    for (region, r) in runbooks {
        table.add_row([
            r.name.clone(),
            r.owner.clone(),
            region.clone(),
            if r.can_change_resources { "yes" } else { "no" }.to_owned(),
            first_line(&r.description),
        ]);
    }
    println!("{table}");
    println!("{} runbooks", runbooks.len());
}

fn print_runbook(r: &Runbook) {
    println!(
        "{} (version {}, owner {})",
        r.name, r.document_version, r.owner
    );
    if !r.description.is_empty() {
        println!("{}", r.description.trim());
    }
    println!(
        "{} steps; {}",
        r.step_count,
        if r.can_change_resources {
            "it can change resources"
        } else {
            "read-only"
        }
    );
    for (n, step) in r.steps.iter().enumerate() {
        let effect = match step.effect {
            StepEffect::Reads => "only reads",
            StepEffect::MayChange => "may change resources",
            StepEffect::Changes => "changes resources",
        };
        println!("  {}. {} ({}): {effect}", n + 1, step.name, step.action);
    }
    let mut table = reads::table(&[
        "PARAMETER",
        "TYPE",
        "REQUIRED",
        "DEFAULT",
        "ALLOWED",
        "DESCRIPTION",
    ]);
    for p in &r.parameters {
        let allowed = if p.allowed_values.is_empty() {
            or_dash(p.allowed_pattern.as_ref())
        } else {
            p.allowed_values.join(", ")
        };
        table.add_row([
            p.name.clone(),
            p.kind.clone(),
            if p.required { "yes" } else { "no" }.to_owned(),
            or_dash(p.default.as_ref()),
            allowed,
            first_line(&p.description),
        ]);
    }
    println!("{table}");
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_owned()
}
