//! Unyo's AWS side: SDK configuration for any of the user's profiles, resolved by the AWS
//! SDK's own config and credential providers (static keys, assume-role chains, IAM Identity
//! Center, credential_process), never re-implemented; and the calls the app makes, with SDK
//! errors mapped to the `{code, message}` every Unyo surface shows.
//!
//! Non-goals: no UI and no Tauri; secrets stay inside the SDK's providers.

pub mod automation;
pub mod change_control;
pub mod cloud;
pub mod doctor_fixes;
mod error;
pub mod fleet;
pub mod identity;
pub mod kms;
pub mod logs;
pub mod metrics;
pub mod ops_center;
pub mod pricing;
pub mod profiles;
pub mod readiness;
pub mod regional;
pub mod run_command;
mod sdk;
pub mod ssm_session;
pub mod sso;
pub mod trail;

pub use error::from_sdk;
pub use sdk::{ConfigRequest, load};
