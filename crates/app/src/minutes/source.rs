//! The transcripts and notes a meeting's minutes are made from: files (TXT, MD, DOCX, SRT, VTT)
//! and pasted text, read into numbered lines, and those lines as the blocks a run cuts into
//! pieces.

use std::path::Path;

use wenshu_api::messages::minutes as msg;
use wenshu_api::{MinutesRequest, SourceRef};
use wenshu_core::pieces::{Block, Piece};
use wenshu_core::transcript::{Line, Problem, Transcript, TranscriptFormat};

use crate::error::{AppError, ErrorCode, Result};
use crate::input::{decode_utf8, docx_error, read_file};

/// The largest transcript file read: hundreds of hours of meetings.
pub const MAX_TRANSCRIPT_BYTES: u64 = 32 << 20;

/// One transcript, as the user named it.
pub(crate) struct Source {
    pub label: String,
    pub transcript: Transcript,
    /// Whether its lines are a document's paragraphs (a DOCX), cited as 段 rather than 行.
    pub paragraphs: bool,
}

/// A line of one of the sources: which source, which line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct At {
    pub source: usize,
    pub line: usize,
}

/// The sources of a request, what was skipped in them, and every line in order.
pub(crate) struct Sources {
    pub sources: Vec<Source>,
    pub skipped: Vec<String>,
    /// Every line of every source, in order: the blocks' order.
    pub order: Vec<At>,
    /// Each line as the model reads it: `[12] 张三：……`.
    pub shown: Vec<String>,
}

fn user(message: wenshu_api::messages::Message) -> AppError {
    AppError::of(ErrorCode::InvalidInput, message)
}

/// Reads one transcript file.
fn read_source(path: &Path) -> Result<Source> {
    let label = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let bytes = read_file(path, MAX_TRANSCRIPT_BYTES, "a transcript")?;
    let docx = ext == "docx";
    let transcript = if docx {
        let paragraphs =
            wenshu_docs::docx_paragraphs(&bytes).map_err(|err| docx_error(path, err))?;
        Transcript::from_paragraphs(&paragraphs)
    } else {
        let format = TranscriptFormat::from_extension(&ext)
            .ok_or_else(|| user(msg::unsupported_transcript(&label)))?;
        Transcript::parse(&decode_utf8(&label, bytes)?, format)
    };
    Ok(Source {
        label,
        transcript,
        paragraphs: docx,
    })
}

impl Sources {
    /// Reads the files and the pasted text of `request`; an input with no text at all is an
    /// error that names it.
    pub fn read(request: &MinutesRequest) -> Result<Self> {
        let mut sources = Vec::new();
        for file in &request.files {
            sources.push(read_source(Path::new(file))?);
        }
        if let Some(text) = request.text.as_deref().filter(|t| !t.trim().is_empty()) {
            sources.push(Source {
                label: msg::pasted_text().text,
                transcript: Transcript::parse(text, TranscriptFormat::Text),
                paragraphs: false,
            });
        }
        if sources.is_empty() {
            return Err(user(msg::no_input()));
        }
        for source in &sources {
            // As written: a 密级 line reads like a speaker's.
            let text: Vec<String> = source
                .transcript
                .lines
                .iter()
                .map(|l| match &l.speaker {
                    Some(speaker) => format!("{speaker}：{}", l.text),
                    None => l.text.clone(),
                })
                .collect();
            crate::policy::refuse_state_secret(&text.join("\n"), &source.label)?;
        }
        let mut skipped = Vec::new();
        for source in &sources {
            if source.transcript.lines.is_empty() {
                return Err(user(msg::no_lines(&source.label)));
            }
            for problem in &source.transcript.problems {
                match problem {
                    Problem::BrokenTimestamp { line } => {
                        skipped.push(msg::broken_timestamp(&source.label, line).text);
                    }
                }
            }
        }
        if sources.iter().all(|s| s.transcript.speakers().is_empty()) {
            skipped.push(msg::no_speakers().text);
        }
        let mut order = Vec::new();
        let mut shown = Vec::new();
        for (s, source) in sources.iter().enumerate() {
            let mut speaker: Option<&str> = None;
            for (l, line) in source.transcript.lines.iter().enumerate() {
                order.push(At { source: s, line: l });
                // The speaker is named where a turn starts.
                let label = match line.speaker.as_deref() {
                    Some(name) if speaker != Some(name) => format!("{name}："),
                    _ => String::new(),
                };
                speaker = line.speaker.as_deref();
                shown.push(format!("[{}] {label}{}", line.number, line.text));
            }
        }
        Ok(Self {
            sources,
            skipped,
            order,
            shown,
        })
    }

    pub fn line(&self, at: At) -> &Line {
        &self.sources[at.source].transcript.lines[at.line]
    }

    /// The lines as blocks: a speaker's turn is a group, each source starts a piece.
    pub fn blocks(&self) -> Vec<Block<'_>> {
        let mut group = 0;
        let mut blocks: Vec<Block<'_>> = Vec::with_capacity(self.order.len());
        for (i, at) in self.order.iter().enumerate() {
            let line = self.line(*at);
            let fresh = i == 0 || self.order[i - 1].source != at.source;
            let same_turn = !fresh
                && line.speaker.is_some()
                && self.line(self.order[i - 1]).speaker == line.speaker;
            if !same_turn && i > 0 {
                group += 1;
            }
            blocks.push(Block {
                text: &self.shown[i],
                group,
                // The line break, and the number again if the line is cut.
                extra: 3,
                fresh,
            });
        }
        blocks
    }

    /// The text of `piece` as the model reads it, a line each.
    pub fn piece_text(&self, piece: &Piece, blocks: &[Block<'_>]) -> String {
        let mut out = String::new();
        for span in &piece.spans {
            let text = &blocks[span.block].text[span.start..span.end];
            if span.start > 0 {
                // The rest of a line cut between sentences: its number again.
                let at = self.order[span.block];
                out.push_str(&format!("[{}] ", self.line(at).number));
            }
            out.push_str(text);
            out.push('\n');
        }
        out
    }

    /// Where a run of lines (indexes into `order`, first to last) came from.
    pub fn source_ref(&self, first: usize, last: usize) -> SourceRef {
        let a = self.order[first];
        let b = self.order[last];
        let (la, lb) = (self.line(a), self.line(b));
        let range = Some((la.number, lb.number));
        let paragraphs = self.sources[a.source].paragraphs;
        SourceRef {
            file: self.sources[a.source].label.clone(),
            lines: if paragraphs { None } else { range },
            paragraphs: if paragraphs { range } else { None },
            times: la.at.map(|start| (start, lb.at.unwrap_or(start))),
            ..SourceRef::default()
        }
    }
}
