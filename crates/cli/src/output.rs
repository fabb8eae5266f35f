//! Formatting: human text for people, one JSON document on stdout for `--json`. Progress and
//! notes go to stderr so stdout stays clean for pipes. Every word of the human text comes from
//! the message catalogue (`wenshu_api::messages::cli`), in the language in force; the JSON keeps
//! its keys and values whatever the language, since scripts read it.

use std::io::IsTerminal;

use serde::Serialize;
use wenshu_app::api::messages::Message;
use wenshu_app::api::messages::audit as audit_msg;
use wenshu_app::api::messages::cli as msg;
use wenshu_app::api::{
    AppInfo, AppResult, AppRun, AppStatus, KeygenReport, PackChange, PackInfo, PackList,
    PackSignature,
};
use wenshu_app::api::{
    DimensionScore, EvalReport, EvalRunInfo, FactStatus, Minutes, RunStats, Summary,
};
use wenshu_app::check::{FindingInfo, FixReport, RuleInfo};
use wenshu_app::kb::{Citation, CitedAnswer, KbAddReport, KbDocumentInfo, KbStats, SearchHit};
use wenshu_app::{
    Answer, AppError, AuditInfo, BenchReport, ConversationDetail, ConversationInfo, DoctorReport,
    Draft, ErrorCode, ExportFormat, ModelCheck, ModelInfo,
};
use wenshu_core::time::Zone;

#[derive(Debug)]
pub struct Output {
    pub json: bool,
    stderr_tty: bool,
}

fn print_json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(err) => eprintln!(
            "{}",
            error_line(&AppError::of(
                ErrorCode::Runtime,
                msg::cannot_format_json(err)
            ))
        ),
    }
}

/// A long run's result with the file it was saved to, as `--json` prints it.
#[derive(Serialize)]
struct WithSaved<'a, T: Serialize> {
    #[serde(flatten)]
    result: &'a T,
    saved: Option<&'a str>,
}

/// How `err` reads on stderr: `错误（输入有误）：…` in Chinese, `error: …` in English.
pub fn error_line(err: &AppError) -> String {
    msg::error_line(err.code.label(), &err.message).text
}

/// The name of who wrote a stored message (`user`, `assistant`, `system`).
pub fn role(role: &str) -> String {
    match role {
        "user" => msg::role_user().text,
        "assistant" => msg::role_assistant().text,
        "system" => msg::role_system().text,
        other => other.to_string(),
    }
}

/// A finding's severity (`error`, `warning`) in the language in force.
fn severity(severity: &str) -> String {
    match severity {
        "error" => msg::severity_error().text,
        "warning" => msg::severity_warning().text,
        other => other.to_string(),
    }
}

/// The page suffix of a passage, empty when it has no page.
fn page(page: Option<u32>) -> String {
    page.map(|p| msg::page(p).text).unwrap_or_default()
}

/// `text` padded with spaces to `columns` terminal columns, counting Chinese characters and
/// full-width punctuation as two, so that Chinese labels line up as English ones do.
fn pad(text: &str, columns: usize) -> String {
    let wide = |c: char| {
        matches!(c, '\u{1100}'..='\u{115f}' | '\u{2e80}'..='\u{a4cf}' | '\u{ac00}'..='\u{d7a3}'
            | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}' | '\u{ff00}'..='\u{ff60}'
            | '\u{ffe0}'..='\u{ffe6}')
    };
    let width: usize = text.chars().map(|c| if wide(c) { 2 } else { 1 }).sum();
    format!("{text}{}", " ".repeat(columns.saturating_sub(width)))
}

fn megabytes(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1_000_000.0)
}

impl Output {
    pub fn new(json: bool) -> Self {
        Self {
            json,
            stderr_tty: std::io::stderr().is_terminal(),
        }
    }

    /// A progress note on stderr (never in JSON mode's stdout).
    pub fn progress(&self, message: impl std::fmt::Display) {
        if self.stderr_tty {
            eprintln!("{message}");
        }
    }

    /// A progress bar on stderr (only on a terminal): `done` of `total` finished, `item` next.
    pub fn bar(&self, done: usize, total: usize, item: &str) {
        if !self.stderr_tty || total == 0 {
            return;
        }
        const WIDTH: usize = 24;
        let filled = done * WIDTH / total;
        let name: String = item
            .chars()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        eprint!(
            "\r\x1b[K[{}{}] {}/{} {name}",
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            done + 1,
            total
        );
    }

    /// Ends the progress bar's line.
    pub fn bar_done(&self) {
        if self.stderr_tty {
            eprint!("\r\x1b[K");
        }
    }

    pub fn stderr_tty(&self) -> bool {
        self.stderr_tty
    }

    /// A finished draft: its text and findings, and where it was saved.
    pub fn draft(&self, draft: &Draft, saved: Option<&(String, ExportFormat)>) {
        if self.json {
            #[derive(Serialize)]
            struct Saved<'a> {
                path: &'a str,
                format: ExportFormat,
            }
            #[derive(Serialize)]
            struct DraftOutput<'a> {
                #[serde(flatten)]
                draft: &'a Draft,
                saved: Option<Saved<'a>>,
            }
            return print_json(&DraftOutput {
                draft,
                saved: saved.map(|(path, format)| Saved {
                    path,
                    format: *format,
                }),
            });
        }
        print!("{}", draft.text);
        println!();
        self.findings(&msg::draft_label().text, &draft.findings);
        let facts = &draft.facts;
        let missing = facts.count(FactStatus::Missing);
        if missing > 0 {
            println!("{}", msg::draft_facts_missing(facts.facts.len(), missing));
        } else if !facts.facts.is_empty() {
            println!(
                "{}",
                msg::draft_facts(
                    facts.facts.len(),
                    facts.count(FactStatus::Written),
                    facts.count(FactStatus::Repaired),
                    facts.count(FactStatus::Inserted)
                )
            );
        }
        for r in &facts.removed {
            println!(
                "{}",
                msg::draft_removed(
                    &r.section,
                    wenshu_app::api::messages::draft::removal_reason(r.reason),
                    &r.detail,
                    &r.sentence
                )
            );
        }
        let tokens: u32 = draft.steps.iter().map(|s| s.completion_tokens).sum();
        eprintln!(
            "{}",
            msg::draft_summary(
                draft.steps.len(),
                tokens,
                format!("{:.1}", draft.milliseconds as f64 / 1000.0),
                &draft.model
            )
        );
        if let Some((path, _)) = saved {
            println!("{}", msg::saved(path));
        }
    }

    /// What a long run took, on stderr.
    fn long_stats(&self, stats: &RunStats, model: &str) {
        eprintln!(
            "{}",
            msg::long_summary(
                stats.pieces,
                stats.resumed,
                stats.levels,
                stats.input_tokens,
                format!("{:.1}", stats.milliseconds as f64 / 1000.0),
                model
            )
        );
    }

    /// Finished minutes: as Markdown, with the lines of every item, and where they were saved.
    pub fn minutes(&self, minutes: &Minutes, saved: Option<&str>) {
        if self.json {
            return print_json(&WithSaved {
                result: minutes,
                saved,
            });
        }
        print!("{}", minutes.markdown);
        let unconfirmed = minutes
            .decisions
            .iter()
            .map(|d| usize::from(!d.owner.confirmed) + usize::from(!d.deadline.confirmed))
            .sum::<usize>();
        if unconfirmed > 0 {
            println!("{}", msg::minutes_unconfirmed(unconfirmed));
        }
        self.long_stats(&minutes.stats, &minutes.model);
        if let Some(path) = saved {
            println!("{}", msg::saved(path));
        }
    }

    /// A finished summary: the paragraph and the points with their sources.
    pub fn summary(&self, summary: &Summary, saved: Option<&str>) {
        if self.json {
            return print_json(&WithSaved {
                result: summary,
                saved,
            });
        }
        print!("{}", summary.markdown);
        self.long_stats(&summary.stats, &summary.model);
        if let Some(path) = saved {
            println!("{}", msg::saved(path));
        }
    }

    /// An answer from the knowledge base: the text was streamed; the sources follow it.
    pub fn cited_answer(&self, answer: &CitedAnswer) {
        if self.json {
            return print_json(answer);
        }
        println!("{}", answer.text);
        if !answer.found {
            return;
        }
        let listed: Vec<&Citation> = if answer.cited.is_empty() {
            answer.passages.iter().collect()
        } else {
            answer
                .cited
                .iter()
                .filter_map(|n| answer.passages.iter().find(|p| p.n == *n))
                .collect()
        };
        println!(
            "\n{}",
            if answer.cited.is_empty() {
                msg::sources_uncited()
            } else {
                msg::sources()
            }
        );
        for c in listed {
            println!("{}", msg::citation(c.n, &c.title, page(c.page), &c.doc));
        }
    }

    pub fn pack_key(&self, report: &KeygenReport) {
        if self.json {
            return print_json(report);
        }
        println!(
            "{}",
            msg::pack_keygen(
                &report.public_key,
                &report.secret_key,
                &report.key_id,
                &report.public_line
            )
        );
    }

    pub fn pack_signed(&self, report: &PackSignature) {
        if self.json {
            return print_json(report);
        }
        println!(
            "{}",
            msg::pack_signed(
                &report.id,
                &report.version,
                &report.path,
                report.key_id.as_deref().unwrap_or(""),
                &report.sha256
            )
        );
    }

    pub fn pack_verified(&self, report: &PackSignature) {
        if self.json {
            return print_json(report);
        }
        println!(
            "{}",
            msg::pack_verified(
                &report.id,
                &report.version,
                report.key_id.as_deref().unwrap_or(""),
                &report.sha256
            )
        );
    }

    /// A note of the admin policy (a setting it overrode), on stderr.
    pub fn warning(&self, message: &Message) {
        eprintln!("{}", msg::warning(&message.text));
    }

    /// A policy, key list or index signed.
    pub fn signed_file(&self, file: &wenshu_app::packs::SignedFile) {
        if self.json {
            return print_json(file);
        }
        let line = match file.sequence {
            Some(sequence) if file.path.ends_with(wenshu_app::packs::INDEX_FILE) => {
                msg::index_signed(
                    &file.path,
                    &file.key_id,
                    &file.signature,
                    file.packs.len(),
                    sequence,
                )
            }
            _ => msg::file_signed(&file.path, &file.key_id, &file.signature),
        };
        println!("{line}");
    }

    /// `wenshu usage`.
    pub fn usage(&self, table: &wenshu_app::UsageTable) {
        if self.json {
            return print_json(table);
        }
        println!("{}", msg::usage_heading(&table.by, &table.from, &table.to));
        for r in &table.rows {
            println!(
                "{}",
                msg::usage_line(&r.key, r.calls, r.prompt_tokens, r.completion_tokens)
            );
        }
        let t = &table.total;
        println!(
            "{}",
            msg::usage_total(t.calls, t.prompt_tokens, t.completion_tokens)
        );
    }

    /// `wenshu settings list` and `set`.
    pub fn settings(&self, settings: &[wenshu_app::SettingInfo]) {
        if self.json {
            return print_json(&settings);
        }
        for setting in settings {
            let value = match &setting.value {
                serde_json::Value::String(s) => format!("\"{s}\""),
                other => other.to_string(),
            };
            match &setting.locked {
                Some(reason) => println!("{}", msg::setting_locked(&setting.key, value, reason)),
                None => println!("{}", msg::setting_line(&setting.key, value)),
            }
        }
    }

    /// `wenshu packs list`.
    pub fn packs(&self, list: &PackList) {
        if self.json {
            return print_json(list);
        }
        for warning in &list.warnings {
            eprintln!("{}", msg::warning(warning));
        }
        for p in &list.packs {
            println!(
                "{}",
                msg::pack_line(
                    &p.id,
                    &p.name,
                    &p.version,
                    &p.source_label,
                    p.signer.clone().unwrap_or_else(|| msg::no_signer().text),
                    p.problem.clone().unwrap_or_else(|| msg::usable().text)
                )
            );
        }
    }

    /// `wenshu packs show`: the pack, and its form when it is an app.
    pub fn pack(&self, pack: &PackInfo, app: Option<&AppInfo>) {
        if self.json {
            #[derive(Serialize)]
            struct Shown<'a> {
                #[serde(flatten)]
                pack: &'a PackInfo,
                #[serde(skip_serializing_if = "Option::is_none")]
                app: Option<&'a AppInfo>,
            }
            return print_json(&Shown { pack, app });
        }
        println!(
            "{}",
            msg::pack_line(
                &pack.id,
                &pack.name,
                &pack.version,
                &pack.source_label,
                pack.signer.clone().unwrap_or_else(|| msg::no_signer().text),
                pack.problem.clone().unwrap_or_else(|| msg::usable().text)
            )
        );
        if !pack.description.is_empty() {
            println!("{}", pack.description);
        }
        if let Some(app) = app {
            self.app_inputs(app);
        }
    }

    fn app_inputs(&self, app: &AppInfo) {
        for f in &app.fields {
            let required = if f.required {
                msg::required().text
            } else {
                String::new()
            };
            println!("{}", msg::app_input(&f.key, &f.label, required));
        }
    }

    /// A pack installed, updated or removed.
    pub fn pack_change(&self, change: &PackChange, what: &str) {
        if self.json {
            return print_json(change);
        }
        let p = &change.pack;
        let line = match what {
            "update" => msg::pack_updated(
                &p.id,
                change.previous.as_deref().unwrap_or_default(),
                &p.version,
            ),
            "remove" => msg::pack_removed(&p.id, &p.version),
            _ => msg::pack_installed(&p.id, &p.version, p.path.as_deref().unwrap_or_default()),
        };
        println!("{line}");
    }

    /// `wenshu apps list`.
    pub fn apps(&self, apps: &[AppInfo]) {
        if self.json {
            return print_json(apps);
        }
        for app in apps {
            let state = match &app.status {
                AppStatus::Available => msg::usable().text,
                AppStatus::Locked { reason } => reason.clone(),
            };
            use wenshu_app::api::messages::packs as source;
            let from = match app.source.as_str() {
                "builtin" => source::source_builtin().text,
                "managed" => source::source_managed().text,
                _ => source::source_user().text,
            };
            println!(
                "{}",
                msg::app_line(&app.id, &app.name, &app.category, from, state)
            );
            self.app_inputs(app);
        }
    }

    /// What an app gave, as the command of its runner shows it.
    pub fn app_run(&self, run: &AppRun) {
        if self.json {
            return print_json(run);
        }
        let saved = run.saved.as_deref();
        match &run.result {
            AppResult::Draft(draft) => {
                self.draft(draft, None);
                if let Some(path) = saved {
                    println!("{}", msg::saved(path));
                }
            }
            AppResult::Minutes(minutes) => self.minutes(minutes, saved),
            AppResult::Summary(summary) => self.summary(summary, saved),
            AppResult::Answer(answer) => self.cited_answer(answer),
            AppResult::Chat(answer) => self.answer(answer),
            AppResult::Check(report) => {
                let file = saved.unwrap_or(run.name.as_str());
                self.findings(file, &report.findings);
            }
            AppResult::Compare(report) => {
                print!("{}", report.markdown);
                if let Some(path) = saved {
                    println!("{}", msg::saved(path));
                }
            }
        }
    }

    pub fn kb_stats(&self, stats: &KbStats) {
        if self.json {
            return print_json(stats);
        }
        println!(
            "{}",
            msg::kb_stats(
                stats.documents,
                stats.incomplete,
                stats.catalogue_chunks,
                stats.index_chunks
            )
        );
    }

    pub fn kb_added(&self, report: &KbAddReport) {
        if self.json {
            return print_json(report);
        }
        for f in &report.failed {
            eprintln!("{}", msg::kb_failed(&f.path, &f.error));
        }
        println!(
            "{}",
            msg::kb_added(
                report.added.len(),
                report.updated.len(),
                report.unchanged.len(),
                report.failed.len(),
                report.chunks
            )
        );
    }

    /// A note on stderr for people (what a stopped add or rebuild left behind); none with
    /// `--json`, whose document says it.
    pub fn note(&self, message: &Message) {
        if !self.json {
            eprintln!("{message}");
        }
    }

    pub fn kb_hits(&self, hits: &[SearchHit]) {
        if self.json {
            #[derive(Serialize)]
            struct JsonHit<'a> {
                doc: &'a str,
                title: &'a str,
                page: Option<u32>,
                score: f32,
                text: &'a str,
            }
            let hits: Vec<JsonHit<'_>> = hits
                .iter()
                .map(|h| JsonHit {
                    doc: &h.doc,
                    title: &h.title,
                    page: h.page,
                    score: h.score,
                    text: &h.text,
                })
                .collect();
            return print_json(&hits);
        }
        if hits.is_empty() {
            println!("{}", msg::kb_no_match());
        }
        for (i, h) in hits.iter().enumerate() {
            println!(
                "{}",
                msg::kb_hit(
                    i + 1,
                    &h.title,
                    &h.doc,
                    page(h.page),
                    format!("{:.2}", h.score)
                )
            );
            let snippet = h.snippet.replace("<b>", "【").replace("</b>", "】");
            println!("    {}", snippet.replace('\n', " "));
        }
    }

    pub fn kb_documents(&self, docs: &[KbDocumentInfo]) {
        if self.json {
            return print_json(docs);
        }
        for d in docs {
            let state = if d.ready {
                String::new()
            } else {
                msg::kb_incomplete().text
            };
            println!(
                "{}",
                msg::kb_document(d.id, &d.title, d.chunks, &d.level, &d.path, state)
            );
        }
    }

    /// An error: as JSON on stdout with `--json` (for scripts), and always as a line on stderr.
    pub fn error(&self, err: &AppError) {
        if self.json {
            print_json(&serde_json::json!({
                "error": { "code": err.code.as_str(), "id": err.id, "message": err.message }
            }));
        }
        eprintln!("{}", error_line(err));
    }

    pub fn answer(&self, answer: &Answer) {
        if self.json {
            return print_json(answer);
        }
        // The text was streamed already; finish the line and add the notes on stderr.
        println!();
        if answer.dropped_turns > 0 {
            eprintln!("{}", msg::note_dropped_turns(answer.dropped_turns));
        }
        match answer.stop.as_str() {
            "cancelled" => eprintln!("{}", msg::note_answer_cancelled()),
            "max_tokens" => eprintln!("{}", msg::note_max_tokens()),
            _ => {}
        }
        self.progress(msg::answer_stats(
            &answer.model,
            answer.prompt_tokens,
            answer.completion_tokens,
            format!("{:.1}", answer.duration_ms as f64 / 1000.0),
        ));
    }

    pub fn model_imported(&self, info: &ModelInfo) {
        if self.json {
            return print_json(info);
        }
        println!(
            "{}",
            msg::model_imported(
                &info.name,
                &info.architecture,
                &info.quantization,
                megabytes(info.file_size)
            )
        );
        println!("{}", msg::model_hash(&info.sha256));
        if info.active {
            println!("{}", msg::model_is_active(&info.name));
        }
    }

    pub fn models(&self, models: &[ModelInfo]) {
        if self.json {
            return print_json(models);
        }
        if models.is_empty() {
            println!("{}", msg::no_models());
        }
        for m in models {
            if m.backend != "local" {
                println!(
                    "{}",
                    msg::server_line(
                        if m.active { "*" } else { " " },
                        &m.name,
                        m.model_id.as_deref().unwrap_or("?"),
                        m.context_length,
                        m.urls.join(" → ")
                    )
                );
                continue;
            }
            println!(
                "{}",
                msg::model_line(
                    if m.active { "*" } else { " " },
                    &m.name,
                    &m.architecture,
                    &m.quantization,
                    m.context_length,
                    megabytes(m.file_size),
                    m.sha256.get(..16).unwrap_or(&m.sha256)
                )
            );
        }
    }

    pub fn server_added(&self, info: &ModelInfo) {
        if self.json {
            return print_json(info);
        }
        println!(
            "{}",
            msg::server_added(
                &info.name,
                info.model_id.as_deref().unwrap_or("?"),
                &info.architecture,
                info.context_length,
                info.urls.join(" → ")
            )
        );
        if info.active {
            println!("{}", msg::model_is_active(&info.name));
        }
    }

    pub fn model_used(&self, info: &ModelInfo) {
        if self.json {
            return print_json(info);
        }
        println!("{}", msg::model_now_active(&info.name));
    }

    pub fn verify(&self, checks: &[ModelCheck]) {
        if self.json {
            return print_json(checks);
        }
        for c in checks {
            let line = match c.status.as_str() {
                "ok" => msg::verify_ok(&c.name),
                "server" => msg::verify_server(&c.name, &c.path),
                "missing" => msg::verify_missing(&c.name, &c.path),
                _ => msg::verify_modified(
                    &c.name,
                    c.actual_sha256.as_deref().unwrap_or("?"),
                    &c.expected_sha256,
                ),
            };
            println!("{line}");
        }
    }

    pub fn history(&self, items: &[ConversationInfo], zone: Zone) {
        if self.json {
            return print_json(items);
        }
        if items.is_empty() {
            println!("{}", msg::no_conversations());
        }
        for c in items {
            println!(
                "{}",
                msg::history_line(c.id, zone.format(c.updated_at_ms), c.messages, &c.title)
            );
        }
    }

    pub fn conversation(&self, detail: &ConversationDetail, zone: Zone) {
        if self.json {
            return print_json(detail);
        }
        println!(
            "{}",
            msg::conversation_heading(
                detail.conversation.id,
                &detail.conversation.title,
                zone.format(detail.conversation.created_at_ms)
            )
        );
        for m in &detail.messages {
            let mark = if m.cancelled {
                msg::cancelled_mark().text
            } else {
                String::new()
            };
            println!("\n[{}{mark}] {}", role(&m.role), m.content);
        }
    }

    /// The audit log, one row a line, times in `zone`.
    pub fn audit(&self, rows: &[AuditInfo], zone: Zone) {
        if self.json {
            return print_json(rows);
        }
        for r in rows {
            println!("{}", audit_line(r, zone));
        }
    }

    pub fn checkpoint(&self, info: &wenshu_app::api::CheckpointInfo) {
        if self.json {
            return print_json(info);
        }
        println!(
            "{}",
            audit_msg::checkpoint_written(&info.path, info.entries, info.head_seq)
        );
        println!("  {}  {}", info.head_hash, info.key_id);
    }

    pub fn audit_verify(&self, report: &wenshu_app::api::AuditVerifyInfo) {
        if self.json {
            return print_json(report);
        }
        for c in &report.checkpoints {
            println!("{}", c.message);
        }
        println!("{}", report.message);
    }

    pub fn audit_export(&self, info: &wenshu_app::api::AuditExportInfo) {
        if self.json {
            return print_json(info);
        }
        println!("{}", audit_msg::exported(&info.path, info.entries));
    }

    pub fn findings(&self, file: &str, findings: &[FindingInfo]) {
        if self.json {
            return print_json(findings);
        }
        for f in findings {
            println!(
                "{file}:{}: {}[{}] {}",
                f.line,
                severity(&f.severity),
                f.rule,
                f.message
            );
            match &f.suggestion {
                Some(s) => println!("    {}  →  {s}", f.excerpt),
                None => println!("    {}", f.excerpt),
            }
        }
        let errors = findings.iter().filter(|f| f.severity == "error").count();
        println!(
            "{}",
            msg::findings_summary(file, errors, findings.len() - errors)
        );
    }

    pub fn fixed(&self, report: &FixReport) {
        if self.json {
            return print_json(report);
        }
        for c in &report.changes {
            println!("{}\n-{}\n+{}", msg::fix_hunk(c.line), c.before, c.after);
        }
        println!("{}", msg::fixed_summary(&report.file, report.changes.len()));
        if !report.remaining.is_empty() {
            println!("{}", msg::left_to_fix());
            self.findings(&report.file, &report.remaining);
        }
    }

    pub fn rules(&self, rules: &[RuleInfo]) {
        if self.json {
            return print_json(rules);
        }
        for r in rules {
            println!(
                "{:<22} {:<7} {}（{}）",
                r.id,
                severity(&r.severity),
                r.description,
                r.source
            );
        }
    }

    pub fn doctor(&self, report: &DoctorReport) {
        if self.json {
            return print_json(report);
        }
        for c in &report.checks {
            let mark = if c.ok {
                msg::doctor_ok()
            } else {
                msg::doctor_fail()
            };
            println!("{mark} {} {}", pad(&c.name, 24), c.detail);
        }
        println!(
            "     {} {}",
            pad(&msg::doctor_cpu_features().text, 24),
            report.cpu_features.join(" ")
        );
        println!(
            "     {} {}",
            pad(&msg::doctor_build().text, 24),
            report.build_features.join(", ")
        );
    }

    pub fn bench(&self, r: &BenchReport) {
        if self.json {
            return print_json(r);
        }
        println!(
            "{}",
            msg::bench_model(
                &r.model,
                r.model_sha256.get(..16).unwrap_or(&r.model_sha256)
            )
        );
        println!("{}", msg::bench_threads(r.threads));
        println!(
            "{}",
            msg::bench_speed(
                format!("pp{:<8}", r.prompt_tokens),
                format!("{:.2}", r.pp_tokens_per_s),
                r.repetitions
            )
        );
        println!(
            "{}",
            msg::bench_speed(
                format!("tg{:<8}", r.generated_tokens),
                format!("{:.2}", r.tg_tokens_per_s),
                r.repetitions
            )
        );
        if let Some(rss) = r.peak_rss_bytes {
            println!(
                "{}",
                msg::bench_peak_memory(megabytes(rss), megabytes(r.model_file_bytes))
            );
        }
    }

    /// A 测评 run: each dimension's score per model, side by side, and where the report went.
    pub fn eval(&self, r: &EvalReport) {
        if self.json {
            return print_json(r);
        }
        println!(
            "{}",
            msg::eval_suite(
                &r.suite.name,
                &r.suite.version,
                &r.suite.sha256[..16.min(r.suite.sha256.len())]
            )
        );
        let names: Vec<&str> = r.models.iter().map(|m| m.model.as_str()).collect();
        println!("{:<12}{}", msg::eval_dimension().text, names.join("    "));
        for d in &r.dimensions {
            let cells: Vec<String> = r
                .models
                .iter()
                .map(|m| {
                    m.dimensions
                        .iter()
                        .find(|s| s.dimension == *d)
                        .map_or_else(String::new, DimensionScore::summary)
                })
                .collect();
            println!("{:<12}{}", d.name_zh(), cells.join("    "));
        }
        for m in &r.models {
            for c in m.cases.iter().filter(|c| !c.passed) {
                println!(
                    "{}",
                    msg::eval_failed(
                        &m.model,
                        c.dimension.name_zh(),
                        &c.id,
                        c.failures.join("；")
                    )
                );
            }
        }
        println!("{}", msg::eval_done(r.id, format!("{:.1}", r.seconds)));
        if let Some(path) = &r.html {
            println!("{}", msg::saved(path));
        }
    }

    /// Past 测评 results, newest first.
    pub fn eval_history(&self, runs: &[EvalRunInfo], zone: Zone) {
        if self.json {
            return print_json(runs);
        }
        for run in runs {
            let scores: Vec<String> = run
                .dimensions
                .iter()
                .map(|d| format!("{} {:.3}", d.dimension.name_zh(), d.score))
                .collect();
            println!(
                "{}",
                msg::eval_history_line(
                    run.id,
                    zone.format(run.started_ms),
                    &run.model,
                    &run.suite_sha256[..16.min(run.suite_sha256.len())],
                    scores.join("，")
                )
            );
        }
    }
}

/// One audit row, its time on `zone`'s clock (the desktop formats it with the same `Zone`).
fn audit_line(r: &AuditInfo, zone: Zone) -> String {
    if !matches!(r.kind.as_str(), "started" | "finished") {
        let detail = match &r.error {
            Some(error) => error.clone(),
            None => r.detail.to_string(),
        };
        return audit_msg::entry_line(
            r.id,
            zone.format(r.started_at_ms),
            &r.os_user,
            &r.kind,
            &r.app,
            detail,
        )
        .text;
    }
    let outcome = match r.outcome.as_str() {
        "unfinished" => audit_msg::outcome_unfinished().text,
        other => other.to_string(),
    };
    let line = msg::audit_line(
        r.id,
        zone.format(r.started_at_ms),
        &r.os_user,
        &r.app,
        r.prompt_tokens,
        r.completion_tokens,
        r.duration_ms,
        &outcome,
    );
    match r.error.as_deref() {
        Some(error) => line.with_detail(error).text,
        None => line.text,
    }
}

#[cfg(test)]
mod tests {
    use wenshu_app::api::messages::cli as msg;
    use wenshu_app::api::messages::{Lang, set_language};
    use wenshu_app::{AppError, ErrorCode};

    use super::*;

    #[test]
    fn error_lines_name_the_kind_of_error_in_chinese_and_keep_the_english_wording() {
        let err = |message| AppError::of(ErrorCode::InvalidInput, message);
        set_language(Lang::En);
        let en = error_line(&err(msg::chat_has_no_json()));
        set_language(Lang::Zh);
        let zh = error_line(&err(msg::chat_has_no_json()));
        assert_eq!(
            en, "error: chat is interactive and has no --json form: use `wenshu ask --json`",
            "English errors read as before the catalogue"
        );
        assert_eq!(
            zh, "错误（输入有误）：chat 是交互式对话，没有 --json 形式：请改用 `wenshu ask --json`",
            "Chinese errors start with the label of their code"
        );
    }

    #[test]
    fn padding_counts_chinese_characters_as_two_columns() {
        assert_eq!(pad("build", 8), "build   ", "ASCII pads by characters");
        assert_eq!(
            pad("CPU 指令集", 12),
            "CPU 指令集  ",
            "three Chinese characters take six columns"
        );
        assert_eq!(
            pad("太长的标签", 4),
            "太长的标签",
            "a longer text is not cut"
        );
    }

    #[test]
    fn audit_rows_show_their_time_on_the_zone_clock() {
        let row = AuditInfo {
            id: 7,
            started_at_ms: 1_700_000_000_000,
            os_user: "zhang".into(),
            model_sha256: String::new(),
            app: "cli.ask".into(),
            prompt_tokens: 40,
            completion_tokens: 6,
            duration_ms: 1200,
            outcome: "completed".into(),
            cancelled: false,
            error: None,
            kind: "finished".into(),
            machine: "m".into(),
            level: String::new(),
            refers_to: Some(6),
            prompt_sha256: String::new(),
            output_sha256: String::new(),
            detail: serde_json::json!({}),
            prev_hash: String::new(),
            hash: String::new(),
        };
        for (case, zone, time) in [
            (
                "China time, the default",
                Zone::CHINA,
                "2023-11-15 06:13:20",
            ),
            ("UTC", Zone::UTC, "2023-11-14 22:13:20"),
        ] {
            let line = audit_line(&row, zone);
            // The desktop shows the same row with the same function (wenshu-ui `text` tests).
            assert!(
                line.contains(&format!("  {time}  zhang  cli.ask")),
                "{case}: the row shows {time}: {line}"
            );
        }
    }
}
