//! The body and the document: each section, or each item of a numbered section, written as one
//! paragraph from the outline and cleaned, then the document put together around them with the
//! user's elements exactly as given.

use wenshu_api::messages::draft as msg;
use wenshu_core::document::{Block, Date, Document};
use wenshu_core::draft_text::{Cleaning, clean_paragraph};
use wenshu_core::{Constraint, StopReason};

use super::templates::{SectionKind, fill};
use super::types::{OutlineInfo, OutlineItem};
use super::{Brief, Calls, DraftEvent};
use crate::error::Result;

/// Step 2: one model call per paragraph section and per outline item, each cleaned; the
/// template's closing formula ends the body.
pub(super) fn write_sections(
    calls: &mut Calls<'_>,
    brief: &Brief<'_>,
    outline: &OutlineInfo,
    on_event: &mut dyn FnMut(DraftEvent<'_>),
) -> Result<Vec<Block>> {
    let (common, template) = (&brief.common, &brief.template);
    let subject = &outline.subject;
    let total = 1 + outline
        .sections
        .iter()
        .map(|s| s.items.len().max(usize::from(s.gist.is_some())))
        .sum::<usize>();
    let grammar = Constraint::Grammar("root ::= [^\\n\\r#*`|<>]+".into());
    let title = brief.title(subject);
    let section_tokens = calls.settings.section_tokens;
    let mut body = Vec::new();
    let mut step = 1;
    for (section, planned) in template.sections.iter().zip(&outline.sections) {
        // The prompt's own wording, which a paragraph must not repeat.
        let wording = [
            common.section.as_str(),
            &template.guidance,
            &section.instruction,
            &section.length,
        ]
        .join("\n");
        let items: Vec<Option<&OutlineItem>> = match section.kind {
            SectionKind::Paragraph => vec![None],
            SectionKind::Items => planned.items.iter().map(Some).collect(),
        };
        for item in items {
            let heading = item.map(|i| &i.heading);
            step += 1;
            let label = match heading {
                Some(h) => msg::step_item(&section.label, h).text,
                None => section.label.clone(),
            };
            on_event(DraftEvent::Step {
                step,
                of: total,
                label: &label,
            });
            let heading_line =
                heading.map_or(String::new(), |h| fill(&common.heading, &[("heading", h)]));
            let gist = match item {
                Some(i) => i.point.clone().unwrap_or_else(|| i.heading.clone()),
                None => planned.gist.clone().unwrap_or_default(),
            };
            let prompt = fill(
                &common.section,
                &[
                    ("type", brief.doc_type.name()),
                    ("issuer", brief.issuer),
                    ("subject", subject),
                    ("addressees", &brief.addressees),
                    ("guidance", &template.guidance),
                    ("facts", &brief.facts_text),
                    ("label", &section.label),
                    ("gist", &gist),
                    ("heading", &heading_line),
                    ("instruction", &section.instruction),
                    ("length", &section.length),
                ],
            );
            let (raw, stop) =
                calls.call(&label, prompt, grammar.clone(), section_tokens, on_event)?;
            let text = clean_paragraph(
                &raw,
                stop,
                Cleaning {
                    echoes: &[
                        &format!("{}：", section.label),
                        &title,
                        &heading_line,
                        &format!("内容要点：{gist}"),
                        "内容要点：",
                    ],
                    prompt: &wording,
                    ends_with: section.ends_with.as_deref(),
                    closing: template.closing.as_deref(),
                },
            );
            // An item whose paragraph was all echo keeps the point its outline gave it.
            let text = match item.and_then(|i| i.point.as_deref()) {
                Some(point) if text.is_empty() => {
                    clean_paragraph(point, StopReason::EndOfText, Cleaning::default())
                }
                _ => text,
            };
            if let Some(h) = heading {
                body.push(Block::Heading {
                    level: 1,
                    text: h.clone(),
                });
            }
            if !text.is_empty() {
                body.push(Block::Paragraph(text));
            }
        }
    }
    if let Some(closing) = &template.closing {
        body.push(Block::Paragraph(closing.clone()));
    }
    Ok(body)
}

/// Step 3: the document, with the user's elements exactly as given and `today` (in the zone the
/// settings name) when no date was.
pub(super) fn compose(
    brief: &Brief<'_>,
    subject: &str,
    body: Vec<Block>,
    today: Option<Date>,
) -> Document {
    let request = brief.request;
    let mut doc = Document::new(brief.doc_type, brief.issuer);
    doc.title = brief.title(subject);
    doc.body = body;
    doc.number = request.number.clone().filter(|n| !n.trim().is_empty());
    doc.addressees = request.addressees.clone();
    doc.signers = request.signers.clone();
    doc.attachments = request.attachments.clone();
    doc.copy_to = request.copy_to.clone();
    doc.classification = request.classification.clone();
    doc.urgency = request.urgency.clone();
    doc.date = request.date.or(today);
    doc.note = request.contact.as_deref().map(|c| {
        let c = c.trim();
        if c.starts_with("联系人") {
            c.to_string()
        } else {
            format!("联系人：{c}")
        }
    });
    doc
}
