//! Text a user reads, in every language the app ships: English and Japanese side by side.
//!
//! The practice account's scenarios, hints and debriefs are content, not UI chrome, so they
//! travel with their translations instead of as keys into the UI's message catalogue; the UI
//! picks `en` or `ja` by the window's language and never has to know the scenario's wording.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Localized {
    pub en: String,
    pub ja: String,
}

impl Localized {
    pub fn new(en: impl Into<String>, ja: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            ja: ja.into(),
        }
    }
}
