//! What the shell's commands return, as the UI reads it (the fields it shows; the shell may send
//! more).

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Status {
    pub data_dir: String,
    pub documents_dir: String,
    pub model: Option<String>,
    pub model_problem: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Textarea,
    List,
    Date,
    Choice,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Field {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    #[serde(default)]
    pub placeholder: String,
    #[serde(default)]
    pub options: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AppStatus {
    Available,
    Locked { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AppInfo {
    pub id: String,
    pub name: String,
    pub category: String,
    pub description: String,
    pub runner: String,
    pub fields: Vec<Field>,
    pub status: AppStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: String,
    pub line: usize,
    pub excerpt: String,
    pub message: String,
    pub suggestion: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Change {
    pub line: usize,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TextFix {
    pub text: String,
    pub changes: Vec<Change>,
    pub remaining: Vec<Finding>,
    pub fixable: Vec<usize>,
}

/// Findings on a text being edited, and the lines a mechanical fix can mend.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Review {
    pub findings: Vec<Finding>,
    pub fixable: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CheckReport {
    pub file: String,
    pub text: String,
    pub findings: Vec<Finding>,
    pub fixable: Vec<usize>,
    pub layout_checked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DocumentInfo {
    #[serde(rename = "type")]
    pub doc_type: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Draft {
    pub document: DocumentInfo,
    pub text: String,
    pub findings: Vec<Finding>,
    pub model: String,
    pub milliseconds: u64,
}

/// Progress streamed by long work.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Progress {
    Step {
        step: usize,
        of: usize,
        label: String,
    },
    Text {
        text: String,
    },
    File {
        done: usize,
        total: usize,
        path: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KbFailure {
    pub path: String,
    pub error: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KbAddReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    pub failed: Vec<KbFailure>,
    pub chunks: u64,
    pub cancelled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KbDocument {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub pack: String,
    pub level: String,
    pub bytes: u64,
    pub chunks: u64,
    pub ready: bool,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SearchHit {
    pub doc: String,
    pub title: String,
    pub page: Option<u32>,
    pub score: f32,
    pub text: String,
    pub snippet: String,
    pub heading_path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Citation {
    pub n: usize,
    pub doc: String,
    pub title: String,
    pub page: Option<u32>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CitedAnswer {
    pub text: String,
    pub found: bool,
    pub passages: Vec<Citation>,
    pub cited: Vec<usize>,
    pub model: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Answer {
    pub text: String,
    pub conversation_id: i64,
    pub model: String,
    pub stop: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Conversation {
    pub id: i64,
    pub title: String,
    pub app: String,
    pub updated_at_ms: i64,
    pub messages: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Message {
    pub id: i64,
    pub role: String,
    pub content: String,
    pub cancelled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ConversationDetail {
    pub conversation: Conversation,
    pub messages: Vec<Message>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub started_at_ms: i64,
    pub os_user: String,
    pub model_sha256: String,
    pub app: String,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub duration_ms: u64,
    pub outcome: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Usage {
    pub key: String,
    pub calls: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UsageReport {
    pub since_ms: i64,
    pub days: Vec<Usage>,
    pub apps: Vec<Usage>,
    pub models: Vec<Usage>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Setting {
    pub key: String,
    pub value: serde_json::Value,
    pub locked: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Model {
    pub name: String,
    pub display_name: String,
    pub path: String,
    pub quantization: String,
    pub parameters: u64,
    pub file_size: u64,
    pub context_length: u32,
    pub active: bool,
}
