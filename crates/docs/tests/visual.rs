//! What a person sees: the rendered DOCX converted to PDF by LibreOffice (installed by the test
//! setup, with the free CJK fonts mapped to the government font names), read back page by page.

use std::path::Path;
use std::process::Command;

use wenshu_core::document::{Block, Date, DocType, Document};

fn two_page_notice() -> Document {
    let mut doc = Document::new(DocType::Circular, "广东省政务服务数据管理局");
    doc.number = Some("粤政数〔2024〕7号".into());
    doc.title = "广东省政务服务数据管理局关于做好政务数据治理工作的通知".into();
    doc.addressees = vec!["各地级以上市政务服务数据管理局".into()];
    doc.body.push(Block::Heading {
        level: 1,
        text: "总体要求".into(),
    });
    for i in 1..=40 {
        // 26 characters after the two-character indent: exactly one line each.
        doc.body.push(Block::Paragraph(format!(
            "第{i:02}行：各单位按要求完成政务数据目录编制工作任务。"
        )));
    }
    doc.date = Date::new(2024, 3, 20);
    doc.copy_to = vec!["省委办公厅".into(), "省政府办公厅".into()];
    doc.printed_by = Some("广东省政务服务数据管理局办公室".into());
    doc.printed_on = Date::new(2024, 3, 21);
    doc
}

fn pdf_page_text(pdf: &Path, page: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup.sh --test");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn libreoffice_lays_out_22_lines_a_page_with_page_numbers_and_the_record_at_the_end() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docx = dir.path().join("notice.docx");
    std::fs::write(
        &docx,
        wenshu_docs::render_docx(&two_page_notice()).expect("renders"),
    )
    .expect("write");
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fonts/fonts.conf");
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("lo-profile").display()
    );
    let status = Command::new("soffice")
        .env("FONTCONFIG_FILE", &fonts)
        .args(["--headless", &profile, "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&docx)
        .output()
        .expect("LibreOffice (soffice) is installed by scripts/setup.sh --test");
    assert!(
        status.status.success(),
        "conversion: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let pdf = dir.path().join("notice.pdf");
    assert!(pdf.is_file(), "LibreOffice wrote the PDF");

    let first = pdf_page_text(&pdf, 1);
    assert!(
        first.contains("广东省政务服务数据管理局文件"),
        "the red mark is on page 1:\n{first}"
    );
    let numbered = |text: &str, n: usize| {
        text.replace([' ', '\u{a0}'], "")
            .contains(&format!("—{n}—"))
    };
    assert!(numbered(&first, 1), "page 1 is numbered — 1 —:\n{first}");
    let second = pdf_page_text(&pdf, 2);
    let body_lines = second.lines().filter(|l| l.contains("行：")).count();
    assert_eq!(
        body_lines, 22,
        "a full page holds 22 lines of 3号 text:\n{second}"
    );
    assert!(
        second
            .lines()
            .filter(|l| l.contains("行："))
            .all(|l| l.contains("任务。")),
        "28 characters to a line: no body line wraps:\n{second}"
    );
    assert!(numbered(&second, 2), "page 2 is numbered — 2 —:\n{second}");
    let last = pdf_page_text(&pdf, 3);
    let lines: Vec<&str> = last.lines().filter(|l| !l.trim().is_empty()).collect();
    let record = lines
        .iter()
        .position(|l| l.contains("印发"))
        .expect("the 版记 is on the last page");
    assert_eq!(
        record + 2,
        lines.len(),
        "the 印发 line is the last before the page number:\n{last}"
    );
    assert!(numbered(lines[lines.len() - 1], 3), "{last}");
}
