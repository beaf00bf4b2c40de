//! The readiness doctor: whether Session Manager will work on an instance, and if not, why
//! and how to fix it. Gatherers (`unyo-aws`, `unyo-practice`) observe [`ReadinessFacts`];
//! [`diagnose`] judges them with the prerequisites AWS documents (agent versions, identity,
//! network path, filters), each check `pass`, `warn`, `fail` or `unknown` with its evidence
//! and fix; [`export`] writes a region's reports as Markdown or CSV.
//!
//! Non-goals: no I/O, and nothing is changed; fixes are words and commands for the user.

pub mod export;
pub mod facts;
pub mod fixes;
mod net;
mod report;
mod rules;

pub use facts::*;
pub use report::*;
pub use rules::diagnose;
