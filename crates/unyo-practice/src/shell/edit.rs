//! Commands that change files: `cp`, `rm`, `truncate`, `sed` (substitute and delete, with
//! `-i`), and the ones that compare and measure them: `diff`, `du`. Enough to repair a
//! config file or clear a full disk the way an operator would, without an editor.

use super::files::absolute;
use super::{Context, Output, User};
use crate::host::File;

fn denied(tool: &str, path: &str, what: &str) -> Output {
    Output::fail(1, format!("{tool}: {what} '{path}': Permission denied\n"))
}

fn stamp(ctx: &Context<'_>) -> String {
    ctx.host.now.get(..16).unwrap_or_default().to_owned()
}

pub fn cp(ctx: &mut Context<'_>, args: &[&str]) -> Output {
    let operands: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    let [from, to] = operands.as_slice() else {
        return Output::fail(
            1,
            "cp: the practice shell copies one file: cp SOURCE DEST\n",
        );
    };
    let source = absolute(ctx.cwd, from);
    let Some(file) = ctx.host.files.get(&source).cloned() else {
        return Output::fail(
            1,
            format!("cp: cannot stat '{from}': No such file or directory\n"),
        );
    };
    if ctx.user != User::Root && file.mode & 0o004 == 0 {
        return denied("cp", from, "cannot open");
    }
    let mut dest = absolute(ctx.cwd, to);
    if ctx.host.is_dir(&dest) {
        let name = source.rsplit('/').next().unwrap_or_default();
        dest = format!("{}/{name}", dest.trim_end_matches('/'));
    }
    if ctx.user != User::Root {
        return denied("cp", to, "cannot create regular file");
    }
    let modified = stamp(ctx);
    // Like GNU cp: an existing destination keeps its mode and owner; a new one takes the
    // source's mode.
    let copy = match ctx.host.files.get(&dest) {
        Some(old) => File {
            content: file.content.clone(),
            hidden_bytes: file.hidden_bytes,
            modified,
            ..old.clone()
        },
        None => File {
            modified,
            owner: "root".to_owned(),
            ..file
        },
    };
    ctx.host.files.insert(dest, copy);
    Output::ok("")
}

pub fn rm(ctx: &mut Context<'_>, args: &[&str]) -> Output {
    let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
    let mut out = Output::ok("");
    for path in args.iter().filter(|a| !a.starts_with('-')) {
        let full = absolute(ctx.cwd, path);
        if !ctx.host.files.contains_key(&full) {
            if ctx.host.is_dir(&full) {
                out = Output::fail(1, format!("rm: cannot remove '{path}': Is a directory\n"));
            } else if !force {
                out = Output::fail(
                    1,
                    format!("rm: cannot remove '{path}': No such file or directory\n"),
                );
            }
            continue;
        }
        if ctx.user != User::Root {
            out = denied("rm", path, "cannot remove");
            continue;
        }
        ctx.host.remove_file(&full);
    }
    out
}

pub fn truncate(ctx: &mut Context<'_>, args: &[&str]) -> Output {
    let mut iter = args.iter();
    let mut paths = Vec::new();
    let mut size = None;
    while let Some(arg) = iter.next() {
        match *arg {
            "-s" => size = iter.next().copied(),
            a if a.starts_with("--size=") => size = a.strip_prefix("--size="),
            a => paths.push(a),
        }
    }
    if size != Some("0") || paths.is_empty() {
        return Output::fail(
            1,
            "truncate: the practice shell empties files: truncate -s 0 FILE\n",
        );
    }
    for path in paths {
        let full = absolute(ctx.cwd, path);
        if ctx.user != User::Root {
            return denied("truncate", path, "cannot open");
        }
        let modified = stamp(ctx);
        let Some(file) = ctx.host.files.get_mut(&full) else {
            // GNU truncate creates a missing file.
            ctx.host
                .files
                .insert(full, File::root(0o644, &modified, ""));
            continue;
        };
        let freed = file.size();
        file.content.clear();
        file.hidden_bytes = 0;
        file.modified = modified;
        ctx.host.release(freed);
    }
    Output::ok("")
}

/// One sed script: `s/OLD/NEW/[g]`, `/TEXT/d` (with `^` anchoring at the line's start) or
/// `$a TEXT` (append a line at the end).
enum Edit {
    Substitute { old: String, new: String, all: bool },
    Delete(String),
    Append(String),
}

fn parse_edit(script: &str) -> Option<Edit> {
    if let Some(text) = script.strip_prefix("$a") {
        let text = text.strip_prefix('\\').unwrap_or(text);
        return Some(Edit::Append(text.trim_start().to_owned()));
    }
    if let Some(rest) = script.strip_prefix('s') {
        let sep = rest.chars().next()?;
        let parts: Vec<&str> = rest[sep.len_utf8()..].split(sep).collect();
        let [old, new, flags] = parts.as_slice() else {
            return None;
        };
        return Some(Edit::Substitute {
            old: (*old).to_owned(),
            new: (*new).to_owned(),
            all: flags.contains('g'),
        });
    }
    let body = script.strip_prefix('/')?.strip_suffix("/d")?;
    Some(Edit::Delete(body.to_owned()))
}

fn line_matches(line: &str, pattern: &str) -> Option<usize> {
    match pattern.strip_prefix('^') {
        Some(anchored) => line.starts_with(anchored).then_some(0),
        None => line.find(pattern),
    }
}

fn apply(edit: &Edit, text: &str) -> String {
    let mut out = String::new();
    if let Edit::Append(line) = edit {
        out.push_str(text);
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        return out;
    }
    for line in text.lines() {
        match edit {
            Edit::Delete(pattern) if line_matches(line, pattern).is_some() => continue,
            Edit::Substitute { old, new, all } => {
                let plain = old.strip_prefix('^').unwrap_or(old);
                match line_matches(line, old) {
                    Some(_) if *all && !old.starts_with('^') => {
                        out.push_str(&line.replace(plain, new))
                    }
                    Some(at) => {
                        out.push_str(&line[..at]);
                        out.push_str(new);
                        out.push_str(&line[at + plain.len()..]);
                    }
                    None => out.push_str(line),
                }
            }
            Edit::Delete(_) | Edit::Append(_) => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

pub fn sed(ctx: &mut Context<'_>, args: &[&str]) -> Output {
    let in_place = args.iter().any(|a| *a == "-i" || a.starts_with("-i"));
    let operands: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    let Some((script, files)) = operands.split_first() else {
        return Output::fail(1, "Usage: sed [-i] SCRIPT [FILE]\n");
    };
    let Some(edit) = parse_edit(script) else {
        return Output::fail(
            1,
            format!(
                "sed: -e expression #1: the practice shell understands s/OLD/NEW/[g], /TEXT/d and $a TEXT, not '{script}'\n"
            ),
        );
    };
    let Some(path) = files.first() else {
        return Output::ok(apply(&edit, ctx.stdin.unwrap_or_default()));
    };
    let full = absolute(ctx.cwd, path);
    let Some(file) = ctx.host.files.get(&full) else {
        return Output::fail(
            2,
            format!("sed: can't read {path}: No such file or directory\n"),
        );
    };
    if ctx.user != User::Root && (in_place || file.mode & 0o004 == 0) {
        return denied("sed", path, "couldn't open");
    }
    let edited = apply(&edit, &file.content);
    if !in_place {
        return Output::ok(edited);
    }
    let modified = stamp(ctx);
    if let Some(file) = ctx.host.files.get_mut(&full) {
        file.content = edited;
        file.modified = modified;
    }
    Output::ok("")
}

/// `diff A B` in the classic format, from a longest-common-subsequence of lines.
pub fn diff(ctx: &Context<'_>, args: &[&str]) -> Output {
    let operands: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    let [a, b] = operands.as_slice() else {
        return Output::fail(2, "diff: the practice shell compares two files: diff A B\n");
    };
    let mut texts = Vec::new();
    for path in [a, b] {
        match ctx.host.files.get(&absolute(ctx.cwd, path)) {
            Some(f) if ctx.user == User::Root || f.mode & 0o004 != 0 => {
                texts.push(f.content.clone())
            }
            Some(_) => return Output::fail(2, format!("diff: {path}: Permission denied\n")),
            None => return Output::fail(2, format!("diff: {path}: No such file or directory\n")),
        }
    }
    let left: Vec<&str> = texts[0].lines().collect();
    let right: Vec<&str> = texts[1].lines().collect();
    let (n, m) = (left.len(), right.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if left[i] == right[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut text) = (0, 0, String::new());
    while i < n || j < m {
        if i < n && j < m && left[i] == right[j] {
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Like diff, what leaves the first file is shown before what replaces it.
            text.push_str(&format!("< {}\n", left[i]));
            i += 1;
        } else {
            text.push_str(&format!("> {}\n", right[j]));
            j += 1;
        }
    }
    Output {
        status: i32::from(!text.is_empty()),
        text,
    }
}

fn human(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            return format!("{:.1}{unit}", bytes as f64 / size as f64);
        }
    }
    bytes.to_string()
}

pub fn human_size(bytes: u64) -> String {
    human(bytes)
}

pub fn du(ctx: &Context<'_>, args: &[&str]) -> Output {
    let mut text = String::new();
    let paths: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    for path in if paths.is_empty() { vec!["."] } else { paths } {
        let full = absolute(ctx.cwd, path);
        let prefix = format!("{}/", full.trim_end_matches('/'));
        let total: u64 = ctx
            .host
            .files
            .iter()
            .filter(|(p, _)| **p == full || p.starts_with(&prefix))
            .map(|(_, f)| f.size())
            .sum();
        text.push_str(&format!("{}\t{path}\n", human(total.max(4096))));
    }
    Output::ok(text)
}
