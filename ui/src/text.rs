//! Pure helpers the screens share: highlighted snippets, cited answers, findings, forms, times.

use std::collections::BTreeMap;

use wenshu_api::{DraftForm, FieldInfo, FindingInfo, SettingInfo};
use wenshu_core::time::Zone;

/// A piece of text, highlighted or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub marked: bool,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Reads a snippet whose query words are in `<b>` (as the search index writes them, the rest
/// HTML-escaped) into pieces, so the page shows text, never markup.
pub fn snippet_pieces(snippet: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = snippet;
    while !rest.is_empty() {
        match rest.find("<b>") {
            Some(open) => {
                if open > 0 {
                    out.push(Piece {
                        text: unescape(&rest[..open]),
                        marked: false,
                    });
                }
                let after = &rest[open + 3..];
                let close = after.find("</b>").unwrap_or(after.len());
                out.push(Piece {
                    text: unescape(&after[..close]),
                    marked: true,
                });
                rest = after.get(close + 4..).unwrap_or("");
            }
            None => {
                out.push(Piece {
                    text: unescape(rest),
                    marked: false,
                });
                break;
            }
        }
    }
    out
}

/// A piece of an answer: text, or a citation of passage `n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerPiece {
    Text(String),
    Cite(usize),
}

/// Splits an answer at its citations \[n\] (also ［n］), keeping only numbers in `valid`.
pub fn answer_pieces(text: &str, valid: &[usize]) -> Vec<AnswerPiece> {
    let mut out: Vec<AnswerPiece> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut plain = String::new();
    let mut i = 0;
    while i < chars.len() {
        if matches!(chars[i], '[' | '［') {
            let mut j = i + 1;
            let mut digits = String::new();
            while j < chars.len() && chars[j].is_ascii_digit() {
                digits.push(chars[j]);
                j += 1;
            }
            if !digits.is_empty()
                && j < chars.len()
                && matches!(chars[j], ']' | '］')
                && let Ok(n) = digits.parse::<usize>()
                && valid.contains(&n)
            {
                if !plain.is_empty() {
                    out.push(AnswerPiece::Text(std::mem::take(&mut plain)));
                }
                out.push(AnswerPiece::Cite(n));
                i = j + 1;
                continue;
            }
        }
        plain.push(chars[i]);
        i += 1;
    }
    if !plain.is_empty() {
        out.push(AnswerPiece::Text(plain));
    }
    out
}

/// Errors and warnings in a list of findings.
pub fn counts(findings: &[FindingInfo]) -> (usize, usize) {
    let errors = findings.iter().filter(|f| f.severity == "error").count();
    (errors, findings.len() - errors)
}

/// The fields a form still needs, by label.
pub fn missing(fields: &[FieldInfo], values: &BTreeMap<String, String>) -> Vec<String> {
    fields
        .iter()
        .filter(|f| f.required)
        .filter(|f| values.get(&f.key).is_none_or(|v| v.trim().is_empty()))
        .map(|f| f.label.clone())
        .collect()
}

/// The form to send: the app's fields that have a value, nothing else.
pub fn draft_form(
    doc_type: &str,
    fields: &[FieldInfo],
    values: &BTreeMap<String, String>,
) -> DraftForm {
    DraftForm {
        doc_type: doc_type.to_string(),
        fields: fields
            .iter()
            .filter_map(|f| {
                let v = values.get(&f.key)?.trim();
                (!v.is_empty()).then(|| (f.key.clone(), v.to_string()))
            })
            .collect(),
    }
}

/// The zone times are shown in: the `ui.timezone` setting, China time when it is missing or does
/// not read. Times are then shown with `Zone::format`, as the terminal shows them.
pub fn zone_setting(settings: &[SettingInfo]) -> Zone {
    settings
        .iter()
        .find(|s| s.key == "ui.timezone")
        .and_then(|s| s.value.as_str())
        .and_then(|v| Zone::parse(v).ok())
        .unwrap_or(Zone::CHINA)
}

/// The name of the document type behind a drafting app's id (`draft.circular` → `circular`).
pub fn app_doc_type(app_id: &str) -> Option<&str> {
    app_id.strip_prefix("draft.")
}

/// UTF-16 offsets of line `n` (1-based) in `text`, for selecting it in the editor.
pub fn line_range(text: &str, n: usize) -> Option<(u32, u32)> {
    let mut start = 0u32;
    for (i, line) in text.split('\n').enumerate() {
        let len = line.encode_utf16().count() as u32;
        if i + 1 == n {
            return Some((start, start + len));
        }
        start += len + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use wenshu_api::FieldKind;

    #[test]
    fn lines_are_found_in_utf16_offsets() {
        let text = "标题\n第二行𠀀\n三";
        assert_eq!(line_range(text, 1), Some((0, 2)));
        // 𠀀 is two UTF-16 units.
        assert_eq!(line_range(text, 2), Some((3, 8)));
        assert_eq!(line_range(text, 3), Some((9, 10)));
        assert_eq!(line_range(text, 4), None);
    }

    #[test]
    fn snippets_become_text_with_marked_words_and_no_markup() {
        let pieces = snippet_pieces("依据&lt;条例&gt;，<b>数据</b>分类<b>分级</b>");
        assert_eq!(
            pieces,
            [
                Piece {
                    text: "依据<条例>，".into(),
                    marked: false
                },
                Piece {
                    text: "数据".into(),
                    marked: true
                },
                Piece {
                    text: "分类".into(),
                    marked: false
                },
                Piece {
                    text: "分级".into(),
                    marked: true
                },
            ]
        );
        assert_eq!(snippet_pieces(""), []);
        // A stray opening tag does not swallow or panic.
        assert_eq!(snippet_pieces("a<b>b").len(), 2);
    }

    #[test]
    fn answers_split_at_citations_that_name_a_passage() {
        let pieces = answer_pieces("应当分类分级[1]。另见［2］和[9]。", &[1, 2]);
        assert_eq!(
            pieces,
            [
                AnswerPiece::Text("应当分类分级".into()),
                AnswerPiece::Cite(1),
                AnswerPiece::Text("。另见".into()),
                AnswerPiece::Cite(2),
                AnswerPiece::Text("和[9]。".into()),
            ]
        );
    }

    fn field(key: &str, required: bool) -> FieldInfo {
        FieldInfo {
            key: key.into(),
            label: format!("{key}!"),
            kind: FieldKind::Text,
            required,
            placeholder: String::new(),
            options: Vec::new(),
        }
    }

    #[test]
    fn forms_name_what_is_missing_and_send_only_their_own_filled_fields() {
        let fields = [
            field("issuer", true),
            field("topic", true),
            field("number", false),
        ];
        let mut values = BTreeMap::new();
        values.insert("issuer".to_string(), "某局".to_string());
        values.insert("topic".to_string(), "   ".to_string());
        values.insert("stray".to_string(), "x".to_string());
        assert_eq!(missing(&fields, &values), ["topic!"]);
        let form = draft_form("circular", &fields, &values);
        assert_eq!(form.fields.len(), 1);
        assert_eq!(
            serde_json::to_value(&form).expect("json"),
            serde_json::json!({"type": "circular", "fields": {"issuer": "某局"}})
        );
    }

    fn setting(key: &str, value: serde_json::Value) -> SettingInfo {
        SettingInfo {
            key: key.into(),
            value,
            locked: None,
        }
    }

    #[test]
    fn times_are_shown_in_the_zone_of_the_settings() {
        // The audit row of the terminal's test (wenshu-cli `output` tests): the same instant
        // through the same function gives the same text on both front ends.
        let audit_row_ms = 1_700_000_000_000;
        for (case, settings, shown) in [
            (
                "China time by default",
                vec![setting("ui.timezone", serde_json::json!("+08:00"))],
                "2023-11-15 06:13:20",
            ),
            (
                "another zone",
                vec![setting("ui.timezone", serde_json::json!("+00:00"))],
                "2023-11-14 22:13:20",
            ),
            ("no setting yet", vec![], "2023-11-15 06:13:20"),
            (
                "a value that does not read",
                vec![setting("ui.timezone", serde_json::json!("Asia/Shanghai"))],
                "2023-11-15 06:13:20",
            ),
        ] {
            assert_eq!(
                zone_setting(&settings).format(audit_row_ms),
                shown,
                "{case}"
            );
        }
    }

    #[test]
    fn findings_are_counted() {
        let f = |rule: &str, severity: &str| FindingInfo {
            rule: rule.into(),
            severity: severity.into(),
            line: 1,
            excerpt: String::new(),
            message: String::new(),
            suggestion: None,
        };
        let list = [
            f("punctuation", "warning"),
            f("title-form", "error"),
            f("date-form", "error"),
        ];
        assert_eq!(counts(&list), (2, 1));
    }
}
