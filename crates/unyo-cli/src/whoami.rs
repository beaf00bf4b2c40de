//! `unyo whoami`: which account and identity a profile's credentials belong to (STS
//! GetCallerIdentity), for any profile the app can use. A role with an MFA device asks for
//! the code on the terminal once; the session it opens is kept in the keychain.

use std::io::{BufRead, IsTerminal, Write};

use clap::Args;
use unyo_aws::identity::CallerIdentity;
use unyo_aws::profiles::ProfileResolver;
use unyo_core::{AppError, ErrorCode};

use crate::exit::Exit;
use crate::{output, resolver};

#[derive(Debug, Args)]
pub struct WhoamiArgs {
    /// The profile to use; AWS_PROFILE or `default` when omitted.
    #[arg(long)]
    profile: Option<String>,
    /// The region to call STS in; the profile's region when omitted.
    #[arg(long)]
    region: Option<String>,
    /// Send the call to this endpoint instead of AWS (a local emulator).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// The code from the role's MFA device, for scripts (a terminal is asked instead).
    #[arg(long, value_name = "CODE")]
    mfa_code: Option<String>,
    /// One JSON document on stdout: the identity or `{error}`.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &WhoamiArgs) -> Exit {
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
    let result = resolver::open(args.endpoint_url.clone())
        .and_then(|profiles| runtime.block_on(identify(&profiles, args)));
    match result {
        Ok(identity) if args.json => output::json(&identity),
        Ok(identity) => {
            print(&identity);
            Exit::Ok
        }
        Err(err) => output::error(&err, args.json),
    }
}

async fn identify(
    profiles: &ProfileResolver,
    args: &WhoamiArgs,
) -> Result<CallerIdentity, AppError> {
    let name = args
        .profile
        .clone()
        .or_else(|| profiles.list().default_profile)
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::CredentialsInvalid,
                "no profile given, AWS_PROFILE is not set and there is no `default` profile",
            )
        })?;
    let region = args.region.as_deref();
    if let Some(code) = &args.mfa_code {
        profiles.submit_mfa_code(&name, code).await?;
    }
    // A terminal gets three tries at the code; a script gets MfaRequired.
    let interactive = !args.json && std::io::stdin().is_terminal();
    let mut tries = 0;
    loop {
        match profiles.whoami(&name, region).await {
            Err(err) if err.code == ErrorCode::MfaRequired && interactive && tries < 3 => {
                tries += 1;
                eprintln!("{}", err.message);
                let code = ask("MFA code: ")?;
                if let Err(refused) = profiles.submit_mfa_code(&name, &code).await {
                    if refused.code != ErrorCode::MfaRequired {
                        return Err(refused);
                    }
                    eprintln!("{}", refused.message);
                }
            }
            other => return other,
        }
    }
}

fn ask(prompt: &str) -> Result<String, AppError> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("cannot read the code: {e}")))?;
    Ok(line.trim().to_owned())
}

fn print(identity: &CallerIdentity) {
    println!("Profile  {}", identity.profile);
    println!("Account  {}", identity.account);
    println!("ARN      {}", identity.arn);
    println!("User ID  {}", identity.user_id);
}
