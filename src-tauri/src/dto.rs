//! Shapes that exist only to cross IPC; domain types from `unyo-core` cross as they are.

use serde::Serialize;
use ts_rs::TS;
use unyo_core::AccountContext;
use unyo_core::aws_files::ProfileDiscovery;
use unyo_core::cloud::DefaultCredentials;
use unyo_core::settings::{Settings, SettingsProblem};

/// Everything the UI needs before its first screen, in one round trip.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Bootstrap {
    pub version: String,
    /// BCP 47 tag of the OS language (e.g. `ja-JP`), when the OS tells.
    pub os_locale: Option<String>,
    pub settings: Settings,
    pub settings_problem: Option<SettingsProblem>,
}

/// What the account switcher lists.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountList {
    pub practice: AccountContext,
    /// Profiles from the shared AWS files, with any problems found in them.
    pub aws: ProfileDiscovery,
    /// Where the files were looked for, shown in the switcher's help text.
    pub aws_config_file: Option<String>,
    pub aws_credentials_file: Option<String>,
    /// Where the SDK's default chain finds credentials without a profile (the `default`
    /// account), when this environment has some.
    pub default_credentials: Option<DefaultCredentials>,
}
