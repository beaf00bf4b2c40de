//! `unyo fleet`: the instances of an account, as the app's Fleet screen shows them.

use clap::Args;
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use unyo_core::{Cloud, FleetScope, FleetSnapshot, Instance};
use unyo_practice::PracticeCloud;

use crate::exit::Exit;
use crate::output;

#[derive(Debug, Args)]
pub struct FleetArgs {
    /// Use the practice account (simulated, offline, free). Required until AWS profiles can be
    /// read by the CLI.
    #[arg(long, required = true)]
    practice: bool,
    /// Only these regions (repeatable); all of the account's regions by default.
    #[arg(long = "region", value_name = "REGION")]
    regions: Vec<String>,
    /// Only instances whose id, name, IP address or a tag value contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// One JSON document on stdout: `{instances, failures}` or `{error}`.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &FleetArgs) -> Exit {
    let cloud = PracticeCloud::new();
    let scope = FleetScope {
        regions: args.regions.clone(),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("unyo: cannot start: {e}");
            return Exit::Failed;
        }
    };
    let mut snapshot = match runtime.block_on(cloud.list_fleet(&scope)) {
        Ok(snapshot) => snapshot,
        Err(err) => return output::error(&err, args.json),
    };
    if let Some(needle) = &args.filter {
        snapshot.instances.retain(|i| i.matches(needle));
    }
    let written = if args.json {
        output::json(&snapshot)
    } else {
        print_table(&snapshot);
        Exit::Ok
    };
    match written {
        Exit::Ok if !snapshot.failures.is_empty() => Exit::Partial,
        other => other,
    }
}

fn print_table(snapshot: &FleetSnapshot) {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "NAME",
        "INSTANCE ID",
        "REGION",
        "STATE",
        "PLATFORM",
        "SSM",
        "AGENT",
        "PRIVATE IP",
    ]);
    for i in &snapshot.instances {
        table.add_row(row(i));
    }
    println!("{table}");
    println!("{} instances", snapshot.instances.len());
    for failure in &snapshot.failures {
        eprintln!("unyo: {}: {}", failure.region, failure.error.message);
    }
}

fn row(i: &Instance) -> [String; 8] {
    let agent = match (&i.agent_version, i.agent_outdated) {
        (Some(v), true) => format!("{v} (old)"),
        (Some(v), false) => v.clone(),
        (None, _) => "-".into(),
    };
    [
        i.name.clone(),
        i.id.clone(),
        i.region.clone(),
        format!("{:?}", i.state).to_lowercase(),
        format!("{:?}", i.platform),
        format!("{:?}", i.ping_status),
        agent,
        i.private_ip.clone().unwrap_or_else(|| "-".into()),
    ]
}
