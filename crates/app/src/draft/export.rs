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

/// The labels an export carries (《人工智能生成合成内容标识办法》, GB 45438-2025): the visible
/// line (unless the policy turned it off), and the `AIGC` metadata naming Wenshu as the producer
/// and the content by a SHA-256 of its text.
pub fn ai_label(text: &str, explicit: bool) -> wenshu_docs::AiLabel {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(text.as_bytes());
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
        explicit: explicit.then(|| check::AI_LABEL.to_string()),
        aigc: aigc.to_string(),
    }
}

/// Markdown with its labels: the visible one as a quote on top, the `AIGC` metadata in a
/// comment at the end (which Markdown viewers do not show).
pub fn label_markdown(markdown: &str, explicit: bool) -> String {
    let label = ai_label(markdown, explicit);
    let mut out = String::new();
    if let Some(line) = &label.explicit {
        out.push_str(&format!("> {line}\n\n"));
    }
    out.push_str(markdown.trim_end());
    out.push_str(&format!("\n\n<!-- AIGC {} -->\n", label.aigc));
    out
}

/// Plain text with its visible label as the first line. Plain text has no place for metadata
/// a reader would not see, so the `AIGC` label goes only into DOCX and Markdown files.
pub fn label_text(text: &str, explicit: bool) -> String {
    if explicit {
        format!("【{}】\n\n{}", check::AI_LABEL, text)
    } else {
        text.to_string()
    }
}

/// `doc` as the bytes of `format`, labelled as AI-generated (the visible label when `explicit`).
pub fn render_document(doc: &Document, format: ExportFormat, explicit: bool) -> Result<Vec<u8>> {
    Ok(match format {
        ExportFormat::Docx => {
            wenshu_docs::render_docx_labelled(doc, Some(&ai_label(&doc.to_text(), explicit)))
                .map_err(|err| match err {
                    RenderError::Write(detail) => {
                        AppError::of(ErrorCode::Runtime, msg::cannot_write_docx(detail))
                    }
                })?
        }
        ExportFormat::Markdown => label_markdown(&doc.to_markdown(), explicit).into_bytes(),
        ExportFormat::Text => label_text(&doc.to_text(), explicit).into_bytes(),
    })
}

impl crate::Wenshu {
    /// Saves `doc` to `path` in the format its extension names, atomically (a failed save
    /// leaves any earlier file as it was), with the labels of AI-generated content, and
    /// records the export for `app` with the document's data level: `level` (what its inputs
    /// were), or its own markings when higher.
    pub fn export_document(
        &self,
        doc: &Document,
        path: &Path,
        app: &str,
        level: &str,
    ) -> Result<ExportFormat> {
        let format = export_format(path)?;
        let text = doc.to_text();
        let bytes = render_document(doc, format, self.explicit_ai_label())?;
        crate::input::write_atomic(path, &bytes)?;
        let level =
            self.highest_level([self.level_rank(level).unwrap_or(0), self.text_level(&text)]);
        self.record_export(app, path, &bytes, &level);
        Ok(format)
    }

    /// Saves a document given as text (one paragraph per line, as drafted or edited) in the
    /// format its extension names. Its type comes from the title, else from `doc_type`.
    pub fn export_text(&self, text: &str, doc_type: &str, path: &Path) -> Result<ExportFormat> {
        let fallback = parse_type(doc_type)?;
        let doc = check::read_document(text, fallback);
        if doc.title.trim().is_empty() && doc.body.is_empty() {
            return Err(AppError::of(ErrorCode::InvalidInput, msg::empty_document()));
        }
        self.export_document(&doc, path, "desktop.export", "")
    }

    /// Saves text an app wrote (Markdown when `markdown`) to `path`, labelled, and records it
    /// with its data level (`level`, or its markings when higher).
    pub fn export_output(
        &self,
        text: &str,
        markdown: bool,
        path: &Path,
        app: &str,
        level: &str,
    ) -> Result<()> {
        let explicit = self.explicit_ai_label();
        let level =
            self.highest_level([self.level_rank(level).unwrap_or(0), self.text_level(text)]);
        let text = if markdown {
            label_markdown(text, explicit)
        } else {
            label_text(text, explicit)
        };
        crate::input::write_atomic(path, text.as_bytes())?;
        self.record_export(app, path, text.as_bytes(), &level);
        Ok(())
    }
}
