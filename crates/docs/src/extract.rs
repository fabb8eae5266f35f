//! Text out of the files Wenshu reads (PDF, HTML and DOCX), as paragraphs: the one place where
//! documents become text, for the knowledge base and whoever else needs it. PDF pages are read
//! one at a time (a page that fails or panics inside the parser is skipped, not the document),
//! visual lines are joined back into paragraphs, and the spaces PDF extraction puts between
//! Chinese and digits are dropped.

use std::panic::{AssertUnwindSafe, catch_unwind};

use wenshu_core::check::heading_level;
use wenshu_core::source::Paragraph;
use wenshu_core::text::is_cjk;

use crate::read::ReadError;

/// Why a PDF's text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("the PDF is encrypted: save a copy without a password and add that")]
    Encrypted,
    #[error("no text layer; OCR is not supported (is it a scan?)")]
    NoText,
    #[error("not a readable PDF: {0}")]
    Damaged(String),
}

/// Collapses whitespace, dropping it where it touches Chinese text ("2023 年" → "2023年").
pub fn tidy_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending = !out.is_empty();
            continue;
        }
        if pending {
            let before = out.chars().next_back().unwrap_or(' ');
            if !is_cjk(before) && !is_cjk(c) {
                out.push(' ');
            }
            pending = false;
        }
        out.push(c);
    }
    out
}

/// Joins the visual lines of a page into paragraphs: a paragraph ends after a line that ends a
/// sentence or falls short of the page's width, and before a numbered heading.
pub fn join_lines(page_text: &str) -> Vec<String> {
    let lines: Vec<String> = page_text
        .lines()
        .map(tidy_spaces)
        .filter(|l| !l.is_empty())
        .collect();
    let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in lines {
        let starts_section = heading_level(&line).is_some();
        if open && !starts_section {
            let last = out.last_mut().map(|p| {
                let before = p.chars().next_back().unwrap_or(' ');
                let after = line.chars().next().unwrap_or(' ');
                if !is_cjk(before) && !is_cjk(after) {
                    p.push(' ');
                }
                p.push_str(&line);
            });
            debug_assert!(last.is_some());
        } else {
            out.push(line.clone());
        }
        let n = line.chars().count();
        open = !line.ends_with(['。', '！', '？', '：', '；']) && n * 10 >= width * 8;
    }
    out
}

/// The paragraphs of a PDF, each with the page it starts on.
pub fn pdf_paragraphs(bytes: &[u8]) -> Result<Vec<Paragraph>, ExtractError> {
    let (paragraphs, _) = pdf_document(bytes)?;
    if paragraphs.is_empty() {
        return Err(ExtractError::NoText);
    }
    Ok(paragraphs)
}

/// A PDF text string: UTF-16BE after its byte-order mark, else PDFDocEncoding (read as
/// Latin-1, which agrees with it on printable ASCII), else UTF-8 as some producers write.
fn pdf_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|b| char::from(*b)).collect(),
    }
}

/// The entries of a PDF's document information dictionary (`Title`, `Subject`, `Keywords`, and
/// any a producer added, such as a 密级), as (name, value).
fn pdf_info(doc: &pdf_extract::Document) -> Vec<(String, String)> {
    let info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| match o {
            pdf_extract::Object::Reference(id) => doc.get_object(*id).ok(),
            other => Some(other),
        })
        .and_then(|o| o.as_dict().ok());
    let Some(info) = info else {
        return Vec::new();
    };
    info.iter()
        .filter_map(|(key, value)| match value {
            pdf_extract::Object::String(bytes, _) => Some((
                String::from_utf8_lossy(key).into_owned(),
                pdf_text_string(bytes),
            )),
            pdf_extract::Object::Name(name) => Some((
                String::from_utf8_lossy(key).into_owned(),
                String::from_utf8_lossy(name).into_owned(),
            )),
            _ => None,
        })
        .collect()
}

/// A document's properties or information entries, as (name, value).
pub type Properties = Vec<(String, String)>;

/// The paragraphs of a PDF, each with the page it starts on (none for a scan without text),
/// and its document information (name, value), read in one pass.
pub fn pdf_document(bytes: &[u8]) -> Result<(Vec<Paragraph>, Properties), ExtractError> {
    let loaded = catch_unwind(|| pdf_extract::Document::load_mem(bytes))
        .map_err(|_| ExtractError::Damaged("the parser gave up".into()))?;
    let mut doc = loaded.map_err(|e| ExtractError::Damaged(e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ExtractError::Encrypted);
    }
    let info = pdf_info(&doc);
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut out = Vec::new();
    for page in pages {
        let text = catch_unwind(AssertUnwindSafe(|| {
            let mut text = String::new();
            let mut output = pdf_extract::PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&doc, &mut output, page).map(|()| text)
        }));
        let Ok(Ok(text)) = text else { continue };
        out.extend(join_lines(&text).into_iter().map(|text| Paragraph {
            text,
            page: Some(page),
        }));
    }
    Ok((out, info))
}

/// The text of the DOCX in `bytes`, one string per paragraph in reading order (table cells
/// included; text boxes and deleted text left out).
pub fn docx_paragraphs(bytes: &[u8]) -> Result<Vec<String>, ReadError> {
    Ok(crate::inspect::read_layout(bytes)?
        .paragraphs
        .into_iter()
        .map(|p| p.text)
        .collect())
}

/// The paragraphs of an HTML page: scripts, styles and the head left out, block elements as
/// paragraph breaks, entities decoded.
pub fn html_paragraphs(html: &str) -> Vec<Paragraph> {
    const SKIP: [&str; 4] = ["script", "style", "head", "noscript"];
    const BLOCKS: [&str; 17] = [
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
        "article", "ul", "ol", "title",
    ];
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&decode_entities(&rest[..open]));
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = &after[..close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &after[close + 1..];
        if !tag.starts_with('/') && SKIP.contains(&name.as_str()) {
            // Skip to the matching end tag.
            let end = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = match lower.find(&end) {
                Some(i) => {
                    let tail = &rest[i..];
                    tail.find('>').map_or("", |j| &tail[j + 1..])
                }
                None => "",
            };
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            text.push('\n');
        }
    }
    text.push_str(&decode_entities(rest));
    text.lines()
        .map(tidy_spaces)
        .filter(|l| !l.is_empty())
        .map(|text| Paragraph { text, page: None })
        .collect()
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visual_lines_join_into_paragraphs() {
        let page = "为加快推进数字政府建设，现提出如下意\n\n见。\n一、总体要求\n到 2025 年，基本建成全省一体化政务大\n\n数据体系。\n短行\n";
        assert_eq!(
            join_lines(page),
            [
                "为加快推进数字政府建设，现提出如下意见。",
                "一、总体要求",
                "到2025年，基本建成全省一体化政务大数据体系。",
                "短行"
            ]
        );
    }

    #[test]
    fn html_keeps_text_and_drops_markup() {
        let html = "<html><head><title>x</title><style>p{}</style></head><body>\
                    <h1>关于数据&amp;安全的通知</h1><p>第一段，<b>加粗</b>文字。</p>\
                    <script>alert(1)</script><p>A&lt;B &#x4E2D;&#25991;</p></body></html>";
        let texts: Vec<String> = html_paragraphs(html).into_iter().map(|p| p.text).collect();
        assert_eq!(
            texts,
            ["关于数据&安全的通知", "第一段，加粗文字。", "A<B中文"]
        );
    }

    #[test]
    fn junk_is_not_a_pdf() {
        assert!(matches!(
            pdf_paragraphs(b"%PDF-1.4 garbage"),
            Err(ExtractError::Damaged(_))
        ));
        assert!(matches!(pdf_paragraphs(b""), Err(ExtractError::Damaged(_))));
    }
}
