//! `unyo logs query`: a Logs Insights query followed to its end through the core's
//! `follow_insights`, each new row printed as it arrives; Ctrl-C stops the query on the
//! service (it bills per GB scanned) and the statistics print on stderr either way.

use std::sync::{Arc, Mutex, PoisonError};

use clap::Args;
use unyo_core::logs::{InsightsProgress, InsightsQuery, InsightsResult, POLL, follow_insights};

use crate::account;
use crate::exit::Exit;
use crate::output;
use crate::reads::{self, ReadArgs};

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// A log group to query (repeatable).
    #[arg(long = "group", value_name = "GROUP", required = true)]
    groups: Vec<String>,
    /// How far back to look: 30m, 1h, 2d.
    #[arg(long, default_value = "1h")]
    since: String,
    /// The query, e.g. 'fields @timestamp, @message | filter @message like /ERROR/'.
    query: String,
}

/// What the progress callback has printed, shared with the Ctrl-C path.
#[derive(Default)]
struct Printed {
    query_id: Option<String>,
    header: bool,
    rows: usize,
    last: Option<InsightsProgress>,
}

pub fn run(args: &QueryArgs) -> Exit {
    reads::run(&args.read, || async {
        let cloud = account::open(&args.read.account).await?;
        let logs = cloud.require_logs()?;
        let region = reads::region(cloud.as_ref(), &args.read.account)?;
        let (start, end) = reads::window(cloud.as_ref(), &args.since)?;
        let query = InsightsQuery {
            region: region.clone(),
            log_groups: args.groups.clone(),
            query: args.query.clone(),
            start,
            end,
        };
        args.read.explain([query.cli()]);
        let printed = Arc::new(Mutex::new(Printed::default()));
        let stream = !args.read.json;
        let mut on_progress = {
            let printed = printed.clone();
            move |progress: &InsightsProgress| {
                let mut printed = printed.lock().unwrap_or_else(PoisonError::into_inner);
                printed.query_id = Some(progress.query_id.clone());
                if stream {
                    print_new_rows(&mut printed, &progress.result);
                }
                printed.last = Some(progress.clone());
            }
        };
        let followed = tokio::select! {
            done = follow_insights(logs, &query, POLL, &mut on_progress) => Some(done),
            _ = tokio::signal::ctrl_c() => None,
        };
        let done = match followed {
            Some(done) => done?,
            None => {
                let (query_id, last) = {
                    let printed = printed.lock().unwrap_or_else(PoisonError::into_inner);
                    (printed.query_id.clone(), printed.last.clone())
                };
                if let Some(id) = &query_id {
                    logs.stop_insights(&region, id).await?;
                }
                eprintln!("unyo: stopped the query");
                if let Some(last) = &last {
                    statistics(last);
                }
                return Ok(Exit::Failed);
            }
        };
        statistics(&done);
        if args.read.json {
            return Ok(output::json(&done));
        }
        Ok(match done.status {
            unyo_core::logs::InsightsStatus::Complete => Exit::Ok,
            status => {
                eprintln!("unyo: the query ended {status:?} before it completed");
                Exit::Failed
            }
        })
    })
}

/// Prints the header once and then each row past those printed. Logs Insights adds rows as
/// it scans; a read never takes back rows an earlier one gave.
fn print_new_rows(printed: &mut Printed, result: &InsightsResult) {
    if !printed.header && !result.columns.is_empty() {
        println!("{}", result.columns.join("\t"));
        printed.header = true;
    }
    for row in result.rows.iter().skip(printed.rows) {
        println!("{}", row.join("\t"));
    }
    printed.rows = printed.rows.max(result.rows.len());
}

fn statistics(progress: &InsightsProgress) {
    let r = &progress.result;
    eprintln!(
        "{:?}: {} rows, {} records scanned, {} matched, {} bytes scanned",
        progress.status,
        r.rows.len(),
        r.records_scanned,
        r.records_matched,
        r.bytes_scanned
    );
}
