//! The audit log's entries (调用过程可追溯和计量): every model call, search, export, pack change,
//! policy load and refusal, as one chain of entries that only grows.

/// How a model call (or a request refused before it) ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallOutcome {
    Completed,
    Cancelled,
    Failed,
    /// Refused by a rule before any model saw it (a state secret, a quota, a level ceiling).
    Refused,
}

impl CallOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            CallOutcome::Completed => "completed",
            CallOutcome::Cancelled => "cancelled",
            CallOutcome::Failed => "failed",
            CallOutcome::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "completed" => Some(CallOutcome::Completed),
            "cancelled" => Some(CallOutcome::Cancelled),
            "failed" => Some(CallOutcome::Failed),
            "refused" => Some(CallOutcome::Refused),
            _ => None,
        }
    }
}

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A schema change that copied older rows into the chain.
    Migration,
    /// A model call about to run: written before the model sees the prompt.
    Started,
    /// The end of the call its `refers_to` names: tokens, time, outcome.
    Finished,
    /// A knowledge-base search.
    Search,
    /// A document written to a file.
    Export,
    PackInstall,
    PackRemove,
    /// An admin policy taking effect, or changing.
    PolicyLoad,
    /// A request refused by a rule (state secret, quota, level ceiling, blocked app).
    Refusal,
    /// Old entries moved into a sealed archive file, and then out of the log.
    Archive,
    /// A signed checkpoint of the log written for IT.
    Checkpoint,
}

impl EntryKind {
    pub const ALL: [EntryKind; 11] = [
        EntryKind::Migration,
        EntryKind::Started,
        EntryKind::Finished,
        EntryKind::Search,
        EntryKind::Export,
        EntryKind::PackInstall,
        EntryKind::PackRemove,
        EntryKind::PolicyLoad,
        EntryKind::Refusal,
        EntryKind::Archive,
        EntryKind::Checkpoint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Migration => "migration",
            EntryKind::Started => "started",
            EntryKind::Finished => "finished",
            EntryKind::Search => "search",
            EntryKind::Export => "export",
            EntryKind::PackInstall => "pack_install",
            EntryKind::PackRemove => "pack_remove",
            EntryKind::PolicyLoad => "policy_load",
            EntryKind::Refusal => "refusal",
            EntryKind::Archive => "archive",
            EntryKind::Checkpoint => "checkpoint",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry of the audit log: who, where, when, which app and model, what level of data, how
/// much, how long, how it ended, and digests of what went in and came out.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub kind: EntryKind,
    /// Unix time in milliseconds when the entry was written (for a call: when it started).
    pub at_ms: i64,
    /// The operating-system account.
    pub os_user: String,
    /// The machine's id (`/etc/machine-id`, else its host name).
    pub machine: String,
    /// The app or command, e.g. `cli.ask`, `draft.circular`.
    pub app: String,
    /// SHA-256 of the GGUF file that answered, or the backend that did (empty: none loaded).
    pub model_sha256: String,
    /// The highest data level (公开, 内部, 敏感) of the inputs, when known.
    pub level: String,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub duration_ms: u64,
    /// How a call ended; `None` for entries that are not calls.
    pub outcome: Option<CallOutcome>,
    /// The entry this one completes (a finished call's started entry).
    pub refers_to: Option<i64>,
    /// SHA-256 of the prompt (or the query, or the file written), hex; empty when none.
    pub prompt_sha256: String,
    /// SHA-256 of the output, hex; empty when none.
    pub output_sha256: String,
    /// The error message for failed or refused calls.
    pub error: Option<String>,
    /// More about it, as a JSON object (`{}` when nothing).
    pub detail: String,
}

impl AuditEntry {
    /// An entry of `kind` at `at_ms` by `os_user` on `machine` for `app`, everything else empty.
    pub fn new(kind: EntryKind, at_ms: i64, os_user: &str, machine: &str, app: &str) -> Self {
        Self {
            kind,
            at_ms,
            os_user: os_user.to_string(),
            machine: machine.to_string(),
            app: app.to_string(),
            model_sha256: String::new(),
            level: String::new(),
            prompt_tokens: 0,
            completion_tokens: 0,
            duration_ms: 0,
            outcome: None,
            refers_to: None,
            prompt_sha256: String::new(),
            output_sha256: String::new(),
            error: None,
            detail: "{}".to_string(),
        }
    }
}
