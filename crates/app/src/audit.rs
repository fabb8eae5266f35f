//! The audit log (调用过程可追溯和计量) as the front ends see it: entries for every call, search,
//! export, pack change, policy load and refusal; verifying the chain against signed checkpoints;
//! exports for IT; archives under the policy's retention; daily token quotas.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::json;
use wenshu_api::messages::audit as msg;
use wenshu_api::{
    AuditExportInfo, AuditInfo, AuditVerifyInfo, BadEntryInfo, CheckpointCheck, CheckpointInfo,
    QuotaInfo,
};
use wenshu_core::{AuditEntry, CallOutcome, EntryKind};
use wenshu_packs::TrustedKey;
use wenshu_store::{AuditRecord, EntryFilter, Problem, VerifyReport};

use crate::Wenshu;
use crate::error::{AppError, ErrorCode, Result};
use crate::models::sha256_hex;

/// Where this desktop keeps the key its checkpoints are signed with, in the data directory.
const KEY_DIR: &str = "audit-key";
const PUBLIC_KEY: &str = "audit.pub";
const SECRET_KEY: &str = "audit.key";
/// The folder of sealed archives, in the data directory.
const ARCHIVE_DIR: &str = "audit-archive";
const CHECKPOINT_FORMAT: &str = "wenshu-audit-checkpoint/1";
const DAY_MS: i64 = 86_400_000;

/// What a checkpoint file says: the log's head at a moment, signed by this desktop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Checkpoint {
    format: String,
    machine: String,
    database: String,
    entries: u64,
    first_seq: i64,
    head_seq: i64,
    head_hash: String,
    at_ms: i64,
    key_id: String,
}

impl Checkpoint {
    /// What its signature's trusted comment says, so that a signature of one checkpoint cannot
    /// be moved to another.
    fn statement(&self) -> String {
        format!(
            "wenshu-audit-checkpoint {} {} {}",
            self.machine, self.head_seq, self.head_hash
        )
    }
}

fn problem_text(problem: &Problem, head_seq: i64, file: &str) -> String {
    match problem {
        Problem::Changed => msg::problem_changed().text,
        Problem::Missing => msg::problem_missing().text,
        Problem::Unlinked => msg::problem_unlinked().text,
        Problem::Truncated => msg::problem_truncated(head_seq).text,
        Problem::CheckpointMismatch => msg::problem_checkpoint_mismatch(file).text,
    }
}

fn bad_info(seq: i64, problem: &Problem, head_seq: i64, file: &str) -> BadEntryInfo {
    BadEntryInfo {
        seq,
        problem: problem.as_str().to_string(),
        message: msg::verify_bad(seq, problem_text(problem, head_seq, file)).text,
    }
}

/// An entry as the front ends show it; `finished` tells whether a started call ever finished.
fn audit_info(r: AuditRecord, finished: bool) -> AuditInfo {
    let e = r.entry;
    let outcome = match (e.kind, e.outcome) {
        (EntryKind::Started, _) if !finished => "unfinished".to_string(),
        (_, Some(outcome)) => outcome.as_str().to_string(),
        (_, None) => String::new(),
    };
    AuditInfo {
        id: r.id,
        kind: e.kind.as_str().to_string(),
        started_at_ms: e.at_ms,
        os_user: e.os_user,
        machine: e.machine,
        model_sha256: e.model_sha256,
        app: e.app,
        level: e.level,
        prompt_tokens: e.prompt_tokens,
        completion_tokens: e.completion_tokens,
        duration_ms: e.duration_ms,
        cancelled: e.outcome == Some(CallOutcome::Cancelled),
        outcome,
        error: e.error,
        refers_to: e.refers_to,
        prompt_sha256: e.prompt_sha256,
        output_sha256: e.output_sha256,
        detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::String(e.detail)),
        prev_hash: r.prev_hash,
        hash: r.hash,
    }
}

/// A CSV field, quoted when it must be.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

impl Wenshu {
    /// A new entry of `kind` for `app`: by this user, on this machine, now.
    pub(crate) fn entry(&self, kind: EntryKind, app: &str) -> AuditEntry {
        AuditEntry::new(kind, self.now(), &self.os_user, &self.machine, app)
    }

    /// Appends `entry` to the audit log; returns its number.
    pub(crate) fn record(&self, entry: &AuditEntry) -> Result<i64> {
        Ok(self.store().append_audit(entry)?)
    }

    /// Whether the policy asks for the full text of prompts and answers in the log.
    pub(crate) fn audit_full_text(&self) -> bool {
        self.policy().is_some_and(|p| p.policy.audit_full_text)
    }

    /// Passes `result` on, recording a refusal entry for `app` first when a rule refused it
    /// (a state secret, a quota, a level ceiling, a blocked app or model). The refusal stands
    /// even when it cannot be written down; what it refused is not recorded, only why.
    pub(crate) fn audited<T>(&self, app: &str, result: Result<T>) -> Result<T> {
        if let Err(err) = &result
            && err.code == ErrorCode::Policy
        {
            let mut entry = self.entry(EntryKind::Refusal, app);
            entry.outcome = Some(CallOutcome::Refused);
            entry.error = Some(err.message.clone());
            entry.detail = json!({ "rule": err.id }).to_string();
            let _ = self.record(&entry);
        }
        result
    }

    /// Records a document written to `path` by `app`, with the digest of its bytes.
    pub(crate) fn record_export(&self, app: &str, path: &Path, bytes: &[u8], level: &str) {
        let mut entry = self.entry(EntryKind::Export, app);
        entry.output_sha256 = sha256_hex(bytes);
        entry.level = level.to_string();
        entry.detail = json!({
            "file": path.display().to_string(),
            "bytes": bytes.len(),
            "explicit_label": self.explicit_ai_label(),
        })
        .to_string();
        let _ = self.record(&entry);
    }

    /// Records a pack installed, updated or removed.
    pub(crate) fn record_pack_change(
        &self,
        kind: EntryKind,
        change: &wenshu_api::PackChange,
    ) -> Result<()> {
        let mut entry = self.entry(kind, &change.pack.id);
        entry.level.clone_from(&change.pack.level);
        entry.detail = json!({
            "version": change.pack.version,
            "previous": change.previous,
            "signer": change.pack.signer,
            "path": change.pack.path,
        })
        .to_string();
        self.record(&entry)?;
        Ok(())
    }

    /// Records a knowledge-base search: the query's digest and how many passages it found.
    pub(crate) fn record_search(&self, query: &str, hits: usize) -> Result<()> {
        let mut entry = self.entry(EntryKind::Search, "kb.search");
        entry.prompt_sha256 = sha256_hex(query.as_bytes());
        entry.detail = if self.audit_full_text() {
            json!({ "hits": hits, "query": query })
        } else {
            json!({ "hits": hits })
        }
        .to_string();
        self.record(&entry)?;
        Ok(())
    }

    /// Whether exports carry the visible label of AI-generated content (the policy may turn it
    /// off; every export records which).
    pub fn explicit_ai_label(&self) -> bool {
        self.policy()
            .and_then(|p| p.policy.ai_label_explicit)
            .unwrap_or(true)
    }

    /// Records the policy in force when it is new or changed since the last entry that named
    /// one (and its removal), so that the log says which rules held for every later entry.
    pub(crate) fn record_policy_load(&self) -> Result<()> {
        let last = self
            .store()
            .audit_entries(&EntryFilter {
                newest: Some(1),
                kind: Some(EntryKind::PolicyLoad),
                ..EntryFilter::default()
            })?
            .pop();
        let last_sha = last.map(|r| r.entry.prompt_sha256).unwrap_or_default();
        let now_sha = self.policy().map(|p| p.sha256.clone()).unwrap_or_default();
        if last_sha == now_sha {
            return Ok(());
        }
        let mut entry = self.entry(EntryKind::PolicyLoad, "wenshu");
        entry.prompt_sha256 = now_sha;
        entry.detail = match self.policy() {
            Some(p) => json!({
                "file": p.label(),
                "signer": p.signer,
                "explicit_label": self.explicit_ai_label(),
                "full_text": p.policy.audit_full_text,
            }),
            None => json!({ "removed": true }),
        }
        .to_string();
        self.record(&entry)?;
        Ok(())
    }

    /// The newest `limit` model calls (one row per call, and refusals), newest first.
    pub fn audit(&self, limit: usize) -> Result<Vec<AuditInfo>> {
        self.audit_log(limit, false)
    }

    /// The newest `limit` entries, newest first: model calls and refusals, or with `all` every
    /// entry (searches, exports, pack changes, policy loads, …).
    pub fn audit_log(&self, limit: usize, all: bool) -> Result<Vec<AuditInfo>> {
        let rows = self.store().audit_entries(&EntryFilter {
            calls_only: !all,
            newest: Some(limit),
            ..EntryFilter::default()
        })?;
        let finished: std::collections::HashSet<i64> =
            rows.iter().filter_map(|r| r.entry.refers_to).collect();
        Ok(rows
            .into_iter()
            .map(|r| {
                // In the calls view a started entry is there only when it never finished.
                let done = all && finished.contains(&r.id);
                audit_info(r, done)
            })
            .collect())
    }

    /// This desktop's audit key: made on first use, its secret half readable by the user only.
    /// Returns (secret key text, public key, public key file).
    fn audit_key(&self, create: bool) -> Result<(Option<String>, TrustedKey, PathBuf)> {
        let dir = self.home().data_dir.join(KEY_DIR);
        let public = dir.join(PUBLIC_KEY);
        let secret = dir.join(SECRET_KEY);
        let unusable = |path: &Path, detail: String| {
            AppError::of(ErrorCode::Io, msg::key_unusable(path.display(), detail))
        };
        if create && !public.exists() && !secret.exists() {
            crate::packs::keygen_as(&dir, PUBLIC_KEY, SECRET_KEY)?;
        }
        let text =
            std::fs::read_to_string(&public).map_err(|e| unusable(&public, e.to_string()))?;
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
            .unwrap_or_default();
        let key = TrustedKey::parse(line).map_err(|e| unusable(&public, e.to_string()))?;
        let secret_text = if create {
            Some(crate::packs::files::read_key(&secret)?)
        } else {
            None
        };
        Ok((secret_text, key, public))
    }

    /// Writes a signed checkpoint of the log to `out` (and its signature to `out.minisig`) for IT
    /// to collect off this machine. The checkpoint is first recorded in the log, so the head
    /// it names is its own entry.
    pub fn audit_checkpoint(&self, out: &Path) -> Result<CheckpointInfo> {
        let (secret, key, public) = self.audit_key(true)?;
        let secret = secret.unwrap_or_default();
        let mut entry = self.entry(EntryKind::Checkpoint, "wenshu");
        entry.detail = json!({ "file": out.display().to_string(), "key": key.id }).to_string();
        self.record(&entry)?;
        let head = self
            .store()
            .audit_head()?
            .ok_or_else(|| AppError::of(ErrorCode::Storage, msg::verify_empty()))?;
        let checkpoint = Checkpoint {
            format: CHECKPOINT_FORMAT.to_string(),
            machine: self.machine.clone(),
            database: self.home().database().display().to_string(),
            entries: head.entries,
            first_seq: head.first_seq,
            head_seq: head.head_seq,
            head_hash: head.head_hash.clone(),
            at_ms: self.now(),
            key_id: key.id.clone(),
        };
        let text = serde_json::to_string_pretty(&checkpoint)
            .map_err(|e| AppError::of(ErrorCode::Io, msg::key_unusable(out.display(), e)))?;
        let signature =
            wenshu_packs::sign::sign_bytes(&secret, text.as_bytes(), &checkpoint.statement())
                .map_err(|e| AppError::of(ErrorCode::Io, msg::key_unusable(public.display(), e)))?;
        // The signature first: whoever sees the checkpoint also finds its signature.
        crate::input::write_atomic(&signature_path(out), signature.as_bytes())?;
        crate::input::write_atomic(out, text.as_bytes())?;
        Ok(CheckpointInfo {
            path: out.display().to_string(),
            machine: checkpoint.machine,
            entries: checkpoint.entries,
            first_seq: checkpoint.first_seq,
            head_seq: checkpoint.head_seq,
            head_hash: checkpoint.head_hash,
            at_ms: checkpoint.at_ms,
            key_id: key.id,
            public_key: public.display().to_string(),
        })
    }

    /// Reads and checks one checkpoint file against this desktop's key and machine.
    fn read_checkpoint(&self, file: &Path) -> std::result::Result<Checkpoint, String> {
        let text = crate::input::read_text_file(file, 1 << 20, "an audit checkpoint")
            .map_err(|e| e.message)?;
        let checkpoint: Checkpoint = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        if checkpoint.format != CHECKPOINT_FORMAT {
            return Err(format!("format {}", checkpoint.format));
        }
        let signature = std::fs::read_to_string(signature_path(file))
            .map_err(|e| format!("{}: {e}", signature_path(file).display()))?;
        let (_, key, _) = self.audit_key(false).map_err(|e| e.message)?;
        wenshu_packs::sign::verify_bytes(
            &[key],
            &signature,
            text.as_bytes(),
            &checkpoint.statement(),
        )
        .map_err(|e| e.to_string())?;
        if checkpoint.machine != self.machine {
            return Err(msg::checkpoint_other_machine(&checkpoint.machine).text);
        }
        Ok(checkpoint)
    }

    /// Recomputes the chain and compares it with each checkpoint; names the first bad entry.
    pub fn audit_verify(&self, checkpoints: &[PathBuf]) -> Result<AuditVerifyInfo> {
        let report: VerifyReport = self.store().audit_verify()?;
        let head_seq = report.head.as_ref().map_or(0, |h| h.head_seq);
        let mut bad = report
            .bad
            .as_ref()
            .map(|b| bad_info(b.seq, &b.problem, head_seq, ""));
        let mut checks = Vec::new();
        for file in checkpoints {
            let label = file.display().to_string();
            let check = |ok, message: String, seq| CheckpointCheck {
                file: label.clone(),
                head_seq: seq,
                ok,
                message,
            };
            let checkpoint = match self.read_checkpoint(file) {
                Ok(c) => c,
                Err(detail) => {
                    checks.push(check(
                        false,
                        msg::checkpoint_invalid(&label, detail).text,
                        0,
                    ));
                    continue;
                }
            };
            let seq = checkpoint.head_seq;
            let first = report.head.as_ref().map_or(i64::MAX, |h| h.first_seq);
            let problem = if seq > head_seq {
                Some((head_seq + 1, Problem::Truncated))
            } else if seq < first {
                checks.push(check(true, msg::checkpoint_archived(&label, seq).text, seq));
                continue;
            } else if self.store().audit_hash(seq)?.as_deref() != Some(&checkpoint.head_hash) {
                Some((seq, Problem::CheckpointMismatch))
            } else {
                None
            };
            match problem {
                Some((at, problem)) => {
                    let info = bad_info(at, &problem, seq, &label);
                    checks.push(check(false, info.message.clone(), seq));
                    // The chain's own finding comes first when it is earlier.
                    if bad.as_ref().is_none_or(|b| b.seq > at) {
                        bad = Some(info);
                    }
                }
                None => checks.push(check(true, msg::checkpoint_ok(&label, seq).text, seq)),
            }
        }
        let ok = bad.is_none() && checks.iter().all(|c| c.ok);
        let message = match (&bad, &report.head) {
            (Some(b), _) => b.message.clone(),
            (None, None) => msg::verify_empty().text,
            (None, Some(h)) => {
                let mut text = msg::verify_ok(h.entries, h.first_seq, h.head_seq).text;
                if report.unfinished > 0 {
                    text = format!("{text}；{}", msg::unfinished(report.unfinished).text);
                }
                text
            }
        };
        Ok(AuditVerifyInfo {
            ok,
            database: self.home().database().display().to_string(),
            entries: report.entries,
            first_seq: report.head.as_ref().map_or(0, |h| h.first_seq),
            head_seq,
            head_hash: report.head.map(|h| h.head_hash).unwrap_or_default(),
            unfinished: report.unfinished,
            bad,
            checkpoints: checks,
            message,
        })
    }

    /// Writes the entries from the day `from` to the day `to` (all when neither is given),
    /// oldest first, to `path` as `csv` (UTF-8 with a byte-order mark, for spreadsheets) or
    /// `jsonl` (one entry per line, with its hashes, for IT's tools).
    pub fn export_audit(
        &self,
        path: &Path,
        format: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<AuditExportInfo> {
        if !matches!(format, "csv" | "jsonl") {
            return Err(AppError::of(
                ErrorCode::InvalidInput,
                msg::bad_format(format),
            ));
        }
        let (from_ms, until_ms) = if from.is_none() && to.is_none() {
            (i64::MIN, i64::MAX)
        } else {
            self.day_range(from, to)?.1
        };
        let rows = self.store().audit_entries(&EntryFilter {
            from_ms: Some(from_ms),
            until_ms: Some(until_ms),
            ..EntryFilter::default()
        })?;
        let infos: Vec<AuditInfo> = rows.into_iter().map(|r| audit_info(r, true)).collect();
        let mut out = String::new();
        if format == "csv" {
            out.push_str("\u{feff}id,kind,started_at_ms,os_user,machine,app,model_sha256,level,prompt_tokens,completion_tokens,duration_ms,outcome,refers_to,prompt_sha256,output_sha256,error,detail,prev_hash,hash\n");
            for e in &infos {
                let fields = [
                    e.id.to_string(),
                    e.kind.clone(),
                    e.started_at_ms.to_string(),
                    csv_field(&e.os_user),
                    csv_field(&e.machine),
                    csv_field(&e.app),
                    e.model_sha256.clone(),
                    csv_field(&e.level),
                    e.prompt_tokens.to_string(),
                    e.completion_tokens.to_string(),
                    e.duration_ms.to_string(),
                    e.outcome.clone(),
                    e.refers_to.map(|r| r.to_string()).unwrap_or_default(),
                    e.prompt_sha256.clone(),
                    e.output_sha256.clone(),
                    csv_field(e.error.as_deref().unwrap_or("")),
                    csv_field(&e.detail.to_string()),
                    e.prev_hash.clone(),
                    e.hash.clone(),
                ];
                out.push_str(&fields.join(","));
                out.push('\n');
            }
        } else {
            for e in &infos {
                out.push_str(&serde_json::to_string(e).unwrap_or_default());
                out.push('\n');
            }
        }
        crate::input::write_atomic(path, out.as_bytes())?;
        self.record_export("audit.export", path, out.as_bytes(), "");
        Ok(AuditExportInfo {
            path: path.display().to_string(),
            format: format.to_string(),
            entries: infos.len(),
        })
    }

    /// The tokens used today against each daily quota in force: the user's own (from the
    /// policy or the user's limits) and each app's (from the policy).
    pub fn quotas(&self) -> Result<Vec<QuotaInfo>> {
        let zone = self.settings().ui.zone();
        let today = zone.day_start_ms(self.now());
        let mut out = Vec::new();
        if let Some(limit) = self.limits().max_tokens_per_day {
            out.push(QuotaInfo {
                scope: "user".into(),
                key: self.os_user.clone(),
                used: self.store().tokens_between(
                    today,
                    today + DAY_MS,
                    Some(&self.os_user),
                    None,
                )?,
                limit,
            });
        }
        if let Some(p) = self.policy() {
            for (app, limit) in &p.policy.app_tokens_per_day {
                out.push(QuotaInfo {
                    scope: "app".into(),
                    key: app.clone(),
                    used: self
                        .store()
                        .tokens_between(today, today + DAY_MS, None, Some(app))?,
                    limit: *limit,
                });
            }
        }
        Ok(out)
    }

    /// Refuses a call by `app` when the user or the app has used up today's quota.
    pub(crate) fn check_quota(&self, app: &str) -> Result<()> {
        let file = self
            .policy()
            .map(crate::policy::LoadedPolicy::label)
            .unwrap_or_else(|| self.home().config_file.display().to_string());
        for quota in self.quotas()? {
            if quota.used < quota.limit {
                continue;
            }
            let message = match quota.scope.as_str() {
                "user" => msg::quota_user(&quota.key, quota.used, quota.limit, &file),
                _ if quota.key == app => msg::quota_app(&quota.key, quota.used, quota.limit, &file),
                _ => continue,
            };
            return Err(AppError::of(ErrorCode::Policy, message));
        }
        Ok(())
    }

    /// Moves entries older than the policy's retention into a sealed archive file (with a
    /// signed checkpoint of its last entry) and then out of the log. Nothing is deleted that
    /// is not first written, signed and recorded. Returns the archive written, if any.
    pub fn archive_audit(&self) -> Result<Option<PathBuf>> {
        let Some(days) = self.policy().and_then(|p| p.policy.audit_retention_days) else {
            return Ok(None);
        };
        let cutoff = self.now() - i64::try_from(days).unwrap_or(i64::MAX / DAY_MS) * DAY_MS;
        let Some(head) = self.store().audit_head()? else {
            return Ok(None);
        };
        // The oldest entries, up to the first one still within the period.
        let keep = self.store().audit_entries(&EntryFilter {
            from_ms: Some(cutoff),
            newest: None,
            limit_oldest: Some(1),
            ..EntryFilter::default()
        })?;
        let upto = keep.first().map_or(head.head_seq, |r| r.id - 1);
        if upto < head.first_seq {
            return Ok(None);
        }
        let dir = self.home().data_dir.join(ARCHIVE_DIR);
        std::fs::create_dir_all(&dir).map_err(|err| {
            AppError::io_of(
                wenshu_api::messages::common::cannot_write(dir.display()),
                &err,
            )
        })?;
        let file = dir.join(format!("audit-{:09}-{:09}.jsonl", head.first_seq, upto));
        let mut text = String::new();
        let mut last_hash = String::new();
        self.store().audit_each(head.first_seq, upto, &mut |r| {
            last_hash = r.hash.clone();
            text.push_str(&serde_json::to_string(&audit_info(r, true)).unwrap_or_default());
            text.push('\n');
            Ok(())
        })?;
        crate::input::write_atomic(&file, text.as_bytes())?;
        let (secret, key, _) = self.audit_key(true)?;
        let checkpoint = Checkpoint {
            format: CHECKPOINT_FORMAT.to_string(),
            machine: self.machine.clone(),
            database: file.display().to_string(),
            entries: u64::try_from(upto - head.first_seq + 1).unwrap_or(0),
            first_seq: head.first_seq,
            head_seq: upto,
            head_hash: last_hash.clone(),
            at_ms: self.now(),
            key_id: key.id.clone(),
        };
        let seal = serde_json::to_string_pretty(&checkpoint).unwrap_or_default();
        let signature = wenshu_packs::sign::sign_bytes(
            &secret.unwrap_or_default(),
            seal.as_bytes(),
            &checkpoint.statement(),
        )
        .map_err(|e| AppError::of(ErrorCode::Io, msg::key_unusable(key.id, e)))?;
        let seal_path = file.with_extension("checkpoint.json");
        crate::input::write_atomic(&seal_path, seal.as_bytes())?;
        crate::input::write_atomic(&signature_path(&seal_path), signature.as_bytes())?;
        let mut entry = self.entry(EntryKind::Archive, "wenshu");
        entry.output_sha256 = sha256_hex(text.as_bytes());
        entry.detail = json!({
            "file": file.display().to_string(),
            "first": head.first_seq,
            "upto": upto,
            "head_hash": last_hash,
            "retention_days": days,
        })
        .to_string();
        self.store()
            .audit_seal(upto, &last_hash, &file.display().to_string(), &entry)?;
        Ok(Some(file))
    }
}

/// The signature file beside `path`.
fn signature_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{name}.minisig"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("cli.ask"), "cli.ask");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
