//! AWS-RestartEC2Instance: stop, then start. On the practice host a start is a boot: every
//! service enabled at boot starts fresh (sshd only with a valid config), the rest stay down.

use std::collections::BTreeMap;

use unyo_core::{AppError, Instance};

use super::{Effect, PlannedStep};
use crate::host::Host;

pub const NAME: &str = "AWS-RestartEC2Instance";

type Plan = (Vec<PlannedStep>, Vec<(&'static str, &'static str)>);

pub fn plan(instance: &Instance) -> Result<Plan, AppError> {
    let _ = instance;
    Ok((
        vec![
            PlannedStep::ok("stopInstances", "aws:changeInstanceState", 25)
                .output("CurrentState", "stopped"),
            PlannedStep::ok("startInstances", "aws:changeInstanceState", 35)
                .output("CurrentState", "running")
                .effect(Effect::Reboot),
        ],
        Vec::new(),
    ))
}

pub fn reboot(host: &mut Host) {
    let now = host.now.clone();
    let config_ok = host.sshd_config_errors().is_empty();
    let configs: BTreeMap<String, Option<String>> = host
        .services
        .iter()
        .map(|(name, s)| {
            let content = s
                .config_path
                .as_ref()
                .and_then(|p| host.files.get(p))
                .map(|f| f.content.clone());
            (name.clone(), content)
        })
        .collect();
    for (name, service) in &mut host.services {
        let starts = service.enabled && (name != "sshd" || config_ok);
        service.active = starts;
        service.since = format!("Sat {now} UTC");
        if starts {
            service.cpu = service.cpu_on_start;
            service.loaded_config = configs.get(name).cloned().flatten();
            service.journal.push(format!(
                "{now}\tStarted {name}.service - {}.",
                service.description
            ));
        }
    }
}
