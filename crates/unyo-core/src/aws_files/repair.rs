//! The shared files as the AWS SDK can read them. The SDK's parser rejects a whole file over
//! one malformed line, which would make every profile in it unusable; Unyo hands the SDK a
//! copy in which the lines it reported (with file and line) are neutralised, so every other
//! profile keeps working. The files on disk are never changed.

use std::path::Path;

use super::{Flavour, Found, parse};

/// The config file's text with its reported lines neutralised; `None` when it cannot be read.
pub fn config_for_sdk(path: &Path) -> Option<String> {
    repaired(path, Flavour::Config)
}

/// The credentials file's text with its reported lines neutralised.
pub fn credentials_for_sdk(path: &Path) -> Option<String> {
    repaired(path, Flavour::Credentials)
}

fn repaired(path: &Path, flavour: Flavour) -> Option<String> {
    let text = String::from_utf8(std::fs::read(path).ok()?).ok()?;
    let mut issues = Vec::new();
    parse(&text, flavour, "", &mut Found::default(), &mut issues);
    let bad: Vec<usize> = issues
        .iter()
        .filter_map(|i| i.line.and_then(|l| usize::try_from(l).ok()))
        .collect();
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if !bad.contains(&number) {
            out.push_str(line);
        } else if line.trim_start().starts_with('[') {
            // A broken header still ends the section before it, so the keys after it must
            // not join the previous profile: they go to a section no profile reads.
            out.push_str(&format!("[unyo-ignored-line-{number}]"));
        } else {
            out.push_str(&format!("# line {number} ignored by Unyo"));
        }
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reported_lines_are_neutralised_and_the_rest_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(
            &path,
            "[profile ok]\nregion = us-east-1\nthis line is junk\n[profile broken\nregion = eu-west-1\n",
        )
        .unwrap();
        let text = config_for_sdk(&path).unwrap();
        assert_eq!(
            text,
            "[profile ok]\nregion = us-east-1\n# line 3 ignored by Unyo\n[unyo-ignored-line-4]\nregion = eu-west-1\n"
        );
        assert!(config_for_sdk(&dir.path().join("missing")).is_none());
    }
}
