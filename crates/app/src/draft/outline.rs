//! The outline: the 事由 of the title and one entry per section of the type's template, which
//! the model writes as JSON that a schema built from the template constrains.

use serde_json::{Value, json};
use wenshu_api::messages::draft as msg;
use wenshu_core::Constraint;
use wenshu_core::draft_text::{clean_heading, clean_subject};
use wenshu_core::facts::invented;
use wenshu_core::text::{placeholder, task_talk};

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

/// The most facts the outline places itself; beyond them, facts go by their wording.
const MAX_PLACED: usize = 40;

/// The outline's JSON Schema: the 事由, the items of each numbered section in the template's
/// order, and for `facts` facts the section of each.
fn outline_schema(template: &templates::Template, facts: usize) -> Value {
    let mut properties = serde_json::Map::new();
    properties.insert(
        "subject".into(),
        json!({"type": "string", "minLength": 4, "maxLength": 30}),
    );
    for s in template
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Items)
    {
        let (min, max) = s.item_range();
        properties.insert(
            s.key.clone(),
            json!({
                "type": "array",
                "items": {"type": "string", "minLength": 2, "maxLength": 40},
                "minItems": min,
                "maxItems": max,
            }),
        );
    }
    if (1..=MAX_PLACED).contains(&facts) {
        let labels: Vec<&str> = template.sections.iter().map(|s| s.label.as_str()).collect();
        properties.insert(
            "facts".into(),
            json!({
                "type": "array",
                "items": {"type": "string", "enum": labels},
                "minItems": facts,
                "maxItems": facts,
            }),
        );
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
fn outline_structure(
    common: &templates::Common,
    template: &templates::Template,
    facts: usize,
) -> String {
    let mut lines = vec![format!(
        "\"subject\"：{}",
        fill(&common.subject, &[("type", &template.type_name)])
    )];
    for s in &template.sections {
        if let (SectionKind::Items, Some(outline)) = (s.kind, &s.outline) {
            let (min, max) = s.item_range();
            lines.push(format!(
                "\"{}\"：{}——{outline}（{min}至{max}个字符串的数组）",
                s.key, s.label
            ));
        }
    }
    if (1..=MAX_PLACED).contains(&facts) {
        // Each section with what it says, so the model knows where a fact belongs.
        let labels: Vec<String> = template
            .sections
            .iter()
            .map(|s| format!("“{}”（{}）", s.label, s.instruction.trim_end_matches('。')))
            .collect();
        lines.push(format!(
            "\"facts\"：{}（{facts}个字符串的数组）",
            fill(&common.assign, &[("labels", &labels.join("、"))])
        ));
    }
    lines.join("\n")
}

/// Whether a subject or heading the model planned may stand in the draft: nothing invented, no
/// talk about the task, no placeholder.
fn acceptable(text: &str, given: &str) -> bool {
    invented(text, given).is_empty() && task_talk(text).is_none() && placeholder(text).is_none()
}

/// Step 1: the model plans the document in the template's structure and puts each fact in a
/// section; the plan is read back with the subject and headings cleaned and guarded, and the
/// section of each fact (by index into the template's sections) where the model chose one.
pub(super) fn write_outline(
    calls: &mut Calls<'_>,
    brief: &Brief<'_>,
    on_event: &mut dyn FnMut(DraftEvent<'_>),
) -> Result<(OutlineInfo, Vec<Option<usize>>)> {
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
            ("issuer", brief.issuer),
            ("addressees", &brief.addressees),
            ("topic", brief.request.topic.trim()),
            ("facts", &brief.facts_text),
            (
                "structure",
                &outline_structure(common, template, brief.facts.len()),
            ),
        ],
    );
    let schema = outline_schema(template, brief.facts.len()).to_string();
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
    let guarded = calls.settings.guard;
    if subject.chars().count() < 2 || (guarded && !acceptable(&subject, &brief.given)) {
        subject = clean_subject(&brief.request.topic, brief.issuer, brief.doc_type);
    }
    let chosen = (0..brief.facts.len())
        .map(|f| {
            let label = value["facts"][f].as_str()?;
            template.sections.iter().position(|s| s.label == label)
        })
        .collect();
    let outline = OutlineInfo {
        subject,
        sections: template
            .sections
            .iter()
            .map(|s| OutlineSection {
                key: s.key.clone(),
                label: s.label.clone(),
                items: match s.kind {
                    SectionKind::Paragraph => Vec::new(),
                    SectionKind::Items => {
                        let items: Vec<OutlineItem> = value[&s.key]
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(Value::as_str)
                                    .filter_map(parse_item)
                                    .collect()
                            })
                            .unwrap_or_default();
                        // An item whose heading names what nobody gave is left out, as long as
                        // one remains.
                        let good: Vec<OutlineItem> = items
                            .iter()
                            .filter(|i| !guarded || acceptable(&i.heading, &brief.given))
                            .cloned()
                            .collect();
                        if good.is_empty() { items } else { good }
                    }
                },
            })
            .collect(),
    };
    Ok((outline, chosen))
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
        let schema = outline_schema(&template, 3);
        let keys: Vec<&String> = schema["properties"]
            .as_object()
            .expect("object")
            .keys()
            .collect();
        // Paragraph sections are written from their instruction and facts: only the numbered
        // one is planned.
        assert_eq!(keys, ["subject", "items", "facts"]);
        assert_eq!(
            schema["properties"]["facts"]["items"]["enum"],
            json!(["缘由", "事项", "要求"])
        );
        assert_eq!(schema["properties"]["items"]["minItems"], 2);
        // The runtime turns it into a grammar; that must succeed for every type.
        for t in DocType::ALL {
            let schema = outline_schema(&templates::template(t).expect("template"), 5).to_string();
            let grammar = wenshu_llm::schema_grammar(&schema);
            assert!(grammar.is_ok(), "{t}: {grammar:?}");
        }
    }
}
