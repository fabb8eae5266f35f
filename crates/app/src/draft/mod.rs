//! Drafting official documents. The user gives the fixed elements (发文机关, 发文字号, 主送,
//! 成文日期, 附件, 抄送, 联系人) and the facts; the model writes only the 事由 of the title and
//! the body: first an outline in the type's own structure (JSON that a schema constrains), then
//! each section as one paragraph. Every draft goes through the checker, and every number in the
//! model's text is looked up in what the user gave.
//!
//! The steps live in their own modules: `form` reads and checks the request, `outline` plans the
//! document and puts each fact in a section, `compose` writes it (the model's text cleaned by
//! [`wenshu_core::draft_text`] and guarded by `facts`: nothing invented, no talk about the task,
//! no fact lost), `review` checks it and `export` saves it; `types` holds what front ends
//! exchange.

mod compose;
mod export;
mod facts;
mod form;
mod outline;
mod review;
mod templates;
mod types;

use std::time::Instant;

use wenshu_api::messages::draft as msg;
use wenshu_core::document::{Date, DocType};
use wenshu_core::facts::{Fact, split_facts};
use wenshu_core::{CancelFlag, Constraint, Role, StopReason, Turn};

use crate::config::DraftSettings;
use crate::error::{AppError, ErrorCode, Result};
use crate::{AskOptions, Wenshu};

pub use export::{ai_label, export_format, label_markdown, label_text, render_document};
pub use form::{
    DraftApp, DraftRequest, document_from_info, document_info, draft_document, parse_date,
    parse_type, split_list,
};
pub use review::{ELEMENTS_RULE, FACTS_RULE, given as given_text};
pub use templates::{DRAFT_FILE, SectionKind, fill};
pub use types::{
    BlockInfo, DocumentInfo, Draft, DraftForm, DraftStep, ExportFormat, FactInfo, FactStatus,
    FactsReport, OutlineInfo, OutlineItem, OutlineSection, RemovalReason, RemovedInfo,
};

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

/// A checked request with its templates and the prompt values every step shares.
struct Brief<'a> {
    request: &'a DraftRequest,
    doc_type: DocType,
    /// 发文机关, trimmed.
    issuer: &'a str,
    /// The facts file split into facts.
    facts: Vec<Fact>,
    /// The facts as the outline's prompt shows them: numbered, or the templates' words for none.
    facts_text: String,
    /// Everything the user gave (facts, topic, fixed elements, the date): the only text a number
    /// or name in the draft may come from.
    given: String,
    /// 主送机关 as the prompts show them.
    addressees: String,
    common: templates::Common,
    template: templates::Template,
}

impl<'a> Brief<'a> {
    /// Checks `request` against its type, and its facts against the model's context window,
    /// before any model time is spent on writing.
    fn new(wenshu: &Wenshu, request: &'a DraftRequest, today: Option<Date>) -> Result<Self> {
        let doc_type = request
            .doc_type
            .ok_or_else(|| AppError::of(ErrorCode::InvalidInput, msg::no_type()))?;
        form::check_request(doc_type, request)?;
        if let Some(level) = request
            .classification
            .as_deref()
            .filter(|l| wenshu_core::text::is_secret_level(l))
        {
            return Err(AppError::of(
                ErrorCode::Policy,
                wenshu_api::messages::policy::secret_draft(level),
            ));
        }
        crate::policy::refuse_state_secret(
            &review::given(request, today),
            &wenshu_api::messages::policy::source_input().text,
        )?;
        let common = templates::common()?;
        let template = match request
            .app
            .as_ref()
            .and_then(|a| Some((&a.id, a.template.as_ref()?)))
        {
            Some((id, text)) => templates::parse_template(text, id, doc_type)?,
            None => templates::template(doc_type)?,
        };
        let facts = request
            .facts
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty());
        if let Some(facts) = facts {
            let tokens = wenshu.count_tokens(facts)?;
            let room = wenshu.context_window()? / 2;
            if tokens > room {
                return Err(AppError::of(
                    ErrorCode::PromptTooLong,
                    msg::facts_too_long(tokens, room),
                ));
            }
        }
        let facts = facts.map(split_facts).unwrap_or_default();
        let facts_text = if facts.is_empty() {
            common.no_facts.clone()
        } else {
            let listed: Vec<String> = facts
                .iter()
                .enumerate()
                .map(|(n, f)| format!("{}. {}", n + 1, f.text))
                .collect();
            listed.join("\n")
        };
        let addressees = if request.addressees.is_empty() {
            "（无）".to_string()
        } else {
            request.addressees.join("、")
        };
        let given = review::given(request, today);
        Ok(Self {
            request,
            doc_type,
            issuer: request.issuer.trim(),
            facts,
            facts_text,
            given,
            addressees,
            common,
            template,
        })
    }

    /// What every call of the draft is told about it, after the system prompt: the document
    /// and the type's advice.
    fn prompt(&self) -> String {
        fill(
            &self.common.brief,
            &[
                ("type", self.doc_type.name()),
                ("issuer", self.issuer),
                ("addressees", &self.addressees),
                ("topic", self.request.topic.trim()),
                ("guidance", &self.template.guidance),
            ],
        )
    }

    /// The title: 发文机关 关于 事由 的 文种.
    fn title(&self, subject: &str) -> String {
        format!("{}关于{subject}的{}", self.issuer, self.doc_type.name())
    }
}

/// The model calls of one draft: what they share (system prompt and brief, settings, seed, the
/// name in the audit log) and what each one measured.
struct Calls<'a> {
    wenshu: &'a Wenshu,
    cancel: &'a CancelFlag,
    settings: DraftSettings,
    system: Turn,
    app: String,
    seed: Option<u32>,
    steps: Vec<DraftStep>,
    model_name: String,
    model_sha256: String,
    /// The level of what was given (the facts, the elements), by its markings.
    level: String,
}

impl<'a> Calls<'a> {
    fn new(wenshu: &'a Wenshu, brief: &Brief<'_>, cancel: &'a CancelFlag) -> Self {
        let prompt = brief.prompt();
        // The system prompt and the brief open every call, and the runtime reuses its cache of
        // them from one call to the next.
        let system = format!("{}\n\n{prompt}", brief.common.system);
        Self {
            wenshu,
            cancel,
            settings: wenshu.settings().draft.clone(),
            system: Turn::new(Role::System, system),
            app: brief.request.app.as_ref().map_or_else(
                || format!("draft.{}", brief.doc_type.id()),
                |a| a.id.clone(),
            ),
            seed: brief.request.seed,
            steps: Vec::new(),
            model_name: String::new(),
            model_sha256: String::new(),
            level: wenshu.level_name(wenshu.text_level(&brief.given)),
        }
    }

    /// Ends the system turn of every later call with `title` (the title line, once the outline
    /// has chosen the 事由): the sections share it from the runtime's cache.
    fn entitle(&mut self, title: &str) {
        self.system = Turn::new(Role::System, format!("{}\n{title}", self.system.content));
    }

    /// One model call: `prompt` under the drafting system prompt and the brief, streamed to `on_event` and
    /// recorded as step `label`. A cancelled call ends the draft.
    fn call(
        &mut self,
        label: &str,
        prompt: String,
        constraint: Constraint,
        max_tokens: u32,
        on_event: &mut dyn FnMut(DraftEvent<'_>),
    ) -> Result<(String, StopReason)> {
        let started = Instant::now();
        let options = AskOptions {
            system_prompt: None,
            temperature: Some(self.settings.temperature),
            seed: self.seed,
            max_tokens: Some(max_tokens),
            constraint,
            app: self.app.clone(),
            level: self.level.clone(),
        };
        let mut text = String::new();
        let (completion, record) = self.wenshu.complete(
            vec![self.system.clone(), Turn::new(Role::User, prompt)],
            &options,
            self.cancel,
            &mut |piece| {
                text.push_str(piece);
                on_event(DraftEvent::Text(piece));
            },
        )?;
        if completion.stop == StopReason::Cancelled {
            return Err(AppError::of(ErrorCode::Cancelled, msg::cancelled()));
        }
        self.model_name = record.name;
        self.model_sha256 = record.sha256;
        // Sections are asked for one plain line (a grammar); a backend without grammars may
        // give more: its first line, without Markdown marks, is what the grammar allows.
        if matches!(options.constraint, Constraint::Grammar(_))
            && text.contains(['\n', '\r', '#', '*', '`', '|', '<', '>'])
        {
            let first = text.trim().lines().next().unwrap_or_default();
            text = first
                .chars()
                .filter(|c| !matches!(c, '#' | '*' | '`' | '|' | '<' | '>'))
                .collect::<String>()
                .trim()
                .to_string();
        }
        self.steps.push(DraftStep {
            label: label.to_string(),
            prompt_tokens: completion.prompt_tokens,
            reused_tokens: completion.reused_tokens,
            completion_tokens: completion.completion_tokens,
            milliseconds: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        });
        Ok((text, completion.stop))
    }
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
        let today = self.settings().ui.zone().date(self.now());
        let app = request.app.as_ref().map_or_else(
            || {
                request
                    .doc_type
                    .map_or("draft".to_string(), |t| format!("draft.{}", t.id()))
            },
            |a| a.id.clone(),
        );
        let brief = self.audited(&app, Brief::new(self, request, today))?;
        let mut calls = Calls::new(self, &brief, cancel);
        let (outline, chosen) = outline::write_outline(&mut calls, &brief, on_event)?;
        let slots = facts::place(&brief.facts, &chosen, &brief.template, &outline);
        let (body, facts) =
            compose::write_sections(&mut calls, &brief, &outline, &slots, on_event)?;
        let doc = compose::compose(&brief, &outline.subject, body, today);
        let text = doc.to_text();
        let findings = review::review(&doc, &text, &brief.given);
        Ok(Draft {
            document: form::document_info(&doc),
            outline,
            text,
            findings,
            model: calls.model_name,
            model_sha256: calls.model_sha256,
            steps: calls.steps,
            milliseconds: u64::try_from(timer.elapsed().as_millis()).unwrap_or(u64::MAX),
            facts,
            level: calls.level,
        })
    }
}
