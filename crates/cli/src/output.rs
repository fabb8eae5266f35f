//! Formatting: human text for people, one JSON document on stdout for `--json`. Progress and
//! notes go to stderr so stdout stays clean for pipes.

use std::io::IsTerminal;

use serde::Serialize;
use wenshu_app::check::{FindingInfo, FixReport, RuleInfo};
use wenshu_app::kb::{Citation, CitedAnswer, KbAddReport, KbDocumentInfo, KbStats, SearchHit};
use wenshu_app::{
    Answer, AppError, AuditInfo, BenchReport, ConversationDetail, ConversationInfo, DoctorReport,
    Draft, ExportFormat, ModelCheck, ModelInfo,
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
        Err(err) => eprintln!("error: cannot format JSON: {err}"),
    }
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
    pub fn progress(&self, message: &str) {
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
        self.findings("draft", &draft.findings);
        let tokens: u32 = draft.steps.iter().map(|s| s.completion_tokens).sum();
        eprintln!(
            "{} model calls, {tokens} tokens written, {:.1} s ({})",
            draft.steps.len(),
            draft.milliseconds as f64 / 1000.0,
            draft.model
        );
        if let Some((path, _)) = saved {
            println!("saved {path}");
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
                "资料（回答未标注出处）："
            } else {
                "出处："
            }
        );
        for c in listed {
            let page = c.page.map(|p| format!("，第{p}页")).unwrap_or_default();
            println!("[{}] {}{page}（{}）", c.n, c.title, c.doc);
        }
    }

    pub fn kb_stats(&self, stats: &KbStats) {
        if self.json {
            return print_json(stats);
        }
        println!(
            "{} documents ({} incomplete), {} chunks in the catalogue, {} in the index",
            stats.documents, stats.incomplete, stats.catalogue_chunks, stats.index_chunks
        );
    }

    pub fn kb_added(&self, report: &KbAddReport) {
        if self.json {
            return print_json(report);
        }
        for f in &report.failed {
            eprintln!("failed: {}: {}", f.path, f.error);
        }
        println!(
            "{} added, {} updated, {} unchanged, {} failed; {} chunks indexed",
            report.added.len(),
            report.updated.len(),
            report.unchanged.len(),
            report.failed.len(),
            report.chunks
        );
    }

    /// Says what a stopped add or rebuild left behind.
    pub fn kb_cancelled(&self, what: &str) {
        if !self.json {
            eprintln!("note: cancelled; {what}");
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
            println!("no passage matches");
        }
        for (i, h) in hits.iter().enumerate() {
            let page = h.page.map(|p| format!(", p. {p}")).unwrap_or_default();
            println!("[{}] {} ({}{page}) {:.2}", i + 1, h.title, h.doc, h.score);
            let snippet = h.snippet.replace("<b>", "【").replace("</b>", "】");
            println!("    {}", snippet.replace('\n', " "));
        }
    }

    pub fn kb_documents(&self, docs: &[KbDocumentInfo]) {
        if self.json {
            return print_json(docs);
        }
        for d in docs {
            let state = if d.ready { "" } else { " (incomplete)" };
            println!(
                "{:>4}  {}  {} chunks  {}  {}{state}",
                d.id, d.title, d.chunks, d.level, d.path
            );
        }
    }

    pub fn error(&self, err: &AppError) {
        if self.json {
            print_json(&serde_json::json!({
                "error": { "code": err.code.as_str(), "message": err.message }
            }));
        }
        eprintln!("error: {}", err.message);
    }

    pub fn answer(&self, answer: &Answer) {
        if self.json {
            return print_json(answer);
        }
        // The text was streamed already; finish the line and add the notes on stderr.
        println!();
        if answer.dropped_turns > 0 {
            eprintln!(
                "note: the conversation outgrew the context window; the {} oldest messages were left out",
                answer.dropped_turns
            );
        }
        match answer.stop.as_str() {
            "cancelled" => eprintln!("note: cancelled; the partial answer is kept in history"),
            "max_tokens" => eprintln!("note: the answer reached the length limit (--max-tokens)"),
            _ => {}
        }
        self.progress(&format!(
            "[{} · {} prompt + {} answer tokens · {:.1} s]",
            answer.model,
            answer.prompt_tokens,
            answer.completion_tokens,
            answer.duration_ms as f64 / 1000.0
        ));
    }

    pub fn model_imported(&self, info: &ModelInfo) {
        if self.json {
            return print_json(info);
        }
        println!(
            "imported {} ({}, {}, {})",
            info.name,
            info.architecture,
            info.quantization,
            megabytes(info.file_size)
        );
        println!("sha256 {}", info.sha256);
        if info.active {
            println!("{} is the active model", info.name);
        }
    }

    pub fn models(&self, models: &[ModelInfo]) {
        if self.json {
            return print_json(models);
        }
        if models.is_empty() {
            println!("no models imported: run `wenshu model import FILE.gguf`");
        }
        for m in models {
            println!(
                "{} {}  {} {}  ctx {}  {}  sha256 {}",
                if m.active { "*" } else { " " },
                m.name,
                m.architecture,
                m.quantization,
                m.context_length,
                megabytes(m.file_size),
                &m.sha256[..16.min(m.sha256.len())]
            );
        }
    }

    pub fn model_used(&self, info: &ModelInfo) {
        if self.json {
            return print_json(info);
        }
        println!("{} is now the active model", info.name);
    }

    pub fn verify(&self, checks: &[ModelCheck]) {
        if self.json {
            return print_json(checks);
        }
        for c in checks {
            match c.status.as_str() {
                "ok" => println!("ok        {}", c.name),
                "missing" => println!("MISSING   {} ({})", c.name, c.path),
                _ => println!(
                    "MODIFIED  {}: sha256 is {} but {} was recorded at import",
                    c.name,
                    c.actual_sha256.as_deref().unwrap_or("?"),
                    c.expected_sha256
                ),
            }
        }
    }

    pub fn history(&self, items: &[ConversationInfo], zone: Zone) {
        if self.json {
            return print_json(items);
        }
        if items.is_empty() {
            println!("no conversations yet");
        }
        for c in items {
            println!(
                "{:>5}  {}  {:>3} msgs  {}",
                c.id,
                zone.format(c.updated_at_ms),
                c.messages,
                c.title
            );
        }
    }

    pub fn conversation(&self, detail: &ConversationDetail, zone: Zone) {
        if self.json {
            return print_json(detail);
        }
        println!(
            "#{} {} ({})",
            detail.conversation.id,
            detail.conversation.title,
            zone.format(detail.conversation.created_at_ms)
        );
        for m in &detail.messages {
            let mark = if m.cancelled { " (cancelled)" } else { "" };
            println!("\n[{}{}] {}", m.role, mark, m.content);
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

    pub fn findings(&self, file: &str, findings: &[FindingInfo]) {
        if self.json {
            return print_json(findings);
        }
        for f in findings {
            println!(
                "{file}:{}: {}[{}] {}",
                f.line, f.severity, f.rule, f.message
            );
            match &f.suggestion {
                Some(s) => println!("    {}  →  {s}", f.excerpt),
                None => println!("    {}", f.excerpt),
            }
        }
        let errors = findings.iter().filter(|f| f.severity == "error").count();
        println!(
            "{file}: {errors} errors, {} warnings",
            findings.len() - errors
        );
    }

    pub fn fixed(&self, report: &FixReport) {
        if self.json {
            return print_json(report);
        }
        for c in &report.changes {
            println!("@@ line {} @@\n-{}\n+{}", c.line, c.before, c.after);
        }
        println!("{}: {} lines fixed", report.file, report.changes.len());
        if !report.remaining.is_empty() {
            println!("left to fix by hand:");
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
                r.id, r.severity, r.description, r.source
            );
        }
    }

    pub fn doctor(&self, report: &DoctorReport) {
        if self.json {
            return print_json(report);
        }
        for c in &report.checks {
            println!(
                "{} {:<24} {}",
                if c.ok { "ok  " } else { "FAIL" },
                c.name,
                c.detail
            );
        }
        println!(
            "     {:<24} {}",
            "cpu features",
            report.cpu_features.join(" ")
        );
        println!("     {:<24} {}", "build", report.build_features.join(", "));
    }

    pub fn bench(&self, r: &BenchReport) {
        if self.json {
            return print_json(r);
        }
        println!(
            "model      {} ({})",
            r.model,
            &r.model_sha256[..16.min(r.model_sha256.len())]
        );
        println!("threads    {}", r.threads);
        println!(
            "pp{:<8} {:.2} tokens/s (median of {})",
            r.prompt_tokens, r.pp_tokens_per_s, r.repetitions
        );
        println!(
            "tg{:<8} {:.2} tokens/s (median of {})",
            r.generated_tokens, r.tg_tokens_per_s, r.repetitions
        );
        if let Some(rss) = r.peak_rss_bytes {
            println!(
                "peak RSS   {} (model file {})",
                megabytes(rss),
                megabytes(r.model_file_bytes)
            );
        }
    }
}

/// One audit row as `wenshu audit` prints it.
fn audit_line(r: &AuditInfo, zone: Zone) -> String {
    format!(
        "{:>5}  {}  {}  {}  {} + {} tokens  {} ms  {}{}",
        r.id,
        zone.format(r.started_at_ms),
        r.os_user,
        r.app,
        r.prompt_tokens,
        r.completion_tokens,
        r.duration_ms,
        r.outcome,
        r.error
            .as_deref()
            .map(|e| format!(": {e}"))
            .unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
