//! Office documents for Wenshu: a 公文 rendered as DOCX in the layout of GB/T 9704-2012, its
//! layout read back and checked, and the text of PDF, HTML and DOCX files extracted.

mod docx;
pub mod extract;
mod inspect;
mod layout_check;
mod read;

pub use docx::{AiLabel, RenderError, layout, render_docx, render_docx_labelled};
pub use extract::{
    ExtractError, Properties, docx_paragraphs, html_paragraphs, pdf_document, pdf_paragraphs,
};
pub use inspect::{
    DocxLayout, PageSetup, ParagraphFormat, RunFormat, docx_properties, read_layout,
};
pub use layout_check::check_layout;
pub use read::ReadError;
