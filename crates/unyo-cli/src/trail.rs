//! `unyo trail`: what changed, from CloudTrail's event history: management events of the
//! account's regions in the last `--since`, changes only unless `--all`, newest first.

use clap::Args;
use unyo_core::trail::{LookupAttribute, TrailEvent, TrailLookup, TrailQuery};

use crate::account;
use crate::exit::Exit;
use crate::reads::{self, ReadArgs};

/// LookupEvents pages 50 at a time; a few pages is what an incident's hours hold.
const MAX_EVENTS: u32 = 200;

#[derive(Debug, Args)]
pub struct TrailArgs {
    #[command(flatten)]
    read: ReadArgs,
    /// How far back to look: 30m, 1h, 2d.
    #[arg(long, default_value = "1h")]
    since: String,
    /// Only calls made by this IAM user, role session or service.
    #[arg(long, value_name = "USER")]
    user: Option<String>,
    /// Only this API call, e.g. RevokeSecurityGroupEgress.
    #[arg(long, value_name = "EVENT")]
    event: Option<String>,
    /// Only events about this resource (an instance id, a group id, a name).
    #[arg(long, value_name = "RESOURCE")]
    resource: Option<String>,
    /// Include reads (Describe*, Get*, List*), not only changes.
    #[arg(long)]
    all: bool,
}

impl TrailArgs {
    /// Every filter asked for. LookupEvents takes one; the rest are applied to its answer.
    fn lookups(&self) -> Vec<TrailLookup> {
        let named = [
            (LookupAttribute::Username, &self.user),
            (LookupAttribute::EventName, &self.event),
            (LookupAttribute::ResourceName, &self.resource),
        ];
        let mut lookups: Vec<TrailLookup> = named
            .into_iter()
            .filter_map(|(attribute, value)| {
                value.as_ref().map(|value| TrailLookup {
                    attribute,
                    value: value.clone(),
                })
            })
            .collect();
        if !self.all {
            lookups.push(TrailLookup {
                attribute: LookupAttribute::ReadOnly,
                value: "false".into(),
            });
        }
        lookups
    }
}

pub fn run(args: &TrailArgs) -> Exit {
    reads::run(&args.read, || async {
        let cloud = account::open(&args.read.account).await?;
        // Said before any region is asked, as one error rather than one per region.
        cloud.require_trail()?;
        let (start, end) = reads::window(cloud.as_ref(), &args.since)?;
        let lookups = args.lookups();
        let queries: Vec<TrailQuery> = account::regions(cloud.as_ref(), &args.read.account)
            .into_iter()
            .map(|region| TrailQuery {
                region,
                start: start.clone(),
                end: end.clone(),
                lookup: lookups.first().cloned(),
                max_results: Some(MAX_EVENTS),
            })
            .collect();
        args.read.explain(queries.iter().map(TrailQuery::cli));
        let regions: Vec<String> = queries.iter().map(|q| q.region.clone()).collect();
        let mut gathered = reads::each_region(&cloud, &regions, |cloud, region| {
            let query = queries.iter().find(|q| q.region == region).cloned();
            async move {
                match query {
                    Some(query) => cloud.require_trail()?.lookup_trail_events(&query).await,
                    None => Ok(Vec::new()),
                }
            }
        })
        .await;
        gathered
            .items
            .retain(|e| lookups.iter().all(|lookup| e.matches(lookup)));
        // Newest first across regions, as each region already is.
        gathered
            .items
            .sort_by(|a, b| b.event_time.cmp(&a.event_time));
        Ok(gathered.finish("events", args.read.json, print_table))
    })
}

fn print_table(events: &[TrailEvent]) {
    let mut table = reads::table(&["TIME", "EVENT", "USER", "SOURCE", "RESOURCES"]);
    for e in events {
        let resources: Vec<&str> = e
            .resources
            .iter()
            .map(|r| r.resource_name.as_str())
            .collect();
        table.add_row([
            e.event_time.clone(),
            e.event_name.clone(),
            e.username.clone(),
            e.event_source.clone(),
            resources.join(", "),
        ]);
    }
    println!("{table}");
    println!("{} events", events.len());
}
