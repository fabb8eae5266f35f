//! The knowledge base against its baseline, SQLite FTS5 with the trigram tokenizer, over the same
//! chunks, in one run: recall@1 and recall@5 on the test set in `tests/kb`, ingestion speed and
//! query latency (p50/p99, snippets included) at 100,000 chunks, and PDF text extraction against
//! poppler's `pdftotext` on the same files (when LibreOffice is there to make them).
//!
//! `cargo run --release -p wenshu-kb --example kb_bench [-- tests/kb [CHUNKS]]`

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use wenshu_kb::clean::clean;
use wenshu_kb::{Chunk, ChunkSize, DocumentMeta, KbIndex, Paragraph, chunk};

type Error = Box<dyn std::error::Error>;

struct Query {
    text: String,
    file: String,
    phrase: String,
}

struct Doc {
    file: String,
    title: String,
    chunks: Vec<Chunk>,
}

fn load(dir: &Path) -> Result<(Vec<Doc>, Vec<Query>), Error> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("corpus"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut docs = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path)?;
        let paragraphs: Vec<Paragraph> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| Paragraph {
                text: l.trim().to_string(),
                page: None,
            })
            .collect();
        docs.push(Doc {
            file: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            title: paragraphs
                .first()
                .map(|p| p.text.clone())
                .unwrap_or_default(),
            chunks: chunk(&paragraphs, ChunkSize::default()),
        });
    }
    let queries = std::fs::read_to_string(dir.join("queries.tsv"))?
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut parts = l.split('\t');
            Some(Query {
                text: parts.next()?.to_string(),
                file: parts.next()?.to_string(),
                phrase: parts.next()?.to_string(),
            })
        })
        .collect();
    Ok((docs, queries))
}

/// The FTS5 baseline: one row per chunk, the same cleaned text tantivy indexes.
struct Fts {
    conn: Connection,
}

impl Fts {
    fn new() -> Result<Self, Error> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE VIRTUAL TABLE chunks USING fts5(body, doc UNINDEXED, text UNINDEXED, tokenize = 'trigram');",
        )?;
        Ok(Self { conn })
    }

    fn add(&mut self, doc: &str, title: &str, chunks: &[Chunk]) -> Result<(), Error> {
        let tx = self.conn.transaction()?;
        {
            let mut insert =
                tx.prepare_cached("INSERT INTO chunks (body, doc, text) VALUES (?1, ?2, ?3)")?;
            for c in chunks {
                insert.execute((format!("{} {}", clean(title), clean(&c.text)), doc, &c.text))?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The best `limit` chunks: trigram MATCH for terms of three characters or more (all must
    /// match), LIKE for shorter ones, which the trigram index cannot answer; with a snippet.
    fn search(&self, query: &str, limit: usize) -> Result<Vec<(String, String)>, Error> {
        let cleaned = clean(query);
        let terms: Vec<&str> = cleaned.split_whitespace().collect();
        let long: Vec<String> = terms
            .iter()
            .filter(|t| t.chars().count() >= 3)
            .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
            .collect();
        let short: Vec<&str> = terms
            .iter()
            .copied()
            .filter(|t| t.chars().count() < 3)
            .collect();
        let mut sql = String::from(
            "SELECT doc, text, snippet(chunks, 0, '<b>', '</b>', '…', 16) FROM chunks WHERE 1",
        );
        let mut params: Vec<String> = Vec::new();
        if !long.is_empty() {
            sql.push_str(" AND chunks MATCH ?");
            params.push(long.join(" AND "));
        }
        for t in &short {
            sql.push_str(" AND body LIKE ?");
            params.push(format!("%{t}%"));
        }
        sql.push_str(&format!(" ORDER BY rank LIMIT {limit}"));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        Ok(rows
            .filter_map(Result::ok)
            .map(|(doc, text, _snippet)| (doc, text))
            .collect())
    }
}

fn recall(
    queries: &[Query],
    search: &mut dyn FnMut(&str) -> Vec<(String, String)>,
) -> (f64, f64, Vec<String>) {
    let (mut at1, mut at5) = (0, 0);
    let mut missed = Vec::new();
    for q in queries {
        let hits = search(&q.text);
        let found = |h: &(String, String)| h.0 == q.file && h.1.contains(&q.phrase);
        if hits.first().is_some_and(found) {
            at1 += 1;
        }
        if hits.iter().take(5).any(found) {
            at5 += 1;
        } else {
            missed.push(q.text.clone());
        }
    }
    let n = queries.len().max(1) as f64;
    (f64::from(at1) / n, f64::from(at5) / n, missed)
}

fn percentile(times: &mut [Duration], p: f64) -> f64 {
    times.sort();
    let i = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[i].as_secs_f64() * 1000.0
}

/// Deterministic chunks made of the corpus's sentences, for the scale test.
fn synthetic(docs: &[Doc], count: usize) -> Vec<Vec<Chunk>> {
    let sentences: Vec<String> = docs
        .iter()
        .flat_map(|d| d.chunks.iter())
        .flat_map(|c| {
            wenshu_kb::chunk::sentences(&c.text)
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|s| s.chars().count() > 8)
        .collect();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let per_doc = 100;
    (0..count.div_ceil(per_doc))
        .map(|d| {
            (0..per_doc)
                .map(|i| {
                    let n = 4 + (next() % 5) as usize;
                    let text: String = (0..n)
                        .map(|_| sentences[(next() % sentences.len() as u64) as usize].as_str())
                        .collect();
                    let len = text.chars().count();
                    Chunk {
                        ordinal: i as u32,
                        page: None,
                        heading_path: vec![format!("第{d}号文件")],
                        start: 0,
                        end: len,
                        text,
                    }
                })
                .collect()
        })
        .collect()
}

fn pdf_comparison(docs_dir: &Path) -> Result<Option<(f64, f64, usize)>, Error> {
    let work = std::env::temp_dir().join(format!("wenshu-kb-bench-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(docs_dir.join("corpus"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    inputs.sort();
    let made = Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&work)
        .args(&inputs)
        .output();
    if !made.is_ok_and(|o| o.status.success()) {
        let _ = std::fs::remove_dir_all(&work);
        return Ok(None);
    }
    let pdfs: Vec<Vec<u8>> = std::fs::read_dir(&work)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .map(std::fs::read)
        .collect::<Result<_, _>>()?;
    let rounds = 5;
    let started = Instant::now();
    let mut ours = 0usize;
    for _ in 0..rounds {
        for pdf in &pdfs {
            ours += wenshu_docs::pdf_paragraphs(pdf)?
                .iter()
                .map(|p| p.text.len())
                .sum::<usize>();
        }
    }
    let ours_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut theirs = 0usize;
    for _ in 0..rounds {
        for entry in std::fs::read_dir(&work)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "pdf") {
                let out = Command::new("pdftotext").arg(&path).arg("-").output()?;
                theirs += out.stdout.len();
            }
        }
    }
    let theirs_s = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&work);
    Ok(Some((
        ours as f64 / ours_s / 1e6,
        theirs as f64 / theirs_s / 1e6,
        pdfs.len(),
    )))
}

fn main() -> Result<(), Error> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "tests/kb".into()));
    let scale: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let (docs, queries) = load(&dir)?;
    let temp = std::env::temp_dir().join(format!("wenshu-kb-bench-{}", std::process::id()));

    // Recall on the test set, both engines over the same chunks.
    let mut index = KbIndex::open(&temp.join("small"))?;
    let mut fts = Fts::new()?;
    for d in &docs {
        let meta = DocumentMeta {
            doc_id: d.file.clone(),
            title: d.title.clone(),
            source: d.file.clone(),
            pack: "bench".into(),
            level: "公开".into(),
        };
        index.replace(&meta, &d.chunks)?;
        fts.add(&d.file, &d.title, &d.chunks)?;
    }
    index.commit()?;
    let (t1, t5, t_missed) = recall(&queries, &mut |q| {
        index
            .search(q, 5)
            .map(|hits| hits.into_iter().map(|h| (h.source, h.text)).collect())
            .unwrap_or_default()
    });
    let (f1, f5, f_missed) = recall(&queries, &mut |q| fts.search(q, 5).unwrap_or_default());
    println!(
        "{{\"test_set\": {{\"queries\": {}, \"documents\": {}, \"chunks\": {}}}, \"wenshu\": {{\"recall_at_1\": {t1:.3}, \"recall_at_5\": {t5:.3}, \"missed\": {:?}}}, \"fts5_trigram\": {{\"recall_at_1\": {f1:.3}, \"recall_at_5\": {f5:.3}, \"missed\": {:?}}}}}",
        queries.len(),
        docs.len(),
        docs.iter().map(|d| d.chunks.len()).sum::<usize>(),
        t_missed,
        f_missed
    );
    drop(index);

    // Ingestion and latency at scale.
    let big = synthetic(&docs, scale);
    let bytes: usize = big.iter().flatten().map(|c| c.text.len()).sum();
    let mut index = KbIndex::open(&temp.join("big"))?;
    let started = Instant::now();
    for (i, chunks) in big.iter().enumerate() {
        let meta = DocumentMeta {
            doc_id: format!("d{i}"),
            title: format!("第{i}号文件"),
            source: format!("d{i}.txt"),
            pack: "bench".into(),
            level: "公开".into(),
        };
        index.replace(&meta, chunks)?;
    }
    index.commit()?;
    let ours_ingest = started.elapsed().as_secs_f64();
    let mut fts = Fts::new()?;
    let started = Instant::now();
    for (i, chunks) in big.iter().enumerate() {
        fts.add(&format!("d{i}.txt"), &format!("第{i}号文件"), chunks)?;
    }
    let fts_ingest = started.elapsed().as_secs_f64();
    let rounds = 10;
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..rounds {
        for q in &queries {
            let started = Instant::now();
            let _ = index.search(&q.text, 5)?;
            ours.push(started.elapsed());
            let started = Instant::now();
            let _ = fts.search(&q.text, 5)?;
            theirs.push(started.elapsed());
        }
    }
    println!(
        "{{\"chunks\": {}, \"text_mb\": {:.1}, \"wenshu\": {{\"ingest_mb_s\": {:.2}, \"query_p50_ms\": {:.2}, \"query_p99_ms\": {:.2}}}, \"fts5_trigram\": {{\"ingest_mb_s\": {:.2}, \"query_p50_ms\": {:.2}, \"query_p99_ms\": {:.2}}}}}",
        index.chunk_count(),
        bytes as f64 / 1e6,
        bytes as f64 / ours_ingest / 1e6,
        percentile(&mut ours, 0.5),
        percentile(&mut ours, 0.99),
        bytes as f64 / fts_ingest / 1e6,
        percentile(&mut theirs, 0.5),
        percentile(&mut theirs, 0.99),
    );
    drop(index);
    let _ = std::fs::remove_dir_all(&temp);

    match pdf_comparison(&dir)? {
        Some((ours, theirs, files)) => println!(
            "{{\"pdf_files\": {files}, \"wenshu_pdf_mb_s\": {ours:.2}, \"pdftotext_mb_s\": {theirs:.2}}}"
        ),
        None => {
            println!("{{\"pdf\": \"skipped: LibreOffice (soffice) is needed to make the PDFs\"}}")
        }
    }
    Ok(())
}
