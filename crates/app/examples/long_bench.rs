//! Minutes and summaries of inputs beyond the context, measured by driving the `wenshu` binary
//! (one process per run, so each peak memory is its own) in a throw-away home:
//! - seconds per 1,000 input tokens, for minutes (a 20,000-token meeting) and for summaries (a
//!   PDF of 105 pages), with and without reuse of the prompt start the steps share;
//! - peak memory at 20,000 and at 100,000 input tokens;
//! - quality against the single pass that peers make (the transcript cut to the context window,
//!   one question for the minutes): the share of known decisions (owner and deadline both) and
//!   of their facts (owners, deadlines) that each keeps.
//!
//! `cargo run --release -p wenshu-app --example long_bench -- MODEL.gguf WENSHU [OUT.json] [reuse]`
//! (`reuse`: only the runs with and without prompt reuse, alternating.)

#[path = "../../../tests/support/meeting.rs"]
mod meeting;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};
use wenshu_core::pieces::estimate_tokens;

/// The decisions of `tests/minutes/five-decisions.txt`.
const FIVE: [(&str, &str); 5] = [
    ("信息中心", "6月30日前"),
    ("政务服务处", "4月15日前"),
    ("安全管理处", "5月31日前"),
    ("办公室", "3月20日前"),
    ("陈静", "年底前"),
];

/// Tokens of transcript the single pass keeps: what a 4,096-token window leaves beside the
/// question and a 1,024-token answer.
const SINGLE_PASS_TOKENS: usize = 2_800;

struct Bench {
    bin: PathBuf,
    home: PathBuf,
}

impl Bench {
    /// Runs `wenshu --json ARGS` with `env`, returning its JSON and its wall time.
    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> (Value, f64) {
        let started = Instant::now();
        let out = Command::new(&self.bin)
            .env("WENSHU_HOME", &self.home)
            .env("WENSHU_GENERATION__TEMPERATURE", "0")
            .envs(env.iter().copied())
            .arg("--json")
            .args(args)
            .output()
            .expect("wenshu runs");
        let seconds = started.elapsed().as_secs_f64();
        assert!(
            out.status.success(),
            "wenshu {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            serde_json::from_slice(&out.stdout).expect("one JSON document"),
            seconds,
        )
    }
}

/// Decisions kept (owner and deadline both in one decision) and facts kept (each owner and
/// deadline anywhere), as shares.
fn ours(minutes: &Value, known: &[(String, String)]) -> (f64, f64) {
    let decisions = minutes["decisions"].as_array().cloned().unwrap_or_default();
    let kept = known
        .iter()
        .filter(|(owner, deadline)| {
            decisions.iter().any(|d| {
                d["owner"]["text"].as_str() == Some(owner.as_str())
                    && d["deadline"]["text"]
                        .as_str()
                        .is_some_and(|t| t.contains(deadline.trim_end_matches('前')))
            })
        })
        .count();
    let text = minutes["markdown"].as_str().unwrap_or("");
    (share(kept, known.len()), facts(text, known))
}

/// The same for a single answer's text: a decision is kept when one line of it names both.
fn single(answer: &str, known: &[(String, String)]) -> (f64, f64) {
    let kept = known
        .iter()
        .filter(|(owner, deadline)| {
            answer
                .lines()
                .any(|l| l.contains(owner.as_str()) && l.contains(deadline.trim_end_matches('前')))
        })
        .count();
    (share(kept, known.len()), facts(answer, known))
}

fn facts(text: &str, known: &[(String, String)]) -> f64 {
    let found = known
        .iter()
        .map(|(o, d)| {
            usize::from(text.contains(o.as_str()))
                + usize::from(text.contains(d.trim_end_matches('前')))
        })
        .sum::<usize>();
    share(found, known.len() * 2)
}

fn share(n: usize, of: usize) -> f64 {
    if of == 0 { 1.0 } else { n as f64 / of as f64 }
}

/// The start of `text` that fits `tokens` (by an estimate that errs high), whole lines only.
fn truncate(text: &str, tokens: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if estimate_tokens(&out) + estimate_tokens(line) > tokens {
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn per_thousand(stats: &Value) -> f64 {
    let ms = stats["milliseconds"].as_f64().unwrap_or(0.0);
    let tokens = stats["input_tokens"].as_f64().unwrap_or(1.0).max(1.0);
    ms / tokens
}

fn mib(stats: &Value) -> f64 {
    stats["peak_rss_bytes"].as_f64().unwrap_or(0.0) / f64::from(1 << 20)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let model = PathBuf::from(args.next().expect("MODEL.gguf"));
    let bin = PathBuf::from(args.next().expect("the wenshu binary"));
    let out_file = args.next().map(PathBuf::from);
    // `reuse`: only the runs with and without prompt reuse, alternating, `LONG_BENCH_ROUNDS`
    // times (default once), so that a slow moment of the machine does not fall on one side.
    let reuse_only = args.next().as_deref() == Some("reuse");
    let dir = tempfile::tempdir().expect("temp dir");
    let bench = Bench {
        bin,
        home: dir.path().join("home"),
    };
    bench.run(
        &[
            "model",
            "import",
            "--link",
            "--name",
            "bench",
            &model.display().to_string(),
        ],
        &[],
    );
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path.display().to_string()
    };
    // About 52 tokens a line with Qwen's tokenizer (900 lines made 46,797): 20k and 100k tokens.
    let (m20, planted20) = meeting::meeting(400, 40);
    let (m100, planted100) = meeting::meeting(1_950, 150);
    let known = |planted: &[meeting::Planted]| -> Vec<(String, String)> {
        planted
            .iter()
            .map(|p| (p.owner.to_string(), p.deadline.clone()))
            .collect()
    };
    let five_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/minutes/five-decisions.txt");
    let five = std::fs::read_to_string(&five_path).expect("fixture");
    let five_known: Vec<(String, String)> = FIVE
        .iter()
        .map(|(o, d)| (o.to_string(), d.to_string()))
        .collect();
    let f20 = write("meeting-20k.txt", &m20);
    let f100 = write("meeting-100k.txt", &m100);
    let pdf = meeting::hundred_page_pdf(dir.path()).display().to_string();
    let no_reuse = [("WENSHU_MODEL__REUSE_PROMPT", "false")];

    let mut rows = Vec::new();
    let mut measure = |label: &str, args: &[&str], env: &[(&str, &str)]| -> Value {
        let (value, wall) = bench.run(args, env);
        let stats = value["stats"].clone();
        eprintln!(
            "long_bench: {label}: {} tokens, {} pieces, {:.2} s per 1,000 tokens, peak {:.0} MiB ({wall:.0} s)",
            stats["input_tokens"],
            stats["pieces"],
            per_thousand(&stats),
            mib(&stats)
        );
        rows.push(json!({
            "run": label,
            "input_tokens": stats["input_tokens"],
            "pieces": stats["pieces"],
            "levels": stats["levels"],
            "seconds_per_1000_tokens": per_thousand(&stats),
            "reused_tokens": stats["reused_tokens"],
            "prompt_tokens": stats["prompt_tokens"],
            "peak_rss_mib": mib(&stats),
            "wall_seconds": wall,
        }));
        value
    };
    if reuse_only {
        let rounds: u32 = std::env::var("LONG_BENCH_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(1);
        for round in 1..=rounds {
            measure(
                &format!("minutes, 20k tokens, round {round}"),
                &["minutes", &f20],
                &[],
            );
            measure(
                &format!("minutes, 20k tokens, no prompt reuse, round {round}"),
                &["minutes", &f20],
                &no_reuse,
            );
            measure(
                &format!("summary, 105-page PDF, round {round}"),
                &["summarize", &pdf],
                &[],
            );
            measure(
                &format!("summary, 105-page PDF, no prompt reuse, round {round}"),
                &["summarize", &pdf],
                &no_reuse,
            );
        }
        let report = json!({"model": model.display().to_string(), "runs": rows});
        let text = serde_json::to_string_pretty(&report).expect("JSON");
        if let Some(path) = out_file {
            std::fs::write(&path, &text).expect("write the report");
        }
        println!("{text}");
        return;
    }
    let minutes20 = measure("minutes, 20k tokens", &["minutes", &f20], &[]);
    measure(
        "minutes, 20k tokens, no prompt reuse",
        &["minutes", &f20],
        &no_reuse,
    );
    let minutes100 = measure("minutes, 100k tokens", &["minutes", &f100], &[]);
    measure("summary, 105-page PDF", &["summarize", &pdf], &[]);
    measure(
        "summary, 105-page PDF, no prompt reuse",
        &["summarize", &pdf],
        &no_reuse,
    );
    let minutes5 = bench
        .run(&["minutes", &five_path.display().to_string()], &[])
        .0;

    // The single pass: the transcript cut to the window, one question.
    let mut quality = Vec::new();
    for (label, text, ours_json, known) in [
        (
            "five decisions (535 tokens)",
            five.as_str(),
            &minutes5,
            five_known,
        ),
        (
            "20k-token meeting",
            m20.as_str(),
            &minutes20,
            known(&planted20),
        ),
        (
            "100k-token meeting",
            m100.as_str(),
            &minutes100,
            known(&planted100),
        ),
    ] {
        let question = format!(
            "请根据下面的会议记录整理会议纪要，逐条列出议定事项，每条写明责任单位（责任人）和完成时限。\n\n{}",
            truncate(text, SINGLE_PASS_TOKENS)
        );
        let qfile = write("question.txt", &question);
        let (answer, wall) = bench.run(&["ask", "-f", &qfile, "--max-tokens", "1024"], &[]);
        let answer = answer["text"].as_str().unwrap_or("").to_string();
        let (d_ours, f_ours) = ours(ours_json, &known);
        let (d_single, f_single) = single(&answer, &known);
        eprintln!(
            "long_bench: {label}: decisions kept {d_ours:.2} (pieces) / {d_single:.2} (single pass), facts kept {f_ours:.2} / {f_single:.2} ({wall:.0} s)"
        );
        quality.push(json!({
            "transcript": label,
            "decisions": known.len(),
            "decisions_kept_pieces": d_ours,
            "decisions_kept_single_pass": d_single,
            "facts_kept_pieces": f_ours,
            "facts_kept_single_pass": f_single,
        }));
    }
    let report = json!({"model": model.display().to_string(), "runs": rows, "quality": quality});
    let text = serde_json::to_string_pretty(&report).expect("JSON");
    if let Some(path) = out_file {
        std::fs::write(&path, &text).expect("write the report");
    }
    println!("{text}");
}
