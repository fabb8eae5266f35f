//! Summaries (摘要) of documents of any length: PDF, DOCX, TXT, MD and HTML, read by the
//! knowledge base's extractors. The documents are cut into pieces on their structure (files,
//! sections, paragraphs; never inside a sentence); each piece gives its key points, each point
//! put on the paragraph (and page or section) whose words it shares most; the points are merged
//! in groups, level by level, each merged point citing the points it came from, until at most
//! the number asked for is left; then one paragraph sums them up. Code drops every point or
//! sentence that names what its sources do not.

use std::path::Path;

use serde::Deserialize;
use serde_json::{Value, json};
use wenshu_api::messages::minutes as msg;
use wenshu_api::{PointInfo, PointOrigin, SourceRef, Summary, SummaryLength, SummaryRequest};
use wenshu_core::facts::{invented, items, wording_share};
use wenshu_core::pieces::{Block, merge_groups};
use wenshu_core::source::Paragraph;
use wenshu_core::text::{heading_marker, placeholder, sentences, task_talk};
use wenshu_core::{CancelFlag, Constraint};

use crate::error::{AppError, ErrorCode, Result};
use crate::input::read_file;
use crate::long::{LongEvent, Run};
use crate::{Wenshu, draft::fill};

const PROMPTS: &str = include_str!("../../../prompts/summary/summary.toml");

/// The largest document summarised: a few thousand pages.
pub const MAX_DOCUMENT_BYTES: u64 = 200 << 20;

/// The share of a point's character pairs a paragraph must have to be its source.
const SOURCE_SHARE: f64 = 0.3;

/// The summary prompts in `prompts/summary/summary.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Prompts {
    system: String,
    map: String,
    focus: String,
    merge: String,
    summary: String,
}

fn prompts() -> Result<Prompts> {
    toml::from_str(PROMPTS).map_err(|err| {
        AppError::of(
            ErrorCode::Config,
            msg::invalid_prompts("prompts/summary/summary.toml", err.message()),
        )
    })
}

/// One document's paragraphs, with the section each is in.
struct Document {
    label: String,
    paragraphs: Vec<Paragraph>,
    sections: Vec<Option<String>>,
}

impl Document {
    fn new(label: String, paragraphs: Vec<Paragraph>) -> Self {
        let mut sections = Vec::with_capacity(paragraphs.len());
        let mut current: Option<String> = None;
        for p in &paragraphs {
            if wenshu_core::check::heading_level(&p.text).is_some() && p.text.chars().count() <= 40
            {
                current = Some(p.text.clone());
            }
            sections.push(current.clone());
        }
        Self {
            label,
            paragraphs,
            sections,
        }
    }

    /// Where paragraphs `first..=last` are: their numbers, their pages in a PDF, and the
    /// section the first is in.
    fn source(&self, first: usize, last: usize) -> SourceRef {
        let pages = match (self.paragraphs[first].page, self.paragraphs[last].page) {
            (Some(a), Some(b)) => Some((a, b.max(a))),
            _ => None,
        };
        let number = |i: usize| u32::try_from(i + 1).unwrap_or(u32::MAX);
        SourceRef {
            file: self.label.clone(),
            paragraphs: Some((number(first), number(last))),
            pages,
            section: self.sections[first].clone(),
            ..SourceRef::default()
        }
    }
}

/// A paragraph of one of the documents.
#[derive(Debug, Clone, Copy)]
struct At {
    doc: usize,
    paragraph: usize,
}

/// The paragraphs of `files`, numbered as summaries cite them, for a source pane.
pub fn source_paragraphs(files: &[String]) -> Result<Vec<wenshu_api::SourceLine>> {
    let mut out = Vec::new();
    for file in files {
        let path = Path::new(file);
        let paragraphs = read_file(path, MAX_DOCUMENT_BYTES, "a document")
            .and_then(|bytes| crate::kb::extract(path, bytes))?;
        out.extend(
            paragraphs
                .into_iter()
                .enumerate()
                .map(|(i, p)| wenshu_api::SourceLine {
                    file: file.clone(),
                    number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    page: p.page,
                    speaker: None,
                    text: p.text,
                }),
        );
    }
    Ok(out)
}

/// Key points a piece may give, and the points a summary keeps by default.
fn piece_points(length: SummaryLength) -> usize {
    match length {
        SummaryLength::Short => 3,
        SummaryLength::Medium => 4,
        SummaryLength::Long => 5,
    }
}

fn default_points(length: SummaryLength) -> usize {
    match length {
        SummaryLength::Short => 3,
        SummaryLength::Medium => 5,
        SummaryLength::Long => 8,
    }
}

/// Whether `text` may stand on `sources`: nothing they do not name, no talk about the task, no
/// placeholder.
fn stands(text: &str, sources: &str) -> bool {
    invented(text, sources).is_empty()
        && sentences(text).iter().all(|s| task_talk(s).is_none())
        && placeholder(text).is_none()
}

/// The sentences of `paragraph`, and each two in a row, as a point may copy them.
fn runs(paragraph: &str) -> Vec<String> {
    let all: Vec<&str> = sentences(paragraph)
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let pairs = all.windows(2).map(|w| w.concat());
    all.iter().map(|s| (*s).to_string()).chain(pairs).collect()
}

/// `sentence` without a list number before it (2. 全年… reads 全年…; 2.5万户 stays), as
/// the heading toolkit reads numbers.
fn unnumbered(sentence: &str) -> &str {
    let s = sentence.trim_start();
    heading_marker(s).map_or(s, |m| s[m.len..].trim_start())
}

/// Whether `point` copies `sentence` but for a slip: each has nearly all the other's
/// character pairs.
fn near_copy(point: &str, sentence: &str) -> bool {
    const NEAR: f64 = 0.7;
    sentence.chars().count() >= 12
        && wording_share(point, sentence) >= NEAR
        && wording_share(sentence, point) >= NEAR
}

/// The most characters of a point; the grammar cuts a longer one.
const POINT_CHARS: usize = 90;

/// A model's point, tidied, if it is whole: one the grammar cut at [`POINT_CHARS`] goes back
/// to its last full stop or semicolon (凡是能够通过数 is no sentence), or is dropped.
fn whole_point(point: &str) -> Option<String> {
    let point = point.trim();
    let cut =
        point.chars().count() >= POINT_CHARS - 1 && !point.ends_with(['。', '！', '？', '；']);
    let point = if cut {
        let end = point.rfind(['。', '；', '！', '？'])?;
        &point[..end]
    } else {
        point
    };
    let point = tidy(point);
    (!point.is_empty()).then_some(point)
}

/// A model's point: one line, a full stop at the end, no list marker.
fn tidy(text: &str) -> String {
    let text: String = text.lines().map(str::trim).collect();
    // A list marker goes (1. - •); a number that opens the sentence (2025年，…) stays.
    let text = unnumbered(text.trim().trim_start_matches(['-', '•', '*']))
        .trim()
        .trim_end_matches(['，', ',', '；', ';']);
    if text.is_empty() || text.ends_with(['。', '！', '？']) {
        text.to_string()
    } else {
        format!("{text}。")
    }
}

/// The same places once, in order.
fn dedup_sources(sources: Vec<SourceRef>) -> Vec<SourceRef> {
    let mut out: Vec<SourceRef> = Vec::new();
    for s in sources {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

impl Wenshu {
    /// A summary of `request.files`, with key points that cite their pages or sections. A
    /// stopped run keeps the pieces it finished; `request.resume` picks up from them.
    pub fn summarize(
        &self,
        request: &SummaryRequest,
        cancel: &CancelFlag,
        on_event: &mut dyn FnMut(LongEvent<'_>),
    ) -> Result<Summary> {
        let prompts = prompts()?;
        if request.files.is_empty() {
            return Err(AppError::of(ErrorCode::InvalidInput, msg::no_files()));
        }
        let mut docs = Vec::new();
        let mut skipped = Vec::new();
        for file in &request.files {
            let path = Path::new(file);
            let read = read_file(path, MAX_DOCUMENT_BYTES, "a document")
                .and_then(|bytes| crate::kb::extract(path, bytes))
                .and_then(|paragraphs| {
                    crate::policy::refuse_secret_paragraphs(&paragraphs, file)?;
                    Ok(paragraphs)
                });
            match read {
                Ok(paragraphs) => docs.push(Document::new(file.clone(), paragraphs)),
                // One file alone: its error is the answer; a state secret stops the whole run.
                Err(err) if request.files.len() == 1 || err.id == "policy.state_secret" => {
                    return self.audited(request.app.as_deref().unwrap_or("summary"), Err(err));
                }
                Err(err) => skipped.push(msg::skipped_file(file, &err.message).text),
            }
        }
        if docs.is_empty() {
            return Err(AppError::of(
                ErrorCode::InvalidInput,
                msg::no_readable_file(),
            ));
        }
        let focus = request
            .focus
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(|f| fill(&prompts.focus, &[("focus", f)]))
            .unwrap_or_default();
        let per_piece = piece_points(request.length);
        let wanted = request
            .points
            .unwrap_or_else(|| default_points(request.length))
            .clamp(1, 20);
        let order: Vec<At> = docs
            .iter()
            .enumerate()
            .flat_map(|(d, doc)| {
                (0..doc.paragraphs.len()).map(move |p| At {
                    doc: d,
                    paragraph: p,
                })
            })
            .collect();
        let text_of = |at: At| docs[at.doc].paragraphs[at.paragraph].text.as_str();
        let identity: Vec<String> = docs
            .iter()
            .map(|d| {
                let texts: Vec<&str> = d.paragraphs.iter().map(|p| p.text.as_str()).collect();
                format!("{}\n{}", d.label, texts.join("\n"))
            })
            .collect();
        let mut identity: Vec<&str> = identity.iter().map(String::as_str).collect();
        let options = format!("{:?}{wanted}{focus}", request.length);
        identity.push(&options);
        identity.push(PROMPTS);
        let mut run = Run::new(
            self,
            cancel,
            request.app.as_deref().unwrap_or("summary"),
            prompts.system.clone(),
            &identity,
            request.resume,
        )?;
        // The highest level of the documents: their markings and their folders'.
        run.level = self.highest_level(docs.iter().map(|d| {
            let texts: Vec<&str> = d.paragraphs.iter().map(|p| p.text.as_str()).collect();
            self.text_level(&texts.join("\n"))
                .max(self.folder_level(std::path::Path::new(&d.label)))
        }));
        let instructions = |source: &str, text: &str| {
            fill(
                &prompts.map,
                &[
                    ("points", &per_piece.to_string()),
                    ("focus", &focus),
                    ("source", source),
                    ("text", text),
                ],
            )
        };
        let overhead = run.count(&prompts.system)? + run.count(&instructions("", ""))? + 32;
        let budget = run.piece_budget(overhead)?;
        let mut group = 0;
        let blocks: Vec<Block<'_>> = order
            .iter()
            .enumerate()
            .map(|(i, at)| {
                let fresh = i == 0 || order[i - 1].doc != at.doc;
                let section_changes = i > 0
                    && docs[at.doc].sections[at.paragraph]
                        != docs[order[i - 1].doc].sections[order[i - 1].paragraph];
                if fresh || section_changes {
                    group += 1;
                }
                Block {
                    text: text_of(*at),
                    group,
                    extra: 2,
                    fresh,
                }
            })
            .collect();
        let pieces = run.split(&blocks, budget);
        run.stats.pieces = pieces.len();
        run.stats.input_tokens = pieces.iter().map(|p| p.tokens as u64).sum();
        run.expect(pieces.len() + 1);
        let schema = json!({
            "type": "object",
            "properties": {"points": {
                "type": "array",
                "items": {"type": "string", "maxLength": POINT_CHARS},
                "maxItems": per_piece,
            }},
            "required": ["points"],
            "additionalProperties": false,
        })
        .to_string();
        let mut results: Vec<Vec<PointInfo>> = Vec::with_capacity(pieces.len());
        for (index, piece) in pieces.iter().enumerate() {
            let range = piece.blocks();
            let first = order[range.start];
            let last = order[range.end - 1];
            let doc = &docs[first.doc];
            let whole = doc.source(first.paragraph, last.paragraph);
            let source_line = format!("文件：《{}》{}", doc.label, whole.label());
            let text: String = piece
                .spans
                .iter()
                .map(|s| format!("{}\n", &blocks[s.block].text[s.start..s.end]))
                .collect();
            let prompt = instructions(&source_line, &text);
            let schema = schema.clone();
            let points: Vec<PointInfo> = run.step(0, index, on_event, |run, on_event| {
                let raw = run.generate(prompt, Constraint::JsonSchema(schema), on_event)?;
                let answer: Value = serde_json::from_str(raw.trim()).unwrap_or(Value::Null);
                let mut kept: Vec<PointInfo> = Vec::new();
                for point in answer
                    .get("points")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    let Some(point) = whole_point(point) else {
                        continue;
                    };
                    // A point copied from a sentence, with a slip (年，在区委… for 2025年，在区委…),
                    // is that sentence as written.
                    let point = range
                        .clone()
                        .flat_map(|b| runs(text_of(order[b])))
                        .find(|s| near_copy(&point, s))
                        .map_or(point, |s| tidy(&s));
                    if point.chars().count() < 12 || !stands(&point, &text) {
                        continue;
                    }
                    // A heading copied is not a point.
                    let bare = point.trim_end_matches('。');
                    if range.clone().any(|b| {
                        let p = text_of(order[b]);
                        p.chars().count() <= 40 && (p.contains(bare) || bare.contains(p))
                    }) {
                        continue;
                    }
                    if kept
                        .iter()
                        .any(|k| wenshu_core::text::same_sentence(&k.text, &point))
                    {
                        continue;
                    }
                    // The paragraph that bears the point out, else the whole piece.
                    let best = range
                        .clone()
                        .map(|b| (b, wording_share(&point, text_of(order[b]))))
                        .filter(|&(_, s)| s >= SOURCE_SHARE)
                        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
                    let source = match best {
                        Some((b, _)) => doc.source(order[b].paragraph, order[b].paragraph),
                        None => whole.clone(),
                    };
                    kept.push(PointInfo {
                        text: point,
                        speaker: None,
                        sources: vec![source],
                        origin: PointOrigin::Model,
                    });
                }
                // A section the model said nothing of gives its most telling sentence.
                let sections: Vec<Option<String>> = range
                    .clone()
                    .map(|b| doc.sections[order[b].paragraph].clone())
                    .fold(Vec::new(), |mut out, s| {
                        if !out.contains(&s) {
                            out.push(s);
                        }
                        out
                    });
                // Every section of the piece has its point, up to twice the points asked for:
                // a second point on a section waits until each section has one.
                let limit = sections.len().clamp(per_piece, per_piece * 2);
                let mut waiting = Vec::new();
                let mut firsts: Vec<PointInfo> = Vec::new();
                for point in kept {
                    let section = &point.sources[0].section;
                    if firsts.iter().any(|f| &f.sources[0].section == section) {
                        waiting.push(point);
                    } else {
                        firsts.push(point);
                    }
                }
                let mut kept = firsts;
                for section in sections {
                    if kept.len() >= limit {
                        break;
                    }
                    let covered = kept
                        .iter()
                        .any(|k| k.sources.iter().any(|s| s.section == section));
                    if covered {
                        continue;
                    }
                    let best = range
                        .clone()
                        .filter(|&b| doc.sections[order[b].paragraph] == section)
                        .flat_map(|b| {
                            sentences(text_of(order[b]))
                                .into_iter()
                                .map(move |s| (b, s.trim().to_string()))
                        })
                        .filter(|(_, s)| {
                            (15..=120).contains(&s.chars().count())
                                && s.ends_with(['。', '；', '！', '？'])
                        })
                        .max_by_key(|(b, s)| (items(s).len(), std::cmp::Reverse(*b)));
                    if let Some((b, sentence)) = best {
                        kept.push(PointInfo {
                            text: tidy(&sentence),
                            speaker: None,
                            sources: vec![doc.source(order[b].paragraph, order[b].paragraph)],
                            origin: PointOrigin::Source,
                        });
                    }
                }
                kept.extend(waiting);
                kept.truncate(limit);
                // In the document's order.
                kept.sort_by_key(|p| p.sources[0].paragraphs.map_or(0, |(a, _)| a));
                Ok(kept)
            })?;
            results.push(points);
        }
        let points = merge_points(
            &mut run, &prompts, &focus, results, wanted, budget, on_event,
        )?;
        let numbered: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{}. {}", i + 1, p.text))
            .collect();
        let all_points = numbered.join("\n");
        let chars = request.length.chars();
        let prompt = fill(
            &prompts.summary,
            &[
                ("chars", &chars.to_string()),
                ("focus", &focus),
                ("items", &all_points),
            ],
        );
        let level = run.stats.levels + 1;
        let summary: String = run.step(level, 0, on_event, |run, on_event| {
            let raw = run.generate(prompt, Constraint::None, on_event)?;
            let one_line: String = raw.lines().map(str::trim).collect();
            // The list's numbers (2. 全年…) are not the summary's words.
            let kept: String = sentences(&one_line)
                .into_iter()
                .map(unnumbered)
                .filter(|s| stands(s, &all_points) && s.chars().count() >= 15)
                .collect();
            Ok(kept.trim().to_string())
        })?;
        let summary = if summary.is_empty() {
            points.iter().take(2).map(|p| p.text.as_str()).collect()
        } else {
            summary
        };
        let files: Vec<String> = docs.iter().map(|d| d.label.clone()).collect();
        let markdown = markdown(&files, &summary, &points, &skipped);
        Ok(Summary {
            files,
            summary,
            points,
            markdown,
            skipped,
            model: run.model_name.clone(),
            model_sha256: run.model_sha256.clone(),
            level: run.level.clone(),
            stats: run.finish()?,
        })
    }
}

/// Merges the pieces' points in groups, level by level, until one list of at most `wanted`
/// is left; each merged point cites the sources of the points it says it came from.
fn merge_points(
    run: &mut Run<'_>,
    prompts: &Prompts,
    focus: &str,
    mut results: Vec<Vec<PointInfo>>,
    wanted: usize,
    budget: usize,
    on_event: &mut dyn FnMut(LongEvent<'_>),
) -> Result<Vec<PointInfo>> {
    results.retain(|r| !r.is_empty());
    let fan_in = run.settings.fan_in as usize;
    let mut level = 0;
    while results.len() > 1 || results.first().is_some_and(|r| r.len() > wanted) {
        let total: usize = results.iter().map(Vec::len).sum();
        if total <= wanted {
            break;
        }
        level += 1;
        let sizes: Vec<usize> = results
            .iter()
            .map(|r| {
                let text: String = r.iter().map(|p| p.text.as_str()).collect();
                run.count(&text)
            })
            .collect::<Result<_>>()?;
        let groups = merge_groups(&sizes, budget, fan_in);
        run.expect(groups.len());
        let mut next = Vec::with_capacity(groups.len());
        for (index, group) in groups.into_iter().enumerate() {
            let inputs: Vec<PointInfo> = results[group].iter().flatten().cloned().collect();
            let numbered: Vec<String> = inputs
                .iter()
                .enumerate()
                .map(|(i, p)| format!("{}. {}", i + 1, p.text))
                .collect();
            let joined: String = inputs.iter().map(|p| p.text.as_str()).collect();
            let facts: Vec<String> = items(&joined).into_iter().map(|i| i.text).collect();
            let facts = if facts.is_empty() {
                "（无）".to_string()
            } else {
                facts.join("、")
            };
            let prompt = fill(
                &prompts.merge,
                &[
                    ("count", &wanted.to_string()),
                    ("facts", &facts),
                    ("focus", focus),
                    ("items", &numbered.join("\n")),
                ],
            );
            let schema = json!({
                "type": "object",
                "properties": {"points": {
                    "type": "array",
                    "maxItems": wanted,
                    "items": {
                        "type": "object",
                        "properties": {
                            "text": {"type": "string", "maxLength": POINT_CHARS},
                            "sources": {
                                "type": "array",
                                "items": {"type": "integer", "minimum": 1, "maximum": inputs.len()},
                                "maxItems": 6,
                            },
                        },
                        "required": ["text", "sources"],
                        "additionalProperties": false,
                    },
                }},
                "required": ["points"],
                "additionalProperties": false,
            })
            .to_string();
            let merged: Vec<PointInfo> = run.step(level, index, on_event, |run, on_event| {
                let raw = run.generate(prompt, Constraint::JsonSchema(schema), on_event)?;
                Ok(read_merge(&raw, &inputs, &joined))
            })?;
            // A merge that kept nothing keeps its first inputs instead.
            next.push(if merged.is_empty() {
                inputs.into_iter().take(wanted).collect()
            } else {
                merged
            });
        }
        run.stats.levels = level;
        results = next;
    }
    Ok(results.into_iter().flatten().take(wanted).collect())
}

/// The points of a merge that stand on their inputs, each with the sources of the inputs it
/// cites (or, citing none of them, of the input it shares most words with).
fn read_merge(raw: &str, inputs: &[PointInfo], joined: &str) -> Vec<PointInfo> {
    let answer: Value = serde_json::from_str(raw.trim()).unwrap_or(Value::Null);
    let mut out: Vec<PointInfo> = Vec::new();
    for item in answer
        .get("points")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(text) = whole_point(item.get("text").and_then(Value::as_str).unwrap_or("")) else {
            continue;
        };
        // An input copied with a slip is that input as it was.
        let text = inputs
            .iter()
            .find(|p| near_copy(&text, &p.text))
            .map_or(text, |p| p.text.clone());
        if text.chars().count() < 6 || !stands(&text, joined) {
            continue;
        }
        if out
            .iter()
            .any(|k| wenshu_core::text::same_sentence(&k.text, &text))
        {
            continue;
        }
        let cited: Vec<&PointInfo> = item
            .get("sources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
            .filter_map(|n| usize::try_from(n).ok())
            .filter_map(|n| n.checked_sub(1).and_then(|i| inputs.get(i)))
            .filter(|p| {
                wording_share(&p.text, &text) >= 0.3 || wording_share(&text, &p.text) >= 0.3
            })
            .collect();
        let cited = if cited.is_empty() {
            inputs
                .iter()
                .max_by(|a, b| {
                    wording_share(&text, &a.text).total_cmp(&wording_share(&text, &b.text))
                })
                .into_iter()
                .collect()
        } else {
            cited
        };
        let sources = dedup_sources(cited.iter().flat_map(|p| p.sources.clone()).collect());
        out.push(PointInfo {
            text,
            speaker: None,
            sources,
            origin: PointOrigin::Model,
        });
    }
    out
}

/// The summary as Markdown: the paragraph, then the points with their sources.
fn markdown(files: &[String], summary: &str, points: &[PointInfo], skipped: &[String]) -> String {
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            Path::new(f)
                .file_name()
                .map_or_else(|| f.clone(), |n| n.to_string_lossy().into_owned())
        })
        .collect();
    let mut out = format!("# 摘要：{}\n\n{summary}\n\n## 要点\n\n", names.join("、"));
    for (i, p) in points.iter().enumerate() {
        let cites: Vec<String> = p
            .sources
            .iter()
            .map(|s| {
                let name = Path::new(&s.file)
                    .file_name()
                    .map_or_else(|| s.file.clone(), |n| n.to_string_lossy().into_owned());
                if files.len() > 1 {
                    format!("{name} {}", s.label())
                } else {
                    s.label()
                }
            })
            .collect();
        out.push_str(&format!("{}. {}（{}）\n", i + 1, p.text, cites.join("；")));
    }
    if !skipped.is_empty() {
        out.push_str("\n## 未能读取的内容\n\n");
        for s in skipped {
            out.push_str(&format!("- {s}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_cut_by_the_grammar_goes_back_to_its_last_full_stop() {
        assert_eq!(
            whole_point("到2027年，网上可办率达到95%以上").as_deref(),
            Some("到2027年，网上可办率达到95%以上。"),
            "a short point is whole"
        );
        let cut = format!(
            "依申请政务服务事项网上可办率达到95%以上。{}",
            "推行免证办，凡是能够通过数据共享获取的证照一律不再要求群众提供".repeat(3)
        );
        let cut: String = cut.chars().take(POINT_CHARS).collect();
        assert_eq!(
            whole_point(&cut).as_deref(),
            Some("依申请政务服务事项网上可办率达到95%以上。")
        );
        let no_stop: String = "推行免证办凡是能够通过数据共享获取的证照"
            .repeat(5)
            .chars()
            .take(POINT_CHARS)
            .collect();
        assert_eq!(whole_point(&no_stop), None, "nothing whole is left");
    }

    #[test]
    fn a_near_copy_is_the_sentence_it_copies() {
        let sentence = "2025年，在区委、区政府的坚强领导下，各项工作取得明显成效。";
        assert!(near_copy(
            "年，在区委、区政府的坚强领导下，各项工作取得明显成效。",
            sentence
        ));
        assert!(near_copy(
            "政务服务服务中心办理事项286万件，同比增长12%。",
            "全年全区政务服务中心共办理事项286万件，同比增长12%。"
        ));
        assert!(
            !near_copy("各项工作取得明显成效。", sentence),
            "a part is not a copy"
        );
        assert_eq!(unnumbered("2. 全年办理286万件。"), "全年办理286万件。");
        let paragraph = "（二）营商环境持续优化。工程建设项目审批全流程时间压缩至60个工作日以内。全年新登记市场主体2.3万户。";
        let copied =
            "工作项目建设项目审批全流程时间压缩至60个工作日以内。全年新登记市场主体2.3万户。";
        assert_eq!(
            runs(paragraph)
                .into_iter()
                .find(|s| near_copy(copied, s))
                .as_deref(),
            Some("工程建设项目审批全流程时间压缩至60个工作日以内。全年新登记市场主体2.3万户。")
        );
        assert_eq!(unnumbered("2.5万户新登记。"), "2.5万户新登记。");
        assert_eq!(
            tidy("2025年，各项工作取得明显成效"),
            "2025年，各项工作取得明显成效。",
            "a year that opens a sentence is no list number"
        );
        assert_eq!(tidy("- 3. 全年办理286万件"), "全年办理286万件。");
    }
}
