//! `unyo fleet`: the instances of one or more accounts, as the app's Fleet screen shows them:
//! AWS profiles (the shared AWS files and Unyo's own) or the practice account.

use clap::Args;
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;
use unyo_aws::cloud::AwsCloud;
use unyo_aws::profiles::ProfileResolver;
use unyo_core::cloud::Fleet;
use unyo_core::{
    AppError, Cloud, ErrorCode, FleetScope, FleetSnapshot, Instance, PatchCompliance, PatchSummary,
};
use unyo_practice::PracticeCloud;

use crate::exit::Exit;
use crate::{output, resolver};

#[derive(Debug, Args)]
pub struct FleetArgs {
    /// Use the practice account (simulated, offline, free).
    #[arg(long, conflicts_with_all = ["profiles", "endpoint_url"])]
    practice: bool,
    /// An AWS profile to list (repeatable); AWS_PROFILE or `default` when none is given.
    #[arg(long = "profile", value_name = "PROFILE")]
    profiles: Vec<String>,
    /// Only these regions (repeatable). Without it a profile lists its own region, and the
    /// practice account all of its regions.
    #[arg(long = "region", value_name = "REGION", conflicts_with = "all_regions")]
    regions: Vec<String>,
    /// Every standard commercial region, and the profile's own.
    #[arg(long)]
    all_regions: bool,
    /// Send every call to this endpoint instead of AWS (a local emulator).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
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
    let listed = if args.practice {
        runtime.block_on(practice(args))
    } else {
        resolver::open(args.endpoint_url.clone())
            .and_then(|profiles| runtime.block_on(accounts(&profiles, args)))
    };
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

async fn practice(args: &FleetArgs) -> Result<Listing, AppError> {
    let scope = FleetScope {
        regions: args.regions.clone(),
    };
    let mut listing = Listing::default();
    listing.add(
        None,
        Fleet::list_fleet(&PracticeCloud::new(), &scope).await?,
    );
    Ok(listing)
}

/// Each profile in turn (a role's MFA prompt must not interleave with another's). With one
/// profile its failure is the command's; with several it is one of the failures listed.
async fn accounts(profiles: &ProfileResolver, args: &FleetArgs) -> Result<Listing, AppError> {
    let mut names: Vec<String> = Vec::new();
    for name in &args.profiles {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    if names.is_empty() {
        names.push(profiles.list().default_profile.ok_or_else(|| {
            AppError::new(
                ErrorCode::CredentialsInvalid,
                "no profile given, AWS_PROFILE is not set and there is no `default` profile; name one with --profile, or try --practice",
            )
        })?);
    }
    let mut listing = Listing::default();
    for name in &names {
        match account(profiles, name, args).await {
            Ok(snapshot) => listing.add(Some(name), snapshot),
            Err(err) if names.len() == 1 => return Err(err),
            Err(error) => listing.failures.push(Failure {
                profile: Some(name.clone()),
                region: None,
                error,
            }),
        }
    }
    Ok(listing)
}

async fn account(
    profiles: &ProfileResolver,
    name: &str,
    args: &FleetArgs,
) -> Result<FleetSnapshot, AppError> {
    let cloud = AwsCloud::connect(profiles, name)
        .await
        .map_err(|err| match err.code {
            // The session a code opens is kept, so entering it once through whoami is enough.
            ErrorCode::MfaRequired => AppError::new(
                err.code,
                format!(
                    "{}; enter a code once with `unyo whoami --profile {name}`, then list again",
                    err.message
                ),
            ),
            _ => err,
        })?;
    let regions = if args.all_regions {
        Vec::new()
    } else if args.regions.is_empty() {
        cloud.account().default_region.clone().into_iter().collect()
    } else {
        args.regions.clone()
    };
    Fleet::list_fleet(&cloud, &FleetScope { regions }).await
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
