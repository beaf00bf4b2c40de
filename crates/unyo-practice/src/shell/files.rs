//! File commands: `ls`, `cat`, `stat`, `chmod`, `tail`, `head`, `grep`, with the permission
//! checks and error messages of their GNU versions.

use super::{Context, Output, User};
use crate::host::{File, short_time};

/// Resolves `path` against `cwd`, folding `.` and `..`.
pub fn absolute(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

fn may_read(file: &File, user: User) -> bool {
    user == User::Root || file.mode & 0o004 != 0
}

/// The file at `path`, or why it cannot be read, in the words of `strerror`.
fn readable<'a>(ctx: &'a Context<'_>, path: &str) -> Result<&'a File, &'static str> {
    let full = absolute(ctx.cwd, path);
    match ctx.host.files.get(&full) {
        Some(file) if may_read(file, ctx.user) => Ok(file),
        Some(_) => Err("Permission denied"),
        None if ctx.host.is_dir(&full) => Err("Is a directory"),
        None => Err("No such file or directory"),
    }
}

pub fn mode_string(mode: u32, dir: bool) -> String {
    let mut text = String::from(if dir { "d" } else { "-" });
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 0o7;
        text.push(if bits & 4 != 0 { 'r' } else { '-' });
        text.push(if bits & 2 != 0 { 'w' } else { '-' });
        text.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    text
}

pub fn ls(ctx: &Context<'_>, args: &[&str]) -> Output {
    let long = args.iter().any(|a| a.starts_with('-') && a.contains('l'));
    let human = args.iter().any(|a| a.starts_with('-') && a.contains('h'));
    let paths: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    let target = absolute(ctx.cwd, paths.first().copied().unwrap_or("."));
    let line = |name: &str, file: Option<&File>| {
        if !long {
            return format!("{name}\n");
        }
        match file {
            Some(f) => format!(
                "{} 1 {} root {:>5} {} {name}\n",
                mode_string(f.mode, false),
                f.owner,
                if human {
                    super::edit::human_size(f.size())
                } else {
                    f.size().to_string()
                },
                short_time(&f.modified)
            ),
            None => format!(
                "{} 2 root root  4096 Nov 20 03:12 {name}\n",
                mode_string(0o755, true)
            ),
        }
    };
    if let Some(file) = ctx.host.files.get(&target) {
        return Output::ok(line(paths.first().copied().unwrap_or(&target), Some(file)));
    }
    if !ctx.host.is_dir(&target) {
        let shown = paths.first().copied().unwrap_or(".");
        return Output::fail(
            2,
            format!("ls: cannot access '{shown}': No such file or directory\n"),
        );
    }
    let prefix = if target == "/" {
        "/".to_owned()
    } else {
        format!("{target}/")
    };
    let mut entries: Vec<(String, Option<&File>)> = Vec::new();
    for (path, file) in &ctx.host.files {
        let Some(rest) = path.strip_prefix(&prefix) else {
            continue;
        };
        match rest.split_once('/') {
            None => entries.push((rest.to_owned(), Some(file))),
            Some((dir, _)) if !entries.iter().any(|(n, _)| n == dir) => {
                entries.push((dir.to_owned(), None))
            }
            Some(_) => {}
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut text = if long {
        format!("total {}\n", entries.len() * 4)
    } else {
        String::new()
    };
    for (name, file) in entries {
        text.push_str(&line(&name, file));
    }
    Output::ok(text)
}

pub fn cat(ctx: &Context<'_>, args: &[&str]) -> Output {
    let mut out = Output::ok("");
    for path in args {
        match readable(ctx, path) {
            Ok(file) => out.text.push_str(&file.content),
            Err(reason) => {
                out.text.push_str(&format!("cat: {path}: {reason}\n"));
                out.status = 1;
            }
        }
    }
    out
}

/// `stat PATH...`, or `stat -c FORMAT PATH...` with GNU's `%U` (owner), `%G` (group), `%a`
/// (octal mode), `%A` (mode as `ls` shows it), `%s` (size), `%n` (name), `%y` (modified)
/// and `%%`. Directories are root's, mode 755, as the practice image has them.
pub fn stat(ctx: &Context<'_>, args: &[&str]) -> Output {
    let mut format = None;
    let mut paths = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if *arg == "-c" || *arg == "--format" {
            match iter.next() {
                Some(f) => format = Some(*f),
                None => return Output::fail(1, "stat: option requires an argument -- 'c'\n"),
            }
        } else if let Some(f) = arg
            .strip_prefix("--format=")
            .or_else(|| arg.strip_prefix("-c"))
        {
            format = Some(f);
        } else {
            paths.push(*arg);
        }
    }
    if paths.is_empty() {
        return Output::fail(1, "stat: missing operand\n");
    }
    let mut out = Output::ok("");
    for path in paths {
        let full = absolute(ctx.cwd, path);
        let file = ctx.host.files.get(&full);
        if file.is_none() && !ctx.host.is_dir(&full) {
            out.text.push_str(&format!(
                "stat: cannot statx '{path}': No such file or directory\n"
            ));
            out.status = 1;
            continue;
        }
        out.text.push_str(&match (format, file) {
            (Some(format), _) => formatted(format, path, file),
            (None, Some(file)) => format!(
                "  File: {path}\n  Size: {:<10}\tBlocks: 8          IO Block: 4096   regular file\n\
                 Access: ({:04o}/{})  Uid: (    0/    {})   Gid: (    0/    root)\n\
                 Modify: {}:00.000000000 +0000\n",
                file.size(),
                file.mode,
                mode_string(file.mode, false),
                file.owner,
                file.modified
            ),
            (None, None) => format!(
                "  File: {path}\n  Size: 4096      \tBlocks: 8          IO Block: 4096   directory\n\
                 Access: (0755/{})  Uid: (    0/    root)   Gid: (    0/    root)\n\
                 Modify: 2026-11-20 03:12:00.000000000 +0000\n",
                mode_string(0o755, true)
            ),
        });
    }
    out
}

/// One line of `stat -c FORMAT` for a file, or for a directory when `file` is `None`.
fn formatted(format: &str, path: &str, file: Option<&File>) -> String {
    let (mode, owner, size, modified) = match file {
        Some(f) => (f.mode, f.owner.as_str(), f.size(), f.modified.as_str()),
        None => (0o755, "root", 4096, "2026-11-20 03:12"),
    };
    let mut text = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('U') => text.push_str(owner),
            Some('G') => text.push_str("root"),
            Some('a') => text.push_str(&format!("{mode:o}")),
            Some('A') => text.push_str(&mode_string(mode, file.is_none())),
            Some('s') => text.push_str(&size.to_string()),
            Some('n') => text.push_str(path),
            Some('y') => text.push_str(&format!("{modified}:00.000000000 +0000")),
            Some('%') => text.push('%'),
            // GNU stat prints an unknown directive as it was written.
            Some(other) => {
                text.push('%');
                text.push(other);
            }
            None => text.push('%'),
        }
    }
    text.push('\n');
    text
}

pub fn chmod(ctx: &mut Context<'_>, args: &[&str]) -> Output {
    let [mode, path] = args else {
        return Output::fail(
            1,
            "chmod: usage: chmod MODE FILE (octal modes such as 600)\n",
        );
    };
    let Ok(bits) = u32::from_str_radix(mode, 8) else {
        return Output::fail(1, format!("chmod: invalid mode: '{mode}'\n"));
    };
    let full = absolute(ctx.cwd, path);
    let user = ctx.user;
    let now = ctx.host.now.get(..16).unwrap_or_default().to_owned();
    match ctx.host.files.get_mut(&full) {
        None => Output::fail(
            1,
            format!("chmod: cannot access '{path}': No such file or directory\n"),
        ),
        Some(file) if user != User::Root && file.owner == "root" => Output::fail(
            1,
            format!("chmod: changing permissions of '{path}': Operation not permitted\n"),
        ),
        Some(file) => {
            file.mode = bits & 0o7777;
            file.modified = now;
            Output::ok("")
        }
    }
}

/// Text from the named file, or from the pipe when no file is named.
fn input<'a>(ctx: &'a Context<'_>, path: Option<&str>) -> Result<&'a str, &'static str> {
    match path {
        Some(path) => readable(ctx, path).map(|f| f.content.as_str()),
        None => Ok(ctx.stdin.unwrap_or_default()),
    }
}

/// How `head` and `tail` report a file they cannot read.
fn cannot_open(tool: &str, path: Option<&str>, reason: &str) -> Output {
    let path = path.unwrap_or("-");
    Output::fail(
        1,
        format!("{tool}: cannot open '{path}' for reading: {reason}\n"),
    )
}

/// `-n N` / `-nN` / `-N`, and the first non-option argument.
fn count_and_path<'a>(args: &[&'a str], default: usize) -> (usize, Option<&'a str>) {
    let (mut count, mut path) = (default, None);
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if *arg == "-n" {
            count = iter.next().and_then(|n| n.parse().ok()).unwrap_or(default);
        } else if let Some(n) = arg.strip_prefix("-n").or_else(|| arg.strip_prefix('-')) {
            count = n.parse().unwrap_or(default);
        } else {
            path = Some(*arg);
        }
    }
    (count, path)
}

fn lines_output(lines: Vec<&str>) -> Output {
    Output::ok(lines.iter().map(|l| format!("{l}\n")).collect::<String>())
}

pub fn tail(ctx: &Context<'_>, args: &[&str]) -> Output {
    let (count, path) = count_and_path(args, 10);
    match input(ctx, path) {
        Ok(text) => {
            let lines: Vec<&str> = text.lines().collect();
            lines_output(lines[lines.len().saturating_sub(count)..].to_vec())
        }
        Err(reason) => cannot_open("tail", path, reason),
    }
}

pub fn head(ctx: &Context<'_>, args: &[&str]) -> Output {
    let (count, path) = count_and_path(args, 10);
    match input(ctx, path) {
        Ok(text) => lines_output(text.lines().take(count).collect()),
        Err(reason) => cannot_open("head", path, reason),
    }
}

pub fn grep(ctx: &Context<'_>, args: &[&str]) -> Output {
    let ignore_case = args.iter().any(|a| a.starts_with('-') && a.contains('i'));
    let invert = args.iter().any(|a| a.starts_with('-') && a.contains('v'));
    let operands: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    let Some((pattern, rest)) = operands.split_first() else {
        return Output::fail(2, "Usage: grep [OPTION]... PATTERNS [FILE]...\n");
    };
    let file = rest.first().copied();
    let text = match input(ctx, file) {
        Ok(text) => text,
        Err(reason) => {
            return Output::fail(2, format!("grep: {}: {reason}\n", file.unwrap_or("-")));
        }
    };
    let needle = if ignore_case {
        pattern.to_lowercase()
    } else {
        (*pattern).to_owned()
    };
    let matched: Vec<&str> = text
        .lines()
        .filter(|line| {
            let hay = if ignore_case {
                line.to_lowercase()
            } else {
                (*line).to_owned()
            };
            hay.contains(&needle) != invert
        })
        .collect();
    if matched.is_empty() {
        Output::fail(1, "")
    } else {
        lines_output(matched)
    }
}
