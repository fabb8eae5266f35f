//! The app catalogue (应用超市) as front ends show it: apps, their categories and form fields.

use serde::{Deserialize, Serialize};

/// How a form field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// Several lines of text.
    Textarea,
    /// Several names, one per line or separated by 、 or ，.
    List,
    /// A date such as 2024年3月20日 or 2024-03-20.
    Date,
    /// One of `options`.
    Choice,
}

/// One input of an app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldInfo {
    /// The key the value is sent under.
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    /// An example value or hint.
    #[serde(default)]
    pub placeholder: String,
    /// The choices of a `Choice` field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// Whether an app can be used, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AppStatus {
    Available,
    /// Visible but not usable on this desktop; the reason comes from the policy.
    Locked {
        reason: String,
    },
}

/// One entry of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    /// Stable identifier, e.g. `draft.circular`.
    pub id: String,
    pub name: String,
    pub category: String,
    pub description: String,
    /// Which runner opens it: `draft`, `check`, `kb`, `chat`.
    pub runner: String,
    /// Where the app comes from: `builtin`, later a pack's id.
    pub source: String,
    pub fields: Vec<FieldInfo>,
    pub status: AppStatus,
}
