//! The search index (tantivy): one entry per chunk, Chinese-segmented title, heading path and
//! body with BM25 and boosts for title and headings, highlighted snippets. Commits are atomic:
//! a document's old chunks are deleted and its new ones added in the same commit.

use std::path::Path;

use tantivy::collector::TopDocs;
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::chunk::Chunk;
use crate::clean::clean;
use crate::tokenizer::{self, ChineseTokenizer};

/// Why the index failed.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("the search index at {path} cannot be opened: {message}")]
    Open { path: String, message: String },
    #[error("the search index failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// What a document's chunks are indexed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentMeta {
    pub doc_id: String,
    pub title: String,
    /// Where it came from (a path), shown in citations.
    pub source: String,
    pub pack: String,
    /// Classification level (公开, 内部, …).
    pub level: String,
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub doc_id: String,
    pub ordinal: u32,
    pub title: String,
    pub source: String,
    pub pack: String,
    pub level: String,
    pub page: Option<u32>,
    pub heading_path: String,
    /// Character offsets of the chunk in its document's text.
    pub start: u64,
    pub end: u64,
    pub score: f32,
    /// The chunk's original text.
    pub text: String,
    /// The best passage with the query's words in `<b>`…`</b>` (HTML-escaped).
    pub snippet: String,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    doc_id: Field,
    ordinal: Field,
    title: Field,
    heading: Field,
    body: Field,
    text: Field,
    source: Field,
    page: Field,
    pack: Field,
    level: Field,
    start: Field,
    end: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let chinese = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer::NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        doc_id: builder.add_text_field("doc_id", STRING | STORED),
        ordinal: builder.add_u64_field("ordinal", STORED),
        title: builder.add_text_field("title", chinese.clone()),
        heading: builder.add_text_field("heading", chinese.clone()),
        body: builder.add_text_field("body", chinese),
        text: builder.add_text_field("text", STORED),
        source: builder.add_text_field("source", STRING | STORED),
        page: builder.add_u64_field("page", STORED),
        pack: builder.add_text_field("pack", STRING | STORED),
        level: builder.add_text_field("level", STRING | STORED),
        start: builder.add_u64_field("start", STORED),
        end: builder.add_u64_field("end", STORED),
    };
    (builder.build(), fields)
}

/// Boosts: a word in the title or the headings says more about a chunk than one in its body.
const TITLE_BOOST: f32 = 1.2;
const HEADING_BOOST: f32 = 1.2;
/// Writer memory: tantivy's minimum per thread is 15 MB.
const WRITER_BYTES: usize = 64 << 20;

/// The index in a directory.
pub struct KbIndex {
    index: Index,
    reader: IndexReader,
    writer: IndexWriter,
    fields: Fields,
}

impl std::fmt::Debug for KbIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KbIndex").finish_non_exhaustive()
    }
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ChineseTokenizer)
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build()
}

impl KbIndex {
    /// Opens the index in `dir`, creating it on first use. An index written with another
    /// schema (by an older Wenshu) is derived data: it is emptied, and the caller fills it again
    /// from the catalogue.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        let open_error = |message: String| IndexError::Open {
            path: dir.display().to_string(),
            message,
        };
        std::fs::create_dir_all(dir).map_err(|e| open_error(e.to_string()))?;
        let (schema, fields) = schema();
        let directory = MmapDirectory::open(dir).map_err(|e| open_error(e.to_string()))?;
        let index = match Index::open_or_create(directory, schema.clone()) {
            Ok(index) => index,
            Err(tantivy::TantivyError::SchemaError(_)) => {
                std::fs::remove_dir_all(dir).map_err(|e| open_error(e.to_string()))?;
                std::fs::create_dir_all(dir).map_err(|e| open_error(e.to_string()))?;
                let directory = MmapDirectory::open(dir).map_err(|e| open_error(e.to_string()))?;
                Index::create(directory, schema, tantivy::IndexSettings::default())
                    .map_err(|e| open_error(e.to_string()))?
            }
            Err(e) => return Err(open_error(e.to_string())),
        };
        index.tokenizers().register(tokenizer::NAME, analyzer());
        let writer = index
            .writer_with_num_threads(1, WRITER_BYTES)
            .map_err(|e| open_error(e.to_string()))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            writer,
            fields,
        })
    }

    /// Stages the replacement of a document's chunks (nothing is visible until `commit`).
    pub fn replace(&mut self, meta: &DocumentMeta, chunks: &[Chunk]) -> Result<(), IndexError> {
        self.remove(&meta.doc_id);
        let f = self.fields;
        for chunk in chunks {
            let mut doc = TantivyDocument::default();
            doc.add_text(f.doc_id, &meta.doc_id);
            doc.add_u64(f.ordinal, u64::from(chunk.ordinal));
            doc.add_text(f.title, clean(&meta.title));
            doc.add_text(f.heading, clean(&chunk.heading_path.join(" > ")));
            doc.add_text(f.body, clean(&chunk.text));
            doc.add_text(f.text, &chunk.text);
            doc.add_text(f.source, &meta.source);
            doc.add_u64(f.page, u64::from(chunk.page.unwrap_or(0)));
            doc.add_text(f.pack, &meta.pack);
            doc.add_text(f.level, &meta.level);
            doc.add_u64(f.start, chunk.start as u64);
            doc.add_u64(f.end, chunk.end as u64);
            self.writer.add_document(doc)?;
        }
        Ok(())
    }

    /// Stages the removal of a document's chunks.
    pub fn remove(&mut self, doc_id: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.doc_id, doc_id));
    }

    /// Makes everything staged visible, atomically.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        self.writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Drops what is staged and not committed.
    pub fn rollback(&mut self) -> Result<(), IndexError> {
        self.writer.rollback()?;
        Ok(())
    }

    /// Every staged and committed chunk goes.
    pub fn clear(&mut self) -> Result<(), IndexError> {
        self.writer.delete_all_documents()?;
        self.commit()
    }

    /// How many chunks the committed index holds.
    pub fn chunk_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The query's words as the index has them. Each word counts once, by the best of its
    /// matches in title, headings (boosted) and body, so a rare word in the text outweighs a
    /// common one that every chunk of a document repeats in its title.
    fn query(&self, text: &str) -> Option<BooleanQuery> {
        let mut words = tokenizer::words(&clean(text));
        words.sort();
        words.dedup();
        if words.is_empty() {
            return None;
        }
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for word in &words {
            let fields: Vec<Box<dyn Query>> = [
                (f.title, TITLE_BOOST),
                (f.heading, HEADING_BOOST),
                (f.body, 1.0),
            ]
            .into_iter()
            .map(|(field, boost)| -> Box<dyn Query> {
                let term = TermQuery::new(
                    Term::from_field_text(field, word),
                    IndexRecordOption::WithFreqs,
                );
                Box::new(BoostQuery::new(Box::new(term), boost))
            })
            .collect();
            clauses.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(fields))));
        }
        Some(BooleanQuery::new(clauses))
    }

    /// The best `limit` chunks for `text`, with snippets.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Hit>, IndexError> {
        let Some(query) = self.query(text) else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        // A few more than asked, so that ties at the cut are broken the same way however the
        // index happens to be split into segments.
        let top = searcher.search(&query, &TopDocs::with_limit(limit + 8).order_by_score())?;
        let mut snippets = SnippetGenerator::create(&searcher, &query, self.fields.body)?;
        // Counted in bytes: about 60 Chinese characters.
        snippets.set_max_num_chars(180);
        let f = self.fields;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text_of = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let number = |field: Field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
            let snippet = snippets.snippet_from_doc(&doc);
            let snippet = if snippet.is_empty() {
                // A match in the title or headings only: the chunk's opening.
                let body = text_of(f.body);
                let opening: String = body.chars().take(60).collect();
                html_escape(&opening)
            } else {
                snippet.to_html()
            };
            hits.push(Hit {
                doc_id: text_of(f.doc_id),
                ordinal: u32::try_from(number(f.ordinal)).unwrap_or(u32::MAX),
                title: text_of(f.title),
                source: text_of(f.source),
                pack: text_of(f.pack),
                level: text_of(f.level),
                page: u32::try_from(number(f.page)).ok().filter(|&p| p > 0),
                heading_path: text_of(f.heading),
                start: number(f.start),
                end: number(f.end),
                score,
                text: text_of(f.text),
                snippet,
            });
        }
        // Equal scores (to four decimals: sums in another order differ in the last bits) go by
        // document and position, so a rebuilt index answers in the same order.
        hits.sort_by(|a, b| {
            let key = |h: &Hit| (h.score * 1e4).round() as i64;
            key(b)
                .cmp(&key(a))
                .then_with(|| a.doc_id.cmp(&b.doc_id))
                .then_with(|| a.ordinal.cmp(&b.ordinal))
        });
        hits.truncate(limit);
        Ok(hits)
    }

    /// The index's directory handle, for diagnostics.
    pub fn index(&self) -> &Index {
        &self.index
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chunk::{ChunkSize, Paragraph, chunk};

    fn meta(id: &str, title: &str) -> DocumentMeta {
        DocumentMeta {
            doc_id: id.into(),
            title: title.into(),
            source: format!("{id}.txt"),
            pack: "test".into(),
            level: "公开".into(),
        }
    }

    fn chunks(texts: &[&str]) -> Vec<Chunk> {
        let paragraphs: Vec<Paragraph> = texts
            .iter()
            .map(|t| Paragraph {
                text: (*t).to_string(),
                page: None,
            })
            .collect();
        chunk(&paragraphs, ChunkSize::default())
    }

    #[test]
    fn simplified_queries_find_traditional_glossed_and_full_width_text() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut index = KbIndex::open(dir.path()).expect("opens");
        index
            .replace(
                &meta("trad", "廣東省數字政府改革建設實施意見"),
                &chunks(&["推進公共數(shù)據(jù)資源開發利用，培育數據要素市場。"]),
            )
            .expect("add");
        index
            .replace(
                &meta("wide", "政务服务事项清单"),
                &chunks(&["全省政务服务事项达到１２００项，ＡＩ辅助审批全面推广。"]),
            )
            .expect("add");
        index
            .replace(&meta("other", "会议安排"), &chunks(&["明天上午九点开会。"]))
            .expect("add");
        index.commit().expect("commit");
        assert_eq!(index.chunk_count(), 3);

        let hits = index.search("数据要素", 5).expect("search");
        assert_eq!(hits[0].doc_id, "trad", "{hits:#?}");
        assert!(
            hits[0].text.contains("數(shù)據(jù)"),
            "the original text is kept"
        );
        assert!(hits[0].snippet.contains("<b>"), "{}", hits[0].snippet);
        let hits = index.search("數據要素", 5).expect("search");
        assert_eq!(hits[0].doc_id, "trad", "a Traditional query too");
        let hits = index.search("1200项", 5).expect("search");
        assert_eq!(hits[0].doc_id, "wide", "{hits:#?}");
        let hits = index.search("AI", 5).expect("search");
        assert_eq!(hits[0].doc_id, "wide", "{hits:#?}");
        assert!(index.search("，。", 5).expect("search").is_empty());
    }

    #[test]
    fn replacing_a_document_swaps_its_chunks_in_one_commit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut index = KbIndex::open(dir.path()).expect("opens");
        index
            .replace(&meta("a", "通知"), &chunks(&["春季运动会的安排。"]))
            .expect("add");
        index.commit().expect("commit");
        index
            .replace(&meta("a", "通知"), &chunks(&["秋季招聘工作的计划。"]))
            .expect("replace");
        // Not committed yet: the old version is what searches see.
        assert_eq!(index.search("运动会", 5).expect("search").len(), 1);
        index.commit().expect("commit");
        assert!(index.search("运动会", 5).expect("search").is_empty());
        assert_eq!(index.search("招聘", 5).expect("search").len(), 1);
        drop(index);
        let mut index = KbIndex::open(dir.path()).expect("reopens");
        assert_eq!(index.chunk_count(), 1, "committed chunks survive reopening");
        index.remove("a");
        index.commit().expect("commit");
        assert_eq!(index.chunk_count(), 0);
    }
}
