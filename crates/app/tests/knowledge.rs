//! The knowledge base on real files: a folder with Traditional, glossed, full-width and DOCX
//! documents and a file that cannot be read; incremental adds; removal; and a run killed between
//! the catalogue and the index, finished by the next.

#[path = "../../../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::sync::Arc;

use wenshu_app::{Cancel, Home, Wenshu};
use wenshu_core::document::{Block, Date, DocType, Document};

fn open(dir: &Path) -> Wenshu {
    Wenshu::open(Home::at(dir), &[])
        .expect("a fresh home opens")
        .with_clock(Arc::new(|| 1_700_000_000_000))
}

/// Adds `path` to the knowledge base, to the end.
fn add_all(wenshu: &Wenshu, path: &Path) -> wenshu_app::kb::KbAddReport {
    wenshu
        .kb_add(&[path.to_path_buf()], None, &Cancel::new(), &mut |_| {})
        .expect("add")
}

fn write_folder(dir: &Path) {
    std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
    std::fs::write(
        dir.join("plan.txt"),
        "廣東省人民政府關於推進數字政府建設的實施意見\n\
         一、總體要求\n\
         推進公共數(shù)據(jù)資源開發利用，培育數據要素市場，建立健全數據資產登記制度。\n\
         二、主要任務\n\
         全省政务服务事项达到１２００项，ＡＩ辅助审批在各地级以上市全面推广。\n",
    )
    .expect("write");
    let mut doc = Document::new(DocType::Circular, "广州市政务服务数据管理局");
    doc.title = "广州市政务服务数据管理局关于开展政务数据安全检查的通知".into();
    doc.addressees = vec!["各区政务服务数据管理局".into()];
    doc.body = vec![
        Block::Heading {
            level: 1,
            text: "检查内容".into(),
        },
        Block::Paragraph("重点检查数据分类分级和访问权限管理，日志留存不少于六个月。".into()),
    ];
    doc.date = Date::new(2024, 3, 20);
    std::fs::write(
        dir.join("sub/notice.docx"),
        wenshu_docs::render_docx(&doc).expect("render"),
    )
    .expect("write");
    std::fs::write(dir.join("sub/gbk.txt"), [0xb9, 0xd8, 0xd3, 0xda]).expect("write");
    std::fs::write(dir.join("sub/broken.docx"), b"PK\x03\x04 not a zip").expect("write");
    std::fs::write(dir.join("sub/picture.png"), b"\x89PNG").expect("write");
    // A link back up the tree is not followed.
    std::os::unix::fs::symlink(dir, dir.join("sub/loop")).expect("symlink");
}

/// The passages each query finds in its top 5. (Their order among near-equal scores may move
/// after a rebuild: chunks replaced earlier still count in the statistics until their segment
/// is merged away.)
fn results(wenshu: &Wenshu, queries: &[&str]) -> Vec<Vec<(String, String)>> {
    queries
        .iter()
        .map(|q| {
            let mut found: Vec<(String, String)> = wenshu
                .kb_search(q, 5)
                .expect("search")
                .into_iter()
                .map(|h| (h.doc, h.text))
                .collect();
            found.sort();
            found
        })
        .collect()
}

/// A home whose knowledge base holds the test folder, closed again.
fn home_with_folder(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let docs = dir.join("docs");
    write_folder(&docs);
    let home = dir.join("home");
    let wenshu = open(&home);
    add_all(&wenshu, &docs);
    (home, docs)
}

#[test]
fn a_folder_is_indexed_and_found_by_simplified_queries() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    write_folder(&docs);
    let wenshu = open(&dir.path().join("home"));
    let mut seen = 0;
    let report = wenshu
        .kb_add(
            std::slice::from_ref(&docs),
            None,
            &Cancel::new(),
            &mut |p| {
                assert!(p.done < p.total);
                seen += 1;
            },
        )
        .expect("add");
    assert_eq!(
        seen, 4,
        "txt, docx and the two bad files; the picture is not for the index"
    );
    assert_eq!(report.added.len(), 2, "{report:#?}");
    assert_eq!(report.failed.len(), 2, "{report:#?}");
    let errors: Vec<&str> = report.failed.iter().map(|f| f.error.as_str()).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("不是 UTF-8 文本") && e.contains("gbk.txt")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("不是 DOCX 文件") && e.contains("broken.docx")),
        "{errors:?}"
    );

    for (query, file) in [
        ("数据要素市场", "plan.txt"),
        ("數據要素", "plan.txt"),
        ("数据资产登记", "plan.txt"),
        ("1200项", "plan.txt"),
        ("AI辅助审批", "plan.txt"),
        ("访问权限", "notice.docx"),
        ("政务数据安全检查", "notice.docx"),
    ] {
        let hits = wenshu.kb_search(query, 5).expect("search");
        assert!(
            hits.first().is_some_and(|h| h.doc.ends_with(file)),
            "{query}: {file} comes first, got {:?}",
            hits.iter()
                .map(|h| (&h.doc, h.score, &h.text))
                .collect::<Vec<_>>()
        );
    }
    let hit = &wenshu.kb_search("数据要素", 1).expect("search")[0];
    assert!(
        hit.text.contains("數(shù)據(jù)"),
        "original characters: {}",
        hit.text
    );
    assert_eq!(hit.title, "廣東省人民政府關於推進數字政府建設的實施意見");
    let list = wenshu.kb_list().expect("list");
    assert!(list.iter().all(|d| d.ready && d.chunks > 0));
    let user: Vec<_> = list.iter().filter(|d| d.pack == "user").collect();
    assert_eq!(user.len(), 2);
    assert!(user.iter().all(|d| d.level == "内部"));
    // The built-in guide is indexed on first use, read-only.
    let guide: Vec<_> = list.iter().filter(|d| d.pack == "wenshu-guide").collect();
    assert_eq!(guide.len(), 5, "{list:#?}");
    assert!(guide.iter().all(|d| d.level == "公开"));
    assert!(
        guide
            .iter()
            .any(|d| d.title == "十五种法定公文文种及其用途"),
        "{guide:#?}"
    );
    let hits = wenshu
        .kb_search("发文字号的年份用六角括号", 3)
        .expect("search");
    assert!(hits[0].doc.starts_with("pack:wenshu-guide/"), "{hits:#?}");
    let err = wenshu
        .kb_remove(&hits[0].doc)
        .expect_err("packs are read-only");
    assert_eq!(err.id, "kb.managed_pack", "{}", err.message);

    // Unchanged files are skipped; a changed one replaces its chunks.
    let again = add_all(&wenshu, &docs);
    assert_eq!((again.added.len(), again.unchanged.len()), (0, 2));
    std::fs::write(
        docs.join("plan.txt"),
        "关于调整会议安排的通知\n原定周五的会议改到周一上午。\n",
    )
    .expect("write");
    let changed = add_all(&wenshu, &docs);
    assert_eq!(changed.updated.len(), 1, "{changed:#?}");
    assert!(
        wenshu
            .kb_search("数据要素", 5)
            .expect("search")
            .iter()
            .all(|h| !h.doc.ends_with("plan.txt"))
    );
    assert!(
        wenshu.kb_search("会议安排", 5).expect("search")[0]
            .doc
            .ends_with("plan.txt")
    );

    // A rebuild gives the same results.
    let queries = ["会议安排", "访问权限", "发文字号", "纪要"];
    let before = results(&wenshu, &queries);
    let rebuilt = wenshu
        .kb_rebuild(&Cancel::new(), &mut |_| {})
        .expect("rebuild");
    assert!(rebuilt.failed.is_empty(), "{rebuilt:#?}");
    let after = results(&wenshu, &queries);
    assert_eq!(before, after);

    // Removal takes the chunks too.
    wenshu
        .kb_remove(&docs.join("sub/notice.docx").display().to_string())
        .expect("remove");
    assert!(
        wenshu
            .kb_search("访问权限", 5)
            .expect("search")
            .iter()
            .all(|h| !h.doc.ends_with("notice.docx"))
    );
    let user = wenshu.kb_list().expect("list");
    assert_eq!(user.iter().filter(|d| d.pack == "user").count(), 1);
    assert!(
        wenshu.kb_search("", 5).is_err(),
        "an empty search is refused"
    );
}

#[test]
fn a_run_killed_between_catalogue_and_index_is_finished_by_the_next() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (home, docs) = home_with_folder(dir.path());
    // What a kill -9 after the catalogue's update and before the index commit leaves: the
    // document marked as being indexed with new content.
    let plan = std::fs::canonicalize(docs.join("plan.txt")).expect("path");
    {
        let store = wenshu_store::Store::open(&home.join("wenshu.db")).expect("db");
        store
            .kb_begin(
                &plan.display().to_string(),
                "new",
                "t",
                "user",
                "内部",
                1,
                1,
            )
            .expect("begin");
    }
    let wenshu = open(&home);
    let list = wenshu.kb_list().expect("list");
    assert!(
        list.iter().any(|d| !d.ready),
        "the catalogue shows the unfinished document"
    );
    let report = add_all(&wenshu, &docs);
    assert_eq!(report.updated.len(), 1, "{report:#?}");
    assert_eq!(report.unchanged.len(), 1, "{report:#?}");
    assert!(report.failed.iter().all(|f| !f.path.contains("plan.txt")));
    // No duplicate and no missing chunks: one document, each passage once.
    let hits = wenshu.kb_search("数据资产登记制度", 10).expect("search");
    let from_plan = hits.iter().filter(|h| h.doc.ends_with("plan.txt")).count();
    let chunks = wenshu
        .kb_list()
        .expect("list")
        .into_iter()
        .find(|d| d.path.ends_with("plan.txt"))
        .expect("listed")
        .chunks;
    assert!(from_plan >= 1 && from_plan as u64 <= chunks, "{hits:#?}");
    assert!(wenshu.kb_list().expect("list").iter().all(|d| d.ready));
}

/// A one-page PDF with a filled rectangle and no text, as a scan without OCR looks to a reader.
fn pdf_without_text() -> Vec<u8> {
    let content = "0 0 0 rg 72 72 200 200 re f";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

fn soffice_pdf(docx: &Path, out: &Path, filter: &str) {
    let status = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(out)
        .arg(docx)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("LibreOffice (soffice) is installed by scripts/setup.sh --test");
    assert!(status.success());
}

#[test]
fn pdfs_are_read_by_page_and_bad_files_are_clear_per_file_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    write_folder(&docs);
    let wenshu = open(&dir.path().join("home"));
    wenshu
        .kb_add(
            std::slice::from_ref(&docs),
            None,
            &Cancel::new(),
            &mut |_| {},
        )
        .expect("first add");

    let pdfs = dir.path().join("pdfs");
    std::fs::create_dir_all(pdfs.join("enc")).expect("mkdir");
    let docx = docs.join("sub/notice.docx");
    soffice_pdf(&docx, &pdfs, "pdf");
    soffice_pdf(
        &docx,
        &pdfs.join("enc"),
        r#"pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}"#,
    );
    std::fs::write(pdfs.join("scan.pdf"), pdf_without_text()).expect("write");
    std::fs::write(pdfs.join("corrupt.pdf"), b"%PDF-1.7\n\x00\x01garbage").expect("write");
    std::fs::write(pdfs.join("junk.txt"), [0u8, 159, 146, 150, 255, 0, 7]).expect("write");
    std::fs::write(
        pdfs.join("page.html"),
        "<html><body><h1>政务公开目录</h1><p>主动公开政府信息。</p></body></html>",
    )
    .expect("write");
    // A DOCX that expands to gigabytes.
    {
        use std::io::Write;
        let file = std::fs::File::create(pdfs.join("bomb.docx")).expect("create");
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let zeros = vec![0u8; 64 << 20];
        for name in ["word/document.xml", "a", "b", "c", "d"] {
            zip.start_file(name, options).expect("start");
            zip.write_all(&zeros).expect("write");
        }
        zip.finish().expect("finish");
    }
    let huge = std::fs::File::create(pdfs.join("huge.txt")).expect("create");
    huge.set_len(500 << 20).expect("a sparse 500 MB file");

    let report = add_all(&wenshu, &pdfs);
    let error = |name: &str| {
        report
            .failed
            .iter()
            .find(|f| f.path.ends_with(name))
            .map(|f| f.error.clone())
            .unwrap_or_else(|| panic!("{name} fails: {report:#?}"))
    };
    // The reasons, in Chinese (the default language), each naming its file.
    for (name, says) in [
        ("enc/notice.pdf", "PDF 文件已加密"),
        ("scan.pdf", "没有文字层"),
        ("corrupt.pdf", "无法读取这个 PDF 文件"),
        ("junk.txt", "不是 UTF-8 文本"),
        ("bomb.docx", "压缩炸弹"),
        ("huge.txt", "MB 的上限"),
    ] {
        let error = error(name);
        assert!(
            error.contains(says) && error.contains(name),
            "{name} fails saying “{says}”: {error}"
        );
    }
    assert_eq!(
        report.added.len(),
        2,
        "the PDF and the HTML page: {report:#?}"
    );

    let hits = wenshu.kb_search("政务数据安全检查", 10).expect("search");
    let pdf = hits
        .iter()
        .find(|h| h.doc.ends_with("pdfs/notice.pdf"))
        .unwrap_or_else(|| panic!("{hits:#?}"));
    assert_eq!(pdf.page, Some(1));
    assert!(
        !pdf.text.contains("2024 年"),
        "PDF spacing is tidied: {}",
        pdf.text
    );
    let hits = wenshu.kb_search("主动公开", 3).expect("search");
    assert!(hits[0].doc.ends_with("page.html"), "{hits:#?}");
    // What was indexed before is all still there.
    let hits = wenshu.kb_search("數據要素", 3).expect("search");
    assert!(hits[0].doc.ends_with("plan.txt"), "{hits:#?}");
}

#[test]
fn cited_answers_cite_passages_that_exist() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wenshu = Wenshu::open(
        Home::at(dir.path()),
        &[
            ("WENSHU_MODEL__THREADS".to_string(), "1".to_string()),
            (
                "WENSHU_GENERATION__TEMPERATURE".to_string(),
                "0".to_string(),
            ),
        ],
    )
    .expect("opens");
    wenshu
        .import_model(
            &support::default_model(),
            Some("default"),
            wenshu_app::ImportMode::Symlink,
        )
        .expect("the default model imports");
    let options = wenshu_app::AskOptions {
        max_tokens: Some(160),
        ..wenshu_app::AskOptions::default()
    };
    let cancel = wenshu_app::Cancel::new();
    let answer = wenshu
        .ask_kb(
            "发文字号的年份应该用什么括号？",
            &options,
            &cancel,
            &mut |_| {},
        )
        .expect("answers");
    assert!(answer.found);
    assert!(!answer.passages.is_empty());
    assert!(!answer.cited.is_empty(), "{answer:#?}");
    let docs: Vec<String> = wenshu
        .kb_list()
        .expect("list")
        .into_iter()
        .map(|d| d.path)
        .collect();
    for n in &answer.cited {
        let passage = answer
            .passages
            .iter()
            .find(|p| p.n == *n)
            .unwrap_or_else(|| panic!("[{n}] names a passage: {answer:#?}"));
        assert!(
            docs.contains(&passage.doc),
            "[{n}]: {} is in the knowledge base",
            passage.doc
        );
        assert!(
            answer.text.contains(&format!("[{n}]")),
            "[{n}] is cited in the text: {}",
            answer.text
        );
    }
    assert!(
        answer.passages[0].text.contains("六角括号"),
        "the passage that answers comes first: {answer:#?}"
    );
    assert_eq!(wenshu.audit(10).expect("audit")[0].app, "kb.ask");
}

#[test]
fn a_question_the_knowledge_base_cannot_answer_says_so_without_the_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    // No model imported: asking it would fail, so an answer shows it was not asked.
    let wenshu = open(dir.path());
    let none = wenshu
        .ask_kb(
            "明天广州的天气怎么样？",
            &wenshu_app::AskOptions::default(),
            &Cancel::new(),
            &mut |_| {},
        )
        .expect("answers without a model");
    assert!(
        !none.found && none.passages.is_empty(),
        "nothing is found: {none:#?}"
    );
    assert!(
        none.text.contains("没有找到"),
        "the answer says nothing was found: {}",
        none.text
    );
    let audit = wenshu.audit(10).expect("audit");
    assert!(audit.is_empty(), "the model is not asked: {audit:#?}");
}

#[test]
fn a_lost_index_is_filled_again_from_the_catalogue() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (home, _docs) = home_with_folder(dir.path());
    std::fs::remove_dir_all(home.join("kb")).expect("the index goes");
    let wenshu = open(&home);
    let hits = wenshu.kb_search("数据要素", 3).expect("search");
    assert!(hits[0].doc.ends_with("plan.txt"), "{hits:#?}");
    let stats = wenshu.kb_stats().expect("stats");
    assert_eq!(stats.index_chunks, stats.catalogue_chunks, "{stats:?}");
    assert!(hits[0].end > hits[0].start, "offsets are kept");
}

#[test]
fn packs_in_the_managed_folder_follow_their_version_and_stay_read_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path().join("home");
    let pack = home.join("packs/it-rules");
    std::fs::create_dir_all(&pack).expect("mkdir");
    let manifest = |version: &str| {
        format!(
            "id = \"it-rules\"\nname = \"信息化管理制度\"\nversion = \"{version}\"\nlevel = \"内部\"\n"
        )
    };
    std::fs::write(pack.join("manifest.toml"), manifest("1")).expect("write");
    std::fs::write(
        pack.join("vpn.md"),
        "# 远程接入管理规定\n远程接入政务外网须使用单位统一发放的数字证书。\n",
    )
    .expect("write");

    let wenshu = open(&home);
    let hits = wenshu.kb_search("数字证书", 3).expect("search");
    assert!(hits[0].doc.ends_with("vpn.md"), "{hits:#?}");
    let doc = wenshu
        .kb_list()
        .expect("list")
        .into_iter()
        .find(|d| d.pack == "it-rules")
        .expect("the pack is indexed");
    assert_eq!(doc.level, "内部");
    let err = wenshu.kb_remove(&doc.path).expect_err("read-only");
    assert_eq!(err.id, "kb.managed_pack", "{}", err.message);
    drop(wenshu);

    // The same version is not read again; a new version replaces the pack's documents.
    std::fs::write(
        pack.join("vpn.md"),
        "# 远程接入管理规定\n远程接入须经信息中心审批并登记。\n",
    )
    .expect("write");
    let wenshu = open(&home);
    assert!(
        wenshu
            .kb_search("数字证书", 3)
            .expect("search")
            .iter()
            .any(|h| h.doc.ends_with("vpn.md"))
    );
    drop(wenshu);
    std::fs::write(pack.join("manifest.toml"), manifest("2")).expect("write");
    let wenshu = open(&home);
    assert!(
        wenshu
            .kb_search("数字证书", 3)
            .expect("search")
            .iter()
            .all(|h| !h.doc.ends_with("vpn.md"))
    );
    assert!(
        wenshu.kb_search("信息中心审批", 3).expect("search")[0]
            .doc
            .ends_with("vpn.md")
    );
    drop(wenshu);

    // A pack that is taken away leaves the knowledge base.
    std::fs::remove_dir_all(&pack).expect("rm");
    let wenshu = open(&home);
    assert!(
        wenshu
            .kb_search("信息中心审批", 3)
            .expect("search")
            .iter()
            .all(|h| !h.doc.ends_with("vpn.md"))
    );
    assert!(
        wenshu
            .kb_list()
            .expect("list")
            .iter()
            .all(|d| d.pack != "it-rules")
    );
}

#[test]
fn an_add_stopped_between_files_keeps_the_files_done() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    write_folder(&docs);
    let wenshu = open(&dir.path().join("home"));
    let cancel = Cancel::new();
    // Files go in name order: plan.txt first. Stop as the second one begins.
    let report = wenshu
        .kb_add(std::slice::from_ref(&docs), None, &cancel, &mut |p| {
            if p.done == 1 {
                cancel.cancel();
            }
        })
        .expect("a stopped add is not an error");
    assert!(report.cancelled, "{report:?}");
    assert_eq!(report.added.len(), 1, "{report:?}");
    assert!(report.added[0].ends_with("plan.txt"), "{report:?}");
    assert!(report.failed.is_empty(), "{report:?}");
    let stats = wenshu.kb_stats().expect("stats");
    assert_eq!(stats.incomplete, 0, "nothing is left half-indexed");
    assert_eq!(stats.catalogue_chunks, stats.index_chunks);
    let hits = wenshu.kb_search("数据资产登记", 5).expect("search");
    assert!(
        hits.iter().any(|h| h.doc.ends_with("plan.txt")),
        "the file done before the stop is searchable: {hits:?}"
    );

    // The next add goes on from there.
    let report = add_all(&wenshu, &docs);
    assert!(!report.cancelled);
    assert_eq!(report.unchanged.len(), 1, "{report:?}");
    assert!(
        report.added.iter().any(|p| p.ends_with("notice.docx")),
        "{report:?}"
    );
}

#[test]
fn a_stopped_rebuild_is_finished_by_the_next_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (home, docs) = home_with_folder(dir.path());
    let queries = ["数据资产登记", "日志留存"];
    let before = {
        let wenshu = open(&home);
        let before = results(&wenshu, &queries);
        let cancel = Cancel::new();
        let report = wenshu
            .kb_rebuild(&cancel, &mut |_| cancel.cancel())
            .expect("a stopped rebuild is not an error");
        assert!(report.cancelled, "{report:?}");
        let stats = wenshu.kb_stats().expect("stats");
        assert!(
            stats.index_chunks < stats.catalogue_chunks,
            "stopped after one file: {stats:?}"
        );
        before
    };
    let wenshu = open(&home);
    let stats = wenshu.kb_stats().expect("stats");
    assert_eq!(stats.index_chunks, stats.catalogue_chunks, "{stats:?}");
    assert_eq!(results(&wenshu, &queries), before);
    drop(docs);
}
