//! One module per domain; each command is a few lines from request to core call to result.

pub mod accounts;
pub mod analysis;
pub mod app;
pub mod change;
pub mod cost;
pub mod fleet;
pub mod incident;
pub mod journal;
pub mod lessons;
pub mod ops_center;
pub mod profiles;
pub mod readiness;
pub mod sessions;
pub mod settings;
pub mod sso;
pub mod tunnels;
pub mod verify;
pub mod windows;
