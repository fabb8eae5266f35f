//! Times rendering a ten-page 通知 to DOCX, checking its text, and reading plus checking the
//! DOCX (zip checks included), the medians of 20 runs each: `cargo run --release -p wenshu-docs --example layout_bench`.

use std::time::{Duration, Instant};

use wenshu_core::check::check_text;
use wenshu_core::document::{Block, Date, DocType, Document};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut doc = Document::new(DocType::Circular, "广东省政务服务数据管理局");
    doc.number = Some("粤政数〔2024〕7号".into());
    doc.title = "广东省政务服务数据管理局关于做好政务数据治理工作的通知".into();
    doc.addressees = vec!["各地级以上市政务服务数据管理局".into()];
    // Ten pages of 22 lines: 20 sections of a heading and ten one-line paragraphs.
    for section in 1..=20 {
        doc.body.push(Block::Heading {
            level: 1,
            text: format!("第{section}项工作安排"),
        });
        for i in 1..=10 {
            doc.body.push(Block::Paragraph(format!(
                "第{i:02}条：各单位按要求完成政务数据目录编制工作任务。"
            )));
        }
    }
    doc.date = Date::new(2024, 3, 20);
    doc.copy_to = vec!["省委办公厅".into()];

    let mut render = Vec::new();
    let mut bytes = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        bytes = wenshu_docs::render_docx(&doc)?;
        render.push(started.elapsed());
    }
    let text = wenshu_docs::docx_paragraphs(&bytes)?.join("\n");
    let mut check = Vec::new();
    let mut check_docx = Vec::new();
    let mut findings = 0;
    for _ in 0..20 {
        let started = Instant::now();
        findings = check_text(&text).len();
        check.push(started.elapsed());
        // What `wenshu check FILE.docx` does: read the layout, then the text and layout rules.
        let started = Instant::now();
        let layout = wenshu_docs::read_layout(&bytes)?;
        let read: Vec<&str> = layout.paragraphs.iter().map(|p| p.text.as_str()).collect();
        findings += check_text(&read.join("\n")).len();
        findings += wenshu_docs::check_layout(&layout).len();
        check_docx.push(started.elapsed());
    }
    println!(
        "{{\"paragraphs\": {}, \"docx_bytes\": {}, \"render_ms\": {:.2}, \"check_text_ms\": {:.2}, \"check_docx_ms\": {:.2}, \"findings\": {findings}}}",
        text.lines().count(),
        bytes.len(),
        median(render).as_secs_f64() * 1000.0,
        median(check).as_secs_f64() * 1000.0,
        median(check_docx).as_secs_f64() * 1000.0
    );
    Ok(())
}
