//! The DOCX a document renders to, opened as Word would: the XML of the package says A4, the
//! GB/T 9704 margins and line grid, the fonts and sizes of each element, the red mark and rule,
//! and the page-number footers; its text passes the checker for every document type.

use std::io::Read;

use wenshu_core::check::{Severity, check_text};
use wenshu_core::document::{Block, Date, DocType, Document};
use wenshu_docs::{check_layout, read_layout, render_docx};

fn sample(doc_type: DocType) -> Document {
    let mut doc = Document::new(doc_type, "广东省政务服务数据管理局");
    doc.number = Some("粤政数〔2024〕7号".into());
    if matches!(doc_type, DocType::Request | DocType::Report) {
        doc.signers = vec!["张三".into()];
    }
    doc.title = match doc_type {
        DocType::Announcement | DocType::Notice | DocType::Communique | DocType::Order => {
            format!("广东省政务服务数据管理局{}", doc_type.name())
        }
        DocType::Minutes => "广东省政务服务数据管理局局长办公会议纪要".into(),
        _ => format!(
            "广东省政务服务数据管理局关于做好政务数据治理工作的{}",
            doc_type.name()
        ),
    };
    if !matches!(
        doc_type,
        DocType::Announcement
            | DocType::Notice
            | DocType::Communique
            | DocType::Order
            | DocType::Minutes
    ) {
        doc.addressees = vec!["各地级以上市政务服务数据管理局".into()];
    }
    if doc_type == DocType::Request {
        doc.addressees = vec!["广东省人民政府".into()];
    }
    doc.body = vec![
        Block::Paragraph("为贯彻落实数字政府建设要求，现将有关事项说明如下。".into()),
        Block::Heading {
            level: 1,
            text: "总体要求".into(),
        },
        Block::Heading {
            level: 2,
            text: "工作目标".into(),
        },
        Block::Paragraph("2024年12月31日前完成政务数据目录编制。".into()),
        Block::Heading {
            level: 3,
            text: "按时报送材料。".into(),
        },
        Block::Heading {
            level: 1,
            text: "工作安排".into(),
        },
        Block::Paragraph(match doc_type {
            DocType::Request => "妥否，请批示。".into(),
            DocType::Report => "特此报告。".into(),
            _ => "请结合实际认真贯彻执行。".into(),
        }),
    ];
    doc.attachments = vec!["政务数据目录模板".into(), "报送联系人名单".into()];
    doc.date = Date::new(2024, 3, 20);
    doc.copy_to = vec!["省委办公厅".into(), "省政府办公厅".into()];
    doc.printed_by = Some("广东省政务服务数据管理局办公室".into());
    doc.printed_on = Date::new(2024, 3, 21);
    doc
}

/// The files of the DOCX package by name.
fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX is a zip archive");
    let mut files = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let mut text = String::new();
        if file.read_to_string(&mut text).is_ok() {
            files.insert(file.name().to_string(), text);
        }
    }
    files
}

/// The `<w:p>` elements of `xml`, in order.
fn paragraphs(xml: &str) -> Vec<&str> {
    xml.split("<w:p>")
        .skip(1)
        .chain(xml.split("<w:p ").skip(1))
        .collect()
}

fn paragraph_with<'a>(xml: &'a str, text: &str) -> &'a str {
    paragraphs(xml)
        .into_iter()
        .find(|p| p.split("</w:p>").next().is_some_and(|p| p.contains(text)))
        .map(|p| p.split("</w:p>").next().unwrap_or(p))
        .unwrap_or_else(|| panic!("no paragraph contains {text:?}"))
}

#[test]
fn page_setup_is_a4_with_the_standard_margins_and_grid() {
    let files = unzip(&render_docx(&sample(DocType::Circular)).expect("renders"));
    let document = &files["word/document.xml"];
    assert!(
        document.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
        "A4 page"
    );
    for (side, value) in [
        ("top", 2098),
        ("bottom", 1984),
        ("left", 1587),
        ("right", 1474),
    ] {
        assert!(
            document.contains(&format!(r#"w:{side}="{value}""#)),
            "{side} margin {value} twips"
        );
    }
    let body = paragraph_with(document, "为贯彻落实");
    assert!(
        body.contains(r#"w:line="579""#) && body.contains(r#"w:lineRule="exact""#),
        "28.95 pt exact lines: {body}"
    );
    assert!(
        body.contains(r#"w:firstLine="640""#),
        "two-character first-line indent: {body}"
    );
    assert!(
        body.contains(r#"w:eastAsia="仿宋_GB2312""#) && body.contains(r#"<w:sz w:val="32" />"#),
        "3号仿宋: {body}"
    );
    assert!(
        body.contains(r#"<w:spacing w:val="-4" />"#),
        "28 characters per line: {body}"
    );
}

#[test]
fn each_element_has_its_font_size_and_colour() {
    let files = unzip(&render_docx(&sample(DocType::Circular)).expect("renders"));
    let document = &files["word/document.xml"];
    let mark = paragraph_with(document, "广东省政务服务数据管理局文件");
    assert!(mark.contains(r#"w:val="FF0000""#), "red mark: {mark}");
    assert!(
        mark.contains(r#"w:eastAsia="方正小标宋简体""#),
        "小标宋 mark"
    );
    assert!(mark.contains(r#"<w:jc w:val="center" />"#), "centred mark");

    let number = paragraph_with(document, "粤政数〔2024〕7号");
    assert!(
        number.contains("<w:bottom") && number.contains(r#"w:color="FF0000""#),
        "red rule under the number: {number}"
    );

    let title = paragraph_with(document, "关于做好政务数据治理工作的通知");
    assert!(
        title.contains(r#"<w:sz w:val="44" />"#) && title.contains("方正小标宋简体"),
        "2号小标宋 title: {title}"
    );
    assert!(title.contains(r#"<w:jc w:val="center" />"#));

    let addressee = paragraph_with(document, "各地级以上市政务服务数据管理局：");
    assert!(
        !addressee.contains("w:firstLine"),
        "主送 flush left: {addressee}"
    );

    assert!(
        paragraph_with(document, "一、总体要求").contains(r#"w:eastAsia="黑体""#),
        "level 1 in 黑体"
    );
    assert!(
        paragraph_with(document, "（一）工作目标").contains(r#"w:eastAsia="楷体_GB2312""#),
        "level 2 in 楷体"
    );
    assert!(
        paragraph_with(document, "1.按时报送材料").contains(r#"w:eastAsia="仿宋_GB2312""#),
        "level 3 in 仿宋"
    );

    assert!(
        paragraph_with(document, "附件：1.政务数据目录模板").contains(r#"w:left="640""#),
        "附件 two characters in"
    );
    let date = paragraph_with(document, "2024年3月20日");
    assert!(
        date.contains(r#"<w:jc w:val="right" />"#),
        "date at the right: {date}"
    );

    let cc = paragraph_with(document, "抄送：省委办公厅，省政府办公厅。");
    assert!(cc.contains(r#"<w:sz w:val="28" />"#), "版记 in 4号: {cc}");
    assert!(cc.contains("<w:top"), "a rule above the 版记");
    let printed = paragraph_with(document, "2024年3月21日印发");
    assert!(printed.contains("<w:bottom"), "a rule under the 版记");
}

#[test]
fn upward_documents_put_the_number_left_and_the_signer_right() {
    let files = unzip(&render_docx(&sample(DocType::Request)).expect("renders"));
    let number = paragraph_with(&files["word/document.xml"], "粤政数〔2024〕7号");
    assert!(
        number.contains("签发人：") && number.contains("张三"),
        "签发人 beside the number: {number}"
    );
    assert!(
        number.contains(r#"w:val="right""#) && number.contains("<w:tab"),
        "签发人 at a right tab: {number}"
    );
}

#[test]
fn page_numbers_are_fields_right_on_odd_and_left_on_even_pages() {
    let files = unzip(&render_docx(&sample(DocType::Circular)).expect("renders"));
    assert!(
        files["word/settings.xml"].contains("evenAndOddHeaders"),
        "different odd and even footers"
    );
    let footers: Vec<(&String, &String)> = files
        .iter()
        .filter(|(name, _)| name.starts_with("word/footer"))
        .collect();
    assert_eq!(footers.len(), 2, "one footer for odd pages, one for even");
    for (name, footer) in &footers {
        assert!(
            footer.contains("PAGE"),
            "{name}: the number is a PAGE field: {footer}"
        );
        assert!(
            footer.contains("— ") && footer.contains(" —"),
            "{name}: the number is written — N —: {footer}"
        );
        assert!(
            footer.contains(r#"w:eastAsia="宋体""#) && footer.contains(r#"<w:sz w:val="28" />"#),
            "{name}: the number is in 4号宋体: {footer}"
        );
    }
    assert!(
        footers
            .iter()
            .any(|(_, f)| f.contains(r#"<w:jc w:val="right" />"#)),
        "odd pages: right"
    );
    assert!(
        footers
            .iter()
            .any(|(_, f)| f.contains(r#"<w:jc w:val="left" />"#)),
        "even pages: left"
    );
}

#[test]
fn every_type_renders_a_docx_the_checker_accepts_text_and_layout() {
    for doc_type in DocType::ALL {
        let doc = sample(doc_type);
        assert_eq!(doc.validate(), vec![], "the sample {doc_type} is complete");
        let bytes = render_docx(&doc).expect("renders");
        // Wenshu's reader and docx-rs's agree on the paragraphs.
        let docx = docx_rs::read_docx(&bytes).expect("the DOCX reads back");
        let theirs: Vec<String> = docx
            .document
            .children
            .iter()
            .filter_map(|child| match child {
                docx_rs::DocumentChild::Paragraph(p) => Some(p.raw_text()),
                _ => None,
            })
            .collect();
        let layout = read_layout(&bytes).expect("the layout reads back");
        let ours: Vec<&str> = layout.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(ours, theirs, "{doc_type}");
        let text = ours.join("\n");
        let errors: Vec<_> = check_text(&text)
            .into_iter()
            .chain(check_layout(&layout))
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(
            errors.is_empty(),
            "{doc_type}: the rendered DOCX has errors {errors:?}\n{text}"
        );
        let warnings: Vec<_> = check_layout(&layout);
        assert!(warnings.is_empty(), "{doc_type}: {warnings:?}");
    }
}
