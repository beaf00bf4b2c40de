//! `unyo`: Unyo from a terminal or a script, over the same core as the app.
//!
//! Every command prints a table for people or, with `--json`, one JSON document for scripts;
//! the exit code says how it went (see [`exit`]).

// Printing is this binary's job; library crates log through `tracing` instead.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod account;
mod doctor;
mod exit;
mod fleet;
mod forward;
mod output;
mod profiles;
mod resolver;
mod session;
mod ssh_proxy;
mod sso;
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
    /// Whether Session Manager will work on an instance or a region's instances, and why not.
    Doctor(doctor::DoctorArgs),
    /// List instances with their Systems Manager status.
    Fleet(fleet::FleetArgs),
    /// Forward a local port to a port on an instance, or on a host it reaches, until Ctrl-C.
    Forward(forward::ForwardArgs),
    /// Profiles from the shared AWS files and those created in Unyo.
    #[command(subcommand)]
    Profiles(profiles::ProfilesCommand),
    /// An interactive shell on an instance, in this terminal; exits with the shell's status.
    Session(session::SessionArgs),
    /// An instance's SSH port on stdin/stdout, for OpenSSH's ProxyCommand.
    SshProxy(ssh_proxy::SshProxyArgs),
    /// IAM Identity Center sign-in, shared with `aws sso login`.
    #[command(subcommand)]
    Sso(sso::SsoCommand),
    /// The account and identity behind a profile's credentials (STS GetCallerIdentity).
    Whoami(whoami::WhoamiArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Doctor(args) => doctor::run(&args) as u8,
        Command::Fleet(args) => fleet::run(&args) as u8,
        Command::Forward(args) => forward::run(&args),
        Command::Profiles(command) => profiles::run(&command) as u8,
        Command::Session(args) => session::run(&args),
        Command::SshProxy(args) => ssh_proxy::run(&args),
        Command::Sso(command) => sso::run(&command) as u8,
        Command::Whoami(args) => whoami::run(&args) as u8,
    };
    std::process::ExitCode::from(code)
}
