//! Chinese retrieval on the test set in `tests/kb`: 36 queries in Simplified and Traditional over
//! 12 documents, some of them turned into DOCX and PDF first, each with the passage it must find
//! in the top 5. Prints recall@1 and recall@5; `make bench-kb` compares them with SQLite FTS5.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use wenshu_app::{Cancel, Home, Wenshu};
use wenshu_core::document::{Block, DocType, Document};

fn test_set() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/kb")
}

/// The corpus in `dir`, with three documents as DOCX and two as PDF.
fn corpus_in(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for entry in std::fs::read_dir(test_set().join("corpus")).expect("corpus") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        let text = std::fs::read_to_string(&path).expect("read");
        let stem = name.trim_end_matches(".txt");
        match stem {
            "budget" | "archives" | "trad-health" => {
                let mut lines = text.lines().filter(|l| !l.trim().is_empty());
                let mut doc = Document::new(DocType::Circular, "");
                doc.title = lines.next().expect("title").to_string();
                doc.body = lines.map(|l| Block::Paragraph(l.to_string())).collect();
                let bytes = wenshu_docs::render_docx(&doc).expect("render");
                std::fs::write(dir.join(format!("{stem}.docx")), bytes).expect("write");
            }
            "emergency" | "trad-digital-gov" => {
                std::fs::write(dir.join(&name), &text).expect("write");
                let status = std::process::Command::new("soffice")
                    .args(["--headless", "--convert-to", "pdf", "--outdir"])
                    .arg(dir)
                    .arg(dir.join(&name))
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status()
                    .expect("LibreOffice (soffice) is installed by scripts/setup.sh --test");
                assert!(status.success(), "LibreOffice turns {name} into a PDF");
                std::fs::remove_file(dir.join(&name)).expect("rm");
            }
            _ => std::fs::write(dir.join(&name), &text).expect("write"),
        }
    }
}

#[test]
fn the_test_set_is_found_in_the_top_5() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    corpus_in(&docs);
    let wenshu = Wenshu::open(Home::at(&dir.path().join("home")), &[])
        .expect("opens")
        .with_clock(Arc::new(|| 1_700_000_000_000));
    let report = wenshu
        .kb_add(
            std::slice::from_ref(&docs),
            None,
            &Cancel::new(),
            &mut |_| {},
        )
        .expect("add");
    assert!(report.failed.is_empty(), "{report:#?}");
    assert_eq!(report.added.len(), 12);
    let kinds: Vec<String> = report
        .added
        .iter()
        .filter_map(|p| p.rsplit('.').next().map(str::to_string))
        .collect();
    assert_eq!(kinds.iter().filter(|k| *k == "pdf").count(), 2);
    assert_eq!(kinds.iter().filter(|k| *k == "docx").count(), 3);

    let queries = std::fs::read_to_string(test_set().join("queries.tsv")).expect("queries");
    let rows: Vec<Vec<&str>> = queries
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    assert!(rows.len() >= 30);
    let (mut at1, mut at5) = (0usize, 0usize);
    let mut missed = Vec::new();
    for row in &rows {
        let [query, file, phrase] = row.as_slice() else {
            panic!("bad row {row:?}")
        };
        let stem = file.trim_end_matches(".txt");
        let hits = wenshu.kb_search(query, 5).expect("search");
        let found = |h: &wenshu_app::kb::SearchHit| {
            let name = Path::new(&h.doc)
                .file_stem()
                .map(|s| s.to_string_lossy().to_string());
            name.as_deref() == Some(stem) && h.text.contains(phrase)
        };
        if hits.first().is_some_and(found) {
            at1 += 1;
        }
        if hits.iter().any(found) {
            at5 += 1;
        } else {
            missed.push(*query);
        }
    }
    let n = rows.len() as f64;
    let (r1, r5) = (at1 as f64 / n, at5 as f64 / n);
    eprintln!(
        "retrieval: {} queries, recall@1 {r1:.3}, recall@5 {r5:.3}, missed {missed:?}",
        rows.len()
    );
    assert!(
        r5 >= 0.9,
        "recall@5 {r5:.3}, expected at least 0.9: missed {missed:?}"
    );
    assert!(r1 >= 0.8, "recall@1 {r1:.3}, expected at least 0.8");
}
