//! 测评: a suite of drafting, retrieval, cited-answer, instruction, minutes and summary cases,
//! and a speed run,
//! against one or several models, scored side by side. Each model runs in a scratch home of its
//! own under the data directory (its model imported by link, the suite's documents in a fresh
//! index), with greedy decoding, fixed seeds and a fixed clock, so two runs of one suite on one
//! model give the same scores; speed is measured, not scored for equality. Results are kept in
//! the database, one row per model, to compare with later runs.

mod html;
mod long;
mod score;
mod suite;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use wenshu_api::messages::eval as msg;
use wenshu_api::{
    CaseResult, Dimension, DimensionScore, EvalReport, EvalRunInfo, Figure, MachineInfo,
    MinutesRequest, ModelEval, SuiteInfo, SummaryRequest,
};
use wenshu_core::CancelFlag;
use wenshu_core::document::Date;
use wenshu_store::ModelRecord;

pub use html::render as render_html;
pub use long::{minutes_result, rouge_l, summary_result};
pub use score::{
    answer_result, copied_share, draft_result, instruction_result, measure_draft, meets,
    retrieval_result, simplified_only, written_text,
};
pub use suite::{Check, FILES as SUITE_FILES, KnownDecision, Suite};

use crate::error::{AppError, ErrorCode, Result};
use crate::models::ImportMode;
use crate::{AskOptions, Home, Wenshu};

/// What `wenshu eval` runs.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Models by name; the active model when empty.
    pub models: Vec<String>,
    /// A suite folder; the built-in suite when `None`.
    pub suite: Option<PathBuf>,
    /// The dimensions to run; all when empty.
    pub only: Vec<Dimension>,
    /// Where to write the HTML report.
    pub html: Option<PathBuf>,
}

/// Progress of a run, for front ends: case `done` of `total`, and what runs now.
#[derive(Debug, Clone, Copy)]
pub struct EvalProgress<'a> {
    pub done: usize,
    pub total: usize,
    pub label: &'a str,
}

/// The clock of every run: 2026-01-05 09:00 in Beijing, so dates in drafts are the same each
/// time.
const EVAL_CLOCK_MS: i64 = 1_767_574_800_000;

/// The length of a draft's body, in characters, that counts as within bounds unless the case
/// says otherwise.
const DEFAULT_LENGTH: [usize; 2] = [60, 2500];

/// Reads `--only` words into dimensions.
pub fn parse_dimensions(words: &str) -> Result<Vec<Dimension>> {
    words
        .split([',', '，', ' '])
        .filter(|w| !w.trim().is_empty())
        .map(|w| {
            Dimension::parse(w)
                .ok_or_else(|| AppError::of(ErrorCode::InvalidInput, msg::unknown_dimension(w)))
        })
        .collect()
}

/// This machine, as a report names it.
fn machine() -> MachineInfo {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, name)| name.trim().to_string())
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let memory_bytes = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024);
    MachineInfo {
        cpu,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory_bytes,
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
    }
}

/// The mean of `values`, 0 for none.
fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// A dimension's score from its cases: the mean case score, with each figure summed or
/// averaged as suits it (shares and rates averaged, counts summed).
fn dimension_score(
    dimension: Dimension,
    cases: &[CaseResult],
    extra: Vec<Figure>,
) -> DimensionScore {
    let mine: Vec<&CaseResult> = cases.iter().filter(|c| c.dimension == dimension).collect();
    let mut names: Vec<&str> = Vec::new();
    for c in &mine {
        for f in &c.figures {
            if !names.contains(&f.name.as_str()) {
                names.push(&f.name);
            }
        }
    }
    let averaged = |name: &str| {
        name.ends_with("share")
            || name.ends_with("_ok")
            || name.starts_with("recall")
            || name.starts_with("nothing")
            || name.contains("precision")
            || name == "seconds"
            || name == "rouge_l"
    };
    let mut figures: Vec<Figure> = names
        .into_iter()
        .map(|name| {
            let values = mine
                .iter()
                .filter_map(|c| c.figures.iter().find(|f| f.name == name).map(|f| f.value));
            if averaged(name) {
                Figure::new(name, mean(values))
            } else {
                Figure::new(name, values.sum())
            }
        })
        .collect();
    figures.extend(extra);
    DimensionScore {
        dimension,
        score: if mine.is_empty() && !figures.is_empty() {
            figures
                .iter()
                .find(|f| f.name == "score")
                .map_or(0.0, |f| f.value)
        } else {
            mean(mine.iter().map(|c| c.score))
        },
        figures,
        cases: mine.len(),
        passed: mine.iter().filter(|c| c.passed).count(),
    }
}

impl Wenshu {
    /// Runs a suite against models and keeps the results.
    pub fn eval(
        &self,
        options: &EvalOptions,
        cancel: &CancelFlag,
        on_progress: &mut dyn FnMut(EvalProgress<'_>),
    ) -> Result<EvalReport> {
        let timer = Instant::now();
        let suite = match &options.suite {
            Some(dir) => Suite::from_dir(dir)?,
            None => Suite::builtin()?,
        };
        let dimensions: Vec<Dimension> = if options.only.is_empty() {
            Dimension::ALL.to_vec()
        } else {
            Dimension::ALL
                .into_iter()
                .filter(|d| options.only.contains(d))
                .collect()
        };
        let models: Vec<ModelRecord> = if options.models.is_empty() {
            vec![self.active_model()?]
        } else {
            options
                .models
                .iter()
                .map(|name| self.find_model(name))
                .collect::<Result<_>>()?
        };
        let per_model = dimensions
            .iter()
            .map(|d| match d {
                Dimension::Drafting => suite.drafting.len(),
                Dimension::Retrieval => suite.queries.len(),
                Dimension::Answers => suite.queries.iter().filter(|q| q.answer).count(),
                Dimension::Instructions => suite.instructions.len(),
                Dimension::Minutes => suite.transcripts.len(),
                Dimension::Summaries => suite.long_documents.len(),
                Dimension::Speed => 1,
            })
            .sum::<usize>();
        let total = per_model * models.len();
        let mut done = 0;
        let started_ms = self.now();
        let mut results = Vec::new();
        for model in &models {
            let scratch = self.home().data_dir.join("eval").join(format!(
                "run-{}-{}",
                std::process::id(),
                results.len()
            ));
            let result =
                self.eval_model(&suite, &dimensions, model, &scratch, cancel, &mut |label| {
                    done += 1;
                    on_progress(EvalProgress { done, total, label });
                });
            let _ = std::fs::remove_dir_all(&scratch);
            results.push(result?);
        }
        let mut report = EvalReport {
            id: 0,
            started_ms,
            wenshu_version: env!("CARGO_PKG_VERSION").to_string(),
            machine: machine(),
            suite: SuiteInfo {
                name: suite.header.name.clone(),
                version: suite.header.version.clone(),
                source: suite.source.clone(),
                sha256: suite.sha256.clone(),
                drafting_cases: suite.drafting.len(),
                queries: suite.queries.len(),
                instruction_cases: suite.instructions.len(),
                transcripts: suite.transcripts.len(),
                long_documents: suite.long_documents.len(),
            },
            dimensions,
            models: results,
            seconds: timer.elapsed().as_secs_f64(),
            html: None,
        };
        let mut run_id = None;
        for m in &report.models {
            let json = serde_json::to_string(m).unwrap_or_default();
            run_id = Some(self.store().add_eval_result(
                run_id,
                started_ms,
                &report.suite.sha256,
                &m.model,
                &m.sha256,
                &json,
            )?);
        }
        report.id = run_id.unwrap_or(0);
        if let Some(path) = &options.html {
            std::fs::write(path, html::render(&report))
                .map_err(|err| AppError::io_of(msg::cannot_write_report(path.display()), &err))?;
            report.html = Some(path.display().to_string());
        }
        Ok(report)
    }

    /// Past evaluation results, newest first.
    pub fn eval_history(&self, limit: usize) -> Result<Vec<EvalRunInfo>> {
        Ok(self
            .store()
            .eval_results(limit)?
            .into_iter()
            .map(|r| EvalRunInfo {
                id: r.run_id,
                started_ms: r.started_at_ms,
                suite_sha256: r.suite_sha256,
                model: r.model,
                model_sha256: r.model_sha256,
                dimensions: serde_json::from_str::<ModelEval>(&r.report_json)
                    .map(|m| m.dimensions)
                    .unwrap_or_default(),
            })
            .collect())
    }

    /// One model's run of `suite`, in its own scratch home.
    fn eval_model(
        &self,
        suite: &Suite,
        dimensions: &[Dimension],
        model: &ModelRecord,
        scratch: &Path,
        cancel: &CancelFlag,
        step: &mut dyn FnMut(&str),
    ) -> Result<ModelEval> {
        let timer = Instant::now();
        let _ = std::fs::remove_dir_all(scratch);
        let home = Home::at(scratch);
        if let Some(dir) = home.config_file.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|err| AppError::io_of(msg::suite_unreadable(dir.display()), &err))?;
        }
        if self.home().config_file.exists() {
            let _ = std::fs::copy(&self.home().config_file, &home.config_file);
        }
        // Greedy decoding and a fixed seed: the same suite gives the same outputs.
        let mut env = self.env.clone();
        env.retain(|(k, _)| {
            k != "WENSHU_GENERATION__TEMPERATURE" && k != "WENSHU_DRAFT__TEMPERATURE"
        });
        env.push(("WENSHU_GENERATION__TEMPERATURE".into(), "0".into()));
        env.push(("WENSHU_DRAFT__TEMPERATURE".into(), "0".into()));
        env.push(("WENSHU_GENERATION__SEED".into(), "42".into()));
        if let Some(tokens) = suite.header.piece_tokens {
            env.retain(|(k, _)| k != "WENSHU_LONG__PIECE_TOKENS");
            env.push(("WENSHU_LONG__PIECE_TOKENS".into(), tokens.to_string()));
        }
        let runner = Wenshu::open(home, &env)?.with_clock(Arc::new(|| EVAL_CLOCK_MS));
        if model.is_remote() {
            let spec = crate::remote::ServerSpec::of(model)?;
            runner.add_server(&crate::remote::AddServer {
                name: model.name.clone(),
                urls: spec.urls,
                model_id: spec.model_id,
                ca: spec.ca.map(std::path::PathBuf::from),
                key_file: spec.key_file.map(std::path::PathBuf::from),
            })?;
        } else {
            runner.import_model(
                Path::new(&model.path),
                Some(&model.name),
                ImportMode::Symlink,
            )?;
        }
        let label = |d: Dimension, id: &str| msg::step_case(&model.name, d.name_zh(), id).text;
        let mut cases: Vec<CaseResult> = Vec::new();
        let mut extra: Vec<(Dimension, Vec<Figure>)> = Vec::new();
        for &dimension in dimensions {
            match dimension {
                Dimension::Drafting => {
                    let today = Date::from_unix_ms(EVAL_CLOCK_MS, 8 * 60);
                    for (case, doc_type) in &suite.drafting {
                        step(&label(dimension, &case.id));
                        let request = case.request(*doc_type);
                        let started = Instant::now();
                        let draft = runner.draft(&request, cancel, &mut |_| {})?;
                        let given = crate::draft::given_text(&request, today);
                        let m = measure_draft(
                            &draft,
                            &case.facts,
                            &given,
                            case.length.unwrap_or(DEFAULT_LENGTH),
                            started.elapsed().as_secs_f64(),
                        );
                        cases.push(draft_result(&case.id, &m, &draft.text));
                    }
                }
                Dimension::Retrieval | Dimension::Answers => {
                    if !runner.home().data_dir.join("eval-docs").exists() {
                        runner.eval_index(suite, cancel)?;
                    }
                    for query in &suite.queries {
                        if dimension == Dimension::Answers && !query.answer {
                            continue;
                        }
                        step(&label(dimension, &query.id));
                        let expect = query.expect.get_ref();
                        if dimension == Dimension::Retrieval {
                            let hits = runner.kb_search(&query.query, 20)?;
                            let mut ranked: Vec<String> = Vec::new();
                            for h in &hits {
                                let name = file_name(&h.doc);
                                if !ranked.contains(&name) {
                                    ranked.push(name);
                                }
                            }
                            let found = hits
                                .iter()
                                .any(|h| crate::kb::relevant(&query.query, &h.text));
                            cases.push(retrieval_result(&query.id, expect, &ranked, found));
                        } else {
                            let options = AskOptions {
                                temperature: Some(0.0),
                                seed: Some(42),
                                app: "eval.answers".into(),
                                ..AskOptions::default()
                            };
                            let answer =
                                runner.ask_kb(&query.query, &options, cancel, &mut |_| {})?;
                            let cited: Vec<String> = answer
                                .cited
                                .iter()
                                .filter_map(|n| answer.passages.iter().find(|p| p.n == *n))
                                .map(|p| file_name(&p.doc))
                                .collect();
                            cases.push(answer_result(
                                &query.id,
                                expect,
                                answer.found,
                                &cited,
                                &answer.text,
                            ));
                        }
                    }
                }
                Dimension::Instructions => {
                    for case in &suite.instructions {
                        step(&label(dimension, &case.id));
                        let options = AskOptions {
                            temperature: Some(0.0),
                            seed: Some(42),
                            max_tokens: Some(512),
                            app: "eval.instructions".into(),
                            ..AskOptions::default()
                        };
                        let answer = runner.ask(&case.prompt, &options, cancel, &mut |_| {})?;
                        cases.push(instruction_result(&case.id, &answer.text, &case.checks));
                    }
                }
                Dimension::Minutes => {
                    for case in &suite.transcripts {
                        step(&label(dimension, &case.id));
                        let path = runner.eval_file(case.name.get_ref(), &case.text)?;
                        let request = MinutesRequest {
                            files: vec![path.display().to_string()],
                            ..MinutesRequest::default()
                        };
                        let started = Instant::now();
                        let minutes = runner.minutes(&request, cancel, &mut |_| {})?;
                        cases.push(minutes_result(
                            &case.id,
                            &minutes,
                            &case.decisions,
                            &case.facts,
                            &case.reference,
                            &case.text,
                            started.elapsed().as_secs_f64(),
                        ));
                    }
                }
                Dimension::Summaries => {
                    for case in &suite.long_documents {
                        step(&label(dimension, &case.id));
                        let path = runner.eval_file(case.name.get_ref(), &case.text)?;
                        let files = vec![path.display().to_string()];
                        let lines = crate::summary::source_paragraphs(&files)?;
                        let given: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
                        let request = SummaryRequest {
                            files,
                            ..SummaryRequest::default()
                        };
                        let started = Instant::now();
                        let summary = runner.summarize(&request, cancel, &mut |_| {})?;
                        cases.push(summary_result(
                            &case.id,
                            &summary,
                            &lines,
                            &case.facts,
                            &case.reference,
                            &given.join("\n"),
                            started.elapsed().as_secs_f64(),
                        ));
                    }
                }
                Dimension::Speed => {
                    step(&label(dimension, "bench"));
                    extra.push((dimension, runner.eval_speed(cancel)?));
                }
            }
        }
        let dimensions = dimensions
            .iter()
            .map(|&d| {
                let figures = extra
                    .iter()
                    .find(|(x, _)| *x == d)
                    .map(|(_, f)| f.clone())
                    .unwrap_or_default();
                dimension_score(d, &cases, figures)
            })
            .collect();
        Ok(ModelEval {
            model: model.name.clone(),
            sha256: model.sha256.clone(),
            dimensions,
            cases,
            seconds: timer.elapsed().as_secs_f64(),
        })
    }

    /// A transcript or long document of the suite, written out under its name in this (scratch)
    /// home, for the minutes and summaries to read as a user's file.
    fn eval_file(&self, name: &str, text: &str) -> Result<PathBuf> {
        let dir = self.home().data_dir.join("eval-files");
        let path = dir.join(name);
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, text.trim_start()))
            .map_err(|err| AppError::io_of(msg::cannot_write_case(path.display()), &err))?;
        Ok(path)
    }

    /// The suite's documents, written out and added to this (scratch) home's index.
    fn eval_index(&self, suite: &Suite, cancel: &CancelFlag) -> Result<()> {
        let dir = self.home().data_dir.join("eval-docs");
        std::fs::create_dir_all(&dir)
            .map_err(|err| AppError::io_of(msg::suite_unreadable(dir.display()), &err))?;
        let mut paths = Vec::new();
        for doc in &suite.documents {
            let path = dir.join(&doc.name);
            std::fs::write(&path, &doc.text)
                .map_err(|err| AppError::io_of(msg::suite_unreadable(path.display()), &err))?;
            paths.push(path);
        }
        self.kb_add(&paths, None, cancel, &mut |_| {})?;
        Ok(())
    }

    /// Speed and memory: prompt and generation tokens per second (llama-bench's way, medians of
    /// three), first-token latency of a short real prompt, and peak resident memory. The score
    /// is the mean of generation speed against 20 tokens/s and first-token latency against
    /// 1 s, each capped at 1.
    fn eval_speed(&self, cancel: &CancelFlag) -> Result<Vec<Figure>> {
        let threads = self.settings().model.effective_threads();
        let bench = self.bench(threads, 256, 64, 3)?;
        let options = AskOptions {
            temperature: Some(0.0),
            seed: Some(42),
            max_tokens: Some(8),
            app: "eval.speed".into(),
            ..AskOptions::default()
        };
        let started = Instant::now();
        let mut first: Option<f64> = None;
        self.ask(
            "请用一句话介绍公文的作用。",
            &options,
            cancel,
            &mut |_| {
                first.get_or_insert_with(|| started.elapsed().as_secs_f64());
            },
        )?;
        let first = first.unwrap_or_else(|| started.elapsed().as_secs_f64());
        let score =
            ((bench.tg_tokens_per_s / 20.0).min(1.0) + (1.0 / first.max(1e-3)).min(1.0)) / 2.0;
        Ok(vec![
            Figure::new("score", score),
            Figure::new("prompt_tokens_per_second", bench.pp_tokens_per_s),
            Figure::new("generation_tokens_per_second", bench.tg_tokens_per_s),
            Figure::new("first_token_seconds", first),
            Figure::new(
                "peak_rss_bytes",
                bench
                    .peak_rss_bytes
                    .or_else(crate::models::peak_rss_bytes)
                    .unwrap_or(0) as f64,
            ),
            Figure::new("threads", threads as f64),
        ])
    }
}

/// The file name of a document path.
fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}
