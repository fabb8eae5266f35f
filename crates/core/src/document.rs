//! The 公文 document model: the 15 document types and the 18 elements of
//! 《党政机关公文处理工作条例》 (arts. 8 and 9), which elements each type requires, allows or
//! forbids, and validation of a filled document; `read` reads one back from its text.

use std::fmt;

mod read;

pub use read::read_document;

/// The 15 types of official document (art. 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocType {
    Resolution,   // 决议
    Decision,     // 决定
    Order,        // 命令（令）
    Communique,   // 公报
    Announcement, // 公告
    Notice,       // 通告
    Opinion,      // 意见
    Circular,     // 通知
    Bulletin,     // 通报
    Report,       // 报告
    Request,      // 请示
    Reply,        // 批复
    Motion,       // 议案
    Letter,       // 函
    Minutes,      // 纪要
}

/// Which way a document travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// 上行文: to a superior body.
    Upward,
    /// 下行文: to subordinate bodies.
    Downward,
    /// 平行文: between bodies without a reporting line.
    Parallel,
    /// Published to the public or a set scope.
    Public,
}

impl DocType {
    pub const ALL: [DocType; 15] = [
        DocType::Resolution,
        DocType::Decision,
        DocType::Order,
        DocType::Communique,
        DocType::Announcement,
        DocType::Notice,
        DocType::Opinion,
        DocType::Circular,
        DocType::Bulletin,
        DocType::Report,
        DocType::Request,
        DocType::Reply,
        DocType::Motion,
        DocType::Letter,
        DocType::Minutes,
    ];

    /// The type's name as it ends a title.
    pub fn name(self) -> &'static str {
        match self {
            DocType::Resolution => "决议",
            DocType::Decision => "决定",
            DocType::Order => "命令",
            DocType::Communique => "公报",
            DocType::Announcement => "公告",
            DocType::Notice => "通告",
            DocType::Opinion => "意见",
            DocType::Circular => "通知",
            DocType::Bulletin => "通报",
            DocType::Report => "报告",
            DocType::Request => "请示",
            DocType::Reply => "批复",
            DocType::Motion => "议案",
            DocType::Letter => "函",
            DocType::Minutes => "纪要",
        }
    }

    /// A stable ASCII identifier, for file names and JSON.
    pub fn id(self) -> &'static str {
        match self {
            DocType::Resolution => "resolution",
            DocType::Decision => "decision",
            DocType::Order => "order",
            DocType::Communique => "communique",
            DocType::Announcement => "announcement",
            DocType::Notice => "notice",
            DocType::Opinion => "opinion",
            DocType::Circular => "circular",
            DocType::Bulletin => "bulletin",
            DocType::Report => "report",
            DocType::Request => "request",
            DocType::Reply => "reply",
            DocType::Motion => "motion",
            DocType::Letter => "letter",
            DocType::Minutes => "minutes",
        }
    }

    /// Parses a type by its Chinese name (令 for 命令 too) or its identifier.
    pub fn parse(s: &str) -> Option<DocType> {
        let s = s.trim();
        if s == "令" {
            return Some(DocType::Order);
        }
        DocType::ALL
            .into_iter()
            .find(|t| t.name() == s || t.id() == s)
    }

    /// The type a title ends with, if it ends with one (the longest name wins: 命令 over 令).
    pub fn from_title(title: &str) -> Option<DocType> {
        let title = title.trim_end_matches(['。', ' ', '　']);
        DocType::ALL
            .into_iter()
            .filter(|t| title.ends_with(t.name()))
            .max_by_key(|t| t.name().chars().count())
            .or_else(|| title.ends_with('令').then_some(DocType::Order))
    }

    pub fn direction(self) -> Direction {
        match self {
            DocType::Report | DocType::Request | DocType::Motion => Direction::Upward,
            DocType::Letter => Direction::Parallel,
            DocType::Communique | DocType::Announcement | DocType::Notice => Direction::Public,
            _ => Direction::Downward,
        }
    }

    /// What the type is used for (art. 8), in one line.
    pub fn purpose(self) -> &'static str {
        match self {
            DocType::Resolution => "会议讨论通过的重大决策事项",
            DocType::Decision => {
                "对重要事项作出决策和部署、奖惩有关单位和人员、变更或者撤销下级机关不适当的决定事项"
            }
            DocType::Order => {
                "公布行政法规和规章、宣布施行重大强制性措施、批准授予和晋升衔级、嘉奖有关单位和人员"
            }
            DocType::Communique => "公布重要决定或者重大事项",
            DocType::Announcement => "向国内外宣布重要事项或者法定事项",
            DocType::Notice => "在一定范围内公布应当遵守或者周知的事项",
            DocType::Opinion => "对重要问题提出见解和处理办法",
            DocType::Circular => {
                "发布、传达要求下级机关执行和有关单位周知或者执行的事项，批转、转发公文"
            }
            DocType::Bulletin => "表彰先进、批评错误、传达重要精神和告知重要情况",
            DocType::Report => "向上级机关汇报工作、反映情况，回复上级机关的询问",
            DocType::Request => "向上级机关请求指示、批准",
            DocType::Reply => "答复下级机关请示事项",
            DocType::Motion => {
                "各级人民政府按照法律程序向同级人民代表大会或者人民代表大会常务委员会提请审议事项"
            }
            DocType::Letter => "不相隶属机关之间商洽工作、询问和答复问题、请求批准和答复审批事项",
            DocType::Minutes => "记载会议主要情况和议定事项",
        }
    }

    /// Whether this type may carry `element`, and whether it must.
    pub fn requirement(self, element: Element) -> Requirement {
        use Element::*;
        use Requirement::*;
        match element {
            Title | Body | Date | PageNumber => Required,
            IssuerMark => match self {
                // A 纪要 carries its own 纪要标志 instead of the issuing body's mark.
                DocType::Minutes => Optional,
                _ => Required,
            },
            Signer => match self {
                DocType::Request | DocType::Report => Required,
                // A 议案 is signed by the head of government rather than carrying 签发人.
                DocType::Motion => Optional,
                _ => Forbidden,
            },
            Addressee => match self {
                DocType::Request
                | DocType::Report
                | DocType::Reply
                | DocType::Letter
                | DocType::Motion => Required,
                DocType::Communique | DocType::Announcement | DocType::Notice | DocType::Order => {
                    Forbidden
                }
                _ => Optional,
            },
            Seal => match self {
                DocType::Minutes => Forbidden,
                _ => Optional,
            },
            Signature => match self {
                DocType::Minutes => Optional,
                _ => Required,
            },
            Number => match self {
                DocType::Communique | DocType::Announcement | DocType::Notice => Optional,
                _ => Required,
            },
            CopyNumber | Classification | Urgency | AttachmentNote | Note | Attachment | CopyTo
            | PrintedBy => Optional,
        }
    }

    /// The most 主送机关 (addressees) this type may name, when it is limited: a 请示 goes to one
    /// superior body only, the others get copies (抄送) (条例第十五条（一）). Both the checker and
    /// drafting hold documents to it.
    pub fn max_addressees(self) -> Option<usize> {
        match self {
            DocType::Request => Some(1),
            _ => None,
        }
    }
}

impl fmt::Display for DocType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The 18 elements of an official document (art. 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Element {
    CopyNumber,     // 份号
    Classification, // 密级和保密期限
    Urgency,        // 紧急程度
    IssuerMark,     // 发文机关标志
    Number,         // 发文字号
    Signer,         // 签发人
    Title,          // 标题
    Addressee,      // 主送机关
    Body,           // 正文
    AttachmentNote, // 附件说明
    Signature,      // 发文机关署名
    Date,           // 成文日期
    Seal,           // 印章
    Note,           // 附注
    Attachment,     // 附件
    CopyTo,         // 抄送机关
    PrintedBy,      // 印发机关和印发日期
    PageNumber,     // 页码
}

impl Element {
    pub const ALL: [Element; 18] = [
        Element::CopyNumber,
        Element::Classification,
        Element::Urgency,
        Element::IssuerMark,
        Element::Number,
        Element::Signer,
        Element::Title,
        Element::Addressee,
        Element::Body,
        Element::AttachmentNote,
        Element::Signature,
        Element::Date,
        Element::Seal,
        Element::Note,
        Element::Attachment,
        Element::CopyTo,
        Element::PrintedBy,
        Element::PageNumber,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Element::CopyNumber => "份号",
            Element::Classification => "密级和保密期限",
            Element::Urgency => "紧急程度",
            Element::IssuerMark => "发文机关标志",
            Element::Number => "发文字号",
            Element::Signer => "签发人",
            Element::Title => "标题",
            Element::Addressee => "主送机关",
            Element::Body => "正文",
            Element::AttachmentNote => "附件说明",
            Element::Signature => "发文机关署名",
            Element::Date => "成文日期",
            Element::Seal => "印章",
            Element::Note => "附注",
            Element::Attachment => "附件",
            Element::CopyTo => "抄送机关",
            Element::PrintedBy => "印发机关和印发日期",
            Element::PageNumber => "页码",
        }
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether a type must, may or must not carry an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    Required,
    Optional,
    Forbidden,
}

/// A calendar date, written the GB/T 9704 way: 2024年3月20日.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1000..=9999).contains(&year) && (1..=days).contains(&day)).then_some(Self {
            year,
            month,
            day,
        })
    }

    /// The calendar date at `unix_ms` in a zone `offset_minutes` east of UTC (China: 480); see
    /// [`crate::time::Zone::date`] for a zone from the settings.
    pub fn from_unix_ms(unix_ms: i64, offset_minutes: i32) -> Option<Self> {
        crate::time::LocalTime::at(unix_ms, i64::from(offset_minutes)).date()
    }

    /// Reads `2024-03-20`, `2024/3/20`, `2024.3.20` or `2024年3月20日` (汉字 numerals too).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let digits: String = text.chars().map(|c| han_digit(c).unwrap_or(c)).collect();
        let parts: Vec<&str> = digits
            .split(['-', '/', '.', '年', '月', '日'])
            .filter(|p| !p.is_empty())
            .collect();
        let [y, m, d] = parts.as_slice() else {
            return None;
        };
        let number = |s: &str| -> Option<u16> {
            if s.chars().all(|c| c.is_ascii_digit()) {
                s.parse().ok()
            } else {
                han_number(s)
            }
        };
        Date::new(
            number(y)?,
            u8::try_from(number(m)?).ok()?,
            u8::try_from(number(d)?).ok()?,
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}年{}月{}日", self.year, self.month, self.day)
    }
}

/// 〇一二…九 as a digit character, for years written 二〇二四.
fn han_digit(c: char) -> Option<char> {
    Some(match c {
        '〇' | '零' | 'Ｏ' | 'O' => '0',
        '一' => '1',
        '二' => '2',
        '三' => '3',
        '四' => '4',
        '五' => '5',
        '六' => '6',
        '七' => '7',
        '八' => '8',
        '九' => '9',
        _ => return None,
    })
}

/// 十, 十二, 二十, 二十一, 三十一 (months and days written in 汉字; digits already mapped).
fn han_number(s: &str) -> Option<u16> {
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', d] => Some(10 + d.to_digit(10)? as u16),
        [t, '十'] => Some(t.to_digit(10)? as u16 * 10),
        [t, '十', d] => Some(t.to_digit(10)? as u16 * 10 + d.to_digit(10)? as u16),
        _ => None,
    }
}

/// A block of the body: a heading at one of the four levels, or a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Level 1 一、, 2 （一）, 3 1., 4 （1）; `text` excludes the number.
    Heading {
        level: u8,
        text: String,
    },
    Paragraph(String),
}

/// One line of a 纪要's attendance: 出席：甲、乙.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    /// 出席, 请假, 列席 (or 缺席, 记录 in a 会议记录).
    pub label: String,
    pub names: Vec<String>,
}

impl Attendance {
    /// The labels an attendance line opens with.
    pub const LABELS: [&'static str; 5] = ["出席", "请假", "列席", "缺席", "记录"];

    /// The line as printed: 出席：甲、乙.
    pub fn line(&self) -> String {
        format!("{}：{}", self.label, self.names.join("、"))
    }

    /// An attendance line read back (出席：甲、乙), if `line` is one.
    pub fn parse(line: &str) -> Option<Self> {
        let (label, names) = line.split_once(['：', ':'])?;
        let label = label.trim();
        Self::LABELS.contains(&label).then(|| Self {
            label: label.to_string(),
            names: names
                .split(['、', '，', ',', ' ', '\u{3000}'])
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(String::from)
                .collect(),
        })
    }
}

/// A filled official document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub doc_type: DocType,
    /// 份号, six digits for classified documents.
    pub copy_number: Option<String>,
    /// 密级和保密期限, e.g. 秘密★1年.
    pub classification: Option<String>,
    /// 紧急程度: 特急 or 加急.
    pub urgency: Option<String>,
    /// 发文机关 (for the mark 发文机关标志 and, by default, the signature).
    pub issuer: String,
    /// 发文字号, e.g. 粤政数〔2024〕7号.
    pub number: Option<String>,
    /// 签发人 names (上行文).
    pub signers: Vec<String>,
    /// 标题.
    pub title: String,
    /// 主送机关.
    pub addressees: Vec<String>,
    /// 正文.
    pub body: Vec<Block>,
    /// 附件 names, in order (附件说明).
    pub attachments: Vec<String>,
    /// A 纪要's attendance after its text: 出席, 请假, 列席 (empty for other types).
    pub attendance: Vec<Attendance>,
    /// 发文机关署名; the issuer when empty.
    pub signature: Option<String>,
    /// 成文日期.
    pub date: Option<Date>,
    /// Whether the document is sealed (印章).
    pub sealed: bool,
    /// 附注, without the brackets.
    pub note: Option<String>,
    /// 抄送机关.
    pub copy_to: Vec<String>,
    /// 印发机关.
    pub printed_by: Option<String>,
    /// 印发日期.
    pub printed_on: Option<Date>,
}

impl Document {
    /// An empty document of `doc_type` from `issuer`, to be filled in.
    pub fn new(doc_type: DocType, issuer: impl Into<String>) -> Self {
        Self {
            doc_type,
            copy_number: None,
            classification: None,
            urgency: None,
            issuer: issuer.into(),
            number: None,
            signers: Vec::new(),
            title: String::new(),
            addressees: Vec::new(),
            body: Vec::new(),
            attachments: Vec::new(),
            attendance: Vec::new(),
            signature: None,
            date: None,
            sealed: false,
            note: None,
            copy_to: Vec::new(),
            printed_by: None,
            printed_on: None,
        }
    }

    /// Whether the document has `element` filled in.
    pub fn has(&self, element: Element) -> bool {
        match element {
            Element::CopyNumber => self.copy_number.is_some(),
            Element::Classification => self.classification.is_some(),
            Element::Urgency => self.urgency.is_some(),
            Element::IssuerMark => !self.issuer.trim().is_empty(),
            Element::Number => self.number.as_deref().is_some_and(|n| !n.trim().is_empty()),
            Element::Signer => !self.signers.is_empty(),
            Element::Title => !self.title.trim().is_empty(),
            Element::Addressee => !self.addressees.is_empty(),
            Element::Body => !self.body.is_empty(),
            Element::AttachmentNote | Element::Attachment => !self.attachments.is_empty(),
            Element::Signature => {
                self.signature
                    .as_deref()
                    .is_some_and(|s| !s.trim().is_empty())
                    || !self.issuer.trim().is_empty()
            }
            Element::Date => self.date.is_some(),
            Element::Seal => self.sealed,
            Element::Note => self.note.is_some(),
            Element::CopyTo => !self.copy_to.is_empty(),
            Element::PrintedBy => self.printed_by.is_some(),
            // Page numbers are added by every renderer.
            Element::PageNumber => true,
        }
    }

    /// Elements that are missing although the type requires them, and present although it
    /// forbids them.
    pub fn validate(&self) -> Vec<ElementProblem> {
        Element::ALL
            .into_iter()
            .filter_map(
                |element| match (self.doc_type.requirement(element), self.has(element)) {
                    (Requirement::Required, false) => Some(ElementProblem::Missing(element)),
                    (Requirement::Forbidden, true) => Some(ElementProblem::NotAllowed(element)),
                    _ => None,
                },
            )
            .collect()
    }
}

/// A Chinese numeral for a heading count: 一 … 九十九.
pub fn han_numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// The marker of the `count`-th heading at `level`: 一、 （一） 1. （1）.
pub fn heading_marker(level: u8, count: usize) -> String {
    match level {
        1 => format!("{}、", han_numeral(count)),
        2 => format!("（{}）", han_numeral(count)),
        3 => format!("{count}."),
        _ => format!("（{count}）"),
    }
}

/// One paragraph of the body as printed: its heading level (0 for a paragraph) and its text
/// with the heading marker in front.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLine {
    pub level: u8,
    pub text: String,
}

impl Document {
    /// The body with headings numbered in order, counters restarting below each level.
    pub fn numbered_body(&self) -> Vec<BodyLine> {
        let mut counters = [0usize; 4];
        self.body
            .iter()
            .map(|block| match block {
                Block::Paragraph(text) => BodyLine {
                    level: 0,
                    text: text.clone(),
                },
                Block::Heading { level, text } => {
                    let level = (*level).clamp(1, 4);
                    let index = usize::from(level - 1);
                    counters[index] += 1;
                    counters.iter_mut().skip(index + 1).for_each(|c| *c = 0);
                    BodyLine {
                        level,
                        text: format!("{}{text}", heading_marker(level, counters[index])),
                    }
                }
            })
            .collect()
    }

    /// Whether the document prints a 发文机关标志: when it has an issuer, and a 纪要 always
    /// (its mark is its own name).
    pub fn has_mark(&self) -> bool {
        !self.issuer.trim().is_empty()
            || (self.doc_type == DocType::Minutes && !self.title.trim().is_empty())
    }

    /// The 发文机关标志 as printed: the issuer's name with 文件 (a 纪要 carries its own name).
    pub fn mark(&self) -> String {
        if self.doc_type == DocType::Minutes {
            self.title.clone()
        } else {
            format!("{}文件", self.issuer)
        }
    }

    /// The 附件说明 lines: `附件：1.名称` first, then `2.名称` (numbered when several).
    pub fn attachment_lines(&self) -> Vec<String> {
        let several = self.attachments.len() > 1;
        self.attachments
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let numbered = if several {
                    format!("{}.{name}", i + 1)
                } else {
                    name.clone()
                };
                if i == 0 {
                    format!("附件：{numbered}")
                } else {
                    numbered
                }
            })
            .collect()
    }

    /// The 发文机关署名: the signature, else the issuer.
    pub fn signature_text(&self) -> String {
        self.signature
            .clone()
            .unwrap_or_else(|| self.issuer.clone())
    }

    /// Whether the document has a 版记 (抄送 or 印发机关).
    pub fn has_record(&self) -> bool {
        self.printed_by.is_some() || !self.copy_to.is_empty()
    }

    /// The 抄送 line of the 版记, when there is one: 抄送：甲，乙。
    pub fn copy_to_line(&self) -> Option<String> {
        (!self.copy_to.is_empty()).then(|| format!("抄送：{}。", self.copy_to.join("，")))
    }

    /// 印发机关 (the issuer unless given) and 印发日期 (the date unless given) as printed.
    pub fn printed(&self) -> (String, String) {
        let by = self
            .printed_by
            .clone()
            .unwrap_or_else(|| self.issuer.clone());
        let on = self
            .printed_on
            .or(self.date)
            .map(|d| format!("{d}印发"))
            .unwrap_or_default();
        (by, on)
    }

    /// The document as plain text, one paragraph per line, elements in GB/T 9704 order.
    pub fn to_text(&self) -> String {
        self.lines(false).join("\n") + "\n"
    }

    /// The document as Markdown: the title and headings marked, paragraphs apart.
    pub fn to_markdown(&self) -> String {
        self.lines(true).join("\n\n") + "\n"
    }

    fn lines(&self, markdown: bool) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for marker in [&self.copy_number, &self.classification, &self.urgency]
            .into_iter()
            .flatten()
        {
            out.push(marker.clone());
        }
        if self.has_mark() {
            out.push(self.mark());
        }
        let number = self.number.clone().unwrap_or_default();
        if self.doc_type.direction() == Direction::Upward && !self.signers.is_empty() {
            out.push(format!("{number}　　签发人：{}", self.signers.join("　")));
        } else if !number.is_empty() {
            out.push(number);
        }
        out.push(if markdown {
            format!("# {}", self.title)
        } else {
            self.title.clone()
        });
        if !self.addressees.is_empty() {
            out.push(format!("{}：", self.addressees.join("，")));
        }
        for line in self.numbered_body() {
            out.push(match (markdown, line.level) {
                (true, 1..=2) => {
                    format!("{} {}", "#".repeat(usize::from(line.level) + 1), line.text)
                }
                _ => line.text,
            });
        }
        out.extend(self.attendance.iter().map(Attendance::line));
        for (i, line) in self.attachment_lines().into_iter().enumerate() {
            out.push(if i == 0 {
                line
            } else {
                format!("　　　{line}")
            });
        }
        let signature = self.signature_text();
        if !signature.is_empty() {
            out.push(signature);
        }
        if let Some(date) = self.date {
            out.push(date.to_string());
        }
        if let Some(note) = &self.note {
            out.push(format!("（{note}）"));
        }
        out.extend(self.copy_to_line());
        if self.has_record() {
            let (by, on) = self.printed();
            out.push(format!("{by}　　{on}"));
        }
        out
    }
}

/// A problem with the elements of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementProblem {
    Missing(Element),
    NotAllowed(Element),
}

impl ElementProblem {
    pub fn message(self, doc_type: DocType) -> String {
        match self {
            ElementProblem::Missing(e) => format!("{doc_type}缺少必备要素“{e}”"),
            ElementProblem::NotAllowed(e) => format!("{doc_type}不应有“{e}”"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_come_from_unix_time_in_a_zone() {
        for (case, ms, offset, expected) in [
            ("the epoch", 0, 0, Date::new(1970, 1, 1)),
            (
                "leap day in UTC",
                1_709_224_200_000,
                0,
                Date::new(2024, 2, 29),
            ),
            // 2024-02-29 16:30 UTC is already 1 March in Beijing.
            (
                "leap day in China",
                1_709_224_200_000,
                480,
                Date::new(2024, 3, 1),
            ),
            ("before the epoch", -1, 0, Date::new(1969, 12, 31)),
        ] {
            assert_eq!(
                Date::from_unix_ms(ms, offset),
                expected,
                "{case}: {ms} ms at {offset} minutes east"
            );
        }
    }

    #[test]
    fn heading_markers_count_in_the_standard_forms() {
        for (level, count, expected) in [
            (1, 3, "三、"),
            (1, 12, "十二、"),
            (2, 1, "（一）"),
            (3, 2, "2."),
            (4, 10, "（10）"),
        ] {
            assert_eq!(
                heading_marker(level, count),
                expected,
                "heading {count} at level {level}"
            );
        }
    }

    #[test]
    fn only_a_request_is_limited_to_one_addressee() {
        for doc_type in DocType::ALL {
            let expected = (doc_type == DocType::Request).then_some(1);
            assert_eq!(
                doc_type.max_addressees(),
                expected,
                "{doc_type}: 条例第十五条 limits only the 请示"
            );
        }
    }

    #[test]
    fn text_rendering_passes_the_checker() {
        let mut doc = Document::new(DocType::Request, "某市数据局");
        doc.number = Some("某数〔2024〕3号".into());
        doc.signers = vec!["张三".into()];
        doc.title = "某市数据局关于申请数据中心改造经费的请示".into();
        doc.addressees = vec!["某市人民政府".into()];
        doc.body = vec![
            Block::Paragraph("为保障政务系统稳定运行，现就有关事项请示如下：".into()),
            Block::Heading {
                level: 1,
                text: "改造内容".into(),
            },
            Block::Paragraph("更换老旧服务器20台。".into()),
            Block::Heading {
                level: 2,
                text: "经费来源".into(),
            },
            Block::Heading {
                level: 1,
                text: "实施安排".into(),
            },
            Block::Paragraph("妥否，请批示。".into()),
        ];
        doc.attachments = vec!["改造方案".into(), "经费测算表".into()];
        doc.date = Date::new(2024, 3, 20);
        doc.note = Some("联系人：李四，电话：020-12345678".into());
        doc.copy_to = vec!["某市财政局".into()];
        let text = doc.to_text();
        assert!(text.contains("某数〔2024〕3号　　签发人：张三\n"), "{text}");
        assert!(text.contains("\n一、改造内容\n"), "{text}");
        assert!(text.contains("\n（一）经费来源\n二、实施安排\n"), "{text}");
        assert!(
            text.contains("附件：1.改造方案\n　　　2.经费测算表\n"),
            "{text}"
        );
        assert!(text.contains("\n2024年3月20日\n"), "{text}");
        let findings = crate::check::check_text(&text);
        assert!(findings.is_empty(), "{findings:#?}\n{text}");
        let md = doc.to_markdown();
        assert!(
            md.contains("# 某市数据局关于申请数据中心改造经费的请示\n\n"),
            "{md}"
        );
        assert!(md.contains("## 一、改造内容"), "{md}");
        let findings = crate::check::check_text(&md);
        assert!(findings.is_empty(), "{findings:#?}\n{md}");
    }

    #[test]
    fn fifteen_types_round_trip_by_name_and_id() {
        for t in DocType::ALL {
            assert_eq!(DocType::parse(t.name()), Some(t));
            assert_eq!(DocType::parse(t.id()), Some(t));
        }
        assert_eq!(DocType::parse("令"), Some(DocType::Order));
        assert_eq!(
            DocType::parse("请示报告"),
            None,
            "invented types are not types"
        );
    }

    #[test]
    fn type_is_read_from_the_end_of_a_title() {
        assert_eq!(
            DocType::from_title("广东省人民政府关于加强数据管理的通知"),
            Some(DocType::Circular)
        );
        assert_eq!(
            DocType::from_title("关于召开会议的函"),
            Some(DocType::Letter)
        );
        assert_eq!(
            DocType::from_title("中华人民共和国主席令"),
            Some(DocType::Order)
        );
        assert_eq!(
            DocType::from_title("关于某事的请示报告"),
            Some(DocType::Report),
            "ends in 报告"
        );
        assert_eq!(DocType::from_title("工作安排"), None);
    }

    #[test]
    fn upward_documents_need_a_signer_and_minutes_no_seal() {
        assert_eq!(
            DocType::Request.requirement(Element::Signer),
            Requirement::Required
        );
        assert_eq!(
            DocType::Report.requirement(Element::Signer),
            Requirement::Required
        );
        assert_eq!(
            DocType::Circular.requirement(Element::Signer),
            Requirement::Forbidden
        );
        assert_eq!(
            DocType::Minutes.requirement(Element::Seal),
            Requirement::Forbidden
        );
        assert_eq!(
            DocType::Announcement.requirement(Element::Addressee),
            Requirement::Forbidden
        );
    }

    fn request() -> Document {
        let mut doc = Document::new(DocType::Request, "广东省政务服务数据管理局");
        doc.number = Some("粤政数〔2024〕7号".into());
        doc.signers = vec!["张三".into()];
        doc.title = "关于申请数据中心扩容经费的请示".into();
        doc.addressees = vec!["广东省人民政府".into()];
        doc.body = vec![Block::Paragraph("妥否，请批示。".into())];
        doc.date = Date::new(2024, 3, 20);
        doc
    }

    #[test]
    fn complete_request_validates() {
        assert_eq!(request().validate(), vec![]);
    }

    #[test]
    fn missing_required_element_is_named() {
        let mut doc = request();
        doc.signers.clear();
        let problems = doc.validate();
        assert_eq!(problems, vec![ElementProblem::Missing(Element::Signer)]);
        assert_eq!(
            problems[0].message(doc.doc_type),
            "请示缺少必备要素“签发人”"
        );
    }

    #[test]
    fn sealed_minutes_are_refused() {
        let mut doc = Document::new(DocType::Minutes, "广东省政务服务数据管理局");
        doc.title = "局长办公会议纪要".into();
        doc.number = Some("第3号".into());
        doc.body = vec![Block::Paragraph("会议议定……".into())];
        doc.date = Date::new(2024, 3, 20);
        doc.sealed = true;
        assert_eq!(
            doc.validate(),
            vec![ElementProblem::NotAllowed(Element::Seal)]
        );
    }

    #[test]
    fn dates_parse_from_common_forms_and_print_the_standard_way() {
        for text in [
            "2024-03-20",
            "2024/3/20",
            "2024.3.20",
            "2024年3月20日",
            "2024年03月20日",
            "二〇二四年三月二十日",
        ] {
            assert_eq!(Date::parse(text), Date::new(2024, 3, 20), "{text}");
        }
        assert_eq!(
            Date::new(2024, 7, 1).map(|d| d.to_string()).as_deref(),
            Some("2024年7月1日")
        );
        assert_eq!(Date::parse("2023-02-29"), None, "not a leap year");
        assert_eq!(Date::parse("2024-13-01"), None);
        assert_eq!(
            Date::parse("二〇二四年十二月三十一日"),
            Date::new(2024, 12, 31)
        );
    }
}
