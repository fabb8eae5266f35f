//! Meeting minutes (会议纪要, 会议记录) from transcripts and summaries (摘要) of long documents:
//! the requests front ends send and the results they get back, every point with where it came
//! from.

use serde::{Deserialize, Serialize};

use crate::draft::DocumentInfo;

/// Where a point came from: lines (and times) of a transcript, or pages or a section of a
/// document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// The file, as the user named it.
    pub file: String,
    /// First and last line (a transcript's, from 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<(u32, u32)>,
    /// Seconds from the start of the recording, first and last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<(u32, u32)>,
    /// First and last paragraph (a document without pages, from 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraphs: Option<(u32, u32)>,
    /// First and last page (a PDF's, from 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<(u32, u32)>,
    /// The heading of the section, when the document has headings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
}

impl SourceRef {
    /// The reference as users read it: 第12-14行（00:01:02）, 第3-5页, or the section.
    pub fn label(&self) -> String {
        let range = |(a, b): (u32, u32), unit: &str| {
            if a == b {
                format!("第{a}{unit}")
            } else {
                format!("第{a}-{b}{unit}")
            }
        };
        let mut out = String::new();
        if let Some(lines) = self.lines {
            out.push_str(&range(lines, "行"));
        }
        if let Some((start, _)) = self.times {
            out.push_str(&format!("（{}）", clock(start)));
        }
        if let Some(pages) = self.pages {
            out.push_str(&range(pages, "页"));
        }
        if let Some(paragraphs) = self.paragraphs {
            out.push_str(&range(paragraphs, "段"));
        }
        if let Some(section) = &self.section {
            if !out.is_empty() {
                out.push('，');
            }
            out.push_str(&format!("“{section}”"));
        }
        out
    }
}

/// Seconds as 01:02:03.
pub fn clock(seconds: u32) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// One line of a transcript, or one paragraph of a document, as a source pane shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLine {
    pub file: String,
    /// The line (a transcript's) or paragraph (a document's), from 1.
    pub number: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    pub text: String,
}

impl SourceRef {
    /// Whether `line` is among the lines, paragraphs or pages this refers to.
    pub fn covers(&self, line: &SourceLine) -> bool {
        let within = |range: Option<(u32, u32)>, n: Option<u32>| matches!((range, n), (Some((a, b)), Some(n)) if (a..=b).contains(&n));
        self.file == line.file
            && (within(self.lines, Some(line.number))
                || within(self.paragraphs, Some(line.number))
                || (self.lines.is_none()
                    && self.paragraphs.is_none()
                    && within(self.pages, line.page)))
    }
}

/// Who wrote a point: the model, or the code that took it from the source because the model
/// left it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointOrigin {
    Model,
    Source,
}

/// A value (an owner, a deadline) and whether the cited lines say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedValue {
    /// As the lines say it, or 待确认.
    pub text: String,
    /// Whether the cited lines contain it; `false` shows 待确认.
    pub confirmed: bool,
}

/// One 议定事项.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionInfo {
    /// A short heading (关于……).
    pub heading: String,
    /// What was decided.
    pub text: String,
    /// 责任单位或责任人.
    pub owner: CheckedValue,
    /// 时限.
    pub deadline: CheckedValue,
    pub source: SourceRef,
    pub origin: PointOrigin,
}

/// A point with its source: a 会议要求, a speech, a key point of a summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointInfo {
    pub text: String,
    /// Who said it, in a 会议记录.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    pub sources: Vec<SourceRef>,
    pub origin: PointOrigin,
}

/// The meeting's fields, from the request or the transcript's header lines.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingFields {
    /// The meeting's name (the 纪要标志 is it with 纪要).
    pub title: Option<String>,
    /// 时间 as given.
    pub time: Option<String>,
    pub place: Option<String>,
    pub chair: Option<String>,
    #[serde(default)]
    pub attendees: Vec<String>,
    #[serde(default)]
    pub absent: Vec<String>,
    #[serde(default)]
    pub observers: Vec<String>,
    #[serde(default)]
    pub agenda: Vec<String>,
    pub recorder: Option<String>,
}

/// What a front end asks `minutes` for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesRequest {
    /// Transcript or notes files (TXT, MD, DOCX, SRT, VTT), in order.
    #[serde(default)]
    pub files: Vec<String>,
    /// Pasted text, read after the files.
    #[serde(default)]
    pub text: Option<String>,
    /// Fields the user gave; they win over the transcript's.
    #[serde(default)]
    pub fields: MeetingFields,
    /// A 会议记录 (speeches, decisions and votes) instead of a 纪要.
    #[serde(default)]
    pub record: bool,
    /// Pick up a stopped run where it stopped.
    #[serde(default)]
    pub resume: bool,
    /// The app running it, for the audit log (default: `minutes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
}

/// The size and cost of a long run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunStats {
    /// Input tokens (the pieces' text).
    pub input_tokens: u64,
    pub pieces: usize,
    /// Pieces taken from an earlier, stopped run.
    pub resumed: usize,
    /// Merge levels above the pieces.
    pub levels: usize,
    /// Prompt tokens the runtime took from its cache instead of computing again.
    pub reused_tokens: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub milliseconds: u64,
    /// The process's peak resident memory, in bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_rss_bytes: Option<u64>,
}

/// Minutes of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minutes {
    /// A 会议记录 rather than a 纪要.
    pub record: bool,
    pub fields: MeetingFields,
    /// The overview paragraph.
    pub overview: String,
    pub decisions: Vec<DecisionInfo>,
    /// 会议要求.
    pub requirements: Vec<PointInfo>,
    /// Speeches by speaker (a 会议记录 only).
    #[serde(default)]
    pub speeches: Vec<PointInfo>,
    /// The minutes as a 纪要 document, for DOCX.
    pub document: DocumentInfo,
    /// The document as text, one paragraph per line, for the preview and the editor.
    pub text: String,
    /// The minutes as Markdown, each item with its lines.
    pub markdown: String,
    /// What could not be read and was left out (Chinese, for people).
    #[serde(default)]
    pub skipped: Vec<String>,
    pub stats: RunStats,
    pub model: String,
    pub model_sha256: String,
    /// The data level (公开, 内部, 敏感): of the passage, or for an output the highest of its
    /// inputs.
    #[serde(default)]
    pub level: String,
}

/// How long a summary should be.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryLength {
    Short,
    #[default]
    Medium,
    Long,
}

impl SummaryLength {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "short" | "短" => Some(Self::Short),
            "medium" | "中" => Some(Self::Medium),
            "long" | "长" => Some(Self::Long),
            _ => None,
        }
    }

    /// Characters of the summary paragraph.
    pub fn chars(self) -> usize {
        match self {
            Self::Short => 100,
            Self::Medium => 200,
            Self::Long => 400,
        }
    }
}

/// What a front end asks `summarize` for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRequest {
    /// PDF, DOCX, TXT, MD or HTML files.
    pub files: Vec<String>,
    #[serde(default)]
    pub length: SummaryLength,
    /// How many key points (default by length).
    #[serde(default)]
    pub points: Option<usize>,
    /// What the summary should attend to.
    #[serde(default)]
    pub focus: Option<String>,
    #[serde(default)]
    pub resume: bool,
    /// The app running it, for the audit log (default: `summary`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
}

/// A summary of one or more documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub files: Vec<String>,
    pub summary: String,
    pub points: Vec<PointInfo>,
    pub markdown: String,
    #[serde(default)]
    pub skipped: Vec<String>,
    pub stats: RunStats,
    pub model: String,
    pub model_sha256: String,
    /// The data level (公开, 内部, 敏感): of the passage, or for an output the highest of its
    /// inputs.
    #[serde(default)]
    pub level: String,
}
