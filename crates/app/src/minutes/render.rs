//! Minutes as a document and as Markdown: a 纪要 in the order of DOMAIN §4 (纪要标志, overview,
//! 议定事项 一、二、… with 责任 and 时限, 会议要求, 出席/请假/列席), rendered to DOCX by the
//! drafting code; or a 会议记录 (the meeting's fields, speeches, decisions, votes). Markdown
//! shows the lines every item came from.

use wenshu_api::{Minutes, PointInfo, PointOrigin, SourceRef};
use wenshu_core::document::{Attendance, Block, Date, DocType, Document};
use wenshu_core::facts::ItemKind;

use super::source::Sources;
use crate::error::Result;

/// The 纪要标志 (or a 会议记录's title): the meeting's name with 纪要 (记录).
fn title(minutes: &Minutes) -> String {
    let name = minutes
        .fields
        .title
        .clone()
        .unwrap_or_else(|| "会议".to_string());
    let name = name
        .trim_end_matches("纪要")
        .trim_end_matches("记录")
        .to_string();
    if minutes.record {
        format!("{name}记录")
    } else {
        format!("{name}纪要")
    }
}

/// The overview paragraph: when and where, who chaired and attended, then what the meeting
/// took up, in the pieces' merged words.
pub(crate) fn overview(fields: &wenshu_api::MeetingFields, merged: &str, record: bool) -> String {
    let mut out = String::new();
    let name = fields.title.clone().unwrap_or_else(|| "会议".to_string());
    let mut opening = String::new();
    if let Some(time) = &fields.time {
        opening.push_str(time);
        opening.push('，');
    }
    if let Some(chair) = &fields.chair {
        opening.push_str(chair);
        opening.push_str("主持召开");
    } else {
        opening.push_str("召开");
    }
    if let Some(place) = &fields.place {
        opening = format!("{opening}{name}（{place}）");
    } else {
        opening.push_str(&name);
    }
    opening.push('。');
    out.push_str(&opening);
    if !fields.attendees.is_empty() && !record {
        out.push_str(&format!("{}参加会议。", fields.attendees.join("、")));
    }
    if !fields.agenda.is_empty() {
        out.push_str(&format!(
            "会议议题：{}。",
            fields.agenda.join("；").trim_end_matches('。')
        ));
    }
    let merged = merged.trim();
    if !merged.is_empty() {
        if merged.starts_with("会议") {
            out.push_str(merged);
        } else {
            out.push_str("会议");
            out.push_str(merged);
        }
    }
    out
}

/// The lines that record a vote (表决, 赞成, 反对, 弃权), in their own words.
pub(crate) fn votes(sources: &Sources) -> Vec<PointInfo> {
    const VOTE_WORDS: [&str; 5] = ["表决", "赞成", "反对", "弃权", "举手"];
    sources
        .order
        .iter()
        .enumerate()
        .filter(|(_, at)| {
            let text = &sources.line(**at).text;
            VOTE_WORDS.iter().any(|w| text.contains(w))
        })
        .map(|(i, at)| PointInfo {
            text: super::notes::own_words(&sources.line(*at).text),
            speaker: sources.line(*at).speaker.clone(),
            sources: vec![sources.source_ref(i, i)],
            origin: PointOrigin::Source,
        })
        .collect()
}

/// 责任单位 for an organisation, 责任人 for a person.
fn owner_label(owner: &str) -> &'static str {
    let org = wenshu_core::facts::items(owner)
        .iter()
        .any(|i| i.kind == ItemKind::Organisation)
        || [
            "局", "委", "办", "厅", "处", "科", "中心", "部", "组", "室", "院", "所",
        ]
        .iter()
        .any(|end| owner.ends_with(end));
    if org { "责任单位" } else { "责任人" }
}

/// A decision's closing brackets: （责任单位：…；完成时限：…）.
fn decision_tail(owner: &str, deadline: &str) -> String {
    format!("（{}：{owner}；完成时限：{deadline}）", owner_label(owner))
}

/// The minutes as a 纪要 (or 会议记录) document, dated the meeting's day (else `today`).
pub(crate) fn document(minutes: &Minutes, votes: &[PointInfo], today: Option<Date>) -> Document {
    let title = title(minutes);
    // A 纪要 is not signed, and its mark is its own name: it needs no issuer.
    let mut doc = Document::new(DocType::Minutes, "");
    doc.title = title;
    doc.date = minutes.fields.time.as_deref().and_then(date_in).or(today);
    let f = &minutes.fields;
    if minutes.record {
        let mut head = Vec::new();
        for (label, value) in [
            ("时间", f.time.clone()),
            ("地点", f.place.clone()),
            ("主持人", f.chair.clone()),
            (
                "出席",
                (!f.attendees.is_empty()).then(|| f.attendees.join("、")),
            ),
            ("缺席", (!f.absent.is_empty()).then(|| f.absent.join("、"))),
            (
                "列席",
                (!f.observers.is_empty()).then(|| f.observers.join("、")),
            ),
            ("记录人", f.recorder.clone()),
            ("议题", (!f.agenda.is_empty()).then(|| f.agenda.join("；"))),
        ] {
            if let Some(value) = value {
                head.push(Block::Paragraph(format!("{label}：{value}")));
            }
        }
        doc.body.extend(head);
        if !minutes.speeches.is_empty() {
            doc.body.push(Block::Heading {
                level: 1,
                text: "发言情况".into(),
            });
            for s in &minutes.speeches {
                let speaker = s.speaker.clone().unwrap_or_default();
                doc.body
                    .push(Block::Paragraph(format!("{speaker}：{}", s.text)));
            }
        }
        if !minutes.decisions.is_empty() {
            doc.body.push(Block::Heading {
                level: 1,
                text: "议定事项".into(),
            });
            for d in &minutes.decisions {
                doc.body.push(Block::Heading {
                    level: 2,
                    text: d.heading.clone(),
                });
                doc.body.push(Block::Paragraph(format!(
                    "{}{}",
                    d.text,
                    decision_tail(&d.owner.text, &d.deadline.text)
                )));
            }
        }
        if !votes.is_empty() {
            doc.body.push(Block::Heading {
                level: 1,
                text: "表决情况".into(),
            });
            for v in votes {
                doc.body.push(Block::Paragraph(v.text.clone()));
            }
        }
        return doc;
    }
    doc.body.push(Block::Paragraph(minutes.overview.clone()));
    if !minutes.decisions.is_empty() {
        doc.body
            .push(Block::Paragraph("会议议定以下事项：".to_string()));
        for d in &minutes.decisions {
            doc.body.push(Block::Heading {
                level: 1,
                text: d.heading.clone(),
            });
            doc.body.push(Block::Paragraph(format!(
                "{}{}",
                d.text,
                decision_tail(&d.owner.text, &d.deadline.text)
            )));
        }
    }
    for (i, r) in minutes.requirements.iter().enumerate() {
        let text = if i == 0 && !r.text.starts_with("会议") {
            format!("会议要求，{}", r.text)
        } else {
            r.text.clone()
        };
        doc.body.push(Block::Paragraph(text));
    }
    for (label, names) in [
        ("出席", &f.attendees),
        ("请假", &f.absent),
        ("列席", &f.observers),
    ] {
        if !names.is_empty() {
            doc.attendance.push(Attendance {
                label: label.to_string(),
                names: names.clone(),
            });
        }
    }
    doc
}

/// The date at the start of a 时间 field (2024年3月5日上午 gives 2024年3月5日).
fn date_in(time: &str) -> Option<Date> {
    let end = time.find('日').map(|i| i + '日'.len_utf8())?;
    Date::parse(&time[..end])
}

fn source_note(source: &SourceRef, several_files: bool) -> String {
    if several_files {
        format!("{} {}", source.file, source.label())
    } else {
        source.label()
    }
}

/// The minutes as Markdown, each item with the lines it came from.
pub(crate) fn markdown(minutes: &Minutes, votes: &[PointInfo]) -> String {
    let several = {
        let mut files: Vec<&str> = minutes
            .decisions
            .iter()
            .map(|d| d.source.file.as_str())
            .chain(
                minutes
                    .requirements
                    .iter()
                    .chain(&minutes.speeches)
                    .flat_map(|p| p.sources.iter().map(|s| s.file.as_str())),
            )
            .collect();
        files.sort_unstable();
        files.dedup();
        files.len() > 1
    };
    let mut out = format!("# {}\n\n", title(minutes));
    let f = &minutes.fields;
    for (label, value) in [
        ("时间", f.time.clone()),
        ("地点", f.place.clone()),
        ("主持人", f.chair.clone()),
        ("记录人", f.recorder.clone()),
    ] {
        if let Some(value) = value {
            out.push_str(&format!("- {label}：{value}\n"));
        }
    }
    out.push('\n');
    if !minutes.record {
        out.push_str(&format!("{}\n\n", minutes.overview));
    }
    if minutes.record && !minutes.speeches.is_empty() {
        out.push_str("## 发言情况\n\n");
        for s in &minutes.speeches {
            let note = s
                .sources
                .first()
                .map(|r| source_note(r, several))
                .unwrap_or_default();
            out.push_str(&format!(
                "- **{}**：{}（{note}）\n",
                s.speaker.clone().unwrap_or_default(),
                s.text
            ));
        }
        out.push('\n');
    }
    if !minutes.decisions.is_empty() {
        out.push_str("## 议定事项\n\n");
        for (i, d) in minutes.decisions.iter().enumerate() {
            out.push_str(&format!(
                "### {}、{}\n\n{}\n\n- {}：{}\n- 完成时限：{}\n- 来源：{}\n\n",
                wenshu_core::document::han_numeral(i + 1),
                d.heading,
                d.text,
                owner_label(&d.owner.text),
                d.owner.text,
                d.deadline.text,
                source_note(&d.source, several),
            ));
        }
    }
    if !minutes.requirements.is_empty() {
        out.push_str("## 会议要求\n\n");
        for r in &minutes.requirements {
            let note = r
                .sources
                .first()
                .map(|s| source_note(s, several))
                .unwrap_or_default();
            out.push_str(&format!("- {}（{note}）\n", r.text));
        }
        out.push('\n');
    }
    if minutes.record && !votes.is_empty() {
        out.push_str("## 表决情况\n\n");
        for v in votes {
            let note = v
                .sources
                .first()
                .map(|s| source_note(s, several))
                .unwrap_or_default();
            out.push_str(&format!("- {}（{note}）\n", v.text));
        }
        out.push('\n');
    }
    for (label, names) in [
        ("出席", &f.attendees),
        (if minutes.record { "缺席" } else { "请假" }, &f.absent),
        ("列席", &f.observers),
    ] {
        if !names.is_empty() {
            out.push_str(&format!("**{label}**：{}\n\n", names.join("、")));
        }
    }
    if !minutes.skipped.is_empty() {
        out.push_str("## 未能读取的内容\n\n");
        for s in &minutes.skipped {
            out.push_str(&format!("- {s}\n"));
        }
    }
    out
}

/// The minutes' document, for export.
pub fn minutes_document(minutes: &Minutes) -> Result<Document> {
    crate::draft::document_from_info(minutes.document.clone())
}
