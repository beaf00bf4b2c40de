//! Where an assume-role profile's credentials come from: its `source_profile` chain, checked
//! the way the AWS SDK will walk it, so a broken chain is explained before any call fails.

use std::collections::{BTreeMap, BTreeSet};

use super::{Facts, ProfileSummary};

/// Fills `chain` and `problem` for every profile. `facts` holds every profile by name.
pub(super) fn resolve(profiles: &mut [ProfileSummary], facts: &BTreeMap<String, Facts>) {
    for profile in profiles.iter_mut() {
        match walk(&profile.name, facts) {
            Ok(chain) => profile.chain = chain,
            Err(Broken { chain, problem }) => {
                profile.chain = chain;
                profile.problem = Some(problem);
            }
        }
    }
}

#[derive(Debug)]
struct Broken {
    chain: Vec<String>,
    problem: String,
}

/// The names the SDK visits after `start`, ending where the credentials come from.
fn walk(start: &str, facts: &BTreeMap<String, Facts>) -> Result<Vec<String>, Broken> {
    let mut chain = Vec::new();
    let mut seen = BTreeSet::from([start.to_owned()]);
    let mut name = start.to_owned();
    loop {
        let Some(current) = facts.get(&name) else {
            return Err(Broken {
                problem: format!(
                    "source_profile `{name}` is not defined in the config or credentials file"
                ),
                chain,
            });
        };
        if current.role_arn.is_none() {
            return Ok(chain);
        }
        match (&current.source_profile, &current.credential_source) {
            (Some(_), Some(_)) => {
                return Err(Broken {
                    problem: format!(
                        "profile `{name}` sets both source_profile and credential_source; keep one"
                    ),
                    chain,
                });
            }
            (None, Some(source)) => {
                chain.push(source.clone());
                return Ok(chain);
            }
            (None, None) => {
                return Err(Broken {
                    problem: format!(
                        "profile `{name}` has role_arn but neither source_profile nor credential_source, so nothing can assume the role"
                    ),
                    chain,
                });
            }
            (Some(source), None) => {
                // A role profile may name itself as the source of its own static keys.
                if *source == name && current.static_keys {
                    chain.push(source.clone());
                    return Ok(chain);
                }
                chain.push(source.clone());
                if !seen.insert(source.clone()) {
                    return Err(Broken {
                        problem: format!(
                            "source_profile loops back to `{source}`: {start} → {}",
                            chain.join(" → ")
                        ),
                        chain,
                    });
                }
                name = source.clone();
            }
        }
    }
}
