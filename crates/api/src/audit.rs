//! The audit log of model calls and the usage drawn from it (可追溯和计量).

use serde::{Deserialize, Serialize};

/// An audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditInfo {
    pub id: i64,
    pub started_at_ms: i64,
    pub os_user: String,
    pub model_sha256: String,
    pub app: String,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub duration_ms: u64,
    pub outcome: String,
    pub cancelled: bool,
    pub error: Option<String>,
}

/// Calls and tokens of one day, app or model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageInfo {
    /// The day (YYYY-MM-DD), the app identifier or the model's name.
    pub key: String,
    pub calls: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// Usage since a moment, three ways.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageReport {
    pub since_ms: i64,
    pub days: Vec<UsageInfo>,
    pub apps: Vec<UsageInfo>,
    pub models: Vec<UsageInfo>,
}

/// Usage over a range of days, grouped one way (`wenshu usage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageTable {
    /// `user`, `app`, `model` or `day`.
    pub by: String,
    /// The first and the last day counted, YYYY-MM-DD in the settings' zone.
    pub from: String,
    pub to: String,
    pub rows: Vec<UsageInfo>,
    /// The sums over the rows.
    pub total: UsageInfo,
}
