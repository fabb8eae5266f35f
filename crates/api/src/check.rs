//! What the 公文 checker reports: findings, rules, mechanical fixes.

use serde::{Deserialize, Serialize};

/// One finding, as front ends show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingInfo {
    pub rule: String,
    /// `error` or `warning`.
    pub severity: String,
    /// 1-based line of the text (paragraph number for DOCX).
    pub line: usize,
    pub excerpt: String,
    pub message: String,
    pub suggestion: Option<String>,
}

impl FindingInfo {
    pub fn is_error(&self) -> bool {
        self.severity == "error"
    }
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[FindingInfo]) -> bool {
    findings.iter().any(FindingInfo::is_error)
}

/// A rule of the checker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    pub id: String,
    pub severity: String,
    pub description: String,
    pub source: String,
}

/// A line a fix changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeInfo {
    pub line: usize,
    pub before: String,
    pub after: String,
}

/// What `fix` did to a file, and what is left to do by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixReport {
    pub file: String,
    pub changes: Vec<ChangeInfo>,
    pub remaining: Vec<FindingInfo>,
}

/// What an editor shows beside a text: the findings, and which lines a fix can mend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub findings: Vec<FindingInfo>,
    pub fixable: Vec<usize>,
}

/// A checked draft: its text, one line per paragraph, and what the checker found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    pub file: String,
    pub text: String,
    pub findings: Vec<FindingInfo>,
    /// The lines of `text` a mechanical fix would change.
    pub fixable: Vec<usize>,
    /// Whether the layout rules ran (DOCX files).
    pub layout_checked: bool,
}

/// Text after mechanical fixes, what changed and what is left to do by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextFix {
    pub text: String,
    pub changes: Vec<ChangeInfo>,
    pub remaining: Vec<FindingInfo>,
    /// The lines of the new text a fix would still change (when one line was fixed).
    pub fixable: Vec<usize>,
}
