//! Governance benchmark (`make bench-governance`), in one run:
//! - the audit log's cost per model call (a `started` and a `finished` entry, hash-chained, on
//!   a database file) against the model call it records (16 tokens with the default model);
//! - `audit verify` on one million entries against `sha256sum` over the database file's bytes;
//! - the 密级 screen (state-secret and data-level markings, and the document properties) on a
//!   100-page PDF, against extracting its text.
//!
//! Usage: governance_bench MODEL.gguf

#[path = "../../../tests/support/meeting.rs"]
mod meeting;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use wenshu_app::{AskOptions, Cancel, Home, ImportMode, Wenshu};
use wenshu_core::{AuditEntry, CallOutcome, EntryKind};
use wenshu_store::Store;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn entry(kind: EntryKind, n: u64) -> AuditEntry {
    AuditEntry {
        model_sha256: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32".into(),
        level: "内部".into(),
        prompt_tokens: 120 + n % 50,
        completion_tokens: 16,
        duration_ms: 900,
        outcome: (kind == EntryKind::Finished).then_some(CallOutcome::Completed),
        prompt_sha256: format!("{:064x}", n),
        output_sha256: format!("{:064x}", n + 1),
        ..AuditEntry::new(
            kind,
            1_796_000_000_000 + i64::try_from(n).unwrap_or(0),
            "zhangsan",
            "3d1219c7c4c5404aaa1f6d2a48adfda4",
            "draft.notice",
        )
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = std::env::args()
        .nth(1)
        .ok_or("usage: governance_bench MODEL.gguf")?;
    let dir = tempfile::tempdir()?;

    // 1. The audit log per model call, against the call.
    let store = Store::open(&dir.path().join("calls.db"))?;
    let mut per_call = Vec::new();
    for n in 0..2000 {
        let t = Instant::now();
        let started = store.append_audit(&entry(EntryKind::Started, n))?;
        let mut finished = entry(EntryKind::Finished, n);
        finished.refers_to = Some(started);
        store.append_audit(&finished)?;
        per_call.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let audit_ms = median(&mut per_call);
    let p99 = {
        per_call.sort_by(f64::total_cmp);
        per_call[per_call.len() * 99 / 100]
    };
    let home = dir.path().join("home");
    let env = vec![("WENSHU_MODEL__THREADS".to_string(), "2".to_string())];
    let wenshu = Wenshu::open(Home::at(&home), &env)?.with_clock(Arc::new(|| 1_796_000_000_000));
    wenshu.import_model(Path::new(&model), Some("default"), ImportMode::Symlink)?;
    let options = AskOptions {
        max_tokens: Some(16),
        temperature: Some(0.0),
        app: "bench".into(),
        ..AskOptions::default()
    };
    wenshu.ask("你好", &options, &Cancel::new(), &mut |_| {})?; // load the model
    let mut calls = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        wenshu.ask(
            "请用一句话说明公文的成文日期怎么写。",
            &options,
            &Cancel::new(),
            &mut |_| {},
        )?;
        calls.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let call_ms = median(&mut calls);
    println!("audit log per model call (started + finished, chained, 2,000 calls, WAL):");
    println!("  median {audit_ms:.3} ms, p99 {p99:.3} ms (target: under 1 ms)");
    println!(
        "  the call it records (16 tokens, default model): median {call_ms:.0} ms, so the log adds {:.4} %",
        audit_ms * 100.0 / call_ms
    );

    // 2. Verifying one million entries, against sha256sum over the database's bytes.
    let path = dir.path().join("million.db");
    let big = Store::open(&path)?;
    let t = Instant::now();
    let batch = 50_000u64;
    for start in (0..1_000_000u64).step_by(batch as usize) {
        let entries: Vec<AuditEntry> = (start..start + batch)
            .map(|n| {
                entry(
                    if n % 2 == 0 {
                        EntryKind::Started
                    } else {
                        EntryKind::Finished
                    },
                    n,
                )
            })
            .collect();
        big.append_audit_many(&entries)?;
    }
    let filled = t.elapsed();
    drop(big);
    let big = Store::open(&path)?;
    let bytes = std::fs::metadata(&path)?.len();
    let mut ours = Vec::new();
    let mut reference = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let report = big.audit_verify()?;
        ours.push(t.elapsed().as_secs_f64());
        assert!(report.bad.is_none() && report.entries >= 1_000_000);
        let t = Instant::now();
        let out = Command::new("sha256sum").arg(&path).output()?;
        reference.push(t.elapsed().as_secs_f64());
        assert!(out.status.success());
    }
    println!(
        "audit verify, 1,000,001 entries ({:.0} MB database, written in {:.1} s):",
        bytes as f64 / 1e6,
        filled.as_secs_f64()
    );
    println!(
        "  wenshu audit verify: median {:.2} s (target: under 5 s)",
        median(&mut ours)
    );
    println!(
        "  sha256sum over the same file: median {:.2} s",
        median(&mut reference)
    );

    // 3. The 密级 screen on a 100-page PDF, against extracting its text.
    let pdf = meeting::hundred_page_pdf(dir.path());
    let pdf_bytes = std::fs::read(&pdf)?;
    let mut extract = Vec::new();
    let mut screen = Vec::new();
    let mut pages = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let (paragraphs, info) = wenshu_docs::pdf_document(&pdf_bytes)?;
        extract.push(t.elapsed().as_secs_f64() * 1000.0);
        pages = paragraphs.iter().filter_map(|p| p.page).max().unwrap_or(0);
        let t = Instant::now();
        let text: Vec<&str> = paragraphs.iter().map(|p| p.text.as_str()).collect();
        let text = text.join("\n");
        let secret = wenshu_core::text::secret_marking_in(&text);
        let level = wenshu_core::text::data_marking_in(&text);
        let properties = wenshu_app::policy::refuse_secret_properties(&info, "policy.pdf");
        screen.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(secret.is_none() && level.is_none() && properties.is_ok());
    }
    println!(
        "密级 screen, a {pages}-page PDF ({} KB):",
        pdf_bytes.len() / 1000
    );
    println!(
        "  screen (state-secret and data-level markings, properties): median {:.2} ms (target: under 50 ms)",
        median(&mut screen)
    );
    println!(
        "  extracting its text (done anyway before the screen): median {:.0} ms",
        median(&mut extract)
    );
    Ok(())
}
