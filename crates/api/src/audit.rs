//! The audit log of model calls and the usage drawn from it (可追溯和计量).

use serde::{Deserialize, Serialize};

/// An entry of the audit log: a model call (its finished entry, or its started entry when it
/// never finished), a search, an export, a pack change, a policy load or a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditInfo {
    /// The entry's number in the chain.
    pub id: i64,
    /// `started`, `finished`, `search`, `export`, `pack_install`, `pack_remove`,
    /// `policy_load`, `refusal`, `archive`, `checkpoint` or `migration`.
    pub kind: String,
    /// When it happened (for a call: when it started), Unix ms.
    pub started_at_ms: i64,
    pub os_user: String,
    /// The machine's id.
    pub machine: String,
    /// SHA-256 of the model file, or the backend.
    pub model_sha256: String,
    pub app: String,
    /// The highest data level of the inputs (公开, 内部, 敏感), empty when none applies.
    pub level: String,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub duration_ms: u64,
    /// `completed`, `cancelled`, `failed`, `refused`; `unfinished` for a call started and never
    /// finished (the program was stopped); empty for entries that are not calls.
    pub outcome: String,
    pub cancelled: bool,
    pub error: Option<String>,
    /// The entry this one completes.
    pub refers_to: Option<i64>,
    /// SHA-256 of the prompt (or query, or file), hex.
    pub prompt_sha256: String,
    /// SHA-256 of the output, hex.
    pub output_sha256: String,
    /// More about it (the file exported, the rule that refused, …).
    pub detail: serde_json::Value,
    /// The hash of the entry before it, and its own, in the chain.
    pub prev_hash: String,
    pub hash: String,
}

/// The first entry of the audit log that does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadEntryInfo {
    pub seq: i64,
    /// `changed`, `missing`, `unlinked`, `truncated` or `checkpoint_mismatch`.
    pub problem: String,
    pub message: String,
}

/// How one checkpoint compares with the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointCheck {
    pub file: String,
    /// The entry it names.
    pub head_seq: i64,
    pub ok: bool,
    /// Why not, or what it proves.
    pub message: String,
}

/// What `wenshu audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditVerifyInfo {
    pub ok: bool,
    pub database: String,
    pub entries: u64,
    pub first_seq: i64,
    pub head_seq: i64,
    pub head_hash: String,
    /// Calls started and never finished (the program was stopped): on record, not tampering.
    pub unfinished: u64,
    /// The first bad entry, when one is.
    pub bad: Option<BadEntryInfo>,
    pub checkpoints: Vec<CheckpointCheck>,
    pub message: String,
}

/// A checkpoint written for IT to collect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointInfo {
    pub path: String,
    pub machine: String,
    pub entries: u64,
    pub first_seq: i64,
    pub head_seq: i64,
    pub head_hash: String,
    pub at_ms: i64,
    /// The id of this desktop's audit key, and where its public half is.
    pub key_id: String,
    pub public_key: String,
}

/// An export of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditExportInfo {
    pub path: String,
    /// `csv` or `jsonl`.
    pub format: String,
    pub entries: usize,
}

/// The tokens used today against each daily quota of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaInfo {
    /// `user` or `app`.
    pub scope: String,
    /// The user or the app.
    pub key: String,
    pub used: u64,
    pub limit: u64,
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
