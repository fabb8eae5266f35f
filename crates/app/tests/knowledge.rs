//! The knowledge base on real files: a folder with Traditional, glossed, full-width and DOCX
//! documents and a file that cannot be read; incremental adds; removal; and a run killed between
//! the catalogue and the index, finished by the next.

use std::path::Path;
use std::sync::Arc;

use wenshu_app::{Home, Wenshu};
use wenshu_core::document::{Block, Date, DocType, Document};

fn open(dir: &Path) -> Wenshu {
    Wenshu::open(Home::at(dir), &[])
        .expect("a fresh home opens")
        .with_clock(Arc::new(|| 1_700_000_000_000))
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
}

#[test]
fn a_folder_is_indexed_and_found_by_simplified_queries() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    write_folder(&docs);
    let mut wenshu = open(&dir.path().join("home"));
    let mut seen = 0;
    let report = wenshu
        .kb_add(std::slice::from_ref(&docs), None, &mut |p| {
            assert!(p.done < p.total);
            seen += 1;
        })
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
            .any(|e| e.contains("not UTF-8") && e.contains("gbk.txt")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("not a DOCX") && e.contains("broken.docx")),
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
            "{query}: {:?}",
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
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|d| d.ready && d.chunks > 0));

    // Unchanged files are skipped; a changed one replaces its chunks.
    let again = wenshu
        .kb_add(std::slice::from_ref(&docs), None, &mut |_| {})
        .expect("add");
    assert_eq!((again.added.len(), again.unchanged.len()), (0, 2));
    std::fs::write(
        docs.join("plan.txt"),
        "关于调整会议安排的通知\n原定周五的会议改到周一上午。\n",
    )
    .expect("write");
    let changed = wenshu
        .kb_add(std::slice::from_ref(&docs), None, &mut |_| {})
        .expect("add");
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

    // Removal takes the chunks too.
    wenshu
        .kb_remove(&docs.join("sub/notice.docx").display().to_string())
        .expect("remove");
    assert!(wenshu.kb_search("访问权限", 5).expect("search").is_empty());
    assert_eq!(wenshu.kb_list().expect("list").len(), 1);
    assert!(
        wenshu.kb_search("", 5).is_err(),
        "an empty search is refused"
    );
}

#[test]
fn a_run_killed_between_catalogue_and_index_is_finished_by_the_next() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docs = dir.path().join("docs");
    write_folder(&docs);
    let home = dir.path().join("home");
    {
        let mut wenshu = open(&home);
        wenshu
            .kb_add(std::slice::from_ref(&docs), None, &mut |_| {})
            .expect("add");
    }
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
    let mut wenshu = open(&home);
    let list = wenshu.kb_list().expect("list");
    assert!(
        list.iter().any(|d| !d.ready),
        "the catalogue shows the unfinished document"
    );
    let report = wenshu
        .kb_add(std::slice::from_ref(&docs), None, &mut |_| {})
        .expect("add");
    assert_eq!(report.updated.len(), 1, "{report:#?}");
    assert_eq!(report.unchanged.len(), 1, "{report:#?}");
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
