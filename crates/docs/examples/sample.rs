//! Writes a sample 通知 laid out per GB/T 9704 to the path given (default `sample.docx`), with
//! enough text for two pages: `cargo run -p wenshu-docs --example sample -- out.docx`.

use wenshu_core::document::{Block, Date, DocType, Document};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sample.docx".into());
    let mut doc = Document::new(DocType::Circular, "广东省政务服务数据管理局");
    doc.number = Some("粤政数〔2024〕7号".into());
    doc.title = "广东省政务服务数据管理局关于做好2024年政务数据治理工作的通知".into();
    doc.addressees = vec!["各地级以上市政务服务数据管理局".into(), "省直各单位".into()];
    doc.body.push(Block::Paragraph(
        "为贯彻落实数字政府建设要求，进一步提升政务数据治理水平，现将有关事项通知如下。".into(),
    ));
    doc.body.push(Block::Heading {
        level: 1,
        text: "总体要求".into(),
    });
    doc.body.push(Block::Heading {
        level: 2,
        text: "工作目标".into(),
    });
    for i in 1..=30 {
        // 26 characters after the two-character indent: exactly one line each.
        doc.body.push(Block::Paragraph(format!(
            "第{i:02}行：各单位按要求完成政务数据目录编制工作任务。"
        )));
    }
    doc.body.push(Block::Heading {
        level: 1,
        text: "工作要求".into(),
    });
    doc.body
        .push(Block::Paragraph("请各单位于2024年4月30日前报送。".into()));
    doc.attachments = vec!["政务数据目录模板".into(), "报送联系人名单".into()];
    doc.date = Date::new(2024, 3, 20);
    doc.note = Some("联系人：李明，电话：020-12345678".into());
    doc.copy_to = vec!["省委办公厅".into(), "省政府办公厅".into()];
    doc.printed_by = Some("广东省政务服务数据管理局办公室".into());
    doc.printed_on = Date::new(2024, 3, 21);
    std::fs::write(&path, wenshu_docs::render_docx(&doc)?)?;
    println!("{path}");
    Ok(())
}
