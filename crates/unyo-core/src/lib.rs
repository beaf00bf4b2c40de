//! Unyo's domain: the types every screen and command shares, the rules over them, and the
//! [`Cloud`] port through which the app reads an AWS account (real or practice).
//!
//! Non-goals: no AWS SDK, no Tauri, no I/O beyond reading the files the caller names. The
//! SDK lives in `unyo-aws`, the simulated account in `unyo-practice`, the app in `src-tauri`.

pub mod action;
pub mod agent;
pub mod alarms;
pub mod automation;
pub mod aws_files;
pub mod change;
pub mod cloud;
pub mod error;
pub mod fleet;
pub mod localized;
pub mod logs;
pub mod ops_item;
pub mod readiness;
pub mod region;
pub mod run_command;
pub mod scenario;
pub mod secret;
pub mod session;
pub mod settings;
pub mod time;
pub mod trail;
pub mod tunnel;
pub mod unyo_profiles;
pub mod verify;

pub use cloud::{AccountContext, AccountKind, Capability, Cloud};
pub use error::{AppError, ErrorCode};
pub use fleet::{
    FleetScope, FleetSnapshot, Instance, InstanceState, PatchCompliance, PatchOperation,
    PatchSummary, PingStatus, Platform, Tag,
};
