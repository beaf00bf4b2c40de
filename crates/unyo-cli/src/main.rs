//! `unyo`: Unyo from a terminal or a script, over the same core as the app.
//!
//! Every command prints a table for people or, with `--json`, one JSON document for scripts;
//! the exit code says how it went (see [`exit`]).

// Printing is this binary's job; library crates log through `tracing` instead.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod account;
mod alarms;
mod commands;
mod cost;
mod doctor;
mod exit;
mod fleet;
mod forward;
mod incident;
mod lessons;
mod logs;
mod metrics;
mod output;
mod profiles;
mod reads;
mod resolver;
mod runbook;
mod runbooks;
mod session;
mod ssh_proxy;
mod sso;
mod trail;
mod verify;
mod whoami;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "unyo",
    version,
    about = "AWS Systems Manager operations, from the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// CloudWatch alarms, in alarm first (--state, --prefix); every region at once.
    Alarms(alarms::AlarmsArgs),
    /// Run Command's history: what ran where, and how it went.
    Commands(commands::CommandsArgs),
    /// What an action would cost before it runs, against the free tier.
    #[command(subcommand)]
    Cost(cost::CostCommand),
    /// Whether Session Manager will work on an instance or a region's instances, and why not.
    Doctor(doctor::DoctorArgs),
    /// List instances with their Systems Manager status.
    Fleet(fleet::FleetArgs),
    /// Forward a local port to a port on an instance, or on a host it reaches, until Ctrl-C.
    Forward(forward::ForwardArgs),
    /// The incident journal the app keeps: list, show, note, export (Markdown, HTML, JSON).
    #[command(subcommand)]
    Incident(incident::IncidentCommand),
    /// The practice account's lessons: list them, or start one to read its goal and checks.
    #[command(subcommand)]
    Lessons(lessons::LessonsCommand),
    /// CloudWatch Logs: log groups, a group's recent events, Logs Insights queries.
    #[command(subcommand)]
    Logs(logs::LogsCommand),
    /// An alarm's metric with its threshold, or an instance's standard EC2 metrics.
    Metrics(metrics::MetricsArgs),
    /// Profiles from the shared AWS files and those created in Unyo.
    #[command(subcommand)]
    Profiles(profiles::ProfilesCommand),
    /// Run an Automation runbook on an instance, then verify its goal on the host.
    #[command(subcommand)]
    Runbook(runbook::RunbookCommand),
    /// Automation runbooks, or one runbook's parameters (--describe NAME).
    Runbooks(runbooks::RunbooksArgs),
    /// An interactive shell on an instance, in this terminal; exits with the shell's status.
    Session(session::SessionArgs),
    /// An instance's SSH port on stdin/stdout, for OpenSSH's ProxyCommand.
    SshProxy(ssh_proxy::SshProxyArgs),
    /// IAM Identity Center sign-in, shared with `aws sso login`.
    #[command(subcommand)]
    Sso(sso::SsoCommand),
    /// What changed: CloudTrail management events (changes only unless --all).
    Trail(trail::TrailArgs),
    /// Check an instance with named check sets (--checks sshd): each check passed, failed or unknown.
    Verify(verify::VerifyArgs),
    /// The account and identity behind a profile's credentials (STS GetCallerIdentity).
    Whoami(whoami::WhoamiArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Alarms(args) => alarms::run(&args) as u8,
        Command::Commands(args) => commands::run(&args) as u8,
        Command::Cost(command) => cost::run(&command) as u8,
        Command::Doctor(args) => doctor::run(&args) as u8,
        Command::Fleet(args) => fleet::run(&args) as u8,
        Command::Forward(args) => forward::run(&args),
        Command::Incident(command) => incident::run(&command) as u8,
        Command::Lessons(command) => lessons::run(&command) as u8,
        Command::Logs(command) => logs::run(&command) as u8,
        Command::Metrics(args) => metrics::run(&args) as u8,
        Command::Profiles(command) => profiles::run(&command) as u8,
        Command::Runbook(command) => runbook::run(&command) as u8,
        Command::Runbooks(args) => runbooks::run(&args) as u8,
        Command::Session(args) => session::run(&args),
        Command::SshProxy(args) => ssh_proxy::run(&args),
        Command::Sso(command) => sso::run(&command) as u8,
        Command::Trail(args) => trail::run(&args) as u8,
        Command::Verify(args) => verify::run(&args) as u8,
        Command::Whoami(args) => whoami::run(&args) as u8,
    };
    std::process::ExitCode::from(code)
}
