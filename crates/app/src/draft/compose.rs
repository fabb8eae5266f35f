//! The body and the document: each section, or each item of a numbered section, written as one
//! paragraph from the outline and its own facts, cleaned and guarded, then the document put
//! together around them with the user's elements exactly as given.

use wenshu_api::messages::draft as msg;
use wenshu_core::document::{Block, Date, Document};
use wenshu_core::draft_text::{Cleaning, clean_paragraph};
use wenshu_core::{Constraint, StopReason};

use super::facts::{Guard, Screened, Slot};
use super::templates::{SectionKind, fill};
use super::types::{FactsReport, OutlineInfo, OutlineItem};
use super::{Brief, Calls, DraftEvent};
use crate::error::Result;

/// The facts of `slot`, numbered as the section's prompt shows them, or the words for none.
fn slot_facts(brief: &Brief<'_>, slots: &[Slot], slot: Slot) -> (Vec<usize>, String) {
    let mine: Vec<usize> = (0..slots.len()).filter(|&f| slots[f] == slot).collect();
    if mine.is_empty() {
        return (mine, brief.common.no_section_facts.clone());
    }
    let listed: Vec<String> = mine
        .iter()
        .enumerate()
        .map(|(n, &f)| format!("{}. {}", n + 1, brief.facts[f].text))
        .collect();
    (mine, listed.join("\n"))
}

/// Step 2: one model call per paragraph section and per outline item, each with the facts that
/// belong to it, cleaned and passed through the guard; a paragraph that left facts out is
/// asked for once more with them, and what it still leaves out goes in from the facts file.
/// The template's closing formula ends the body.
pub(super) fn write_sections(
    calls: &mut Calls<'_>,
    brief: &Brief<'_>,
    outline: &OutlineInfo,
    slots: &[Slot],
    on_event: &mut dyn FnMut(DraftEvent<'_>),
) -> Result<(Vec<Block>, FactsReport)> {
    let (common, template) = (&brief.common, &brief.template);
    let subject = &outline.subject;
    let mut total = 1 + template
        .sections
        .iter()
        .zip(&outline.sections)
        .map(|(s, planned)| match s.kind {
            SectionKind::Paragraph => 1,
            SectionKind::Items => planned.items.len(),
        })
        .sum::<usize>();
    let grammar = Constraint::Grammar("root ::= [^\\n\\r#*`|<>]+".into());
    let title = brief.title(subject);
    calls.entitle(&fill(&common.title, &[("title", &title)]));
    let mut guard = Guard::new(&brief.given, &brief.facts, &title);
    let prompt_brief = brief.prompt();
    let section_tokens = calls.settings.section_tokens;
    let mut body = Vec::new();
    let mut step = 1;
    for (s, (section, planned)) in template.sections.iter().zip(&outline.sections).enumerate() {
        // The prompt's own wording, which a paragraph must not repeat.
        let wording = [
            common.section.as_str(),
            &prompt_brief,
            &section.instruction,
            &section.length,
            &common.repair,
        ]
        .join("\n");
        let items: Vec<Option<(usize, &OutlineItem)>> = match section.kind {
            SectionKind::Paragraph => vec![None],
            SectionKind::Items => planned.items.iter().enumerate().map(Some).collect(),
        };
        for item in items {
            let heading = item.map(|(_, i)| &i.heading);
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
            let point_line = item
                .and_then(|(_, i)| i.point.as_deref())
                .map_or(String::new(), |p| fill(&common.point, &[("point", p)]));
            let slot = Slot {
                section: s,
                item: item.map(|(k, _)| k),
            };
            // The heading is part of the draft before its paragraph: a paragraph that only says
            // it again says nothing.
            if let Some(h) = heading {
                guard.note(&label, h);
            }
            // Unguarded, every section sees the whole facts file and keeps what the model wrote:
            // the pipeline as it was, for comparison.
            let guarded = calls.settings.guard;
            let (mine, section_facts) = if guarded {
                slot_facts(brief, slots, slot)
            } else {
                (Vec::new(), brief.facts_text.clone())
            };
            let prompt = fill(
                &common.section,
                &[
                    ("section_facts", &section_facts),
                    ("label", &section.label),
                    ("heading", &format!("{heading_line}{point_line}")),
                    ("instruction", &section.instruction),
                    ("length", &section.length),
                ],
            );
            let echoes = [
                format!("{}：", section.label),
                title.clone(),
                heading_line.clone(),
                point_line.clone(),
                fill(&common.point, &[("point", "")]),
            ];
            let echoes: Vec<&str> = echoes.iter().map(String::as_str).collect();
            let cleaning = Cleaning {
                echoes: &echoes,
                prompt: &wording,
                ends_with: section.ends_with.as_deref(),
                closing: template.closing.as_deref(),
            };
            // The paragraph without the set formula Wenshu puts at its end.
            let without_formula = |text: String| match section.ends_with.as_deref() {
                Some(formula) => text.strip_suffix(formula).unwrap_or(&text).to_string(),
                None => text,
            };
            let (raw, stop) =
                calls.call(&label, prompt, grammar.clone(), section_tokens, on_event)?;
            let cleaned = without_formula(clean_paragraph(&raw, stop, cleaning));
            let mut screened = if guarded {
                guard.screen(&cleaned)
            } else {
                Screened::unscreened(&cleaned)
            };
            let mut missing = guard.missing(&mine, &screened.text());
            let mut repaired = Vec::new();
            if !missing.is_empty() && calls.settings.repair {
                // A second try is one more step than the outline planned.
                step += 1;
                total += 1;
                let repair_label = msg::step_repair(&label, missing.len()).text;
                on_event(DraftEvent::Step {
                    step,
                    of: total,
                    label: &repair_label,
                });
                let listed: Vec<String> = missing
                    .iter()
                    .enumerate()
                    .map(|(n, &f)| format!("{}. {}", n + 1, brief.facts[f].text))
                    .collect();
                let prompt = fill(
                    &common.repair,
                    &[
                        ("label", &section.label),
                        ("paragraph", &screened.text()),
                        ("missing", &listed.join("\n")),
                    ],
                );
                let (raw, stop) = calls.call(
                    &repair_label,
                    prompt,
                    grammar.clone(),
                    section_tokens,
                    on_event,
                )?;
                let second = guard.screen(&without_formula(clean_paragraph(&raw, stop, cleaning)));
                let still = guard.missing(&mine, &second.text());
                // The second try is taken when it keeps more of the facts and loses none of
                // what the first kept.
                if still.len() < missing.len() && still.iter().all(|f| missing.contains(f)) {
                    repaired = missing
                        .iter()
                        .copied()
                        .filter(|f| !still.contains(f))
                        .collect();
                    screened = second;
                    missing = still;
                }
            }
            debug_assert!(missing.iter().all(|f| mine.contains(f)));
            let mut text = guard.admit(&label, screened, &mine, &repaired);
            // An item whose paragraph was all echo keeps the point its outline gave it.
            if text.is_empty()
                && let Some(point) = item.and_then(|(_, i)| i.point.as_deref())
            {
                let point = clean_paragraph(point, StopReason::EndOfText, Cleaning::default());
                let screened = if guarded {
                    guard.screen(&point)
                } else {
                    Screened::unscreened(&point)
                };
                text = guard.admit(&label, screened, &[], &[]);
            }
            if let Some(formula) = &section.ends_with {
                if !text.is_empty() && !text.ends_with(['。', '！', '？', '”']) {
                    text = text.trim_end_matches(['，', '、', '；', '：']).to_string();
                    text.push('，');
                }
                text.push_str(formula);
            }
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
    // A fact whose slot wrote nothing (cannot happen with a valid outline) still goes in, in
    // the last paragraph of the body.
    let unkept = guard.unkept();
    if calls.settings.guard && !unkept.is_empty() {
        let screened = Screened::default();
        let text = guard.admit(&template.sections[0].label, screened, &unkept, &[]);
        body.push(Block::Paragraph(text));
    }
    if let Some(closing) = &template.closing {
        body.push(Block::Paragraph(closing.clone()));
    }
    let labels = |slot: Slot| {
        let section = &template.sections[slot.section];
        match slot
            .item
            .and_then(|k| outline.sections[slot.section].items.get(k))
        {
            Some(item) => msg::step_item(&section.label, &item.heading).text,
            None => section.label.clone(),
        }
    };
    Ok((body, guard.report(slots, &labels)))
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
