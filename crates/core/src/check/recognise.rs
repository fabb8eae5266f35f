//! The recognisers: where a draft's title, 主送, body, 署名 and 成文日期 are, and the 发文字号,
//! dates, heading numbers and labels inside its lines, as far as the text shows them. The
//! checker's rules, the fixes and the document reader all read a draft through these.

use crate::document::{Date, DocType};
use crate::text::{heading_marker, is_han};

/// The brackets a 发文字号's year is found between, right and wrong.
pub(crate) const OPEN_BRACKETS: &[char] = &['〔', '[', '【', '［', '(', '（', '{', '〈'];
pub(crate) const CLOSE_BRACKETS: &[char] = &['〕', ']', '】', '］', ')', '）', '}', '〉'];

/// The line without list/heading markup of Markdown and surrounding spaces.
pub(crate) fn clean(line: &str) -> &str {
    let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    let line = line.trim_start_matches('#').trim_start_matches('>').trim();
    line.trim_matches('*').trim()
}

/// A 发文字号 found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Number {
    /// Byte range of the whole number in the line.
    pub start: usize,
    pub end: usize,
    pub prefix: String,
    pub open: char,
    pub year: String,
    pub close: char,
    pub has_di: bool,
    pub serial: String,
}

impl Number {
    pub fn canonical(&self) -> String {
        let serial = self.serial.trim_start_matches('0');
        format!(
            "{}〔{}〕{}号",
            self.prefix,
            self.year,
            if serial.is_empty() { "0" } else { serial }
        )
    }

    pub fn problems(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.open != '〔' || self.close != '〕' {
            out.push("年份应使用六角括号〔〕");
        }
        if self.year.len() != 4 {
            out.push("年份应写全四位");
        }
        if self.has_di {
            out.push("序号前不加“第”");
        }
        if self.serial.starts_with('0') {
            out.push("序号不编虚位（不加前导0）");
        }
        if self.prefix.ends_with('字') {
            out.push("机关代字后不加“字”");
        }
        out
    }
}

/// Finds a 发文字号 such as 粤政数〔2024〕7号 (or a malformed one) in `line`.
pub(crate) fn find_number(line: &str) -> Option<Number> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    for (i, &(_, open)) in chars.iter().enumerate() {
        if !OPEN_BRACKETS.contains(&open) {
            continue;
        }
        // The 机关代字 before the bracket: Han characters.
        let mut p = i;
        while p > 0 && is_han(chars[p - 1].1) {
            p -= 1;
        }
        if p == i {
            continue;
        }
        let mut j = i + 1;
        let mut year = String::new();
        while j < chars.len() && chars[j].1.is_ascii_digit() {
            year.push(chars[j].1);
            j += 1;
        }
        if !(year.len() == 2 || year.len() == 4)
            || j >= chars.len()
            || !CLOSE_BRACKETS.contains(&chars[j].1)
        {
            continue;
        }
        let close = chars[j].1;
        j += 1;
        let has_di = j < chars.len() && chars[j].1 == '第';
        if has_di {
            j += 1;
        }
        let mut serial = String::new();
        while j < chars.len() && chars[j].1.is_ascii_digit() {
            serial.push(chars[j].1);
            j += 1;
        }
        if serial.is_empty() || j >= chars.len() || chars[j].1 != '号' {
            continue;
        }
        let end = chars[j].0 + '号'.len_utf8();
        let prefix: String = chars[p..i].iter().map(|&(_, c)| c).collect();
        return Some(Number {
            start: chars[p].0,
            end,
            prefix,
            open,
            year,
            close,
            has_di,
            serial,
        });
    }
    None
}

/// A date written in any common way, found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateMention {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub date: Date,
}

impl DateMention {
    pub fn is_standard(&self) -> bool {
        self.text == self.date.to_string()
    }
}

/// Every date in `line`, in order, in whatever form it is written.
pub(crate) fn find_dates(line: &str) -> Vec<DateMention> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let starts_number = c.is_ascii_digit() || matches!(c, '〇' | '零' | '一' | '二');
        let fresh = i == 0 || !(chars[i - 1].1.is_ascii_digit());
        if starts_number && fresh {
            // Take the longest run of date characters and see whether it is a date.
            let mut j = i;
            while j < chars.len()
                && (chars[j].1.is_ascii_digit()
                    || matches!(
                        chars[j].1,
                        '年' | '月' | '日' | '.' | '-' | '/' | '〇' | '零' | '十'
                    )
                    || "一二三四五六七八九".contains(chars[j].1))
            {
                j += 1;
                if chars[j - 1].1 == '日' {
                    break;
                }
            }
            let mut end = j;
            // Trailing separators belong to the sentence, not the date.
            while end > i && matches!(chars[end - 1].1, '.' | '-' | '/') {
                end -= 1;
            }
            let text: String = chars[i..end].iter().map(|&(_, c)| c).collect();
            let shaped = text.ends_with('日') || text.matches(['.', '-', '/']).count() == 2;
            if shaped && let Some(date) = Date::parse(&text) {
                let byte_end = chars.get(end).map_or(line.len(), |&(p, _)| p);
                found.push(DateMention {
                    start: chars[i].0,
                    end: byte_end,
                    text,
                    date,
                });
                i = end;
                continue;
            }
        }
        i += 1;
    }
    found
}

/// A numbered heading at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    pub level: u8,
    /// The number as written, e.g. `（一）` or `1、`.
    pub marker: String,
    /// The standard form of the marker, when it is written wrongly.
    pub fixed_marker: Option<String>,
}

/// The level of a numbered heading at the start of `line` (1 一、, 2 （一）, 3 1., 4 （1）), for
/// readers that follow a document's structure.
pub fn heading_level(line: &str) -> Option<u8> {
    heading(clean(line)).map(|h| h.level)
}

/// The heading number at the start of a cleaned line, with its standard form when it is written
/// wrongly: full-width brackets （一） （1）, and a point after an Arabic number (1. not 1、).
pub(crate) fn heading(line: &str) -> Option<Heading> {
    let found = heading_marker(line)?;
    let marker = &line[..found.len];
    let fixed_marker = match found.level {
        2 | 4 if !(marker.starts_with('（') && marker.ends_with('）')) => {
            let inner = marker
                .trim_start_matches(['（', '('])
                .trim_end_matches(['）', ')']);
            Some(format!("（{inner}）"))
        }
        3 => marker.strip_suffix('、').map(|number| format!("{number}.")),
        _ => None,
    };
    Some(Heading {
        level: found.level,
        marker: marker.to_string(),
        fixed_marker,
    })
}

/// Where the parts of a draft are, as far as the text shows them.
#[derive(Debug, Default)]
pub(crate) struct Layout {
    /// Index of the title line.
    pub title: Option<usize>,
    pub doc_type: Option<DocType>,
    /// The other type of a title that fuses two (请示报告: 请示, with 报告 in `doc_type`): its
    /// body answers to both types' rules.
    pub fused: Option<DocType>,
    /// Index of the 主送 line.
    pub addressee: Option<usize>,
    /// Index of the standalone 成文日期 line.
    pub date: Option<usize>,
    /// Body lines: after the addressee (or title) and before the signature block.
    pub body: std::ops::Range<usize>,
}

impl Layout {
    /// Whether the draft is of type `t`, or fuses `t` with another type in its title.
    pub fn is(&self, t: DocType) -> bool {
        self.doc_type == Some(t) || self.fused == Some(t)
    }

    /// The types the draft is held to: its title's type and the one fused with it.
    pub fn types(&self) -> impl Iterator<Item = DocType> {
        self.doc_type.into_iter().chain(self.fused)
    }
}

/// The type before the title's own type when a title fuses two, such as 请示 in 请示报告.
pub(crate) fn fused_type(title: &str, doc_type: DocType) -> Option<DocType> {
    let head = title
        .trim_end_matches(['。', ' '])
        .strip_suffix(doc_type.name())?;
    DocType::from_title(head).filter(|o| head.ends_with(o.name()) && o.name().chars().count() >= 2)
}

/// Whether `line` is a 发文机关标志 (…文件).
pub(crate) fn is_mark_line(line: &str) -> bool {
    line.ends_with("文件") || line.ends_with("文件。")
}

/// Finds the title, 主送, 成文日期 and body among cleaned lines.
pub(crate) fn layout(lines: &[&str]) -> Layout {
    let mut out = Layout::default();
    let search = lines.len().min(12);
    out.title = (0..search)
        .find(|&i| {
            let l = lines[i];
            // A numbered heading (一、关于……) or a sentence of the body is not the title.
            l.contains("关于")
                && !is_mark_line(l)
                && find_number(l).is_none()
                && !l.ends_with(['：', '。'])
                && crate::text::heading_marker(l).is_none()
        })
        .or_else(|| {
            (0..search).find(|&i| {
                DocType::from_title(lines[i]).is_some() && find_number(lines[i]).is_none()
            })
        });
    out.doc_type = out.title.and_then(|i| DocType::from_title(lines[i]));
    out.fused = out
        .title
        .zip(out.doc_type)
        .and_then(|(i, t)| fused_type(lines[i], t));
    let after_title = out.title.map_or(0, |t| t + 1);
    out.addressee = (after_title..lines.len().min(after_title + 3)).find(|&i| {
        let l = lines[i];
        !l.is_empty()
            && (l.ends_with('：') || l.ends_with(':'))
            && l.chars().count() <= 80
            && !l.contains('。')
            && heading(l).is_none()
    });
    out.date = (0..lines.len()).rev().find(|&i| {
        let l = lines[i];
        let dates = find_dates(l);
        dates.len() == 1 && dates[0].start == 0 && dates[0].end == l.len()
    });
    let body_start = out.addressee.or(out.title).map_or(0, |i| i + 1);
    // The signature, when there is one, sits just above the date.
    let looks_like_signature = |l: &str| {
        !l.is_empty()
            && l.chars().count() <= 40
            && heading(l).is_none()
            && !l.contains(['。', '，', '；', '：'])
    };
    let mut body_end = match out.date {
        Some(d) if d > body_start && looks_like_signature(lines[d - 1]) => d - 1,
        Some(d) => d.max(body_start),
        None => lines.len(),
    };
    // Attachments and 抄送 end the body too.
    if let Some(end) = (body_start..body_end)
        .find(|&i| lines[i].starts_with("附件") || lines[i].starts_with("抄送"))
    {
        body_end = end;
    }
    out.body = body_start..body_end.max(body_start);
    out
}

/// Where the parts of a draft are, by line index (0-based), for checks that look at more than
/// the text (the DOCX layout rules).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts {
    /// The 发文机关标志 (…文件) above the title.
    pub mark: Option<usize>,
    /// The 发文字号 line above the title.
    pub number: Option<usize>,
    pub title: Option<usize>,
    pub addressee: Option<usize>,
    /// Body lines.
    pub body: std::ops::Range<usize>,
    /// The heading level (1-4) of each body line that is a heading, by index.
    pub headings: Vec<(usize, u8)>,
    /// The 署名 line just above the date, when there is one.
    pub signature: Option<usize>,
    pub date: Option<usize>,
}

/// Finds the parts of a draft given one line per paragraph.
pub fn parts(lines: &[&str]) -> Parts {
    let lines: Vec<&str> = lines.iter().map(|l| clean(l)).collect();
    let mut layout = layout(&lines);
    // A 纪要's mark is its own name: the title is the same line again, further down.
    let mut minutes_mark = None;
    if let Some(t) = layout.title
        && let Some(again) = (t + 1..lines.len().min(t + 12)).find(|&i| lines[i] == lines[t])
    {
        minutes_mark = Some(t);
        layout.title = Some(again);
        if layout.body.start <= again {
            layout.body.start = again + 1;
        }
        layout.addressee = layout.addressee.filter(|&a| a > again);
    }
    let before_title = layout.title.unwrap_or(0);
    let mark = minutes_mark.or_else(|| (0..before_title).find(|&i| is_mark_line(lines[i])));
    let number = (0..before_title).find(|&i| find_number(lines[i]).is_some());
    let headings = layout
        .body
        .clone()
        .filter_map(|i| heading(lines[i]).map(|h| (i, h.level)))
        .collect();
    let signature = layout
        .date
        .filter(|&d| d > 0 && layout.body.end == d - 1)
        .map(|d| d - 1);
    Parts {
        mark,
        number,
        title: layout.title,
        addressee: layout.addressee,
        body: layout.body,
        headings,
        signature,
        date: layout.date,
    }
}

/// The label (附件 or 抄送) that opens `line` with a half-width colon after it.
pub(crate) fn is_label(line: &str) -> Option<&'static str> {
    ["附件", "抄送"]
        .into_iter()
        .find(|l| line.starts_with(l) && line[l.len()..].starts_with(':'))
}

/// A draft as the rules read it: its lines cleaned of Markdown and spaces, and where its parts
/// are.
#[derive(Debug)]
pub(crate) struct Draft<'a> {
    pub lines: Vec<&'a str>,
    pub layout: Layout,
}

impl<'a> Draft<'a> {
    pub fn read(text: &'a str) -> Self {
        let lines: Vec<&str> = text.lines().map(clean).collect();
        let layout = layout(&lines);
        Draft { lines, layout }
    }
}
