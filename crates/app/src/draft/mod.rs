//! Drafting official documents. The user gives the fixed elements (发文机关, 发文字号, 主送,
//! 成文日期, 附件, 抄送, 联系人) and the facts; the model writes only the 事由 of the title and
//! the body: first an outline in the type's own structure (JSON that a schema constrains), then
//! each section as one paragraph. Every draft goes through the checker, and every number in the
//! model's text is looked up in what the user gave.

mod templates;

use std::path::Path;
use std::time::Instant;

use serde_json::{Value, json};
use wenshu_api::FindingInfo;
use wenshu_core::check::{self, Severity};
use wenshu_core::document::{Block, Date, DocType, Document, Element, ElementProblem, Requirement};
use wenshu_core::{CancelFlag, Constraint, Role, StopReason, Turn};

use crate::error::{AppError, ErrorCode, Result};
use crate::{AskOptions, Wenshu};

pub use templates::{SectionKind, fill};
pub use wenshu_api::{
    BlockInfo, DocumentInfo, Draft, DraftForm, DraftStep, ExportFormat, OutlineInfo, OutlineItem,
    OutlineSection,
};

/// Minutes east of UTC used for today's date when none is given (China Standard Time).
const CHINA_OFFSET_MINUTES: i32 = 480;

/// What the user asks for: the type, the fixed elements and the facts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftRequest {
    pub doc_type: Option<DocType>,
    /// 发文机关.
    pub issuer: String,
    /// What the document is about, in the user's words.
    pub topic: String,
    /// 主送机关.
    pub addressees: Vec<String>,
    /// The only source of numbers, dates and names in the body.
    pub facts: Option<String>,
    /// 发文字号, as given.
    pub number: Option<String>,
    /// 成文日期; today (China Standard Time) when absent.
    pub date: Option<Date>,
    /// 签发人 (上行文).
    pub signers: Vec<String>,
    /// 附件 names.
    pub attachments: Vec<String>,
    /// 抄送机关.
    pub copy_to: Vec<String>,
    /// 联系人 and telephone, printed as the 附注.
    pub contact: Option<String>,
    /// 密级和保密期限.
    pub classification: Option<String>,
    /// 紧急程度.
    pub urgency: Option<String>,
    /// Sampling seed; the settings' seed when absent.
    pub seed: Option<u32>,
}

/// Progress of a draft, for front ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftEvent<'a> {
    /// Step `step` of `of` begins (the outline is step 1).
    Step {
        step: usize,
        of: usize,
        label: &'a str,
    },
    /// Text the model produced in the current step.
    Text(&'a str),
}

/// A document as front ends receive it.
pub fn document_info(d: &Document) -> DocumentInfo {
    DocumentInfo {
        doc_type: d.doc_type.name().to_string(),
        copy_number: d.copy_number.clone(),
        classification: d.classification.clone(),
        urgency: d.urgency.clone(),
        issuer: d.issuer.clone(),
        number: d.number.clone(),
        signers: d.signers.clone(),
        title: d.title.clone(),
        addressees: d.addressees.clone(),
        body: d
            .body
            .iter()
            .map(|b| match b {
                Block::Heading { level, text } => BlockInfo {
                    level: *level,
                    text: text.clone(),
                },
                Block::Paragraph(text) => BlockInfo {
                    level: 0,
                    text: text.clone(),
                },
            })
            .collect(),
        attachments: d.attachments.clone(),
        signature: d.signature.clone(),
        date: d.date.map(|d| d.to_string()),
        sealed: d.sealed,
        note: d.note.clone(),
        copy_to: d.copy_to.clone(),
        printed_by: d.printed_by.clone(),
        printed_on: d.printed_on.map(|d| d.to_string()),
    }
}

/// A document from what a front end sent, with an error that names a field it cannot read.
pub fn document_from_info(info: DocumentInfo) -> Result<Document> {
    {
        let doc_type = parse_type(&info.doc_type)?;
        let date = |field: &str, value: Option<String>| -> Result<Option<Date>> {
            value
                .map(|v| {
                    Date::parse(&v).ok_or_else(|| {
                        AppError::new(
                            ErrorCode::InvalidInput,
                            format!(
                                "{field} “{v}” is not a date: write 2024-03-20 or 2024年3月20日"
                            ),
                        )
                    })
                })
                .transpose()
        };
        let mut doc = Document::new(doc_type, info.issuer);
        doc.copy_number = info.copy_number;
        doc.classification = info.classification;
        doc.urgency = info.urgency;
        doc.number = info.number;
        doc.signers = info.signers;
        doc.title = info.title;
        doc.addressees = info.addressees;
        doc.body = info
            .body
            .into_iter()
            .map(|b| {
                if b.level == 0 {
                    Block::Paragraph(b.text)
                } else {
                    Block::Heading {
                        level: b.level.min(4),
                        text: b.text,
                    }
                }
            })
            .collect();
        doc.attachments = info.attachments;
        doc.signature = info.signature;
        doc.date = date("date", info.date)?;
        doc.sealed = info.sealed;
        doc.note = info.note;
        doc.copy_to = info.copy_to;
        doc.printed_by = info.printed_by;
        doc.printed_on = date("printed_on", info.printed_on)?;
        Ok(doc)
    }
}

/// An item from the model's string: `检查对象：全市各区平台` is the heading 检查对象 about
/// 全市各区平台; a short string is a heading alone.
fn parse_outline_item(raw: &str) -> Option<OutlineItem> {
    let raw = clean_heading(raw);
    if let Some((head, rest)) = raw.split_once(['：', ':'])
        && (2..=12).contains(&head.chars().count())
        && !rest.trim().is_empty()
    {
        return Some(OutlineItem {
            heading: head.trim().to_string(),
            point: Some(rest.trim().to_string()),
        });
    }
    (!raw.is_empty()).then_some(OutlineItem {
        heading: raw,
        point: None,
    })
}

/// The drafted document, ready to export.
pub fn draft_document(draft: &Draft) -> Result<Document> {
    document_from_info(draft.document.clone())
}

/// Reads a type by its Chinese name or identifier, with an error that lists the 15.
pub fn parse_type(name: &str) -> Result<DocType> {
    DocType::parse(name).ok_or_else(|| {
        let names: Vec<&str> = DocType::ALL.iter().map(|t| t.name()).collect();
        AppError::new(
            ErrorCode::InvalidInput,
            format!(
                "“{name}” is not one of the 15 document types: {}",
                names.join("、")
            ),
        )
    })
}

/// Reads a date given as 2024-03-20, 2024/3/20 or 2024年3月20日.
pub fn parse_date(text: &str) -> Result<Date> {
    Date::parse(text).ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidInput,
            format!("“{text}” is not a valid date: write 2024-03-20 or 2024年3月20日"),
        )
    })
}

/// Splits a list field as people type it: one name per line, or separated by 、 ， , ；.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(['\n', '、', '，', ',', '；', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

impl TryFrom<&DraftForm> for DraftRequest {
    type Error = AppError;

    fn try_from(form: &DraftForm) -> Result<Self> {
        let mut req = DraftRequest {
            doc_type: Some(parse_type(&form.doc_type)?),
            ..DraftRequest::default()
        };
        for (key, value) in &form.fields {
            let value = value.trim();
            let text = || (!value.is_empty()).then(|| value.to_string());
            match key.as_str() {
                "issuer" => req.issuer = value.to_string(),
                "topic" => req.topic = value.to_string(),
                "addressees" => req.addressees = split_list(value),
                "facts" => req.facts = text(),
                "number" => req.number = text(),
                "date" => req.date = text().map(|d| parse_date(&d)).transpose()?,
                "signers" => req.signers = split_list(value),
                "attachments" => req.attachments = split_list(value),
                "copy_to" => req.copy_to = split_list(value),
                "contact" => req.contact = text(),
                "classification" => req.classification = text(),
                "urgency" => req.urgency = text(),
                other => {
                    return Err(AppError::new(
                        ErrorCode::InvalidInput,
                        format!("a draft has no field “{other}”"),
                    ));
                }
            }
        }
        Ok(req)
    }
}

/// Checks that the fixed elements suit the type before any model time is spent.
fn check_request(doc_type: DocType, req: &DraftRequest) -> Result<()> {
    let invalid = |message: String| Err(AppError::new(ErrorCode::InvalidInput, message));
    if req.issuer.trim().is_empty() {
        return invalid("a draft needs its 发文机关 (issuer)".into());
    }
    if req.topic.trim().is_empty() {
        return invalid("a draft needs a topic: what the document is about".into());
    }
    match doc_type.requirement(Element::Addressee) {
        Requirement::Required if req.addressees.is_empty() => {
            return invalid(format!(
                "a {doc_type} needs its 主送机关 (addressee): name the body it is sent to"
            ));
        }
        Requirement::Forbidden if !req.addressees.is_empty() => {
            return invalid(format!(
                "a {doc_type} is published, not sent: it has no 主送机关 (addressee)"
            ));
        }
        _ => {}
    }
    if doc_type == DocType::Request && req.addressees.len() > 1 {
        return invalid(format!(
            "a 请示 goes to one superior body only, not {} (条例第十五条): send copies with 抄送",
            req.addressees.len()
        ));
    }
    match doc_type.requirement(Element::Signer) {
        Requirement::Required if req.signers.is_empty() => {
            return invalid(format!(
                "a {doc_type} is 上行文 and needs its 签发人 (signer)"
            ));
        }
        Requirement::Forbidden if !req.signers.is_empty() => {
            return invalid(format!("a {doc_type} carries no 签发人 (signer)"));
        }
        _ => {}
    }
    Ok(())
}

/// The outline's JSON Schema: the 事由 and one field per section, in the template's order.
fn outline_schema(template: &templates::Template) -> Value {
    let mut properties = serde_json::Map::new();
    properties.insert(
        "subject".into(),
        json!({"type": "string", "minLength": 4, "maxLength": 30}),
    );
    for s in &template.sections {
        let value = match s.kind {
            SectionKind::Paragraph => json!({"type": "string", "minLength": 6, "maxLength": 60}),
            SectionKind::Items => {
                let (min, max) = s.item_range();
                json!({
                    "type": "array",
                    "items": {"type": "string", "minLength": 2, "maxLength": 40},
                    "minItems": min,
                    "maxItems": max,
                })
            }
        };
        properties.insert(s.key.clone(), value);
    }
    let required: Vec<&String> = properties.keys().collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The outline's fields in words, for the prompt.
fn outline_structure(common: &templates::Common, template: &templates::Template) -> String {
    let mut lines = vec![format!(
        "\"subject\"：{}",
        fill(&common.subject, &[("type", &template.type_name)])
    )];
    for s in &template.sections {
        lines.push(match s.kind {
            SectionKind::Paragraph => {
                format!("\"{}\"：{}——{}（字符串）", s.key, s.label, s.outline)
            }
            SectionKind::Items => {
                let (min, max) = s.item_range();
                format!(
                    "\"{}\"：{}——{}（{min}至{max}个字符串的数组）",
                    s.key, s.label, s.outline
                )
            }
        });
    }
    lines.join("\n")
}

/// A model string without the heading marker or list sign it may have copied.
fn strip_marker(text: &str) -> &str {
    let text = text
        .trim()
        .trim_start_matches(['-', '*', '•', '·', ' ', '　']);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let is_num = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    // 一、 1、 1. 1． （一） (1)
    let digits = chars.iter().take_while(|(_, c)| is_num(*c)).count();
    if digits > 0
        && let Some((i, c)) = chars.get(digits)
        && matches!(c, '、' | '.' | '．')
    {
        return text[i + c.len_utf8()..].trim_start();
    }
    if let Some((_, open)) = chars.first()
        && matches!(open, '（' | '(')
    {
        let inner = chars[1..].iter().take_while(|(_, c)| is_num(*c)).count();
        if inner > 0
            && let Some((i, close)) = chars.get(1 + inner)
            && matches!(close, '）' | ')')
        {
            return text[i + close.len_utf8()..].trim_start();
        }
    }
    text
}

/// The 事由: no 关于, no issuer, no type at the end, no quotes or full stop.
fn clean_subject(raw: &str, issuer: &str, doc_type: DocType) -> String {
    let mut s = raw
        .trim()
        .trim_matches(['“', '”', '"', '《', '》', '。', ' '])
        .to_string();
    if let Some(rest) = s.strip_prefix(issuer) {
        s = rest.to_string();
    }
    if let Some(rest) = s.strip_prefix("关于") {
        s = rest.to_string();
    }
    for suffix in [
        format!("的{}", doc_type.name()),
        doc_type.name().to_string(),
    ] {
        if let Some(rest) = s.strip_suffix(suffix.as_str()) {
            s = rest.to_string();
        }
    }
    s.trim_end_matches('的').trim().to_string()
}

/// A heading: no marker, no closing punctuation.
fn clean_heading(raw: &str) -> String {
    strip_marker(raw)
        .trim_end_matches(['。', '；', '，', '：', ';', ',', ':', ' '])
        .to_string()
}

/// What a section's paragraph must and must not contain, besides the model's words.
#[derive(Debug, Clone, Copy, Default)]
struct Cleaning<'a> {
    /// Text the model may copy by mistake (the label, the title): removed.
    echoes: &'a [&'a str],
    /// The prompt's own wording: a sentence that repeats eight characters of it is dropped.
    prompt: &'a str,
    /// The formula that ends the paragraph, put last whatever the model did with it.
    ends_with: Option<&'a str>,
    /// The closing formula Wenshu writes as its own paragraph: removed here.
    closing: Option<&'a str>,
}

/// Splits after 。！？ (keeping them), leaving a last piece without one.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '！' | '？') {
            out.push(&text[start..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Whether `sentence` repeats eight consecutive characters of `prompt`.
fn echoes_prompt(sentence: &str, prompt: &str) -> bool {
    const WINDOW: usize = 8;
    let chars: Vec<char> = sentence.chars().collect();
    !prompt.is_empty()
        && chars.windows(WINDOW).any(|w| {
            let piece: String = w.iter().collect();
            prompt.contains(&piece)
        })
}

/// A section's paragraph: one line, no marker, no copied label, title or instructions, ending
/// on a whole sentence and its set formula, punctuation made full-width, and without the
/// closing formula Wenshu adds itself.
fn clean_paragraph(raw: &str, stop: StopReason, rules: Cleaning<'_>) -> String {
    let mut joined: String = raw
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("")
        .replace(['#', '*', '`'], "");
    for echo in rules.echoes.iter().filter(|e| !e.is_empty()) {
        for copy in [format!("《{echo}》"), format!("“{echo}”"), echo.to_string()] {
            joined = joined.replace(&copy, "");
        }
    }
    for formula in rules.ends_with.iter().chain(rules.closing.iter()) {
        let bare = formula.trim_end_matches(['。', '：']);
        joined = joined.replace(formula, "").replace(bare, "");
    }
    let mut text = strip_marker(&joined)
        .trim_start_matches(['：', ':', '。', '，', '、', ' '])
        .to_string();
    // A short label the model put first (通知背景：, 事项：) is not part of the text.
    if let Some((label, rest)) = text.split_once('：')
        && label.chars().count() <= 6
        && !label.contains(['，', '。', '、'])
        && !rest.is_empty()
    {
        text = rest.to_string();
    }
    if stop == StopReason::MaxTokens
        && let Some(end) = text.rfind(['。', '！', '？'])
    {
        text.truncate(end + '。'.len_utf8());
    }
    let (fixed, _) = check::fix_text(&text);
    let mut text: String = sentences(fixed.trim())
        .into_iter()
        .filter(|s| !echoes_prompt(s, rules.prompt))
        .collect();
    text = text.trim_end_matches(['，', '、', '；', '：']).to_string();
    if !text.is_empty() && !text.ends_with(['。', '！', '？', '”']) {
        // An unfinished clause runs on into the formula: 为……，现将有关事项通知如下：
        text.push(if rules.ends_with.is_some() {
            '，'
        } else {
            '。'
        });
    }
    if let Some(formula) = rules.ends_with {
        text.push_str(formula);
    }
    text
}

/// Every run of digits in `text` (full-width folded), e.g. "2024", "3.5".
fn numbers(text: &str) -> Vec<String> {
    let folded: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            _ => c,
        })
        .collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for c in folded.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !current.is_empty()) {
            current.push(c);
        } else if !current.is_empty() {
            out.push(current.trim_end_matches('.').to_string());
            current.clear();
        }
    }
    out
}

/// The rule behind findings on numbers the model wrote that the user never gave.
pub const FACTS_RULE: &str = "draft-facts";
/// The rule behind findings on elements a type requires or forbids.
pub const ELEMENTS_RULE: &str = "draft-elements";

/// Findings for a drafted document: the checker's, the elements the type needs, and numbers in
/// the model's text that appear nowhere in what the user gave.
fn review(doc: &Document, text: &str, given: &str) -> Vec<FindingInfo> {
    let mut findings = crate::check::check_text(text);
    for problem in doc.validate() {
        let severity = match problem {
            // A draft is often numbered only when it is signed.
            ElementProblem::Missing(Element::Number) => Severity::Warning,
            _ => Severity::Error,
        };
        findings.push(FindingInfo {
            rule: ELEMENTS_RULE.into(),
            severity: severity.as_str().into(),
            line: 1,
            excerpt: String::new(),
            message: problem.message(doc.doc_type),
            suggestion: None,
        });
    }
    let allowed = numbers(given);
    let generated: Vec<String> = std::iter::once(doc.title.clone())
        .chain(doc.numbered_body().into_iter().map(|l| l.text))
        .collect();
    for (i, line) in text.lines().enumerate() {
        if !generated.iter().any(|g| g == line) {
            continue;
        }
        let mut seen = Vec::new();
        for n in numbers(line) {
            if !allowed.contains(&n) && !seen.contains(&n) {
                findings.push(FindingInfo {
                    rule: FACTS_RULE.into(),
                    severity: Severity::Warning.as_str().into(),
                    line: i + 1,
                    excerpt: n.clone(),
                    message: format!(
                        "数字“{n}”不见于事实材料和给定要素，可能是模型编造的，请核实或删除"
                    ),
                    suggestion: None,
                });
                seen.push(n);
            }
        }
    }
    findings.sort_by_key(|f| f.line);
    findings
}

impl Wenshu {
    /// Drafts a document of `request.doc_type`: outline, sections, checks.
    pub fn draft(
        &self,
        request: &DraftRequest,
        cancel: &CancelFlag,
        on_event: &mut dyn FnMut(DraftEvent<'_>),
    ) -> Result<Draft> {
        let timer = Instant::now();
        let doc_type = request.doc_type.ok_or_else(|| {
            AppError::new(ErrorCode::InvalidInput, "a draft needs its document type")
        })?;
        check_request(doc_type, request)?;
        let common = templates::common()?;
        let template = templates::template(doc_type)?;
        let facts = request
            .facts
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty());
        if let Some(facts) = facts {
            let tokens = self.count_tokens(facts)?;
            let room = self.context_window()? / 2;
            if tokens > room {
                return Err(AppError::new(
                    ErrorCode::PromptTooLong,
                    format!(
                        "the facts are {tokens} tokens; this model's context leaves room for {room}: keep only the facts the document needs"
                    ),
                ));
            }
        }
        let facts_text = facts.unwrap_or(&common.no_facts).to_string();
        let addressees = if request.addressees.is_empty() {
            "（无）".to_string()
        } else {
            request.addressees.join("、")
        };
        let type_name = doc_type.name();
        let issuer = request.issuer.trim();
        let settings = self.settings().draft.clone();
        let app = format!("draft.{}", doc_type.id());
        let seed = request.seed;
        let system = Turn::new(Role::System, common.system.clone());
        let mut steps: Vec<DraftStep> = Vec::new();
        let mut model_name = String::new();
        let mut model_sha256 = String::new();

        let mut call = |wenshu: &Wenshu,
                        label: &str,
                        prompt: String,
                        constraint: Constraint,
                        max_tokens: u32,
                        on_event: &mut dyn FnMut(DraftEvent<'_>)|
         -> Result<(String, StopReason)> {
            let started = Instant::now();
            let options = AskOptions {
                system_prompt: None,
                temperature: Some(settings.temperature),
                seed,
                max_tokens: Some(max_tokens),
                constraint,
                app: app.clone(),
            };
            let mut text = String::new();
            let (completion, record) = wenshu.complete(
                vec![system.clone(), Turn::new(Role::User, prompt)],
                &options,
                cancel,
                &mut |piece| {
                    text.push_str(piece);
                    on_event(DraftEvent::Text(piece));
                },
            )?;
            if completion.stop == StopReason::Cancelled {
                return Err(AppError::new(
                    ErrorCode::Cancelled,
                    "drafting was cancelled",
                ));
            }
            model_name = record.name;
            model_sha256 = record.sha256;
            steps.push(DraftStep {
                label: label.to_string(),
                prompt_tokens: completion.prompt_tokens,
                reused_tokens: completion.reused_tokens,
                completion_tokens: completion.completion_tokens,
                milliseconds: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            });
            Ok((text, completion.stop))
        };

        // 1. The outline.
        let paragraphs = template
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::Paragraph)
            .count();
        let max_items: usize = template
            .sections
            .iter()
            .filter(|s| s.kind == SectionKind::Items)
            .map(|s| s.item_range().1)
            .sum();
        on_event(DraftEvent::Step {
            step: 1,
            of: 1 + paragraphs + max_items,
            label: "提纲",
        });
        let prompt = fill(
            &common.outline,
            &[
                ("type", type_name),
                ("purpose", doc_type.purpose()),
                ("issuer", issuer),
                ("addressees", &addressees),
                ("topic", request.topic.trim()),
                ("guidance", &template.guidance),
                ("facts", &facts_text),
                ("structure", &outline_structure(&common, &template)),
            ],
        );
        let schema = outline_schema(&template).to_string();
        let (raw, _) = call(
            self,
            "提纲",
            prompt,
            Constraint::JsonSchema(schema),
            settings.outline_tokens,
            on_event,
        )?;
        let value: Value = serde_json::from_str(&raw).map_err(|err| {
            AppError::new(
                ErrorCode::Runtime,
                format!(
                    "the model's outline is not complete JSON ({err}); raise draft.outline_tokens (now {})",
                    settings.outline_tokens
                ),
            )
        })?;
        let mut subject = clean_subject(
            value["subject"].as_str().unwrap_or_default(),
            issuer,
            doc_type,
        );
        if subject.chars().count() < 2 {
            subject = clean_subject(&request.topic, issuer, doc_type);
        }
        let outline = OutlineInfo {
            subject: subject.clone(),
            sections: template
                .sections
                .iter()
                .map(|s| OutlineSection {
                    key: s.key.clone(),
                    label: s.label.clone(),
                    gist: (s.kind == SectionKind::Paragraph).then(|| {
                        value[&s.key]
                            .as_str()
                            .unwrap_or_default()
                            .trim()
                            .to_string()
                    }),
                    items: match s.kind {
                        SectionKind::Paragraph => Vec::new(),
                        SectionKind::Items => value[&s.key]
                            .as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(Value::as_str)
                                    .filter_map(parse_outline_item)
                                    .collect()
                            })
                            .unwrap_or_default(),
                    },
                })
                .collect(),
        };

        // 2. Each section.
        let total = 1 + outline
            .sections
            .iter()
            .map(|s| s.items.len().max(usize::from(s.gist.is_some())))
            .sum::<usize>();
        let grammar = Constraint::Grammar("root ::= [^\\n\\r#*`|<>]+".into());
        let title = format!("{issuer}关于{subject}的{type_name}");
        let mut body = Vec::new();
        let mut step = 1;
        for (section, planned) in template.sections.iter().zip(&outline.sections) {
            // The prompt's own wording, which a paragraph must not repeat.
            let wording = [
                common.section.as_str(),
                &template.guidance,
                &section.instruction,
                &section.length,
            ]
            .join("\n");
            let items: Vec<Option<&OutlineItem>> = match section.kind {
                SectionKind::Paragraph => vec![None],
                SectionKind::Items => planned.items.iter().map(Some).collect(),
            };
            for item in items {
                let heading = item.map(|i| &i.heading);
                step += 1;
                let label = match heading {
                    Some(h) => format!("{}：{h}", section.label),
                    None => section.label.clone(),
                };
                on_event(DraftEvent::Step {
                    step,
                    of: total,
                    label: &label,
                });
                let heading_line =
                    heading.map_or(String::new(), |h| fill(&common.heading, &[("heading", h)]));
                let gist = match item {
                    Some(i) => i.point.clone().unwrap_or_else(|| i.heading.clone()),
                    None => planned.gist.clone().unwrap_or_default(),
                };
                let prompt = fill(
                    &common.section,
                    &[
                        ("type", type_name),
                        ("issuer", issuer),
                        ("subject", &subject),
                        ("addressees", &addressees),
                        ("guidance", &template.guidance),
                        ("facts", &facts_text),
                        ("label", &section.label),
                        ("gist", &gist),
                        ("heading", &heading_line),
                        ("instruction", &section.instruction),
                        ("length", &section.length),
                    ],
                );
                let (raw, stop) = call(
                    self,
                    &label,
                    prompt,
                    grammar.clone(),
                    settings.section_tokens,
                    on_event,
                )?;
                let text = clean_paragraph(
                    &raw,
                    stop,
                    Cleaning {
                        echoes: &[
                            &format!("{}：", section.label),
                            &title,
                            &heading_line,
                            &format!("内容要点：{gist}"),
                            "内容要点：",
                        ],
                        prompt: &wording,
                        ends_with: section.ends_with.as_deref(),
                        closing: template.closing.as_deref(),
                    },
                );
                // An item whose paragraph was all echo keeps the point its outline gave it.
                let text = match item.and_then(|i| i.point.as_deref()) {
                    Some(point) if text.is_empty() => {
                        clean_paragraph(point, StopReason::EndOfText, Cleaning::default())
                    }
                    _ => text,
                };
                if let Some(h) = heading {
                    body.push(Block::Heading {
                        level: 1,
                        text: h.clone(),
                    });
                }
                if !text.is_empty() {
                    body.push(Block::Paragraph(text));
                }
            }
        }
        if let Some(closing) = &template.closing {
            body.push(Block::Paragraph(closing.clone()));
        }

        // 3. The document, with the user's elements exactly as given.
        let mut doc = Document::new(doc_type, issuer);
        doc.title = title;
        doc.body = body;
        doc.number = request.number.clone().filter(|n| !n.trim().is_empty());
        doc.addressees = request.addressees.clone();
        doc.signers = request.signers.clone();
        doc.attachments = request.attachments.clone();
        doc.copy_to = request.copy_to.clone();
        doc.classification = request.classification.clone();
        doc.urgency = request.urgency.clone();
        doc.date = request
            .date
            .or_else(|| Date::from_unix_ms(self.now(), CHINA_OFFSET_MINUTES));
        doc.note = request.contact.as_deref().map(|c| {
            let c = c.trim();
            if c.starts_with("联系人") {
                c.to_string()
            } else {
                format!("联系人：{c}")
            }
        });
        let text = doc.to_text();
        let given = [
            facts.unwrap_or_default().to_string(),
            request.topic.clone(),
            issuer.to_string(),
            request.addressees.join(" "),
            request.number.clone().unwrap_or_default(),
            doc.date.map(|d| d.to_string()).unwrap_or_default(),
            request.attachments.join(" "),
            request.copy_to.join(" "),
            request.contact.clone().unwrap_or_default(),
        ]
        .join("\n");
        let findings = review(&doc, &text, &given);
        Ok(Draft {
            document: document_info(&doc),
            outline,
            text,
            findings,
            model: model_name,
            model_sha256,
            steps,
            milliseconds: u64::try_from(timer.elapsed().as_millis()).unwrap_or(u64::MAX),
        })
    }
}

/// The format a file name asks for by its extension.
pub fn export_format(path: &Path) -> Result<ExportFormat> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("docx") => Ok(ExportFormat::Docx),
        Some("md" | "markdown") => Ok(ExportFormat::Markdown),
        Some("txt") => Ok(ExportFormat::Text),
        _ => Err(AppError::new(
            ErrorCode::InvalidInput,
            format!("{}: save as .docx, .md or .txt", path.display()),
        )),
    }
}

/// Saves `doc` to `path` in the format its extension names, atomically (a failed save leaves any
/// earlier file as it was).
pub fn export_document(doc: &Document, path: &Path) -> Result<ExportFormat> {
    let format = export_format(path)?;
    let bytes = match format {
        ExportFormat::Docx => wenshu_docs::render_docx(doc).map_err(|err| {
            AppError::new(
                ErrorCode::Runtime,
                format!("cannot lay out the DOCX: {err}"),
            )
        })?,
        ExportFormat::Markdown => doc.to_markdown().into_bytes(),
        ExportFormat::Text => doc.to_text().into_bytes(),
    };
    crate::input::write_atomic(path, &bytes)?;
    Ok(format)
}

/// Saves a document given as text (one paragraph per line, as drafted or edited) in the format
/// its extension names. Its type comes from the title, else from `doc_type`.
pub fn export_text(text: &str, doc_type: &str, path: &Path) -> Result<ExportFormat> {
    let fallback = parse_type(doc_type)?;
    let doc = check::read_document(text, fallback);
    if doc.title.trim().is_empty() && doc.body.is_empty() {
        return Err(AppError::new(
            ErrorCode::InvalidInput,
            "the document is empty: there is nothing to save",
        ));
    }
    export_document(&doc, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edited_text_exports_as_the_document_it_shows() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "某市数据管理局文件\n某数〔2024〕3号\n某市数据管理局关于开展数据安全检查的通知\n各区数据管理局：\n现将有关事项通知如下：\n一、检查范围\n全市各级政务数据平台。\n某市数据管理局\n2024年3月20日\n";
        let docx = dir.path().join("通知.docx");
        assert_eq!(
            export_text(text, "通知", &docx).expect("exports"),
            ExportFormat::Docx
        );
        let paragraphs =
            wenshu_docs::docx_paragraphs(&std::fs::read(&docx).expect("read")).expect("a DOCX");
        let lines: Vec<&str> = paragraphs
            .iter()
            .map(String::as_str)
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert_eq!(
            lines[..3],
            [
                "某市数据管理局文件",
                "某数〔2024〕3号",
                "某市数据管理局关于开展数据安全检查的通知"
            ]
        );
        assert!(lines.contains(&"一、检查范围"), "{lines:?}");
        let md = dir.path().join("通知.md");
        export_text(text, "通知", &md).expect("exports");
        assert!(
            std::fs::read_to_string(&md)
                .expect("read")
                .contains("## 一、检查范围")
        );
        let err = export_text("\n\n", "通知", &md).expect_err("nothing to save");
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(
            export_text(text, "便条", &md).is_err(),
            "an unknown type is named"
        );
    }

    #[test]
    fn a_form_becomes_a_request_and_names_a_field_it_does_not_know() {
        let mut form = DraftForm {
            doc_type: "请示".into(),
            fields: Default::default(),
        };
        for (k, v) in [
            ("issuer", " 某市数据管理局 "),
            ("topic", "申请经费"),
            ("addressees", "某市人民政府"),
            ("signers", "张三、李四"),
            ("attachments", "预算表\n说明"),
            ("date", "2024-03-20"),
            ("number", ""),
        ] {
            form.fields.insert(k.into(), v.into());
        }
        let req = DraftRequest::try_from(&form).expect("valid");
        assert_eq!(req.doc_type, Some(DocType::Request));
        assert_eq!(req.issuer, "某市数据管理局");
        assert_eq!(req.signers, ["张三", "李四"]);
        assert_eq!(req.attachments, ["预算表", "说明"]);
        assert_eq!(req.date, Date::new(2024, 3, 20));
        assert_eq!(req.number, None, "an empty field is absent");
        form.fields.insert("date".into(), "下周".into());
        assert!(DraftRequest::try_from(&form).is_err());
        form.fields.remove("date");
        form.fields.insert("colour".into(), "red".into());
        let err = DraftRequest::try_from(&form).expect_err("unknown");
        assert!(err.message.contains("colour"), "{}", err.message);
    }

    #[test]
    fn subjects_lose_what_the_title_adds_itself() {
        let t = DocType::Circular;
        assert_eq!(
            clean_subject("关于开展数据安全检查的通知", "某局", t),
            "开展数据安全检查"
        );
        assert_eq!(clean_subject("某局关于开展检查", "某局", t), "开展检查");
        assert_eq!(clean_subject("“开展检查工作”。", "某局", t), "开展检查工作");
    }

    #[test]
    fn copied_markers_are_removed() {
        assert_eq!(clean_heading("一、加强组织领导。"), "加强组织领导");
        assert_eq!(clean_heading("（二）落实责任"), "落实责任");
        assert_eq!(clean_heading("3. 按时报送"), "按时报送");
        assert_eq!(
            clean_heading("- 一体化推进"),
            "一体化推进",
            "a word starting with 一 stays"
        );
        assert_eq!(clean_heading("十一、总结"), "总结");
    }

    #[test]
    fn paragraphs_end_on_a_sentence_and_drop_the_closing() {
        let closing = Cleaning {
            closing: Some("特此通知。"),
            ..Cleaning::default()
        };
        assert_eq!(
            clean_paragraph(
                "各单位要高度重视。按时完成任务。特此通知。",
                StopReason::EndOfText,
                closing
            ),
            "各单位要高度重视。按时完成任务。"
        );
        let none = Cleaning::default();
        assert_eq!(
            clean_paragraph(
                "请于3月底前完成。下一步将继续推",
                StopReason::MaxTokens,
                none
            ),
            "请于3月底前完成。"
        );
        assert_eq!(
            clean_paragraph("各单位要按时报送,不得延误", StopReason::EndOfText, none),
            "各单位要按时报送，不得延误。",
            "half-width punctuation is made full-width"
        );
        assert_eq!(
            clean_paragraph("## 1. 工作目标\n提高效率", StopReason::EndOfText, none),
            "工作目标提高效率。"
        );
        assert_eq!(
            clean_paragraph(
                "要求：某局关于检查的通知。各单位要按时报送。",
                StopReason::EndOfText,
                Cleaning {
                    echoes: &["要求：", "某局关于检查的通知"],
                    ..none
                }
            ),
            "各单位要按时报送。",
            "a copied label and title are dropped"
        );
        assert_eq!(
            clean_paragraph(
                "通知背景：为加强管理，决定开展检查。",
                StopReason::EndOfText,
                none
            ),
            "为加强管理，决定开展检查。"
        );
    }

    #[test]
    fn set_formulas_end_the_paragraph_and_echoed_instructions_go() {
        let rules = Cleaning {
            prompt: "要求：50至100字，写成一个完整的自然段；不加序号，不用 Markdown。",
            ends_with: Some("现将有关事项通知如下："),
            ..Cleaning::default()
        };
        assert_eq!(
            clean_paragraph(
                "现将有关事项通知如下：为加强数据安全管理，决定开展检查。50至100字，写成一个完整的自然段。",
                StopReason::EndOfText,
                rules
            ),
            "为加强数据安全管理，决定开展检查。现将有关事项通知如下："
        );
        assert_eq!(
            clean_paragraph(
                "为加强管理，现将有关事项通知如下",
                StopReason::EndOfText,
                rules
            ),
            "为加强管理，现将有关事项通知如下："
        );
    }

    #[test]
    fn outline_items_split_a_heading_from_its_point() {
        assert_eq!(
            parse_outline_item("1. 检查对象：全市各区平台"),
            Some(OutlineItem {
                heading: "检查对象".into(),
                point: Some("全市各区平台".into())
            })
        );
        assert_eq!(
            parse_outline_item("加强组织领导。"),
            Some(OutlineItem {
                heading: "加强组织领导".into(),
                point: None
            })
        );
        assert_eq!(parse_outline_item("一、"), None);
    }

    #[test]
    fn numbers_are_found_in_both_widths() {
        assert_eq!(
            numbers("共２０台，投资3.5万元，2024年。"),
            ["20", "3.5", "2024"]
        );
        assert!(numbers("没有数字").is_empty());
    }

    #[test]
    fn invented_numbers_are_flagged_and_given_ones_are_not() {
        let mut doc = Document::new(DocType::Circular, "某市数据局");
        doc.title = "某市数据局关于开展检查的通知".into();
        doc.addressees = vec!["各区数据局".into()];
        doc.number = Some("某数〔2024〕3号".into());
        doc.body = vec![Block::Paragraph(
            "请于2024年3月31日前完成20台服务器的检查，覆盖率达到95%。".into(),
        )];
        doc.date = Date::new(2024, 3, 20);
        let text = doc.to_text();
        let findings = review(&doc, &text, "3月31日前完成检查；服务器20台；2024年");
        let facts: Vec<&FindingInfo> = findings.iter().filter(|f| f.rule == FACTS_RULE).collect();
        assert_eq!(facts.len(), 1, "{findings:#?}");
        assert_eq!(facts[0].excerpt, "95");
        assert_eq!(
            text.lines().nth(facts[0].line - 1),
            Some("请于2024年3月31日前完成20台服务器的检查，覆盖率达到95%。")
        );
        assert!(
            findings.iter().all(|f| f.rule == FACTS_RULE),
            "a valid 通知 has no other findings: {findings:#?}"
        );
    }

    #[test]
    fn fixed_elements_are_checked_before_drafting() {
        let mut req = DraftRequest {
            doc_type: Some(DocType::Request),
            issuer: "某市数据局".into(),
            topic: "申请经费".into(),
            ..DraftRequest::default()
        };
        let err = check_request(DocType::Request, &req).expect_err("no addressee");
        assert!(err.message.contains("主送机关"), "{}", err.message);
        req.addressees = vec!["某市人民政府".into(), "某市财政局".into()];
        let err = check_request(DocType::Request, &req).expect_err("two addressees");
        assert!(err.message.contains("one superior body"), "{}", err.message);
        req.addressees.truncate(1);
        let err = check_request(DocType::Request, &req).expect_err("no signer");
        assert!(err.message.contains("签发人"), "{}", err.message);
        req.signers = vec!["张三".into()];
        check_request(DocType::Request, &req).expect("complete");
        let notice = DraftRequest {
            addressees: vec!["各单位".into()],
            signers: Vec::new(),
            ..req
        };
        let err = check_request(DocType::Notice, &notice).expect_err("通告 has no addressee");
        assert!(err.message.contains("no 主送机关"), "{}", err.message);
    }

    #[test]
    fn the_outline_schema_follows_the_template() {
        let template = templates::template(DocType::Circular).expect("template");
        let schema = outline_schema(&template);
        let keys: Vec<&String> = schema["properties"]
            .as_object()
            .expect("object")
            .keys()
            .collect();
        assert_eq!(keys, ["subject", "reason", "items", "requirements"]);
        assert_eq!(schema["properties"]["items"]["minItems"], 2);
        // The runtime turns it into a grammar; that must succeed for every type.
        for t in DocType::ALL {
            let schema = outline_schema(&templates::template(t).expect("template")).to_string();
            let grammar = wenshu_llm::schema_grammar(&schema);
            assert!(grammar.is_ok(), "{t}: {grammar:?}");
        }
    }

    #[test]
    fn documents_round_trip_through_json() {
        let mut doc = Document::new(DocType::Letter, "某市数据局");
        doc.title = "某市数据局关于商请提供数据的函".into();
        doc.addressees = vec!["某市统计局".into()];
        doc.body = vec![
            Block::Paragraph("缘由。".into()),
            Block::Heading {
                level: 1,
                text: "提供范围".into(),
            },
        ];
        doc.date = Date::new(2024, 3, 20);
        let info = document_info(&doc);
        let json = serde_json::to_string(&info).expect("json");
        assert!(json.contains("\"type\":\"函\""), "{json}");
        assert!(json.contains("\"date\":\"2024年3月20日\""), "{json}");
        let back: DocumentInfo = serde_json::from_str(&json).expect("parse");
        assert_eq!(document_from_info(back).expect("document"), doc);
        let bad = json.replace("2024年3月20日", "2024-02-30");
        let err = document_from_info(serde_json::from_str::<DocumentInfo>(&bad).expect("parse"))
            .expect_err("no 30 February");
        assert!(err.message.contains("2024-02-30"), "{}", err.message);
    }
}
