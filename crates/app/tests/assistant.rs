//! The application API on real files: the model registry, answers stored in history, and an
//! audit row for every model call, whether it completed, was cancelled or failed.

#[path = "../../../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::sync::Arc;

use wenshu_app::{AskOptions, Cancel, Chat, ErrorCode, Home, ImportMode, Wenshu};

fn open(dir: &Path) -> Wenshu {
    let env = vec![
        ("WENSHU_MODEL__THREADS".to_string(), "1".to_string()),
        (
            "WENSHU_MODEL__CONTEXT_TOKENS".to_string(),
            "1024".to_string(),
        ),
        (
            "WENSHU_GENERATION__TEMPERATURE".to_string(),
            "0".to_string(),
        ),
    ];
    Wenshu::open(Home::at(dir), &env)
        .expect("a fresh home opens")
        .with_clock(Arc::new(|| 1_700_000_000_000))
}

fn with_model(dir: &Path) -> Wenshu {
    let wenshu = open(dir);
    wenshu
        .import_model(
            &support::default_model(),
            Some("default"),
            ImportMode::Symlink,
        )
        .expect("the default model imports");
    wenshu
}

fn options(max_tokens: u32) -> AskOptions {
    AskOptions {
        max_tokens: Some(max_tokens),
        app: "test".into(),
        ..AskOptions::default()
    }
}

#[test]
fn import_records_hash_and_metadata_and_becomes_active() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = with_model(dir.path());
    let models = wenshu.models().expect("list");
    assert_eq!(models.len(), 1);
    let m = &models[0];
    assert_eq!(
        m.sha256,
        support::DEFAULT_MODEL_SHA256,
        "the pinned hash of the default model"
    );
    assert_eq!(
        (m.architecture.as_str(), m.quantization.as_str()),
        ("qwen2", "Q4_K_M")
    );
    assert!(m.active, "the first model imported becomes the active one");
    let checks = wenshu.verify_models(None).expect("verify");
    assert!(
        checks.iter().all(|c| c.is_ok()),
        "an untouched model verifies: {checks:?}"
    );
}

#[test]
fn copied_model_that_changes_fails_verification() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = open(dir.path());
    let info = wenshu
        .import_model(&support::default_model(), None, ImportMode::Copy)
        .expect("copy import");
    assert!(
        Path::new(&info.path).starts_with(dir.path()),
        "the copy lives in the data dir"
    );
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&info.path)
        .expect("open copy");
    std::io::Write::write_all(&mut file, b"x").expect("append");
    let checks = wenshu.verify_models(Some(&info.name)).expect("verify");
    assert_eq!(
        checks[0].status, "modified",
        "a changed file is caught by re-hashing"
    );
    std::fs::remove_file(&info.path).expect("remove");
    assert_eq!(
        wenshu.verify_models(None).expect("verify")[0].status,
        "missing"
    );
}

/// A GGUF header that declares one tensor of 64 F32 values and holds none of its data, like a
/// download cut short: refused from its header alone, before llama.cpp reads it.
fn truncated_gguf() -> Vec<u8> {
    let mut out = b"GGUF".to_vec();
    out.extend(3u32.to_le_bytes()); // version
    out.extend(1u64.to_le_bytes()); // tensors
    out.extend(0u64.to_le_bytes()); // metadata keys
    out.extend(1u64.to_le_bytes()); // the tensor's name: "w"
    out.extend(b"w");
    out.extend(1u32.to_le_bytes()); // dimensions
    out.extend(64u64.to_le_bytes());
    out.extend(0u32.to_le_bytes()); // F32
    out.extend(0u64.to_le_bytes()); // data offset
    out
}

/// Asserts that importing `path` is refused as an invalid model, naming the file.
fn assert_refused(wenshu: &Wenshu, path: &Path) {
    let shown = path.display().to_string();
    let Err(err) = wenshu.import_model(path, Some("bad"), ImportMode::Copy) else {
        panic!("{shown}: a bad model file is refused");
    };
    assert_eq!(
        err.code,
        ErrorCode::ModelInvalid,
        "{shown}: refused as an invalid model: {}",
        err.message
    );
    assert_eq!(err.code.exit_code(), 2, "{shown}: model errors exit with 2");
    assert!(
        err.message.contains(&shown),
        "{shown}: the error names the path: {}",
        err.message
    );
}

/// The files in the models folder.
fn models_dir_files(wenshu: &Wenshu) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(wenshu.home().models_dir())
        .expect("models dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect()
}

#[test]
fn bad_model_files_are_refused_with_their_path_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = open(dir.path());
    let junk = tempfile::tempdir().expect("junk dir");
    let truncated = junk.path().join("truncated.gguf");
    std::fs::write(&truncated, truncated_gguf()).expect("write");
    let renamed = junk.path().join("readme.gguf");
    std::fs::write(&renamed, "not a model").expect("write");
    for path in [
        truncated,
        renamed,
        junk.path().join("missing.gguf"),
        junk.path().to_path_buf(),
    ] {
        assert_refused(&wenshu, &path);
    }
    let models = wenshu.models().expect("list");
    assert!(models.is_empty(), "nothing was registered: {models:#?}");
    let leftovers = models_dir_files(&wenshu);
    assert!(
        leftovers.is_empty(),
        "no partial files remain: {leftovers:?}"
    );
}

#[test]
fn a_bad_model_file_leaves_the_registry_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = with_model(dir.path());
    let before = wenshu.models().expect("list");
    let junk = tempfile::tempdir().expect("junk dir");
    let truncated = junk.path().join("truncated.gguf");
    let bytes = std::fs::read(support::default_model()).expect("read");
    std::fs::write(&truncated, &bytes[..1_000_000]).expect("write");
    assert_refused(&wenshu, &truncated);
    assert_eq!(
        wenshu.models().expect("list"),
        before,
        "nothing was added or changed"
    );
    let leftovers = models_dir_files(&wenshu);
    assert_eq!(
        leftovers.len(),
        1,
        "only the default model's link, no partial files: {leftovers:?}"
    );

    let err = wenshu
        .import_model(
            &support::default_model(),
            Some("again"),
            ImportMode::Symlink,
        )
        .expect_err("the same file twice");
    assert_eq!(err.code, ErrorCode::AlreadyExists);
}

#[test]
fn answers_are_stored_and_audited() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = with_model(dir.path());
    let mut streamed = String::new();
    let answer = wenshu
        .ask(
            "广东省的省会是哪个城市？",
            &options(32),
            &Cancel::new(),
            &mut |t| streamed.push_str(t),
        )
        .expect("answers");
    assert_eq!(streamed, answer.text, "what streamed is what was stored");
    assert!(
        answer.text.contains("广州"),
        "a correct answer from the real model: {}",
        answer.text
    );
    let detail = wenshu.conversation(answer.conversation_id).expect("stored");
    assert_eq!(detail.messages.len(), 2, "question and answer");
    assert_eq!(detail.messages[1].content, answer.text);
    assert_eq!(
        detail.messages[1].model_sha256.as_deref(),
        Some(support::DEFAULT_MODEL_SHA256)
    );

    let audit = wenshu.audit(10).expect("audit");
    assert_eq!(audit.len(), 1, "one row per model call");
    let row = &audit[0];
    assert_eq!(row.outcome, "completed");
    assert_eq!(row.app, "test");
    assert_eq!(row.model_sha256, support::DEFAULT_MODEL_SHA256);
    assert_eq!(row.prompt_tokens, u64::from(answer.prompt_tokens));
    assert_eq!(row.completion_tokens, u64::from(answer.completion_tokens));
    assert_eq!(
        row.started_at_ms, 1_700_000_000_000,
        "time comes from the injected clock"
    );
    assert!(!row.os_user.is_empty());
}

#[test]
fn cancelled_answer_is_kept_as_cancelled_and_audited() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = with_model(dir.path());
    let cancel = Cancel::new();
    let mut pieces = 0;
    let answer = wenshu
        .ask(
            "请写一篇八百字的文章，介绍公文写作的要求。",
            &options(500),
            &cancel,
            &mut |_| {
                pieces += 1;
                if pieces == 4 {
                    cancel.cancel();
                }
            },
        )
        .expect("cancelling is not an error");
    assert_eq!(answer.stop, "cancelled");
    assert!(!answer.text.is_empty(), "the partial answer is returned");
    let detail = wenshu.conversation(answer.conversation_id).expect("stored");
    let stored = &detail.messages[1];
    assert!(stored.cancelled, "stored as cancelled");
    assert_eq!(
        stored.content, answer.text,
        "the partial text is what was stored"
    );
    let row = &wenshu.audit(1).expect("audit")[0];
    assert_eq!(row.outcome, "cancelled");
    assert!(row.cancelled);
    assert_eq!(row.completion_tokens, u64::from(answer.completion_tokens));
}

#[test]
fn a_call_without_a_model_is_audited_as_failed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = open(dir.path());
    let err = wenshu
        .ask("你好", &options(8), &Cancel::new(), &mut |_| {})
        .expect_err("no model yet");
    assert_eq!(err.code, ErrorCode::NoModel, "{}", err.message);
    let rows = wenshu.audit(10).expect("audit");
    assert_eq!(rows.len(), 1, "one row for the one call: {rows:#?}");
    assert_eq!(
        rows[0].outcome, "failed",
        "a call that could not even load a model is recorded"
    );
    assert!(
        rows[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("还没有导入模型")),
        "the row says, in the user's language, that there was no model: {:?}",
        rows[0].error
    );
}

#[test]
fn a_prompt_too_long_is_audited_as_failed_with_the_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = with_model(dir.path());
    let err = wenshu
        .ask(
            &"数据".repeat(1500),
            &options(8),
            &Cancel::new(),
            &mut |_| {},
        )
        .expect_err("too long for 1024 tokens");
    assert_eq!(err.code, ErrorCode::PromptTooLong, "{}", err.message);
    let rows = wenshu.audit(10).expect("audit");
    assert_eq!(rows.len(), 1, "one row for the one call: {rows:#?}");
    assert_eq!(rows[0].outcome, "failed");
    assert_eq!(
        rows[0].model_sha256,
        support::DEFAULT_MODEL_SHA256,
        "the loaded model is named"
    );
}

#[test]
fn chat_keeps_context_across_turns_and_resumes_from_history() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = with_model(dir.path());
    let mut chat = Chat::new("你是助手。回答要简短。");
    chat.send(
        &wenshu,
        "请记住：我的名字叫李明。",
        &options(24),
        &Cancel::new(),
        &mut |_| {},
    )
    .expect("first turn");
    let second = chat
        .send(
            &wenshu,
            "我叫什么名字？",
            &options(24),
            &Cancel::new(),
            &mut |_| {},
        )
        .expect("second turn");
    assert!(
        second.text.contains("李明"),
        "the earlier turn is in context: {}",
        second.text
    );
    let id = chat.conversation_id().expect("stored");
    let resumed = Chat::resume(&wenshu, id, "你是助手。").expect("resume");
    assert_eq!(
        resumed.turns().len(),
        4,
        "two questions and two answers come back"
    );
    assert_eq!(
        wenshu.history(10).expect("history")[0].id,
        id,
        "newest conversation first"
    );
    assert_eq!(
        wenshu.audit(10).expect("audit").len(),
        2,
        "one audit row per turn"
    );
}

#[test]
fn failed_question_is_kept_in_history_but_not_in_the_conversation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = with_model(dir.path());
    let mut chat = Chat::new("你是助手。");
    let too_long = "数据".repeat(1500);
    chat.send(&wenshu, &too_long, &options(8), &Cancel::new(), &mut |_| {})
        .expect_err("does not fit 1024 tokens");
    assert!(
        chat.turns().is_empty(),
        "the failed question is not part of the conversation"
    );
    chat.send(&wenshu, "你好", &options(8), &Cancel::new(), &mut |_| {})
        .expect("the conversation goes on");
    let id = chat.conversation_id().expect("stored");
    assert_eq!(
        wenshu.conversation(id).expect("detail").messages.len(),
        3,
        "history keeps all"
    );
    let resumed = Chat::resume(&wenshu, id, "你是助手。").expect("resume");
    let roles: Vec<_> = resumed.turns().iter().map(|t| t.role).collect();
    assert_eq!(
        roles,
        vec![wenshu_core::Role::User, wenshu_core::Role::Assistant],
        "resuming skips the unanswered question"
    );
}

/// One `Wenshu` serves several threads: while a generation holds the model, searching the
/// knowledge base, reading history and counting usage go on. The generating thread waits (in
/// its text callback, holding the model) until the other thread is done, so this test would
/// deadlock, and fail on its guard, if any of them needed the model's turn.
#[test]
fn searching_and_listing_go_on_while_the_model_generates() {
    use std::sync::mpsc;
    use std::time::Duration;

    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = with_model(dir.path());
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).expect("mkdir");
    std::fs::write(
        docs.join("plan.txt"),
        "关于推进数字政府建设的实施意见\n建立健全数据资产登记制度。\n",
    )
    .expect("write");
    wenshu
        .kb_add(&[docs], None, &Cancel::new(), &mut |_| {})
        .expect("add");

    let (started_tx, started_rx) = mpsc::channel::<()>();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let cancel = Cancel::new();
    let (wenshu, cancel) = (&wenshu, &cancel);
    std::thread::scope(|scope| {
        let generating = scope.spawn(move || {
            let mut first = true;
            let mut waited = false;
            let answer = wenshu.ask(
                "用一句话介绍广州。",
                &options(64),
                cancel,
                &mut |_| {
                    if first {
                        first = false;
                        started_tx.send(()).expect("the other thread listens");
                        // Deadlock guard only: the other side answers in well under a second.
                        waited = done_rx.recv_timeout(Duration::from_secs(120)).is_ok();
                        cancel.cancel();
                    }
                },
            );
            (answer, waited)
        });
        started_rx
            .recv_timeout(Duration::from_secs(300))
            .expect("the model starts writing");
        let hits = wenshu.kb_search("数据资产登记", 5).expect("search");
        assert!(hits.iter().any(|h| h.doc.ends_with("plan.txt")), "{hits:?}");
        assert!(
            wenshu
                .kb_list()
                .expect("list")
                .iter()
                .any(|d| d.path.ends_with("plan.txt"))
        );
        wenshu.history(10).expect("history");
        wenshu.usage(7).expect("usage");
        assert!(!wenshu.setting_list().is_empty());
        done_tx.send(()).expect("the generating thread listens");
        let (answer, waited) = generating.join().expect("no panic");
        assert!(
            waited,
            "the search and lists answered while the model was held"
        );
        assert_eq!(answer.expect("answer").stop, "cancelled");
    });
}

#[test]
fn a_daily_quota_refuses_and_records_and_the_next_day_allows_again() {
    use std::sync::atomic::{AtomicI64, Ordering};
    let dir = tempfile::tempdir().expect("temp dir");
    let env: Vec<(String, String)> = [
        ("WENSHU_MODEL__THREADS", "1"),
        ("WENSHU_MODEL__CONTEXT_TOKENS", "1024"),
        ("WENSHU_GENERATION__TEMPERATURE", "0"),
        ("WENSHU_LIMITS__MAX_TOKENS_PER_DAY", "10"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
    .collect();
    let now = Arc::new(AtomicI64::new(1_700_000_000_000));
    let clock = Arc::clone(&now);
    let wenshu = Wenshu::open(Home::at(dir.path()), &env)
        .expect("opens")
        .with_clock(Arc::new(move || clock.load(Ordering::SeqCst)));
    wenshu
        .import_model(
            &support::default_model(),
            Some("default"),
            ImportMode::Symlink,
        )
        .expect("imports");
    let ask = || wenshu.ask("你好", &options(4), &Cancel::new(), &mut |_| {});
    ask().expect("under the quota");
    let quotas = wenshu.quotas().expect("quotas");
    assert_eq!(quotas.len(), 1, "{quotas:#?}");
    assert!(quotas[0].used >= 10, "the call counted: {quotas:#?}");
    let err = ask().expect_err("over the quota");
    assert_eq!(err.code, ErrorCode::Policy, "{}", err.message);
    assert_eq!(err.id, "audit.quota_user");
    let last = &wenshu.audit(1).expect("audit")[0];
    assert_eq!(
        (last.kind.as_str(), last.outcome.as_str()),
        ("refusal", "refused"),
        "the refusal is on record: {last:#?}"
    );
    now.fetch_add(86_400_000, Ordering::SeqCst);
    ask().expect("a new day, a new quota");
    assert_eq!(wenshu.audit(1).expect("audit")[0].kind, "finished");
}

#[test]
fn entries_past_the_retention_period_move_to_a_sealed_archive_never_silently() {
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path().join("home");
    // Two calls, long ago (the fixed clock of `open`).
    {
        let wenshu = with_model(&home);
        for _ in 0..2 {
            wenshu
                .ask("你好", &options(2), &Cancel::new(), &mut |_| {})
                .expect("answers");
        }
    }
    // A policy keeping the log 30 days: at the next start the old entries are archived.
    let policy_dir = dir.path().join("policy");
    std::fs::create_dir_all(&policy_dir).expect("dir");
    let pair = wenshu_packs::sign::keygen().expect("keygen");
    let text = "audit_retention_days = 30\n";
    std::fs::write(policy_dir.join("policy.toml"), text).expect("policy");
    std::fs::write(policy_dir.join("policy.pub"), &pair.public).expect("pub");
    std::fs::write(
        policy_dir.join("policy.toml.minisig"),
        wenshu_packs::policy::sign_policy(&pair.secret, text).expect("sign"),
    )
    .expect("sig");
    let env = vec![(
        "WENSHU_POLICY".to_string(),
        policy_dir.join("policy.toml").display().to_string(),
    )];
    let wenshu = Wenshu::open(Home::at(&home), &env).expect("opens under the policy");
    // Sixty days on, everything so far is past the period.
    let later = wenshu_app::now_ms() + 60 * 86_400_000;
    let wenshu = wenshu.with_clock(Arc::new(move || later));
    let file = wenshu
        .archive_audit()
        .expect("archives")
        .expect("an archive file");
    let archives: Vec<_> = std::fs::read_dir(home.join("audit-archive"))
        .expect("an archive folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    let archived = std::fs::read_to_string(&file).expect("archive");
    // The migration, two calls of two entries each, the policy.
    assert_eq!(archived.lines().count(), 6, "{archived}");
    assert!(
        archives.iter().any(|p| p
            .display()
            .to_string()
            .ends_with(".checkpoint.json.minisig")),
        "the archive is sealed by a signed checkpoint: {archives:?}"
    );
    let log = wenshu.audit_log(50, true).expect("log");
    let kinds: Vec<&str> = log.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["archive"], "what is left: the archive, as an entry");
    assert_eq!(log[0].detail["upto"], 6, "{log:#?}");
    let report = wenshu.audit_verify(&[]).expect("verify");
    assert!(report.ok, "the chain goes on from the seal: {report:#?}");
    assert_eq!((report.first_seq, report.head_seq), (7, 7));
    // The chain goes on after it.
    wenshu
        .ask("你好", &options(2), &Cancel::new(), &mut |_| {})
        .expect("answers");
    assert!(wenshu.audit_verify(&[]).expect("verify").ok);
}
