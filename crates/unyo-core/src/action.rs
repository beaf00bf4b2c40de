//! What a change would do, said before it runs: the API call and the AWS CLI command that
//! does the same, so the UI can show them, ask, and record them. Every request that changes
//! an account (a runbook, a command) can [`describe`](ChangePreview) itself this way.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::localized::Localized;
use crate::{AppError, ErrorCode};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChangePreview {
    /// The API operation, as IAM names it, e.g. `ssm:StartAutomationExecution`.
    pub api_call: String,
    /// An AWS CLI command that makes the same request, ready to paste into a POSIX shell.
    pub cli: String,
    /// One sentence on what will happen.
    pub summary: Localized,
}

/// The error a [`Cloud`](crate::Cloud) gives for an operation it does not offer yet.
pub fn unsupported(what: &str) -> AppError {
    AppError::new(
        ErrorCode::Unsupported,
        format!("{what} is not available for this account in this version"),
    )
}

/// Quotes `text` for a POSIX shell: bare when it is safe, single quotes otherwise.
pub fn shell_quote(text: &str) -> String {
    let safe = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
    if safe {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(shell_quote("AWS-RunShellScript"), "AWS-RunShellScript");
        assert_eq!(shell_quote("df -h"), "'df -h'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
