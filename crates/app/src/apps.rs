//! Running an app: any app pack, built in, managed or installed, by its id and its form's
//! inputs. The pack says which of the engine's capabilities runs it; its templates
//! (`prompts/<input>.j2`, rendered with the form's inputs as variables) give the runner's
//! inputs that the form does not give as they are, and a drafting pack may carry its type's
//! template (`draft.toml`). Everything else (the steps, the guards, the checks) is the engine's,
//! the same as for the built-in commands.

use std::collections::BTreeMap;
use std::path::Path;

use wenshu_api::messages::{apps as msg, policy as policy_msg};
use wenshu_api::{
    AppResult, AppRun, FieldInfo, FieldKind, MeetingFields, MinutesRequest, SummaryLength,
    SummaryRequest,
};
use wenshu_core::CancelFlag;
use wenshu_packs::{Manifest, Runner};

use crate::catalog::app_fields as form;
use crate::draft::{DraftApp, DraftEvent, DraftRequest};
use crate::error::{AppError, ErrorCode, Result};
use crate::packs::Pack;
use crate::{AskOptions, LongEvent, Wenshu};

/// Progress of an app, for front ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEvent<'a> {
    /// A drafting step begins.
    Step {
        step: usize,
        of: usize,
        label: &'a str,
    },
    /// `done` of `total` steps of a long run are done.
    Progress { done: usize, total: usize },
    /// Text the model produced.
    Text(&'a str),
}

fn field(key: &str, label: &str, kind: FieldKind, required: bool, hint: &str) -> FieldInfo {
    FieldInfo {
        key: key.to_string(),
        label: label.to_string(),
        kind,
        required,
        placeholder: hint.to_string(),
        options: Vec::new(),
    }
}

/// The inputs a runner takes when its pack declares no form of its own. The labels are the
/// form's, in Chinese like the documents they fill.
pub fn runner_fields(runner: &Runner) -> Vec<FieldInfo> {
    use FieldKind::*;
    match runner {
        Runner::Draft { .. } => Vec::new(),
        Runner::Minutes { .. } => vec![
            field(
                "transcript",
                "会议记录或转写稿",
                File,
                true,
                "TXT、MD、DOCX、SRT、VTT 文件，多个用换行分隔",
            ),
            field("title", "会议名称", Text, false, ""),
            field("date", "会议日期", Date, false, "例：2024年3月5日"),
            field("place", "会议地点", Text, false, ""),
            field("chair", "主持人", Text, false, ""),
            field("attendees", "出席人员", List, false, "用顿号或换行分隔"),
        ],
        Runner::Summary => {
            let mut length = field("length", "摘要长度", Choice, false, "");
            length.options = ["short", "medium", "long"].map(String::from).to_vec();
            vec![
                field(
                    "files",
                    "文件",
                    File,
                    true,
                    "PDF、DOCX、TXT、MD、HTML 文件，多个用换行分隔",
                ),
                length,
                field("focus", "关注重点", Text, false, ""),
            ]
        }
        Runner::Answer => vec![field("question", "问题", Textarea, true, "")],
        Runner::Chat => vec![field("message", "内容", Textarea, true, "")],
        Runner::Check => vec![field(
            "file",
            "公文文件",
            File,
            true,
            "DOCX、TXT 或 MD 文件",
        )],
        Runner::Compare => vec![
            field("before", "上期清单", File, true, "CSV 或 XLSX 文件"),
            field("after", "本期清单", File, true, "CSV 或 XLSX 文件"),
            field(
                "key",
                "编号列",
                Text,
                false,
                "两份清单中用来对应同一项的列名，默认为第一列",
            ),
        ],
    }
}

/// Reads `key=value` inputs as the command line gives them.
pub fn parse_inputs(pairs: &[String]) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for pair in pairs {
        let (key, value) = pair
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| AppError::of(ErrorCode::InvalidInput, msg::bad_input(pair)))?;
        out.insert(key.trim().to_string(), value.to_string());
    }
    Ok(out)
}

/// The inputs checked against the form: no unknown key, every required one given, defaults
/// filled in, choices and numbers as the form says.
fn checked_inputs(
    manifest: &Manifest,
    form: &[FieldInfo],
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let name = &manifest.name;
    let invalid = |m| AppError::of(ErrorCode::InvalidInput, m);
    for key in given.keys() {
        if !form.iter().any(|f| &f.key == key) {
            let keys: Vec<&str> = form.iter().map(|f| f.key.as_str()).collect();
            return Err(invalid(msg::unknown_input(name, key, keys.join("、"))));
        }
    }
    let mut out = BTreeMap::new();
    for field in form {
        let declared = manifest.fields.iter().find(|f| f.key == field.key);
        let value = given
            .get(&field.key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .or_else(|| declared.and_then(|f| f.default.clone()));
        let Some(value) = value else {
            if field.required {
                return Err(invalid(msg::missing_input(name, &field.key, &field.label)));
            }
            out.insert(field.key.clone(), String::new());
            continue;
        };
        if field.kind == FieldKind::Choice
            && !field.options.is_empty()
            && !field.options.contains(&value)
        {
            return Err(invalid(msg::bad_choice(
                &field.label,
                &value,
                field.options.join("、"),
            )));
        }
        if field.kind == FieldKind::Number && value.parse::<f64>().is_err() {
            return Err(invalid(msg::not_a_number(&field.label, &value)));
        }
        out.insert(field.key.clone(), value);
    }
    Ok(out)
}

/// What a runner reads under `slot`: the pack's `prompts/<slot>.j2` rendered with the inputs,
/// or the input of that name.
struct Slots<'a> {
    pack: &'a Pack,
    files: wenshu_packs::PackFiles,
    inputs: BTreeMap<String, String>,
}

impl Slots<'_> {
    fn get(&self, slot: &str) -> Result<String> {
        let name = format!("prompts/{slot}.j2");
        match self.files.text(&name) {
            Some(source) => wenshu_packs::template::render(source, &self.inputs)
                .map(|s| s.trim().to_string())
                .map_err(|err| {
                    AppError::of(
                        ErrorCode::InvalidInput,
                        msg::template_failed(&self.pack.manifest.name, &name, err),
                    )
                }),
            None => Ok(self.inputs.get(slot).cloned().unwrap_or_default()),
        }
    }

    fn opt(&self, slot: &str) -> Result<Option<String>> {
        self.get(slot).map(|v| (!v.is_empty()).then_some(v))
    }

    fn list(&self, slot: &str) -> Result<Vec<String>> {
        self.get(slot).map(|v| crate::draft::split_list(&v))
    }

    fn paths(&self, slot: &str) -> Result<Vec<String>> {
        self.get(slot).map(|v| {
            v.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
    }
}

/// A chat pack's JSON schema for its answer.
pub const SCHEMA_FILE: &str = "schema.json";
/// A chat pack's GBNF grammar for its answer (when it has no schema).
pub const GRAMMAR_FILE: &str = "grammar.gbnf";

/// A chat pack's worked examples: `[[shots]]` of `user` and `assistant`.
pub const SHOTS_FILE: &str = "prompts/shots.toml";

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Shots {
    shots: Vec<Shot>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Shot {
    user: String,
    assistant: String,
}

/// The worked examples a pack holds, if any; what does not read is named with its line.
pub(crate) fn shots(files: &wenshu_packs::PackFiles) -> Result<Option<Vec<(String, String)>>> {
    let Some(text) = files.text(SHOTS_FILE) else {
        return Ok(None);
    };
    let shots: Shots = toml::from_str(text).map_err(|err| {
        let line = wenshu_packs::manifest::toml_error_line(text, &err);
        AppError::of(
            ErrorCode::InvalidInput,
            msg::bad_shots(SHOTS_FILE, line, err.message()),
        )
    })?;
    Ok(Some(
        shots
            .shots
            .into_iter()
            .map(|s| (s.user, s.assistant))
            .collect(),
    ))
}

/// The draft fields `DraftForm` knows.
const DRAFT_KEYS: [&str; 12] = [
    "issuer",
    "topic",
    "addressees",
    "facts",
    "number",
    "signers",
    "date",
    "attachments",
    "copy_to",
    "contact",
    "classification",
    "urgency",
];

impl Wenshu {
    /// Runs app `id` with `inputs` (its form's keys), saving to `output` when given.
    pub fn run_app(
        &self,
        id: &str,
        inputs: &BTreeMap<String, String>,
        output: Option<&Path>,
        cancel: &CancelFlag,
        on_event: &mut dyn FnMut(AppEvent<'_>),
    ) -> Result<AppRun> {
        // Read once: the app, and the knowledge packs it needs.
        let packs = self.packs()?;
        let pack = packs.iter().find(|p| p.manifest.id == id).ok_or_else(|| {
            AppError::of(
                ErrorCode::NotFound,
                wenshu_api::messages::packs::not_installed(id),
            )
        })?;
        let manifest = &pack.manifest;
        let runner = manifest
            .runner
            .clone()
            .ok_or_else(|| AppError::of(ErrorCode::InvalidInput, msg::not_an_app(id)))?;
        pack.usable()?;
        for need in &manifest.needs {
            let present = packs
                .iter()
                .any(|p| &p.manifest.id == need && p.problem.is_none());
            if !present {
                return Err(AppError::of(
                    ErrorCode::NotFound,
                    msg::missing_need(&manifest.name, need),
                ));
            }
        }
        if self.limits().app_allowed(id).is_err() {
            let file = self
                .policy()
                .map(crate::policy::LoadedPolicy::label)
                .unwrap_or_default();
            return self.audited(
                id,
                Err(AppError::of(
                    ErrorCode::Policy,
                    policy_msg::app_blocked(&manifest.name, file),
                )),
            );
        }
        let kind = manifest.output.map_or("text", wenshu_packs::Output::name);
        if let Some(path) = output {
            check_output_kind(&manifest.name, &runner, path)?;
        }
        for value in inputs.values() {
            self.audited(
                id,
                crate::policy::refuse_state_secret(
                    value,
                    &wenshu_api::messages::policy::source_input().text,
                ),
            )?;
        }
        let form = form(manifest);
        let slots = Slots {
            pack,
            files: pack.files()?,
            inputs: checked_inputs(manifest, &form, inputs)?,
        };
        let result = match &runner {
            Runner::Draft { doc_type } => {
                let mut fields = BTreeMap::new();
                for key in DRAFT_KEYS {
                    let value = slots.get(key)?;
                    if !value.is_empty() {
                        fields.insert(key.to_string(), value);
                    }
                }
                let mut request = DraftRequest::try_from(&wenshu_api::DraftForm {
                    doc_type: doc_type.clone(),
                    fields,
                })?;
                request.app = Some(DraftApp {
                    id: id.to_string(),
                    template: slots
                        .files
                        .text(crate::draft::DRAFT_FILE)
                        .filter(|_| pack.source != crate::packs::Source::Builtin)
                        .map(String::from),
                });
                let draft = self.draft(&request, cancel, &mut |event| match event {
                    DraftEvent::Step { step, of, label } => {
                        on_event(AppEvent::Step { step, of, label });
                    }
                    DraftEvent::Text(text) => on_event(AppEvent::Text(text)),
                })?;
                AppResult::Draft(Box::new(draft))
            }
            Runner::Minutes { record } => {
                let request = MinutesRequest {
                    files: slots.paths("transcript")?,
                    text: None,
                    fields: MeetingFields {
                        title: slots.opt("title")?,
                        time: slots.opt("date")?,
                        place: slots.opt("place")?,
                        chair: slots.opt("chair")?,
                        attendees: slots.list("attendees")?,
                        ..MeetingFields::default()
                    },
                    record: *record,
                    resume: false,
                    app: Some(id.to_string()),
                };
                let minutes = self.minutes(&request, cancel, &mut long_events(on_event))?;
                AppResult::Minutes(Box::new(minutes))
            }
            Runner::Summary => {
                let length = slots.get("length")?;
                let request = SummaryRequest {
                    files: slots.paths("files")?,
                    length: SummaryLength::parse(&length).unwrap_or_default(),
                    points: None,
                    focus: slots.opt("focus")?,
                    resume: false,
                    app: Some(id.to_string()),
                };
                let summary = self.summarize(&request, cancel, &mut long_events(on_event))?;
                AppResult::Summary(Box::new(summary))
            }
            Runner::Answer => {
                let options = AskOptions {
                    app: id.to_string(),
                    ..AskOptions::default()
                };
                let answer = self.ask_kb(&slots.get("question")?, &options, cancel, &mut |t| {
                    on_event(AppEvent::Text(t));
                })?;
                AppResult::Answer(Box::new(answer))
            }
            Runner::Chat => {
                // A pack's JSON schema or grammar shapes the answer: structured extraction.
                let constraint = match (
                    slots.files.text(SCHEMA_FILE),
                    slots.files.text(GRAMMAR_FILE),
                ) {
                    (Some(schema), _) => wenshu_core::Constraint::JsonSchema(schema.to_string()),
                    (None, Some(grammar)) => wenshu_core::Constraint::Grammar(grammar.to_string()),
                    (None, None) => wenshu_core::Constraint::None,
                };
                let options = AskOptions {
                    system_prompt: slots.opt("system")?,
                    app: id.to_string(),
                    constraint,
                    ..AskOptions::default()
                };
                let message = slots.get("message")?;
                let mut on_text = |t: &str| on_event(AppEvent::Text(t));
                let answer = match shots(&slots.files)? {
                    Some(examples) => {
                        let system = options
                            .system_prompt
                            .clone()
                            .unwrap_or_else(|| self.settings().chat.system_prompt.clone());
                        crate::Chat::with_examples(system, &examples).send(
                            self,
                            &message,
                            &options,
                            cancel,
                            &mut on_text,
                        )?
                    }
                    None => self.ask(&message, &options, cancel, &mut on_text)?,
                };
                AppResult::Chat(Box::new(answer))
            }
            Runner::Check => {
                let report = crate::check::check_document(Path::new(&slots.get("file")?))?;
                AppResult::Check(Box::new(report))
            }
            Runner::Compare => {
                let request = crate::tables::CompareRequest {
                    before: slots.get("before")?.into(),
                    after: slots.get("after")?.into(),
                    key: slots.opt("key")?,
                    focus: slots.opt("focus")?,
                    app: id.to_string(),
                };
                let report = self.compare_tables(&request, cancel, &mut |t| {
                    on_event(AppEvent::Text(t));
                })?;
                AppResult::Compare(Box::new(report))
            }
        };
        let saved = match output {
            Some(path) => Some(save(self, id, &result, path)?),
            None => None,
        };
        Ok(AppRun {
            app: id.to_string(),
            name: manifest.name.clone(),
            version: manifest.version().to_string(),
            output: kind.to_string(),
            result,
            saved,
        })
    }
}

fn long_events<'a>(on_event: &'a mut dyn FnMut(AppEvent<'_>)) -> impl FnMut(LongEvent<'_>) + 'a {
    move |event| match event {
        LongEvent::Progress { done, total, .. } => on_event(AppEvent::Progress { done, total }),
        LongEvent::Text(text) => on_event(AppEvent::Text(text)),
    }
}

/// The file kinds an app's result may be saved as.
fn output_kinds(runner: &Runner) -> &'static [&'static str] {
    match runner {
        Runner::Draft { .. } | Runner::Minutes { .. } => &["docx", "md", "txt"],
        Runner::Summary | Runner::Answer | Runner::Compare => &["md", "txt", "json"],
        Runner::Chat => &["txt", "md", "json"],
        Runner::Check => &["json"],
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .map(|e| if e == "markdown" { "md".to_string() } else { e })
        .unwrap_or_default()
}

/// Refuses, before any model time is spent, an output file the app cannot write or whose
/// folder does not exist.
fn check_output_kind(name: &str, runner: &Runner, path: &Path) -> Result<()> {
    let kinds = output_kinds(runner);
    if !kinds.contains(&extension(path).as_str()) {
        let listed: Vec<String> = kinds.iter().map(|k| format!(".{k}")).collect();
        return Err(AppError::of(
            ErrorCode::InvalidInput,
            msg::bad_output(name, listed.join("、")),
        ));
    }
    crate::input::check_output_folder(path)
}

/// Saves an app's result to `path`, as its extension says, labelled as AI-generated (a JSON
/// record is data, not a document, and carries no label), and records the export for `app`.
fn save(wenshu: &Wenshu, app: &str, result: &AppResult, path: &Path) -> Result<String> {
    let ext = extension(path);
    let markdown = |s: &str, level: &str| wenshu.export_output(s, true, path, app, level);
    let plain = |s: &str, level: &str| wenshu.export_output(s, false, path, app, level);
    match result {
        AppResult::Draft(draft) => match ext.as_str() {
            "txt" => plain(&draft.text, &draft.level)?,
            _ => {
                let doc = crate::draft::draft_document(draft)?;
                wenshu.export_document(&doc, path, app, &draft.level)?;
            }
        },
        AppResult::Minutes(minutes) => match ext.as_str() {
            "md" => markdown(&minutes.markdown, &minutes.level)?,
            _ => {
                let doc = crate::minutes::minutes_document(minutes)?;
                wenshu.export_document(&doc, path, app, &minutes.level)?;
            }
        },
        AppResult::Summary(summary) if ext != "json" => {
            markdown(&summary.markdown, &summary.level)?
        }
        AppResult::Answer(answer) if ext != "json" => plain(&answer.text, &answer.level)?,
        AppResult::Chat(answer) if ext != "json" => plain(&answer.text, &answer.level)?,
        AppResult::Compare(report) if ext != "json" => markdown(&report.markdown, "")?,
        other => {
            let text = serde_json::to_string_pretty(other).unwrap_or_default();
            crate::input::write_atomic(path, text.as_bytes())?;
            wenshu.record_export(app, path, text.as_bytes(), "");
        }
    }
    Ok(path.display().to_string())
}
