//! `unyo fleet`: the instances of one or more accounts, as the app's Fleet screen shows them:
//! AWS profiles (the shared AWS files and Unyo's own) or the practice account.

use clap::Args;
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;
use unyo_core::cloud::AccountId;
use unyo_core::{AppError, FleetScope, FleetSnapshot, Instance, PatchCompliance, PatchSummary};

use crate::account::{self, AccountArgs};
use crate::exit::Exit;
use crate::output;

#[derive(Debug, Args)]
pub struct FleetArgs {
    // Which accounts (--profile is repeatable) and regions (--region is repeatable; without
    // it a profile lists its own region, and the practice account all of its regions).
    #[command(flatten)]
    account: AccountArgs,
    /// Every standard commercial region, and the profile's own.
    #[arg(long, conflicts_with = "regions")]
    all_regions: bool,
    /// Only instances whose id, name, IP address or a tag value contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// One JSON document on stdout: `{instances, failures}` or `{error}`.
    #[arg(long)]
    json: bool,
}

/// What `--json` prints: every instance listed, and what could not be listed.
#[derive(Debug, Default, Serialize)]
struct Listing {
    instances: Vec<Instance>,
    failures: Vec<Failure>,
    /// Accounts that listed at least one region, so "nothing listed" can be told apart.
    #[serde(skip)]
    accounts_listed: usize,
}

/// A region of an account, or a whole account, that could not be listed.
#[derive(Debug, Serialize)]
struct Failure {
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    error: AppError,
}

impl Listing {
    fn add(&mut self, profile: Option<&str>, snapshot: FleetSnapshot) {
        self.accounts_listed += 1;
        self.instances.extend(snapshot.instances);
        self.failures
            .extend(snapshot.failures.into_iter().map(|f| Failure {
                profile: profile.map(str::to_owned),
                region: Some(f.region),
                error: f.error,
            }));
    }
}

pub fn run(args: &FleetArgs) -> Exit {
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
    let listed = runtime.block_on(accounts(args));
    let mut listing = match listed {
        Ok(listing) => listing,
        Err(err) => return output::error(&err, args.json),
    };
    if let Some(needle) = &args.filter {
        listing.instances.retain(|i| i.matches(needle));
    }
    let written = if args.json {
        output::json(&listing)
    } else {
        print_table(&listing);
        Exit::Ok
    };
    match written {
        Exit::Ok if listing.accounts_listed == 0 => Exit::Failed,
        Exit::Ok if !listing.failures.is_empty() => Exit::Partial,
        other => other,
    }
}

/// Each account in turn (a role's MFA prompt must not interleave with another's). With one
/// account its failure is the command's; with several it is one of the failures listed.
async fn accounts(args: &FleetArgs) -> Result<Listing, AppError> {
    let ids = account::ids(&args.account)?;
    let mut listing = Listing::default();
    for id in &ids {
        match list(id, args).await {
            Ok(snapshot) => listing.add(id.profile(), snapshot),
            Err(err) if ids.len() == 1 => return Err(err),
            Err(error) => listing.failures.push(Failure {
                profile: id.profile().map(str::to_owned),
                region: None,
                error,
            }),
        }
    }
    Ok(listing)
}

async fn list(id: &AccountId, args: &FleetArgs) -> Result<FleetSnapshot, AppError> {
    let cloud = account::connect(id, &args.account).await?;
    let regions = if args.all_regions {
        Vec::new()
    } else if args.account.regions.is_empty() && id != &AccountId::Practice {
        cloud.account().default_region.clone().into_iter().collect()
    } else {
        args.account.regions.clone()
    };
    cloud
        .require_fleet()?
        .list_fleet(&FleetScope { regions })
        .await
}

fn print_table(listing: &Listing) {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "NAME",
        "INSTANCE ID",
        "REGION",
        "STATE",
        "PLATFORM",
        "SSM",
        "AGENT",
        "PATCHES",
        "PRIVATE IP",
    ]);
    for i in &listing.instances {
        table.add_row(row(i));
    }
    println!("{table}");
    println!("{} instances", listing.instances.len());
    for failure in &listing.failures {
        let place: Vec<&str> = [failure.profile.as_deref(), failure.region.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        eprintln!("unyo: {}: {}", place.join(" "), failure.error.message);
    }
}

fn row(i: &Instance) -> [String; 9] {
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
        i.patches.as_ref().map_or_else(|| "-".into(), patches),
        i.private_ip.clone().unwrap_or_else(|| "-".into()),
    ]
}

/// "compliant", or the gap that makes the instance non-compliant, as the app's column says it.
fn patches(p: &PatchSummary) -> String {
    match p.state {
        PatchCompliance::Compliant => "compliant".into(),
        PatchCompliance::NonCompliant if p.missing > 0 => format!("{} missing", p.missing),
        PatchCompliance::NonCompliant if p.failed > 0 => format!("{} failed", p.failed),
        PatchCompliance::NonCompliant if p.installed_pending_reboot > 0 => "reboot pending".into(),
        PatchCompliance::NonCompliant => "non-compliant".into(),
    }
}
