//! The little shell grammar beyond one command: lists joined by `;`, `&&` and `||`, pipes,
//! `$?`, the `2>&1` redirection, and `*` in file names, each respecting quotes.

use crate::host::Host;

use super::files::absolute;

/// When a pipeline in a list runs, given the status of the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    Always,
    IfOk,
    IfFailed,
}

/// Splits `line` on `separator` where it is not inside quotes.
pub fn split_outside_quotes<'a>(line: &'a str, separator: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    let mut i = 0;
    let bytes = line.as_bytes();
    while i < line.len() {
        let c = bytes[i] as char;
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if line[i..].starts_with(separator)
                // `||` is a list operator, not two pipes.
                && !(separator == "|" && (line[i..].starts_with("||") || line[..i].ends_with('|'))) =>
            {
                parts.push(&line[start..i]);
                i += separator.len();
                start = i;
                continue;
            }
            None => {}
        }
        i += 1;
    }
    parts.push(&line[start..]);
    parts
}

/// `a; b && c || d` as pipelines with the condition each runs under.
pub fn list(line: &str) -> Vec<(String, Run)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut condition = Run::Always;
    let mut quote: Option<char> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                current.push(c);
            }
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                current.push(c);
            }
            (None, ';') => {
                out.push((std::mem::take(&mut current), condition));
                condition = Run::Always;
            }
            (None, '&') if chars.peek() == Some(&'&') => {
                chars.next();
                out.push((std::mem::take(&mut current), condition));
                condition = Run::IfOk;
            }
            (None, '|') if chars.peek() == Some(&'|') => {
                chars.next();
                out.push((std::mem::take(&mut current), condition));
                condition = Run::IfFailed;
            }
            (None, c) => current.push(c),
        }
    }
    out.push((current, condition));
    out.into_iter()
        .filter(|(p, _)| !p.trim().is_empty())
        .collect()
}

/// Prepares one command of a pipeline before it is split into words, as sh would: `$?`
/// becomes `status` (the previous command's exit status) outside single quotes, and an
/// unquoted `2>&1` word is dropped, since the practice shell prints standard error with
/// standard output anyway. Run Command scripts and verification probes use both.
pub fn expand(command: &str, status: i32) -> String {
    let mut out = String::with_capacity(command.len());
    let mut quote: Option<char> = None;
    let mut chars = command.chars().peekable();
    // Whether the last character copied ended a word (or nothing was copied yet).
    let mut at_word_start = true;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('\''), '\'') => {
                quote = None;
                out.push(c);
            }
            (Some('\''), _) => out.push(c),
            // A backslash keeps the next character as it is, `\$` included.
            (_, '\\') => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            (_, '$') if chars.peek() == Some(&'?') => {
                chars.next();
                out.push_str(&status.to_string());
            }
            (Some('"'), '"') => {
                quote = None;
                out.push(c);
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '2') if at_word_start && redirects_stderr(&mut chars) => {}
            _ => out.push(c),
        }
        at_word_start = quote.is_none() && out.ends_with(char::is_whitespace);
        if out.is_empty() {
            at_word_start = true;
        }
    }
    out
}

/// After a `2` that starts a word: whether `>&1` and the word's end follow, consuming them.
fn redirects_stderr(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let rest: String = chars.clone().take(4).collect();
    let ends_word = |c: Option<char>| c.is_none_or(char::is_whitespace);
    if rest.starts_with(">&1") && ends_word(rest.chars().nth(3)) {
        chars.nth(2);
        true
    } else {
        false
    }
}

/// Replaces a word with `*` in its last component by the matching files, sorted, as sh
/// does; a word that matches nothing stays as it is.
pub fn expand_globs(host: &Host, cwd: &str, argv: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for word in argv {
        let Some((dir, pattern)) = word.rsplit_once('/').filter(|(_, p)| p.contains('*')) else {
            if word.contains('*') && !word.contains('/') {
                out.extend(matches(host, cwd, "", &word).unwrap_or_else(|| vec![word]));
            } else {
                out.push(word);
            }
            continue;
        };
        let base = if dir.is_empty() { "/" } else { dir };
        let shown = format!("{dir}/");
        out.extend(
            matches(host, &absolute(cwd, base), &shown, pattern).unwrap_or_else(|| vec![word]),
        );
    }
    out
}

fn matches(host: &Host, dir: &str, shown: &str, pattern: &str) -> Option<Vec<String>> {
    let prefix = format!("{}/", dir.trim_end_matches('/'));
    let found: Vec<String> = host
        .files
        .keys()
        .filter_map(|path| path.strip_prefix(&prefix))
        .filter(|name| !name.contains('/') && glob(pattern, name))
        .map(|name| format!("{shown}{name}"))
        .collect();
    (!found.is_empty()).then_some(found)
}

/// `*` matches any run of characters; everything else matches itself.
fn glob(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_outside_quotes() {
        let parts = list("rm -f a; echo 'x;y' && df -h || echo failed");
        let conditions: Vec<Run> = parts.iter().map(|(_, r)| *r).collect();
        assert_eq!(
            conditions,
            [Run::Always, Run::Always, Run::IfOk, Run::IfFailed]
        );
        assert_eq!(parts[1].0.trim(), "echo 'x;y'");
        assert_eq!(
            split_outside_quotes("sed 's/a|b/c/' f | tail", "|").len(),
            2
        );
    }

    #[test]
    fn status_expands_outside_single_quotes_and_2_to_1_is_dropped() {
        assert_eq!(
            expand("echo \"::unyo-probe:0:end:$?::\"", 3),
            "echo \"::unyo-probe:0:end:3::\""
        );
        assert_eq!(expand("echo '$?' $? \\$?", 1), "echo '$?' 1 \\$?");
        assert_eq!(
            expand("systemctl is-active sshd 2>&1", 0),
            "systemctl is-active sshd "
        );
        // Not a redirection: inside quotes, or part of a longer word.
        assert_eq!(
            expand("echo '2>&1' x2>&1 2>&12", 0),
            "echo '2>&1' x2>&1 2>&12"
        );
    }

    #[test]
    fn globs_match_like_sh() {
        assert!(glob("batch-debug.log.*", "batch-debug.log.1"));
        assert!(!glob("batch-debug.log.*", "batch.log"));
        assert!(glob("*.log", "a.log"));
        assert!(glob("a*b*c", "aXbYc"));
        assert!(!glob("a*b*c", "acb"));
    }
}
