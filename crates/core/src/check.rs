//! The 公文 format checker for text: the rules of 《党政机关公文处理工作条例》 and GB/T 9704-2012
//! that can be read off the words and punctuation of a draft, each with an id, a description and
//! its source; and the mechanical fixes (brackets, dates, punctuation) that never change wording.
//! The rules are one table (`catalogue`), read the draft through the recognisers (`recognise`),
//! and the fixes live in `fix`; reading a draft back into a document is `document::read`.

mod catalogue;
mod fix;
mod recognise;

pub use catalogue::{
    LAYOUT_AI_LABEL, LAYOUT_FONTS, LAYOUT_LINE_SPACING, LAYOUT_MARGINS, LAYOUT_PAGE,
    LAYOUT_RED_HEADER, LAYOUT_RULES, LAYOUT_SIZES, RULES, Rule,
};

/// The explicit label of AI-assisted content (《人工智能生成合成内容标识办法》), as exports print
/// it and the checker finds it.
pub const AI_LABEL: &str = "本文由人工智能辅助生成，须经人工审核";
pub use fix::fix_text;
pub use recognise::{Parts, heading_level, parts};
// The reader moved to `document`; its old path stays for the crates that call it here.
pub use crate::document::read_document;

pub(crate) use recognise::{clean, heading};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem found in a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// 1-based line (paragraph) number.
    pub line: usize,
    /// The offending text.
    pub excerpt: String,
    pub message: String,
    pub suggestion: Option<String>,
}

impl Finding {
    pub fn new(
        rule: Rule,
        line: usize,
        excerpt: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule: rule.id,
            severity: rule.severity,
            line,
            excerpt: excerpt.into(),
            message: message.into(),
            suggestion: None,
        }
    }

    pub fn suggest(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }
}

/// A line changed by `fix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub line: usize,
    pub before: String,
    pub after: String,
}

/// Whether `line` is the visible label of AI-generated content an export put there (plain, as
/// a Markdown quote, or in brackets).
pub fn is_ai_label_line(line: &str) -> bool {
    let line = line.trim().trim_start_matches('>').trim();
    let line = line
        .strip_prefix('【')
        .and_then(|l| l.strip_suffix('】'))
        .unwrap_or(line);
    line == AI_LABEL
}

/// The text with the AI label's lines left blank (so that line numbers hold), and the number of
/// the first such line.
pub fn without_ai_label(text: &str) -> (String, Option<usize>) {
    let mut first = None;
    let lines: Vec<&str> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if is_ai_label_line(line) {
                first.get_or_insert(i + 1);
                ""
            } else {
                line
            }
        })
        .collect();
    match first {
        Some(_) => (lines.join("\n"), first),
        None => (text.to_string(), None),
    }
}

/// Checks the text of a draft, one line per paragraph: every text rule of [`RULES`] in turn.
/// The visible AI label an export left in the text is a reminder, not part of the draft.
pub fn check_text(text: &str) -> Vec<Finding> {
    let (text, label) = without_ai_label(text);
    let draft = recognise::Draft::read(&text);
    let mut findings = Vec::new();
    if let Some(line) = label {
        findings.push(
            Finding::new(
                LAYOUT_AI_LABEL,
                line,
                AI_LABEL,
                "文中仍有“人工智能辅助生成”的标识",
            )
            .suggest("经人工审核定稿后，印发前删除该标识"),
        );
    }
    for (rule, apply) in catalogue::text_rules() {
        apply(rule, &draft, &mut findings);
    }
    sort_findings(&mut findings);
    findings
}

/// Counts the findings of the rules named in `errors` as errors: the stricter reading a
/// configuration or policy asks for (a skipped heading level, which style guides dispute).
pub fn raise<S: AsRef<str>>(findings: &mut [Finding], errors: &[S]) {
    for f in findings {
        if errors.iter().any(|id| id.as_ref() == f.rule) {
            f.severity = Severity::Error;
        }
    }
}

/// Puts findings in report order: by line, then in the order of [`RULES`].
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by_key(|f| (f.line, RULES.iter().position(|r| r.id == f.rule)));
}

#[cfg(test)]
mod tests;
