//! What the incident reads (`alarms`, `metrics`, `logs`, `trail`, `runbooks`, `commands`)
//! share: the account and output options, the account's clock, asking several regions at
//! once, and reporting the regions that failed beside those that answered, as `fleet` does.

use std::future::Future;
use std::sync::Arc;

use clap::Args;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;
use unyo_core::time::{parse_duration, rfc3339};
use unyo_core::{AppError, Cloud};

use crate::account::AccountArgs;
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Args)]
pub struct ReadArgs {
    #[command(flatten)]
    pub account: AccountArgs,
    /// One JSON document on stdout, or `{error}`.
    #[arg(long)]
    pub json: bool,
    /// Print the equivalent AWS CLI command(s) on stderr, one per region, before reading.
    #[arg(long)]
    pub explain: bool,
}

impl ReadArgs {
    /// Prints the AWS CLI equivalents when asked to.
    pub fn explain(&self, commands: impl IntoIterator<Item = String>) {
        if self.explain {
            for command in commands {
                eprintln!("{command}");
            }
        }
    }
}

/// Runs a read on a runtime with a worker per core, so the regions [`each_region`] asks at
/// once also decode their answers at once; its error is reported in the output's shape.
pub fn run<F>(args: &ReadArgs, read: impl FnOnce() -> F) -> Exit
where
    F: Future<Output = Result<Exit, AppError>>,
{
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("unyo: cannot start: {e}");
            return Exit::Failed;
        }
    };
    match runtime.block_on(read()) {
        Ok(exit) => exit,
        Err(err) => output::error(&err, args.json),
    }
}

/// The one region a single-region read works in: `--region`, else the account's own.
pub fn region(cloud: &dyn Cloud, args: &AccountArgs) -> Result<String, AppError> {
    match args.region()? {
        Some(region) => Ok(region.to_owned()),
        None => cloud.account().default_region.clone().ok_or_else(|| {
            AppError::invalid_input("the account has no region of its own; give --region")
        }),
    }
}

/// `[now - since, now]` on the account's clock (the practice account runs its own), as the
/// RFC 3339 bounds the reads take.
pub fn window(cloud: &dyn Cloud, since: &str) -> Result<(String, String), AppError> {
    let seconds = parse_duration(since)?;
    let now = cloud.now();
    Ok((rfc3339(now - seconds), rfc3339(now)))
}

/// A region that could not answer, and why.
#[derive(Debug, Serialize)]
pub struct RegionFailure {
    pub region: String,
    pub error: AppError,
}

/// What several regions answered, in the order the regions were given.
#[derive(Debug)]
pub struct Gathered<T> {
    pub items: Vec<T>,
    pub failures: Vec<RegionFailure>,
    answered: usize,
}

/// Asks every region at once, each on its own task (a region's answer is decoded while the
/// others' are, on another core); a region that fails is kept with its error.
pub async fn each_region<T, F, Fut>(
    cloud: &Arc<dyn Cloud>,
    regions: &[String],
    ask: F,
) -> Gathered<T>
where
    F: Fn(Arc<dyn Cloud>, String) -> Fut,
    Fut: Future<Output = Result<Vec<T>, AppError>> + Send + 'static,
    T: Send + 'static,
{
    let tasks: Vec<_> = regions
        .iter()
        .map(|r| tokio::spawn(ask(cloud.clone(), r.clone())))
        .collect();
    let answers = futures_util::future::join_all(tasks.into_iter().map(|task| async {
        task.await.unwrap_or_else(|e| {
            Err(AppError::new(
                unyo_core::ErrorCode::Internal,
                format!("the region's read stopped: {e}"),
            ))
        })
    }))
    .await;
    let mut gathered = Gathered {
        items: Vec::new(),
        failures: Vec::new(),
        answered: 0,
    };
    for (region, answer) in regions.iter().zip(answers) {
        match answer {
            Ok(items) => {
                gathered.answered += 1;
                gathered.items.extend(items);
            }
            Err(error) => gathered.failures.push(RegionFailure {
                region: region.clone(),
                error,
            }),
        }
    }
    gathered
}

impl<T: Serialize> Gathered<T> {
    /// Writes `{key: items, failures}` or a table (`print`), the failures on stderr. Exit:
    /// Partial when some regions failed, Failed when none answered; a lone region's error is
    /// the command's error.
    pub fn finish(self, key: &str, json: bool, print: impl FnOnce(&[T])) -> Exit {
        if self.answered == 0 && self.failures.len() == 1 {
            return output::error(&self.failures[0].error, json);
        }
        let written = if json {
            output::json(&serde_json::json!({ key: self.items, "failures": self.failures }))
        } else {
            print(&self.items);
            for failure in &self.failures {
                eprintln!(
                    "unyo: {}: {} ({:?})",
                    failure.region, failure.error.message, failure.error.code
                );
            }
            Exit::Ok
        };
        match written {
            Exit::Ok if self.answered == 0 => Exit::Failed,
            Exit::Ok if !self.failures.is_empty() => Exit::Partial,
            other => other,
        }
    }
}

/// A table in the CLI's style, wrapping long cells to the terminal.
pub fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    table
}

/// `-` for an absent value, as the other tables show it.
pub fn or_dash(value: Option<impl ToString>) -> String {
    value.map_or_else(|| "-".into(), |v| v.to_string())
}
