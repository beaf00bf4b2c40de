//! System commands: `systemctl`, `journalctl` and `sshd -t`, over the host's services. Starting sshd runs the same config check as `sshd -t`, so a broken
//! `sshd_config` keeps it down, as on a real machine.

use super::{Context, Output, User};
use crate::host::{Service, short_time};

/// `sshd` or `sshd.service` as the unit name systemd knows.
fn unit_name(arg: &str) -> &str {
    arg.strip_suffix(".service").unwrap_or(arg)
}

/// A stable, made-up PID per service, so transcripts do not change between runs.
pub(super) fn pid_of(name: &str) -> u32 {
    1000 + name.bytes().map(u32::from).sum::<u32>() % 900
}

pub fn systemctl(ctx: &mut Context<'_>, args: &[&str]) -> Output {
    let verbs: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    let (verb, units) = match verbs.split_first() {
        Some((verb, units)) => (*verb, units),
        None => {
            return Output::fail(
                1,
                "systemctl: the practice shell supports status, start, stop, restart, reload, enable, disable, is-active, is-enabled\n",
            );
        }
    };
    let Some(&unit_arg) = units.first() else {
        return Output::fail(
            1,
            format!("Too few arguments.\n(systemctl {verb} needs a unit, e.g. sshd)\n"),
        );
    };
    let unit = unit_name(unit_arg).to_owned();
    // `enable --now` also starts, `disable --now` also stops.
    let now_too = args.contains(&"--now") && matches!(verb, "enable" | "disable");
    if !ctx.host.services.contains_key(&unit) {
        return match verb {
            "is-active" => Output::fail(4, "inactive\n"),
            "is-enabled" => Output::fail(
                1,
                format!(
                    "Failed to get unit file state for {unit}.service: No such file or directory\n"
                ),
            ),
            "status" => Output::fail(4, format!("Unit {unit}.service could not be found.\n")),
            _ => Output::fail(
                5,
                format!("Failed to {verb} {unit}.service: Unit {unit}.service not found.\n"),
            ),
        };
    }
    match verb {
        "status" => status(ctx, &unit),
        "is-active" => match ctx.host.services.get(&unit) {
            Some(s) if s.active => Output::ok("active\n"),
            _ => Output::fail(3, "inactive\n"),
        },
        "start" | "stop" | "restart" | "reload" | "enable" | "disable"
            if ctx.user != User::Root =>
        {
            Output::fail(
                1,
                format!(
                    "Failed to {verb} {unit}.service: Interactive authentication required.\nSee system logs and 'systemctl status {unit}.service' for details.\n"
                ),
            )
        }
        "stop" => {
            set_state(ctx, &unit, false, "Stopped");
            Output::ok("")
        }
        "is-enabled" => match ctx.host.services.get(&unit) {
            Some(s) if s.enabled => Output::ok("enabled\n"),
            _ => Output::fail(1, "disabled\n"),
        },
        "enable" => {
            set_enabled(ctx, &unit, true);
            let text = format!(
                "Created symlink /etc/systemd/system/multi-user.target.wants/{unit}.service → /usr/lib/systemd/system/{unit}.service.\n"
            );
            if now_too {
                let started = start(ctx, &unit);
                return Output {
                    text: text + &started.text,
                    status: started.status,
                };
            }
            Output::ok(text)
        }
        "disable" => {
            set_enabled(ctx, &unit, false);
            if now_too {
                set_state(ctx, &unit, false, "Stopped");
            }
            Output::ok(disabled_text(&unit))
        }
        "start" | "restart" => start(ctx, &unit),
        "reload" => reload(ctx, &unit),
        other => Output::fail(1, format!("Unknown command verb '{other}'.\n")),
    }
}

fn set_enabled(ctx: &mut Context<'_>, unit: &str, enabled: bool) {
    if let Some(service) = ctx.host.services.get_mut(unit) {
        service.enabled = enabled;
    }
}

fn disabled_text(unit: &str) -> String {
    format!("Removed \"/etc/systemd/system/multi-user.target.wants/{unit}.service\".\n")
}

fn set_state(ctx: &mut Context<'_>, unit: &str, active: bool, verb: &str) {
    let now = ctx.host.now.clone();
    let config = ctx
        .host
        .services
        .get(unit)
        .and_then(|s| s.config_path.as_ref())
        .and_then(|path| ctx.host.files.get(path))
        .map(|f| f.content.clone());
    if let Some(service) = ctx.host.services.get_mut(unit) {
        let line = format!("{verb} {unit}.service - {}.", service.description);
        if active {
            // A fresh process: whatever the old one was stuck in is gone, and it read its
            // config file as it is now.
            service.cpu = service.cpu_on_start;
            service.loaded_config = config;
        }
        service.active = active;
        service.since = format!("Sat {now} UTC");
        service.journal.push(format!("{now}\t{line}"));
    }
}

fn start(ctx: &mut Context<'_>, unit: &str) -> Output {
    let errors = if unit == "sshd" {
        ctx.host.sshd_config_errors()
    } else {
        Vec::new()
    };
    if errors.is_empty() {
        set_state(ctx, unit, true, "Started");
        return Output::ok("");
    }
    let now = ctx.host.now.clone();
    if let Some(service) = ctx.host.services.get_mut(unit) {
        service.active = false;
        service.since = format!("Sat {now} UTC");
        let mut lines = errors;
        lines.push(format!(
            "{unit}.service: Main process exited, code=exited, status=255/EXCEPTION"
        ));
        lines.push(format!(
            "Failed to start {unit}.service - {}.",
            service.description
        ));
        service
            .journal
            .extend(lines.into_iter().map(|l| format!("{now}\t{l}")));
    }
    Output::fail(
        1,
        format!(
            "Job for {unit}.service failed because the control process exited with error code.\nSee \"systemctl status {unit}.service\" and \"journalctl -xeu {unit}.service\" for details.\n"
        ),
    )
}

/// `systemctl reload`: the service re-reads its config, but its processes keep running,
/// so whatever they were stuck in stays stuck.
fn reload(ctx: &mut Context<'_>, unit: &str) -> Output {
    let now = ctx.host.now.clone();
    let config = ctx
        .host
        .services
        .get(unit)
        .and_then(|s| s.config_path.as_ref())
        .and_then(|path| ctx.host.files.get(path))
        .map(|f| f.content.clone());
    match ctx.host.services.get_mut(unit) {
        Some(service) if service.active => {
            service.loaded_config = config;
            let description = service.description.clone();
            service.journal.push(format!(
                "{now}\tReloading {unit}.service - {description}..."
            ));
            service
                .journal
                .push(format!("{now}\tReloaded {unit}.service - {description}."));
            Output::ok("")
        }
        _ => Output::fail(1, format!("{unit}.service is not active, cannot reload.\n")),
    }
}

fn status(ctx: &Context<'_>, unit: &str) -> Output {
    let Some(service) = ctx.host.services.get(unit) else {
        return Output::fail(4, format!("Unit {unit}.service could not be found.\n"));
    };
    let dot = if service.active { "●" } else { "○" };
    let enabled = if service.enabled {
        "enabled"
    } else {
        "disabled"
    };
    let active = if service.active {
        format!("active (running) since {}", service.since)
    } else {
        format!("inactive (dead) since {}", service.since)
    };
    let mut text = format!(
        "{dot} {unit}.service - {}\n     Loaded: loaded (/usr/lib/systemd/system/{unit}.service; {enabled}; preset: {enabled})\n     Active: {active}\n",
        service.description
    );
    if service.active {
        text.push_str(&format!("   Main PID: {} ({unit})\n", pid_of(unit)));
    }
    // Like systemd, recent log lines only for those allowed to read the journal.
    if ctx.user == User::Root {
        text.push('\n');
        for line in recent(service, 5) {
            text.push_str(&journal_line(ctx, unit, line));
        }
    }
    Output {
        text,
        status: if service.active { 0 } else { 3 },
    }
}

fn recent(service: &Service, count: usize) -> &[String] {
    &service.journal[service.journal.len().saturating_sub(count)..]
}

/// A journal entry is `TIME\tMESSAGE`, or a bare message from before the clock was kept.
fn journal_line(ctx: &Context<'_>, unit: &str, entry: &str) -> String {
    let (at, message) = entry.split_once('\t').unwrap_or((&ctx.host.now, entry));
    let time = short_time(at);
    format!(
        "{time} {} {unit}[{}]: {message}\n",
        ctx.host.hostname,
        pid_of(unit)
    )
}

pub fn journalctl(ctx: &Context<'_>, args: &[&str]) -> Output {
    if ctx.user != User::Root {
        return Output::ok(
            "Hint: You are currently not seeing messages from other users and the system.\n      Users in groups 'adm', 'systemd-journal', 'wheel' can see all messages.\n      Pass -q to turn off this notice.\n-- No entries --\n",
        );
    }
    let mut unit = None;
    let mut count = usize::MAX;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match *arg {
            "-u" => unit = iter.next().map(|u| unit_name(u)),
            "-n" => count = iter.next().and_then(|n| n.parse().ok()).unwrap_or(10),
            other => {
                if let Some(u) = other.strip_prefix("--unit=") {
                    unit = Some(unit_name(u));
                }
            }
        }
    }
    let Some(unit) = unit else {
        return Output::fail(
            1,
            "journalctl: the practice shell shows one unit's log: journalctl -u UNIT [-n N]\n",
        );
    };
    match ctx.host.services.get(unit) {
        None => Output::ok("-- No entries --\n"),
        Some(service) => Output::ok(
            recent(service, count)
                .iter()
                .map(|l| journal_line(ctx, unit, l))
                .collect::<String>(),
        ),
    }
}

pub fn sshd(ctx: &Context<'_>, args: &[&str]) -> Output {
    if args.first() != Some(&"-t") {
        return Output::fail(
            1,
            "sshd: the practice shell supports `sshd -t` (test the configuration)\n",
        );
    }
    if ctx.user != User::Root {
        // As on a real host: an unprivileged sshd cannot read the host keys.
        return Output::fail(1, "sshd: no hostkeys available -- exiting.\n");
    }
    let errors = ctx.host.sshd_config_errors();
    let warnings: String = ctx
        .host
        .sshd_config_warnings()
        .iter()
        .map(|w| format!("{w}\n"))
        .collect();
    if errors.is_empty() {
        Output::ok(warnings)
    } else {
        Output::fail(
            255,
            errors.iter().map(|e| format!("{e}\n")).collect::<String>(),
        )
    }
}
