use super::*;
use wenshu_core::time::Zone;
use wenshu_core::{AuditEntry, CallOutcome, EntryKind};

fn meta() -> ModelMetadata {
    ModelMetadata {
        name: "Qwen".into(),
        architecture: "qwen2".into(),
        quantization: "Q4_K_M".into(),
        context_length: 32768,
        chat_template: Some("{{ messages }}".into()),
        parameters: 494_000_000,
        file_size: 491_400_064,
    }
}

fn audit(outcome: CallOutcome) -> AuditEntry {
    AuditEntry {
        model_sha256: "ab".repeat(32),
        prompt_tokens: 12,
        completion_tokens: 34,
        duration_ms: 56,
        outcome: Some(outcome),
        ..AuditEntry::new(
            EntryKind::Finished,
            1_700_000_000_000,
            "tester",
            "machine-1",
            "cli.ask",
        )
    }
}

#[test]
fn migrations_reach_the_newest_schema_and_reopen_cleanly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("wenshu.db");
    let store = Store::open(&path).expect("first open creates the schema");
    let version = store.schema_version().expect("version");
    assert_eq!(version, migrations_len(), "every migration is applied once");
    drop(store);
    let store = Store::open(&path).expect("reopening must not re-run migrations");
    assert_eq!(store.schema_version().expect("version"), version);
}

fn migrations_len() -> i64 {
    let store = Store::open_in_memory().expect("memory db");
    store.schema_version().expect("version")
}

#[test]
fn newer_database_is_refused_not_damaged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("wenshu.db");
    drop(Store::open(&path).expect("create"));
    let conn = Connection::open(&path).expect("raw open");
    conn.pragma_update(None, "user_version", 999)
        .expect("bump version");
    drop(conn);
    match Store::open(&path) {
        Err(StoreError::TooNew { found: 999, .. }) => {}
        other => panic!("a database from a newer build must be refused, got {other:?}"),
    }
}

#[test]
fn models_round_trip_and_names_are_unique() {
    let store = Store::open_in_memory().expect("memory db");
    let record = store
        .insert_model("qwen", "/m/q.gguf", &"a".repeat(64), &meta(), 5)
        .expect("insert");
    assert_eq!(record.metadata, meta(), "metadata comes back as stored");
    assert!(
        store
            .insert_model("qwen", "/m/o.gguf", &"b".repeat(64), &meta(), 6)
            .is_err(),
        "duplicate name"
    );
    assert!(
        store
            .insert_model("other", "/m/o.gguf", &"a".repeat(64), &meta(), 6)
            .is_err(),
        "duplicate hash"
    );
    assert_eq!(
        store.models().expect("list").len(),
        1,
        "failed inserts leave nothing behind"
    );
    assert_eq!(
        store
            .model_by_sha256(&"a".repeat(64))
            .expect("by hash")
            .map(|m| m.name),
        Some("qwen".into())
    );
}

#[test]
fn conversation_keeps_messages_in_order_with_cancel_flag() {
    let store = Store::open_in_memory().expect("memory db");
    let id = store
        .create_conversation("请假", "cli.chat", 1)
        .expect("create");
    store
        .add_message(id, Role::User, "你好", false, None, 2)
        .expect("user");
    store
        .add_message(id, Role::Assistant, "您好，有什么", true, Some("abc"), 3)
        .expect("assistant");
    let messages = store.messages(id).expect("messages");
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1].role, Role::Assistant);
    assert!(
        messages[1].cancelled,
        "a cancelled answer is stored as cancelled"
    );
    let summary = store.conversation(id).expect("query").expect("exists");
    assert_eq!(summary.messages, 2);
    assert_eq!(
        summary.updated_at_ms, 3,
        "adding a message touches the conversation"
    );
}

#[test]
fn settings_overwrite() {
    let store = Store::open_in_memory().expect("memory db");
    assert_eq!(store.setting("active_model").expect("get"), None);
    store.set_setting("active_model", "a").expect("set");
    store.set_setting("active_model", "b").expect("overwrite");
    assert_eq!(
        store.setting("active_model").expect("get").as_deref(),
        Some("b")
    );
}

#[test]
fn audit_is_append_only_and_chained() {
    let store = Store::open_in_memory().expect("memory db");
    let first = store
        .append_audit(&audit(CallOutcome::Completed))
        .expect("append");
    store
        .append_audit(&audit(CallOutcome::Cancelled))
        .expect("append");
    let newest = |n| EntryFilter {
        newest: Some(n),
        ..EntryFilter::default()
    };
    let rows = store.audit_entries(&newest(10)).expect("read");
    // The migration's own entry comes first.
    assert_eq!(rows.len(), 3, "{rows:#?}");
    assert_eq!(rows[2].entry.kind, EntryKind::Migration);
    assert_eq!(
        rows[0].entry.outcome,
        Some(CallOutcome::Cancelled),
        "newest first"
    );
    assert_eq!(
        rows[1].entry,
        audit(CallOutcome::Completed),
        "rows come back as written"
    );
    assert_eq!(rows[1].id, first);
    assert_eq!(rows[0].prev_hash, rows[1].hash, "each names the one before");
    assert_eq!(rows[2].prev_hash, GENESIS);
    let report = store.audit_verify().expect("verify");
    assert_eq!((report.entries, report.bad), (3, None));
    assert_eq!(
        report.head.expect("head").head_hash,
        rows[0].hash,
        "the head is the newest entry"
    );
    assert!(
        store
            .conn()
            .execute("UPDATE audit_log SET app = 'x'", [])
            .is_err(),
        "updates are refused"
    );
    assert!(
        store.conn().execute("DELETE FROM audit_log", []).is_err(),
        "deletes of unsealed entries are refused"
    );
}

#[test]
fn verify_names_the_first_entry_changed_deleted_inserted_or_moved() {
    let fresh = || {
        let store = Store::open_in_memory().expect("memory db");
        for tokens in 1..=5 {
            let mut entry = audit(CallOutcome::Completed);
            entry.prompt_tokens = tokens;
            store.append_audit(&entry).expect("append");
        }
        store
            .conn()
            .execute_batch(
                "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_sealed_delete;",
            )
            .expect("an attacker drops the triggers");
        store
    };
    let bad = |store: &Store| store.audit_verify().expect("verify").bad;
    let store = fresh();
    assert_eq!(bad(&store), None);
    store
        .conn()
        .execute(
            "UPDATE audit_log SET completion_tokens = 1 WHERE seq = 3",
            [],
        )
        .expect("edit");
    assert_eq!(
        bad(&store),
        Some(BadEntry {
            seq: 3,
            problem: Problem::Changed
        })
    );
    let store = fresh();
    store
        .conn()
        .execute("DELETE FROM audit_log WHERE seq = 4", [])
        .expect("delete");
    assert_eq!(
        bad(&store),
        Some(BadEntry {
            seq: 4,
            problem: Problem::Missing
        })
    );
    let store = fresh();
    store
        .conn()
        .execute(
            "INSERT INTO audit_log SELECT 0, at, kind, os_user, machine, app, model, level,
                 prompt_tokens, completion_tokens, duration_ms, outcome, refers_to,
                 prompt_sha256, output_sha256, error, detail, prev_hash, hash
             FROM audit_log WHERE seq = 2",
            [],
        )
        .expect("insert");
    assert_eq!(
        bad(&store),
        Some(BadEntry {
            seq: 0,
            problem: Problem::Unlinked
        })
    );
    let store = fresh();
    store
        .conn()
        .execute_batch(
            "UPDATE audit_log SET seq = -2 WHERE seq = 2;
             UPDATE audit_log SET seq = 2 WHERE seq = 5;
             UPDATE audit_log SET seq = 5 WHERE seq = -2;",
        )
        .expect("swap");
    assert_eq!(
        bad(&store),
        Some(BadEntry {
            seq: 2,
            problem: Problem::Unlinked
        })
    );
}

#[test]
fn rows_of_the_old_audit_table_are_copied_into_the_chain() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("wenshu.db");
    let conn = Connection::open(&path).expect("raw open");
    conn.execute_batch(&migrations::first(5))
        .expect("the schema of before");
    conn.pragma_update(None, "user_version", 5)
        .expect("version 5");
    conn.execute(
        "INSERT INTO audit (started_at, os_user, model_sha256, app, prompt_tokens,
             completion_tokens, duration_ms, outcome, cancelled, error)
         VALUES (1700000000000, 'old', 'ab', 'cli.ask', 3, 4, 5, 'failed', 0, '模型出错')",
        [],
    )
    .expect("an old row");
    drop(conn);
    let store = Store::open(&path).expect("migrates");
    let rows = store
        .audit_entries(&EntryFilter::default())
        .expect("entries");
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let old = &rows[0].entry;
    assert_eq!(
        (
            old.kind,
            old.os_user.as_str(),
            old.prompt_tokens,
            old.error.as_deref()
        ),
        (EntryKind::Finished, "old", 3, Some("模型出错"))
    );
    assert_eq!(old.outcome, Some(CallOutcome::Failed));
    assert_eq!(
        rows[1].entry.kind,
        EntryKind::Migration,
        "then the migration"
    );
    assert!(rows[1].entry.detail.contains("\"copied\":1"));
    assert_eq!(store.audit_verify().expect("verify").bad, None);
}

#[test]
fn usage_groups_calls_by_day_app_and_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("wenshu.db")).expect("open");
    let day = 86_400_000;
    // 2023-11-14 22:13 UTC is 2023-11-15 in China: the day follows the offset.
    for (at, app) in [
        (0, "cli.ask"),
        (0, "draft.circular"),
        (day, "draft.circular"),
    ] {
        let mut entry = audit(CallOutcome::Completed);
        entry.at_ms += at;
        entry.app = app.into();
        store.append_audit(&entry).expect("append");
    }
    let days = store
        .usage(UsageBy::Day { zone: Zone::CHINA }, 0)
        .expect("days");
    let keys: Vec<(&str, u64, u64)> = days
        .iter()
        .map(|r| {
            (
                r.key.as_str(),
                r.calls,
                r.prompt_tokens + r.completion_tokens,
            )
        })
        .collect();
    assert_eq!(keys, [("2023-11-15", 2, 92), ("2023-11-16", 1, 46)]);
    let utc: Vec<(String, u64)> = store
        .usage(UsageBy::Day { zone: Zone::UTC }, 0)
        .expect("days in UTC")
        .into_iter()
        .map(|r| (r.key, r.calls))
        .collect();
    assert_eq!(
        utc,
        [("2023-11-14".to_string(), 2), ("2023-11-15".to_string(), 1)],
        "in another zone the same calls fall on that zone's days"
    );
    let apps = store.usage(UsageBy::App, 0).expect("apps");
    assert_eq!(apps[0].key, "draft.circular");
    assert_eq!(apps[0].calls, 2);
    assert_eq!(store.usage(UsageBy::Model, 0).expect("models").len(), 1);
    let later = store
        .usage(UsageBy::App, 1_700_000_000_000 + day)
        .expect("since");
    assert_eq!(later.len(), 1);
}

#[test]
fn pack_versions_and_signed_sequences_are_kept_across_openings() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("w.db");
    let store = Store::open(&path).expect("open");
    assert_eq!(store.pack_version("notice").expect("read"), None);
    store.set_pack_version("notice", "1.2.0", 1).expect("write");
    store.set_pack_version("notice", "1.3.0", 2).expect("write");
    assert_eq!(store.signed_sequence("index").expect("read"), None);
    store.set_signed_sequence("index", 7, 3).expect("write");
    drop(store);
    let store = Store::open(&path).expect("reopen");
    assert_eq!(
        store.pack_version("notice").expect("read").as_deref(),
        Some("1.3.0")
    );
    assert_eq!(store.signed_sequence("index").expect("read"), Some(7));
    assert_eq!(store.signed_sequence("keys").expect("read"), None);
}
