//! Made-up long inputs for the tests and the benchmark of minutes and summaries: a meeting of
//! any length (turns by five people on four topics, with decisions, an owner and a deadline
//! each, at known lines) and a policy document of 105 pages as a PDF.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A decision planted in the transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planted {
    /// Its line, from 1.
    pub line: u32,
    pub owner: &'static str,
    /// As written, e.g. 4月10日前.
    pub deadline: String,
}

const PEOPLE: [&str; 5] = ["王建国", "李明", "张华", "陈静", "刘洋"];
const TOPICS: [&str; 4] = ["数据共享平台", "一网通办", "安全检查", "适老化改造"];
const OWNERS: [&str; 8] = [
    "信息中心",
    "政务服务处",
    "安全管理处",
    "办公室",
    "规划处",
    "法规处",
    "财务处",
    "人事处",
];

/// A transcript of at least `lines` lines (a header, then turns), with a decision every
/// `every` turns.
pub fn meeting(lines: usize, every: usize) -> (String, Vec<Planted>) {
    let mut out = vec![
        "会议名称：市政务服务数据管理局专题会议".to_string(),
        "时间：2024年3月5日".to_string(),
        "主持人：王建国".to_string(),
        String::new(),
    ];
    let mut planted = Vec::new();
    let mut turn = 0usize;
    while out.len() < lines {
        let topic = TOPICS[(turn / 40) % TOPICS.len()];
        let speaker = PEOPLE[turn % PEOPLE.len()];
        if turn % every == every / 2 {
            let n = planted.len();
            let owner = OWNERS[n % OWNERS.len()];
            let deadline = format!("{}月{}日前", 4 + n % 8, 10 + n % 18);
            out.push(format!(
                "王建国：{topic}第{turn}项任务由{owner}负责，{deadline}完成。"
            ));
            planted.push(Planted {
                line: out.len() as u32,
                owner,
                deadline,
            });
        } else {
            out.push(format!(
                "{speaker}：关于{topic}，第{turn}个问题我补充一点，目前已经完成了{}个环节，还有{}个环节需要协调相关处室推进，下一步要把工作做细做实。",
                turn % 17 + 3,
                turn % 5 + 1
            ));
        }
        turn += 1;
    }
    (out.join("\n"), planted)
}

/// A policy document of 105 pages as LibreOffice prints it: a chapter a page.
pub fn hundred_page_pdf(dir: &Path) -> PathBuf {
    let mut html = String::from("<html><head><meta charset=\"utf-8\"></head><body>");
    for i in 1..=105 {
        let brk = if i > 1 {
            " style=\"page-break-before: always\""
        } else {
            ""
        };
        html.push_str(&format!(
            "<h2{brk}>第{i}章 关于第{i}项工作的规定</h2><p>第{i}条 各单位应当在{}月{}日前完成第{i}项工作，所需经费{}万元由市财政局统筹安排。</p>\
             <p>第{i}项工作由市政务服务数据管理局牵头，会同有关部门组织实施，每季度报送一次进展情况。</p>",
            i % 12 + 1,
            i % 28 + 1,
            i * 10
        ));
    }
    html.push_str("</body></html>");
    let source = dir.join("policy.html");
    std::fs::write(&source, html).expect("write");
    let status = std::process::Command::new("soffice")
        .args([
            "--headless",
            "--convert-to",
            "pdf:writer_web_pdf_Export",
            "--outdir",
        ])
        .arg(dir)
        .arg(&source)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("LibreOffice (soffice) is installed by scripts/setup.sh --test");
    assert!(status.success());
    dir.join("policy.pdf")
}
