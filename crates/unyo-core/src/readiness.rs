//! The readiness doctor: whether Session Manager will work on an instance, and if not, why
//! and how to fix it. Gatherers (`unyo-aws`, `unyo-practice`) observe [`ReadinessFacts`];
//! [`diagnose`] judges them with the prerequisites AWS documents (agent versions, identity,
//! network path, filters), each check `pass`, `warn`, `fail` or `unknown` with its evidence
//! and fix; [`export`] writes a region's reports as Markdown or CSV.
//!
//! Some fixes carry an [`action`]: a change the app makes only after the user confirms what it
//! describes (API call, AWS CLI, cost).
//!
//! Non-goals: no I/O, and nothing here changes anything; the checks only read.

pub mod action;
pub mod doctor;
pub mod export;
pub mod facts;
pub mod fixes;
mod net;
mod report;
mod rules;

pub use action::{ActionStarted, ReadinessAction, ReadinessActionPreview};
pub use facts::*;
pub use report::*;
pub use rules::diagnose;
