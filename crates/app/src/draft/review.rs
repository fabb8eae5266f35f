//! The review of a finished draft: the checker's findings, the elements its type requires or
//! forbids, and every number in the model's text that appears nowhere in what the user gave.

use wenshu_core::check::Severity;
use wenshu_core::document::{Date, Document, Element, ElementProblem};
use wenshu_core::text::fold_width;

use super::form::DraftRequest;
use crate::check::FindingInfo;

/// The rule behind findings on numbers the model wrote that the user never gave.
pub const FACTS_RULE: &str = "draft-facts";
/// The rule behind findings on elements a type requires or forbids.
pub const ELEMENTS_RULE: &str = "draft-elements";

/// Every run of digits in `text` (full-width folded), e.g. "2024", "3.5".
fn numbers(text: &str) -> Vec<String> {
    let folded: String = text
        .chars()
        .map(|c| match c {
            '．' => '.',
            _ => fold_width(c),
        })
        .collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for c in folded.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !current.is_empty()) {
            current.push(c);
        } else if !current.is_empty() {
            out.push(current.trim_end_matches('.').to_string());
            current.clear();
        }
    }
    out
}

/// Everything the user gave (the facts, the topic and the fixed elements, the date the
/// document carries included, `today` when the request gives none): the only text a number or
/// name in the draft may come from.
pub fn given(request: &DraftRequest, today: Option<Date>) -> String {
    [
        request.facts.clone().unwrap_or_default(),
        request.topic.clone(),
        request.issuer.clone(),
        request.addressees.join(" "),
        request.number.clone().unwrap_or_default(),
        request
            .date
            .or(today)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        request.attachments.join(" "),
        request.copy_to.join(" "),
        request.contact.clone().unwrap_or_default(),
    ]
    .join("\n")
}

/// Findings for a drafted document: the checker's, the elements the type needs, and numbers in
/// the model's text that appear nowhere in what the user gave.
pub(super) fn review(doc: &Document, text: &str, given: &str) -> Vec<FindingInfo> {
    let mut findings = crate::check::check_text(text);
    for problem in doc.validate() {
        let severity = match problem {
            // A draft is often numbered only when it is signed.
            ElementProblem::Missing(Element::Number) => Severity::Warning,
            _ => Severity::Error,
        };
        findings.push(FindingInfo {
            rule: ELEMENTS_RULE.into(),
            severity: severity.as_str().into(),
            line: 1,
            excerpt: String::new(),
            message: problem.message(doc.doc_type),
            suggestion: None,
        });
    }
    let allowed = numbers(given);
    let generated: Vec<String> = std::iter::once(doc.title.clone())
        .chain(doc.numbered_body().into_iter().map(|l| l.text))
        .collect();
    for (i, line) in text.lines().enumerate() {
        if !generated.iter().any(|g| g == line) {
            continue;
        }
        let mut seen = Vec::new();
        for n in numbers(line) {
            if !allowed.contains(&n) && !seen.contains(&n) {
                findings.push(FindingInfo {
                    rule: FACTS_RULE.into(),
                    severity: Severity::Warning.as_str().into(),
                    line: i + 1,
                    excerpt: n.clone(),
                    message: format!(
                        "数字“{n}”不见于事实材料和给定要素，可能是模型编造的，请核实或删除"
                    ),
                    suggestion: None,
                });
                seen.push(n);
            }
        }
    }
    findings.sort_by_key(|f| f.line);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use wenshu_core::document::{Block, Date, DocType};

    #[test]
    fn numbers_are_found_in_both_widths() {
        assert_eq!(
            numbers("共２０台，投资3.5万元，2024年。"),
            ["20", "3.5", "2024"]
        );
        assert!(numbers("没有数字").is_empty());
    }

    #[test]
    fn invented_numbers_are_flagged_and_given_ones_are_not() {
        let mut doc = Document::new(DocType::Circular, "某市数据局");
        doc.title = "某市数据局关于开展检查的通知".into();
        doc.addressees = vec!["各区数据局".into()];
        doc.number = Some("某数〔2024〕3号".into());
        doc.body = vec![Block::Paragraph(
            "请于2024年3月31日前完成20台服务器的检查，覆盖率达到95%。".into(),
        )];
        doc.date = Date::new(2024, 3, 20);
        let text = doc.to_text();
        let findings = review(&doc, &text, "3月31日前完成检查；服务器20台；2024年");
        let facts: Vec<&FindingInfo> = findings.iter().filter(|f| f.rule == FACTS_RULE).collect();
        assert_eq!(facts.len(), 1, "{findings:#?}");
        assert_eq!(facts[0].excerpt, "95");
        assert_eq!(
            text.lines().nth(facts[0].line - 1),
            Some("请于2024年3月31日前完成20台服务器的检查，覆盖率达到95%。")
        );
        assert!(
            findings.iter().all(|f| f.rule == FACTS_RULE),
            "a valid 通知 has no other findings: {findings:#?}"
        );
    }
}
