//! Drafting with the real default model: the outline parses into the type's structure, the
//! elements the user gave come back unchanged, the checker passes the result, and the DOCX
//! reads back the same.

#[path = "../../../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::sync::Arc;

use wenshu_app::draft::{ELEMENTS_RULE, FACTS_RULE};
use wenshu_app::{
    Cancel, Draft, DraftEvent, DraftRequest, ErrorCode, Home, ImportMode, Wenshu, check,
};
use wenshu_core::document::{Date, DocType};
use wenshu_core::facts::split_facts;

fn open(dir: &Path) -> Wenshu {
    let env = vec![
        ("WENSHU_MODEL__THREADS".to_string(), "1".to_string()),
        (
            "WENSHU_MODEL__CONTEXT_TOKENS".to_string(),
            "2048".to_string(),
        ),
        // Shorter sections keep the suite quick; the structure is what is under test.
        (
            "WENSHU_DRAFT__SECTION_TOKENS".to_string(),
            "160".to_string(),
        ),
    ];
    Wenshu::open(Home::at(dir), &env)
        .expect("a fresh home opens")
        // 2024-03-20 10:00 in Beijing.
        .with_clock(Arc::new(|| 1_710_900_000_000))
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

const FACTS: &str = "\
1. 检查对象：全市各区政务数据共享平台和市直部门的业务系统，共12个系统。
2. 检查时间：2024年4月1日至4月30日。
3. 检查内容：数据分类分级、访问权限管理、日志留存（不少于6个月）。
4. 各单位于2024年5月10日前将自查报告报送市政务服务数据管理局。
";

fn run_draft(wenshu: &Wenshu, request: &DraftRequest) -> (Draft, Vec<String>) {
    let mut steps = Vec::new();
    let mut streamed = String::new();
    let draft = wenshu
        .draft(request, &Cancel::new(), &mut |event| match event {
            DraftEvent::Step { step, of, label } => {
                assert!(step <= of, "step {step} of {of}");
                steps.push(label.to_string());
            }
            DraftEvent::Text(text) => streamed.push_str(text),
        })
        .unwrap_or_else(|err| panic!("drafting fails: {err}"));
    assert!(!streamed.is_empty(), "the model's text streams");
    (draft, steps)
}

/// The body paragraphs' texts and the level-1 headings.
fn body(draft: &Draft) -> (Vec<&str>, Vec<&str>) {
    (
        draft.document.paragraphs().collect(),
        draft.document.headings(1).collect(),
    )
}

/// The steps that wrote the outline and the sections, without the second tries at paragraphs
/// that left facts out.
fn writing_steps(steps: &[String]) -> Vec<&str> {
    steps
        .iter()
        .map(String::as_str)
        .filter(|s| !s.contains("（补写"))
        .collect()
}

/// What the pipeline guarantees whatever the model writes: every fact of `facts` in the draft,
/// nothing the user never gave, no sentence said twice, no talk about the task, no placeholder,
/// no checker error.
fn assert_guarantees(draft: &Draft, facts: &str) {
    let given = split_facts(facts);
    assert_eq!(draft.facts.facts.len(), given.len(), "{:#?}", draft.facts);
    for fact in &given {
        assert!(
            fact.kept_in(&draft.text),
            "the fact {:?} is in the draft:\n{}",
            fact.text,
            draft.text
        );
    }
    for rule in [FACTS_RULE, "task-talk", "placeholder", "repeated-sentence"] {
        let found: Vec<_> = draft.findings.iter().filter(|f| f.rule == rule).collect();
        assert!(found.is_empty(), "{rule}: {found:#?}\n{}", draft.text);
    }
    assert!(
        errors(draft).is_empty(),
        "{:#?}\n{}",
        draft.findings,
        draft.text
    );
}

fn errors(draft: &Draft) -> Vec<String> {
    draft
        .findings
        .iter()
        .filter(|f| f.severity == "error")
        .map(|f| format!("{}:{} {}", f.line, f.rule, f.message))
        .collect()
}

#[test]
fn a_notice_has_its_structure_and_every_given_element_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = with_model(dir.path());
    let request = DraftRequest {
        doc_type: Some(DocType::Circular),
        issuer: "广州市政务服务数据管理局".into(),
        topic: "开展政务数据安全检查".into(),
        addressees: vec!["各区政务服务数据管理局".into(), "市直各有关单位".into()],
        facts: Some(FACTS.into()),
        number: Some("穗数〔2024〕15号".into()),
        date: Date::parse("2024-03-20"),
        attachments: vec!["政务数据安全自查表".into()],
        copy_to: vec!["市委网信办".into()],
        contact: Some("王敏，电话：020-83331234".into()),
        seed: Some(7),
        ..DraftRequest::default()
    };
    let (draft, steps) = run_draft(&wenshu, &request);

    // The outline is the 通知's: 缘由, then items, then 要求, each written in its own step.
    let keys: Vec<&str> = draft
        .outline
        .sections
        .iter()
        .map(|s| s.key.as_str())
        .collect();
    assert_eq!(keys, ["reason", "items", "requirements"]);
    let items = &draft.outline.sections[1].items;
    assert!(
        (2..=4).contains(&items.len()),
        "2 to 4 items: {:#?}",
        draft.outline
    );
    assert_eq!(
        writing_steps(&steps).len(),
        1 + 1 + items.len() + 1,
        "{steps:?}"
    );
    assert_eq!(steps[0], "提纲");
    assert_eq!(draft.steps.len(), steps.len(), "one model call per step");

    let doc = &draft.document;
    assert_eq!(doc.doc_type, "通知");
    assert!(
        doc.title.starts_with("广州市政务服务数据管理局关于") && doc.title.ends_with("的通知"),
        "{}",
        doc.title
    );
    assert_eq!(doc.number.as_deref(), Some("穗数〔2024〕15号"));
    assert_eq!(doc.date.as_deref(), Some("2024年3月20日"));
    assert_eq!(doc.addressees, request.addressees);
    assert_eq!(doc.attachments, request.attachments);
    assert_eq!(doc.copy_to, request.copy_to);
    assert_eq!(
        doc.note.as_deref(),
        Some("联系人：王敏，电话：020-83331234")
    );
    let (paragraphs, headings) = body(&draft);
    assert_eq!(
        headings.len(),
        items.len(),
        "one 一、 heading per item: {doc:#?}"
    );
    assert!(
        paragraphs[0].ends_with("现将有关事项通知如下："),
        "the 缘由 ends with its formula: {}",
        paragraphs[0]
    );
    assert_eq!(paragraphs.last(), Some(&"特此通知。"));
    assert!(errors(&draft).is_empty(), "{:#?}", draft.findings);
    assert!(
        draft.findings.iter().all(|f| f.rule != ELEMENTS_RULE),
        "{:#?}",
        draft.findings
    );
    assert_guarantees(&draft, FACTS);
    for line in draft.text.lines() {
        assert!(!line.contains('\u{fffd}'), "no broken characters: {line}");
    }

    // The DOCX holds the same document and passes the checker, layout included.
    let path = dir.path().join("通知.docx");
    let document = wenshu_app::draft::draft_document(&draft).expect("the draft converts back");
    wenshu
        .export_document(&document, &path, "draft.circular", "")
        .expect("export");
    let findings = check::check_file(&path).expect("the DOCX reads back");
    assert!(
        !check::has_errors(&findings),
        "{findings:#?}\n{}",
        draft.text
    );
    let bytes = std::fs::read(&path).expect("read");
    let paragraphs = wenshu_docs::docx_paragraphs(&bytes).expect("paragraphs");
    for expected in ["穗数〔2024〕15号", "2024年3月20日", doc.title.as_str()] {
        assert!(
            paragraphs.iter().any(|p| p == expected),
            "{expected} in {paragraphs:#?}"
        );
    }

    // Every call was audited as the 通知 drafting app.
    let audit = wenshu.audit(50).expect("audit");
    assert_eq!(audit.len(), draft.steps.len());
    assert!(
        audit.iter().all(|a| a.app == "draft.circular"),
        "{audit:#?}"
    );
}

#[test]
fn a_request_asks_one_superior_once_and_a_letter_closes_politely() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = with_model(dir.path());
    let facts = "现有政务云资源：CPU 2000核，存储500TB，使用率已达85%。\n\
                 扩容需求：CPU 1000核，存储200TB，预计经费860万元。\n\
                 经费来源：申请市财政专项资金。";
    let request = DraftRequest {
        doc_type: Some(DocType::Request),
        issuer: "广州市政务服务数据管理局".into(),
        topic: "申请政务云资源扩容经费".into(),
        addressees: vec!["广州市人民政府".into()],
        signers: vec!["李明".into()],
        facts: Some(facts.into()),
        number: Some("穗数〔2024〕16号".into()),
        date: Date::parse("2024年3月22日"),
        seed: Some(7),
        ..DraftRequest::default()
    };
    let (draft, steps) = run_draft(&wenshu, &request);
    assert_eq!(writing_steps(&steps), ["提纲", "缘由", "请示事项"]);
    assert_guarantees(&draft, facts);
    let doc = &draft.document;
    assert_eq!(doc.doc_type, "请示");
    assert_eq!(doc.signers, ["李明"]);
    assert_eq!(doc.addressees, ["广州市人民政府"]);
    assert_eq!(doc.number.as_deref(), Some("穗数〔2024〕16号"));
    assert_eq!(doc.date.as_deref(), Some("2024年3月22日"));
    assert!(draft.text.contains("穗数〔2024〕16号　　签发人：李明\n"));
    let (paragraphs, headings) = body(&draft);
    assert!(headings.is_empty(), "one matter, no list: {doc:#?}");
    assert_eq!(paragraphs.last(), Some(&"妥否，请批示。"));
    assert!(errors(&draft).is_empty(), "{:#?}", draft.findings);

    let letter = DraftRequest {
        doc_type: Some(DocType::Letter),
        issuer: "广州市政务服务数据管理局".into(),
        topic: "商请提供2023年度人口统计数据".into(),
        addressees: vec!["广州市统计局".into()],
        facts: Some("需要的数据：2023年末各区常住人口数。用途：编制政务服务资源配置方案。请于2024年4月15日前提供。".into()),
        number: Some("穗数函〔2024〕8号".into()),
        date: Date::parse("2024-03-25"),
        seed: Some(7),
        ..DraftRequest::default()
    };
    let (draft, _) = run_draft(&wenshu, &letter);
    let doc = &draft.document;
    assert_eq!(doc.doc_type, "函");
    assert!(doc.title.ends_with("的函"), "{}", doc.title);
    assert_eq!(doc.number.as_deref(), Some("穗数函〔2024〕8号"));
    assert_eq!(doc.date.as_deref(), Some("2024年3月25日"));
    assert_eq!(doc.addressees, ["广州市统计局"]);
    let (paragraphs, headings) = body(&draft);
    assert!(!headings.is_empty(), "{doc:#?}");
    assert!(paragraphs[0].ends_with("现将有关事项函告如下："));
    assert_eq!(paragraphs.last(), Some(&"特此函告。"));
    assert_guarantees(&draft, letter.facts.as_deref().unwrap_or_default());
}

/// A 请示 to two superiors: wrong, since a 请示 asks one.
fn request_to_two_superiors() -> DraftRequest {
    DraftRequest {
        doc_type: Some(DocType::Request),
        issuer: "某市数据局".into(),
        topic: "申请经费".into(),
        addressees: vec!["某市人民政府".into(), "某市财政局".into()],
        signers: vec!["张三".into()],
        ..DraftRequest::default()
    }
}

#[test]
fn wrong_elements_are_refused_before_the_model_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    // No model imported: a draft that reached for one would fail with NoModel instead.
    let wenshu = open(dir.path());
    let err = wenshu
        .draft(&request_to_two_superiors(), &Cancel::new(), &mut |_| {})
        .expect_err("a 请示 has one addressee");
    assert_eq!(
        err.code,
        ErrorCode::InvalidInput,
        "refused as invalid input: {}",
        err.message
    );
    let audit = wenshu.audit(10).expect("audit");
    assert!(audit.is_empty(), "no model call: {audit:#?}");
}

#[test]
fn facts_too_long_for_the_context_are_refused_and_cancel_stops_a_draft() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = with_model(dir.path());
    let long_facts = DraftRequest {
        addressees: vec!["某市人民政府".into()],
        facts: Some("数据。".repeat(3000)),
        ..request_to_two_superiors()
    };
    let err = wenshu
        .draft(&long_facts, &Cancel::new(), &mut |_| {})
        .expect_err("facts larger than the context");
    assert_eq!(err.code, ErrorCode::PromptTooLong, "{}", err.message);
    assert_eq!(
        err.id, "draft.facts_too_long",
        "refused for the size of the facts: {}",
        err.message
    );
    assert!(
        err.message.contains("token"),
        "names the size of the facts: {}",
        err.message
    );

    let cancel = Cancel::new();
    cancel.cancel();
    let request = DraftRequest {
        facts: None,
        ..long_facts
    };
    let err = wenshu
        .draft(&request, &cancel, &mut |_| {})
        .expect_err("cancelled");
    assert_eq!(err.code, ErrorCode::Cancelled);
    let audit = wenshu.audit(10).expect("audit");
    assert_eq!(audit.len(), 1, "{audit:#?}");
    assert_eq!(audit[0].outcome, "cancelled");
}
