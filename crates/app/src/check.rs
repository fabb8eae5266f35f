//! Checking drafts of official documents against the 公文 rules, and the mechanical fixes.

use std::path::Path;
use std::sync::{PoisonError, RwLock};

pub use wenshu_api::check::has_errors;
use wenshu_api::messages;
pub use wenshu_api::{ChangeInfo, CheckReport, FindingInfo, FixReport, Review, RuleInfo, TextFix};
use wenshu_core::check::{self, Finding, RULES};

use crate::error::{AppError, ErrorCode, Result};
use crate::input::{docx_error, read_file, read_text_file};

/// The rules whose warnings count as errors in this process (`check.errors`).
static ERROR_RULES: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Sets the rules whose warnings count as errors, from the settings.
pub(crate) fn set_error_rules(rules: Vec<String>) {
    *ERROR_RULES.write().unwrap_or_else(PoisonError::into_inner) = rules;
}

/// The checker's findings on `text`, at the strictness the settings ask for.
fn findings(text: &str) -> Vec<Finding> {
    let mut findings = check::check_text(text);
    let errors = ERROR_RULES.read().unwrap_or_else(PoisonError::into_inner);
    check::raise(&mut findings, errors.as_slice());
    findings
}

/// The largest draft the checker reads.
const MAX_DRAFT_BYTES: u64 = 20 << 20;

/// One finding, as front ends show it.
pub(crate) fn finding_info(f: Finding) -> FindingInfo {
    FindingInfo {
        rule: f.rule.to_string(),
        severity: f.severity.as_str().to_string(),
        line: f.line,
        excerpt: f.excerpt,
        message: f.message,
        suggestion: f.suggestion,
    }
}

/// Every rule, for `wenshu check --rules`.
pub fn rules() -> Vec<RuleInfo> {
    RULES
        .iter()
        .map(|r| RuleInfo {
            id: r.id.to_string(),
            severity: r.severity.as_str().to_string(),
            description: r.description.to_string(),
            source: r.source.to_string(),
        })
        .collect()
}

/// Checks the text of a draft.
pub fn check_text(text: &str) -> Vec<FindingInfo> {
    findings(text).into_iter().map(finding_info).collect()
}

/// The lines (1-based, ascending) that a mechanical fix would change.
pub fn fixable_lines(text: &str) -> Vec<usize> {
    let mut lines: Vec<usize> = check::fix_text(text).1.iter().map(|c| c.line).collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

/// Reviews the text of a draft as it is edited.
pub fn review_text(text: &str) -> Review {
    Review {
        findings: check_text(text),
        fixable: fixable_lines(text),
    }
}

/// The largest DOCX file the checker opens.
const MAX_DOCX_BYTES: u64 = 50 << 20;

/// A draft as read: its text, one line per paragraph, and for a DOCX its layout.
struct Draft {
    text: String,
    layout: Option<wenshu_docs::DocxLayout>,
}

/// Reads a draft: .txt and .md as they are, .docx by paragraph (table cells included) with
/// its formatting, with clear errors for what cannot be checked.
fn read_draft(path: &Path) -> Result<Draft> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("txt" | "md" | "markdown") => Ok(Draft {
            text: read_text_file(path, MAX_DRAFT_BYTES, "a draft")?,
            layout: None,
        }),
        Some("docx") => {
            let bytes = read_file(path, MAX_DOCX_BYTES, "a DOCX draft")?;
            let layout = wenshu_docs::read_layout(&bytes).map_err(|err| docx_error(path, err))?;
            let lines: Vec<&str> = layout.paragraphs.iter().map(|p| p.text.as_str()).collect();
            Ok(Draft {
                text: lines.join("\n"),
                layout: Some(layout),
            })
        }
        _ => Err(AppError::of(
            ErrorCode::InvalidInput,
            messages::check::unsupported_kind(path.display()),
        )),
    }
}

fn is_docx(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"))
}

/// Checks a .txt, .md or .docx draft; a DOCX gets the layout rules too.
pub fn check_document(path: &Path) -> Result<CheckReport> {
    let draft = read_draft(path)?;
    let mut findings = findings(&draft.text);
    if let Some(layout) = &draft.layout {
        findings.extend(wenshu_docs::check_layout(layout));
        check::sort_findings(&mut findings);
    }
    Ok(CheckReport {
        file: path.display().to_string(),
        fixable: fixable_lines(&draft.text),
        text: draft.text,
        findings: findings.into_iter().map(finding_info).collect(),
        layout_checked: draft.layout.is_some(),
    })
}

/// Checks a .txt, .md or .docx draft; a DOCX gets the layout rules too.
pub fn check_file(path: &Path) -> Result<Vec<FindingInfo>> {
    check_document(path).map(|r| r.findings)
}

/// Applies the mechanical fixes to `text`: all of them, or only those on `line` (1-based).
pub fn fix_text(text: &str, line: Option<usize>) -> TextFix {
    let (fixed, changes) = check::fix_text(text);
    let (text, changes) = match line {
        None => (fixed, changes),
        Some(n) => {
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            let changes: Vec<_> = changes.into_iter().filter(|c| c.line == n).collect();
            for c in &changes {
                if let Some(l) = lines.get_mut(c.line.wrapping_sub(1)) {
                    l.clone_from(&c.after);
                }
            }
            let mut out = lines.join("\n");
            if text.ends_with('\n') {
                out.push('\n');
            }
            (out, changes)
        }
    };
    TextFix {
        remaining: check_text(&text),
        fixable: fixable_lines(&text),
        text,
        changes: changes
            .into_iter()
            .map(|c| ChangeInfo {
                line: c.line,
                before: c.before,
                after: c.after,
            })
            .collect(),
    }
}

/// Applies the mechanical fixes to a draft; with `write`, saves the result in place (atomically).
pub fn fix_file(path: &Path, write: bool) -> Result<FixReport> {
    if is_docx(path) {
        return Err(AppError::of(
            ErrorCode::InvalidInput,
            messages::check::fix_docx(path.display()),
        ));
    }
    let text = read_draft(path)?.text;
    let (fixed, changes) = check::fix_text(&text);
    if write && !changes.is_empty() {
        crate::input::write_atomic(path, fixed.as_bytes())?;
    }
    Ok(FixReport {
        file: path.display().to_string(),
        changes: changes
            .into_iter()
            .map(|c| ChangeInfo {
                line: c.line,
                before: c.before,
                after: c.after,
            })
            .collect(),
        remaining: check_text(&fixed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DRAFT: &str = "关于开展数据安全检查的通知\n各区数据管理局：\n检查时间为2024.5.1至5月31日,请按时报送.\n二〇二四年三月二十日\n";

    #[test]
    fn one_line_or_all_lines_are_fixed_and_the_rest_is_left_as_it_was() {
        let all = fix_text(DRAFT, None);
        assert!(!all.changes.is_empty());
        let line = all.changes[0].line;
        let one = fix_text(DRAFT, Some(line));
        assert!(
            one.changes.iter().all(|c| c.line == line),
            "{:?}",
            one.changes
        );
        let before: Vec<&str> = DRAFT.lines().collect();
        let after: Vec<&str> = one.text.lines().collect();
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            if i + 1 != line {
                assert_eq!(b, a, "line {} is untouched", i + 1);
            }
        }
        assert!(one.text.ends_with('\n'));
        assert!(!one.fixable.contains(&line), "the fixed line needs no more");
        assert!(
            all.fixable.is_empty(),
            "after every fix, nothing is left to fix"
        );
        assert_eq!(
            fix_text(DRAFT, Some(99)).text,
            DRAFT,
            "a line with nothing to fix"
        );
    }

    #[test]
    fn a_checked_text_file_comes_back_with_its_text() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("草稿.txt");
        std::fs::write(&path, DRAFT).expect("write");
        let report = check_document(&path).expect("checks");
        assert_eq!(report.text, DRAFT);
        assert!(!report.layout_checked);
        assert!(!report.findings.is_empty());
        assert_eq!(report.fixable, review_text(DRAFT).fixable);
    }

    #[test]
    fn a_review_names_the_lines_a_fix_would_change() {
        let review = review_text(DRAFT);
        assert_eq!(review.findings, check_text(DRAFT));
        let changed: Vec<usize> = fix_text(DRAFT, None)
            .changes
            .iter()
            .map(|c| c.line)
            .collect();
        assert!(!review.fixable.is_empty());
        assert!(review.fixable.iter().all(|l| changed.contains(l)));
        assert!(changed.iter().all(|l| review.fixable.contains(l)));
        assert!(
            review.fixable.windows(2).all(|w| w[0] < w[1]),
            "ascending, once each"
        );
    }

    #[test]
    fn what_cannot_be_checked_is_refused_by_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let junk = dir.path().join("junk.docx");
        std::fs::write(&junk, b"PK\x03\x04 this is not really a zip").expect("write");
        let err = check_document(&junk).expect_err("junk is no DOCX");
        assert_eq!(err.id, "files.docx_not_zip");
        assert!(
            err.message.contains("junk.docx") && err.message.contains("不是 DOCX 文件"),
            "names the file, in Chinese: {}",
            err.message
        );
        let odt = dir.path().join("草稿.odt");
        std::fs::write(&odt, "text").expect("write");
        assert_eq!(
            check_document(&odt).expect_err("not a kind checked").id,
            "check.unsupported_kind"
        );
        assert_eq!(
            fix_file(&junk, false)
                .expect_err("--fix leaves DOCX alone")
                .id,
            "check.fix_docx"
        );
    }
}
