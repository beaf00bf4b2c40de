//! Exit codes scripts can rely on; documented in the README and `unyo --help`.

/// How a command ended. Numbers are part of the CLI's contract: never renumber.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked for was done.
    Ok = 0,
    /// Nothing useful could be done; the message says why.
    Failed = 1,
    // 2 is clap's for a usage error.
    /// Some regions or accounts answered and others failed; the output has both.
    Partial = 3,
}
