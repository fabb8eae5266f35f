//! Settings as a settings screen shows them.

use serde::{Deserialize, Serialize};

/// One setting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingInfo {
    /// `section.key`, e.g. `model.threads`.
    pub key: String,
    pub value: serde_json::Value,
    /// Why it cannot be changed here, when it cannot.
    pub locked: Option<String>,
}
