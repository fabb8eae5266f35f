//! Meeting minutes from what was said: a transcript or notes (TXT, MD, DOCX, SRT, VTT, pasted
//! text) of any length becomes a 会议纪要 (overview, 议定事项 with 责任 and 时限, 会议要求,
//! attendance) or, with `record`, a 会议记录 (speeches, decisions, votes).
//!
//! The transcript is cut into pieces that fit the context; each piece gives its 要点, decisions,
//! requirements and speeches, checked against its lines by code (`notes`); the 要点 are merged
//! level by level into the overview, with the names, numbers and dates they carry handed up to
//! every level; decisions and requirements go up whole, by code, so none is lost on the way. The
//! result is a 纪要 document rendered by the drafting code (`render`), and Markdown and JSON in
//! which every item names its lines.

mod notes;
mod render;
pub(crate) mod source;

use serde::Deserialize;
use wenshu_api::messages::minutes as msg;
use wenshu_api::{
    CheckedValue, DecisionInfo, MeetingFields, Minutes, MinutesRequest, PointInfo, PointOrigin,
};
use wenshu_core::CancelFlag;
use wenshu_core::facts::items;
use wenshu_core::meeting::UNCONFIRMED;
use wenshu_core::pieces::merge_groups;
use wenshu_core::text::{sentences, task_talk};
use wenshu_core::transcript::Field;

use crate::Wenshu;
use crate::error::{AppError, ErrorCode, Result};
use crate::long::{LongEvent, Run};
use notes::{Noted, PieceLines, PieceNotes, read_notes};
use source::Sources;

pub use render::minutes_document;

const PROMPTS: &str = include_str!("../../../../prompts/minutes/minutes.toml");

/// The minutes prompts in `prompts/minutes/minutes.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Prompts {
    pub system: String,
    pub map: String,
    pub speeches: String,
    pub merge: String,
}

pub(crate) fn prompts() -> Result<Prompts> {
    toml::from_str(PROMPTS).map_err(|err| {
        AppError::of(
            ErrorCode::Config,
            msg::invalid_prompts("prompts/minutes/minutes.toml", err.message()),
        )
    })
}

/// Characters of a piece's 要点 and of the overview.
const PIECE_SUMMARY_CHARS: usize = 60;
const OVERVIEW_CHARS: usize = 150;

/// A 要点 merged from pieces, with the lines of the pieces it covers.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
struct Merged {
    text: String,
}

impl Wenshu {
    /// Minutes of the meeting in `request`'s transcripts. A stopped run keeps the pieces it
    /// finished; `request.resume` picks up from them.
    pub fn minutes(
        &self,
        request: &MinutesRequest,
        cancel: &CancelFlag,
        on_event: &mut dyn FnMut(LongEvent<'_>),
    ) -> Result<Minutes> {
        let prompts = prompts()?;
        let app = request.app.as_deref().unwrap_or(if request.record {
            "minutes.record"
        } else {
            "minutes"
        });
        let sources = self.audited(app, Sources::read(request))?;
        let shown = sources.shown.join("\n");
        let mut run = Run::new(
            self,
            cancel,
            app,
            prompts.system.clone(),
            &[&shown, PROMPTS, if request.record { "record" } else { "" }],
            request.resume,
        )?;
        run.level = self.level_name(self.text_level(&shown));
        let speeches = if request.record {
            prompts.speeches.as_str()
        } else {
            ""
        };
        let instructions = |part: usize, parts: usize, text: &str| {
            crate::draft::fill(
                &prompts.map,
                &[
                    ("summary_chars", &PIECE_SUMMARY_CHARS.to_string()),
                    ("speeches", speeches),
                    ("part", &part.to_string()),
                    ("parts", &parts.to_string()),
                    ("text", text),
                ],
            )
        };
        let overhead = run.count(&prompts.system)? + run.count(&instructions(1, 1, ""))?;
        let budget = run.piece_budget(overhead)?;
        let blocks = sources.blocks();
        let pieces = run.split(&blocks, budget);
        run.stats.pieces = pieces.len();
        run.stats.input_tokens = pieces.iter().map(|p| p.tokens as u64).sum();
        run.expect(pieces.len());
        let mut all: Vec<PieceNotes> = Vec::with_capacity(pieces.len());
        for (index, piece) in pieces.iter().enumerate() {
            let lines = PieceLines {
                sources: &sources,
                range: piece.blocks(),
            };
            let prompt = instructions(index + 1, pieces.len(), &sources.piece_text(piece, &blocks));
            let schema = notes::schema(lines.numbers(), request.record);
            let piece_notes = run.step(0, index, on_event, |run, on_event| {
                let raw = run.generate(
                    prompt,
                    wenshu_core::Constraint::JsonSchema(schema),
                    on_event,
                )?;
                Ok(read_notes(&raw, &lines, request.record))
            })?;
            all.push(piece_notes);
        }
        let summaries: Vec<String> = all.iter().map(|n| n.summary.clone()).collect();
        let overview_text = merge_summaries(&mut run, &prompts, summaries, budget, on_event)?;
        let fields = fields(request, &sources);
        let (decisions, requirements, speeches) = gather(all, &sources);
        // Without 要点 from the model, the overview names the matters decided.
        let overview_text = if overview_text.trim().is_empty() && !decisions.is_empty() {
            let topics: Vec<&str> = decisions
                .iter()
                .map(|d| d.heading.trim_start_matches("关于"))
                .collect();
            format!("研究了{}等事项。", topics.join("、"))
        } else {
            overview_text
        };
        let overview = render::overview(&fields, &overview_text, request.record);
        let votes = if request.record {
            render::votes(&sources)
        } else {
            Vec::new()
        };
        let mut minutes = Minutes {
            level: run.level.clone(),
            record: request.record,
            fields,
            overview,
            decisions,
            requirements,
            speeches,
            document: wenshu_api::DocumentInfo::default(),
            text: String::new(),
            markdown: String::new(),
            skipped: sources.skipped.clone(),
            stats: Default::default(),
            model: run.model_name.clone(),
            model_sha256: run.model_sha256.clone(),
        };
        let today = self.settings().ui.zone().date(self.now());
        let doc = render::document(&minutes, &votes, today);
        minutes.document = crate::draft::document_info(&doc);
        minutes.text = doc.to_text();
        minutes.markdown = render::markdown(&minutes, &votes);
        minutes.stats = run.finish()?;
        Ok(minutes)
    }
}

/// The numbered lines of transcript `files` and pasted `text`, as minutes cite them, for a
/// source pane.
pub fn source_lines(files: &[String], text: Option<String>) -> Result<Vec<wenshu_api::SourceLine>> {
    let sources = Sources::read(&MinutesRequest {
        files: files.to_vec(),
        text,
        ..MinutesRequest::default()
    })?;
    Ok(sources
        .order
        .iter()
        .map(|&at| {
            let line = sources.line(at);
            wenshu_api::SourceLine {
                file: sources.sources[at.source].label.clone(),
                number: line.number,
                page: None,
                speaker: line.speaker.clone(),
                text: line.text.clone(),
            }
        })
        .collect())
}

/// The overview's words: the pieces' 要点 merged in groups, level by level, until one is left.
fn merge_summaries(
    run: &mut Run<'_>,
    prompts: &Prompts,
    mut texts: Vec<String>,
    budget: usize,
    on_event: &mut dyn FnMut(LongEvent<'_>),
) -> Result<String> {
    texts.retain(|t| !t.trim().is_empty());
    let fan_in = run.settings.fan_in as usize;
    let mut level = 0;
    // One 要点 short enough stands as it is.
    while texts.len() > 1
        || texts
            .first()
            .is_some_and(|t| t.chars().count() > OVERVIEW_CHARS * 2)
    {
        level += 1;
        let sizes: Vec<usize> = texts.iter().map(|t| run.count(t)).collect::<Result<_>>()?;
        let groups = merge_groups(&sizes, budget, fan_in);
        run.expect(groups.len());
        let mut next = Vec::with_capacity(groups.len());
        for (index, group) in groups.into_iter().enumerate() {
            let parts = &texts[group];
            let points: Vec<String> = parts
                .iter()
                .enumerate()
                .map(|(i, t)| format!("{}. {t}", i + 1))
                .collect();
            let joined = parts.join("\n");
            let facts: Vec<String> = items(&joined).into_iter().map(|i| i.text).collect();
            let facts = if facts.is_empty() {
                "（无）".to_string()
            } else {
                facts.join("、")
            };
            let prompt = crate::draft::fill(
                &prompts.merge,
                &[
                    ("chars", &OVERVIEW_CHARS.to_string()),
                    ("facts", &facts),
                    ("points", &points.join("\n")),
                ],
            );
            let merged: Merged = run.step(level, index, on_event, |run, on_event| {
                let raw = run.generate(prompt, wenshu_core::Constraint::None, on_event)?;
                Ok(Merged {
                    text: keep_sentences(&raw, &joined),
                })
            })?;
            // A merge that kept nothing falls back on the parts' first sentences.
            next.push(if merged.text.is_empty() {
                parts
                    .iter()
                    .filter_map(|p| sentences(p).first().map(|s| s.to_string()))
                    .collect()
            } else {
                merged.text
            });
        }
        run.stats.levels = level;
        if next.len() == 1 && next[0].chars().count() > OVERVIEW_CHARS * 2 && texts.len() == 1 {
            // A single text the model could not shorten stays as it is.
            return Ok(next.remove(0));
        }
        texts = next;
    }
    Ok(texts.pop().unwrap_or_default())
}

/// The sentences of a merge that name nothing its parts do not and do not talk about the task.
fn keep_sentences(raw: &str, parts: &str) -> String {
    let one_line: String = raw.lines().map(str::trim).collect();
    sentences(&one_line)
        .into_iter()
        .filter(|s| {
            wenshu_core::facts::invented(s, parts).is_empty()
                && task_talk(s).is_none()
                && wenshu_core::text::placeholder(s).is_none()
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Names listed in a field (甲、乙，丙).
fn names(value: &str) -> Vec<String> {
    value
        .split(['、', '，', ',', '；', ';', ' ', '\u{3000}'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect()
}

/// The meeting's fields: the request's, else the first transcript's header lines; the people
/// who spoke attended, if nobody says who did.
fn fields(request: &MinutesRequest, sources: &Sources) -> MeetingFields {
    let given = &request.fields;
    let header = |field: Field| {
        sources
            .sources
            .iter()
            .find_map(|s| s.transcript.field(field).map(str::to_string))
    };
    let list = |given: &Vec<String>, field: Field| {
        if given.is_empty() {
            header(field).map(|v| names(&v)).unwrap_or_default()
        } else {
            given.clone()
        }
    };
    let mut attendees = list(&given.attendees, Field::Attendees);
    if attendees.is_empty() {
        attendees = sources
            .sources
            .iter()
            .flat_map(|s| s.transcript.speakers())
            .map(String::from)
            .fold(Vec::new(), |mut out, name| {
                if !out.contains(&name) {
                    out.push(name);
                }
                out
            });
    }
    let agenda = if given.agenda.is_empty() {
        header(Field::Agenda)
            .map(|v| {
                v.split(['；', ';'])
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    } else {
        given.agenda.clone()
    };
    MeetingFields {
        title: given.title.clone().or_else(|| header(Field::Title)),
        time: given.time.clone().or_else(|| header(Field::Time)),
        place: given.place.clone().or_else(|| header(Field::Place)),
        chair: given.chair.clone().or_else(|| header(Field::Chair)),
        attendees,
        absent: list(&given.absent, Field::Absent),
        observers: list(&given.observers, Field::Observers),
        agenda,
        recorder: given.recorder.clone().or_else(|| header(Field::Recorder)),
    }
}

fn checked(value: Option<String>) -> CheckedValue {
    match value {
        Some(text) => CheckedValue {
            text,
            confirmed: true,
        },
        None => CheckedValue {
            text: UNCONFIRMED.to_string(),
            confirmed: false,
        },
    }
}

fn origin(noted: &Noted) -> PointOrigin {
    if noted.from_model {
        PointOrigin::Model
    } else {
        PointOrigin::Source
    }
}

/// The pieces' items in order, the same decision or requirement once.
fn gather(
    all: Vec<PieceNotes>,
    sources: &Sources,
) -> (Vec<DecisionInfo>, Vec<PointInfo>, Vec<PointInfo>) {
    let mut decisions: Vec<Noted> = Vec::new();
    let mut requirements: Vec<Noted> = Vec::new();
    let mut speeches: Vec<Noted> = Vec::new();
    for notes in all {
        for d in notes.decisions {
            if !decisions
                .iter()
                .any(|k| wenshu_core::text::same_sentence(&k.text, &d.text))
            {
                decisions.push(d);
            }
        }
        for r in notes.requirements {
            if !requirements
                .iter()
                .any(|k| wenshu_core::text::same_sentence(&k.text, &r.text))
            {
                requirements.push(r);
            }
        }
        speeches.extend(notes.speeches);
    }
    let decisions = decisions
        .into_iter()
        .map(|d| DecisionInfo {
            heading: d.heading.clone(),
            text: d.text.clone(),
            owner: checked(d.owner.clone()),
            deadline: checked(d.deadline.clone()),
            source: sources.source_ref(d.first, d.last),
            origin: origin(&d),
        })
        .collect();
    let point = |n: Noted| PointInfo {
        text: n.text.clone(),
        speaker: n.speaker.clone(),
        sources: vec![sources.source_ref(n.first, n.last)],
        origin: origin(&n),
    };
    (
        decisions,
        requirements.into_iter().map(point).collect(),
        speeches.into_iter().map(point).collect(),
    )
}
