//! The GB/T 9704-2012 page: its numbers, and where each paragraph of a document goes. The DOCX
//! renderer writes this plan, and the desktop preview draws it, so what the preview shows is
//! what the file holds.
//!
//! A4 with margins 37/35/28/26 mm, 22 lines of 28 characters, the red 发文机关标志 and rule,
//! 2号小标宋 title, 3号仿宋 body with 黑体/楷体 headings, signature and date at the right, 版记
//! at the bottom of the last page, and page numbers "— N —" right on odd pages and left on
//! even ones. Lengths are in twentieths of a point (twips) unless said otherwise.

use crate::document::{Direction, Document};

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
pub const BLACK: &str = "000000";
/// Fonts by the names Word and WPS use on government desktops.
pub const FONT_TITLE: &str = "方正小标宋简体";
pub const FONT_BODY: &str = "仿宋_GB2312";
pub const FONT_HEADING_1: &str = "黑体";
pub const FONT_HEADING_2: &str = "楷体_GB2312";
pub const FONT_PAGE_NUMBER: &str = "宋体";
/// The footer sits so that the page number is about 7 mm below the type area.
pub const FOOTER_DISTANCE: i32 = 1304;
/// The page number is one 4号 character in from the edge of the type area.
pub const PAGE_NUMBER_INDENT: i32 = 280;

/// Which part of the document a paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// 份号, 密级和保密期限, 紧急程度.
    Marker,
    /// 发文机关标志.
    Mark,
    /// 发文字号 (and 签发人), with the red rule below.
    Number,
    Title,
    Addressee,
    /// A body paragraph (0) or heading (1-4).
    Body(u8),
    /// A 纪要's 出席, 请假 and 列席 lines.
    Attendance,
    Attachment,
    Signature,
    Date,
    Note,
    /// 抄送 in the 版记.
    CopyTo,
    /// 印发机关 and 印发日期 in the 版记.
    Printed,
    /// An empty grid line.
    Blank,
    /// Space that puts the 版记 at the bottom of the last page.
    Spacer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A stretch of text in one font.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub font: &'static str,
    /// Half-points.
    pub size: usize,
    pub color: Option<&'static str>,
    /// Letter spacing in twips.
    pub spacing: i32,
    /// Whether a right tab (to [`Paragraph::right_tab`]) comes before the text.
    pub tab_before: bool,
}

/// A rule above or below a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Eighths of a point.
    pub size: usize,
    /// Points between the rule and the text.
    pub space: usize,
    pub color: &'static str,
}

impl Rule {
    /// The height the rule adds to its paragraph.
    pub fn height(self) -> i32 {
        (self.size as i32 * 20) / 8 + self.space as i32 * 20
    }
}

/// One paragraph, where it goes and how it looks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub part: Part,
    pub spans: Vec<Span>,
    pub align: Align,
    pub indent_left: i32,
    pub indent_right: i32,
    pub first_line: i32,
    /// Exact line height.
    pub line_height: i32,
    /// Grid lines the paragraph takes.
    pub lines: usize,
    pub rule_top: Option<Rule>,
    pub rule_bottom: Option<Rule>,
    /// Position of a right tab from the left edge of the type area.
    pub right_tab: Option<i32>,
    pub page_break_before: bool,
    /// The page (from 1) and the height from the top of the type area where it starts.
    pub page: usize,
    pub top: i32,
    /// Where each of its grid lines falls: page and height from the top of the type area.
    pub positions: Vec<(usize, i32)>,
}

impl Paragraph {
    fn new(part: Part, spans: Vec<Span>) -> Self {
        Self {
            part,
            spans,
            align: Align::Left,
            indent_left: 0,
            indent_right: 0,
            first_line: 0,
            line_height: LINE_PITCH,
            lines: 1,
            rule_top: None,
            rule_bottom: None,
            right_tab: None,
            page_break_before: false,
            page: 1,
            top: 0,
            positions: Vec::new(),
        }
    }

    /// The paragraph's text, spans joined by a tab where there is one.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for s in &self.spans {
            if s.tab_before {
                out.push('\t');
            }
            out.push_str(&s.text);
        }
        out
    }

    /// Height added by the rules.
    pub fn extra(&self) -> i32 {
        self.rule_top.map_or(0, Rule::height) + self.rule_bottom.map_or(0, Rule::height)
    }
}

/// A laid-out document: its paragraphs in order and how many pages they fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub paragraphs: Vec<Paragraph>,
    pub pages: usize,
}

/// The page number as printed on page `n`, and on which side.
pub fn page_number(n: usize) -> (String, Align) {
    let align = if n % 2 == 1 {
        Align::Right
    } else {
        Align::Left
    };
    (format!("— {n} —"), align)
}

fn span(text: &str, font: &'static str, size: usize) -> Span {
    Span {
        text: text.to_string(),
        font,
        size,
        color: None,
        spacing: 0,
        tab_before: false,
    }
}

fn body_span(text: &str, font: &'static str) -> Span {
    Span {
        spacing: BODY_LETTER_SPACING,
        ..span(text, font, SIZE_3)
    }
}

/// Width of `text` in body characters: CJK characters count one, ASCII half.
pub fn width_chars(text: &str) -> f32 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
        .sum()
}

/// Lines a body paragraph of `text` takes with `indent` characters of indent on the first line.
pub fn lines_for(text: &str, indent: f32) -> usize {
    (((width_chars(text) + indent) / CHARS_PER_LINE as f32).ceil() as usize).max(1)
}

/// Punctuation that may not begin a line (避头): it hangs at the end of the line before, as
/// Word and WPS set Chinese text.
pub fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '〉'
            | '」'
            | '』'
            | '”'
            | '’'
            | '】'
            | '〕'
            | '…'
            | '—'
            | '·'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
    )
}

/// Splits `text` into the `lines` lines a paragraph takes, filling each with up to
/// `per_line` body characters (the first after `indent`); what is left goes on the last line.
/// Punctuation that may not begin a line stays at the end of the line before.
pub fn wrap(text: &str, indent: f32, per_line: f32, lines: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut room = per_line - indent;
    for c in text.chars() {
        let w = if c.is_ascii() { 0.5 } else { 1.0 };
        if w > room + 0.01
            && !no_line_start(c)
            && out.len() < lines.max(1)
            && !out[out.len() - 1].is_empty()
        {
            out.push(String::new());
            room = per_line;
        }
        room -= w;
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

/// Body characters a line of `size` (half-points) holds across the type area.
pub fn chars_per_line(size: usize) -> f32 {
    if size >= SIZE_3 {
        CHARS_PER_LINE as f32 * SIZE_3 as f32 / size as f32
    } else {
        CHARS_PER_LINE as f32
    }
}

/// Places paragraphs one after another on the grid: every paragraph has exact line spacing and
/// widow control is off, so where each line falls is known here.
struct Placer {
    out: Vec<Paragraph>,
    page: usize,
    /// Height used on the current page.
    y: i32,
}

impl Placer {
    fn push(&mut self, mut p: Paragraph) {
        for line in 0..p.lines {
            if self.y + LINE_PITCH > TYPE_HEIGHT {
                self.page += 1;
                self.y = 0;
            }
            if line == 0 {
                p.page = self.page;
                p.top = self.y;
            }
            p.positions.push((self.page, self.y));
            self.y += LINE_PITCH;
        }
        self.y += p.extra();
        self.out.push(p);
    }

    fn blank(&mut self, n: usize) {
        for _ in 0..n {
            self.push(Paragraph::new(Part::Blank, vec![body_span("", FONT_BODY)]));
        }
    }

    /// Space so that `height` twips end at the bottom of the last page.
    fn fill_to_bottom(&mut self, height: i32) {
        // A little slack for rounding in the word processor.
        let room = TYPE_HEIGHT - self.y - height - 60;
        let (spacer, new_page) = if room >= 0 {
            (room, false)
        } else {
            (TYPE_HEIGHT - height - 60, true)
        };
        if spacer > 0 || new_page {
            if new_page {
                self.page += 1;
                self.y = 0;
            }
            let mut p = Paragraph::new(
                Part::Spacer,
                vec![Span {
                    size: 2,
                    ..span("", FONT_BODY, 2)
                }],
            );
            p.line_height = spacer.max(20);
            p.page_break_before = new_page;
            p.page = self.page;
            p.top = self.y;
            p.positions.push((self.page, self.y));
            self.y += spacer.max(20);
            self.out.push(p);
        }
    }
}

/// Lays `doc` out per GB/T 9704-2012.
pub fn plan(doc: &Document) -> Plan {
    let mut at = Placer {
        out: Vec::new(),
        page: 1,
        y: 0,
    };

    // 份号, 密级和保密期限, 紧急程度: top left, one per line, 3号黑体.
    for marker in [&doc.copy_number, &doc.classification, &doc.urgency]
        .into_iter()
        .flatten()
    {
        at.push(Paragraph::new(
            Part::Marker,
            vec![body_span(marker, FONT_HEADING_1)],
        ));
    }

    // 发文机关标志 (a 纪要 uses its own name as the mark).
    if doc.has_mark() {
        let mark = doc.mark();
        let chars = width_chars(&mark).max(1.0);
        // Fit one line: the type area divided by the characters, at most 小初.
        let fit = ((TYPE_WIDTH as f32 / chars) / 10.0).floor() as usize;
        let size = fit.clamp(SIZE_2, MARK_MAX);
        // Its top edge 35 mm below the top of the type area: about two grid lines of space.
        at.blank(2);
        // Two grid lines tall, whatever the size, so the lines below stay on the grid.
        let mut p = Paragraph::new(
            Part::Mark,
            vec![Span {
                color: Some(RED),
                ..span(&mark, FONT_TITLE, size)
            }],
        );
        p.align = Align::Center;
        p.line_height = 2 * LINE_PITCH;
        p.lines = 2;
        at.push(p);
        at.blank(2);
    }

    // 发文字号 (and 签发人 for 上行文) with the red rule 4 mm below, the width of the type area.
    let number = doc.number.clone().unwrap_or_default();
    let upward = doc.doc_type.direction() == Direction::Upward && !doc.signers.is_empty();
    let mut p = Paragraph::new(Part::Number, Vec::new());
    p.rule_bottom = Some(Rule {
        size: 12,
        space: 11,
        color: RED,
    });
    if upward {
        p.indent_left = BODY_CHAR;
        p.indent_right = BODY_CHAR;
        p.right_tab = Some(TYPE_WIDTH - 2 * BODY_CHAR);
        p.spans = vec![
            body_span(&number, FONT_BODY),
            Span {
                tab_before: true,
                ..body_span("签发人：", FONT_BODY)
            },
            body_span(&doc.signers.join("　"), FONT_HEADING_2),
        ];
    } else {
        p.align = Align::Center;
        p.spans = vec![body_span(&number, FONT_BODY)];
    }
    at.push(p);
    at.blank(2);

    // 标题: 2号小标宋, centred.
    let mut p = Paragraph::new(Part::Title, vec![span(&doc.title, FONT_TITLE, SIZE_2)]);
    p.align = Align::Center;
    p.lines = ((width_chars(&doc.title) * BODY_CHAR as f32) / (TYPE_WIDTH as f32 * 16.0 / 22.0))
        .ceil()
        .max(1.0) as usize;
    at.push(p);
    at.blank(1);

    // 主送机关: flush left, ending with a full-width colon.
    if !doc.addressees.is_empty() {
        let text = format!("{}：", doc.addressees.join("，"));
        let mut p = Paragraph::new(Part::Addressee, vec![body_span(&text, FONT_BODY)]);
        p.lines = lines_for(&text, 0.0);
        at.push(p);
    }

    // 正文 with heading levels: 一、黑体, （一）楷体, 1. and （1）仿宋.
    for line in doc.numbered_body() {
        let font = match line.level {
            1 => FONT_HEADING_1,
            2 => FONT_HEADING_2,
            _ => FONT_BODY,
        };
        let mut p = Paragraph::new(Part::Body(line.level), vec![body_span(&line.text, font)]);
        p.first_line = 2 * BODY_CHAR;
        p.lines = lines_for(&line.text, 2.0);
        at.push(p);
    }

    // A 纪要's attendance: one blank line below the text, the label in 黑体, the names in 仿宋.
    if !doc.attendance.is_empty() {
        at.blank(1);
        for line in &doc.attendance {
            let label = format!("{}：", line.label);
            let names = line.names.join("、");
            let mut p = Paragraph::new(
                Part::Attendance,
                vec![
                    body_span(&label, FONT_HEADING_1),
                    body_span(&names, FONT_BODY),
                ],
            );
            p.first_line = 2 * BODY_CHAR;
            p.lines = lines_for(&format!("{label}{names}"), 2.0);
            at.push(p);
        }
    }

    // 附件说明: one blank line below the text, two characters in, numbered when several.
    if !doc.attachments.is_empty() {
        at.blank(1);
        for (i, text) in doc.attachment_lines().into_iter().enumerate() {
            let indent = if i == 0 { 2 * BODY_CHAR } else { 5 * BODY_CHAR };
            let mut p = Paragraph::new(Part::Attachment, vec![body_span(&text, FONT_BODY)]);
            p.indent_left = indent;
            p.lines = lines_for(&text, indent as f32 / BODY_CHAR as f32);
            at.push(p);
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
    at.blank(2);
    let right = |chars: f32| (chars * BODY_CHAR as f32).round() as i32;
    for (part, text, chars) in [
        (Part::Signature, &signature, sig_right),
        (Part::Date, &date, date_right),
    ] {
        let mut p = Paragraph::new(part, vec![body_span(text, FONT_BODY)]);
        p.align = Align::Right;
        p.indent_right = right(chars);
        at.push(p);
    }

    // 附注: in round brackets, two characters in, the line after the date.
    if let Some(note) = &doc.note {
        let text = format!("（{note}）");
        let mut p = Paragraph::new(Part::Note, vec![body_span(&text, FONT_BODY)]);
        p.first_line = 2 * BODY_CHAR;
        p.lines = lines_for(&text, 2.0);
        at.push(p);
    }

    // 版记 at the bottom of the last page: 抄送 and 印发机关/日期 between rules.
    if doc.has_record() {
        let cc = doc.copy_to_line();
        let cc_lines = cc.as_deref().map_or(0, |t| lines_for(t, 1.0));
        let thin = Rule {
            size: 8,
            space: 0,
            color: BLACK,
        };
        let printed_top = Rule {
            size: if cc.is_some() { 4 } else { 8 },
            ..thin
        };
        let record_height = (cc_lines as i32 + 1) * LINE_PITCH
            + if cc.is_some() { thin.height() } else { 0 }
            + printed_top.height()
            + thin.height();
        at.fill_to_bottom(record_height);
        if let Some(cc) = &cc {
            let mut p = Paragraph::new(Part::CopyTo, vec![span(cc, FONT_BODY, SIZE_4)]);
            p.indent_left = PAGE_NUMBER_INDENT;
            p.indent_right = PAGE_NUMBER_INDENT;
            p.rule_top = Some(thin);
            p.lines = cc_lines;
            at.push(p);
        }
        let (printed_by, printed_on) = doc.printed();
        let mut p = Paragraph::new(
            Part::Printed,
            vec![
                span(&printed_by, FONT_BODY, SIZE_4),
                Span {
                    tab_before: true,
                    ..span(&printed_on, FONT_BODY, SIZE_4)
                },
            ],
        );
        p.indent_left = PAGE_NUMBER_INDENT;
        p.indent_right = PAGE_NUMBER_INDENT;
        p.right_tab = Some(TYPE_WIDTH - 2 * PAGE_NUMBER_INDENT);
        p.rule_top = Some(printed_top);
        p.rule_bottom = Some(thin);
        at.push(p);
    }

    let pages = at.page;
    Plan {
        paragraphs: at.out,
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Block, Date, DocType};

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
    fn type_area_is_156_by_225_mm() {
        // 156 mm = 8844.1 twips, 225 mm = 12755.9 twips.
        assert!((TYPE_WIDTH - 8844).abs() <= 1, "{TYPE_WIDTH}");
        assert_eq!(LINE_PITCH * LINES_PER_PAGE as i32, TYPE_HEIGHT - 18);
    }

    fn long_notice(paragraphs: usize) -> Document {
        let mut doc = Document::new(DocType::Circular, "某市数据管理局");
        doc.number = Some("某数〔2024〕1号".into());
        doc.title = "某市数据管理局关于开展数据安全检查的通知".into();
        doc.addressees = vec!["各区数据管理局".into()];
        doc.body = (0..paragraphs)
            .map(|i| Block::Paragraph(format!("第{i}段，{}。", "检查内容".repeat(12))))
            .collect();
        doc.date = Date::new(2024, 3, 20);
        doc.copy_to = vec!["市政府办公室".into()];
        doc
    }

    #[test]
    fn the_head_sits_on_the_grid_and_the_record_at_the_bottom_of_the_last_page() {
        let plan = plan(&long_notice(1));
        let find = |part: Part| {
            plan.paragraphs
                .iter()
                .find(|p| p.part == part)
                .expect("part")
        };
        assert_eq!(plan.pages, 1);
        // Two blank lines, then the red mark, two lines tall.
        let mark = find(Part::Mark);
        assert_eq!(mark.top, 2 * LINE_PITCH);
        assert_eq!(mark.spans[0].color, Some(RED));
        assert_eq!(find(Part::Number).top, 6 * LINE_PITCH);
        assert_eq!(find(Part::Number).rule_bottom.map(|r| r.color), Some(RED));
        let title = find(Part::Title);
        assert_eq!(title.spans[0].size, SIZE_2);
        let printed = find(Part::Printed);
        let bottom = printed.top + LINE_PITCH + printed.extra();
        assert!(
            (TYPE_HEIGHT - 80..=TYPE_HEIGHT).contains(&bottom),
            "the 版记 ends at the bottom: {bottom}"
        );
    }

    #[test]
    fn long_documents_flow_onto_more_pages_and_never_past_the_type_area() {
        let plan = plan(&long_notice(30));
        assert!(plan.pages >= 3, "{}", plan.pages);
        for p in &plan.paragraphs {
            assert!((1..=plan.pages).contains(&p.page));
            assert!(p.top >= 0 && p.top < TYPE_HEIGHT, "{p:?}");
        }
        let pages: Vec<usize> = plan.paragraphs.iter().map(|p| p.page).collect();
        assert!(pages.windows(2).all(|w| w[0] <= w[1]), "pages go forward");
        assert_eq!(page_number(1), ("— 1 —".to_string(), Align::Right));
        assert_eq!(page_number(2).1, Align::Left);
        for p in &plan.paragraphs {
            assert_eq!(p.positions.len(), p.lines.max(1), "{p:?}");
            assert_eq!(p.positions[0], (p.page, p.top));
        }
    }

    #[test]
    fn wrapping_fills_the_lines_the_plan_counts() {
        let text = "字".repeat(60);
        let lines = wrap(&text, 2.0, 28.0, lines_for(&text, 2.0));
        let counts: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
        assert_eq!(counts, [26, 28, 6]);
        assert_eq!(wrap("", 2.0, 28.0, 1), [""]);
        // Half-width characters take half a place.
        assert_eq!(wrap(&"a".repeat(56), 0.0, 28.0, 1)[0].len(), 56);
        // Never more lines than the plan counts: the rest stays on the last.
        assert_eq!(wrap(&text, 0.0, 28.0, 1).len(), 1);
        assert!((chars_per_line(SIZE_2) - 20.36).abs() < 0.01);
    }

    #[test]
    fn punctuation_never_begins_a_wrapped_line() {
        // 28 characters fill the line; the comma after them hangs instead of starting the next.
        let text = format!("{}，二三四。", "数".repeat(28));
        let lines = wrap(&text, 0.0, 28.0, 2);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].ends_with('，'), "{lines:?}");
        assert_eq!(lines[1], "二三四。");
        let text = format!("{}。", "数".repeat(28));
        assert_eq!(wrap(&text, 0.0, 28.0, 2), vec![text], "a last stop hangs");
    }
}
