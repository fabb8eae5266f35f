//! Office documents for Wenshu: a 公文 rendered as DOCX in the layout of GB/T 9704-2012.

mod docx;
mod inspect;
mod layout_check;
mod read;

pub use docx::{RenderError, layout, render_docx};
pub use inspect::{DocxLayout, PageSetup, ParagraphFormat, RunFormat, read_layout};
pub use layout_check::check_layout;
pub use read::{ReadError, docx_paragraphs};
