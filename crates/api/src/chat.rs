//! Answers from the model and the conversation history.

use serde::{Deserialize, Serialize};

/// An answer from the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The data level (公开, 内部, 敏感): of the passage, or for an output the highest of its
    /// inputs.
    #[serde(default)]
    pub level: String,
}

/// A conversation in the history list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationInfo {
    pub id: i64,
    pub title: String,
    pub app: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub messages: i64,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageInfo {
    pub id: i64,
    pub role: String,
    pub content: String,
    pub created_at_ms: i64,
    pub cancelled: bool,
    /// The answer broke off (its server failed half-way); `content` is what arrived.
    #[serde(default)]
    pub failed: bool,
    pub model_sha256: Option<String>,
}

/// A conversation with its messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationDetail {
    pub conversation: ConversationInfo,
    pub messages: Vec<MessageInfo>,
}
