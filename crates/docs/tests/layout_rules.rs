//! The DOCX layout rules, one table row per rule: a rendered document that breaks it is
//! reported, and a close variant that keeps within the standard is not. Formatting set through
//! styles (as Word and LibreOffice write it) counts the same as direct formatting.

use std::io::{Cursor, Read, Write};

use wenshu_core::document::{Block, Date, DocType, Document};
use wenshu_docs::{check_layout, read_layout, render_docx};

fn notice() -> Vec<u8> {
    let mut doc = Document::new(DocType::Circular, "广东省政务服务数据管理局");
    doc.number = Some("粤政数〔2024〕7号".into());
    doc.title = "广东省政务服务数据管理局关于做好政务数据治理工作的通知".into();
    doc.addressees = vec!["各地级以上市政务服务数据管理局".into()];
    doc.body = vec![
        Block::Paragraph("为贯彻落实数字政府建设要求，现将有关事项通知如下：".into()),
        Block::Heading {
            level: 1,
            text: "总体要求".into(),
        },
        Block::Heading {
            level: 2,
            text: "工作目标".into(),
        },
        Block::Paragraph("2024年12月31日前完成政务数据目录编制。".into()),
    ];
    doc.date = Date::new(2024, 3, 20);
    render_docx(&doc).expect("renders")
}

/// The package with `edit` applied to one entry's text.
fn edited(bytes: &[u8], entry: &str, edit: &dyn Fn(String) -> String) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let name = file.name().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).expect("read");
        if name == entry {
            data = edit(String::from_utf8(data).expect("utf-8")).into_bytes();
        }
        writer.start_file(name, options).expect("start");
        writer.write_all(&data).expect("write");
    }
    writer.finish().expect("finish");
    out.into_inner()
}

fn rules_found(bytes: &[u8]) -> Vec<&'static str> {
    let layout = read_layout(bytes).expect("reads");
    check_layout(&layout).into_iter().map(|f| f.rule).collect()
}

/// (rule, what breaks it, a close variant that must pass)
type Case = (
    &'static str,
    (&'static str, &'static str),
    (&'static str, &'static str),
);

const CASES: &[Case] = &[
    (
        "layout-page",
        (r#"w:w="11906" w:h="16838""#, r#"w:w="12240" w:h="15840""#),
        (r#"w:w="11906" w:h="16838""#, r#"w:w="11900" w:h="16840""#),
    ),
    (
        "layout-margins",
        (r#"w:top="2098""#, r#"w:top="1440""#),
        (r#"w:top="2098""#, r#"w:top="2125""#),
    ),
    (
        "layout-fonts",
        ("方正小标宋简体", "宋体"),
        ("方正小标宋简体", "方正小标宋_GBK"),
    ),
    ("layout-fonts", ("黑体", "仿宋_GB2312"), ("黑体", "SimHei")),
    (
        "layout-sizes",
        (r#"<w:sz w:val="44" />"#, r#"<w:sz w:val="36" />"#),
        (r#"<w:sz w:val="44" />"#, r#"<w:sz w:val="44"/>"#),
    ),
    (
        "layout-sizes",
        (r#"<w:sz w:val="32" />"#, r#"<w:sz w:val="28" />"#),
        (r#"<w:szCs w:val="32" />"#, r#"<w:szCs w:val="28" />"#),
    ),
    (
        "layout-line-spacing",
        (
            r#"w:line="579" w:lineRule="exact""#,
            r#"w:line="480" w:lineRule="auto""#,
        ),
        (
            r#"w:line="579" w:lineRule="exact""#,
            r#"w:line="560" w:lineRule="exact""#,
        ),
    ),
    (
        "layout-red-header",
        ("FF0000", "000000"),
        ("FF0000", "C00000"),
    ),
];

#[test]
fn each_layout_rule_fires_on_a_violation_and_not_on_a_close_variant() {
    let good = notice();
    assert_eq!(
        rules_found(&good),
        Vec::<&str>::new(),
        "the rendering passes"
    );
    for (rule, (from, to), (ok_from, ok_to)) in CASES {
        let bad = edited(&good, "word/document.xml", &|xml| {
            assert!(xml.contains(from), "{rule}: {from} is in the XML");
            xml.replace(from, to)
        });
        assert!(
            rules_found(&bad).contains(rule),
            "{rule} must fire for {from} -> {to}: {:?}",
            rules_found(&bad)
        );
        let close = edited(&good, "word/document.xml", &|xml| {
            assert!(xml.contains(ok_from), "{rule}: {ok_from} is in the XML");
            xml.replace(ok_from, ok_to)
        });
        assert!(
            !rules_found(&close).contains(rule),
            "{rule} must not fire for {ok_from} -> {ok_to}: {:?}",
            check_layout(&read_layout(&close).expect("reads"))
        );
    }
    // Every layout rule has a case; the AI label lives in the headers and has its own test.
    for rule in wenshu_core::check::LAYOUT_RULES
        .iter()
        .filter(|r| r.id != "layout-ai-label")
    {
        assert!(
            CASES.iter().any(|c| c.0 == rule.id),
            "{} has a case",
            rule.id
        );
    }
}

#[test]
fn the_ai_label_in_the_header_is_a_reminder_and_its_property_reads_back() {
    let mut doc = Document::new(DocType::Circular, "广东省政务服务数据管理局");
    doc.title = "广东省政务服务数据管理局关于做好政务数据治理工作的通知".into();
    doc.body = vec![Block::Paragraph("现将有关事项通知如下：".into())];
    let label = wenshu_docs::AiLabel {
        explicit: Some(wenshu_core::check::AI_LABEL.into()),
        aigc: r#"{"Label":"1","ContentProducer":"文枢 Wenshu","ProduceID":"ab&cd"}"#.into(),
    };
    let labelled = wenshu_docs::render_docx_labelled(&doc, Some(&label)).expect("renders");
    assert!(rules_found(&labelled).contains(&"layout-ai-label"));
    let layout = read_layout(&labelled).expect("reads");
    let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).expect("JSON");
    assert_eq!(
        json(layout.aigc.as_deref().expect("the AIGC property")),
        json(&label.aigc),
        "the same JSON, the & escaped"
    );
    let plain = render_docx(&doc).expect("renders");
    assert!(!rules_found(&plain).contains(&"layout-ai-label"));
    // The implicit label alone is no reminder: nothing shows.
    let quiet = wenshu_docs::AiLabel {
        explicit: None,
        ..label
    };
    let quiet = wenshu_docs::render_docx_labelled(&doc, Some(&quiet)).expect("renders");
    assert!(!rules_found(&quiet).contains(&"layout-ai-label"));
    assert!(read_layout(&quiet).expect("reads").aigc.is_some());
}

#[test]
fn a_red_rule_drawn_as_a_shape_counts() {
    let good = notice();
    // No border at all: reported.
    let no_rule = edited(&good, "word/document.xml", &|xml| {
        xml.replace(
            r#"<w:bottom w:val="single" w:space="11" w:sz="12" w:color="FF0000" />"#,
            "",
        )
    });
    assert!(rules_found(&no_rule).contains(&"layout-red-header"));
    // A drawn line anchored in the number's paragraph: accepted.
    let drawn = edited(&no_rule, "word/document.xml", &|xml| {
        xml.replacen(
            "粤政数〔2024〕7号</w:t></w:r>",
            "粤政数〔2024〕7号</w:t></w:r><w:r><w:pict><v:line/></w:pict></w:r>",
            1,
        )
    });
    assert_eq!(rules_found(&drawn), Vec::<&str>::new());
}

/// A minimal package whose formatting lives only in styles.xml.
fn styled(body_font: &str, body_size: u32, title_style_font: &str) -> Vec<u8> {
    let p = |style: &str, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let plain = |text: &str| format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>");
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}{}{}{}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/></w:sectPr></w:body></w:document>"#,
        p("Title", "某局关于开展检查的通知"),
        plain("各区数据局："),
        plain("为加强管理，现将有关事项通知如下。"),
        plain("2024年3月20日"),
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsia="{body_font}"/><w:sz w:val="{body_size}"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:line="579" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading"><w:basedOn w:val="Normal"/><w:rPr><w:rFonts w:eastAsia="{title_style_font}"/><w:sz w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:basedOn w:val="Heading"/><w:pPr><w:jc w:val="center"/></w:pPr></w:style>
</w:styles>"#
    );
    let mut out = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default();
    for (name, data) in [("word/document.xml", document), ("word/styles.xml", styles)] {
        writer.start_file(name, options).expect("start");
        writer.write_all(data.as_bytes()).expect("write");
    }
    writer.finish().expect("finish");
    out.into_inner()
}

#[test]
fn formatting_inherited_through_styles_is_what_is_checked() {
    let good = styled("仿宋_GB2312", 32, "方正小标宋简体");
    let layout = read_layout(&good).expect("reads");
    assert_eq!(layout.paragraphs[0].align.as_deref(), Some("center"));
    assert_eq!(
        layout.paragraphs[0].runs[0].size,
        Some(44),
        "Title ← Heading"
    );
    assert_eq!(
        layout.paragraphs[1].runs[0].east_asia.as_deref(),
        Some("仿宋_GB2312"),
        "document defaults"
    );
    assert_eq!(rules_found(&good), Vec::<&str>::new());

    assert_eq!(
        rules_found(&styled("宋体", 32, "方正小标宋简体")),
        ["layout-fonts"]
    );
    assert_eq!(
        rules_found(&styled("仿宋_GB2312", 24, "方正小标宋简体")),
        ["layout-sizes"]
    );
    assert_eq!(
        rules_found(&styled("仿宋_GB2312", 32, "黑体")),
        ["layout-fonts"],
        "the title's font comes from the style it is based on"
    );
}
