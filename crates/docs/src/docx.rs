//! GB/T 9704-2012 layout of a `Document` as DOCX: A4 with margins 37/35/28/26 mm, 22 lines of
//! 28 characters, the red 发文机关标志 and rule, 2号小标宋 title, 3号仿宋 body with 黑体/楷体
//! headings, signature and date at the right, 版记 at the bottom of the last page, and page
//! numbers "— N —" right on odd pages and left on even ones.

use docx_rs::{
    AlignmentType, BorderType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing,
    LineSpacingType, PageMargin, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Run, RunFonts, SpecialIndentType, Tab, TabValueType,
};
use wenshu_core::document::{Direction, Document};

/// The numbers of the layout, in twentieths of a point (twips) unless said otherwise.
pub mod layout {
    /// A4.
    pub const PAGE_WIDTH: u32 = 11906;
    pub const PAGE_HEIGHT: u32 = 16838;
    /// 37 mm top, 35 mm bottom, 28 mm left (binding), 26 mm right.
    pub const MARGIN_TOP: i32 = 2098;
    pub const MARGIN_BOTTOM: i32 = 1984;
    pub const MARGIN_LEFT: i32 = 1587;
    pub const MARGIN_RIGHT: i32 = 1474;
    /// The type area is 156 mm wide.
    pub const TYPE_WIDTH: i32 = PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT;
    /// 225 mm / 22 lines = 28.95 pt, exact.
    pub const LINE_PITCH: i32 = 579;
    pub const LINES_PER_PAGE: usize = 22;
    /// The type area is 225 mm high.
    pub const TYPE_HEIGHT: i32 = 12756;
    pub const CHARS_PER_LINE: usize = 28;
    /// 3号 = 16 pt: one body character is 320 twips wide.
    pub const BODY_CHAR: i32 = 320;
    /// 28 characters of 16 pt are 8960 twips, the type area 8845: each character gives up a
    /// little, so that exactly 28 fit on a line (letter spacing, twips).
    pub const BODY_LETTER_SPACING: i32 = -4;
    /// Font sizes in half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt.
    pub const SIZE_2: usize = 44;
    pub const SIZE_3: usize = 32;
    pub const SIZE_4: usize = 28;
    /// The largest 发文机关标志: 小初 (36 pt), smaller for long names so they fit one line.
    pub const MARK_MAX: usize = 72;
    pub const RED: &str = "FF0000";
    /// Fonts by the names Word and WPS use on government desktops.
    pub const FONT_TITLE: &str = "方正小标宋简体";
    pub const FONT_BODY: &str = "仿宋_GB2312";
    pub const FONT_HEADING_1: &str = "黑体";
    pub const FONT_HEADING_2: &str = "楷体_GB2312";
    pub const FONT_PAGE_NUMBER: &str = "宋体";
    /// The footer sits so that the page number is about 7 mm below the type area.
    pub const FOOTER_DISTANCE: i32 = 1304;
}

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

fn text_run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

fn body_run(text: &str, font: &str) -> Run {
    text_run(text, font, SIZE_3).character_spacing(BODY_LETTER_SPACING)
}

/// A paragraph on the 28.95 pt line grid.
fn on_grid() -> Paragraph {
    Paragraph::new().line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(LINE_PITCH)
            .before(0)
            .after(0),
    )
}

fn blank() -> Paragraph {
    on_grid().add_run(body_run("", FONT_BODY))
}

/// Width of `text` in body characters: CJK characters count one, ASCII half.
fn width_chars(text: &str) -> f32 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

/// Lines a body paragraph of `text` takes with `indent` characters of indent on the first line.
fn lines_for(text: &str, indent: f32) -> usize {
    (((width_chars(text) + indent) / CHARS_PER_LINE as f32).ceil() as usize).max(1)
}

/// Builds the document one paragraph at a time, following where each line falls on the page:
/// every paragraph has exact line spacing and widow control is off, so the layout is
/// deterministic and the 版记 can be put at the bottom of the last page.
struct Page {
    docx: Docx,
    /// Height used on the current page, in twips.
    y: i32,
}

impl Page {
    /// Adds a paragraph of `lines` grid lines, `extra` twips taller for its borders.
    fn push(&mut self, paragraph: Paragraph, lines: usize, extra: i32) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_paragraph(paragraph.widow_control(false));
        for _ in 0..lines {
            if self.y + LINE_PITCH > TYPE_HEIGHT {
                self.y = 0;
            }
            self.y += LINE_PITCH;
        }
        self.y += extra;
    }

    fn blank_lines(&mut self, n: usize) {
        for _ in 0..n {
            self.push(blank(), 1, 0);
        }
    }

    /// Fills the page so that `height` twips end at the bottom of the last page.
    fn fill_to_bottom(&mut self, height: i32) {
        // A little slack for rounding in the word processor.
        let room = TYPE_HEIGHT - self.y - height - 60;
        let (spacer, new_page) = if room >= 0 {
            (room, false)
        } else {
            (TYPE_HEIGHT - height - 60, true)
        };
        if spacer > 0 || new_page {
            let paragraph = Paragraph::new()
                .line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Exact)
                        .line(spacer.max(20))
                        .before(0)
                        .after(0),
                )
                .page_break_before(new_page)
                .add_run(Run::new().add_text("").size(2));
            let docx = std::mem::take(&mut self.docx);
            self.docx = docx.add_paragraph(paragraph);
            self.y = if new_page {
                spacer.max(20)
            } else {
                self.y + spacer.max(20)
            };
        }
    }
}

/// Extra height of a paragraph border of `size` eighths of a point, `space` points from the text.
fn border_height(size: usize, space: usize) -> i32 {
    (size as i32 * 20) / 8 + space as i32 * 20
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
    // One 4号 character in from the edge of the type area.
    paragraph = match align {
        AlignmentType::Right => paragraph.indent(None, None, Some(280), None),
        _ => paragraph.indent(Some(280), None, None, None),
    };
    Footer::new().add_paragraph(paragraph)
}

fn rule(position: ParagraphBorderPosition, size: usize, color: &str) -> ParagraphBorder {
    ParagraphBorder::new(position)
        .val(BorderType::Single)
        .size(size)
        .space(0)
        .color(color)
}

/// Renders `doc` as a DOCX file laid out per GB/T 9704-2012.
pub fn render_docx(doc: &Document) -> Result<Vec<u8>, RenderError> {
    let base = Docx::new()
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
    let mut page = Page { docx: base, y: 0 };
    let indent2 = Some(SpecialIndentType::FirstLine(2 * BODY_CHAR));

    // 份号, 密级和保密期限, 紧急程度: top left, one per line, 3号黑体.
    for marker in [&doc.copy_number, &doc.classification, &doc.urgency]
        .into_iter()
        .flatten()
    {
        page.push(on_grid().add_run(body_run(marker, FONT_HEADING_1)), 1, 0);
    }

    // 发文机关标志 (a 纪要 uses its own name as the mark).
    let mark = doc.mark();
    if !doc.issuer.trim().is_empty() {
        let chars = width_chars(&mark).max(1.0);
        // Fit one line: the type area divided by the characters, at most 小初.
        let fit = ((TYPE_WIDTH as f32 / chars) / 10.0).floor() as usize;
        let size = fit.clamp(SIZE_2, MARK_MAX);
        // Two grid lines tall, whatever the size, so the lines below stay on the grid.
        let height = 2 * LINE_PITCH;
        // Its top edge 35 mm below the top of the type area: about two grid lines of space.
        page.blank_lines(2);
        page.push(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(
                    LineSpacing::new()
                        .line_rule(LineSpacingType::Exact)
                        .line(height),
                )
                .add_run(text_run(&mark, FONT_TITLE, size).color(RED)),
            2,
            0,
        );
        page.blank_lines(2);
    }

    // 发文字号 (and 签发人 for 上行文) with the red rule 4 mm below, the width of the type area.
    let number = doc.number.clone().unwrap_or_default();
    let upward = doc.doc_type.direction() == Direction::Upward && !doc.signers.is_empty();
    let mut number_line = on_grid().set_borders(
        ParagraphBorders::with_empty()
            .set(rule(ParagraphBorderPosition::Bottom, 12, RED).space(11)),
    );
    let number_extra = border_height(12, 11);
    if upward {
        number_line = number_line
            .indent(Some(BODY_CHAR), None, Some(BODY_CHAR), None)
            .add_tab(
                Tab::new()
                    .val(TabValueType::Right)
                    .pos((TYPE_WIDTH - 2 * BODY_CHAR) as usize),
            )
            .add_run(body_run(&number, FONT_BODY))
            .add_run(Run::new().add_tab())
            .add_run(body_run("签发人：", FONT_BODY))
            .add_run(body_run(&doc.signers.join("　"), FONT_HEADING_2));
    } else {
        number_line = number_line
            .align(AlignmentType::Center)
            .add_run(body_run(&number, FONT_BODY));
    }
    page.push(number_line, 1, number_extra);
    page.blank_lines(2);

    // 标题: 2号小标宋, centred.
    let title_lines = ((width_chars(&doc.title) * BODY_CHAR as f32)
        / (TYPE_WIDTH as f32 * 16.0 / 22.0))
        .ceil()
        .max(1.0) as usize;
    page.push(
        on_grid()
            .align(AlignmentType::Center)
            .add_run(text_run(&doc.title, FONT_TITLE, SIZE_2)),
        title_lines,
        0,
    );
    page.blank_lines(1);

    // 主送机关: flush left, ending with a full-width colon.
    if !doc.addressees.is_empty() {
        let text = format!("{}：", doc.addressees.join("，"));
        page.push(
            on_grid().add_run(body_run(&text, FONT_BODY)),
            lines_for(&text, 0.0),
            0,
        );
    }

    // 正文 with heading levels: 一、黑体, （一）楷体, 1. and （1）仿宋.
    for line in doc.numbered_body() {
        let font = match line.level {
            1 => FONT_HEADING_1,
            2 => FONT_HEADING_2,
            _ => FONT_BODY,
        };
        page.push(
            on_grid()
                .indent(Some(0), indent2, None, None)
                .add_run(body_run(&line.text, font)),
            lines_for(&line.text, 2.0),
            0,
        );
    }

    // 附件说明: one blank line below the text, two characters in, numbered when several.
    if !doc.attachments.is_empty() {
        page.blank_lines(1);
        for (i, text) in doc.attachment_lines().into_iter().enumerate() {
            let indent = if i == 0 { 2 * BODY_CHAR } else { 5 * BODY_CHAR };
            page.push(
                on_grid()
                    .indent(Some(indent), None, None, None)
                    .add_run(body_run(&text, FONT_BODY)),
                lines_for(&text, indent as f32 / BODY_CHAR as f32),
                0,
            );
        }
    }

    // 署名 and 成文日期 at the right (unsealed layout, 7.3.5.2): the signature two characters
    // from the right and the date's first character two right of the signature's; a longer
    // date sits two from the right and pushes the signature left.
    let signature = doc.signature_text();
    let date = doc.date.map(|d| d.to_string()).unwrap_or_default();
    let sig_w = width_chars(&signature);
    let date_w = width_chars(&date);
    let (sig_right, date_right) = if sig_w - 2.0 >= date_w {
        (2.0, 2.0 + sig_w - 2.0 - date_w)
    } else {
        (2.0 + date_w + 2.0 - sig_w, 2.0)
    };
    page.blank_lines(2);
    let right = |chars: f32| Some((chars * BODY_CHAR as f32).round() as i32);
    page.push(
        on_grid()
            .align(AlignmentType::Right)
            .indent(None, None, right(sig_right), None)
            .add_run(body_run(&signature, FONT_BODY)),
        1,
        0,
    );
    page.push(
        on_grid()
            .align(AlignmentType::Right)
            .indent(None, None, right(date_right), None)
            .add_run(body_run(&date, FONT_BODY)),
        1,
        0,
    );

    // 附注: in round brackets, two characters in, the line after the date.
    if let Some(note) = &doc.note {
        let text = format!("（{note}）");
        page.push(
            on_grid()
                .indent(Some(0), indent2, None, None)
                .add_run(body_run(&text, FONT_BODY)),
            lines_for(&text, 2.0),
            0,
        );
    }

    // 版记 at the bottom of the last page: 抄送 and 印发机关/日期 between rules.
    if doc.has_record() {
        let cc = doc.copy_to_line();
        let cc_lines = cc.as_deref().map_or(0, |t| lines_for(t, 1.0));
        let printed_top = if cc.is_some() { 4 } else { 8 };
        let record_height = (cc_lines as i32 + 1) * LINE_PITCH
            + if cc.is_some() { border_height(8, 0) } else { 0 }
            + border_height(printed_top, 0)
            + border_height(8, 0);
        page.fill_to_bottom(record_height);
        let small = |text: &str| text_run(text, FONT_BODY, SIZE_4);
        if let Some(cc) = &cc {
            page.push(
                on_grid()
                    .indent(Some(280), None, Some(280), None)
                    .set_borders(ParagraphBorders::with_empty().set(rule(
                        ParagraphBorderPosition::Top,
                        8,
                        "000000",
                    )))
                    .add_run(small(cc)),
                cc_lines,
                border_height(8, 0),
            );
        }
        let (printed_by, printed_on) = doc.printed();
        let top = rule(ParagraphBorderPosition::Top, printed_top, "000000");
        page.push(
            on_grid()
                .indent(Some(280), None, Some(280), None)
                .add_tab(
                    Tab::new()
                        .val(TabValueType::Right)
                        .pos((TYPE_WIDTH - 560) as usize),
                )
                .set_borders(ParagraphBorders::with_empty().set(top).set(rule(
                    ParagraphBorderPosition::Bottom,
                    8,
                    "000000",
                )))
                .add_run(small(&printed_by))
                .add_run(Run::new().add_tab())
                .add_run(small(&printed_on)),
            1,
            border_height(printed_top, 0) + border_height(8, 0),
        );
    }

    let mut out = std::io::Cursor::new(Vec::new());
    page.docx
        .build()
        .pack(&mut out)
        .map_err(|err| RenderError::Write(err.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_estimate_follows_the_28_character_grid() {
        assert_eq!(
            lines_for(&"字".repeat(26), 2.0),
            1,
            "26 characters after a 2-character indent fill one line"
        );
        assert_eq!(lines_for(&"字".repeat(27), 2.0), 2);
        assert_eq!(lines_for("2024", 0.0), 1);
    }

    #[test]
    fn type_area_is_156_mm() {
        // 156 mm = 8844.1 twips.
        assert!((TYPE_WIDTH - 8844).abs() <= 1, "{TYPE_WIDTH}");
    }
}
