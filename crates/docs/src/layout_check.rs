//! The layout rules of GB/T 9704-2012 checked on a DOCX: page size, margins, the fonts and sizes
//! of each element, line spacing and the red header. Elements are found from the text, as the
//! text rules find them; the formatting is what Word would apply after the style chain.

use wenshu_core::check::{
    Finding, LAYOUT_AI_LABEL, LAYOUT_FONTS, LAYOUT_LINE_SPACING, LAYOUT_MARGINS, LAYOUT_PAGE,
    LAYOUT_RED_HEADER, LAYOUT_SIZES, Parts, Rule, parts,
};
use wenshu_core::text::is_han;

use crate::inspect::{DocxLayout, ParagraphFormat, RunFormat};
use crate::layout::{
    MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH, SIZE_2, SIZE_3,
};

/// 1 mm in twips: the tolerance GB/T 9704 gives the margins.
const ONE_MM: i32 = 57;
/// Line spacing accepted for 22 lines a page: 28 to 30 pt.
const LINE_RANGE: std::ops::RangeInclusive<i32> = 560..=600;

/// The font families an element must use, by a part of their names (方正小标宋简体 and
/// 方正小标宋_GBK are both 小标宋; FangSong is 仿宋).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    XiaoBiaoSong,
    FangSong,
    HeiTi,
    KaiTi,
}

impl Family {
    fn name(self) -> &'static str {
        match self {
            Family::XiaoBiaoSong => "小标宋",
            Family::FangSong => "仿宋",
            Family::HeiTi => "黑体",
            Family::KaiTi => "楷体",
        }
    }

    fn example(self) -> &'static str {
        match self {
            Family::XiaoBiaoSong => "方正小标宋简体",
            Family::FangSong => "仿宋_GB2312",
            Family::HeiTi => "黑体",
            Family::KaiTi => "楷体_GB2312",
        }
    }

    fn matches(self, font: &str) -> bool {
        let lower = font.to_ascii_lowercase();
        match self {
            Family::XiaoBiaoSong => font.contains("小标宋") || lower.contains("xiaobiaosong"),
            Family::FangSong => font.contains("仿宋") || lower.contains("fangsong"),
            Family::HeiTi => font.contains("黑体") || lower.contains("simhei"),
            Family::KaiTi => font.contains("楷体") || lower.contains("kaiti"),
        }
    }
}

/// The name of a size in half-points, as Chinese word processors show it.
fn size_name(half_points: u32) -> String {
    let name = match half_points {
        84 => "初号",
        72 => "小初",
        52 => "一号",
        48 => "小一",
        44 => "二号",
        36 => "小二",
        32 => "三号",
        30 => "小三",
        28 => "四号",
        24 => "小四",
        21 => "五号",
        18 => "小五",
        _ => "",
    };
    let points = f64::from(half_points) / 2.0;
    if name.is_empty() {
        format!("{points}磅")
    } else {
        format!("{name}（{points}磅）")
    }
}

fn excerpt(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    if chars.len() > 24 {
        chars[..24].iter().collect::<String>() + "…"
    } else {
        chars.into_iter().collect()
    }
}

fn has_han(text: &str) -> bool {
    text.chars().any(is_han)
}

fn is_red(color: &str) -> bool {
    let channel =
        |i: usize| u8::from_str_radix(color.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    color.len() == 6 && channel(0) >= 0xC0 && channel(2) <= 0x60 && channel(4) <= 0x60
}

/// What one element must look like.
#[derive(Debug, Clone, Copy)]
struct Expect {
    what: &'static str,
    family: Family,
    size: Option<usize>,
}

/// The first run of `p` in the wrong family, if any (runs without Chinese characters are set in
/// the Latin font and are not judged).
fn wrong_font(p: &ParagraphFormat, family: Family) -> Option<&RunFormat> {
    // A 纪要's attendance line sets its label (出席：) in 黑体 and the names in the body's font.
    let label = wenshu_core::document::Attendance::parse(&p.text).map(|a| format!("{}：", a.label));
    p.runs.iter().find(|r| {
        has_han(&r.text)
            && !r.east_asia.as_deref().is_some_and(|f| family.matches(f))
            && !(label.as_deref() == Some(r.text.trim())
                && r.east_asia
                    .as_deref()
                    .is_some_and(|f| Family::HeiTi.matches(f)))
    })
}

fn wrong_size(p: &ParagraphFormat, size: usize) -> Option<&RunFormat> {
    p.runs.iter().find(|r| {
        !r.text.trim().is_empty() && r.size.is_none_or(|s| usize::try_from(s).ok() != Some(size))
    })
}

/// Collects one finding per rule and element, at the first paragraph that breaks it, with the
/// number of paragraphs that do.
#[derive(Default)]
struct Tally {
    first: Option<(usize, String, String)>,
    count: usize,
}

impl Tally {
    fn add(&mut self, line: usize, excerpt: String, found: String) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some((line, excerpt, found));
        }
    }

    fn finding(
        self,
        rule: Rule,
        message: impl Fn(&str) -> String,
        suggestion: &str,
    ) -> Option<Finding> {
        let (line, excerpt, found) = self.first?;
        let mut message = message(&found);
        if self.count > 1 {
            message.push_str(&format!("（共 {} 段）", self.count));
        }
        Some(Finding::new(rule, line, excerpt, message).suggest(suggestion))
    }
}

fn check_page(layout: &DocxLayout, findings: &mut Vec<Finding>) {
    let page = layout.page;
    let a4 = (PAGE_WIDTH as i32, PAGE_HEIGHT as i32);
    match (page.width, page.height) {
        (Some(w), Some(h)) if (w - a4.0).abs() <= 20 && (h - a4.1).abs() <= 20 => {}
        (Some(w), Some(h)) => findings.push(
            Finding::new(
                LAYOUT_PAGE,
                1,
                format!(
                    "{:.0} mm × {:.0} mm",
                    f64::from(w) / 56.7,
                    f64::from(h) / 56.7
                ),
                format!(
                    "页面为 {:.0} mm × {:.0} mm，应为 A4 纵向（210 mm × 297 mm）",
                    f64::from(w) / 56.7,
                    f64::from(h) / 56.7
                ),
            )
            .suggest("A4 纵向"),
        ),
        _ => findings.push(
            Finding::new(LAYOUT_PAGE, 1, "", "文档未设置页面大小，应为 A4 纵向").suggest("A4 纵向"),
        ),
    }
    let margins = [
        ("上边距（天头）", page.top, MARGIN_TOP),
        ("下边距", page.bottom, MARGIN_BOTTOM),
        ("左边距（订口）", page.left, MARGIN_LEFT),
        ("右边距", page.right, MARGIN_RIGHT),
    ];
    let wrong: Vec<String> = margins
        .iter()
        .filter_map(|(name, value, want)| match value {
            Some(v) if (v - want).abs() <= ONE_MM => None,
            Some(v) => Some(format!(
                "{name} {:.1} mm（应为 {:.0} mm）",
                f64::from(*v) / 56.7,
                f64::from(*want) / 56.7
            )),
            None => Some(format!("{name}未设置")),
        })
        .collect();
    if !wrong.is_empty() {
        findings.push(
            Finding::new(
                LAYOUT_MARGINS,
                1,
                "",
                format!("页边距不符合版心要求：{}", wrong.join("；")),
            )
            .suggest("上 37 mm、下 35 mm、左 28 mm、右 26 mm"),
        );
    }
}

/// Checks the layout of a DOCX read with [`crate::read_layout`]. `line` in each finding is the
/// paragraph number, as for the text rules.
pub fn check_layout(layout: &DocxLayout) -> Vec<Finding> {
    let mut findings = Vec::new();
    check_page(layout, &mut findings);
    // The explicit label of AI-assisted content, still in a header: a reminder, not an error.
    if let Some(header) = layout
        .headers
        .iter()
        .find(|h| h.contains(wenshu_core::check::AI_LABEL) || h.contains("人工智能"))
    {
        findings.push(
            Finding::new(
                LAYOUT_AI_LABEL,
                1,
                excerpt(header),
                "页眉仍有“人工智能辅助生成”的标识",
            )
            .suggest("经人工审核定稿后，印发前删除页眉中的标识"),
        );
    }
    let lines: Vec<&str> = layout.paragraphs.iter().map(|p| p.text.as_str()).collect();
    let parts = parts(&lines);
    let paragraph = |i: usize| &layout.paragraphs[i];

    // Single elements: the mark and the title.
    let mark = parts.mark.or_else(|| {
        // A mark without 文件 (广东省人民政府) is the red paragraph above the title.
        (0..parts.title.unwrap_or(0)).find(|&i| {
            paragraph(i)
                .runs
                .iter()
                .any(|r| has_han(&r.text) && r.color.as_deref().is_some_and(is_red))
        })
    });
    let singles = [
        (
            mark,
            Expect {
                what: "发文机关标志",
                family: Family::XiaoBiaoSong,
                size: None,
            },
        ),
        (
            parts.title,
            Expect {
                what: "标题",
                family: Family::XiaoBiaoSong,
                size: Some(SIZE_2),
            },
        ),
    ];
    for (index, expect) in singles {
        let Some(i) = index else { continue };
        let p = paragraph(i);
        if let Some(run) = wrong_font(p, expect.family) {
            findings.push(
                Finding::new(
                    LAYOUT_FONTS,
                    i + 1,
                    excerpt(&p.text),
                    format!(
                        "{}的字体为“{}”，应为{}",
                        expect.what,
                        run.east_asia.as_deref().unwrap_or("未设置"),
                        expect.family.name()
                    ),
                )
                .suggest(expect.family.example()),
            );
        }
        if let Some(size) = expect.size
            && let Some(run) = wrong_size(p, size)
        {
            findings.push(
                Finding::new(
                    LAYOUT_SIZES,
                    i + 1,
                    excerpt(&p.text),
                    format!(
                        "{}的字号为{}，应为{}",
                        expect.what,
                        run.size.map_or("未设置".to_string(), size_name),
                        size_name(size as u32)
                    ),
                )
                .suggest(size_name(size as u32)),
            );
        }
    }
    if let Some(m) = mark {
        check_red_header(layout, &parts, m, &mut findings);
    }

    // The text: every paragraph between the title and the 版记 in 3号, in its family.
    let mut fonts: [Tally; 4] = Default::default();
    let mut sizes = Tally::default();
    let mut spacing = Tally::default();
    let text_lines = parts
        .addressee
        .into_iter()
        .chain(parts.body.clone())
        .chain(parts.signature)
        .chain(parts.date);
    for i in text_lines {
        let p = paragraph(i);
        if p.text.trim().is_empty() {
            continue;
        }
        let level = parts
            .headings
            .iter()
            .find(|(h, _)| *h == i)
            .map_or(0, |(_, level)| *level);
        let family = match level {
            1 => Family::HeiTi,
            2 => Family::KaiTi,
            _ => Family::FangSong,
        };
        if let Some(run) = wrong_font(p, family) {
            let slot = match level {
                1 => 1,
                2 => 2,
                _ => 0,
            };
            fonts[slot].add(
                i + 1,
                excerpt(&p.text),
                run.east_asia.clone().unwrap_or_else(|| "未设置".into()),
            );
        }
        if let Some(run) = wrong_size(p, SIZE_3) {
            sizes.add(
                i + 1,
                excerpt(&p.text),
                run.size.map_or("未设置".to_string(), size_name),
            );
        }
        if parts.body.contains(&i) {
            let exact = matches!(p.line_rule.as_deref(), Some("exact" | "atLeast"));
            match p.line {
                Some(line) if exact && LINE_RANGE.contains(&line) => {}
                Some(line) if exact => spacing.add(
                    i + 1,
                    excerpt(&p.text),
                    format!("固定值 {:.1} 磅", f64::from(line) / 20.0),
                ),
                Some(line) => spacing.add(
                    i + 1,
                    excerpt(&p.text),
                    format!("{:.2} 倍行距", f64::from(line) / 240.0),
                ),
                None => spacing.add(i + 1, excerpt(&p.text), "单倍行距".into()),
            }
        }
    }
    let [body_font, heading1, heading2, _] = fonts;
    for (tally, what, family) in [
        (body_font, "正文", Family::FangSong),
        (heading1, "一级标题", Family::HeiTi),
        (heading2, "二级标题", Family::KaiTi),
    ] {
        findings.extend(tally.finding(
            LAYOUT_FONTS,
            |found| format!("{what}的字体为“{found}”，应为{}", family.name()),
            family.example(),
        ));
    }
    findings.extend(sizes.finding(
        LAYOUT_SIZES,
        |found| format!("正文字号为{found}，应为三号（16磅）"),
        "三号（16磅）",
    ));
    findings.extend(spacing.finding(
        LAYOUT_LINE_SPACING,
        |found| format!("正文行距为{found}，每页 22 行应为固定值约 28.95 磅"),
        "固定值 28.95 磅",
    ));
    findings.sort_by_key(|f| f.line);
    findings
}

/// The mark is red, and a red rule (a paragraph border, or a drawn line) sits between the mark
/// and the title.
fn check_red_header(layout: &DocxLayout, parts: &Parts, mark: usize, findings: &mut Vec<Finding>) {
    let p = &layout.paragraphs[mark];
    if let Some(run) = p
        .runs
        .iter()
        .find(|r| has_han(&r.text) && !r.color.as_deref().is_some_and(is_red))
    {
        findings.push(
            Finding::new(
                LAYOUT_RED_HEADER,
                mark + 1,
                excerpt(&p.text),
                format!(
                    "发文机关标志的颜色为{}，应为红色",
                    run.color
                        .as_deref()
                        .map_or("黑色（自动）".to_string(), |c| format!("#{c}"))
                ),
            )
            .suggest("红色 #FF0000"),
        );
    }
    let end = parts
        .title
        .unwrap_or(layout.paragraphs.len())
        .min(layout.paragraphs.len());
    let has_rule = (mark..end).any(|i| {
        let p = &layout.paragraphs[i];
        p.border_colors.iter().any(|c| is_red(c)) || p.has_drawing
    });
    if !has_rule {
        findings.push(
            Finding::new(
                LAYOUT_RED_HEADER,
                parts.number.unwrap_or(mark) + 1,
                excerpt(&layout.paragraphs[parts.number.unwrap_or(mark)].text),
                "发文字号之下没有红色分隔线",
            )
            .suggest("在发文字号段落下方加与版心等宽的红色下框线"),
        );
    }
}
