//! `unyo profiles`: what the shared AWS files define, and what is wrong with them.

use clap::Subcommand;
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use unyo_core::aws_files::{self, AwsFilePaths, ProfileDiscovery};

use crate::exit::Exit;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// Names, kinds and regions (no credentials are read or shown).
    List {
        /// One JSON document on stdout: `{profiles, issues}`.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: &ProfilesCommand) -> Exit {
    let ProfilesCommand::List { json } = command;
    let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    let Some(paths) = AwsFilePaths::resolve(home.as_deref(), |name| std::env::var(name).ok())
    else {
        let err = unyo_core::AppError::new(
            unyo_core::ErrorCode::Storage,
            "no home directory, and AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE are not set",
        );
        return output::error(&err, *json);
    };
    let discovery = aws_files::discover(&paths);
    let written = if *json {
        output::json(&discovery)
    } else {
        print_table(&discovery);
        Exit::Ok
    };
    match written {
        Exit::Ok if !discovery.issues.is_empty() => Exit::Partial,
        other => other,
    }
}

fn print_table(discovery: &ProfileDiscovery) {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(["PROFILE", "KIND", "REGION"]);
    for p in &discovery.profiles {
        table.add_row([
            p.name.clone(),
            format!("{:?}", p.kind),
            p.region.clone().unwrap_or_else(|| "-".into()),
        ]);
    }
    println!("{table}");
    for issue in &discovery.issues {
        let at = issue.line.map(|l| format!(":{l}")).unwrap_or_default();
        eprintln!("unyo: {}{at}: {}", issue.file, issue.message);
    }
}
