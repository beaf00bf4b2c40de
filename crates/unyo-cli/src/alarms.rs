//! `unyo alarms`: the CloudWatch alarms of an account's regions, in alarm first, as Triage
//! opens with them. Regions are asked at once; one that fails is reported beside the others.

use clap::{Args, ValueEnum};
use unyo_core::alarms::{Alarm, AlarmQuery, AlarmState};

use crate::account;
use crate::exit::Exit;
use crate::reads::{self, ReadArgs, or_dash};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StateArg {
    #[value(name = "ALARM")]
    Alarm,
    #[value(name = "OK")]
    Ok,
    #[value(name = "INSUFFICIENT_DATA")]
    InsufficientData,
}

impl From<StateArg> for AlarmState {
    fn from(state: StateArg) -> Self {
        match state {
            StateArg::Alarm => Self::Alarm,
            StateArg::Ok => Self::Ok,
            StateArg::InsufficientData => Self::InsufficientData,
        }
    }
}

#[derive(Debug, Args)]
pub struct AlarmsArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// Only alarms in this state.
    #[arg(long, value_enum, ignore_case = true)]
    state: Option<StateArg>,
    /// Only alarms whose name starts with this.
    #[arg(long, value_name = "PREFIX")]
    prefix: Option<String>,
}

pub fn run(args: &AlarmsArgs) -> Exit {
    reads::run(&args.read, || async {
        let cloud = account::open(&args.read.account).await?;
        // Said before any region is asked, as one error rather than one per region.
        cloud.require_metrics()?;
        let queries: Vec<AlarmQuery> = account::regions(cloud.as_ref(), &args.read.account)
            .into_iter()
            .map(|region| AlarmQuery {
                region,
                state: args.state.map(AlarmState::from),
                name_prefix: args.prefix.clone(),
            })
            .collect();
        args.read.explain(queries.iter().map(AlarmQuery::cli));
        let regions: Vec<String> = queries.iter().map(|q| q.region.clone()).collect();
        let gathered = reads::each_region(&cloud, &regions, |cloud, region| {
            let query = queries.iter().find(|q| q.region == region).cloned();
            async move {
                match query {
                    Some(query) => cloud.require_metrics()?.list_alarms(&query).await,
                    None => Ok(Vec::new()),
                }
            }
        })
        .await;
        Ok(gathered.finish("alarms", args.read.json, print_table))
    })
}

fn print_table(alarms: &[Alarm]) {
    let mut table = reads::table(&["NAME", "STATE", "SINCE", "REGION", "INSTANCE", "REASON"]);
    for a in alarms {
        table.add_row([
            a.name.clone(),
            state_name(a.state).to_owned(),
            a.state_updated_at.clone(),
            a.region.clone(),
            or_dash(a.instance_id.as_ref()),
            a.state_reason.clone(),
        ]);
    }
    println!("{table}");
    let firing = alarms
        .iter()
        .filter(|a| a.state == AlarmState::Alarm)
        .count();
    println!("{} alarms, {firing} in ALARM", alarms.len());
}

/// CloudWatch's own names, as the console and the AWS CLI show them.
pub fn state_name(state: AlarmState) -> &'static str {
    match state {
        AlarmState::Alarm => "ALARM",
        AlarmState::Ok => "OK",
        AlarmState::InsufficientData => "INSUFFICIENT_DATA",
    }
}
