//! Office documents for Wenshu: a 公文 rendered as DOCX in the layout of GB/T 9704-2012.

mod docx;

pub use docx::{RenderError, layout, render_docx};
