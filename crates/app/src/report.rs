//! Serialisable results of the API, shared by the terminal (`--json`) and the desktop app.

use serde::Serialize;
use wenshu_store::{AuditRecord, ConversationSummary, MessageRecord, ModelRecord};

/// An answer from the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub text: String,
    pub conversation_id: i64,
    pub model: String,
    pub model_sha256: String,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    /// Prompt tokens served from the cache of the previous turn.
    pub reused_tokens: u32,
    /// Oldest turns left out because the conversation outgrew the context window.
    pub dropped_turns: usize,
    /// `end`, `max_tokens` or `cancelled`.
    pub stop: String,
    pub duration_ms: u64,
}

/// A model in the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelInfo {
    pub name: String,
    pub display_name: String,
    pub path: String,
    pub sha256: String,
    pub architecture: String,
    pub quantization: String,
    pub context_length: u32,
    pub parameters: u64,
    pub file_size: u64,
    pub has_chat_template: bool,
    pub imported_at_ms: i64,
    pub active: bool,
}

impl ModelInfo {
    pub(crate) fn new(record: ModelRecord, active: bool) -> Self {
        Self {
            name: record.name,
            display_name: record.metadata.name,
            path: record.path,
            sha256: record.sha256,
            architecture: record.metadata.architecture,
            quantization: record.metadata.quantization,
            context_length: record.metadata.context_length,
            parameters: record.metadata.parameters,
            file_size: record.metadata.file_size,
            has_chat_template: record.metadata.chat_template.is_some(),
            imported_at_ms: record.imported_at_ms,
            active,
        }
    }
}

/// The result of re-hashing one model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelCheck {
    pub name: String,
    pub path: String,
    /// `ok`, `modified` or `missing`.
    pub status: String,
    pub expected_sha256: String,
    pub actual_sha256: Option<String>,
}

impl ModelCheck {
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }
}

/// One line of `wenshu doctor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DoctorCheck {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

/// What `wenshu doctor` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DoctorReport {
    pub ok: bool,
    pub checks: Vec<DoctorCheck>,
    pub cpu_features: Vec<String>,
    pub build_features: Vec<String>,
    pub data_dir: String,
    pub config_file: String,
}

/// The result of `wenshu bench`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchReport {
    pub model: String,
    pub model_sha256: String,
    pub model_file_bytes: u64,
    pub threads: usize,
    pub context_tokens: u32,
    pub prompt_tokens: u32,
    pub generated_tokens: u32,
    pub repetitions: u32,
    /// Medians over the repetitions.
    pub pp_tokens_per_s: f64,
    pub tg_tokens_per_s: f64,
    /// Of each generated token's time, how much choosing it took (the rest is the model).
    pub sampling_ms_per_token: f64,
    pub pp_runs: Vec<f64>,
    pub tg_runs: Vec<f64>,
    /// Peak resident memory of this process (VmHWM), when the system reports it.
    pub peak_rss_bytes: Option<u64>,
}

/// A conversation in the history list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConversationInfo {
    pub id: i64,
    pub title: String,
    pub app: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub messages: i64,
}

impl From<ConversationSummary> for ConversationInfo {
    fn from(c: ConversationSummary) -> Self {
        Self {
            id: c.id,
            title: c.title,
            app: c.app,
            created_at_ms: c.created_at_ms,
            updated_at_ms: c.updated_at_ms,
            messages: c.messages,
        }
    }
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageInfo {
    pub id: i64,
    pub role: String,
    pub content: String,
    pub created_at_ms: i64,
    pub cancelled: bool,
    pub model_sha256: Option<String>,
}

impl From<MessageRecord> for MessageInfo {
    fn from(m: MessageRecord) -> Self {
        Self {
            id: m.id,
            role: m.role.as_str().to_string(),
            content: m.content,
            created_at_ms: m.created_at_ms,
            cancelled: m.cancelled,
            model_sha256: m.model_sha256,
        }
    }
}

/// A conversation with its messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConversationDetail {
    pub conversation: ConversationInfo,
    pub messages: Vec<MessageInfo>,
}

/// An audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

impl From<AuditRecord> for AuditInfo {
    fn from(r: AuditRecord) -> Self {
        let e = r.entry;
        Self {
            id: r.id,
            started_at_ms: e.started_at_ms,
            os_user: e.os_user,
            model_sha256: e.model_sha256,
            app: e.app,
            prompt_tokens: e.prompt_tokens,
            completion_tokens: e.completion_tokens,
            duration_ms: e.duration_ms,
            outcome: e.outcome.as_str().to_string(),
            cancelled: e.outcome == wenshu_core::CallOutcome::Cancelled,
            error: e.error,
        }
    }
}
