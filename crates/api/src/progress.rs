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
    /// A piece of a long input is done (minutes, summaries): `done` of `total` across the
    /// pieces and the merges, with the time the rest should take.
    Piece {
        done: usize,
        total: usize,
        /// 0 for the pieces, 1 and up for the merge levels.
        level: usize,
        remaining_ms: Option<u64>,
    },
    /// A file is done (knowledge base).
    File {
        done: usize,
        total: usize,
        path: String,
    },
}
