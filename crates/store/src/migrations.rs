//! Schema migrations. Append only: a shipped migration is never edited, only followed by another.

use rusqlite::Connection;

use crate::{Result, StoreError};

const MIGRATIONS: &[&str] = &[
    // 1: models, settings, conversations, messages, audit.
    "CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        architecture TEXT NOT NULL,
        quantization TEXT NOT NULL,
        context_length INTEGER NOT NULL,
        chat_template TEXT,
        parameters INTEGER NOT NULL,
        file_size INTEGER NOT NULL,
        imported_at INTEGER NOT NULL
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        app TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
        content TEXT NOT NULL,
        cancelled INTEGER NOT NULL DEFAULT 0,
        model_sha256 TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        started_at INTEGER NOT NULL,
        os_user TEXT NOT NULL,
        model_sha256 TEXT NOT NULL,
        app TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'cancelled', 'failed')),
        cancelled INTEGER NOT NULL,
        error TEXT
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    // 2: the knowledge base catalogue. A document is 'indexing' from before its chunks are
    // written to the search index until after they are committed there, so a run that was
    // killed in between is found and finished by the next one.
    "CREATE TABLE kb_documents (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        title TEXT NOT NULL,
        pack TEXT NOT NULL,
        level TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        chunks INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('indexing', 'ready')),
        added_at INTEGER NOT NULL
    );",
    // 3: model evaluation (测评) results, one row per model of a run, so IT can compare a
    // model with last month's run of the same suite.
    "CREATE TABLE eval_results (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        suite_sha256 TEXT NOT NULL,
        model TEXT NOT NULL,
        model_sha256 TEXT NOT NULL,
        report TEXT NOT NULL
    );
    CREATE INDEX eval_results_run ON eval_results (run_id);",
    // 4: partial results of long runs (minutes, summaries), keyed by the run's input and
    // settings, so a stopped run picks up where it stopped.
    "CREATE TABLE partials (
        run_key TEXT NOT NULL,
        level INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        result TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (run_key, level, idx)
    );",
    // 5: the highest version of each pack ever installed, and the highest sequence of each
    // signed list (the pack index, the key list) ever accepted: neither may go back.
    "CREATE TABLE pack_versions (
        id TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE signed_sequences (
        kind TEXT PRIMARY KEY,
        sequence INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );",
    // 6: the audit log as a hash chain (see `audit.rs`). Nothing in it is ever updated; the
    // only delete allowed is of entries sealed into an archive, whose seals are kept for ever.
    // The old table's rows are copied into the chain by `audit::copy_legacy`, which runs next.
    "CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('migration', 'started', 'finished', 'search',
            'export', 'pack_install', 'pack_remove', 'policy_load', 'refusal', 'archive',
            'checkpoint')),
        os_user TEXT NOT NULL,
        machine TEXT NOT NULL,
        app TEXT NOT NULL,
        model TEXT NOT NULL,
        level TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('', 'completed', 'cancelled', 'failed',
            'refused')),
        refers_to INTEGER,
        prompt_sha256 TEXT NOT NULL,
        output_sha256 TEXT NOT NULL,
        error TEXT,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX audit_log_at ON audit_log (at);
    CREATE INDEX audit_log_refers_to ON audit_log (refers_to);
    CREATE TABLE audit_seals (
        upto INTEGER PRIMARY KEY,
        head_hash TEXT NOT NULL,
        archive TEXT NOT NULL,
        entry INTEGER NOT NULL
    );
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_sealed_delete BEFORE DELETE ON audit_log
        WHEN OLD.seq > COALESCE((SELECT MAX(upto) FROM audit_seals), 0)
        BEGIN SELECT RAISE(ABORT, 'only entries sealed in an archive may leave the audit log'); END;
    CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals
        BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END;
    CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals
        BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END;",
    // 7: models on an inference server beside model files: the backend (`local`, `openai`)
    // and, for a server, how to reach it as JSON (URLs, the server's model id, CA file, key
    // file). A server model's `sha256` is the SHA-256 of that JSON, its `path` the first URL.
    // An answer that broke off (a server that went down half-way) is kept, marked failed.
    "ALTER TABLE models ADD COLUMN backend TEXT NOT NULL DEFAULT 'local';
    ALTER TABLE models ADD COLUMN server TEXT;
    ALTER TABLE messages ADD COLUMN failed INTEGER NOT NULL DEFAULT 0",
];
/// Work a migration needs beyond SQL, run in its transaction right after its SQL.
fn after(version: usize, conn: &Connection) -> Result<()> {
    match version {
        6 => crate::audit::copy_legacy(conn),
        _ => Ok(()),
    }
}

/// Brings the database up to the newest schema, one transaction per migration.
pub(crate) fn apply(conn: &Connection, label: &str) -> Result<()> {
    let known = MIGRATIONS.len() as i64;
    let current: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current > known {
        return Err(StoreError::TooNew {
            path: label.to_string(),
            found: current,
            known,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        after(index + 1, &tx)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// The SQL of the first `n` migrations, to build a database of an older schema in tests.
#[cfg(test)]
pub(crate) fn first(n: usize) -> String {
    MIGRATIONS[..n].join(";\n")
}
