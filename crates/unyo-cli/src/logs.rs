//! `unyo logs`: CloudWatch Logs for Diagnosis: the log groups of a region, a group's recent
//! events (`tail`, optionally followed), and Logs Insights queries whose rows print as they
//! arrive (`query`).

mod query;

use std::collections::HashSet;
use std::time::Duration;

use clap::{Args, Subcommand};
use unyo_core::logs::{LogEvent, LogEventsQuery, LogGroup};
use unyo_core::time::{parse_rfc3339, rfc3339};

use crate::account;
use crate::exit::Exit;
use crate::output;
use crate::reads::{self, ReadArgs, or_dash};

/// How often `tail --follow` asks for new events: FilterLogEvents allows a few calls a
/// second per account, and events take seconds to arrive anyway.
const FOLLOW_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, Subcommand)]
pub enum LogsCommand {
    /// The log groups of the account's regions, with what they store and keep.
    Groups(GroupsArgs),
    /// A log group's recent events, oldest first; --follow keeps printing new ones.
    Tail(TailArgs),
    /// A Logs Insights query; rows print as they arrive, Ctrl-C stops the query.
    Query(query::QueryArgs),
}

#[derive(Debug, Args)]
pub struct GroupsArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// Only groups whose name contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
}

#[derive(Debug, Args)]
pub struct TailArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// The log group, e.g. /storefront/app.
    group: String,
    /// How far back to start: 10m, 1h, 2d.
    #[arg(long, default_value = "10m")]
    since: String,
    /// Only events whose message contains this text.
    #[arg(long, value_name = "TEXT")]
    contains: Option<String>,
    /// Keep printing new events until Ctrl-C.
    #[arg(long, conflicts_with = "json")]
    follow: bool,
}

pub fn run(command: &LogsCommand) -> Exit {
    match command {
        LogsCommand::Groups(args) => groups(args),
        LogsCommand::Tail(args) => tail(args),
        LogsCommand::Query(args) => query::run(args),
    }
}

fn groups(args: &GroupsArgs) -> Exit {
    reads::run(&args.read, || async {
        let cloud = account::open(&args.read.account).await?;
        // Said before any region is asked, as one error rather than one per region.
        cloud.require_logs()?;
        let regions = account::regions(cloud.as_ref(), &args.read.account);
        args.read.explain(
            regions
                .iter()
                .map(|r| format!("aws logs describe-log-groups --region {r}")),
        );
        let mut gathered = reads::each_region(&cloud, &regions, |cloud, region| async move {
            let logs = cloud.require_logs()?;
            logs.list_log_groups(&region).await
        })
        .await;
        if let Some(text) = &args.filter {
            gathered.items.retain(|g| g.name.contains(text.as_str()));
        }
        Ok(gathered.finish("logGroups", args.read.json, print_groups))
    })
}

fn print_groups(groups: &[LogGroup]) {
    let mut table = reads::table(&["NAME", "REGION", "STORED BYTES", "RETENTION DAYS"]);
    for g in groups {
        table.add_row([
            g.name.clone(),
            g.region.clone(),
            g.stored_bytes.to_string(),
            or_dash(g.retention_days),
        ]);
    }
    println!("{table}");
    println!("{} log groups", groups.len());
}

fn tail(args: &TailArgs) -> Exit {
    reads::run(&args.read, || async {
        let cloud = account::open(&args.read.account).await?;
        let logs = cloud.require_logs()?;
        let region = reads::region(cloud.as_ref(), &args.read.account)?;
        let (start, end) = reads::window(cloud.as_ref(), &args.since)?;
        let mut query = LogEventsQuery {
            region,
            log_group: args.group.clone(),
            start,
            end,
            contains: args.contains.clone(),
            limit: None,
        };
        args.read.explain([query.cli()]);
        let events = logs.get_log_events(&query).await?;
        if args.read.json {
            return Ok(output::json(&serde_json::json!({ "events": events })));
        }
        let mut seen = Seen::default();
        seen.print_new(&events);
        if !args.follow {
            return Ok(Exit::Ok);
        }
        let stop = tokio::signal::ctrl_c();
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = &mut stop => return Ok(Exit::Ok),
                () = tokio::time::sleep(FOLLOW_EVERY) => {}
            }
            // From the newest second printed: events of that second already printed are
            // told apart by `seen`, later ones are new.
            if let Some(last) = seen.newest {
                query.start = rfc3339(last);
            }
            query.end = rfc3339(cloud.now() + 1);
            seen.print_new(&logs.get_log_events(&query).await?);
        }
    })
}

/// The events printed so far, at the newest second, so a follow-up read that starts there
/// prints each event once.
#[derive(Default)]
struct Seen {
    newest: Option<i64>,
    at_newest: HashSet<(String, String)>,
}

impl Seen {
    fn print_new(&mut self, events: &[LogEvent]) {
        for event in events {
            let at = parse_rfc3339(&event.timestamp);
            let key = (event.log_stream.clone(), event.message.clone());
            if at.is_some() && at < self.newest {
                continue;
            }
            if at == self.newest && !self.at_newest.insert(key.clone()) {
                continue;
            }
            if at > self.newest {
                self.newest = at;
                self.at_newest = HashSet::from([key]);
            }
            println!("{} {} {}", event.timestamp, event.log_stream, event.message);
        }
    }
}
