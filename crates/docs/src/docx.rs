//! GB/T 9704-2012 layout of a `Document` as DOCX. Where each paragraph goes, and how it
//! looks, comes from [`wenshu_core::layout::plan`]; this module writes that plan as WordprocessingML,
//! with the page-number footers "— N —" right on odd pages and left on even ones.

use docx_rs::{
    AlignmentType, BorderType, Docx, FieldCharType, Footer, Header, InstrPAGE, InstrText,
    LineSpacing, LineSpacingType, PageMargin, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Run, RunFonts, SpecialIndentType, Tab, TabValueType,
};
use wenshu_core::document::Document;
use wenshu_core::layout::{self as plan, Align, Part, Rule};

/// The numbers of the layout; they live with the plan in `wenshu_core::layout`.
pub use wenshu_core::layout;

use layout::*;

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot write the DOCX: {0}")]
    Write(String),
}

fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(name)
        .ascii(name)
        .hi_ansi(name)
        .cs(name)
}

fn page_number_footer(align: AlignmentType) -> Footer {
    let run = |r: Run| r.fonts(fonts(FONT_PAGE_NUMBER)).size(SIZE_4);
    let mut paragraph = Paragraph::new()
        .align(align)
        .add_run(run(Run::new().add_text("— ")))
        .add_run(run(Run::new().add_field_char(FieldCharType::Begin, false)))
        .add_run(run(
            Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        ))
        .add_run(run(
            Run::new().add_field_char(FieldCharType::Separate, false)
        ))
        .add_run(run(Run::new().add_text("1")))
        .add_run(run(Run::new().add_field_char(FieldCharType::End, false)))
        .add_run(run(Run::new().add_text(" —")));
    paragraph = match align {
        AlignmentType::Right => paragraph.indent(None, None, Some(PAGE_NUMBER_INDENT), None),
        _ => paragraph.indent(Some(PAGE_NUMBER_INDENT), None, None, None),
    };
    Footer::new().add_paragraph(paragraph)
}

fn border(position: ParagraphBorderPosition, rule: Rule) -> ParagraphBorder {
    ParagraphBorder::new(position)
        .val(BorderType::Single)
        .size(rule.size)
        .space(rule.space)
        .color(rule.color)
}

/// One planned paragraph as WordprocessingML.
fn paragraph(p: &plan::Paragraph) -> Paragraph {
    let mut out = Paragraph::new()
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(p.line_height)
                .before(0)
                .after(0),
        )
        .widow_control(false);
    out = match p.align {
        Align::Left => out,
        Align::Center => out.align(AlignmentType::Center),
        Align::Right => out.align(AlignmentType::Right),
    };
    let some = |v: i32| (v != 0).then_some(v);
    let first_line = some(p.first_line).map(SpecialIndentType::FirstLine);
    if p.indent_left != 0 || p.indent_right != 0 || first_line.is_some() {
        let left = if first_line.is_some() {
            Some(p.indent_left)
        } else {
            some(p.indent_left)
        };
        out = out.indent(left, first_line, some(p.indent_right), None);
    }
    if let Some(pos) = p.right_tab {
        out = out.add_tab(Tab::new().val(TabValueType::Right).pos(pos as usize));
    }
    if p.rule_top.is_some() || p.rule_bottom.is_some() {
        let mut borders = ParagraphBorders::with_empty();
        if let Some(rule) = p.rule_top {
            borders = borders.set(border(ParagraphBorderPosition::Top, rule));
        }
        if let Some(rule) = p.rule_bottom {
            borders = borders.set(border(ParagraphBorderPosition::Bottom, rule));
        }
        out = out.set_borders(borders);
    }
    if p.page_break_before {
        out = out.page_break_before(true);
    }
    for span in &p.spans {
        if span.tab_before {
            out = out.add_run(Run::new().add_tab());
        }
        let mut run = Run::new().add_text(&span.text).size(span.size);
        if p.part != Part::Spacer {
            run = run.fonts(fonts(span.font));
        }
        if span.spacing != 0 {
            run = run.character_spacing(span.spacing);
        }
        if let Some(color) = span.color {
            run = run.color(color);
        }
        out = out.add_run(run);
    }
    out
}

/// The labels of AI-generated content a DOCX carries (GB 45438-2025): the explicit one, a line
/// in the page header that people see, and the implicit one, the `AIGC` custom document
/// property (JSON: `Label`, `ContentProducer`, `ProduceID`, …) that programs read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AiLabel {
    /// The visible line; none when the admin policy turns it off.
    pub explicit: Option<String>,
    /// The `AIGC` property's JSON.
    pub aigc: String,
}

fn label_header(text: &str) -> Header {
    Header::new().add_paragraph(
        Paragraph::new().align(AlignmentType::Center).add_run(
            Run::new()
                .add_text(text)
                .fonts(fonts(FONT_PAGE_NUMBER))
                .size(18)
                .color("7F7F7F"),
        ),
    )
}

/// Renders `doc` as a DOCX file laid out per GB/T 9704-2012.
pub fn render_docx(doc: &Document) -> Result<Vec<u8>, RenderError> {
    render_docx_labelled(doc, None)
}

/// Renders `doc` as a DOCX file laid out per GB/T 9704-2012, with `label` when given.
pub fn render_docx_labelled(
    doc: &Document,
    label: Option<&AiLabel>,
) -> Result<Vec<u8>, RenderError> {
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(851)
                .footer(FOOTER_DISTANCE),
        )
        .default_fonts(fonts(FONT_BODY))
        .default_size(SIZE_3)
        .footer(page_number_footer(AlignmentType::Right))
        .even_footer(page_number_footer(AlignmentType::Left));
    if let Some(label) = label {
        // docx-rs writes the value as it is: the XML characters go in as JSON escapes, which
        // mean the same to a JSON reader.
        let aigc = label
            .aigc
            .replace('&', "\\u0026")
            .replace('<', "\\u003c")
            .replace('>', "\\u003e");
        docx = docx.custom_property("AIGC", aigc);
        if let Some(text) = &label.explicit {
            docx = docx
                .header(label_header(text))
                .even_header(label_header(text));
        }
    }
    for p in &plan::plan(doc).paragraphs {
        docx = docx.add_paragraph(paragraph(p));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .map_err(|err| RenderError::Write(err.to_string()))?;
    Ok(out.into_inner())
}
