//! Saving a document as DOCX (GB/T 9704 layout), Markdown or plain text, in the format the file
//! name asks for.

use std::path::Path;

use wenshu_api::messages::draft as msg;
use wenshu_core::check;
use wenshu_core::document::Document;
use wenshu_docs::RenderError;

use super::form::parse_type;
use super::types::ExportFormat;
use crate::error::{AppError, ErrorCode, Result};

/// The format a file name asks for by its extension.
pub fn export_format(path: &Path) -> Result<ExportFormat> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("docx") => Ok(ExportFormat::Docx),
        Some("md" | "markdown") => Ok(ExportFormat::Markdown),
        Some("txt") => Ok(ExportFormat::Text),
        _ => Err(AppError::of(
            ErrorCode::InvalidInput,
            msg::unknown_format(path.display()),
        )),
    }
}

/// The labels an exported DOCX carries (《人工智能生成合成内容标识办法》, GB 45438-2025): the
/// visible line in the page header, and the `AIGC` property naming Wenshu as the producer and
/// the content by a SHA-256 of its text.
pub fn ai_label(doc: &Document) -> wenshu_docs::AiLabel {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(doc.to_text().as_bytes());
    let id: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let aigc = serde_json::json!({
        "Label": "1",
        "ContentProducer": format!("文枢 Wenshu {}", env!("CARGO_PKG_VERSION")),
        "ProduceID": id,
        "ReservedCode1": "",
        "ContentPropagator": "",
        "PropagateID": "",
        "ReservedCode2": "",
    });
    wenshu_docs::AiLabel {
        explicit: Some(check::AI_LABEL.to_string()),
        aigc: aigc.to_string(),
    }
}

/// Saves `doc` to `path` in the format its extension names, atomically (a failed save leaves any
/// earlier file as it was). A DOCX carries the labels of AI-generated content (`ai_label`).
pub fn export_document(doc: &Document, path: &Path) -> Result<ExportFormat> {
    let format = export_format(path)?;
    let bytes = match format {
        ExportFormat::Docx => wenshu_docs::render_docx_labelled(doc, Some(&ai_label(doc)))
            .map_err(|err| match err {
                RenderError::Write(detail) => {
                    AppError::of(ErrorCode::Runtime, msg::cannot_write_docx(detail))
                }
            })?,
        ExportFormat::Markdown => doc.to_markdown().into_bytes(),
        ExportFormat::Text => doc.to_text().into_bytes(),
    };
    crate::input::write_atomic(path, &bytes)?;
    Ok(format)
}

/// Saves a document given as text (one paragraph per line, as drafted or edited) in the format
/// its extension names. Its type comes from the title, else from `doc_type`.
pub fn export_text(text: &str, doc_type: &str, path: &Path) -> Result<ExportFormat> {
    let fallback = parse_type(doc_type)?;
    let doc = check::read_document(text, fallback);
    if doc.title.trim().is_empty() && doc.body.is_empty() {
        return Err(AppError::of(ErrorCode::InvalidInput, msg::empty_document()));
    }
    export_document(&doc, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edited_text_exports_as_the_document_it_shows() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "某市数据管理局文件\n某数〔2024〕3号\n某市数据管理局关于开展数据安全检查的通知\n各区数据管理局：\n现将有关事项通知如下：\n一、检查范围\n全市各级政务数据平台。\n某市数据管理局\n2024年3月20日\n";
        let docx = dir.path().join("通知.docx");
        assert_eq!(
            export_text(text, "通知", &docx).expect("exports"),
            ExportFormat::Docx
        );
        let paragraphs =
            wenshu_docs::docx_paragraphs(&std::fs::read(&docx).expect("read")).expect("a DOCX");
        let lines: Vec<&str> = paragraphs
            .iter()
            .map(String::as_str)
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert_eq!(
            lines[..3],
            [
                "某市数据管理局文件",
                "某数〔2024〕3号",
                "某市数据管理局关于开展数据安全检查的通知"
            ]
        );
        assert!(lines.contains(&"一、检查范围"), "{lines:?}");
        // The labels of AI-generated content: the header people see, the property programs read.
        let layout =
            wenshu_docs::read_layout(&std::fs::read(&docx).expect("read")).expect("a DOCX");
        assert!(
            layout.headers.iter().any(|h| h.contains(check::AI_LABEL)),
            "{:?}",
            layout.headers
        );
        let aigc: serde_json::Value =
            serde_json::from_str(layout.aigc.as_deref().expect("the AIGC property")).expect("JSON");
        assert_eq!(aigc["Label"], "1");
        assert!(
            aigc["ContentProducer"]
                .as_str()
                .is_some_and(|p| p.starts_with("文枢"))
        );
        assert_eq!(aigc["ProduceID"].as_str().map(str::len), Some(32));
        let findings = wenshu_docs::check_layout(&layout);
        let label = findings
            .iter()
            .find(|f| f.rule == "layout-ai-label")
            .expect("the checker reminds of the label");
        assert_eq!(
            label.severity,
            wenshu_core::check::Severity::Warning,
            "a reminder, never an error"
        );
        let md = dir.path().join("通知.md");
        export_text(text, "通知", &md).expect("exports");
        assert!(
            std::fs::read_to_string(&md)
                .expect("read")
                .contains("## 一、检查范围")
        );
        let err = export_text("\n\n", "通知", &md).expect_err("nothing to save");
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(
            export_text(text, "便条", &md).is_err(),
            "an unknown type is named"
        );
    }
}
