//! Wenshu's domain: conversations, sampling, model descriptions, the audit record and the
//! ports that adapters implement. Nothing here knows about llama.cpp, SQLite or a UI.

pub mod audit;
pub mod chat;
pub mod context;
pub mod draft_text;
pub mod facts;
pub mod model;
pub mod pieces;
pub mod source;
pub mod text;
pub mod time;
pub mod transcript;

pub use audit::{AuditEntry, CallOutcome, EntryKind};
pub use chat::{Role, Turn};
pub use context::{FitError, FittedPrompt, fit_turns};
pub use model::{
    CancelFlag, Capabilities, Completion, Constraint, Failover, GenerationRequest, LanguageModel,
    ModelError, ModelMetadata, Sampling, ServerFault, StopReason, estimate_tokens,
};
pub mod check;
pub mod document;
pub mod layout;
pub mod meeting;
