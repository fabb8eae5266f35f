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
    /// A number.
    Number,
    /// A file on this computer, by its path.
    File,
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
    /// Which runner opens it: `draft`, `minutes`, `summary`, `answer`, `chat`, `check`,
    /// `compare`.
    pub runner: String,
    /// Where the app comes from: `builtin`, `managed` (pushed by IT) or `user` (installed here).
    pub source: String,
    pub fields: Vec<FieldInfo>,
    pub status: AppStatus,
    /// The pack's version.
    #[serde(default)]
    pub version: String,
    /// The key whose signature holds, for a signed pack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    /// What it gives: `docx`, `markdown`, `text` or `json`.
    #[serde(default)]
    pub output: String,
    /// The highest classification of material it may handle.
    #[serde(default)]
    pub level: String,
}

/// What an app gave, by its runner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "runner", content = "result", rename_all = "snake_case")]
pub enum AppResult {
    Draft(Box<crate::Draft>),
    Minutes(Box<crate::Minutes>),
    Summary(Box<crate::Summary>),
    Answer(Box<crate::CitedAnswer>),
    Chat(Box<crate::Answer>),
    Check(Box<crate::CheckReport>),
    Compare(Box<crate::CompareReport>),
}

/// One run of an app: which app, what it gave, and where it was saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppRun {
    pub app: String,
    pub name: String,
    pub version: String,
    /// `docx`, `markdown`, `text` or `json`.
    pub output: String,
    #[serde(flatten)]
    pub result: AppResult,
    /// The file the output was saved to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved: Option<String>,
}
