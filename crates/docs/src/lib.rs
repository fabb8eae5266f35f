//! Office documents for Wenshu: a 公文 rendered as DOCX in the layout of GB/T 9704-2012.

mod docx;
mod read;

pub use docx::{RenderError, layout, render_docx};
pub use read::{ReadError, docx_paragraphs};
