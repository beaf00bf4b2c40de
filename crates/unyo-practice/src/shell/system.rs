//! System commands: `systemctl`, `journalctl`, `ps`, `ss`, `df`, `free` and `sshd -t`, over
//! the host's services, with the output formats and exit statuses scripts (verification
//! probes among them) read. Starting sshd runs the same config check as `sshd -t`, so a broken
//! `sshd_config` keeps it down, as on a real machine.

use super::{Context, Output, User};
use crate::host::{Service, short_time};

/// `sshd` or `sshd.service` as the unit name systemd knows.
fn unit_name(arg: &str) -> &str {
    arg.strip_suffix(".service").unwrap_or(arg)
}

/// A stable, made-up PID per service, so transcripts do not change between runs.
fn pid_of(name: &str) -> u32 {
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

/// The name `ps -o comm` shows for a command line: its program's file name, cut to the
/// kernel's 15 characters (`amazon-ssm-agen`).
fn comm(command: &str) -> String {
    let program = command.split_whitespace().next().unwrap_or_default();
    let program = program.trim_end_matches(':');
    let name = program.rsplit('/').next().unwrap_or(program);
    name.chars().take(15).collect()
}

/// `ps aux` (the default), or `ps -eo comm` / `ps -e -o comm`: one process name a line
/// under a `COMMAND` header.
pub fn ps(ctx: &Context<'_>, args: &[&str]) -> Output {
    let mut columns = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let flags = arg.trim_start_matches('-');
        if arg.starts_with('-') && flags.ends_with('o') {
            columns = iter.next().copied();
        } else if let Some(list) = arg
            .strip_prefix("-o")
            .or_else(|| arg.strip_prefix("--format="))
        {
            columns = Some(list);
        }
    }
    let running = ctx.host.services.iter().filter(|(_, s)| s.active);
    match columns {
        None => {}
        Some("comm" | "comm=" | "ucomm") => {
            let header = if columns == Some("comm=") {
                ""
            } else {
                "COMMAND\n"
            };
            let mut text = format!("{header}systemd\n");
            for (_, service) in running {
                text.push_str(&comm(&service.command));
                text.push('\n');
            }
            text.push_str("sh\nps\n");
            return Output::ok(text);
        }
        Some(other) => {
            return Output::fail(
                1,
                format!("error: the practice shell's ps shows -o comm only, not {other}\n"),
            );
        }
    }
    let mut text = String::from(
        "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n",
    );
    text.push_str("root           1  0.0  0.4 105784 16340 ?        Ss   Nov20   0:04 /usr/lib/systemd/systemd --switched-root --system\n");
    for (name, service) in running {
        text.push_str(&format!(
            "root        {:>4} {:>4.1}  0.3  16148  9868 ?        Ss   Nov20   0:00 {}\n",
            pid_of(name),
            service.cpu,
            service.command
        ));
    }
    text.push_str("ssm-user    2051  0.0  0.0   8264  3720 pts/0    Ss   10:04   0:00 sh\n");
    text.push_str("ssm-user    2077  0.0  0.0  10084  3328 pts/0    R+   10:04   0:00 ps aux\n");
    Output::ok(text)
}

/// The listening TCP sockets (`ss -tln`, `-tlnp`): each running service's ports, on IPv4
/// and IPv6; the process column is filled with `-p`, and for root only, as ss does.
pub fn ss(ctx: &Context<'_>, args: &[&str]) -> Output {
    let processes =
        ctx.user == User::Root && args.iter().any(|a| a.starts_with('-') && a.contains('p'));
    let mut text =
        String::from("State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n");
    for (name, service) in ctx.host.services.iter().filter(|(_, s)| s.active) {
        let process = if processes {
            format!("users:((\"{name}\",pid={},fd=3))", pid_of(name))
        } else {
            String::new()
        };
        for port in &service.ports {
            text.push_str(&format!(
                "LISTEN 0      128          0.0.0.0:{port:<5}      0.0.0.0:*     {process}\n"
            ));
        }
        for port in &service.ports {
            text.push_str(&format!(
                "LISTEN 0      128             [::]:{port:<5}         [::]:*     {process}\n"
            ));
        }
    }
    Output::ok(text)
}

fn gib(mib: u64) -> String {
    format!("{:.1}G", mib as f64 / 1024.0)
}

/// `df`, `df -h` (the default here) or `df -P` / `-k` (POSIX: 1024-byte blocks and a
/// Capacity column), for every file system or for those holding the named paths.
pub fn df(ctx: &Context<'_>, args: &[&str]) -> Output {
    let h = &ctx.host;
    let posix = args
        .iter()
        .any(|a| a.starts_with('-') && (a.contains('P') || a.contains('k')) && !a.contains('h'));
    let paths: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    let avail = h.disk_size_mib.saturating_sub(h.disk_used_mib);
    // df rounds the use up, so a disk is never shown emptier than it is.
    let percent = (h.disk_used_mib * 100).div_ceil(h.disk_size_mib.max(1));
    let root = if posix {
        format!(
            "/dev/nvme0n1p1 {:>11} {:>8} {:>9} {:>7}% /\n",
            h.disk_size_mib * 1024,
            h.disk_used_mib * 1024,
            avail * 1024,
            percent
        )
    } else {
        format!(
            "/dev/nvme0n1p1 {:>7} {:>5} {:>5} {:>3}% /\n",
            gib(h.disk_size_mib),
            gib(h.disk_used_mib),
            gib(avail),
            percent
        )
    };
    let shm = if posix {
        "tmpfs              1996796        0   1996796       0% /dev/shm\n"
    } else {
        "tmpfs             1.9G     0  1.9G   0% /dev/shm\n"
    };
    let mut text = String::from(if posix {
        "Filesystem     1024-blocks     Used Available Capacity Mounted on\n"
    } else {
        "Filesystem        Size  Used Avail Use% Mounted on\n"
    });
    if paths.is_empty() {
        text.push_str(&root);
        text.push_str(shm);
        return Output::ok(text);
    }
    let mut status = 0;
    let mut errors = String::new();
    for path in paths {
        let full = super::files::absolute(ctx.cwd, path);
        let exists = h.files.contains_key(&full)
            || h.is_dir(&full)
            || ["/dev", "/dev/shm", "/tmp", "/home", "/root", "/proc"].contains(&full.as_str());
        if !exists {
            errors.push_str(&format!("df: {path}: No such file or directory\n"));
            status = 1;
        } else if full == "/dev/shm" || full.starts_with("/dev/shm/") {
            text.push_str(shm);
        } else {
            text.push_str(&root);
        }
    }
    if text.lines().count() == 1 {
        // Nothing to show: df prints only its complaints.
        text.clear();
    }
    Output {
        text: errors + &text,
        status,
    }
}

pub fn free(ctx: &Context<'_>) -> Output {
    let h = &ctx.host;
    let cache = 490;
    let free = h.memory_total_mib.saturating_sub(h.memory_used_mib + cache);
    Output::ok(format!(
        "               total        used        free      shared  buff/cache   available\nMem:     {:>11} {:>11} {:>11} {:>11} {:>11} {:>11}\nSwap:              0           0           0\n",
        h.memory_total_mib,
        h.memory_used_mib,
        free,
        0,
        cache,
        free + cache
    ))
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
