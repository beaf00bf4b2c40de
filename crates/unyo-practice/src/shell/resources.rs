//! What runs and what it uses: `ps`, `ss`, `df` and `free`, over the host's services and
//! resources, in the output formats scripts (verification probes among them) read.

use super::system::pid_of;
use super::{Context, Output, User};

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
