//! `unyo whoami`: which account and identity a profile's credentials belong to (STS
//! GetCallerIdentity), resolved by the AWS SDK exactly as the AWS CLI resolves it.

use clap::Args;
use unyo_aws::ConfigRequest;
use unyo_aws::identity::{CallerIdentity, whoami};

use crate::exit::Exit;
use crate::output;

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
    /// One JSON document on stdout: the identity or `{error}`.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &WhoamiArgs) -> Exit {
    let request = ConfigRequest {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
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
    match runtime.block_on(whoami(&request)) {
        Ok(identity) if args.json => output::json(&identity),
        Ok(identity) => {
            print(&identity);
            Exit::Ok
        }
        Err(err) => output::error(&err, args.json),
    }
}

fn print(identity: &CallerIdentity) {
    println!("Profile  {}", identity.profile);
    println!("Account  {}", identity.account);
    println!("ARN      {}", identity.arn);
    println!("User ID  {}", identity.user_id);
}
