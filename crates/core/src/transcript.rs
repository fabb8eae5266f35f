//! Transcripts and meeting notes as numbered lines of speech: plain text and Markdown with or
//! without speaker labels, SRT and WebVTT subtitles, and DOCX paragraphs. Speaker labels are read
//! in the forms `张三：`, `发言人1：`, `[00:01:02] 张三:` and a line `张三 00:01:02` above the
//! speech; header lines such as `时间：` and `主持人：` give the meeting's fields.
//!
//! Every line keeps its number in the source file, so that what is made of it can cite the
//! lines it came from. Whatever cannot be read (a broken timestamp) is kept as text and named
//! in [`Transcript::problems`], so a result can say what it skipped.

use crate::text::is_han;

/// The form a transcript comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranscriptFormat {
    /// Plain text or Markdown, one remark or note per line.
    Text,
    /// SubRip subtitles: numbered cues with `00:01:02,000 --> 00:01:05,000` times.
    Srt,
    /// WebVTT subtitles: `WEBVTT`, cues with `00:01.000 --> 00:04.000` times and `<v 张三>` voices.
    Vtt,
}

impl TranscriptFormat {
    /// The format a file name's extension says (`srt`, `vtt`; `txt` and `md` are text).
    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext.to_ascii_lowercase().as_str() {
            "srt" => Some(Self::Srt),
            "vtt" => Some(Self::Vtt),
            "txt" | "md" | "markdown" | "text" => Some(Self::Text),
            _ => None,
        }
    }
}

/// One line of what was said or noted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line in the source file, from 1 (a DOCX's paragraph, from 1).
    pub number: u32,
    /// Who spoke, when the transcript says.
    pub speaker: Option<String>,
    /// Seconds from the start of the recording, when the transcript gives them.
    pub at: Option<u32>,
    /// What was said, without the speaker label and timestamp.
    pub text: String,
}

/// A field of the meeting that a header line gives (`时间：2024年3月5日`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// 会议名称.
    Title,
    /// 时间.
    Time,
    /// 地点.
    Place,
    /// 主持人.
    Chair,
    /// 出席 / 参会人员.
    Attendees,
    /// 请假 / 缺席.
    Absent,
    /// 列席.
    Observers,
    /// 议题.
    Agenda,
    /// 记录人.
    Recorder,
}

/// Header labels and the field each gives, longest first within a field.
const FIELD_LABELS: &[(&str, Field)] = &[
    ("会议名称", Field::Title),
    ("会议主题", Field::Title),
    ("会议时间", Field::Time),
    ("时间", Field::Time),
    ("日期", Field::Time),
    ("会议地点", Field::Place),
    ("地点", Field::Place),
    ("主持人", Field::Chair),
    ("主持", Field::Chair),
    ("参会人员", Field::Attendees),
    ("参加人员", Field::Attendees),
    ("出席人员", Field::Attendees),
    ("与会人员", Field::Attendees),
    ("参会人", Field::Attendees),
    ("出席", Field::Attendees),
    ("请假人员", Field::Absent),
    ("请假", Field::Absent),
    ("缺席", Field::Absent),
    ("列席人员", Field::Observers),
    ("列席", Field::Observers),
    ("会议议题", Field::Agenda),
    ("议题", Field::Agenda),
    ("议程", Field::Agenda),
    ("记录人", Field::Recorder),
    ("记录", Field::Recorder),
];

/// Labels that open a note, not a speech (`会议决定：…`).
const NOT_SPEAKERS: &[&str] = &[
    "会议决定",
    "会议议定",
    "会议要求",
    "会议认为",
    "会议强调",
    "会议指出",
    "议定事项",
    "决定",
    "要求",
    "结论",
    "备注",
    "注",
    "说明",
    "附件",
    "附",
    "内容",
    "事项",
    "主题",
    "问题",
    "答",
    "问",
    "任务",
    "措施",
    "目标",
    "原因",
    "下一步",
    "总结",
    "小结",
    "背景",
    "现状",
    "建议",
    "意见",
    "结果",
    "表决",
    "表决结果",
    "责任单位",
    "责任人",
    "完成时限",
    "时限",
    "标题",
];

/// Labels ending in a number that name a speaker (`发言人1`), not a time (`上午9:30`).
const NUMBERED_SPEAKERS: &[&str] = &["发言人", "说话人", "讲话人", "嘉宾", "Speaker", "speaker"];

/// Words before a time that say when, not who (`上午 9:30`).
const TIME_WORDS: &[&str] = &[
    "上午", "下午", "中午", "晚上", "早上", "凌晨", "今天", "明天", "昨天", "时间", "开始", "结束",
    "会议", "日期",
];

/// A header line's field and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderLine {
    pub field: Field,
    pub value: String,
    /// The line it is on.
    pub line: u32,
}

/// Something in a transcript that could not be read as it should, kept as best it could be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A cue's time line that is not a timestamp: its text is kept without a time.
    BrokenTimestamp { line: u32 },
}

/// A transcript read into lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transcript {
    /// The lines with text, in order (header lines included: they are part of the record).
    pub lines: Vec<Line>,
    /// The fields header lines give, in order.
    pub header: Vec<HeaderLine>,
    pub problems: Vec<Problem>,
}

impl Transcript {
    /// Reads `text` in `format`.
    pub fn parse(text: &str, format: TranscriptFormat) -> Self {
        let mut reader = Reader::default();
        match format {
            TranscriptFormat::Text => {
                for (i, line) in text.lines().enumerate() {
                    reader.text_line(line_number(i), strip_markdown(line), None);
                }
            }
            TranscriptFormat::Srt | TranscriptFormat::Vtt => {
                read_cues(&mut reader, text, format == TranscriptFormat::Vtt);
            }
        }
        reader.done()
    }

    /// Reads the paragraphs of a document (a DOCX's), numbered from 1.
    pub fn from_paragraphs<S: AsRef<str>>(paragraphs: &[S]) -> Self {
        let mut reader = Reader::default();
        for (i, p) in paragraphs.iter().enumerate() {
            reader.text_line(line_number(i), p.as_ref(), None);
        }
        reader.done()
    }

    /// The first value of `field` in the header lines.
    pub fn field(&self, field: Field) -> Option<&str> {
        self.header
            .iter()
            .find(|h| h.field == field)
            .map(|h| h.value.as_str())
    }

    /// The speakers in order of first speech, each once.
    pub fn speakers(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for speaker in self.lines.iter().filter_map(|l| l.speaker.as_deref()) {
            if !out.contains(&speaker) {
                out.push(speaker);
            }
        }
        out
    }

    /// The line numbered `number`, if the transcript has it.
    pub fn line(&self, number: u32) -> Option<&Line> {
        self.lines
            .binary_search_by_key(&number, |l| l.number)
            .ok()
            .map(|i| &self.lines[i])
    }
}

fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// A Markdown line without its heading marks, list bullet or quote mark.
fn strip_markdown(line: &str) -> &str {
    let line = line.trim();
    let line = line.trim_start_matches('#').trim_start();
    let line = line.trim_start_matches('>').trim_start();
    match line.strip_prefix(['-', '*', '+', '•']) {
        Some(rest) if rest.starts_with([' ', '\t']) => rest.trim_start(),
        _ => line,
    }
}

/// Builds a transcript line by line, carrying the current speaker.
#[derive(Default)]
struct Reader {
    out: Transcript,
    speaker: Option<String>,
    at: Option<u32>,
}

impl Reader {
    /// Reads one line of text at `number`; `at` is the time of the cue it belongs to.
    fn text_line(&mut self, number: u32, raw: &str, at: Option<u32>) {
        let mut rest = raw.trim().trim_matches('\u{3000}').trim();
        if rest.is_empty() {
            return;
        }
        let mut at = at;
        // [00:01:02] 张三: …
        if let Some((time, after)) = bracketed_time(rest) {
            at = Some(time);
            rest = after.trim_start();
        }
        // 张三 00:01:02 on a line of its own: the speech follows.
        if let Some((name, time)) = speaker_with_time(rest) {
            self.speaker = Some(name.to_string());
            self.at = Some(time);
            return;
        }
        if let Some((label, after)) = split_label(rest) {
            if let Some(field) = header_field(label).filter(|&f| is_field_value(f, after.trim())) {
                let value = after.trim();
                {
                    self.out.header.push(HeaderLine {
                        field,
                        value: value.to_string(),
                        line: number,
                    });
                }
                self.out.lines.push(Line {
                    number,
                    speaker: None,
                    at,
                    text: rest.to_string(),
                });
                return;
            }
            if is_speaker(label) && !after.trim().is_empty() {
                self.speaker = Some(label.to_string());
                self.at = at;
                self.out.lines.push(Line {
                    number,
                    speaker: self.speaker.clone(),
                    at: at.or(self.at),
                    text: after.trim().to_string(),
                });
                return;
            }
        }
        if at.is_some() {
            self.at = at;
        }
        self.out.lines.push(Line {
            number,
            speaker: self.speaker.clone(),
            at: at.or(self.at),
            text: rest.to_string(),
        });
    }

    /// A cue's time line that could not be read: the cue's text is kept without a time.
    fn broken_time(&mut self, number: u32) {
        self.out
            .problems
            .push(Problem::BrokenTimestamp { line: number });
        self.at = None;
    }

    fn done(self) -> Transcript {
        self.out
    }
}

/// The label before the first colon in the first 20 characters, and the text after it.
fn split_label(line: &str) -> Option<(&str, &str)> {
    let (i, c) = line
        .char_indices()
        .take(20)
        .find(|&(_, c)| c == '：' || c == ':')?;
    let label = line[..i].trim();
    (!label.is_empty()).then(|| (label, &line[i + c.len_utf8()..]))
}

/// Whether `value` can be the value of `field`: something, and for a person a few names, not a
/// speech (`主持人：现在开会。` is the chair speaking).
fn is_field_value(field: Field, value: &str) -> bool {
    let chars = value.chars().count();
    match field {
        _ if chars == 0 => false,
        Field::Chair | Field::Recorder => chars <= 20 && !value.contains(['。', '！', '？', '，']),
        _ => chars <= 300,
    }
}

fn header_field(label: &str) -> Option<Field> {
    FIELD_LABELS
        .iter()
        .find(|(name, _)| *name == label)
        .map(|&(_, field)| field)
}

/// Whether `label` names a speaker: a short name of Chinese characters or letters, perhaps with
/// a role in brackets (张三（市数据局）), not a note's label, not a time.
fn is_speaker(label: &str) -> bool {
    let chars: Vec<char> = label.chars().collect();
    if chars.is_empty() || chars.len() > 16 || NOT_SPEAKERS.contains(&label) {
        return false;
    }
    let allowed = |c: char| {
        is_han(c)
            || c.is_ascii_alphanumeric()
            || matches!(c, '·' | '•' | ' ' | '（' | '）' | '(' | ')' | '_' | '-')
    };
    if !chars.iter().all(|&c| allowed(c))
        || !chars.iter().any(|&c| is_han(c) || c.is_ascii_alphabetic())
    {
        return false;
    }
    // A name's own characters (without a role in brackets) stay short.
    let name: String = label
        .split(['（', '('])
        .next()
        .unwrap_or(label)
        .trim()
        .to_string();
    let name_len = name.chars().count();
    if name_len == 0 || name_len > 10 {
        return false;
    }
    if name.ends_with(|c: char| c.is_ascii_digit()) {
        // 发言人1, Speaker 2; not 上午9 (上午9:30).
        let stem = name.trim_end_matches(|c: char| c.is_ascii_digit()).trim();
        return NUMBERED_SPEAKERS.contains(&stem);
    }
    true
}

/// `[00:01:02]` (or `【】`, `()`) at the start of `line`: the seconds and the text after it.
fn bracketed_time(line: &str) -> Option<(u32, &str)> {
    let open = line.chars().next()?;
    let close = match open {
        '[' => ']',
        '【' => '】',
        '(' => ')',
        '（' => '）',
        _ => return None,
    };
    let inner_start = open.len_utf8();
    let end = line[inner_start..].find(close)? + inner_start;
    let seconds = parse_time(line[inner_start..end].trim())?;
    Some((seconds, &line[end + close.len_utf8()..]))
}

/// A line `张三 00:01:02` (name, then a time and nothing else): the name and the seconds.
fn speaker_with_time(line: &str) -> Option<(&str, u32)> {
    let (name, time) = line.rsplit_once([' ', '\t', '\u{3000}'])?;
    let name = name.trim();
    let seconds = parse_time(time.trim())?;
    (is_speaker(name) && !TIME_WORDS.contains(&name)).then_some((name, seconds))
}

/// `HH:MM:SS`, `MM:SS` or `H:MM:SS`, with optional `,mmm` or `.mmm`: whole seconds.
pub fn parse_time(text: &str) -> Option<u32> {
    let text = text.trim();
    let whole = text.split([',', '.']).next()?;
    let fraction = &text[whole.len()..];
    if !fraction.is_empty() {
        let digits = &fraction[1..];
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 3 {
            return None;
        }
    }
    let parts: Vec<&str> = whole.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 2 || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let numbers: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let (h, m, s) = match numbers.as_slice() {
        [m, s] => (0, *m, *s),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    (m < 60 && s < 60).then_some(h * 3600 + m * 60 + s)
}

/// A cue's time line: `start --> end [settings]`, the start in seconds; `Err` for a line with
/// an arrow whose times cannot be read.
fn cue_time(line: &str) -> Option<Result<u32, ()>> {
    let (start, rest) = line.split_once("-->")?;
    let end = rest.split_whitespace().next().unwrap_or("");
    match (parse_time(start), parse_time(end)) {
        (Some(start), Some(_)) => Some(Ok(start)),
        _ => Some(Err(())),
    }
}

/// Reads SRT or WebVTT cues: each text line of a cue is a line, at the cue's start.
fn read_cues(reader: &mut Reader, text: &str, vtt: bool) {
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    if vtt
        && lines
            .first()
            .is_some_and(|l| l.trim_start_matches('\u{feff}').starts_with("WEBVTT"))
    {
        // The header block runs to the first blank line.
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
    }
    while i < lines.len() {
        let line = lines[i].trim();
        if line.is_empty() {
            i += 1;
            continue;
        }
        if vtt && (line.starts_with("NOTE") || line == "STYLE" || line == "REGION") {
            while i < lines.len() && !lines[i].trim().is_empty() {
                i += 1;
            }
            continue;
        }
        // An optional cue number or id, then the time line.
        let mut j = i;
        if cue_time(line).is_none()
            && lines
                .get(i + 1)
                .is_some_and(|next| cue_time(next).is_some())
        {
            j = i + 1;
        }
        let mut at = None;
        match cue_time(lines[j]) {
            Some(Ok(start)) => {
                at = Some(start);
                reader.at = Some(start);
                j += 1;
            }
            Some(Err(())) => {
                reader.broken_time(line_number(j));
                j += 1;
            }
            None if lines[i].trim().chars().all(|c| c.is_ascii_digit()) => {
                // A cue number whose time line is missing or unreadable.
                reader.broken_time(line_number(i + 1));
                j = i + 1;
                if lines
                    .get(j)
                    .is_some_and(|l| !l.trim().is_empty() && !l.contains("-->"))
                {
                    // The next line is text, not a time: nothing to skip.
                } else if lines.get(j).is_some() {
                    j += 1;
                }
            }
            None => {}
        }
        while j < lines.len() && !lines[j].trim().is_empty() {
            let raw = lines[j];
            let number = line_number(j);
            if vtt {
                let (voice, clean) = vtt_text(raw);
                if let Some(voice) = voice {
                    reader.speaker = Some(voice);
                }
                reader.text_line(number, &clean, at);
            } else {
                reader.text_line(number, &strip_tags(raw), at);
            }
            j += 1;
        }
        i = j.max(i + 1);
    }
}

/// A WebVTT cue line's voice (`<v 张三>`) and its text without tags.
fn vtt_text(line: &str) -> (Option<String>, String) {
    let voice = line.find("<v").and_then(|start| {
        let rest = &line[start + 2..];
        let end = rest.find('>')?;
        let inner = &rest[..end];
        // `<v.loud 张三>`: classes come before the space.
        let name = if inner.starts_with('.') {
            inner.split_once(char::is_whitespace).map_or("", |(_, n)| n)
        } else {
            inner
        }
        .trim();
        (!name.is_empty()).then(|| name.to_string())
    });
    (voice, strip_tags(line))
}

/// `line` without `<…>` tags (`<i>`, `<c.x>`, `<00:00:01.000>`, `<v 张三>`).
fn strip_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut depth = false;
    for c in line.chars() {
        match c {
            '<' => depth = true,
            '>' if depth => depth = false,
            _ if !depth => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(t: &Transcript) -> Vec<(u32, Option<&str>, Option<u32>, &str)> {
        t.lines
            .iter()
            .map(|l| (l.number, l.speaker.as_deref(), l.at, l.text.as_str()))
            .collect()
    }

    #[test]
    fn speaker_labels_in_every_form() {
        let text = "时间：2024年3月5日上午\n主持人：王局长\n\n张三：第一件事。\n补充一句。\n\
                    发言人1：同意。\n[00:01:02] 李四: 由市数据局负责。\n王五 00:02:03\n月底前完成。\n\
                    会议决定：成立专班。\n上午9:30开会。";
        let t = Transcript::parse(text, TranscriptFormat::Text);
        assert_eq!(
            said(&t),
            [
                (1, None, None, "时间：2024年3月5日上午"),
                (2, None, None, "主持人：王局长"),
                (4, Some("张三"), None, "第一件事。"),
                (5, Some("张三"), None, "补充一句。"),
                (6, Some("发言人1"), None, "同意。"),
                (7, Some("李四"), Some(62), "由市数据局负责。"),
                (9, Some("王五"), Some(123), "月底前完成。"),
                (10, Some("王五"), Some(123), "会议决定：成立专班。"),
                (11, Some("王五"), Some(123), "上午9:30开会。"),
            ]
        );
        assert_eq!(t.field(Field::Time), Some("2024年3月5日上午"));
        assert_eq!(t.field(Field::Chair), Some("王局长"));
        assert_eq!(t.speakers(), ["张三", "发言人1", "李四", "王五"]);
    }

    #[test]
    fn text_without_speakers_is_lines() {
        let t = Transcript::parse(
            "# 会议记录\n\n- 讨论了预算。\n- 同意方案。",
            TranscriptFormat::Text,
        );
        assert_eq!(
            said(&t),
            [
                (1, None, None, "会议记录"),
                (3, None, None, "讨论了预算。"),
                (4, None, None, "同意方案。")
            ]
        );
        assert!(t.speakers().is_empty());
    }

    #[test]
    fn srt_cues_keep_their_times_and_broken_ones_are_named() {
        let srt = "1\n00:00:01,000 --> 00:00:03,500\n张三：开会。\n\n2\n00:00:0x,000 --> 00:00:05,000\n\
                   李四：同意。\n\n3\n00:01:00,000 --> 00:01:02,000\n好的。\n";
        let t = Transcript::parse(srt, TranscriptFormat::Srt);
        assert_eq!(
            said(&t),
            [
                (3, Some("张三"), Some(1), "开会。"),
                (7, Some("李四"), None, "同意。"),
                (11, Some("李四"), Some(60), "好的。"),
            ]
        );
        assert_eq!(t.problems, [Problem::BrokenTimestamp { line: 6 }]);
    }

    #[test]
    fn webvtt_voices_become_speakers() {
        let vtt = "WEBVTT\nKind: captions\n\nNOTE 这是注释\n\n00:01.000 --> 00:04.000 align:start\n\
                   <v 张三>大家好。</v>\n\ncue-2\n01:02:03.000 --> 01:02:05.000\n<v.loud 李四>散会。";
        let t = Transcript::parse(vtt, TranscriptFormat::Vtt);
        assert_eq!(
            said(&t),
            [
                (7, Some("张三"), Some(1), "大家好。"),
                (11, Some("李四"), Some(3723), "散会。"),
            ]
        );
    }

    #[test]
    fn times_are_read_strictly() {
        assert_eq!(parse_time("00:01:02"), Some(62));
        assert_eq!(parse_time("1:02:03.5"), Some(3723));
        assert_eq!(parse_time("01:02"), Some(62));
        assert_eq!(parse_time("00:61:00"), None);
        assert_eq!(parse_time("9:30am"), None);
        assert_eq!(parse_time("2024"), None);
    }
}
