//! The outline: the 事由 of the title and one entry per section of the type's template, which
//! the model writes as JSON that a schema built from the template constrains.

use serde_json::{Value, json};
use wenshu_api::messages::draft as msg;
use wenshu_core::Constraint;
use wenshu_core::draft_text::{clean_heading, clean_subject};

use super::templates::{self, SectionKind, fill};
use super::types::{OutlineInfo, OutlineItem, OutlineSection};
use super::{Brief, Calls, DraftEvent};
use crate::error::{AppError, ErrorCode, Result};

/// An item from the model's string: `检查对象：全市各区平台` is the heading 检查对象 about
/// 全市各区平台; a short string is a heading alone.
fn parse_item(raw: &str) -> Option<OutlineItem> {
    let raw = clean_heading(raw);
    if let Some((head, rest)) = raw.split_once(['：', ':'])
        && (2..=12).contains(&head.chars().count())
        && !rest.trim().is_empty()
    {
        return Some(OutlineItem {
            heading: head.trim().to_string(),
            point: Some(rest.trim().to_string()),
        });
    }
    (!raw.is_empty()).then_some(OutlineItem {
        heading: raw,
        point: None,
    })
}

/// The outline's JSON Schema: the 事由 and one field per section, in the template's order.
fn outline_schema(template: &templates::Template) -> Value {
    let mut properties = serde_json::Map::new();
    properties.insert(
        "subject".into(),
        json!({"type": "string", "minLength": 4, "maxLength": 30}),
    );
    for s in &template.sections {
        let value = match s.kind {
            SectionKind::Paragraph => json!({"type": "string", "minLength": 6, "maxLength": 60}),
            SectionKind::Items => {
                let (min, max) = s.item_range();
                json!({
                    "type": "array",
                    "items": {"type": "string", "minLength": 2, "maxLength": 40},
                    "minItems": min,
                    "maxItems": max,
                })
            }
        };
        properties.insert(s.key.clone(), value);
    }
    let required: Vec<&String> = properties.keys().collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The outline's fields in words, for the prompt.
fn outline_structure(common: &templates::Common, template: &templates::Template) -> String {
    let mut lines = vec![format!(
        "\"subject\"：{}",
        fill(&common.subject, &[("type", &template.type_name)])
    )];
    for s in &template.sections {
        lines.push(match s.kind {
            SectionKind::Paragraph => {
                format!("\"{}\"：{}——{}（字符串）", s.key, s.label, s.outline)
            }
            SectionKind::Items => {
                let (min, max) = s.item_range();
                format!(
                    "\"{}\"：{}——{}（{min}至{max}个字符串的数组）",
                    s.key, s.label, s.outline
                )
            }
        });
    }
    lines.join("\n")
}

/// Step 1: the model plans the document in the template's structure, and the plan is read back
/// with the subject and headings cleaned.
pub(super) fn write_outline(
    calls: &mut Calls<'_>,
    brief: &Brief<'_>,
    on_event: &mut dyn FnMut(DraftEvent<'_>),
) -> Result<OutlineInfo> {
    let (common, template) = (&brief.common, &brief.template);
    let paragraphs = template
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Paragraph)
        .count();
    let max_items: usize = template
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Items)
        .map(|s| s.item_range().1)
        .sum();
    let label = msg::step_outline().text;
    on_event(DraftEvent::Step {
        step: 1,
        of: 1 + paragraphs + max_items,
        label: &label,
    });
    let prompt = fill(
        &common.outline,
        &[
            ("type", brief.doc_type.name()),
            ("purpose", brief.doc_type.purpose()),
            ("issuer", brief.issuer),
            ("addressees", &brief.addressees),
            ("topic", brief.request.topic.trim()),
            ("guidance", &template.guidance),
            ("facts", &brief.facts_text),
            ("structure", &outline_structure(common, template)),
        ],
    );
    let schema = outline_schema(template).to_string();
    let outline_tokens = calls.settings.outline_tokens;
    let (raw, _) = calls.call(
        &label,
        prompt,
        Constraint::JsonSchema(schema),
        outline_tokens,
        on_event,
    )?;
    let value: Value = serde_json::from_str(&raw).map_err(|err| {
        AppError::of(
            ErrorCode::Runtime,
            msg::outline_incomplete(err, outline_tokens),
        )
    })?;
    let mut subject = clean_subject(
        value["subject"].as_str().unwrap_or_default(),
        brief.issuer,
        brief.doc_type,
    );
    if subject.chars().count() < 2 {
        subject = clean_subject(&brief.request.topic, brief.issuer, brief.doc_type);
    }
    Ok(OutlineInfo {
        subject,
        sections: template
            .sections
            .iter()
            .map(|s| OutlineSection {
                key: s.key.clone(),
                label: s.label.clone(),
                gist: (s.kind == SectionKind::Paragraph).then(|| {
                    value[&s.key]
                        .as_str()
                        .unwrap_or_default()
                        .trim()
                        .to_string()
                }),
                items: match s.kind {
                    SectionKind::Paragraph => Vec::new(),
                    SectionKind::Items => value[&s.key]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(Value::as_str)
                                .filter_map(parse_item)
                                .collect()
                        })
                        .unwrap_or_default(),
                },
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wenshu_core::document::DocType;

    #[test]
    fn outline_items_split_a_heading_from_its_point() {
        assert_eq!(
            parse_item("1. 检查对象：全市各区平台"),
            Some(OutlineItem {
                heading: "检查对象".into(),
                point: Some("全市各区平台".into())
            })
        );
        assert_eq!(
            parse_item("加强组织领导。"),
            Some(OutlineItem {
                heading: "加强组织领导".into(),
                point: None
            })
        );
        assert_eq!(parse_item("一、"), None);
    }

    #[test]
    fn the_outline_schema_follows_the_template() {
        let template = templates::template(DocType::Circular).expect("template");
        let schema = outline_schema(&template);
        let keys: Vec<&String> = schema["properties"]
            .as_object()
            .expect("object")
            .keys()
            .collect();
        assert_eq!(keys, ["subject", "reason", "items", "requirements"]);
        assert_eq!(schema["properties"]["items"]["minItems"], 2);
        // The runtime turns it into a grammar; that must succeed for every type.
        for t in DocType::ALL {
            let schema = outline_schema(&templates::template(t).expect("template")).to_string();
            let grammar = wenshu_llm::schema_grammar(&schema);
            assert!(grammar.is_ok(), "{t}: {grammar:?}");
        }
    }
}
