//! The page preview: a document's text read back into a document, laid out by the same plan
//! the DOCX renderer writes (`wenshu_core::layout`), and turned into boxes in millimetres.

use leptos::prelude::*;
use wenshu_core::check::read_document;
use wenshu_core::document::DocType;
use wenshu_core::layout::{
    self, Align, LINE_PITCH, MARGIN_LEFT, MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH, Part, TYPE_HEIGHT,
    TYPE_WIDTH,
};

/// Millimetres in a twip (1/1440 inch).
pub const MM_PER_TWIP: f64 = 25.4 / 1440.0;

pub fn mm(twips: i32) -> f64 {
    f64::from(twips) * MM_PER_TWIP
}

/// A run of text in one font, ready for CSS.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanBox {
    pub text: String,
    pub family: &'static str,
    pub size_pt: f64,
    pub color: &'static str,
    /// Starts the right-hand part of a tabbed line.
    pub after_tab: bool,
}

/// One printed line, positioned on its page.
#[derive(Debug, Clone, PartialEq)]
pub struct LineBox {
    pub part: Part,
    pub top_mm: f64,
    pub left_mm: f64,
    pub width_mm: f64,
    pub height_mm: f64,
    pub align: Align,
    pub spans: Vec<SpanBox>,
    pub rule_top: Option<&'static str>,
    pub rule_bottom: Option<&'static str>,
}

/// One page with its lines and its number.
#[derive(Debug, Clone, PartialEq)]
pub struct PageBox {
    pub number: usize,
    pub number_text: String,
    pub number_right: bool,
    pub lines: Vec<LineBox>,
}

pub const PAGE_WIDTH_MM: f64 = PAGE_WIDTH as f64 * MM_PER_TWIP;
pub const PAGE_HEIGHT_MM: f64 = PAGE_HEIGHT as f64 * MM_PER_TWIP;

/// The CSS font stack for a font the layout names: the Windows name first, then what Debian
/// desktops have.
pub fn family(font: &str) -> &'static str {
    match font {
        layout::FONT_TITLE => "'方正小标宋简体', 'FZXiaoBiaoSong-B05S', 'Noto Serif CJK SC', serif",
        layout::FONT_HEADING_1 => "'黑体', 'SimHei', 'Noto Sans CJK SC', sans-serif",
        layout::FONT_HEADING_2 => "'楷体_GB2312', 'KaiTi', 'Noto Serif CJK SC', serif",
        layout::FONT_PAGE_NUMBER => "'宋体', 'SimSun', 'Noto Serif CJK SC', serif",
        _ => "'仿宋_GB2312', 'FangSong', 'Noto Serif CJK SC', serif",
    }
}

fn css_color(color: Option<&str>) -> &'static str {
    match color {
        Some(layout::RED) => "#e60000",
        _ => "#000000",
    }
}

/// Lays out `text` (one paragraph per line) as GB/T 9704 pages.
pub fn pages(text: &str, doc_type: DocType) -> Vec<PageBox> {
    let doc = read_document(text, doc_type);
    let plan = layout::plan(&doc);
    let mut pages: Vec<PageBox> = (1..=plan.pages)
        .map(|n| {
            let (number_text, align) = layout::page_number(n);
            PageBox {
                number: n,
                number_text,
                number_right: align == Align::Right,
                lines: Vec::new(),
            }
        })
        .collect();
    for p in &plan.paragraphs {
        if matches!(p.part, Part::Blank | Part::Spacer) {
            continue;
        }
        let size = p.spans.first().map_or(layout::SIZE_3, |s| s.size);
        let per_line = layout::chars_per_line(size);
        let indent_chars = p.first_line as f32 / layout::BODY_CHAR as f32;
        let tabbed = p.spans.iter().any(|s| s.tab_before);
        // A tabbed line (发文字号 and 签发人, 印发) keeps its spans; others wrap as one text.
        let texts: Vec<String> = if tabbed || p.part == Part::Mark {
            vec![String::new()]
        } else {
            layout::wrap(&p.text(), indent_chars, per_line, p.lines)
        };
        let height = if p.part == Part::Mark {
            mm(p.line_height)
        } else {
            mm(LINE_PITCH)
        };
        let grid_lines = if p.part == Part::Mark { 1 } else { texts.len() };
        for (i, &(page, top)) in p.positions.iter().take(grid_lines).enumerate() {
            let Some(page_box) = pages.get_mut(page.saturating_sub(1)) else {
                continue;
            };
            let indent = if i == 0 { p.first_line } else { 0 };
            let spans = if tabbed || p.part == Part::Mark {
                p.spans
                    .iter()
                    .map(|s| SpanBox {
                        text: s.text.clone(),
                        family: family(s.font),
                        size_pt: s.size as f64 / 2.0,
                        color: css_color(s.color),
                        after_tab: s.tab_before,
                    })
                    .collect()
            } else {
                let s = &p.spans[0];
                vec![SpanBox {
                    text: texts[i].clone(),
                    family: family(s.font),
                    size_pt: s.size as f64 / 2.0,
                    color: css_color(s.color),
                    after_tab: false,
                }]
            };
            let last = i + 1 == grid_lines;
            page_box.lines.push(LineBox {
                part: p.part,
                top_mm: mm(MARGIN_TOP + top),
                left_mm: mm(MARGIN_LEFT + p.indent_left + indent),
                width_mm: mm(TYPE_WIDTH - p.indent_left - p.indent_right - indent),
                height_mm: height,
                align: p.align,
                spans,
                rule_top: p
                    .rule_top
                    .filter(|_| i == 0)
                    .map(|r| css_color(Some(r.color))),
                rule_bottom: p
                    .rule_bottom
                    .filter(|_| last)
                    .map(|r| css_color(Some(r.color))),
            });
        }
    }
    pages
}

/// Where the page number sits: about 7 mm below the type area.
pub fn page_number_top_mm() -> f64 {
    mm(MARGIN_TOP + TYPE_HEIGHT) + 7.0
}

fn align_css(align: Align) -> &'static str {
    match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

/// The preview of `text`: every page drawn at `zoom` (1.0 = 100 %).
#[component]
pub fn Preview(
    #[prop(into)] text: Signal<String>,
    #[prop(into)] doc_type: Signal<DocType>,
    #[prop(into)] zoom: Signal<f64>,
) -> impl IntoView {
    let laid_out = Memo::new(move |_| pages(&text.get(), doc_type.get()));
    view! {
        <div class="preview" aria-label=crate::i18n::t().preview_label>
            {move || {
                laid_out
                    .get()
                    .into_iter()
                    .map(|page| page_view(page, zoom))
                    .collect_view()
            }}
        </div>
    }
}

fn page_view(page: PageBox, zoom: Signal<f64>) -> impl IntoView {
    view! {
        <div
            class="page"
            style:width=move || format!("{:.2}mm", PAGE_WIDTH_MM * zoom.get())
            style:height=move || format!("{:.2}mm", PAGE_HEIGHT_MM * zoom.get())
        >
            <div class="page-inner" style:transform=move || format!("scale({})", zoom.get())>
                {page.lines.into_iter().map(line_view).collect_view()}
                <div
                    class="page-number"
                    style:top=format!("{:.2}mm", page_number_top_mm())
                    style:left=format!("{:.2}mm", mm(MARGIN_LEFT + layout::PAGE_NUMBER_INDENT))
                    style:width=format!("{:.2}mm", mm(TYPE_WIDTH - 2 * layout::PAGE_NUMBER_INDENT))
                    style:text-align=if page.number_right { "right" } else { "left" }
                >
                    {page.number_text}
                </div>
            </div>
        </div>
    }
}

fn line_view(line: LineBox) -> impl IntoView {
    let tabbed = line.spans.iter().any(|s| s.after_tab);
    let span_view = |s: SpanBox| {
        view! {
            <span
                style:font-family=s.family
                style:font-size=format!("{}pt", s.size_pt)
                style:color=s.color
            >
                {s.text}
            </span>
        }
    };
    let (left, right): (Vec<SpanBox>, Vec<SpanBox>) = if tabbed {
        let at = line
            .spans
            .iter()
            .position(|s| s.after_tab)
            .unwrap_or(line.spans.len());
        let mut spans = line.spans.clone();
        let right = spans.split_off(at);
        (spans, right)
    } else {
        (line.spans.clone(), Vec::new())
    };
    view! {
        <div
            class="line"
            class:tabbed=tabbed
            data-part=format!("{:?}", line.part)
            style:top=format!("{:.2}mm", line.top_mm)
            style:left=format!("{:.2}mm", line.left_mm)
            style:width=format!("{:.2}mm", line.width_mm)
            style:height=format!("{:.2}mm", line.height_mm)
            style:line-height=format!("{:.2}mm", line.height_mm)
            style:text-align=align_css(line.align)
            style:border-top=line.rule_top.map(|c| format!("0.4mm solid {c}"))
            style:border-bottom=line.rule_bottom.map(|c| format!("0.6mm solid {c}"))
        >
            <span class="left">{left.into_iter().map(span_view).collect_view()}</span>
            <span class="right">{right.into_iter().map(span_view).collect_view()}</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTICE: &str = "某市数据管理局文件
某数〔2024〕7号
某市数据管理局关于开展数据安全检查的通知
各区数据管理局：
为加强数据安全管理，现将有关事项通知如下：
一、检查范围
全市各级政务数据平台。
某市数据管理局
2024年3月20日
抄送：市政府办公室。
某市数据管理局　　2024年3月20日印发
";

    #[test]
    fn the_page_is_a4_and_the_type_area_starts_at_the_margins() {
        assert!((PAGE_WIDTH_MM - 210.0).abs() < 0.1, "{PAGE_WIDTH_MM}");
        assert!((PAGE_HEIGHT_MM - 297.0).abs() < 0.1, "{PAGE_HEIGHT_MM}");
        let pages = pages(NOTICE, DocType::Circular);
        assert_eq!(pages.len(), 1);
        let lines = &pages[0].lines;
        let mark = lines.iter().find(|l| l.part == Part::Mark).expect("mark");
        assert_eq!(mark.spans[0].color, "#e60000");
        assert_eq!(mark.align, Align::Center);
        // The type area: 37 mm from the top, 28 mm from the left, 156 mm wide.
        assert!((mm(MARGIN_TOP) - 37.0).abs() < 0.05);
        assert!((mark.left_mm - 28.0).abs() < 0.05, "{}", mark.left_mm);
        assert!((mark.width_mm - 156.0).abs() < 0.05, "{}", mark.width_mm);
        // Two blank grid lines above the mark.
        assert!((mark.top_mm - (37.0 + 2.0 * mm(LINE_PITCH))).abs() < 0.05);
        let number = lines
            .iter()
            .find(|l| l.part == Part::Number)
            .expect("number");
        assert_eq!(
            number.rule_bottom,
            Some("#e60000"),
            "the red rule under the number"
        );
        let title = lines.iter().find(|l| l.part == Part::Title).expect("title");
        assert_eq!(title.spans[0].size_pt, 22.0);
        let body = lines
            .iter()
            .find(|l| l.part == Part::Body(0))
            .expect("body");
        assert_eq!(body.spans[0].size_pt, 16.0);
        // The first line of a paragraph is indented two characters (2 × 16 pt).
        assert!((body.left_mm - (28.0 + 2.0 * 16.0 * 25.4 / 72.0)).abs() < 0.05);
        assert_eq!(pages[0].number_text, "— 1 —");
        assert!(pages[0].number_right);
    }

    #[test]
    fn long_text_wraps_on_the_grid_and_flows_onto_the_next_page() {
        let mut text = String::from("某市数据管理局关于开展数据安全检查的通知\n各区数据管理局：\n");
        for i in 0..20 {
            text.push_str(&format!(
                "第{i}项，{}。\n",
                "检查数据安全管理制度落实情况".repeat(3)
            ));
        }
        let pages = pages(&text, DocType::Circular);
        assert!(pages.len() >= 2, "{}", pages.len());
        assert!(
            !pages[1].number_right,
            "even pages have the number on the left"
        );
        for page in &pages {
            let mut tops: Vec<f64> = page.lines.iter().map(|l| l.top_mm).collect();
            tops.dedup();
            for pair in tops.windows(2) {
                assert!(pair[1] > pair[0], "lines go down the page");
            }
            for line in &page.lines {
                let chars: f32 = line
                    .spans
                    .iter()
                    .map(|s| layout::width_chars(&s.text))
                    .sum();
                assert!(chars <= 28.0, "{chars}: {:?}", line.spans);
                assert!(line.top_mm + line.height_mm <= mm(MARGIN_TOP + TYPE_HEIGHT) + 0.01);
            }
        }
    }

    #[test]
    fn every_font_has_a_fallback_debian_has() {
        for font in [
            layout::FONT_TITLE,
            layout::FONT_BODY,
            layout::FONT_HEADING_1,
            layout::FONT_HEADING_2,
        ] {
            assert!(family(font).contains("Noto"), "{font}");
        }
    }
}
