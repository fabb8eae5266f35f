//! The audit log as a hash chain (防篡改审计).
//!
//! Every entry holds the hash of the one before it and its own hash over its number, its fields
//! and that previous hash. The table only grows: no entry is ever updated, and the only delete
//! the schema allows is of entries already sealed into an archive file, which is itself an
//! entry. A model call is two entries: `started`, written before the model sees the prompt, and
//! `finished`, which names it, after; a call killed in between stays on record as started.
//!
//! Triggers stop mistakes, not someone who can write the file. Tampering is found by
//! [`Store::audit_verify`], which recomputes the chain and names the first entry that does not
//! hold; cutting off the newest entries is found against a signed checkpoint of the head.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};
use wenshu_core::time::Zone;
use wenshu_core::{AuditEntry, CallOutcome, EntryKind};

use crate::{Result, Store, StoreError};

/// The previous hash of the very first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A stored entry: its number in the chain, what it records, and its links.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    /// The entry's number, from 1, without gaps.
    pub id: i64,
    pub entry: AuditEntry,
    pub prev_hash: String,
    pub hash: String,
}

/// The newest entry of the log and how many there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    /// The number of the oldest entry still in the log (after archives, more than 1).
    pub first_seq: i64,
    pub head_seq: i64,
    pub head_hash: String,
    pub entries: u64,
}

/// What is wrong with an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Its fields do not give its hash: it was changed after it was written.
    Changed,
    /// It is not there, though a later one is (or the log starts after it with no seal).
    Missing,
    /// It does not follow the entry before it: inserted, moved, or the one before replaced.
    Unlinked,
    /// A checkpoint names it, but the log ends before it (the tail was cut off).
    Truncated,
    /// A checkpoint names it with another hash.
    CheckpointMismatch,
}

impl Problem {
    pub fn as_str(&self) -> &'static str {
        match self {
            Problem::Changed => "changed",
            Problem::Missing => "missing",
            Problem::Unlinked => "unlinked",
            Problem::Truncated => "truncated",
            Problem::CheckpointMismatch => "checkpoint_mismatch",
        }
    }
}

/// The first entry that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadEntry {
    pub seq: i64,
    pub problem: Problem,
}

/// What verifying the chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries read.
    pub entries: u64,
    /// The head as found (when the log is not empty).
    pub head: Option<ChainHead>,
    /// The first entry that does not hold, if any.
    pub bad: Option<BadEntry>,
    /// Calls started and never finished (the process was killed): on record, not tampering.
    pub unfinished: u64,
}

/// Which entries to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryFilter {
    /// From this time on (Unix ms).
    pub from_ms: Option<i64>,
    /// Before this time (Unix ms).
    pub until_ms: Option<i64>,
    /// Model calls only: finished calls and calls never finished, one row each, and refusals.
    pub calls_only: bool,
    /// Entries of this kind only.
    pub kind: Option<EntryKind>,
    /// Newest first, at most this many.
    pub newest: Option<usize>,
    /// Oldest first, at most this many (when `newest` is not given; neither: all).
    pub limit_oldest: Option<usize>,
}

/// A hex digest.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// Hashes the previous hash and the fields, each preceded by its length, so that no two
/// different entries give the same bytes.
fn chain_hash(prev_hash: &str, fields: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    for field in fields {
        hasher.update((field.len() as u64).to_le_bytes());
        hasher.update(field);
    }
    hex(&hasher.finalize())
}

/// The hash of entry `seq` holding `entry` after an entry whose hash is `prev_hash`.
pub fn entry_hash(seq: i64, prev_hash: &str, entry: &AuditEntry) -> String {
    let numbers = [
        seq.to_string(),
        entry.at_ms.to_string(),
        entry.prompt_tokens.to_string(),
        entry.completion_tokens.to_string(),
        entry.duration_ms.to_string(),
        entry.refers_to.map(|r| r.to_string()).unwrap_or_default(),
    ];
    chain_hash(
        prev_hash,
        &[
            numbers[0].as_bytes(),
            numbers[1].as_bytes(),
            entry.kind.as_str().as_bytes(),
            entry.os_user.as_bytes(),
            entry.machine.as_bytes(),
            entry.app.as_bytes(),
            entry.model_sha256.as_bytes(),
            entry.level.as_bytes(),
            numbers[2].as_bytes(),
            numbers[3].as_bytes(),
            numbers[4].as_bytes(),
            entry.outcome.map_or("", CallOutcome::as_str).as_bytes(),
            numbers[5].as_bytes(),
            entry.prompt_sha256.as_bytes(),
            entry.output_sha256.as_bytes(),
            entry.error.as_deref().unwrap_or("").as_bytes(),
            entry.detail.as_bytes(),
        ],
    )
}

/// The operating-system account running Wenshu.
pub fn os_user() -> String {
    for key in ["USER", "LOGNAME", "USERNAME"] {
        if let Ok(name) = std::env::var(key)
            && !name.is_empty()
        {
            return name;
        }
    }
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|rest| {
                    rest.split_whitespace()
                        .next()
                        .map(|uid| format!("uid {uid}"))
                })
        })
        .unwrap_or_else(|| "unknown".to_string())
}

/// This machine's id: `/etc/machine-id` (systemd's, stable across boots), else the host name.
pub fn machine_id() -> String {
    for path in [
        "/etc/machine-id",
        "/var/lib/dbus/machine-id",
        "/proc/sys/kernel/hostname",
    ] {
        if let Ok(text) = std::fs::read_to_string(path) {
            let id = text.trim();
            if !id.is_empty() {
                return id.to_string();
            }
        }
    }
    "unknown".to_string()
}

const COLUMNS: &str = "seq, at, kind, os_user, machine, app, model, level, prompt_tokens,
    completion_tokens, duration_ms, outcome, refers_to, prompt_sha256, output_sha256, error,
    detail, prev_hash, hash";

fn bad_value(column: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("not an audit {what}").into(),
    )
}

fn record_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRecord> {
    let kind: String = row.get(2)?;
    let outcome: String = row.get(11)?;
    Ok(AuditRecord {
        id: row.get(0)?,
        entry: AuditEntry {
            kind: EntryKind::parse(&kind).ok_or_else(|| bad_value(2, "kind"))?,
            at_ms: row.get(1)?,
            os_user: row.get(3)?,
            machine: row.get(4)?,
            app: row.get(5)?,
            model_sha256: row.get(6)?,
            level: row.get(7)?,
            prompt_tokens: row.get::<_, i64>(8)? as u64,
            completion_tokens: row.get::<_, i64>(9)? as u64,
            duration_ms: row.get::<_, i64>(10)? as u64,
            outcome: if outcome.is_empty() {
                None
            } else {
                Some(CallOutcome::parse(&outcome).ok_or_else(|| bad_value(11, "outcome"))?)
            },
            refers_to: row.get(12)?,
            prompt_sha256: row.get(13)?,
            output_sha256: row.get(14)?,
            error: row.get(15)?,
            detail: row.get(16)?,
        },
        prev_hash: row.get(17)?,
        hash: row.get(18)?,
    })
}

/// Appends `entry` after the newest entry on `conn`, inside the caller's transaction.
fn append_on(conn: &rusqlite::Connection, entry: &AuditEntry) -> Result<i64> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => {
            // Empty after an archive: the chain goes on from the last seal.
            let sealed: Option<(i64, String)> = conn
                .query_row(
                    "SELECT upto, head_hash FROM audit_seals ORDER BY upto DESC LIMIT 1",
                    [],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            sealed.map_or((1, GENESIS.to_string()), |(upto, hash)| (upto + 1, hash))
        }
    };
    let hash = entry_hash(seq, &prev_hash, entry);
    conn.prepare_cached(&format!("INSERT INTO audit_log ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"))?
        .execute(params![
            seq,
            entry.at_ms,
            entry.kind.as_str(),
            entry.os_user,
            entry.machine,
            entry.app,
            entry.model_sha256,
            entry.level,
            entry.prompt_tokens as i64,
            entry.completion_tokens as i64,
            entry.duration_ms as i64,
            entry.outcome.map_or("", CallOutcome::as_str),
            entry.refers_to,
            entry.prompt_sha256,
            entry.output_sha256,
            entry.error,
            entry.detail,
            prev_hash,
            hash
        ])?;
    Ok(seq)
}

/// Migration step: copies the rows of the old, unchained `audit` table into the chain, in
/// their order, each as a finished call, then records the migration itself and drops the old
/// table (its rows now live in the chain).
pub(crate) fn copy_legacy(conn: &rusqlite::Connection) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, started_at, os_user, model_sha256, app, prompt_tokens, completion_tokens,
                duration_ms, outcome, error FROM audit ORDER BY id",
    )?;
    let machine = machine_id();
    let rows = stmt.query_map([], |row| {
        let outcome: String = row.get(8)?;
        let mut entry = AuditEntry::new(
            EntryKind::Finished,
            row.get(1)?,
            &row.get::<_, String>(2)?,
            "",
            &row.get::<_, String>(4)?,
        );
        entry.model_sha256 = row.get(3)?;
        entry.prompt_tokens = row.get::<_, i64>(5)? as u64;
        entry.completion_tokens = row.get::<_, i64>(6)? as u64;
        entry.duration_ms = row.get::<_, i64>(7)? as u64;
        entry.outcome = Some(CallOutcome::parse(&outcome).unwrap_or(CallOutcome::Failed));
        entry.error = row.get(9)?;
        entry.detail = format!("{{\"migrated_from\":{}}}", row.get::<_, i64>(0)?);
        Ok(entry)
    })?;
    let mut copied = 0u64;
    for entry in rows {
        append_on(conn, &entry?)?;
        copied += 1;
    }
    drop(stmt);
    let mut migration = AuditEntry::new(
        EntryKind::Migration,
        crate::now_ms(),
        &os_user(),
        &machine,
        "wenshu",
    );
    migration.detail = format!("{{\"schema\":6,\"copied\":{copied}}}");
    append_on(conn, &migration)?;
    conn.execute_batch("DROP TABLE audit;")?;
    Ok(())
}

impl Store {
    /// Appends `entry` to the chain; returns its number. Safe against other processes writing
    /// at the same time: the newest entry is read and the new one written in one write
    /// transaction.
    pub fn append_audit(&self, entry: &AuditEntry) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq = append_on(&tx, entry)?;
        tx.commit()?;
        Ok(seq)
    }

    /// Appends `entries` in order, in one transaction (an import, a benchmark); returns the
    /// number of the last.
    pub fn append_audit_many(&self, entries: &[AuditEntry]) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut seq = 0;
        for entry in entries {
            seq = append_on(&tx, entry)?;
        }
        tx.commit()?;
        Ok(seq)
    }

    /// Entries as `filter` asks: with `calls_only`, one row per model call (its finished entry,
    /// or its started entry when it never finished) and each refusal.
    pub fn audit_entries(&self, filter: &EntryFilter) -> Result<Vec<AuditRecord>> {
        let conn = self.conn();
        let mut sql = format!("SELECT {COLUMNS} FROM audit_log e WHERE at >= ?1 AND at < ?2");
        if filter.calls_only {
            sql.push_str(
                " AND (kind IN ('finished', 'refusal') OR (kind = 'started' AND NOT EXISTS
                    (SELECT 1 FROM audit_log f WHERE f.refers_to = e.seq)))",
            );
        }
        if filter.kind.is_some() {
            sql.push_str(" AND kind = ?4");
        }
        sql.push_str(match filter.newest {
            Some(_) => " ORDER BY seq DESC LIMIT ?3",
            None => " ORDER BY seq LIMIT ?3",
        });
        let mut stmt = conn.prepare(&sql)?;
        let limit = filter
            .newest
            .or(filter.limit_oldest)
            .map_or(i64::MAX, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let mut values: Vec<rusqlite::types::Value> = vec![
            filter.from_ms.unwrap_or(i64::MIN).into(),
            filter.until_ms.unwrap_or(i64::MAX).into(),
            limit.into(),
        ];
        if let Some(kind) = filter.kind {
            values.push(kind.as_str().to_string().into());
        }
        let rows = stmt.query_map(rusqlite::params_from_iter(values), record_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every entry from number `from_seq` up to `to_seq`, oldest first, to `each`.
    pub fn audit_each(
        &self,
        from_seq: i64,
        to_seq: i64,
        each: &mut dyn FnMut(AuditRecord) -> Result<()>,
    ) -> Result<()> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM audit_log WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq"
        ))?;
        let mut rows = stmt.query(params![from_seq, to_seq])?;
        while let Some(row) = rows.next()? {
            each(record_from_row(row)?)?;
        }
        Ok(())
    }

    /// The newest entry, the oldest still here, and the count; `None` when the log is empty.
    pub fn audit_head(&self) -> Result<Option<ChainHead>> {
        let conn = self.conn();
        let head: Option<(i64, String)> = conn
            .query_row(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let Some((head_seq, head_hash)) = head else {
            return Ok(None);
        };
        let (first_seq, entries): (i64, i64) =
            conn.query_row("SELECT MIN(seq), COUNT(*) FROM audit_log", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        Ok(Some(ChainHead {
            first_seq,
            head_seq,
            head_hash,
            entries: entries as u64,
        }))
    }

    /// The hash of entry `seq`, if it is in the log.
    pub fn audit_hash(&self, seq: i64) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// The highest entry number sealed into an archive, with the hash it ended on.
    pub fn audit_sealed(&self) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT upto, head_hash FROM audit_seals ORDER BY upto DESC LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?)
    }

    /// Recomputes the whole chain and names the first entry that does not hold. Reads the
    /// entries straight from the file in one pass, without triggers or indexes to trust.
    pub fn audit_verify(&self) -> Result<VerifyReport> {
        let sealed = self.audit_sealed()?;
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq"))?;
        let mut rows = stmt.query([])?;
        // Where the chain must start: after the last seal, or at the beginning.
        let (mut expected, mut prev) = match &sealed {
            Some((upto, hash)) => (upto + 1, hash.clone()),
            None => (1, GENESIS.to_string()),
        };
        let mut report = VerifyReport {
            entries: 0,
            head: None,
            bad: None,
            unfinished: 0,
        };
        let mut first_seq = None;
        let mut open_calls = std::collections::HashSet::new();
        while let Some(row) = rows.next()? {
            let record = record_from_row(row)?;
            report.entries += 1;
            first_seq.get_or_insert(record.id);
            if report.bad.is_none() {
                let problem = if record.id < expected {
                    // Numbered before the chain's start (or inside a seal): put there.
                    Some(BadEntry {
                        seq: record.id,
                        problem: Problem::Unlinked,
                    })
                } else if record.id > expected {
                    Some(BadEntry {
                        seq: expected,
                        problem: Problem::Missing,
                    })
                } else if record.prev_hash != prev {
                    Some(BadEntry {
                        seq: record.id,
                        problem: Problem::Unlinked,
                    })
                } else if entry_hash(record.id, &prev, &record.entry) != record.hash {
                    Some(BadEntry {
                        seq: record.id,
                        problem: Problem::Changed,
                    })
                } else {
                    None
                };
                report.bad = problem;
                if record.id >= expected {
                    expected = record.id + 1;
                    prev = record.hash.clone();
                }
            }
            match record.entry.kind {
                EntryKind::Started => {
                    open_calls.insert(record.id);
                }
                EntryKind::Finished => {
                    if let Some(started) = record.entry.refers_to {
                        open_calls.remove(&started);
                    }
                }
                _ => {}
            }
            report.head = Some(ChainHead {
                first_seq: first_seq.unwrap_or(record.id),
                head_seq: record.id,
                head_hash: record.hash,
                entries: report.entries,
            });
        }
        report.unfinished = open_calls.len() as u64;
        Ok(report)
    }

    /// Seals entries up to `upto` (whose hash is `head_hash`) into the archive file `archive`,
    /// already written and signed: appends `entry` (an archive entry saying so), records the
    /// seal, then deletes the sealed entries, all in one transaction.
    pub fn audit_seal(
        &self,
        upto: i64,
        head_hash: &str,
        archive: &str,
        entry: &AuditEntry,
    ) -> Result<i64> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: Option<String> = tx
            .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [upto], |row| {
                row.get(0)
            })
            .optional()?;
        if found.as_deref() != Some(head_hash) {
            return Err(StoreError::Corrupt(format!(
                "audit entry {upto} is not the one archived"
            )));
        }
        let seq = append_on(&tx, entry)?;
        tx.execute(
            "INSERT INTO audit_seals (upto, head_hash, archive, entry) VALUES (?1, ?2, ?3, ?4)",
            params![upto, head_hash, archive, seq],
        )?;
        tx.execute("DELETE FROM audit_log WHERE seq <= ?1", [upto])?;
        tx.commit()?;
        Ok(seq)
    }

    /// Tokens of finished calls from `from_ms` to before `until_ms`, for one user or one app
    /// (either may be `None`): what a daily quota counts.
    pub fn tokens_between(
        &self,
        from_ms: i64,
        until_ms: i64,
        os_user: Option<&str>,
        app: Option<&str>,
    ) -> Result<u64> {
        let total: i64 = self.conn().query_row(
            "SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) FROM audit_log
             WHERE kind = 'finished' AND at >= ?1 AND at < ?2
               AND (?3 IS NULL OR os_user = ?3) AND (?4 IS NULL OR app = ?4)",
            params![from_ms, until_ms, os_user, app],
            |row| row.get(0),
        )?;
        Ok(total as u64)
    }
}

/// Tokens and calls of one group of model calls (a day, an app, a model or a user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRow {
    pub key: String,
    pub calls: u64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// What model calls can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageBy {
    /// The local day in `zone`, as YYYY-MM-DD.
    Day {
        zone: Zone,
    },
    App,
    Model,
    /// The operating-system account.
    User,
}

impl Store {
    /// Calls and tokens since `since_ms`, grouped; days in order, apps and models by tokens.
    pub fn usage(&self, by: UsageBy, since_ms: i64) -> Result<Vec<UsageRow>> {
        self.usage_between(by, since_ms, i64::MAX)
    }

    /// Calls and tokens from `from_ms` to before `until_ms`, grouped; days in order, the rest by
    /// tokens. A call counts when it finished (whatever the outcome), at the time it started.
    pub fn usage_between(&self, by: UsageBy, from_ms: i64, until_ms: i64) -> Result<Vec<UsageRow>> {
        let key = match by {
            UsageBy::Day { zone } => return self.usage_by_day(zone, from_ms, until_ms),
            UsageBy::App => "app",
            UsageBy::Model => "model",
            UsageBy::User => "os_user",
        };
        let conn = self.conn();
        let sql = format!(
            "SELECT {key}, COUNT(*), SUM(prompt_tokens), SUM(completion_tokens)
             FROM audit_log WHERE kind = 'finished' AND at >= ?1 AND at < ?2 GROUP BY 1
             ORDER BY SUM(prompt_tokens) + SUM(completion_tokens) DESC, 1"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([from_ms, until_ms], |row| {
            Ok(UsageRow {
                key: row.get(0)?,
                calls: row.get::<_, i64>(1)? as u64,
                prompt_tokens: row.get::<_, i64>(2)? as u64,
                completion_tokens: row.get::<_, i64>(3)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn usage_by_day(&self, zone: Zone, from_ms: i64, until_ms: i64) -> Result<Vec<UsageRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT at, prompt_tokens, completion_tokens FROM audit_log
             WHERE kind = 'finished' AND at >= ?1 AND at < ?2 ORDER BY at",
        )?;
        let calls = stmt.query_map([from_ms, until_ms], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)? as u64,
                row.get::<_, i64>(2)? as u64,
            ))
        })?;
        let mut days: Vec<UsageRow> = Vec::new();
        for call in calls {
            let (started_at, prompt_tokens, completion_tokens) = call?;
            let key = zone.day(started_at);
            // In time order, a call's day is the last one counted or a new one after it.
            match days.last_mut().filter(|day| day.key == key) {
                Some(day) => {
                    day.calls += 1;
                    day.prompt_tokens += prompt_tokens;
                    day.completion_tokens += completion_tokens;
                }
                None => days.push(UsageRow {
                    key,
                    calls: 1,
                    prompt_tokens,
                    completion_tokens,
                }),
            }
        }
        Ok(days)
    }
}
