//! Text read out of a source document (PDF, HTML, DOCX, plain text): paragraphs with the page
//! each starts on, the form in which extraction hands a document to the knowledge base.

/// One paragraph of an extracted document, with the page it starts on (PDF only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub text: String,
    pub page: Option<u32>,
}
