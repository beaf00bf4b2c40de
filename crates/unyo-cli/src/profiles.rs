//! `unyo profiles`: every profile Unyo can use (the shared AWS files and Unyo's own), how each
//! gets credentials, and what is wrong with the files.

use clap::Subcommand;
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use unyo_aws::profiles::ProfileListing;
use unyo_core::aws_files::ProfileOrigin;

use crate::exit::Exit;
use crate::{output, resolver};

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// Names, kinds, chains and regions (no credentials are read or shown).
    List {
        /// One JSON document on stdout: `{profiles, ssoSessions, issues, defaultProfile, …}`.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: &ProfilesCommand) -> Exit {
    let ProfilesCommand::List { json } = command;
    let listing = match resolver::open(None) {
        Ok(profiles) => profiles.list(),
        Err(err) => return output::error(&err, *json),
    };
    let written = if *json {
        output::json(&listing)
    } else {
        print_table(&listing);
        Exit::Ok
    };
    match written {
        Exit::Ok if !listing.issues.is_empty() => Exit::Partial,
        other => other,
    }
}

fn print_table(listing: &ProfileListing) {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "PROFILE",
        "KIND",
        "FROM",
        "CREDENTIALS FROM",
        "REGION",
        "PROBLEM",
    ]);
    for p in &listing.profiles {
        let default = listing.default_profile.as_deref() == Some(p.name.as_str());
        let from = match p.chain.is_empty() {
            false => p.chain.join(" → "),
            true => p
                .sso_session
                .as_ref()
                .map(|s| format!("sso-session {s}"))
                .or_else(|| p.credential_program.clone())
                .unwrap_or_else(|| "-".into()),
        };
        table.add_row([
            if default {
                format!("{} (default)", p.name)
            } else {
                p.name.clone()
            },
            format!("{:?}{}", p.kind, if p.needs_mfa() { " +MFA" } else { "" }),
            match p.origin {
                ProfileOrigin::AwsFiles => "AWS files".to_owned(),
                ProfileOrigin::Unyo => "Unyo".to_owned(),
            },
            from,
            p.region.clone().unwrap_or_else(|| "-".into()),
            p.problem.clone().unwrap_or_default(),
        ]);
    }
    println!("{table}");
    for issue in &listing.issues {
        let at = issue.line.map(|l| format!(":{l}")).unwrap_or_default();
        eprintln!("unyo: {}{at}: {}", issue.file, issue.message);
    }
}
