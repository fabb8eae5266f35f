//! The knowledge base: adding files and folders (incrementally, by content hash), searching in
//! Chinese, listing and removing. The catalogue is in SQLite, the chunks in a tantivy index
//! beside it; a document is marked `indexing` in the catalogue before its chunks are written and
//! `ready` after they are committed, so a run killed half-way is finished by the next.

use std::path::{Path, PathBuf};

use wenshu_kb::{ChunkSize, DocumentMeta, KbIndex, Paragraph, chunk};

use std::sync::MutexGuard;
use std::sync::atomic::Ordering;

use wenshu_core::CancelFlag;

use crate::{Wenshu, lock, lock_or_reset};

mod answer;
pub(crate) use answer::relevant;
mod packs;

use crate::error::{AppError, ErrorCode, Result};
use crate::input::{decode_utf8, docx_error, pdf_error, read_file};
use wenshu_api::messages::common::{self, os_error};
use wenshu_api::messages::{files, kb as msg};
pub use wenshu_api::{
    Citation, CitedAnswer, KbAddReport, KbDocumentInfo, KbFailure, KbStats, SearchHit,
};

/// The largest file the knowledge base reads.
const MAX_FILE_BYTES: u64 = 100 << 20;
/// The pack of documents the user adds by hand.
pub const USER_PACK: &str = "user";
/// The classification of documents added without one.
pub const DEFAULT_LEVEL: &str = "内部";

/// Documents staged in the index and not committed yet.
#[derive(Debug, Default)]
struct Pending {
    /// Catalogue id and chunk count of each.
    documents: Vec<(i64, u64)>,
    /// Bytes of the files they came from.
    bytes: u64,
}

impl Pending {
    /// A commit costs a few milliseconds of writing and syncing: one per batch of files, not
    /// per file. A run killed mid-batch leaves the batch `indexing`, and the next run redoes it.
    fn is_full(&self) -> bool {
        self.documents.len() >= 64 || self.bytes >= 16 << 20
    }
}

/// What became of one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Added(u64),
    Updated(u64),
    Unchanged,
}

/// Notes in `report` what became of the document `key`.
fn record(report: &mut KbAddReport, key: String, outcome: std::result::Result<Outcome, AppError>) {
    match outcome {
        Ok(Outcome::Added(chunks)) => {
            report.chunks += chunks;
            report.added.push(key);
        }
        Ok(Outcome::Updated(chunks)) => {
            report.chunks += chunks;
            report.updated.push(key);
        }
        Ok(Outcome::Unchanged) => report.unchanged.push(key),
        Err(err) => report.failed.push(KbFailure {
            path: key,
            error: err.message,
        }),
    }
}

/// Progress of an add, per file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KbProgress<'a> {
    pub done: usize,
    pub total: usize,
    pub path: &'a Path,
}

/// Files under `paths` (folders recursively, in name order) that Wenshu can read.
fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|err| {
            AppError::of(
                ErrorCode::InvalidInput,
                common::cannot_read(path.display()).with_detail(os_error(&err)),
            )
        })?;
        if meta.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|err| AppError::io_of(files::cannot_list(path.display()), &err))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    !p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.'))
                })
                .collect();
            entries.sort();
            // Linked folders are not followed: a link back up the tree would never end.
            let (dirs, files): (Vec<PathBuf>, Vec<PathBuf>) = entries
                .into_iter()
                .partition(|p| p.symlink_metadata().is_ok_and(|m| m.is_dir()));
            out.extend(files.into_iter().filter(|p| kind(p).is_some()));
            out.extend(collect(&dirs)?);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Docx,
    Pdf,
    Html,
}

fn kind(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "md" | "markdown" => Some(Kind::Text),
        "docx" => Some(Kind::Docx),
        "pdf" => Some(Kind::Pdf),
        "html" | "htm" => Some(Kind::Html),
        _ => None,
    }
}

/// The paragraphs of a file, with a clear error for what cannot be read.
pub(crate) fn extract(path: &Path, bytes: Vec<u8>) -> Result<Vec<Paragraph>> {
    let label = path.display().to_string();
    let no_text = || AppError::of(ErrorCode::InvalidInput, msg::no_text(&label));
    let lines: Vec<String> = match kind(path) {
        Some(Kind::Pdf) => {
            let (paragraphs, info) =
                wenshu_docs::pdf_document(&bytes).map_err(|err| pdf_error(path, err))?;
            crate::policy::refuse_secret_properties(&info, &label)?;
            if paragraphs.is_empty() {
                return Err(pdf_error(path, wenshu_docs::ExtractError::NoText));
            }
            return Ok(paragraphs);
        }
        Some(Kind::Html) => {
            let paragraphs = wenshu_docs::html_paragraphs(&decode_utf8(&label, bytes)?);
            if paragraphs.is_empty() {
                return Err(no_text());
            }
            return Ok(paragraphs);
        }
        Some(Kind::Text) => decode_utf8(&label, bytes)?
            .lines()
            .map(str::to_string)
            .collect(),
        Some(Kind::Docx) => {
            let properties =
                wenshu_docs::docx_properties(&bytes).map_err(|err| docx_error(path, err))?;
            crate::policy::refuse_secret_properties(&properties, &label)?;
            wenshu_docs::docx_paragraphs(&bytes).map_err(|err| docx_error(path, err))?
        }
        None => {
            return Err(AppError::of(
                ErrorCode::InvalidInput,
                msg::unsupported_kind(&label),
            ));
        }
    };
    let paragraphs: Vec<Paragraph> = lines
        .into_iter()
        .map(|l| l.trim().trim_start_matches('#').trim().to_string())
        .filter(|l| !l.is_empty())
        .map(|text| Paragraph { text, page: None })
        .collect();
    if paragraphs.is_empty() {
        return Err(no_text());
    }
    Ok(paragraphs)
}

/// A document's title: a 公文 title (关于……的通知) near the top, else its first short
/// paragraph that is not a 发文机关标志 or an addressee, else its file name.
fn title(path: &Path, paragraphs: &[Paragraph]) -> String {
    let top = || {
        paragraphs
            .iter()
            .take(8)
            .map(|p| p.text.as_str())
            .filter(|t| {
                (4..=60).contains(&t.chars().count())
                    && !t.ends_with(['。', '：', ':'])
                    && wenshu_core::check::heading_level(t).is_none()
            })
    };
    top()
        .find(|t| t.contains("关于") || wenshu_core::document::DocType::from_title(t).is_some())
        .or_else(|| top().find(|t| !t.ends_with("文件")))
        .map(str::to_string)
        .unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
}

fn index_error(err: wenshu_kb::IndexError) -> AppError {
    use wenshu_kb::IndexError;
    AppError::of(
        ErrorCode::Storage,
        match err {
            IndexError::Open { path, message } => msg::index_open(path, message),
            IndexError::Tantivy(err) => msg::index_failed(err),
        },
    )
}

impl Wenshu {
    /// Opens the search index on first use. Documents a killed run left half-indexed are taken
    /// out of the index so the next add redoes them; an index that was lost, or that holds
    /// fewer chunks than the catalogue says (a rebuild was stopped), is built again from the
    /// files; and the knowledge packs are brought up to date. Searches wait until this is done.
    fn open_kb(&self) -> Result<()> {
        if self.kb_open.load(Ordering::Acquire) {
            return Ok(());
        }
        let _writing = lock(&self.kb_writer);
        if self.kb_open.load(Ordering::Acquire) {
            return Ok(());
        }
        let lost = {
            let mut slot = lock_or_reset(&self.kb);
            if slot.is_none() {
                *slot = Some(KbIndex::open(&self.home().data_dir.join("kb")).map_err(index_error)?);
            }
            let index = slot
                .as_mut()
                .ok_or_else(|| AppError::of(ErrorCode::Storage, msg::index_not_open()))?;
            let documents = self.store().kb_documents()?;
            let pending: Vec<_> = documents.iter().filter(|d| !d.ready).collect();
            if !pending.is_empty() {
                for doc in &pending {
                    index.remove(&doc.id.to_string());
                }
                index.commit().map_err(index_error)?;
            }
            let catalogued: u64 = documents.iter().filter(|d| d.ready).map(|d| d.chunks).sum();
            index.chunk_count() != catalogued
        };
        if lost {
            // Deleted, written by another version, or a rebuild stopped: fill it from the files.
            self.rebuild_index(&mut |_| {}, &CancelFlag::new())?;
        } else {
            self.sync_packs()?;
        }
        self.kb_open.store(true, Ordering::Release);
        Ok(())
    }

    /// Runs `work` on the open index, holding it only that long: a search waits for one step
    /// of an add, not for the whole add.
    fn with_index<T>(&self, work: impl FnOnce(&mut KbIndex) -> Result<T>) -> Result<T> {
        let mut slot = lock_or_reset(&self.kb);
        let Some(index) = slot.as_mut() else {
            // Reset after a panic: the next call opens it again.
            self.kb_open.store(false, Ordering::Release);
            return Err(AppError::of(ErrorCode::Storage, msg::index_closed()));
        };
        work(index)
    }

    /// Drops what a failed change staged in the index and did not commit, so that the next
    /// commit publishes only its own changes.
    fn discard_staged<T>(&self, result: Result<T>) -> Result<T> {
        if result.is_err() {
            let _ = self.with_index(|index| index.rollback().map_err(index_error));
        }
        result
    }

    /// Opens the index and takes the writer's turn: changes to the knowledge base run one at a
    /// time.
    fn kb_writing(&self) -> Result<MutexGuard<'_, ()>> {
        self.open_kb()?;
        Ok(lock(&self.kb_writer))
    }

    /// Adds files and folders (recursively) to the knowledge base. Unchanged files are skipped;
    /// changed ones replace their old chunks. A file that cannot be read is reported and the
    /// rest go on; nothing indexed before is lost.
    ///
    /// `cancel` stops the add between two files: the files done so far stay in the knowledge
    /// base, and the report says it was cancelled.
    pub fn kb_add(
        &self,
        paths: &[PathBuf],
        level: Option<&str>,
        cancel: &CancelFlag,
        on_progress: &mut dyn FnMut(KbProgress<'_>),
    ) -> Result<KbAddReport> {
        let files = collect(paths)?;
        let _writing = self.kb_writing()?;
        let result = self.add_files(&files, level, false, cancel, on_progress);
        self.discard_staged(result)
    }

    /// Builds the index again from the files in the catalogue (after an upgrade, or if the index
    /// was lost); a file that is gone is reported and leaves the catalogue.
    ///
    /// `cancel` stops it between two files. The documents not done yet are missing from search
    /// until the rebuild is run again, which the next start of Wenshu does by itself (it finds
    /// fewer chunks in the index than in the catalogue).
    pub fn kb_rebuild(
        &self,
        cancel: &CancelFlag,
        on_progress: &mut dyn FnMut(KbProgress<'_>),
    ) -> Result<KbAddReport> {
        let _writing = self.kb_writing()?;
        let result = self.rebuild_index(on_progress, cancel);
        self.discard_staged(result)
    }

    fn rebuild_index(
        &self,
        on_progress: &mut dyn FnMut(KbProgress<'_>),
        cancel: &CancelFlag,
    ) -> Result<KbAddReport> {
        let docs = self.store().kb_documents()?;
        self.with_index(|index| index.clear().map_err(index_error))?;
        let mut report = KbAddReport::default();
        let mut files = Vec::new();
        for doc in docs {
            if doc.pack != USER_PACK {
                // Packs are indexed again below, from their own files.
                self.store()
                    .set_setting(&format!("kb.pack.{}", doc.pack), "")?;
            } else if Path::new(&doc.path).is_file() {
                files.push((PathBuf::from(&doc.path), doc.level));
            } else {
                self.store().kb_delete(doc.id)?;
                report.failed.push(KbFailure {
                    path: doc.path,
                    error: msg::file_gone().text,
                });
            }
        }
        let total = files.len();
        for (done, (path, level)) in files.into_iter().enumerate() {
            if cancel.is_cancelled() {
                report.cancelled = true;
                return Ok(report);
            }
            let mut one = self.add_files(
                std::slice::from_ref(&path),
                Some(&level),
                true,
                cancel,
                &mut |_| {},
            )?;
            on_progress(KbProgress {
                done,
                total,
                path: &path,
            });
            report.updated.append(&mut one.updated);
            report.added.append(&mut one.added);
            report.failed.append(&mut one.failed);
            report.chunks += one.chunks;
        }
        let mut packs = self.sync_packs()?;
        report.updated.append(&mut packs.updated);
        report.added.append(&mut packs.added);
        report.failed.append(&mut packs.failed);
        report.chunks += packs.chunks;
        Ok(report)
    }

    fn add_files(
        &self,
        files: &[PathBuf],
        level: Option<&str>,
        force: bool,
        cancel: &CancelFlag,
        on_progress: &mut dyn FnMut(KbProgress<'_>),
    ) -> Result<KbAddReport> {
        let level = level.unwrap_or(DEFAULT_LEVEL).to_string();
        if self.level_rank(&level).is_none() {
            return Err(AppError::of(
                ErrorCode::InvalidInput,
                msg::bad_level(&level, self.level_names().join("、")),
            ));
        }
        let mut report = KbAddReport::default();
        let mut pending = Pending::default();
        for (done, path) in files.iter().enumerate() {
            on_progress(KbProgress {
                done,
                total: files.len(),
                path,
            });
            if cancel.is_cancelled() {
                report.cancelled = true;
                break;
            }
            let key = std::fs::canonicalize(path)
                .unwrap_or_else(|_| path.clone())
                .display()
                .to_string();
            let outcome = match read_file(path, MAX_FILE_BYTES, "a knowledge base file") {
                Ok(bytes) => {
                    self.index_document(&key, path, bytes, USER_PACK, &level, force, &mut pending)?
                }
                Err(err) => Err(err),
            };
            record(&mut report, key, outcome);
            if pending.is_full() {
                self.commit_pending(&mut pending)?;
            }
        }
        self.commit_pending(&mut pending)?;
        Ok(report)
    }

    /// Indexes one document under catalogue `key`. The outer error is fatal (storage, index);
    /// the inner one is this file's own problem, and the caller goes on with the next.
    ///
    /// The chunks are staged, not committed: `pending` collects the document, and
    /// `commit_pending` makes a batch visible and marks it ready in the catalogue.
    #[allow(clippy::too_many_arguments)]
    fn index_document(
        &self,
        key: &str,
        name: &Path,
        bytes: Vec<u8>,
        pack: &str,
        level: &str,
        force: bool,
        pending: &mut Pending,
    ) -> Result<std::result::Result<Outcome, AppError>> {
        let sha256 = crate::models::sha256_hex(&bytes);
        let known = self.store().kb_document(key)?;
        if let Some(doc) = &known
            && doc.ready
            && doc.sha256 == sha256
            && !force
        {
            return Ok(Ok(Outcome::Unchanged));
        }
        let size = bytes.len() as u64;
        let paragraphs = match self.audited("kb.add", extract(name, bytes)) {
            Ok(p) => p,
            Err(err) => return Ok(Err(err)),
        };
        // A state secret is refused before anything of it is stored or indexed.
        if let Err(err) = self.audited(
            "kb.add",
            crate::policy::refuse_secret_paragraphs(&paragraphs, &name.display().to_string()),
        ) {
            return Ok(Err(err));
        }
        // Its level: the highest of the one given (or its pack's), its folder's and its markings.
        let text: Vec<&str> = paragraphs.iter().map(|p| p.text.as_str()).collect();
        let level = self.highest_level([
            self.level_rank(level).unwrap_or(0),
            self.folder_level(name),
            self.text_level(&text.join("\n")),
        ]);
        if let Err(err) = self.audited("kb.add", self.check_ceiling("kb.add", "", &level)) {
            return Ok(Err(err));
        }
        let level = level.as_str();
        let title = title(name, &paragraphs);
        let chunks = chunk(&paragraphs, ChunkSize::default());
        let now = self.now();
        let id = self
            .store()
            .kb_begin(key, &sha256, &title, pack, level, size, now)?;
        let meta = DocumentMeta {
            doc_id: id.to_string(),
            title,
            source: key.to_string(),
            pack: pack.to_string(),
            level: level.to_string(),
        };
        self.with_index(|index| index.replace(&meta, &chunks).map_err(index_error))?;
        let chunks = chunks.len() as u64;
        pending.documents.push((id, chunks));
        pending.bytes += size;
        Ok(Ok(if known.is_some() {
            Outcome::Updated(chunks)
        } else {
            Outcome::Added(chunks)
        }))
    }

    /// Commits the staged documents to the index, then marks them ready in the catalogue.
    fn commit_pending(&self, pending: &mut Pending) -> Result<()> {
        if pending.documents.is_empty() {
            return Ok(());
        }
        self.with_index(|index| index.commit().map_err(index_error))?;
        for (id, chunks) in pending.documents.drain(..) {
            self.store().kb_ready(id, chunks)?;
        }
        pending.bytes = 0;
        Ok(())
    }

    /// Brings the knowledge packs into the index: the built-in guide, and every pack in the
    /// managed folder. A pack is indexed again when its version changes; documents of a pack
    /// that is gone leave the index.
    pub fn kb_sync_packs(&self) -> Result<KbAddReport> {
        let _writing = self.kb_writing()?;
        let result = self.sync_packs();
        self.discard_staged(result)
    }

    fn sync_packs(&self) -> Result<KbAddReport> {
        let mut report = KbAddReport::default();
        let mut packs = Vec::new();
        for pack in self.packs()? {
            packs.extend(packs::knowledge(&pack)?);
        }
        let mut present: Vec<String> = Vec::new();
        for pack in &packs {
            present.push(pack.id.clone());
            let version_key = format!("kb.pack.{}", pack.id);
            let current = self.store().setting(&version_key)?;
            let complete = self
                .store()
                .kb_documents()?
                .iter()
                .filter(|d| d.pack == pack.id)
                .all(|d| d.ready);
            if current.as_deref() == Some(pack.version.as_str()) && complete {
                continue;
            }
            let keys: Vec<String> = pack.documents.iter().map(|d| d.key.clone()).collect();
            let mut pending = Pending::default();
            for doc in &pack.documents {
                let outcome = self.index_document(
                    &doc.key,
                    Path::new(&doc.name),
                    doc.bytes()?,
                    &pack.id,
                    &pack.level,
                    true,
                    &mut pending,
                )?;
                record(&mut report, doc.key.clone(), outcome);
            }
            self.commit_pending(&mut pending)?;
            // Documents the new version no longer has.
            for old in self.store().kb_documents()? {
                if old.pack == pack.id && !keys.contains(&old.path) {
                    self.drop_document(old.id)?;
                }
            }
            self.store().set_setting(&version_key, &pack.version)?;
        }
        for old in self.store().kb_documents()? {
            if old.pack != USER_PACK && !present.contains(&old.pack) {
                self.drop_document(old.id)?;
            }
        }
        Ok(report)
    }

    /// Packs came or went: the next use of the knowledge base brings their documents in.
    pub(crate) fn kb_packs_changed(&self) {
        self.kb_open
            .store(false, std::sync::atomic::Ordering::SeqCst);
    }

    fn drop_document(&self, id: i64) -> Result<()> {
        self.with_index(|index| {
            index.remove(&id.to_string());
            index.commit().map_err(index_error)
        })?;
        self.store().kb_delete(id)?;
        Ok(())
    }

    /// The best `limit` passages for `query`.
    pub fn kb_search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        if query.trim().is_empty() {
            return Err(AppError::of(ErrorCode::InvalidInput, msg::empty_search()));
        }
        self.open_kb()?;
        let hits = self.with_index(|index| index.search(query, limit).map_err(index_error))?;
        self.record_search(query, hits.len())?;
        Ok(hits
            .into_iter()
            .map(|h| SearchHit {
                doc: h.source,
                title: h.title,
                page: h.page,
                score: h.score,
                text: h.text,
                snippet: h.snippet,
                heading_path: h.heading_path,
                start: h.start,
                end: h.end,
                level: h.level,
            })
            .collect())
    }

    /// Counts of documents and chunks, from the catalogue and from the index.
    pub fn kb_stats(&self) -> Result<KbStats> {
        self.open_kb()?;
        let docs = self.store().kb_documents()?;
        let index_chunks = self.with_index(|index| Ok(index.chunk_count()))?;
        Ok(KbStats {
            documents: docs.len() as u64,
            incomplete: docs.iter().filter(|d| !d.ready).count() as u64,
            catalogue_chunks: docs.iter().filter(|d| d.ready).map(|d| d.chunks).sum(),
            index_chunks,
        })
    }

    /// Every document in the knowledge base.
    pub fn kb_list(&self) -> Result<Vec<KbDocumentInfo>> {
        Ok(self
            .store()
            .kb_documents()?
            .into_iter()
            .map(|d| KbDocumentInfo {
                id: d.id,
                path: d.path,
                title: d.title,
                pack: d.pack,
                level: d.level,
                bytes: d.bytes,
                chunks: d.chunks,
                ready: d.ready,
            })
            .collect())
    }

    /// Removes a document (by its path as added, or its id) and its chunks.
    pub fn kb_remove(&self, which: &str) -> Result<KbDocumentInfo> {
        let key = std::fs::canonicalize(which)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| which.to_string());
        let doc = self
            .kb_list()?
            .into_iter()
            .find(|d| d.path == key || d.path == which || d.id.to_string() == which)
            .ok_or_else(|| AppError::of(ErrorCode::NotFound, msg::not_in_kb(which)))?;
        if doc.pack != USER_PACK {
            return Err(AppError::of(
                ErrorCode::InvalidInput,
                msg::managed_pack(&doc.title, &doc.pack),
            ));
        }
        let _writing = self.kb_writing()?;
        let result = self.drop_document(doc.id);
        self.discard_staged(result)?;
        Ok(doc)
    }
}
