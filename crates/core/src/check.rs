//! The 公文 format checker for text: the rules of 《党政机关公文处理工作条例》 and GB/T 9704-2012
//! that can be read off the words and punctuation of a draft, each with an id, a description and
//! its source; and the mechanical fixes (brackets, dates, punctuation) that never change wording.

use crate::document::{Block, Date, DocType, Document};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A rule of the checker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub description: &'static str,
    /// The clause the rule comes from.
    pub source: &'static str,
}

const fn rule(
    id: &'static str,
    severity: Severity,
    description: &'static str,
    source: &'static str,
) -> Rule {
    Rule {
        id,
        severity,
        description,
        source,
    }
}

pub const DOC_TYPE: Rule = rule(
    "doc-type",
    Severity::Error,
    "标题以十五种法定文种之一结尾，不得自造文种（如“请示报告”）",
    "《党政机关公文处理工作条例》第八条",
);
pub const TITLE_FORM: Rule = rule(
    "title-form",
    Severity::Error,
    "标题由发文机关、事由和文种组成，事由写作“关于……的”",
    "GB/T 9704-2012 7.3.1；条例第九条（七）",
);
pub const REQUEST_ONE_ADDRESSEE: Rule = rule(
    "request-one-addressee",
    Severity::Error,
    "请示只主送一个上级机关",
    "条例第十五条（一）",
);
pub const REQUEST_CLOSING: Rule = rule(
    "request-closing",
    Severity::Error,
    "请示以请求语结尾，如“妥否，请批示”“以上请示当否，请批复”",
    "条例第十五条；公文写作惯例",
);
pub const REQUEST_ONE_MATTER: Rule = rule(
    "request-one-matter",
    Severity::Warning,
    "请示应当一文一事，只提出一项请求",
    "条例第十五条（二）",
);
pub const REPORT_NO_REQUEST: Rule = rule(
    "report-no-request",
    Severity::Error,
    "报告中不得夹带请示事项（请批示、请批复、请审批等）",
    "条例第十五条（一）",
);
pub const NUMBER_FORM: Rule = rule(
    "number-form",
    Severity::Error,
    "发文字号写作“机关代字〔年份〕序号号”：六角括号、四位年份、序号不编虚位、不加“第”",
    "GB/T 9704-2012 7.2.5",
);
pub const DATE_FORM: Rule = rule(
    "date-form",
    Severity::Error,
    "成文日期用阿拉伯数字将年、月、日标全，年份不简写，月、日不编虚位（2024年7月1日）",
    "GB/T 9704-2012 7.3.5.4",
);
pub const HEADING_FORM: Rule = rule(
    "heading-form",
    Severity::Error,
    "结构层次序数依次为“一、”“（一）”“1.”“（1）”，括号用全角，阿拉伯数字后用圆点",
    "GB/T 9704-2012 7.3.3",
);
pub const HEADING_ORDER: Rule = rule(
    "heading-order",
    Severity::Error,
    "结构层次逐级使用，不得跳级",
    "GB/T 9704-2012 7.3.3",
);
pub const PUNCTUATION: Rule = rule(
    "punctuation",
    Severity::Error,
    "中文文字中使用全角标点（时间 9:30、电话号码、数字中的符号除外）",
    "GB/T 15834-2011；GB/T 9704-2012 5.3",
);
pub const LABEL_COLON: Rule = rule(
    "label-colon",
    Severity::Error,
    "“附件：”“抄送：”使用全角冒号",
    "GB/T 9704-2012 7.3.4、7.4.2",
);
pub const ATTACHMENT_FORM: Rule = rule(
    "attachment-form",
    Severity::Warning,
    "附件名称后不加标点符号",
    "GB/T 9704-2012 7.3.4",
);
pub const COPY_TO_FORM: Rule = rule(
    "copy-to-form",
    Severity::Warning,
    "抄送机关之间用全角逗号，最后一个抄送机关后标句号",
    "GB/T 9704-2012 7.4.2",
);

pub const LAYOUT_PAGE: Rule = rule(
    "layout-page",
    Severity::Error,
    "DOCX 页面为 A4（210 mm × 297 mm）纵向",
    "GB/T 9704-2012 5.2.1",
);
pub const LAYOUT_MARGINS: Rule = rule(
    "layout-margins",
    Severity::Error,
    "DOCX 页边距：天头 37 mm、订口（左）28 mm，版心 156 mm × 225 mm（下 35 mm、右 26 mm），允许误差 1 mm",
    "GB/T 9704-2012 5.2.2",
);
pub const LAYOUT_FONTS: Rule = rule(
    "layout-fonts",
    Severity::Error,
    "DOCX 字体：发文机关标志和标题用小标宋，正文用仿宋，一级标题用黑体，二级标题用楷体",
    "GB/T 9704-2012 7.2.3、7.3.1、7.3.3",
);
pub const LAYOUT_SIZES: Rule = rule(
    "layout-sizes",
    Severity::Error,
    "DOCX 字号：标题 2 号（22 磅），正文、层次标题、主送、署名和日期 3 号（16 磅）",
    "GB/T 9704-2012 5.3、7.3.1",
);
pub const LAYOUT_LINE_SPACING: Rule = rule(
    "layout-line-spacing",
    Severity::Warning,
    "DOCX 正文行距为固定值约 28.95 磅（每页 22 行），28 至 30 磅可接受",
    "GB/T 9704-2012 5.2.3",
);
pub const LAYOUT_RED_HEADER: Rule = rule(
    "layout-red-header",
    Severity::Error,
    "DOCX 发文机关标志用红色，其下有与版心等宽的红色分隔线",
    "GB/T 9704-2012 7.2.3、7.2.6",
);

/// The rules that read the layout of a DOCX file, not only its text.
pub const LAYOUT_RULES: &[Rule] = &[
    LAYOUT_PAGE,
    LAYOUT_MARGINS,
    LAYOUT_FONTS,
    LAYOUT_SIZES,
    LAYOUT_LINE_SPACING,
    LAYOUT_RED_HEADER,
];

/// Every rule, in the order findings are reported: the text rules, then the DOCX layout rules.
pub const RULES: &[Rule] = &[
    DOC_TYPE,
    TITLE_FORM,
    REQUEST_ONE_ADDRESSEE,
    REQUEST_CLOSING,
    REQUEST_ONE_MATTER,
    REPORT_NO_REQUEST,
    NUMBER_FORM,
    DATE_FORM,
    HEADING_FORM,
    HEADING_ORDER,
    PUNCTUATION,
    LABEL_COLON,
    ATTACHMENT_FORM,
    COPY_TO_FORM,
    LAYOUT_PAGE,
    LAYOUT_MARGINS,
    LAYOUT_FONTS,
    LAYOUT_SIZES,
    LAYOUT_LINE_SPACING,
    LAYOUT_RED_HEADER,
];

/// One problem found in a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// 1-based line (paragraph) number.
    pub line: usize,
    /// The offending text.
    pub excerpt: String,
    pub message: String,
    pub suggestion: Option<String>,
}

impl Finding {
    pub fn new(
        rule: Rule,
        line: usize,
        excerpt: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule: rule.id,
            severity: rule.severity,
            line,
            excerpt: excerpt.into(),
            message: message.into(),
            suggestion: None,
        }
    }

    pub fn suggest(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }
}

/// A line changed by `fix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub line: usize,
    pub before: String,
    pub after: String,
}

const REQUEST_CLOSINGS: &[&str] = &[
    "妥否，请批示",
    "当否，请批示",
    "妥否，请批复",
    "当否，请批复",
    "请批示",
    "请批复",
    "请审批",
    "请予批准",
    "请批准",
    "请审定",
    "请予审批",
    "请予审定",
];

const OPEN_BRACKETS: &[char] = &['〔', '[', '【', '［', '(', '（', '{', '〈'];
const CLOSE_BRACKETS: &[char] = &['〕', ']', '】', '］', ')', '）', '}', '〉'];

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// Full-width CJK punctuation and letters count as Chinese context too.
fn is_chinese_context(c: char) -> bool {
    is_han(c) || matches!(c, '\u{3000}'..='\u{303f}' | '\u{ff01}'..='\u{ff5e}')
}

/// The line without list/heading markup of Markdown and surrounding spaces.
fn clean(line: &str) -> &str {
    let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    let line = line.trim_start_matches('#').trim_start_matches('>').trim();
    line.trim_matches('*').trim()
}

/// A 发文字号 found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Number {
    /// Byte range of the whole number in the line.
    start: usize,
    end: usize,
    prefix: String,
    open: char,
    year: String,
    close: char,
    has_di: bool,
    serial: String,
}

impl Number {
    fn canonical(&self) -> String {
        let serial = self.serial.trim_start_matches('0');
        format!(
            "{}〔{}〕{}号",
            self.prefix,
            self.year,
            if serial.is_empty() { "0" } else { serial }
        )
    }

    fn problems(&self) -> Vec<&'static str> {
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
fn find_number(line: &str) -> Option<Number> {
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
struct DateMention {
    start: usize,
    end: usize,
    text: String,
    date: Date,
}

impl DateMention {
    fn is_standard(&self) -> bool {
        self.text == self.date.to_string()
    }
}

fn find_dates(line: &str) -> Vec<DateMention> {
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
struct Heading {
    level: u8,
    /// The number as written, e.g. `（一）` or `1、`.
    marker: String,
    /// The standard form of the marker, when it is written wrongly.
    fixed_marker: Option<String>,
}

const HAN_NUMERALS: &str = "一二三四五六七八九十";

/// The level of a numbered heading at the start of `line` (1 一、, 2 （一）, 3 1., 4 （1）), for
/// readers that follow a document's structure.
pub fn heading_level(line: &str) -> Option<u8> {
    heading(clean(line)).map(|h| h.level)
}

fn heading(line: &str) -> Option<Heading> {
    let chars: Vec<char> = line.chars().collect();
    let take = |pred: &dyn Fn(char) -> bool, from: usize| -> usize {
        let mut n = from;
        while n < chars.len() && pred(chars[n]) {
            n += 1;
        }
        n
    };
    let marker = |end: usize| chars[..end].iter().collect::<String>();
    // 一、
    let n = take(&|c| HAN_NUMERALS.contains(c), 0);
    if n > 0 && n <= 3 && chars.get(n) == Some(&'、') {
        return Some(Heading {
            level: 1,
            marker: marker(n + 1),
            fixed_marker: None,
        });
    }
    // （一） or (一), （1） or (1)
    if let Some(&open) = chars.first()
        && matches!(open, '（' | '(')
    {
        let han = take(&|c| HAN_NUMERALS.contains(c), 1);
        let digits = take(&|c| c.is_ascii_digit(), 1);
        let (level, end) = if han > 1 && han <= 4 {
            (2, han)
        } else if digits > 1 && digits <= 3 {
            (4, digits)
        } else {
            (0, 0)
        };
        if level > 0
            && let Some(&close) = chars.get(end)
            && matches!(close, '）' | ')')
        {
            let inner: String = chars[1..end].iter().collect();
            let fixed = (open != '（' || close != '）').then(|| format!("（{inner}）"));
            return Some(Heading {
                level,
                marker: marker(end + 1),
                fixed_marker: fixed,
            });
        }
    }
    // 1. or 1． or 1、
    let digits = take(&|c| c.is_ascii_digit(), 0);
    if digits > 0 && digits <= 2 {
        match chars.get(digits) {
            Some('.') | Some('．') => {
                // "1.5亿" is a number, not a heading.
                if chars.get(digits + 1).is_some_and(|c| c.is_ascii_digit()) {
                    return None;
                }
                return Some(Heading {
                    level: 3,
                    marker: marker(digits + 1),
                    fixed_marker: None,
                });
            }
            Some('、') => {
                let number: String = chars[..digits].iter().collect();
                return Some(Heading {
                    level: 3,
                    marker: marker(digits + 1),
                    fixed_marker: Some(format!("{number}.")),
                });
            }
            _ => {}
        }
    }
    None
}

/// Where the parts of a draft are, as far as the text shows them.
#[derive(Debug, Default)]
struct Layout {
    /// Index of the title line.
    title: Option<usize>,
    doc_type: Option<DocType>,
    /// Index of the 主送 line.
    addressee: Option<usize>,
    /// Index of the standalone 成文日期 line.
    date: Option<usize>,
    /// Body lines: after the addressee (or title) and before the signature block.
    body: std::ops::Range<usize>,
}

fn is_mark_line(line: &str) -> bool {
    line.ends_with("文件") || line.ends_with("文件。")
}

fn layout(lines: &[&str]) -> Layout {
    let mut out = Layout::default();
    let search = lines.len().min(12);
    out.title = (0..search)
        .find(|&i| {
            let l = lines[i];
            l.contains("关于") && !is_mark_line(l) && find_number(l).is_none() && !l.ends_with('：')
        })
        .or_else(|| {
            (0..search).find(|&i| {
                DocType::from_title(lines[i]).is_some() && find_number(lines[i]).is_none()
            })
        });
    out.doc_type = out.title.and_then(|i| DocType::from_title(lines[i]));
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

/// Reads a document back from its text, one paragraph per line (as [`Document::to_text`]
/// writes it, or as a user edited it): the elements in front of the title, the title, 主送,
/// the body with its heading levels, 附件说明, 署名, 成文日期, 附注 and 版记. The type comes from
/// the title, else `fallback`.
pub fn read_document(text: &str, fallback: DocType) -> Document {
    let raw: Vec<&str> = text.lines().collect();
    let lines: Vec<&str> = raw.iter().map(|l| clean(l)).collect();
    let found = parts(&raw);
    let doc_type = found
        .title
        .and_then(|t| DocType::from_title(lines[t]))
        .unwrap_or(fallback);
    let mut doc = Document::new(doc_type, "");
    let title = found.title.unwrap_or(0);
    if let Some(t) = found.title {
        doc.title = lines[t].to_string();
    }
    for (i, &line) in lines.iter().enumerate().take(title) {
        if line.is_empty() {
            continue;
        }
        if Some(i) == found.mark {
            if doc_type != DocType::Minutes {
                doc.issuer = line
                    .trim_end_matches('。')
                    .trim_end_matches("文件")
                    .to_string();
            }
        } else if Some(i) == found.number {
            match line.split_once("签发人") {
                Some((number, signers)) => {
                    let number =
                        number.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
                    doc.number = (!number.is_empty()).then(|| number.to_string());
                    doc.signers = signers
                        .trim_start_matches(['：', ':'])
                        .split(|c: char| c.is_whitespace() || c == '\u{3000}')
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect();
                }
                None => doc.number = Some(line.to_string()),
            }
        } else if ["秘密", "机密", "绝密"].iter().any(|k| line.starts_with(k)) {
            doc.classification = Some(line.to_string());
        } else if line == "特急" || line == "加急" {
            doc.urgency = Some(line.to_string());
        } else if line.chars().all(|c| c.is_ascii_digit()) {
            doc.copy_number = Some(line.to_string());
        }
    }
    let mut body = found.body.clone();
    let addressee = found.addressee.filter(|_| {
        doc_type.requirement(crate::document::Element::Addressee)
            != crate::document::Requirement::Forbidden
    });
    if let (Some(a), None) = (found.addressee, addressee) {
        // A type without 主送 (公告, 命令, …): a first paragraph ending in ： is body.
        body.start = body.start.min(a);
    }
    if let Some(a) = addressee {
        doc.addressees = lines[a]
            .trim_end_matches(['：', ':'])
            .split(['，', '、', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
    }
    for &line in &lines[body] {
        if line.is_empty() {
            continue;
        }
        doc.body.push(match heading(line) {
            Some(h) => Block::Heading {
                level: h.level,
                text: line[h.marker.len()..].to_string(),
            },
            None => Block::Paragraph(line.to_string()),
        });
    }
    // Between the body and the date: 附件说明 (numbered when several), then the 署名.
    let mut signature = None;
    for &line in lines
        .iter()
        .take(found.date.unwrap_or(lines.len()))
        .skip(found.body.end)
    {
        if let Some(first) = line.strip_prefix("附件") {
            doc.attachments
                .push(first.trim_start_matches(['：', ':']).to_string());
        } else if !doc.attachments.is_empty()
            && signature.is_none()
            && line.starts_with(&format!("{}.", doc.attachments.len() + 1))
        {
            doc.attachments.push(line.to_string());
        } else if !line.is_empty() {
            signature = Some(line.to_string());
        }
    }
    if doc.attachments.len() > 1 {
        for (i, name) in doc.attachments.iter_mut().enumerate() {
            let prefix = format!("{}.", i + 1);
            if let Some(rest) = name.strip_prefix(&prefix) {
                *name = rest.to_string();
            }
        }
    }
    doc.signature = signature;
    if doc.issuer.is_empty() {
        doc.issuer = doc.signature.take().unwrap_or_default();
    } else if doc.signature.as_deref() == Some(doc.issuer.as_str()) {
        doc.signature = None;
    }
    doc.date = found.date.and_then(|d| Date::parse(lines[d]));
    let after = found.date.map_or(lines.len(), |d| d + 1);
    for &line in lines.iter().skip(after) {
        if let Some(rest) = line.strip_prefix("抄送") {
            doc.copy_to = rest
                .trim_start_matches(['：', ':'])
                .trim_end_matches('。')
                .split(['，', '、', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
        } else if let Some(rest) = line.strip_suffix("印发") {
            let (by, on) = match rest.rsplit_once(|c: char| c.is_whitespace() || c == '\u{3000}') {
                Some((by, on)) => (
                    by.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'),
                    on,
                ),
                None => ("", rest),
            };
            let on = Date::parse(on);
            doc.printed_by = (doc.copy_to.is_empty() || by != doc.issuer).then(|| by.to_string());
            doc.printed_on = on.filter(|d| Some(*d) != doc.date);
        } else if let Some(note) = line.strip_prefix('（').and_then(|l| l.strip_suffix('）')) {
            doc.note = Some(note.to_string());
        }
    }
    doc
}

/// Checks the text of a draft, one line per paragraph.
pub fn check_text(text: &str) -> Vec<Finding> {
    let raw: Vec<&str> = text.lines().collect();
    let lines: Vec<&str> = raw.iter().map(|l| clean(l)).collect();
    let layout = layout(&lines);
    let mut findings = Vec::new();

    check_title(&lines, &layout, &mut findings);
    match layout.doc_type {
        Some(DocType::Request) => check_request(&lines, &layout, &mut findings),
        Some(DocType::Report) => check_report(&lines, &layout, &mut findings),
        _ => {}
    }
    let mut level = 0u8;
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        if let Some(number) = find_number(line) {
            let problems = number.problems();
            if !problems.is_empty() {
                let excerpt = &line[number.start..number.end];
                findings.push(
                    Finding::new(
                        NUMBER_FORM,
                        n,
                        excerpt,
                        format!("发文字号“{excerpt}”不规范：{}", problems.join("；")),
                    )
                    .suggest(number.canonical()),
                );
            }
        }
        for mention in find_dates(line) {
            if mention.is_standard() {
                continue;
            }
            let is_date_line = layout.date == Some(i);
            let mut finding = Finding::new(
                DATE_FORM,
                n,
                mention.text.clone(),
                format!(
                    "{}“{}”应写作“{}”",
                    if is_date_line {
                        "成文日期"
                    } else {
                        "日期"
                    },
                    mention.text,
                    mention.date
                ),
            )
            .suggest(mention.date.to_string());
            if !is_date_line {
                finding.severity = Severity::Warning;
            }
            findings.push(finding);
        }
        if layout.body.contains(&i)
            && let Some(h) = heading(line)
        {
            if let Some(fixed) = &h.fixed_marker {
                findings.push(
                    Finding::new(
                        HEADING_FORM,
                        n,
                        h.marker.clone(),
                        format!("层次序数“{}”应写作“{fixed}”", h.marker),
                    )
                    .suggest(fixed.clone()),
                );
            }
            if h.level > level + 1 {
                let expected = ["“一、”", "“（一）”", "“1.”", "“（1）”"][usize::from(level)];
                findings.push(Finding::new(
                    HEADING_ORDER,
                    n,
                    h.marker.clone(),
                    format!("层次“{}”跳级：此前应先有{expected}一级", h.marker),
                ));
            }
            level = h.level;
        }
        check_punctuation(line, n, &mut findings);
        check_labels(line, n, &mut findings);
    }
    sort_findings(&mut findings);
    findings
}

/// Puts findings in report order: by line, then in the order of [`RULES`].
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by_key(|f| (f.line, RULES.iter().position(|r| r.id == f.rule)));
}

fn check_title(lines: &[&str], layout: &Layout, findings: &mut Vec<Finding>) {
    let Some(t) = layout.title else { return };
    let title = lines[t];
    let n = t + 1;
    let Some(doc_type) = layout.doc_type else {
        findings.push(
            Finding::new(DOC_TYPE, n, title, "标题未以法定文种结尾")
                .suggest("以决议、决定、命令（令）、公报、公告、通告、意见、通知、通报、报告、请示、批复、议案、函、纪要之一结尾"),
        );
        return;
    };
    // A second type right before the first is an invented one, such as 请示报告.
    let head = title
        .trim_end_matches(['。', ' '])
        .strip_suffix(doc_type.name())
        .unwrap_or(title);
    if let Some(other) = DocType::from_title(head)
        .filter(|o| head.ends_with(o.name()) && o.name().chars().count() >= 2)
    {
        let invented = format!("{}{}", other.name(), doc_type.name());
        findings.push(
            Finding::new(
                DOC_TYPE,
                n,
                invented.clone(),
                format!("“{invented}”不是法定文种"),
            )
            .suggest(format!(
                "只用一个文种，如“{}”或“{}”",
                other.name(),
                doc_type.name()
            )),
        );
        return;
    }
    let exempt = matches!(
        doc_type,
        DocType::Announcement
            | DocType::Notice
            | DocType::Order
            | DocType::Communique
            | DocType::Minutes
    );
    if !exempt {
        let body = head.trim_end();
        if !title.contains("关于") || !body.ends_with('的') {
            findings.push(
                Finding::new(
                    TITLE_FORM,
                    n,
                    title,
                    format!("标题应写作“（发文机关）关于……的{doc_type}”"),
                )
                .suggest(format!(
                    "关于{}的{doc_type}",
                    body.trim_end_matches('的')
                        .split("关于")
                        .last()
                        .unwrap_or(body)
                )),
            );
        }
    }
}

fn closing_count(lines: &[&str], range: std::ops::Range<usize>) -> Vec<usize> {
    range
        .filter(|&i| REQUEST_CLOSINGS.iter().any(|c| lines[i].contains(c)))
        .collect()
}

fn check_request(lines: &[&str], layout: &Layout, findings: &mut Vec<Finding>) {
    if let Some(a) = layout.addressee {
        let names: Vec<&str> = lines[a]
            .trim_end_matches(['：', ':'])
            .split(['、', '，', ','])
            .filter(|s| !s.trim().is_empty())
            .collect();
        if names.len() > 1 {
            findings.push(
                Finding::new(
                    REQUEST_ONE_ADDRESSEE,
                    a + 1,
                    lines[a],
                    format!("请示主送了{}个机关", names.len()),
                )
                .suggest(format!("只主送“{}”，其他机关用抄送", names[0])),
            );
        }
    }
    let closings = closing_count(lines, layout.body.clone());
    if closings.is_empty() {
        let last = (layout.body.start..layout.body.end)
            .rev()
            .find(|&i| !lines[i].is_empty())
            .unwrap_or(layout.body.start);
        findings.push(
            Finding::new(
                REQUEST_CLOSING,
                last + 1,
                lines.get(last).copied().unwrap_or(""),
                "请示缺少结尾请求语",
            )
            .suggest("以“妥否，请批示。”或“以上请示当否，请批复。”结尾"),
        );
    } else if closings.len() > 1 {
        let second = closings[1];
        findings.push(Finding::new(
            REQUEST_ONE_MATTER,
            second + 1,
            lines[second],
            format!("请示中有{}处请求语，可能一文多事", closings.len()),
        ));
    }
}

fn check_report(lines: &[&str], layout: &Layout, findings: &mut Vec<Finding>) {
    for i in layout.body.clone() {
        if let Some(phrase) = ["请批示", "请批复", "请审批", "请予批准", "请批准"]
            .into_iter()
            .find(|p| lines[i].contains(p))
        {
            findings.push(
                Finding::new(
                    REPORT_NO_REQUEST,
                    i + 1,
                    phrase,
                    format!("报告中出现请示事项“{phrase}”"),
                )
                .suggest("请求事项另行请示；报告可用“特此报告。”结尾"),
            );
        }
    }
}

/// Whether the half-width `c` at `i` sits in Chinese text (and is not a time, number or URL).
fn misplaced_halfwidth(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    let prev = i.checked_sub(1).map(|p| chars[p]);
    let next = chars.get(i + 1).copied();
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    match c {
        // 9:30, 1,000 and 3:2 stay half-width.
        ':' | ',' if digit(prev) && digit(next) => false,
        ':' if next == Some('/') => false,
        ',' | ';' | ':' | '?' | '!' => {
            prev.is_some_and(is_chinese_context) || next.is_some_and(is_chinese_context)
        }
        '(' => {
            // Brackets around Chinese: (一) or (试行).
            chars[i + 1..]
                .iter()
                .take_while(|&&c| c != ')')
                .any(|&c| is_han(c))
        }
        ')' => chars[..i]
            .iter()
            .rev()
            .take_while(|&&c| c != '(')
            .any(|&c| is_han(c)),
        _ => false,
    }
}

fn fullwidth(c: char) -> char {
    match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        other => other,
    }
}

fn is_label(line: &str) -> Option<&'static str> {
    ["附件", "抄送"]
        .into_iter()
        .find(|l| line.starts_with(l) && line[l.len()..].starts_with(':'))
}

fn check_punctuation(line: &str, n: usize, findings: &mut Vec<Finding>) {
    let chars: Vec<char> = line.chars().collect();
    let skip_label = is_label(line).map_or(usize::MAX, |l| l.chars().count());
    let bad: Vec<usize> = (0..chars.len())
        .filter(|&i| i != skip_label && misplaced_halfwidth(&chars, i))
        .collect();
    if bad.is_empty() {
        return;
    }
    let first = bad[0];
    let from = first.saturating_sub(6);
    let to = (first + 7).min(chars.len());
    let excerpt: String = chars[from..to].iter().collect();
    let marks: String = bad
        .iter()
        .map(|&i| chars[i])
        .collect::<std::collections::BTreeSet<char>>()
        .into_iter()
        .collect();
    findings.push(
        Finding::new(
            PUNCTUATION,
            n,
            excerpt,
            format!("中文中使用了半角标点“{marks}”（{}处）", bad.len()),
        )
        .suggest(fix_punctuation(line)),
    );
}

fn check_labels(line: &str, n: usize, findings: &mut Vec<Finding>) {
    if let Some(label) = is_label(line) {
        findings.push(
            Finding::new(
                LABEL_COLON,
                n,
                format!("{label}:"),
                format!("“{label}”后应使用全角冒号"),
            )
            .suggest(format!("{label}：")),
        );
    }
    let rest = line
        .strip_prefix("附件")
        .and_then(|r| r.strip_prefix(['：', ':']));
    if let Some(rest) = rest
        && rest.trim_end().ends_with(['。', '；', '，', '.', ';', ','])
    {
        findings.push(
            Finding::new(ATTACHMENT_FORM, n, rest.trim(), "附件名称后不加标点").suggest(
                rest.trim()
                    .trim_end_matches(['。', '；', '，', '.', ';', ','])
                    .to_string(),
            ),
        );
    }
    let cc = line
        .strip_prefix("抄送")
        .and_then(|r| r.strip_prefix(['：', ':']));
    if let Some(cc) = cc {
        let cc = cc.trim();
        if cc.contains('、') || !cc.ends_with('。') {
            let fixed = format!("{}。", cc.trim_end_matches('。').replace('、', "，"));
            findings.push(
                Finding::new(COPY_TO_FORM, n, cc, "抄送机关之间用全角逗号，最后标句号")
                    .suggest(format!("抄送：{fixed}")),
            );
        }
    }
}

fn fix_punctuation(line: &str) -> String {
    // A half-width colon after 附件 or 抄送 is misplaced half-width punctuation too, so this also
    // repairs what `label-colon` reports.
    let chars: Vec<char> = line.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if misplaced_halfwidth(&chars, i) {
                fullwidth(c)
            } else {
                c
            }
        })
        .collect()
}

/// Applies the mechanical fixes (发文字号 brackets and 第, date forms, half-width punctuation,
/// heading markers) to every line; wording is never changed. Returns the new text and what changed.
pub fn fix_text(text: &str) -> (String, Vec<Change>) {
    let mut changes = Vec::new();
    let mut out = String::with_capacity(text.len());
    let raw: Vec<&str> = text.split_inclusive('\n').collect();
    let cleaned: Vec<&str> = raw.iter().map(|l| clean(l)).collect();
    let body = layout(&cleaned).body;
    for (i, piece) in raw.iter().enumerate() {
        let (line, ending) = match piece.strip_suffix("\r\n") {
            Some(l) => (l, "\r\n"),
            None => piece.strip_suffix('\n').map_or((*piece, ""), |l| (l, "\n")),
        };
        let mut fixed = line.to_string();
        if let Some(number) = find_number(&fixed)
            && !number.prefix.ends_with('字')
            && number.year.len() == 4
        {
            fixed.replace_range(number.start..number.end, &number.canonical());
        }
        for mention in find_dates(&fixed).into_iter().rev() {
            if !mention.is_standard() {
                fixed.replace_range(mention.start..mention.end, &mention.date.to_string());
            }
        }
        fixed = fix_punctuation(&fixed);
        if body.contains(&i) {
            let lead = fixed.len() - fixed.trim_start().len();
            if let Some(h) = heading(clean(&fixed))
                && let Some(marker) = h.fixed_marker
                && fixed[lead..].starts_with(&h.marker)
            {
                fixed.replace_range(lead..lead + h.marker.len(), &marker);
            }
        }
        if fixed != line {
            changes.push(Change {
                line: i + 1,
                before: line.to_string(),
                after: fixed.clone(),
            });
        }
        out.push_str(&fixed);
        out.push_str(ending);
    }
    (out, changes)
}

#[cfg(test)]
mod tests;
