//! The UI reads what the shell's commands return with its own types (`ui/src/types.rs`: the UI
//! is compiled to WebAssembly and cannot link `wenshu-app`). This test makes real values with
//! `wenshu-app`, serialises them as the shell does, and reads them back with the UI's types, so
//! a field renamed or retyped on one side fails here rather than in the window.

#[path = "../../ui/src/types.rs"]
#[allow(dead_code)]
mod ui;

use std::path::PathBuf;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wenshu_app::{AskOptions, Cancel, Home, ImportMode, Wenshu};

/// `value` as the window receives it, read with the UI's type `T`.
fn read_as<T: DeserializeOwned, V: Serialize>(value: &V) -> T {
    let json = serde_json::to_value(value).expect("serialises");
    match serde_json::from_value::<T>(json.clone()) {
        Ok(v) => v,
        Err(err) => panic!(
            "the UI cannot read {}: {err}\n{json:#}",
            std::any::type_name::<T>()
        ),
    }
}

fn model() -> PathBuf {
    PathBuf::from(std::env::var_os("WENSHU_TEST_MODEL").expect(
        "WENSHU_TEST_MODEL names the default GGUF (make test sets it: scripts/setup.sh --test)",
    ))
}

#[test]
fn the_ui_reads_every_reply_the_shell_sends() {
    // The catalogue, with each drafting form.
    let apps: Vec<ui::AppInfo> = read_as(&wenshu_app::catalog::apps());
    assert!(
        apps.iter()
            .any(|a| a.id == "draft.circular" && !a.fields.is_empty())
    );

    // Checking and fixing a draft.
    let dir = tempfile::tempdir().expect("temp dir");
    let draft = dir.path().join("草稿.txt");
    let text =
        "关于开展数据安全检查的通知\n各区数据管理局：\n检查时间为2024.5.1至5月31日,请按时报送.\n";
    std::fs::write(&draft, text).expect("write");
    let report: ui::CheckReport =
        read_as(&wenshu_app::check::check_document(&draft).expect("checks"));
    assert!(!report.findings.is_empty() && !report.fixable.is_empty());
    let review: ui::Review = read_as(&wenshu_app::check::review_text(text));
    assert_eq!(review.fixable, report.fixable);
    let fix: ui::TextFix = read_as(&wenshu_app::check::fix_text(text, None));
    assert!(!fix.changes.is_empty());

    // A home with the model: settings, models, knowledge base, answers, history, audit, usage.
    let wenshu = Wenshu::open(
        Home::at(&dir.path().join("home")),
        &[("WENSHU_MODEL__THREADS".to_string(), "2".to_string())],
    )
    .expect("opens");
    wenshu
        .import_model(&model(), Some("default"), ImportMode::Symlink)
        .expect("imports");
    let settings: Vec<ui::Setting> = read_as(&wenshu.setting_list());
    assert!(
        settings
            .iter()
            .any(|s| s.key == "model.threads" && s.locked.is_some())
    );
    let models: Vec<ui::Model> = read_as(&wenshu.models().expect("models"));
    assert_eq!(models.len(), 1);

    let doc = dir.path().join("指南.txt");
    std::fs::write(
        &doc,
        "数据分级指南\n数据按重要程度分为一般数据、重要数据和核心数据。\n",
    )
    .expect("write");
    let added: ui::KbAddReport = read_as(
        &wenshu
            .kb_add(&[doc], None, &Cancel::new(), &mut |_| {})
            .expect("adds"),
    );
    assert_eq!(added.added.len(), 1);
    let listed: Vec<ui::KbDocument> = read_as(&wenshu.kb_list().expect("lists"));
    assert!(!listed.is_empty());
    let hits: Vec<ui::SearchHit> = read_as(&wenshu.kb_search("核心数据", 5).expect("searches"));
    assert!(!hits.is_empty());

    let options = AskOptions {
        max_tokens: Some(12),
        app: "test".into(),
        ..AskOptions::default()
    };
    let cited: ui::CitedAnswer = read_as(
        &wenshu
            .ask_kb("数据分为哪几级？", &options, &Cancel::new(), &mut |_| {})
            .expect("answers"),
    );
    assert!(cited.found && !cited.passages.is_empty());
    let answer: ui::Answer = read_as(
        &wenshu
            .chat_turn(None, "你好", &options, &Cancel::new(), &mut |_| {})
            .expect("answers"),
    );
    let history: Vec<ui::Conversation> = read_as(&wenshu.history(10).expect("history"));
    assert!(history.iter().any(|c| c.id == answer.conversation_id));
    let detail: ui::ConversationDetail =
        read_as(&wenshu.conversation(answer.conversation_id).expect("one"));
    assert_eq!(detail.messages.len(), 2);
    let audit: Vec<ui::AuditEntry> = read_as(&wenshu.audit(10).expect("audit"));
    assert_eq!(audit.len(), 2);
    let usage: ui::UsageReport = read_as(&wenshu.usage(7).expect("usage"));
    assert!(!usage.apps.is_empty());
}
