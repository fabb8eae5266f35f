//! The knowledge base as front ends see it: documents, adds, search hits and cited answers.

use serde::{Deserialize, Serialize};

/// What happened to each file of an add.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbAddReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    pub failed: Vec<KbFailure>,
    /// Chunks written by this run.
    pub chunks: u64,
    /// The add was stopped before its last file; the files listed above are done.
    pub cancelled: bool,
}

/// A file an add could not take, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbFailure {
    pub path: String,
    pub error: String,
}

/// A document in the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbDocumentInfo {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub pack: String,
    pub level: String,
    pub bytes: u64,
    pub chunks: u64,
    pub ready: bool,
}

/// The size of the knowledge base, and whether the catalogue and the index agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbStats {
    pub documents: u64,
    /// Documents whose indexing did not finish (a run was stopped; the next add finishes them).
    pub incomplete: u64,
    /// Chunks the catalogue says the ready documents have.
    pub catalogue_chunks: u64,
    /// Chunks the search index holds.
    pub index_chunks: u64,
}

/// One search result, as `wenshu kb search --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// The document's path.
    pub doc: String,
    pub title: String,
    pub page: Option<u32>,
    pub score: f32,
    /// The chunk, in its original characters.
    pub text: String,
    /// The best passage, words of the query in `<b>`.
    pub snippet: String,
    pub heading_path: String,
    /// Character offsets of the passage in its document's text.
    pub start: u64,
    pub end: u64,
    /// The data level (公开, 内部, 敏感): of the passage, or for an output the highest of its
    /// inputs.
    #[serde(default)]
    pub level: String,
}

/// A passage the answer may cite as \[n\].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub n: usize,
    pub doc: String,
    pub title: String,
    pub page: Option<u32>,
    pub text: String,
    /// The data level (公开, 内部, 敏感): of the passage, or for an output the highest of its
    /// inputs.
    #[serde(default)]
    pub level: String,
}

/// An answer from the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedAnswer {
    pub text: String,
    /// Whether relevant passages were found (when not, the model was not asked).
    pub found: bool,
    /// The passages given to the model, numbered as the answer cites them.
    pub passages: Vec<Citation>,
    /// The numbers the answer cites, each a passage above, in order of first use.
    pub cited: Vec<usize>,
    pub model: String,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub stop: String,
    pub duration_ms: u64,
    /// The data level (公开, 内部, 敏感): of the passage, or for an output the highest of its
    /// inputs.
    #[serde(default)]
    pub level: String,
}
