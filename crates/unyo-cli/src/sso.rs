//! `unyo sso login|status|logout`: IAM Identity Center sign-in from a terminal, in the same
//! cache as `aws sso login`, so either tool's sign-in serves both.
//!
//! The session is named as for the AWS CLI: `--sso-session NAME` for an `[sso-session NAME]`
//! section of the AWS config file (`AWS_CONFIG_FILE` honoured), or `--profile NAME` for a
//! profile that uses one, or that has legacy `sso_start_url`/`sso_region` settings.
//!
//! `login` renews an expired token without the browser when it can (refresh token); otherwise
//! it prints the verification URL and code, opens the browser (failing to is not an error:
//! the URL is on screen), waits for approval and prints until when the token is valid.

use clap::{Args, Subcommand};
use unyo_aws::sso::{
    DeviceAuthorization, SessionSource, SsoClients, SsoSession, SsoSignIn, TokenCache, TokenStatus,
    find_session,
};
use unyo_core::{AppError, ErrorCode};

use crate::exit::Exit;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum SsoCommand {
    /// Sign in through the browser, or renew an expired token without it.
    Login(LoginArgs),
    /// Whether the session's cached token is valid, refreshable or gone.
    Status(SessionArgs),
    /// Remove the session's cached token (the AWS CLI's too: they share it).
    Logout(SessionArgs),
}

/// Exactly one way to name the session.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct Which {
    /// An `[sso-session NAME]` section of the AWS config file.
    #[arg(long, value_name = "NAME")]
    sso_session: Option<String>,
    /// A profile using IAM Identity Center (its sso_session, or legacy sso_start_url).
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
}

#[derive(Debug, Args)]
pub struct SessionArgs {
    #[command(flatten)]
    which: Which,
    /// One JSON document on stdout: the token status or `{error}`.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    #[command(flatten)]
    session: SessionArgs,
    /// Print the URL without trying to open a browser.
    #[arg(long)]
    no_browser: bool,
    /// Send the sign-in calls to this endpoint instead of AWS (a local emulator).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
}

pub fn run(command: &SsoCommand) -> Exit {
    let json = match command {
        SsoCommand::Login(args) => args.session.json,
        SsoCommand::Status(args) | SsoCommand::Logout(args) => args.json,
    };
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
    match runtime.block_on(execute(command)) {
        Ok(status) if json => output::json(&status),
        Ok(status) => {
            println!("{}", describe(&status));
            Exit::Ok
        }
        Err(err) => output::error(&err, json),
    }
}

async fn execute(command: &SsoCommand) -> Result<TokenStatus, AppError> {
    let cache = TokenCache::aws_cli_default().ok_or_else(|| {
        AppError::new(
            ErrorCode::Storage,
            "cannot find the home directory, where the AWS CLI keeps its SSO cache",
        )
    })?;
    match command {
        SsoCommand::Login(args) => {
            let session = find_session(args.session.which.source()).await?;
            let clients = SsoClients::from_environment(args.endpoint_url.clone());
            login(&SsoSignIn::with_clients(cache, clients), &session, args).await
        }
        SsoCommand::Status(args) => {
            let session = find_session(args.which.source()).await?;
            Ok(SsoSignIn::new(cache).status(&session))
        }
        SsoCommand::Logout(args) => {
            let session = find_session(args.which.source()).await?;
            let sign_in = SsoSignIn::new(cache);
            sign_in.sign_out(&session)?;
            Ok(sign_in.status(&session))
        }
    }
}

async fn login(
    sign_in: &SsoSignIn,
    session: &SsoSession,
    args: &LoginArgs,
) -> Result<TokenStatus, AppError> {
    if sign_in.status(session) == TokenStatus::Refreshable {
        match sign_in.refresh(session).await {
            Ok(status) => return Ok(status),
            Err(err) => eprintln!("unyo: {}; signing in through the browser", err.message),
        }
    }
    let authorization = sign_in.start(session).await?;
    // With --json, stdout carries only the final document; the instructions go to stderr.
    let instructions = instructions(session, &authorization);
    if args.session.json {
        eprintln!("{instructions}");
    } else {
        println!("{instructions}");
    }
    if !args.no_browser {
        if let Err(e) = open::that_detached(&authorization.verification_uri_complete) {
            eprintln!("unyo: cannot open a browser ({e}); open the URL above yourself");
        }
    }
    sign_in.finish(session).await
}

impl Which {
    fn source(&self) -> SessionSource<'_> {
        match (&self.sso_session, &self.profile) {
            (Some(name), _) => SessionSource::SsoSession(name),
            // clap requires exactly one of the two.
            (None, profile) => SessionSource::Profile(profile.as_deref().unwrap_or_default()),
        }
    }
}

fn instructions(session: &SsoSession, authorization: &DeviceAuthorization) -> String {
    let name = match &session.name {
        Some(name) => format!("sso-session {name}"),
        None => session.start_url.clone(),
    };
    format!(
        "To sign in to {name}, open this page and check that it shows the code {code}:\n  {url}\nWaiting for approval (the code expires at {expires})…",
        code = authorization.user_code,
        url = authorization.verification_uri_complete,
        expires = authorization.expires_at,
    )
}

fn describe(status: &TokenStatus) -> String {
    match status {
        TokenStatus::SignedIn { expires_at } => {
            format!("Signed in; token valid until {expires_at}")
        }
        TokenStatus::Refreshable => {
            "Token expired; `unyo sso login` renews it without the browser".to_owned()
        }
        TokenStatus::SignedOut => "Signed out".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use clap::error::ErrorKind;

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(subcommand)]
        sso: SsoCommand,
    }

    fn parse(args: &[&str]) -> Result<SsoCommand, ErrorKind> {
        Cli::try_parse_from([&["unyo"], args].concat())
            .map(|cli| cli.sso)
            .map_err(|e| e.kind())
    }

    #[test]
    fn a_session_or_a_profile_names_the_sign_in() {
        let Ok(SsoCommand::Login(login)) = parse(&["login", "--sso-session", "corp"]) else {
            panic!("login did not parse");
        };
        assert_eq!(
            login.session.which.source(),
            SessionSource::SsoSession("corp")
        );
        let Ok(SsoCommand::Status(status)) = parse(&["status", "--profile", "dev", "--json"])
        else {
            panic!("status did not parse");
        };
        assert_eq!(status.which.source(), SessionSource::Profile("dev"));
        assert!(status.json);
    }

    #[test]
    fn exactly_one_of_session_and_profile_is_a_usage_error_otherwise() {
        assert_eq!(
            parse(&["logout"]).unwrap_err(),
            ErrorKind::MissingRequiredArgument
        );
        assert_eq!(
            parse(&["login", "--sso-session", "a", "--profile", "b"]).unwrap_err(),
            ErrorKind::ArgumentConflict
        );
    }

    #[test]
    fn the_instructions_name_the_session_the_url_and_the_code() {
        let authorization = DeviceAuthorization {
            verification_uri: "https://device.sso.eu-west-1.amazonaws.com/".into(),
            verification_uri_complete:
                "https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH".into(),
            user_code: "ABCD-EFGH".into(),
            expires_at: "2027-01-15T08:10:00Z".into(),
        };
        let text = instructions(
            &SsoSession::named("corp", "https://x.awsapps.com/start", "eu-west-1"),
            &authorization,
        );
        for part in [
            "sso-session corp",
            "ABCD-EFGH",
            "https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH",
            "2027-01-15T08:10:00Z",
        ] {
            assert!(text.contains(part), "{part} missing from {text}");
        }
    }

    #[test]
    fn a_signed_in_status_says_until_when() {
        let status = TokenStatus::SignedIn {
            expires_at: "2027-01-15T16:00:00Z".into(),
        };
        assert_eq!(
            describe(&status),
            "Signed in; token valid until 2027-01-15T16:00:00Z"
        );
    }
}
