//! SQLite storage for Wenshu: the model registry, conversations and messages, settings and the
//! audit log, behind append-only migrations.

mod audit;
mod migrations;

pub use audit::{
    AuditRecord, BadEntry, ChainHead, EntryFilter, GENESIS, Problem, UsageBy, UsageRow,
    VerifyReport, entry_hash, machine_id, os_user,
};

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OptionalExtension, params};
use wenshu_core::{ModelMetadata, Role};

/// Storage failures.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "the database {path} is from a newer Wenshu (schema {found}, this build knows {known})"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Now, in Unix milliseconds, by the system's clock.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A model in the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRecord {
    pub id: i64,
    pub name: String,
    pub path: String,
    pub sha256: String,
    pub metadata: ModelMetadata,
    pub imported_at_ms: i64,
    /// `local` (a GGUF file at `path`) or `openai` (an inference server).
    pub backend: String,
    /// For a server: how to reach it, as JSON (the app reads it).
    pub server: Option<String>,
}

impl ModelRecord {
    /// Whether the model is on an inference server rather than in a local file.
    pub fn is_remote(&self) -> bool {
        self.backend != "local"
    }
}

/// A conversation and how far it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationSummary {
    pub id: i64,
    pub title: String,
    pub app: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub messages: i64,
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRecord {
    pub id: i64,
    pub conversation_id: i64,
    pub role: Role,
    pub content: String,
    pub created_at_ms: i64,
    pub cancelled: bool,
    /// The answer broke off (its server went down half-way); the text is what arrived.
    pub failed: bool,
    pub model_sha256: Option<String>,
}

/// A document in the knowledge base catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbDocumentRecord {
    /// Also the document's id in the search index.
    pub id: i64,
    pub path: String,
    pub sha256: String,
    pub title: String,
    pub pack: String,
    pub level: String,
    pub bytes: u64,
    pub chunks: u64,
    /// Whether its chunks are committed to the index (`false`: a run stopped half-way).
    pub ready: bool,
    pub added_at: i64,
}

/// One model's stored results of an evaluation run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalRecord {
    pub run_id: i64,
    pub started_at_ms: i64,
    pub suite_sha256: String,
    pub model: String,
    pub model_sha256: String,
    /// The model's results as JSON.
    pub report_json: String,
}

/// The SQLite database of one Wenshu home.
#[derive(Debug)]
pub struct Store {
    /// One connection, shared by the threads of a front end; each method holds it while it runs.
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating and migrating as needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        Self::init(conn, &path.display().to_string())
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?, ":memory:")
    }

    fn init(conn: Connection, label: &str) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        migrations::apply(&conn, label)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// The connection, for one method's statements. A thread that panicked while holding it
    /// left no statement half-done (SQLite rolls back unfinished transactions), so its poison
    /// is ignored.
    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn schema_version(&self) -> Result<i64> {
        let conn = self.conn();
        Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    // ---- models ----

    /// Adds a model; fails if the name or the file's hash is already registered.
    pub fn insert_model(
        &self,
        name: &str,
        path: &str,
        sha256: &str,
        meta: &ModelMetadata,
        now_ms: i64,
    ) -> Result<ModelRecord> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO models (name, path, sha256, display_name, architecture, quantization,
                 context_length, chat_template, parameters, file_size, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                name,
                path,
                sha256,
                meta.name,
                meta.architecture,
                meta.quantization,
                meta.context_length,
                meta.chat_template,
                meta.parameters as i64,
                meta.file_size as i64,
                now_ms
            ],
        )?;
        drop(conn);
        self.model_by_name(name)?
            .ok_or_else(|| StoreError::Corrupt(format!("model {name} vanished after insert")))
    }

    /// Registers a model on an inference server: `server` is how to reach it (JSON), `id` a
    /// stable SHA-256 standing for it.
    pub fn insert_server_model(
        &self,
        name: &str,
        url: &str,
        id: &str,
        server: &str,
        meta: &ModelMetadata,
        now_ms: i64,
    ) -> Result<ModelRecord> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO models (name, path, sha256, display_name, architecture, quantization,
                 context_length, chat_template, parameters, file_size, imported_at, backend, server)
             VALUES (?1, ?2, ?3, ?4, ?5, '', ?6, NULL, 0, 0, ?7, 'openai', ?8)",
            params![
                name,
                url,
                id,
                meta.name,
                meta.architecture,
                meta.context_length,
                now_ms,
                server
            ],
        )?;
        drop(conn);
        self.model_by_name(name)?
            .ok_or_else(|| StoreError::Corrupt(format!("model {name} vanished after insert")))
    }

    pub fn models(&self) -> Result<Vec<ModelRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("{MODEL_SELECT} ORDER BY imported_at, id"))?;
        let rows = stmt.query_map([], model_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn model_by_name(&self, name: &str) -> Result<Option<ModelRecord>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                &format!("{MODEL_SELECT} WHERE name = ?1"),
                [name],
                model_from_row,
            )
            .optional()?)
    }

    pub fn model_by_sha256(&self, sha256: &str) -> Result<Option<ModelRecord>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                &format!("{MODEL_SELECT} WHERE sha256 = ?1"),
                [sha256],
                model_from_row,
            )
            .optional()?)
    }

    // ---- settings ----

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        let conn = self.conn();
        Ok(conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    // ---- conversations ----

    pub fn create_conversation(&self, title: &str, app: &str, now_ms: i64) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO conversations (title, app, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            params![title, app, now_ms],
        )?;
        Ok(conn.last_insert_rowid())
    }

    pub fn conversation(&self, id: i64) -> Result<Option<ConversationSummary>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                &format!("{CONVERSATION_SELECT} WHERE c.id = ?1 GROUP BY c.id"),
                [id],
                conversation_from_row,
            )
            .optional()?)
    }

    /// Conversations, most recently active first.
    pub fn conversations(&self, limit: usize) -> Result<Vec<ConversationSummary>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "{CONVERSATION_SELECT} GROUP BY c.id ORDER BY c.updated_at DESC, c.id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit as i64], conversation_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn add_message(
        &self,
        conversation_id: i64,
        role: Role,
        content: &str,
        cancelled: bool,
        model_sha256: Option<&str>,
        now_ms: i64,
    ) -> Result<i64> {
        let conn = self.conn();
        let tx = conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO messages (conversation_id, role, content, cancelled, model_sha256, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![conversation_id, role.as_str(), content, cancelled, model_sha256, now_ms],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "UPDATE conversations SET updated_at = ?2 WHERE id = ?1",
            params![conversation_id, now_ms],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Keeps the part of an answer that arrived before its server failed, marked failed.
    pub fn add_failed_message(
        &self,
        conversation_id: i64,
        content: &str,
        model_sha256: Option<&str>,
        now_ms: i64,
    ) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO messages (conversation_id, role, content, cancelled, failed, model_sha256, created_at)
             VALUES (?1, 'assistant', ?2, 0, 1, ?3, ?4)",
            params![conversation_id, content, model_sha256, now_ms],
        )?;
        Ok(conn.last_insert_rowid())
    }

    pub fn messages(&self, conversation_id: i64) -> Result<Vec<MessageRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, conversation_id, role, content, created_at, cancelled, model_sha256, failed
             FROM messages WHERE conversation_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([conversation_id], |row| {
            let role: String = row.get(2)?;
            Ok(MessageRecord {
                id: row.get(0)?,
                conversation_id: row.get(1)?,
                role: role.parse().map_err(|msg: String| {
                    rusqlite::Error::FromSqlConversionFailure(
                        2,
                        rusqlite::types::Type::Text,
                        msg.into(),
                    )
                })?,
                content: row.get(3)?,
                created_at_ms: row.get(4)?,
                cancelled: row.get(5)?,
                failed: row.get(7)?,
                model_sha256: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records that `path` is being (re)indexed with this content; returns its id, which stays
    /// the same across versions of the file.
    #[allow(clippy::too_many_arguments)]
    pub fn kb_begin(
        &self,
        path: &str,
        sha256: &str,
        title: &str,
        pack: &str,
        level: &str,
        bytes: u64,
        now_ms: i64,
    ) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO kb_documents (path, sha256, title, pack, level, bytes, chunks, state, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 'indexing', ?7)
             ON CONFLICT(path) DO UPDATE SET sha256 = ?2, title = ?3, pack = ?4, level = ?5,
                 bytes = ?6, state = 'indexing', added_at = ?7",
            rusqlite::params![path, sha256, title, pack, level, bytes as i64, now_ms],
        )?;
        Ok(conn.query_row(
            "SELECT id FROM kb_documents WHERE path = ?1",
            [path],
            |row| row.get(0),
        )?)
    }

    /// Records that the document's chunks are committed to the index.
    pub fn kb_ready(&self, id: i64, chunks: u64) -> Result<()> {
        let conn = self.conn();
        conn.execute(
            "UPDATE kb_documents SET state = 'ready', chunks = ?2 WHERE id = ?1",
            rusqlite::params![id, chunks as i64],
        )?;
        Ok(())
    }

    /// The catalogue entry for `path`.
    pub fn kb_document(&self, path: &str) -> Result<Option<KbDocumentRecord>> {
        let conn = self.conn();
        Ok(conn
            .query_row(&format!("{KB_SELECT} WHERE path = ?1"), [path], kb_row)
            .optional()?)
    }

    /// Every document, by path.
    pub fn kb_documents(&self) -> Result<Vec<KbDocumentRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("{KB_SELECT} ORDER BY path"))?;
        let rows = stmt.query_map([], kb_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes a document from the catalogue (after its chunks left the index).
    pub fn kb_delete(&self, id: i64) -> Result<()> {
        let conn = self.conn();
        conn.execute("DELETE FROM kb_documents WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Records one model's results of evaluation run `run_id` (the first model's row id when
    /// `run_id` is `None`), its report as JSON. Returns the run id.
    pub fn add_eval_result(
        &self,
        run_id: Option<i64>,
        started_at_ms: i64,
        suite_sha256: &str,
        model: &str,
        model_sha256: &str,
        report_json: &str,
    ) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO eval_results (run_id, started_at, suite_sha256, model, model_sha256, report)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![
                run_id.unwrap_or(0),
                started_at_ms,
                suite_sha256,
                model,
                model_sha256,
                report_json
            ],
        )?;
        let id = conn.last_insert_rowid();
        if run_id.is_none() {
            conn.execute("UPDATE eval_results SET run_id = ?1 WHERE id = ?1", [id])?;
        }
        Ok(run_id.unwrap_or(id))
    }

    /// The newest `limit` evaluation results, newest first: (run id, started at, suite hash,
    /// model, model hash, report JSON).
    pub fn eval_results(&self, limit: usize) -> Result<Vec<EvalRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT run_id, started_at, suite_sha256, model, model_sha256, report
             FROM eval_results ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |row| {
            Ok(EvalRecord {
                run_id: row.get(0)?,
                started_at_ms: row.get(1)?,
                suite_sha256: row.get(2)?,
                model: row.get(3)?,
                model_sha256: row.get(4)?,
                report_json: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keeps the result of piece `index` at merge `level` (0 for the pieces) of the long run
    /// `run_key`, replacing one kept before.
    pub fn put_partial(
        &self,
        run_key: &str,
        level: usize,
        index: usize,
        result: &str,
        now_ms: i64,
    ) -> Result<()> {
        self.conn().execute(
            "INSERT OR REPLACE INTO partials (run_key, level, idx, result, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![run_key, level as i64, index as i64, result, now_ms],
        )?;
        Ok(())
    }

    /// The kept results of `run_key` at `level`, by index.
    pub fn partials(&self, run_key: &str, level: usize) -> Result<Vec<(usize, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT idx, result FROM partials WHERE run_key = ?1 AND level = ?2 ORDER BY idx",
        )?;
        let rows = stmt.query_map(params![run_key, level as i64], |row| {
            Ok((row.get::<_, i64>(0)? as usize, row.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Forgets the kept results of `run_key` (a run that finished, or one started afresh).
    pub fn clear_partials(&self, run_key: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM partials WHERE run_key = ?1", [run_key])?;
        Ok(())
    }

    /// The highest version of pack `id` ever installed here, as written.
    pub fn pack_version(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT version FROM pack_versions WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Records `version` as the highest of pack `id` (the caller has checked it is).
    pub fn set_pack_version(&self, id: &str, version: &str, now_ms: i64) -> Result<()> {
        self.conn().execute(
            "INSERT OR REPLACE INTO pack_versions (id, version, updated_at) VALUES (?1, ?2, ?3)",
            params![id, version, now_ms],
        )?;
        Ok(())
    }

    /// The highest sequence of the signed list `kind` (`index`, `keys`) ever accepted.
    pub fn signed_sequence(&self, kind: &str) -> Result<Option<u64>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT sequence FROM signed_sequences WHERE kind = ?1",
                [kind],
                |row| row.get::<_, i64>(0),
            )
            .optional()?
            .map(|n| n as u64))
    }

    /// Records `sequence` as the highest of the signed list `kind`.
    pub fn set_signed_sequence(&self, kind: &str, sequence: u64, now_ms: i64) -> Result<()> {
        self.conn().execute(
            "INSERT OR REPLACE INTO signed_sequences (kind, sequence, updated_at)
             VALUES (?1, ?2, ?3)",
            params![kind, sequence as i64, now_ms],
        )?;
        Ok(())
    }
}

const KB_SELECT: &str =
    "SELECT id, path, sha256, title, pack, level, bytes, chunks, state, added_at
    FROM kb_documents";

fn kb_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<KbDocumentRecord> {
    Ok(KbDocumentRecord {
        id: row.get(0)?,
        path: row.get(1)?,
        sha256: row.get(2)?,
        title: row.get(3)?,
        pack: row.get(4)?,
        level: row.get(5)?,
        bytes: row.get::<_, i64>(6)? as u64,
        chunks: row.get::<_, i64>(7)? as u64,
        ready: row.get::<_, String>(8)? == "ready",
        added_at: row.get(9)?,
    })
}

const MODEL_SELECT: &str =
    "SELECT id, name, path, sha256, display_name, architecture, quantization,
    context_length, chat_template, parameters, file_size, imported_at, backend, server FROM models";

fn model_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ModelRecord> {
    Ok(ModelRecord {
        id: row.get(0)?,
        name: row.get(1)?,
        path: row.get(2)?,
        sha256: row.get(3)?,
        metadata: ModelMetadata {
            name: row.get(4)?,
            architecture: row.get(5)?,
            quantization: row.get(6)?,
            context_length: row.get(7)?,
            chat_template: row.get(8)?,
            parameters: row.get::<_, i64>(9)? as u64,
            file_size: row.get::<_, i64>(10)? as u64,
        },
        imported_at_ms: row.get(11)?,
        backend: row.get(12)?,
        server: row.get(13)?,
    })
}

const CONVERSATION_SELECT: &str = "SELECT c.id, c.title, c.app, c.created_at, c.updated_at,
    COUNT(m.id) FROM conversations c LEFT JOIN messages m ON m.conversation_id = c.id";

fn conversation_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ConversationSummary> {
    Ok(ConversationSummary {
        id: row.get(0)?,
        title: row.get(1)?,
        app: row.get(2)?,
        created_at_ms: row.get(3)?,
        updated_at_ms: row.get(4)?,
        messages: row.get(5)?,
    })
}

#[cfg(test)]
mod tests;
