//! The audit record every model call leaves behind (调用过程可追溯和计量).

/// How a model call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallOutcome {
    Completed,
    Cancelled,
    Failed,
}

impl CallOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            CallOutcome::Completed => "completed",
            CallOutcome::Cancelled => "cancelled",
            CallOutcome::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "completed" => Some(CallOutcome::Completed),
            "cancelled" => Some(CallOutcome::Cancelled),
            "failed" => Some(CallOutcome::Failed),
            _ => None,
        }
    }
}

/// One model call: who, when, which model, which app, how much, how long, how it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Unix time in milliseconds when the call started.
    pub started_at_ms: i64,
    /// The operating-system account that made the call.
    pub os_user: String,
    /// SHA-256 of the GGUF file that answered (empty when no model could be loaded).
    pub model_sha256: String,
    /// The app or command that made the call, e.g. `cli.ask` or `cli.chat`.
    pub app: String,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub duration_ms: u64,
    pub outcome: CallOutcome,
    /// The error message for failed calls.
    pub error: Option<String>,
}
