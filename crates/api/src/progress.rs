//! Progress of long work (drafting, answers, adding documents), streamed to front ends.

use serde::{Deserialize, Serialize};

/// One progress message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Progress {
    /// A step begins (drafting: the outline, then each section).
    Step {
        step: usize,
        of: usize,
        label: String,
    },
    /// Text the model produced.
    Text { text: String },
    /// A file is done (knowledge base).
    File {
        done: usize,
        total: usize,
        path: String,
    },
}
