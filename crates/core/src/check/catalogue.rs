//! The rule catalogue: every rule of the checker once, in one table, with its id, severity,
//! description, source and what applies it. The table drives `check_text` and fixes the order
//! findings are reported in; the DOCX layout rules are listed in it too, and applied where a
//! DOCX file is read (wenshu-docs).

use std::fmt;

use super::Finding;
use super::Severity::{self, Error, Warning};
use super::fix::{fix_punctuation, misplaced_halfwidth};
use super::recognise::{Draft, find_dates, find_number, heading, is_label};
use crate::document::DocType;
use crate::text::{self, sentences};

/// A rule applied to a draft's text: it adds what it finds, findings of `Rule`.
pub(crate) type Apply = fn(Rule, &Draft<'_>, &mut Vec<Finding>);

/// What applies a rule.
#[derive(Clone, Copy)]
pub(crate) enum Applies {
    /// A function over the draft's text, adding what it finds.
    Text(Apply),
    /// The layout of a DOCX file, read by wenshu-docs.
    Docx,
}

impl fmt::Debug for Applies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Applies::Text(_) => "Text",
            Applies::Docx => "Docx",
        })
    }
}

/// A rule of the checker.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub description: &'static str,
    /// The clause the rule comes from.
    pub source: &'static str,
    applies: Applies,
}

impl Rule {
    /// Whether the rule reads the layout of a DOCX file, not only its text.
    pub fn reads_layout(&self) -> bool {
        matches!(self.applies, Applies::Docx)
    }
}

/// A rule is its id.
impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Rule {}

const fn text(
    id: &'static str,
    severity: Severity,
    description: &'static str,
    source: &'static str,
    apply: Apply,
) -> Rule {
    Rule {
        id,
        severity,
        description,
        source,
        applies: Applies::Text(apply),
    }
}

const fn docx(
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
        applies: Applies::Docx,
    }
}

/// Every rule, in the order findings are reported: the text rules, then the DOCX layout rules.
pub const RULES: &[Rule] = &[
    text(
        "doc-type",
        Error,
        "标题以十五种法定文种之一结尾，不得自造文种（如“请示报告”）",
        "《党政机关公文处理工作条例》第八条",
        doc_type,
    ),
    text(
        "title-form",
        Error,
        "标题由发文机关、事由和文种组成，事由写作“关于……的”",
        "GB/T 9704-2012 7.3.1；条例第九条（七）",
        title_form,
    ),
    text(
        "request-one-addressee",
        Error,
        "请示只主送一个上级机关",
        "条例第十五条（一）",
        addressee_count,
    ),
    text(
        "request-closing",
        Error,
        "请示以请求语结尾，如“妥否，请批示”“以上请示当否，请批复”",
        "条例第十五条；公文写作惯例",
        request_closing,
    ),
    text(
        "request-one-matter",
        Warning,
        "请示应当一文一事，只提出一项请求",
        "条例第十五条（二）",
        request_one_matter,
    ),
    text(
        "report-no-request",
        Error,
        "报告中不得夹带请示事项（请批示、请批复、请审批等）",
        "条例第十五条（一）",
        report_no_request,
    ),
    text(
        "number-form",
        Error,
        "发文字号写作“机关代字〔年份〕序号号”：六角括号、四位年份、序号不编虚位、不加“第”",
        "GB/T 9704-2012 7.2.5",
        number_form,
    ),
    text(
        "date-form",
        Error,
        "成文日期用阿拉伯数字将年、月、日标全，年份不简写，月、日不编虚位（2024年7月1日）",
        "GB/T 9704-2012 7.3.5.4",
        date_form,
    ),
    text(
        "heading-form",
        Error,
        "结构层次序数依次为“一、”“（一）”“1.”“（1）”，括号用全角，阿拉伯数字后用圆点",
        "GB/T 9704-2012 7.3.3",
        heading_form,
    ),
    text(
        "heading-order",
        Error,
        "结构层次不得倒置：第一个层次序数是最高一级，其后不得出现更高一级（如先“（一）”后“一、”）",
        "GB/T 9704-2012 7.3.3",
        heading_order,
    ),
    text(
        "heading-skip",
        Warning,
        "结构层次一般逐级使用；越级（如“一、”后直接用“1.”）可以，但宜核实（配置 check.errors 可将其定为错误）",
        "GB/T 9704-2012 7.3.3；公文写作惯例“可以越级，不能倒置”",
        heading_skip,
    ),
    text(
        "punctuation",
        Error,
        "中文文字中使用全角标点（时间 9:30、电话号码、数字中的符号除外）",
        "GB/T 15834-2011；GB/T 9704-2012 5.3",
        punctuation,
    ),
    text(
        "label-colon",
        Error,
        "“附件：”“抄送：”使用全角冒号",
        "GB/T 9704-2012 7.3.4、7.4.2",
        label_colon,
    ),
    text(
        "attachment-form",
        Warning,
        "附件名称后不加标点符号",
        "GB/T 9704-2012 7.3.4",
        attachment_form,
    ),
    text(
        "copy-to-form",
        Warning,
        "抄送机关之间用全角逗号，最后一个抄送机关后标句号",
        "GB/T 9704-2012 7.4.2",
        copy_to_form,
    ),
    text(
        "task-talk",
        Warning,
        "正文只写公文本身，不写谈论写作任务的话（我将……、以下是……、根据您的要求……、本段……）",
        "公文写作惯例；条例第九条（公文正文）",
        task_talk,
    ),
    text(
        "placeholder",
        Warning,
        "不留待填的占位符（XX、××、【】、＿＿、某某）",
        "公文写作惯例",
        placeholder,
    ),
    text(
        "repeated-sentence",
        Warning,
        "同一句话在正文中不重复出现",
        "公文写作惯例：准确、简明",
        repeated_sentence,
    ),
    docx(
        "layout-page",
        Error,
        "DOCX 页面为 A4（210 mm × 297 mm）纵向",
        "GB/T 9704-2012 5.2.1",
    ),
    docx(
        "layout-margins",
        Error,
        "DOCX 页边距：天头 37 mm、订口（左）28 mm，版心 156 mm × 225 mm（下 35 mm、右 26 mm），允许误差 1 mm",
        "GB/T 9704-2012 5.2.2",
    ),
    docx(
        "layout-fonts",
        Error,
        "DOCX 字体：发文机关标志和标题用小标宋，正文用仿宋，一级标题用黑体，二级标题用楷体",
        "GB/T 9704-2012 7.2.3、7.3.1、7.3.3",
    ),
    docx(
        "layout-sizes",
        Error,
        "DOCX 字号：标题 2 号（22 磅），正文、层次标题、主送、署名和日期 3 号（16 磅）",
        "GB/T 9704-2012 5.3、7.3.1",
    ),
    docx(
        "layout-line-spacing",
        Warning,
        "DOCX 正文行距为固定值约 28.95 磅（每页 22 行），28 至 30 磅可接受",
        "GB/T 9704-2012 5.2.3",
    ),
    docx(
        "layout-red-header",
        Error,
        "DOCX 发文机关标志用红色，其下有与版心等宽的红色分隔线",
        "GB/T 9704-2012 7.2.3、7.2.6",
    ),
    // A reminder, never an error: layout findings are not raised by `check.errors`.
    docx(
        "layout-ai-label",
        Warning,
        "DOCX 页眉仍有“人工智能辅助生成”的显式标识：经人工审核定稿后，印发前删除",
        "《人工智能生成合成内容标识办法》；GB 45438-2025",
    ),
];

/// The rules that read the layout of a DOCX file, not only its text: the end of [`RULES`].
pub const LAYOUT_RULES: &[Rule] = RULES.split_at(first_layout_rule()).1;

/// Where the layout rules start in [`RULES`]; the build fails unless they all come last.
const fn first_layout_rule() -> usize {
    let mut first = RULES.len();
    let mut i = RULES.len();
    while i > 0 {
        i -= 1;
        if matches!(RULES[i].applies, Applies::Docx) {
            if first != i + 1 {
                panic!("the DOCX layout rules must come last in RULES, together");
            }
            first = i;
        }
    }
    first
}

/// The rule `id` in [`RULES`], for code that applies it by name; the build fails when there is
/// no such rule.
const fn rule(id: &str) -> Rule {
    let mut i = 0;
    while i < RULES.len() {
        if same(RULES[i].id, id) {
            return RULES[i];
        }
        i += 1;
    }
    panic!("no rule with this id in RULES");
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

// The layout rules by name, for wenshu-docs, which applies them.
pub const LAYOUT_PAGE: Rule = rule("layout-page");
pub const LAYOUT_MARGINS: Rule = rule("layout-margins");
pub const LAYOUT_FONTS: Rule = rule("layout-fonts");
pub const LAYOUT_SIZES: Rule = rule("layout-sizes");
pub const LAYOUT_LINE_SPACING: Rule = rule("layout-line-spacing");
pub const LAYOUT_RED_HEADER: Rule = rule("layout-red-header");
pub const LAYOUT_AI_LABEL: Rule = rule("layout-ai-label");

/// The rules that apply to a draft's text, in report order.
pub(crate) fn text_rules() -> impl Iterator<Item = (Rule, Apply)> {
    RULES.iter().filter_map(|rule| match rule.applies {
        Applies::Text(apply) => Some((*rule, apply)),
        Applies::Docx => None,
    })
}

/// The request formulas that close a 请示.
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

/// The request phrases a 报告 must not carry.
const REPORT_REQUESTS: [&str; 5] = ["请批示", "请批复", "请审批", "请予批准", "请批准"];

/// The title's type and what stands before it, when the title ends in a type.
fn titled<'a>(draft: &Draft<'a>) -> Option<(usize, &'a str, DocType, &'a str)> {
    let t = draft.layout.title?;
    let title = draft.lines[t];
    let doc_type = draft.layout.doc_type?;
    let head = title
        .trim_end_matches(['。', ' '])
        .strip_suffix(doc_type.name())
        .unwrap_or(title);
    Some((t, title, doc_type, head))
}

fn doc_type(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    let Some(t) = draft.layout.title else { return };
    let title = draft.lines[t];
    let n = t + 1;
    let Some((_, _, doc_type, _)) = titled(draft) else {
        findings.push(
            Finding::new(rule, n, title, "标题未以法定文种结尾")
                .suggest("以决议、决定、命令（令）、公报、公告、通告、意见、通知、通报、报告、请示、批复、议案、函、纪要之一结尾"),
        );
        return;
    };
    if let Some(other) = draft.layout.fused {
        let invented = format!("{}{}", other.name(), doc_type.name());
        findings.push(
            Finding::new(
                rule,
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
    }
}

fn title_form(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    let Some((t, title, doc_type, head)) = titled(draft) else {
        return;
    };
    // An invented type is reported by doc-type alone.
    if draft.layout.fused.is_some() {
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
    if exempt {
        return;
    }
    let body = head.trim_end();
    if !title.contains("关于") || !body.ends_with('的') {
        findings.push(
            Finding::new(
                rule,
                t + 1,
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

fn addressee_count(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    let Some(a) = draft.layout.addressee else {
        return;
    };
    // A fused title answers to the stricter of its two types.
    let Some((doc_type, max)) = draft
        .layout
        .types()
        .filter_map(|t| t.max_addressees().map(|m| (t, m)))
        .min_by_key(|&(_, m)| m)
    else {
        return;
    };
    let line = draft.lines[a];
    let names: Vec<&str> = line
        .trim_end_matches(['：', ':'])
        .split(['、', '，', ','])
        .filter(|s| !s.trim().is_empty())
        .collect();
    if names.len() > max {
        findings.push(
            Finding::new(
                rule,
                a + 1,
                line,
                format!("{doc_type}主送了{}个机关", names.len()),
            )
            .suggest(format!("只主送“{}”，其他机关用抄送", names[0])),
        );
    }
}

/// The body lines of a 请示 that hold a request formula.
fn request_closings(draft: &Draft<'_>) -> Option<Vec<usize>> {
    draft.layout.is(DocType::Request).then(|| {
        draft
            .layout
            .body
            .clone()
            .filter(|&i| REQUEST_CLOSINGS.iter().any(|c| draft.lines[i].contains(c)))
            .collect()
    })
}

fn request_closing(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    if !request_closings(draft).is_some_and(|c| c.is_empty()) {
        return;
    }
    let body = &draft.layout.body;
    let last = (body.start..body.end)
        .rev()
        .find(|&i| !draft.lines[i].is_empty())
        .unwrap_or(body.start);
    findings.push(
        Finding::new(
            rule,
            last + 1,
            draft.lines.get(last).copied().unwrap_or(""),
            "请示缺少结尾请求语",
        )
        .suggest("以“妥否，请批示。”或“以上请示当否，请批复。”结尾"),
    );
}

/// Verbs that open a request in a 请示's 事由: two of them joined by 和, 及 or 并 ask for two
/// things (购置服务器和举办培训班).
const REQUEST_VERBS: &[&str] = &[
    "申请", "购置", "采购", "举办", "召开", "开展", "建设", "设立", "成立", "增设", "调整", "增加",
    "追加", "拨付", "划拨", "安排", "组织", "修订", "制定", "出台", "印发", "实施", "启动", "新建",
    "改建", "扩建", "改造", "租用", "配备", "聘用", "招聘", "增补", "审批", "批准", "同意", "核定",
    "变更", "撤销", "延长", "提高", "参加", "派员", "给予", "解决",
];

/// The words that join two requests in a 事由.
const JOINERS: &[&str] = &["以及", "和", "及", "并", "与", "同时"];

/// Two requests joined in the 事由 of a 请示's title, as (first, second).
fn joined_requests(title: &str) -> Option<(String, String)> {
    let subject = title.rsplit_once("关于")?.1;
    let subject = subject
        .strip_suffix("的请示")
        .or_else(|| subject.strip_suffix("请示"))?;
    let starts_request = |part: &str| REQUEST_VERBS.iter().any(|v| part.starts_with(v));
    for joiner in JOINERS {
        for (at, _) in subject.match_indices(joiner) {
            let (before, after) = (&subject[..at], &subject[at + joiner.len()..]);
            // The first request opens the 事由, perhaps after a verb that covers both
            // (申请购置服务器和举办培训班).
            let first = REQUEST_VERBS
                .iter()
                .find_map(|v| before.strip_prefix(v))
                .filter(|rest| starts_request(rest))
                .unwrap_or(before);
            if starts_request(first) && starts_request(after) && first.chars().count() >= 3 {
                return Some((first.to_string(), after.to_string()));
            }
        }
    }
    None
}

fn request_one_matter(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    if let Some(t) = draft
        .layout
        .title
        .filter(|_| draft.layout.is(DocType::Request))
        && let Some((first, second)) = joined_requests(draft.lines[t])
    {
        findings.push(
            Finding::new(
                rule,
                t + 1,
                format!("{first}……{second}"),
                format!("事由中同时请示“{first}”和“{second}”两件事"),
            )
            .suggest("一文一事：分两件请示行文"),
        );
    }
    let Some(closings) = request_closings(draft).filter(|c| c.len() > 1) else {
        return;
    };
    let second = closings[1];
    findings.push(Finding::new(
        rule,
        second + 1,
        draft.lines[second],
        format!("请示中有{}处请求语，可能一文多事", closings.len()),
    ));
}

fn report_no_request(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    if !draft.layout.is(DocType::Report) {
        return;
    }
    for i in draft.layout.body.clone() {
        if let Some(phrase) = REPORT_REQUESTS
            .into_iter()
            .find(|p| draft.lines[i].contains(p))
        {
            findings.push(
                Finding::new(rule, i + 1, phrase, format!("报告中出现请示事项“{phrase}”"))
                    .suggest("请求事项另行请示；报告可用“特此报告。”结尾"),
            );
        }
    }
}

fn number_form(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    for (i, line) in draft.lines.iter().enumerate() {
        let Some(number) = find_number(line) else {
            continue;
        };
        let problems = number.problems();
        if problems.is_empty() {
            continue;
        }
        let excerpt = &line[number.start..number.end];
        findings.push(
            Finding::new(
                rule,
                i + 1,
                excerpt,
                format!("发文字号“{excerpt}”不规范：{}", problems.join("；")),
            )
            .suggest(number.canonical()),
        );
    }
}

fn date_form(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    for (i, line) in draft.lines.iter().enumerate() {
        for mention in find_dates(line) {
            if mention.is_standard() {
                continue;
            }
            // Only the 成文日期 is held to the rule; a date in the body is a reminder.
            let is_date_line = draft.layout.date == Some(i);
            let mut finding = Finding::new(
                rule,
                i + 1,
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
    }
}

fn heading_form(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    for i in draft.layout.body.clone() {
        let Some(h) = heading(draft.lines[i]) else {
            continue;
        };
        if let Some(fixed) = &h.fixed_marker {
            findings.push(
                Finding::new(
                    rule,
                    i + 1,
                    h.marker.clone(),
                    format!("层次序数“{}”应写作“{fixed}”", h.marker),
                )
                .suggest(fixed.clone()),
            );
        }
    }
}

fn heading_order(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    // The first heading is the document's top level; one that ranks above it later inverts
    // the order (（一） used above 一、).
    let mut top: Option<u8> = None;
    for i in draft.layout.body.clone() {
        let Some(h) = heading(draft.lines[i]) else {
            continue;
        };
        match top {
            None => top = Some(h.level),
            Some(first) if h.level < first => {
                let first_marker =
                    ["“一、”", "“（一）”", "“1.”", "“（1）”"][usize::from(first - 1)];
                findings.push(Finding::new(
                    rule,
                    i + 1,
                    h.marker.clone(),
                    format!("层次“{}”出现在{first_marker}一级之后，层次倒置", h.marker),
                ));
            }
            Some(_) => {}
        }
    }
}

fn heading_skip(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    let mut level = 0u8;
    for i in draft.layout.body.clone() {
        let Some(h) = heading(draft.lines[i]) else {
            continue;
        };
        if h.level > level + 1 {
            let expected = ["“一、”", "“（一）”", "“1.”", "“（1）”"][usize::from(level)];
            findings.push(Finding::new(
                rule,
                i + 1,
                h.marker.clone(),
                format!("层次“{}”越级：此前没有{expected}一级", h.marker),
            ));
        }
        level = h.level;
    }
}

fn punctuation(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    for (i, line) in draft.lines.iter().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        // A half-width colon after 附件 or 抄送 is reported by label-colon.
        let skip_label = is_label(line).map_or(usize::MAX, |l| l.chars().count());
        let bad: Vec<usize> = (0..chars.len())
            .filter(|&at| at != skip_label && misplaced_halfwidth(&chars, at))
            .collect();
        let Some(&first) = bad.first() else {
            continue;
        };
        let from = first.saturating_sub(6);
        let to = (first + 7).min(chars.len());
        let excerpt: String = chars[from..to].iter().collect();
        let marks: String = bad
            .iter()
            .map(|&at| chars[at])
            .collect::<std::collections::BTreeSet<char>>()
            .into_iter()
            .collect();
        findings.push(
            Finding::new(
                rule,
                i + 1,
                excerpt,
                format!("中文中使用了半角标点“{marks}”（{}处）", bad.len()),
            )
            .suggest(fix_punctuation(line)),
        );
    }
}

fn label_colon(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    for (i, line) in draft.lines.iter().enumerate() {
        if let Some(label) = is_label(line) {
            findings.push(
                Finding::new(
                    rule,
                    i + 1,
                    format!("{label}:"),
                    format!("“{label}”后应使用全角冒号"),
                )
                .suggest(format!("{label}：")),
            );
        }
    }
}

fn attachment_form(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    for (i, line) in draft.lines.iter().enumerate() {
        let rest = line
            .strip_prefix("附件")
            .and_then(|r| r.strip_prefix(['：', ':']));
        if let Some(rest) = rest
            && rest.trim_end().ends_with(['。', '；', '，', '.', ';', ','])
        {
            findings.push(
                Finding::new(rule, i + 1, rest.trim(), "附件名称后不加标点").suggest(
                    rest.trim()
                        .trim_end_matches(['。', '；', '，', '.', ';', ','])
                        .to_string(),
                ),
            );
        }
    }
}

fn copy_to_form(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    for (i, line) in draft.lines.iter().enumerate() {
        let Some(cc) = line
            .strip_prefix("抄送")
            .and_then(|r| r.strip_prefix(['：', ':']))
        else {
            continue;
        };
        let cc = cc.trim();
        if cc.contains('、') || !cc.ends_with('。') {
            let fixed = format!("{}。", cc.trim_end_matches('。').replace('、', "，"));
            findings.push(
                Finding::new(rule, i + 1, cc, "抄送机关之间用全角逗号，最后标句号")
                    .suggest(format!("抄送：{fixed}")),
            );
        }
    }
}

fn task_talk(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    for i in draft.layout.body.clone() {
        for sentence in sentences(draft.lines[i]) {
            if let Some(words) = text::task_talk(sentence) {
                findings.push(Finding::new(
                    rule,
                    i + 1,
                    sentence.trim(),
                    format!("这句话在谈论写作任务（“{words}”），不是公文正文，宜删去"),
                ));
            }
        }
    }
}

fn placeholder(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    for (i, line) in draft.lines.iter().enumerate() {
        if let Some(found) = text::placeholder(line) {
            findings.push(Finding::new(
                rule,
                i + 1,
                found.clone(),
                format!("“{found}”是待填的占位符，应写明实际内容或删去"),
            ));
        }
    }
}

fn repeated_sentence(rule: Rule, draft: &Draft<'_>, findings: &mut Vec<Finding>) {
    let mut said: Vec<(usize, &str)> = Vec::new();
    for i in draft.layout.body.clone() {
        for sentence in sentences(draft.lines[i]) {
            if let Some(&(first, _)) = said.iter().find(|(_, s)| text::same_sentence(s, sentence)) {
                findings.push(Finding::new(
                    rule,
                    i + 1,
                    sentence.trim(),
                    format!("这句话与第{}行重复", first + 1),
                ));
            } else {
                said.push((i, sentence));
            }
        }
    }
}
