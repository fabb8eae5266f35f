//! The drafting templates: the parts every type shares (`prompts/draft/common.toml`) and one
//! per document type, the `draft.toml` of the type's built-in pack (`prompts/apps/draft.*`).
//! A pack with a drafting runner may carry its own `draft.toml` for its type. They are data,
//! compiled into the binary so a draft needs nothing beside it.

use serde::Deserialize;
use wenshu_api::messages::draft as msg;
use wenshu_core::document::DocType;

use crate::error::{AppError, ErrorCode, Result};

const COMMON: &str = include_str!("../../../../prompts/draft/common.toml");

/// The prompts every type shares.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Common {
    pub system: String,
    pub brief: String,
    pub title: String,
    pub outline: String,
    pub subject: String,
    pub assign: String,
    pub section: String,
    pub no_facts: String,
    pub no_section_facts: String,
    pub repair: String,
    pub heading: String,
    pub point: String,
}

/// One document type's template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    #[serde(rename = "type")]
    pub type_name: String,
    pub guidance: String,
    /// The closing formula (特此通知。, 妥否，请批示。), written as its own paragraph.
    pub closing: Option<String>,
    pub sections: Vec<Section>,
}

/// A part of the body, in the type's own order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The outline's JSON field for it.
    pub key: String,
    /// Its name (缘由, 事项, 要求).
    pub label: String,
    pub kind: SectionKind,
    /// For `items`: what the outline holds for them (their headings).
    #[serde(default)]
    pub outline: Option<String>,
    /// How to write it.
    pub instruction: String,
    /// How long it should be, in words for the model (e.g. 80至150字).
    pub length: String,
    /// A set formula that ends the paragraph (现将有关事项通知如下：), written by Wenshu.
    pub ends_with: Option<String>,
    /// For `items`: how many.
    pub min: Option<usize>,
    pub max: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// One paragraph, written from its instruction and its facts.
    Paragraph,
    /// Numbered items 一、二、…; the outline holds their headings, each gets a paragraph.
    Items,
}

impl Section {
    pub fn item_range(&self) -> (usize, usize) {
        let min = self.min.unwrap_or(2).max(1);
        (min, self.max.unwrap_or(4).max(min))
    }
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str, name: &str) -> Result<T> {
    toml::from_str(text)
        .map_err(|err| AppError::of(ErrorCode::Config, msg::template_invalid(name, err)))
}

/// The shared prompts.
pub fn common() -> Result<Common> {
    parse(COMMON, "common")
}

/// The template for `doc_type`: its built-in pack's.
pub fn template(doc_type: DocType) -> Result<Template> {
    let id = format!("draft.{}", doc_type.id());
    let text = crate::packs::builtin_file(&id, DRAFT_FILE)
        .ok_or_else(|| AppError::of(ErrorCode::Config, msg::no_template(doc_type)))?;
    parse_template(text, &id, doc_type)
}

/// The file of a drafting pack that holds its type's template.
pub const DRAFT_FILE: &str = "draft.toml";

/// A type's template read from `text` (named `name` in messages), for `doc_type`.
pub fn parse_template(text: &str, name: &str, doc_type: DocType) -> Result<Template> {
    let template: Template = parse(text, name)?;
    if template.type_name != doc_type.name() {
        return Err(AppError::of(
            ErrorCode::Config,
            msg::template_wrong_type(name, &template.type_name, doc_type),
        ));
    }
    Ok(template)
}

/// Fills `{name}` placeholders in one pass: what is filled in is never read again, so a facts
/// file that happens to contain `{outline}` stays as it is.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let filled = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v, close))
        });
        match filled {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_a_valid_template() {
        common().expect("common.toml");
        for t in DocType::ALL {
            let template = template(t).unwrap_or_else(|e| panic!("{t}: {e}"));
            assert!(!template.sections.is_empty(), "{t}");
            for s in &template.sections {
                assert_eq!(
                    s.outline.is_some(),
                    s.kind == SectionKind::Items,
                    "{t} {}: the outline plans numbered items only",
                    s.label
                );
            }
            let mut keys: Vec<&str> = template.sections.iter().map(|s| s.key.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), template.sections.len(), "{t}: duplicate keys");
            assert!(
                keys.iter()
                    .all(|k| *k != "subject"
                        && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')),
                "{t}: keys are JSON field names: {keys:?}"
            );
        }
    }

    #[test]
    fn a_request_ends_by_asking_and_a_report_does_not() {
        let request = template(DocType::Request).expect("request");
        assert_eq!(request.closing.as_deref(), Some("妥否，请批示。"));
        assert!(
            request
                .sections
                .iter()
                .all(|s| s.kind == SectionKind::Paragraph),
            "one matter: no list of items"
        );
        let report = template(DocType::Report).expect("report");
        assert!(!report.closing.unwrap_or_default().contains('请'));
    }

    #[test]
    fn placeholders_are_filled_once() {
        assert_eq!(
            fill("{a} and {b} and {c}", &[("a", "{b}"), ("b", "2")]),
            "{b} and 2 and {c}"
        );
        assert_eq!(fill("{ not a name", &[]), "{ not a name");
        assert_eq!(fill("中文{x}结尾", &[("x", "，")]), "中文，结尾");
    }
}
