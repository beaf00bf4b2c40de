//! `unyo commands`: Run Command's history in the account's regions, newest first: what ran,
//! where it was asked for, and how it went.

use clap::Args;
use unyo_core::action::shell_quote;
use unyo_core::run_command::CommandExecution;

use crate::account;
use crate::exit::Exit;
use crate::reads::{self, ReadArgs};

#[derive(Debug, Args)]
pub struct CommandsArgs {
    #[command(flatten)]
    read: ReadArgs,
}

pub fn run(args: &CommandsArgs) -> Exit {
    reads::run(&args.read, || async {
        let cloud = account::open(&args.read.account).await?;
        // Said before any region is asked, as one error rather than one per region.
        cloud.require_run_command()?;
        let regions = account::regions(cloud.as_ref(), &args.read.account);
        args.read.explain(
            regions
                .iter()
                .map(|r| format!("aws ssm list-commands --region {}", shell_quote(r))),
        );
        let mut gathered = reads::each_region(&cloud, &regions, |cloud, region| async move {
            let run_command = cloud.require_run_command()?;
            run_command.list_commands(&region).await
        })
        .await;
        gathered
            .items
            .sort_by(|a, b| b.requested_at.cmp(&a.requested_at));
        Ok(gathered.finish("commands", args.read.json, print_table))
    })
}

fn print_table(commands: &[CommandExecution]) {
    let mut table = reads::table(&[
        "COMMAND ID",
        "REQUESTED",
        "REGION",
        "DOCUMENT",
        "STATUS",
        "COMMANDS",
    ]);
    for c in commands {
        table.add_row([
            c.command_id.clone(),
            c.requested_at.clone(),
            c.region.clone(),
            c.document_name.clone(),
            format!("{:?}", c.status),
            c.commands.join("; "),
        ]);
    }
    println!("{table}");
    println!("{} commands", commands.len());
}
