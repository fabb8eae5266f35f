//! What one piece of a transcript yields: its 要点, the 议定事项 with owner and deadline, the
//! 会议要求 and, for a 会议记录, the speeches. The model proposes them as JSON; code keeps only
//! what the piece's lines bear out:
//! - each item is put on the line whose words it shares most (the line the model named, if it
//!   bears the item out), and an item no line bears out is dropped;
//! - an owner or a deadline counts only when the cited lines, or the lines around them, say it
//!   word for word; otherwise it stays unconfirmed (待确认), never guessed;
//! - an item that names what its lines do not (a number, an organisation, a person) or that
//!   talks about the task is replaced by its line's own words;
//! - a line that plainly records a decision (an owner and a deadline, or 会议决定) and that no
//!   item covers becomes an item of its own, in its own words.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wenshu_core::facts::{invented, wording_share};
use wenshu_core::meeting::{self, found_in};
use wenshu_core::text::{placeholder, sentences, tagged, task_talk};

use super::source::Sources;

/// An item as kept: its words, where it came from (indexes of the run's lines) and what the
/// lines confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Noted {
    pub heading: String,
    pub text: String,
    pub speaker: Option<String>,
    /// The owner as the lines say it; `None` is 待确认.
    pub owner: Option<String>,
    /// The deadline as the lines say it; `None` is 待确认.
    pub deadline: Option<String>,
    pub first: usize,
    pub last: usize,
    /// Whether the model wrote it (else it is a line's own words).
    pub from_model: bool,
}

/// What one piece yields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PieceNotes {
    pub summary: String,
    pub decisions: Vec<Noted>,
    pub requirements: Vec<Noted>,
    pub speeches: Vec<Noted>,
}

/// The share of an item's character pairs a line must have to bear it out.
const BEARS_OUT: f64 = 0.3;

/// Lines around an item's line where its owner or deadline may be said.
const AROUND: usize = 2;

/// Set phrases of minutes that no transcript line says.
const SET_PHRASES: &[&str] = &[
    "会议同意",
    "会议议定",
    "会议决定",
    "会议明确",
    "会议确定",
    "会议要求",
    "会议强调",
    "会议指出",
    "会议认为",
    "会议听取了",
    "会议研究了",
    "会议",
];

/// Spoken openings dropped from a line's own words.
const FILLERS: &[&str] = &[
    "那就这么定了",
    "就这么定了",
    "那就这样",
    "就这样",
    "好的",
    "好",
    "行",
    "嗯",
    "那么",
    "那",
    "大家看",
    "我看",
    "我觉得",
    "同意",
    "另外",
    "此外",
    "还有",
    "最后",
    "然后",
];

/// The JSON Schema of a piece's answer, its line numbers within `lines`.
pub(crate) fn schema(lines: (u32, u32), record: bool) -> String {
    let line = json!({"type": "integer", "minimum": lines.0, "maximum": lines.1});
    let text = |max: usize| json!({"type": "string", "maxLength": max});
    let mut properties = serde_json::Map::new();
    properties.insert("summary".into(), text(80));
    properties.insert(
        "decisions".into(),
        json!({
            "type": "array",
            "maxItems": 5,
            "items": {
                "type": "object",
                "properties": {
                    "topic": text(16),
                    "matter": text(70),
                    "owner": text(30),
                    "deadline": text(20),
                    "line": line,
                },
                "required": ["topic", "matter", "owner", "deadline", "line"],
                "additionalProperties": false,
            },
        }),
    );
    properties.insert(
        "requirements".into(),
        json!({
            "type": "array",
            "maxItems": 3,
            "items": {
                "type": "object",
                "properties": {"text": text(70), "line": line},
                "required": ["text", "line"],
                "additionalProperties": false,
            },
        }),
    );
    if record {
        properties.insert(
            "speeches".into(),
            json!({
                "type": "array",
                "maxItems": 8,
                "items": {
                    "type": "object",
                    "properties": {"speaker": text(16), "text": text(80), "line": line},
                    "required": ["speaker", "text", "line"],
                    "additionalProperties": false,
                },
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
    .to_string()
}

/// A piece's lines and how to find them.
pub(crate) struct PieceLines<'a> {
    pub sources: &'a Sources,
    /// Indexes of the run's lines the piece holds.
    pub range: Range<usize>,
}

impl PieceLines<'_> {
    fn text(&self, i: usize) -> &str {
        &self.sources.line(self.sources.order[i]).text
    }

    fn speaker(&self, i: usize) -> Option<&str> {
        self.sources.line(self.sources.order[i]).speaker.as_deref()
    }

    fn number(&self, i: usize) -> u32 {
        self.sources.line(self.sources.order[i]).number
    }

    /// The first and last line numbers of the piece.
    pub fn numbers(&self) -> (u32, u32) {
        (
            self.number(self.range.start),
            self.number(self.range.end.saturating_sub(1).max(self.range.start)),
        )
    }

    /// The line that bears out `text`: the one numbered `claimed` if it does, else the one
    /// sharing most of its words, if any shares enough.
    fn locate(&self, text: &str, claimed: Option<u64>) -> Option<usize> {
        let bare = bare(text);
        if bare.chars().count() < 2 {
            return None;
        }
        let share = |i: usize| wording_share(&bare, self.text(i));
        if let Some(claimed) = claimed
            && let Some(i) = self
                .range
                .clone()
                .find(|&i| u64::from(self.number(i)) == claimed)
            && share(i) >= BEARS_OUT
        {
            return Some(i);
        }
        self.range
            .clone()
            .map(|i| (i, share(i)))
            .filter(|&(_, s)| s >= BEARS_OUT)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i)
    }

    /// Lines around `i` within the piece, nearest first.
    fn around(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        for d in 1..=AROUND {
            if i >= self.range.start + d {
                out.push(i - d);
            }
            if i + d < self.range.end {
                out.push(i + d);
            }
        }
        out
    }

    /// The owner or deadline of the decision on line `i`, with the line that says it: the one
    /// the model claimed if line `i` says it; else the one line `i` says itself (read by
    /// `read`); else the claimed one on a line around `i` that records no decision of its own.
    /// `None` when no line says one: 待确认.
    fn confirm(
        &self,
        i: usize,
        claimed: &str,
        read: fn(&str) -> Option<String>,
    ) -> Option<(String, usize)> {
        let claimed = claimed.trim();
        let line = self.text(i);
        if !claimed.is_empty() && found_in(claimed, line) {
            return Some((claimed.to_string(), i));
        }
        if let Some(value) = read(line) {
            return Some((value, i));
        }
        for j in self.around(i).into_iter().skip(1) {
            let near = self.text(j);
            // Another speaker's line proposes; it does not decide (建议3个工作日内…).
            if plain_decision(near) || self.speaker(j) != self.speaker(i) {
                continue;
            }
            if claimed.is_empty() {
                if let Some(value) = read(near) {
                    return Some((value, j));
                }
            } else if found_in(claimed, near) {
                return Some((claimed.to_string(), j));
            }
        }
        None
    }

    /// Text of lines `first..=last`, joined.
    fn joined(&self, first: usize, last: usize) -> String {
        (first..=last)
            .map(|i| self.text(i))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// `text` without the set phrases of minutes, for comparing with what was said.
fn bare(text: &str) -> String {
    let mut out = text.to_string();
    for phrase in SET_PHRASES {
        out = out.replace(phrase, "");
    }
    out
}

/// A line's own words as an item: spoken openings dropped, a full stop at the end.
pub(crate) fn own_words(line: &str) -> String {
    let mut text = line.trim();
    loop {
        let before = text;
        for filler in FILLERS {
            if let Some(rest) = text.strip_prefix(filler) {
                text = rest.trim_start_matches(['，', ',', '。', '！', '、', ' ']);
            }
        }
        if text == before {
            break;
        }
    }
    let text = text.trim_end_matches(['，', ',', '；', ';', '、']);
    if text.is_empty() {
        return line.trim().to_string();
    }
    if text.ends_with(['。', '！', '？']) {
        text.to_string()
    } else {
        format!("{text}。")
    }
}

/// Spoken openings a heading does without (另外, 最后, 剩下).
const HEADING_OPENERS: &[&str] = &[
    "另外",
    "此外",
    "还有",
    "最后",
    "首先",
    "其次",
    "然后",
    "剩下的",
    "剩下",
    "其他",
    "关于",
    "至于",
];

/// Verbs a heading does without: 关于完成全部系统的分类分级 reads 关于全部系统的分类分级.
const HEADING_VERBS: &[&str] = &["完成", "做好", "抓好", "开展", "推进", "负责"];

/// The sentences of a line that record its decision (those with words of deciding, an owner
/// or a deadline), in the line's own words.
pub(crate) fn decision_words(line: &str) -> String {
    let kept: String = sentences(line)
        .into_iter()
        .filter(|s| decision_like(s))
        .collect();
    if kept.trim().is_empty() {
        own_words(line)
    } else {
        own_words(&kept)
    }
}

/// The model's answer as JSON. An answer cut off by the token limit keeps its complete values:
/// the text is cut after the last one and the open brackets are closed.
pub(crate) fn salvage_json(raw: &str) -> Value {
    let raw = raw.trim();
    if let Ok(value) = serde_json::from_str(raw) {
        return value;
    }
    // Where a value inside an array or object ends, with the brackets open there.
    let mut stack: Vec<char> = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut best: Option<(usize, Vec<char>)> = None;
    for (i, c) in raw.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => stack.push('}'),
            '[' => stack.push(']'),
            '}' | ']' => {
                stack.pop();
                if !stack.is_empty() {
                    best = Some((i + 1, stack.clone()));
                }
            }
            ',' => best = Some((i, stack.clone())),
            _ => {}
        }
    }
    let Some((end, open)) = best else {
        return Value::Null;
    };
    let mut text = raw[..end].trim_end().trim_end_matches(',').to_string();
    // A member whose value never came (`"key":`) is cut as well.
    if text.ends_with(':')
        && let Some(p) = text.rfind(',')
    {
        text.truncate(p);
    }
    text.extend(open.iter().rev());
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// A heading for an item whose topic cannot stand, from its own words: what is to be done
/// (平台对接由信息中心负责 gives 关于平台对接, 由政务服务处牵头梳理高频事项清单 gives
/// 关于梳理高频事项清单), cut at a word within ten characters.
pub(crate) fn heading_of(text: &str) -> String {
    let bare = bare(text);
    let clauses: Vec<&str> = bare
        .split(['，', '。', '；', '：', ',', ';'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    // The clause that assigns the work, else the first.
    let clause = clauses
        .iter()
        .find(|c| {
            ["由", "负责", "牵头", "请", "把"]
                .iter()
                .any(|w| c.contains(w))
        })
        .or(clauses.first())
        .copied()
        .unwrap_or("");
    let subject = if let Some((before, _)) = clause.split_once('由').filter(|(b, _)| !b.is_empty())
    {
        before.to_string()
    } else if let Some((_, after)) = clause.split_once('把') {
        // 请办公室于3月20日前把二季度经费使用计划报上来: what is handed over.
        after
            .split(['报', '交', '送', '提'])
            .next()
            .unwrap_or(after)
            .to_string()
    } else if let Some(p) = ["牵头", "负责"]
        .iter()
        .find_map(|v| clause.find(v).map(|i| i + v.len()))
    {
        clause[p..].to_string()
    } else {
        clause.to_string()
    };
    let mut subject = subject.trim().to_string();
    for opener in HEADING_OPENERS {
        subject = subject.trim_start_matches(opener).to_string();
    }
    // 由X牵头 with nothing before it: the matter is in another clause (超期的146件).
    if subject.chars().count() < 2
        && let Some(other) = clauses.iter().find(|c| {
            c.chars().count() >= 2
                && meeting::owner(c).is_none()
                && meeting::deadline(c).is_none()
                && !["由", "负责", "牵头"].iter().any(|w| c.contains(w))
        })
    {
        subject = (*other).to_string();
    }
    let mut subject = subject.trim_start_matches(['这', '那', '该']);
    for verb in HEADING_VERBS {
        subject = subject.strip_prefix(verb).unwrap_or(subject);
    }
    let mut out = String::new();
    for word in tagged(subject) {
        if out.chars().count() + word.text.chars().count() > 16 {
            break;
        }
        out.push_str(word.text);
    }
    let out = out.trim_end_matches(['的', '要', '和', '及']).to_string();
    if out.chars().count() < 2 {
        let first: String = clause.chars().take(10).collect();
        format!("关于{first}")
    } else {
        format!("关于{out}")
    }
}

/// Whether a model's text may stand for its lines: nothing they do not name, no talk about
/// the task, no placeholder.
fn stands(text: &str, lines: &str) -> bool {
    invented(text, lines).is_empty()
        && sentences(text).iter().all(|s| task_talk(s).is_none())
        && placeholder(text).is_none()
}

fn field<'v>(item: &'v Value, key: &str) -> &'v str {
    item.get(key).and_then(Value::as_str).unwrap_or("").trim()
}

/// The sentences of a model's decision that decide (an owner, a deadline, words of deciding),
/// the rest (今年的重点。) left out; all of it when none does.
fn deciding_sentences(text: &str) -> String {
    let kept: String = sentences(text)
        .into_iter()
        .filter(|s| decision_like(s))
        .collect();
    if kept.trim().is_empty() {
        text.to_string()
    } else {
        tidy(&kept)
    }
}

/// A model's text as an item's words: one line, a full stop at the end.
fn tidy(text: &str) -> String {
    let text: String = text.lines().map(str::trim).collect();
    let text = text.trim().trim_end_matches(['，', ',', '；', ';']);
    if text.is_empty() || text.ends_with(['。', '！', '？']) {
        text.to_string()
    } else {
        format!("{text}。")
    }
}

/// Reads the model's answer for a piece (what it could not read counts as nothing) and keeps
/// what the lines bear out, adding the decisions it missed.
pub(crate) fn read_notes(raw: &str, lines: &PieceLines<'_>, record: bool) -> PieceNotes {
    let answer = salvage_json(raw);
    let list = |key: &str| -> Vec<Value> {
        answer
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut notes = PieceNotes {
        summary: summary_of(field(&answer, "summary"), lines),
        ..PieceNotes::default()
    };
    for item in list("decisions") {
        if let Some(noted) = decision(&item, lines) {
            push_new(&mut notes.decisions, noted);
        }
    }
    for item in list("requirements") {
        if let Some(noted) = plain(&item, "text", lines) {
            push_new(&mut notes.requirements, noted);
        }
    }
    if record {
        for item in list("speeches") {
            if let Some(mut noted) = plain(&item, "text", lines) {
                // The speaker is the line's, whatever the model said.
                noted.speaker = lines
                    .sources
                    .line(lines.sources.order[noted.first])
                    .speaker
                    .clone();
                if noted.speaker.is_some() {
                    push_new(&mut notes.speeches, noted);
                }
            }
        }
    }
    add_missed(&mut notes, lines, record);
    notes
}

/// The piece's 要点 if it stands, without openings that name the piece.
fn summary_of(raw: &str, lines: &PieceLines<'_>) -> String {
    let text = tidy(raw);
    let text = ["这部分", "本部分", "该部分", "此部分"]
        .iter()
        .fold(text, |t, opening| t.replace(opening, ""));
    let text = text.trim_start_matches(['，', '、', '：']).to_string();
    let all = lines.joined(lines.range.start, lines.range.end - 1);
    // A sentence that only repeats a line (the meeting's name) says nothing of the meeting.
    let kept: String = sentences(&text)
        .into_iter()
        .filter(|s| {
            let bare = s.trim_end_matches(['。', '！', '？']);
            !names_the_piece(s)
                && stands(s, &all)
                && bare.chars().count() >= 6
                && !lines.range.clone().any(|i| lines.text(i).contains(bare))
        })
        .collect();
    kept
}

/// Whether a sentence talks about the transcript rather than the meeting: 会议记录第1部分,
/// 本段记录.
fn names_the_piece(sentence: &str) -> bool {
    let chars: Vec<char> = sentence.chars().collect();
    let part = chars.windows(3).any(|w| {
        w[0] == '第'
            && (w[1].is_ascii_digit() || "一二三四五六七八九十".contains(w[1]))
            && w[2] == '部'
    });
    part || ["会议记录", "记录稿", "转写", "本段", "这段"]
        .iter()
        .any(|w| sentence.contains(w))
}

/// Whether a line can hold a decision: words of deciding, an owner or a deadline.
fn decision_like(line: &str) -> bool {
    meeting::is_decision(line)
        || meeting::owner(line).is_some()
        || meeting::deadline(line).is_some()
}

/// A 议定事项 from the model's item, if a line that records a decision bears it out.
fn decision(item: &Value, lines: &PieceLines<'_>) -> Option<Noted> {
    let text = tidy(field(item, "matter"));
    let claimed_line = item.get("line").and_then(Value::as_u64);
    let at = lines.locate(&text, claimed_line)?;
    if !decision_like(lines.text(at)) {
        return None;
    }
    let owner = lines.confirm(at, field(item, "owner"), meeting::owner);
    // 时间再定 on the deciding line leaves the deadline open, whatever a nearby line says.
    let deadline =
        if meeting::deadline(lines.text(at)).is_none() && meeting::time_open(lines.text(at)) {
            None
        } else {
            lines.confirm(at, field(item, "deadline"), meeting::deadline)
        };
    let first = [
        Some(at),
        owner.as_ref().map(|o| o.1),
        deadline.as_ref().map(|d| d.1),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(at);
    let last = [
        Some(at),
        owner.as_ref().map(|o| o.1),
        deadline.as_ref().map(|d| d.1),
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(at);
    let cited = lines.joined(first, last);
    let (text, from_model) = if stands(&text, &cited) {
        (deciding_sentences(&text), true)
    } else {
        (decision_words(lines.text(at)), false)
    };
    let heading = field(item, "topic")
        .trim_end_matches(['。', '，', '：'])
        .to_string();
    // A heading names the matter, not who does it.
    let names_owner = owner
        .as_ref()
        .is_some_and(|(o, _)| o.contains(heading.trim_start_matches("关于")));
    let heading = if (2..=16).contains(&heading.chars().count())
        && stands(&heading, &cited)
        && !names_owner
    {
        heading
    } else {
        heading_of(&text)
    };
    Some(Noted {
        heading,
        text,
        speaker: None,
        owner: owner.map(|o| o.0),
        deadline: deadline.map(|d| d.0),
        first,
        last,
        from_model,
    })
}

/// A requirement or speech from the model's item, if a line bears it out.
fn plain(item: &Value, key: &str, lines: &PieceLines<'_>) -> Option<Noted> {
    let text = tidy(field(item, key));
    let at = lines.locate(&text, item.get("line").and_then(Value::as_u64))?;
    let (text, from_model) = if stands(&text, lines.text(at)) {
        (text, true)
    } else {
        (own_words(lines.text(at)), false)
    };
    Some(Noted {
        heading: String::new(),
        text,
        speaker: None,
        owner: None,
        deadline: None,
        first: at,
        last: at,
        from_model,
    })
}

/// Adds `noted` unless an item already kept covers its line or says the same.
fn push_new(list: &mut Vec<Noted>, noted: Noted) {
    let covered = list.iter().any(|n| {
        (n.first..=n.last).contains(&noted.first)
            || wenshu_core::text::same_sentence(&n.text, &noted.text)
    });
    if !covered {
        list.push(noted);
    }
}

/// Whether a line plainly records a decision: 会议决定 and the like, or an owner and a
/// deadline both.
fn plain_decision(line: &str) -> bool {
    [
        "会议决定",
        "会议议定",
        "会议同意",
        "会议明确",
        "决定由",
        "议定",
    ]
    .iter()
    .any(|w| line.contains(w))
        || (meeting::owner(line).is_some()
            && (meeting::deadline(line).is_some() || meeting::time_open(line)))
}

/// Whether a line plainly records a requirement of the meeting.
fn plain_requirement(line: &str) -> bool {
    ["会议要求", "会议强调"].iter().any(|w| line.contains(w))
}

/// The decisions, requirements and (in a record) speakers the model missed, in the lines' own
/// words.
fn add_missed(notes: &mut PieceNotes, lines: &PieceLines<'_>, record: bool) {
    for i in lines.range.clone() {
        let text = lines.text(i);
        let covered = |list: &[Noted]| list.iter().any(|n| (n.first..=n.last).contains(&i));
        if plain_decision(text) && !covered(&notes.decisions) {
            let words = decision_words(text);
            let noted = Noted {
                heading: heading_of(&words),
                text: words,
                speaker: None,
                owner: meeting::owner(text),
                deadline: meeting::deadline(text),
                first: i,
                last: i,
                from_model: false,
            };
            push_new(&mut notes.decisions, noted);
        } else if plain_requirement(text)
            && !covered(&notes.requirements)
            && !covered(&notes.decisions)
        {
            push_new(
                &mut notes.requirements,
                Noted {
                    heading: String::new(),
                    text: own_words(text),
                    speaker: None,
                    owner: None,
                    deadline: None,
                    first: i,
                    last: i,
                    from_model: false,
                },
            );
        }
    }
    notes.decisions.sort_by_key(|n| n.first);
    notes.requirements.sort_by_key(|n| n.first);
    if record {
        // Everyone who spoke in the piece has a speech: their longest line if the model gave
        // them none.
        let mut speakers: Vec<(String, usize)> = Vec::new();
        for i in lines.range.clone() {
            let line = lines.sources.line(lines.sources.order[i]);
            let Some(name) = line.speaker.as_deref() else {
                continue;
            };
            match speakers.iter_mut().find(|(n, _)| n == name) {
                Some((_, best)) => {
                    if line.text.chars().count() > lines.text(*best).chars().count() {
                        *best = i;
                    }
                }
                None => speakers.push((name.to_string(), i)),
            }
        }
        for (name, best) in speakers {
            if !notes
                .speeches
                .iter()
                .any(|s| s.speaker.as_deref() == Some(name.as_str()))
            {
                notes.speeches.push(Noted {
                    heading: String::new(),
                    text: own_words(lines.text(best)),
                    speaker: Some(name),
                    owner: None,
                    deadline: None,
                    first: best,
                    last: best,
                    from_model: false,
                });
            }
        }
        notes.speeches.sort_by_key(|n| n.first);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_off_answer_keeps_its_complete_values() {
        let raw = r#"{"summary": "研究了平台建设。", "decisions": [{"topic": "平台", "line": 3}, {"topic": "清"#;
        let value = salvage_json(raw);
        assert_eq!(value["summary"], "研究了平台建设。");
        assert_eq!(value["decisions"].as_array().map(Vec::len), Some(1));
        assert_eq!(salvage_json("{"), Value::Null);
        assert_eq!(salvage_json(r#"{"a": [1, 2]}"#)["a"][1], 2);
    }

    #[test]
    fn a_decision_keeps_its_deciding_sentences() {
        assert_eq!(
            decision_words(
                "进度还要加快。平台对接由信息中心负责，6月30日前完成全部12个部门的对接。"
            ),
            "平台对接由信息中心负责，6月30日前完成全部12个部门的对接。"
        );
        assert_eq!(
            heading_of("平台对接由信息中心负责，6月30日前完成。"),
            "关于平台对接"
        );
        assert_eq!(
            heading_of("会议决定由政务服务处牵头梳理高频事项清单，4月15日前报局办公会审定。"),
            "关于梳理高频事项清单"
        );
        assert_eq!(
            heading_of("这6个系统由网络安全科负责，10月31日前完成测评。"),
            "关于6个系统"
        );
        assert_eq!(
            heading_of("超期的146件，由城市管理办公室牵头，逐件销号，9月30日前清零。"),
            "关于超期的146件"
        );
        assert_eq!(
            heading_of("数据资源科负责完成全部42个系统的数据分类分级，11月1日前报局审定。"),
            "关于全部42个系统的数据分类分级"
        );
        assert_eq!(
            deciding_sentences("今年的重点。这8处由区住房城乡建设局负责整治，5月15日前完成。"),
            "这8处由区住房城乡建设局负责整治，5月15日前完成。"
        );
        assert!(names_the_piece("会议记录第1部分：全区防汛工作部署会。"));
        assert!(names_the_piece("第二部分讨论了预算。"));
        assert!(!names_the_piece("会议部署了汛前准备工作。"));
    }
}
