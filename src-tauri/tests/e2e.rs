//! The desktop app end to end, in its real WebKit window under Xvfb: drafting a 通知 with the
//! default model (streamed), exporting a DOCX, adding a document to the knowledge base and
//! finding it, and the bad paths (a corrupt file, a locked setting, a cancelled generation).
//! Screenshots of every screen go to `target/tmp/screenshots`.

mod support;

#[path = "../../tests/support/offline.rs"]
mod offline;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use support::{App, Display, TestHome};

/// One window at a time: each loads the model, and the machine may have two cores.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const LONG: Duration = Duration::from_secs(600);
const SHORT: Duration = Duration::from_secs(30);

fn model() -> PathBuf {
    PathBuf::from(std::env::var_os("WENSHU_TEST_MODEL").expect(
        "WENSHU_TEST_MODEL names the default GGUF (make test sets it: scripts/setup.sh --test)",
    ))
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

fn launch(display: &Display, home: &TestHome, extra: &[(&str, &str)]) -> App {
    home.launch(
        Path::new(env!("CARGO_BIN_EXE_wenshu-desktop")),
        display,
        extra,
    )
}

#[test]
fn a_notice_is_drafted_streamed_and_exported_and_a_document_is_found() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let home = TestHome::with_model(&model());
    let display = Display::start();
    let app = launch(&display, &home, &[]);
    let shots = screenshots();
    display.screenshot(&shots.join("home.png"));

    app.fill_notice_form();
    app.click("#generate");
    // The text arrives while the model writes it.
    let streamed = app.wait("streamed text", LONG, |a| {
        a.text("#draft-stream pre")
            .filter(|t| t.chars().count() > 10)
    });
    let step = app.text("#draft-stream .step").unwrap_or_default();
    assert!(step.contains("步"), "the step is shown: {step}");
    let text = app.wait("the finished draft", LONG, |a| {
        a.text("#draft-stream")
            .is_none()
            .then(|| a.text("#draft-text"))
            .flatten()
            .filter(|t| !t.is_empty())
    });
    let title = text.lines().nth(1).unwrap_or_default();
    assert!(
        title.starts_with("某市数据管理局关于")
            && title.contains("数据安全检查")
            && title.ends_with("的通知"),
        "{text}"
    );
    assert!(text.contains("各区数据管理局："), "{text}");
    assert_ne!(
        streamed, text,
        "the editor holds the composed document, not the raw stream"
    );
    // The preview draws the page: the red mark, the title and a page number.
    let preview = app.text(".preview").expect("preview");
    assert!(preview.contains("某市数据管理局文件"), "{preview}");
    assert!(preview.contains("— 1 —"), "{preview}");
    assert!(
        app.text("#findings")
            .is_some_and(|f| f.contains("格式检查"))
    );
    // How the draft kept its facts is shown beside the findings.
    let facts = app.text("#facts-summary").unwrap_or_default();
    assert!(
        facts.contains("条事实"),
        "the facts check is shown: {facts}"
    );
    std::thread::sleep(Duration::from_millis(500));
    display.screenshot(&shots.join("draft.png"));

    let out = home.path().join("Documents").join("检查通知.docx");
    app.paste_into("#export-path", out.to_str().expect("utf-8"));
    app.click("#export-docx");
    app.notice_with("已保存", SHORT);
    let report = wenshu_app::check::check_document(&out).expect("the exported DOCX reads back");
    assert!(report.layout_checked);
    assert!(report.text.contains(title), "{}", report.text);
    let layout_errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("layout-") && f.severity == "error")
        .collect();
    assert!(layout_errors.is_empty(), "{layout_errors:?}");

    // The knowledge base: add a document by its path, see it listed, find it by search.
    let doc = home.path().join("共享实施意见.txt");
    std::fs::write(
        &doc,
        "关于推进政务数据共享的实施意见\n一、总体要求\n各部门应当依托共享平台开展政务数据共享，按照无条件共享、有条件共享和不予共享三类管理。\n二、保障措施\n建立数据共享考核机制。\n",
    )
    .expect("write");
    app.click("#nav-kb");
    app.paste_into("#kb-path", doc.to_str().expect("utf-8"));
    app.click("#kb-add");
    app.notice_with("新增 1", LONG);
    app.wait("the document in the list", SHORT, |a| {
        a.text("#kb-docs")
            .filter(|t| t.contains("关于推进政务数据共享的实施意见"))
    });
    app.paste_into("#kb-query", "有条件共享");
    app.click("#kb-search");
    let hits = app.wait("search hits", SHORT, |a| {
        a.text("#kb-hits")
            .filter(|t| t.contains("关于推进政务数据共享的实施意见"))
    });
    assert!(hits.contains("有条件共享"), "{hits}");
    assert!(
        app.script(
            "return document.querySelectorAll('#kb-hits mark').length;",
            serde_json::json!([])
        )
        .as_u64()
        .is_some_and(|n| n > 0),
        "the query's words are highlighted"
    );
    display.screenshot(&shots.join("kb.png"));

    // The checker screen on the exported file.
    app.click("#nav-check");
    app.paste_into("#check-path", out.to_str().expect("utf-8"));
    app.click("#check-run");
    app.wait("the checked file", SHORT, |a| {
        a.text("#check-file")
            .filter(|t| t.contains("检查通知.docx"))
    });
    std::thread::sleep(Duration::from_millis(300));
    display.screenshot(&shots.join("check.png"));
}

#[test]
fn bad_input_gets_clear_messages_and_the_window_stays_responsive() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let home = TestHome::with_model(&model());
    let display = Display::start();
    let app = launch(&display, &home, &[("WENSHU_MODEL__GPU_LAYERS", "0")]);
    let shots = screenshots();

    // Nothing remote: the content security policy refuses a request to another host, and
    // the window does not navigate away from its own pages.
    let fetched = app.script_async(
        "const done = arguments[arguments.length - 1];
         fetch('http://192.0.2.1/').then(() => done('loaded'), (e) => done('refused: ' + e));",
        serde_json::json!([]),
    );
    assert!(
        fetched.as_str().is_some_and(|r| r.starts_with("refused")),
        "{fetched}"
    );
    let here = app.script("return location.href;", serde_json::json!([]));
    app.script(
        "location.href = 'http://192.0.2.1/'; return true;",
        serde_json::json!([]),
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        app.script("return location.href;", serde_json::json!([])),
        here
    );

    // A document, then a corrupt PDF: the PDF is named in the message and the first stays.
    let good = home.path().join("数据分级指南.txt");
    std::fs::write(
        &good,
        "数据分级指南\n数据按重要程度分为一般数据、重要数据和核心数据。\n",
    )
    .expect("write");
    let bad = home.path().join("损坏的文件.pdf");
    std::fs::write(&bad, b"%PDF-1.7\n\x00\x01 this is not a PDF body").expect("write");
    app.click("#nav-kb");
    app.paste_into("#kb-path", good.to_str().expect("utf-8"));
    app.click("#kb-add");
    app.notice_with("新增 1", LONG);
    app.paste_into("#kb-path", bad.to_str().expect("utf-8"));
    app.click("#kb-add");
    let notice = app.notice_with("失败 1", LONG);
    assert!(notice.contains("损坏的文件.pdf"), "{notice}");
    app.wait("the first document still listed", SHORT, |a| {
        a.text("#kb-docs").filter(|t| t.contains("数据分级指南"))
    });

    // A file that is not a draft, in the checker.
    let junk = home.path().join("乱码.docx");
    std::fs::write(&junk, b"PK\x03\x04 not really a zip").expect("write");
    app.click("#nav-check");
    app.paste_into("#check-path", junk.to_str().expect("utf-8"));
    app.click("#check-run");
    let notice = app.notice_with("乱码.docx", SHORT);
    assert!(
        notice.starts_with("输入有误") && notice.contains("不是 DOCX 文件"),
        "a user error shows its kind and its message in Chinese: {notice}"
    );

    // A setting the environment fixes is shown locked, and changing it is refused.
    app.click("#nav-settings");
    let reason = app.wait("the lock reason", SHORT, |a| {
        a.text("#settings")
            .filter(|t| t.contains("WENSHU_MODEL__GPU_LAYERS"))
    });
    assert!(reason.contains("已锁定"), "{reason}");
    app.click("#setting-model-gpu_layers-save");
    let notice = app.notice_with("设置有误", SHORT);
    assert!(notice.contains("WENSHU_MODEL__GPU_LAYERS"), "{notice}");
    display.screenshot(&shots.join("settings.png"));

    // While the model writes a draft, the knowledge base answers a search.
    app.fill_notice_form();
    app.click("#generate");
    app.wait("streamed text", LONG, |a| {
        a.text("#draft-stream pre").filter(|t| !t.is_empty())
    });
    app.click("#nav-kb");
    app.paste_into("#kb-query", "核心数据");
    app.click("#kb-search");
    app.wait("a hit while drafting", LONG, |a| {
        a.text("#kb-hits").filter(|t| t.contains("数据分级指南"))
    });
    let drafting = app.script(
        "return !document.querySelector('#stop').disabled;",
        serde_json::json!([]),
    );
    assert_eq!(
        drafting,
        serde_json::json!(true),
        "the draft was still being written"
    );

    // A generation stopped half-way: said so, and the window goes on working.
    app.click("#nav-draft");
    app.click("#stop");
    app.notice_with("已停止", LONG);
    app.click("#nav-home");
    app.paste_into("#app-search", "请示");
    app.wait("the filtered catalogue", SHORT, |a| {
        (a.text("#app-draft-circular").is_none())
            .then(|| a.text("#app-draft-request"))
            .flatten()
    });

    // A short chat, and the audit screen with every call so far.
    app.click("#nav-chat");
    app.paste_into("#chat-input", "请用一句话说明公文的成文日期应该怎么写。");
    app.click("#chat-send");
    app.wait("the answer", LONG, |a| {
        a.text("#chat-messages")
            .filter(|t| t.matches("文枢").count() >= 1 && a.text("#chat-streaming").is_none())
    });
    display.screenshot(&shots.join("chat.png"));
    app.click("#nav-audit");
    let rows = app.wait("audit rows", SHORT, |a| {
        a.text("#audit-rows").filter(|t| t.contains("desktop.chat"))
    });
    assert!(
        rows.contains("cancelled"),
        "the stopped draft is in the audit log: {rows}"
    );
    assert!(
        app.text("#usage-apps-chart")
            .is_some_and(|t| t.contains("desktop.chat"))
    );
    display.screenshot(&shots.join("audit.png"));
}

#[test]
fn a_model_is_evaluated_from_the_eval_screen_with_a_progress_bar_and_its_chart() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let home = TestHome::with_model(&model());
    let display = Display::start();
    let app = launch(&display, &home, &[]);
    let shots = screenshots();
    app.click("#nav-eval");
    app.wait("the active model is chosen", SHORT, |a| {
        a.script(
            "return document.querySelector('.eval-model') !== null && document.querySelector('.eval-model').checked",
            serde_json::json!([]),
        )
        .as_bool()
        .filter(|checked| *checked)
    });
    // Speed only: the suite's other dimensions take minutes, and `wenshu eval` has its own tests.
    for dimension in [
        "drafting",
        "retrieval",
        "answers",
        "instructions",
        "minutes",
        "summaries",
    ] {
        app.click(&format!("#eval-{dimension}"));
    }
    app.click("#eval-run");
    let bar = app.wait("the progress bar", LONG, |a| {
        a.text(".eval-form .progress-label")
            .filter(|t| !t.is_empty())
    });
    assert!(bar.contains("速度与内存"), "{bar}");
    let table = app.wait("the scores", LONG, |a| a.text("#eval-table"));
    assert!(table.contains("速度与内存"), "{table}");
    assert!(
        !table.contains("公文起草"),
        "only the chosen dimensions: {table}"
    );
    let bars = app.script(
        "return document.querySelectorAll('#eval-result svg rect.bar').length",
        serde_json::json!([]),
    );
    assert_eq!(
        bars,
        serde_json::json!(1),
        "one bar per dimension and model"
    );
    app.wait("the run in the history", SHORT, |a| {
        a.text("#eval-history").filter(|t| t.contains("速度与内存"))
    });
    std::thread::sleep(Duration::from_millis(500));
    display.screenshot(&shots.join("eval.png"));
}

#[test]
fn minutes_stop_and_continue_light_up_their_lines_and_a_summary_cites_its_pages() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let home = TestHome::with_model(&model());
    let display = Display::start();
    // Small pieces: the transcript takes several, so the run can be stopped between them.
    let app = launch(&display, &home, &[("WENSHU_LONG__PIECE_TOKENS", "256")]);
    let shots = screenshots();
    let transcript = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/minutes/five-decisions.txt"),
    )
    .expect("fixture");

    app.click("#nav-minutes");
    app.paste_into("#minutes-text", &transcript);
    app.wait("the pasted lines in the source pane", SHORT, |a| {
        a.text("#minutes-source").filter(|t| t.contains("信息中心"))
    });
    app.click("#minutes-run");
    let bar = app.wait("a piece done", LONG, |a| {
        a.text(".long-form .progress-label")
            .filter(|t| t.contains("第 1/") || t.contains("第 2/"))
    });
    assert!(bar.contains("步"), "{bar}");
    app.click("#minutes-stop");
    app.notice_with("已停止", LONG);
    app.click("#minutes-resume");
    let decisions = app.wait("the decisions", LONG, |a| {
        a.text("#minutes-decisions")
            .filter(|t| t.contains("信息中心"))
    });
    for owner in ["信息中心", "政务服务处", "安全管理处", "办公室", "陈静"] {
        assert!(decisions.contains(owner), "{owner}: {decisions}");
    }
    app.notice_with("纪要已生成", SHORT);
    // Clicking an item lights up the line it came from.
    app.click("#decision-1");
    let lit = app.wait("the item's lines lit", SHORT, |a| {
        a.text("#minutes-source li.lit").filter(|t| !t.is_empty())
    });
    assert!(lit.contains("信息中心"), "{lit}");
    let preview = app.text(".long-main .preview").expect("preview");
    assert!(preview.contains("会议纪要"), "{preview}");
    std::thread::sleep(Duration::from_millis(500));
    display.screenshot(&shots.join("minutes.png"));
    let out = home.path().join("Documents").join("纪要.docx");
    app.paste_into("#minutes-export-path", out.to_str().expect("utf-8"));
    // The notice at the bottom of the window may cover the export bar: close it first.
    app.click("#notice button");
    app.click("#minutes-export");
    app.notice_with("已保存", SHORT);
    let report = wenshu_app::check::check_document(&out).expect("the exported DOCX reads back");
    assert!(report.text.contains("出席："), "{}", report.text);

    // A summary of a document given by its path.
    let doc = home.path().join("版式要点.md");
    std::fs::write(
        &doc,
        "# 版式要点\n\n一、纸张和版心\n公文用纸采用A4型纸，天头为37毫米，订口为28毫米，版心尺寸为156毫米×225毫米。\n\n\
         二、字体和字号\n标题一般用二号小标宋体字，正文用三号仿宋体字，页码用四号半角宋体阿拉伯数字。\n",
    )
    .expect("write");
    app.click("#nav-summary");
    app.paste_into("#summary-path", doc.to_str().expect("utf-8"));
    app.wait("the paragraphs in the source pane", SHORT, |a| {
        a.text("#summary-source").filter(|t| t.contains("版心"))
    });
    app.click("#summary-run");
    app.wait("the points", LONG, |a| {
        a.text("#summary-points-list").filter(|t| !t.is_empty())
    });
    app.click("#point-1");
    app.wait("the point's paragraph lit", SHORT, |a| {
        a.text("#summary-source li.lit").filter(|t| !t.is_empty())
    });
    std::thread::sleep(Duration::from_millis(500));
    display.screenshot(&shots.join("summary.png"));
}

#[test]
fn a_signed_pack_is_installed_from_the_catalogue_and_runs_under_the_policy() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let home = TestHome::with_model(&model());
    let work = home.path().join("it");
    // IT's side: a key, a signed pack, and a signed policy that trusts the key and fixes a
    // setting.
    let keys = wenshu_app::packs::keygen(&work.join("keys")).expect("keygen");
    let pack = work.join("greeting");
    std::fs::create_dir_all(pack.join("prompts")).expect("mkdir");
    std::fs::write(
        pack.join("manifest.toml"),
        "id = \"office.greeting\"\nname = \"节日慰问\"\nversion = \"1.0.0\"\nlevel = \"内部\"\ncategory = \"综合办公\"\ndescription = \"写一句节日慰问语\"\noutput = \"text\"\nrunner = { kind = \"chat\" }\n\n[[fields]]\nkey = \"festival\"\nlabel = \"节日\"\nkind = \"text\"\nrequired = true\n",
    )
    .expect("manifest");
    std::fs::write(
        pack.join("prompts/system.j2"),
        "你是办公室文字秘书，只写慰问语本身。",
    )
    .expect("template");
    std::fs::write(
        pack.join("prompts/message.j2"),
        "请写一句{{ festival }}慰问语，二十字以内。",
    )
    .expect("template");
    let archive = work.join("greeting.wpk");
    wenshu_app::packs::sign_pack(&pack, Path::new(&keys.secret_key), Some(&archive)).expect("sign");
    let etc = work.join("etc");
    std::fs::create_dir_all(&etc).expect("mkdir");
    std::fs::copy(&keys.public_key, etc.join("policy.pub")).expect("pin");
    let policy = etc.join("policy.toml");
    std::fs::write(
        &policy,
        format!(
            "trusted_keys = [\"{}\"]\n\n[locked.model]\nthreads = 1\n",
            keys.public_line
        ),
    )
    .expect("policy");
    wenshu_app::packs::sign_file(&policy, Path::new(&keys.secret_key), false).expect("sign");

    let display = Display::start();
    let app = launch(
        &display,
        &home,
        &[("WENSHU_POLICY", policy.to_str().expect("utf-8"))],
    );
    let shots = screenshots();
    app.paste_into("#pack-path", archive.to_str().expect("utf-8"));
    app.click("#pack-install");
    app.notice_with("已安装应用包", SHORT);
    let card = app.wait("the installed app's card", SHORT, |a| {
        a.text("#app-office-greeting")
    });
    assert!(
        card.contains("本机安装") && card.contains(&keys.key_id),
        "the card shows the source and the signer: {card}"
    );
    display.screenshot(&shots.join("packs.png"));
    app.click("#app-office-greeting");
    app.wait("the app's form", SHORT, |a| a.text("#app-form"));
    app.paste_into("#app-field-festival", "春节");
    app.click("#app-run");
    let answer = app.wait("the answer", LONG, |a| {
        a.text("#app-result").filter(|t| !t.trim().is_empty())
    });
    assert!(answer.chars().count() >= 4, "{answer}");
    display.screenshot(&shots.join("app.png"));

    // The settings name the policy, and what it fixes is locked with its reason.
    app.click("#nav-settings");
    let line = app.wait("the policy line", SHORT, |a| {
        a.text("#settings-policy")
            .filter(|t| t.contains("policy.toml"))
    });
    assert!(line.contains("单位管理策略"), "{line}");
    app.wait("the locked setting", SHORT, |a| {
        a.text("#settings").filter(|t| t.contains("由单位统一管理"))
    });
    app.click("#setting-model-threads-save");
    let notice = app.notice_with("由单位统一管理", SHORT);
    assert!(notice.contains("policy.toml"), "{notice}");
}

#[test]
fn the_audit_screen_verifies_the_chain_writes_a_checkpoint_and_nothing_leaves_loopback() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let home = TestHome::with_model(&model());
    let display = Display::start();
    let logs = tempfile::tempdir().expect("log dir");
    let log = logs.path().join("desktop.strace");
    let app = home.launch_traced(
        Path::new(env!("CARGO_BIN_EXE_wenshu-desktop")),
        &display,
        &[],
        Some(offline::strace_args(&log)),
    );
    let shots = screenshots();
    // A model call, marked 内部 by its text.
    app.click("#nav-chat");
    app.paste_into(
        "#chat-input",
        "内部资料\n请用一句话说明公文的成文日期应该怎么写。",
    );
    app.click("#chat-send");
    app.wait("the answer", LONG, |a| {
        a.text("#chat-messages")
            .filter(|t| t.matches("文枢").count() >= 1 && a.text("#chat-streaming").is_none())
    });
    app.click("#nav-audit");
    let rows = app.wait("audit rows", SHORT, |a| {
        a.text("#audit-rows").filter(|t| t.contains("desktop.chat"))
    });
    assert!(
        rows.contains("内部"),
        "each row shows its data level: {rows}"
    );
    let quotas = app.text("#audit-quotas").unwrap_or_default();
    assert!(
        quotas.contains("未设"),
        "no quota without a policy: {quotas}"
    );
    app.click("#audit-verify");
    let verdict = app.wait("the verdict", SHORT, |a| {
        a.text("#audit-verify-result").filter(|t| !t.is_empty())
    });
    assert!(verdict.contains("完整"), "{verdict}");
    let checkpoint = logs.path().join("checkpoint.json");
    app.paste_into(
        "#audit-checkpoint-path",
        checkpoint.to_str().expect("utf-8"),
    );
    app.click("#audit-checkpoint");
    let signature = logs.path().join("checkpoint.json.minisig");
    app.wait("the checkpoint and its signature", SHORT, |_| {
        (checkpoint.exists() && signature.exists()).then_some(())
    });
    display.screenshot(&shots.join("audit-verify.png"));
    drop(app);

    // Tampered with, closed: the screen names the first bad entry.
    let db = home.path().join("wenshu").join("wenshu.db");
    {
        let conn = rusqlite::Connection::open(&db).expect("db");
        conn.execute_batch(
            "DROP TRIGGER audit_log_no_update;
             UPDATE audit_log SET completion_tokens = completion_tokens + 1 WHERE kind = 'finished';",
        )
        .expect("tamper");
    }
    let app = home.launch(
        Path::new(env!("CARGO_BIN_EXE_wenshu-desktop")),
        &display,
        &[],
    );
    app.click("#nav-audit");
    app.click("#audit-verify");
    let verdict = app.wait("the verdict", SHORT, |a| {
        a.text("#audit-verify-result")
            .filter(|t| t.contains("篡改"))
    });
    assert!(
        verdict.contains("第 ") && verdict.contains(" 条"),
        "{verdict}"
    );
    display.screenshot(&shots.join("audit-tampered.png"));
    drop(app);

    let trace = std::fs::read_to_string(&log).expect("the strace log");
    assert!(
        offline::attempts(&trace) > 0,
        "strace saw the WebDriver's loopback connections"
    );
    assert_eq!(
        offline::outside(&trace, &[]),
        Vec::<String>::new(),
        "the desktop app tried to reach another machine"
    );
}

/// llama-server with the default model on 127.0.0.1, stopped when dropped (`make test` builds it
/// and names it in WENSHU_LLAMA_SERVER).
struct LlamaServer(std::process::Child, u16);

impl LlamaServer {
    fn start() -> Self {
        let bin = std::env::var_os("WENSHU_LLAMA_SERVER")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                    .join(".cache/wenshu/llama-cpp/build/bin/llama-server")
            });
        assert!(
            bin.is_file(),
            "llama-server missing at {}: run make test",
            bin.display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = std::process::Command::new(bin)
            .arg("-m")
            .arg(model())
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--alias", "qwen", "-c", "4096", "-np", "1", "-t", "1"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("llama-server starts");
        let server = Self(child, port);
        let deadline = std::time::Instant::now() + SHORT;
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "llama-server did not come up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        // Listening comes before the model is loaded: wait for /health to say ok.
        loop {
            use std::io::{Read, Write};
            let mut text = String::new();
            if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                let _ = write!(s, "GET /health HTTP/1.0\r\n\r\n");
                let _ = s.read_to_string(&mut text);
            }
            if text.starts_with("HTTP/1.1 200") {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "llama-server did not load"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.1)
    }
}

impl Drop for LlamaServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_server_is_registered_in_the_settings_answers_the_chat_and_the_audit_names_it() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let server = LlamaServer::start();
    let home = TestHome::with_model(&model());
    let display = Display::start();
    let app = launch(&display, &home, &[]);
    let shots = screenshots();
    app.click("#nav-settings");
    app.paste_into("#server-name", "dept");
    app.paste_into("#server-url", &server.url());
    app.click("#server-add");
    let models = app.wait("the server in the models", SHORT, |a| {
        a.text("#models").filter(|t| t.contains("推理服务器"))
    });
    assert!(
        models.contains(&server.url()) && models.contains("qwen"),
        "{models}"
    );
    app.click("#use-model-dept");
    app.wait("the server chosen", SHORT, |a| {
        a.text("#use-model-dept").is_none().then_some(())
    });
    display.screenshot(&shots.join("settings-servers.png"));

    // Refused before anything is sent: not on this computer, and no policy names it.
    app.paste_into("#server-name", "far");
    app.paste_into("#server-url", "http://10.255.255.1:8080");
    app.click("#server-add");
    let notice = app.notice_with("不在本机", SHORT);
    assert!(notice.contains("10.255.255.1"), "{notice}");

    app.click("#nav-chat");
    app.paste_into("#chat-input", "中国的首都是哪个城市？");
    app.click("#chat-send");
    app.wait("the answer", LONG, |a| {
        a.text("#chat-messages")
            .filter(|t| t.contains("北京") && a.text("#chat-streaming").is_none())
    });
    app.click("#nav-audit");
    let rows = app.wait("the audit row", SHORT, |a| {
        a.text("#audit-rows").filter(|t| t.contains("desktop.chat"))
    });
    assert!(
        rows.contains(&server.url()),
        "the row names the server: {rows}"
    );
    display.screenshot(&shots.join("audit-server.png"));
}
