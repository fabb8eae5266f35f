//! Reading a DOCX the way Word lays it out: the page, and for every paragraph its text with the
//! effective alignment, line spacing, borders and each run's fonts, size and colour, after the
//! style chain (document defaults, paragraph style, character style, direct formatting).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::read::{ReadError, check_archive};

/// Page size and margins in twips.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageSetup {
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub top: Option<i32>,
    pub bottom: Option<i32>,
    pub left: Option<i32>,
    pub right: Option<i32>,
}

/// The character formatting of a run, as far as it is set anywhere in the chain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunFormat {
    pub text: String,
    /// The East Asian font (what Chinese characters are set in); `theme:…` for theme fonts.
    pub east_asia: Option<String>,
    pub ascii: Option<String>,
    /// Size in half-points (32 = 16 pt = 3号).
    pub size: Option<u32>,
    /// RRGGBB, upper case; `None` for automatic (black).
    pub color: Option<String>,
}

/// One paragraph with its effective formatting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParagraphFormat {
    pub text: String,
    /// `left`, `center`, `right`, `both`, …
    pub align: Option<String>,
    /// Line spacing in twips (or 240ths of a line for `auto`).
    pub line: Option<i32>,
    /// `exact`, `atLeast` or `auto`.
    pub line_rule: Option<String>,
    /// Colours (RRGGBB) of the paragraph's top and bottom borders.
    pub border_colors: Vec<String>,
    /// Whether the paragraph anchors a drawing or shape (a drawn rule, a seal).
    pub has_drawing: bool,
    pub runs: Vec<RunFormat>,
}

/// A DOCX as laid out: the page and the paragraphs in reading order (table cells included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocxLayout {
    pub page: PageSetup,
    pub paragraphs: Vec<ParagraphFormat>,
    /// The text of the page headers, one entry per header part.
    pub headers: Vec<String>,
    /// The `AIGC` custom document property (GB 45438-2025), when the file has one.
    pub aigc: Option<String>,
}

/// Properties set at one level of the chain; `None` means "inherit".
#[derive(Debug, Clone, Default)]
struct Props {
    east_asia: Option<String>,
    ascii: Option<String>,
    size: Option<u32>,
    color: Option<String>,
    align: Option<String>,
    line: Option<i32>,
    line_rule: Option<String>,
}

impl Props {
    /// Fills what is unset here from `base`.
    fn inherit(&mut self, base: &Props) {
        macro_rules! take {
            ($($f:ident),*) => {$(
                if self.$f.is_none() {
                    self.$f = base.$f.clone();
                }
            )*};
        }
        take!(east_asia, ascii, size, color, align, line, line_rule);
    }

    /// Reads one property element (`w:rFonts`, `w:sz`, `w:color`, `w:jc`, `w:spacing`).
    fn read(&mut self, e: &BytesStart<'_>, run_level: bool) {
        match e.local_name().as_ref() {
            b"rFonts" if run_level => {
                self.east_asia = attr(e, b"eastAsia")
                    .or_else(|| attr(e, b"eastAsiaTheme").map(|t| format!("theme:{t}")))
                    .or(self.east_asia.take());
                self.ascii = attr(e, b"ascii")
                    .or_else(|| attr(e, b"asciiTheme").map(|t| format!("theme:{t}")))
                    .or(self.ascii.take());
            }
            b"sz" if run_level => self.size = attr(e, b"val").and_then(|v| v.parse().ok()),
            b"color" if run_level => {
                self.color = attr(e, b"val")
                    .map(|v| v.to_ascii_uppercase())
                    .filter(|v| v != "AUTO");
            }
            b"jc" if !run_level => self.align = attr(e, b"val"),
            b"spacing" if !run_level => {
                if let Some(line) = attr(e, b"line").and_then(|v| v.parse().ok()) {
                    self.line = Some(line);
                    self.line_rule = Some(attr(e, b"lineRule").unwrap_or_else(|| "auto".into()));
                }
            }
            _ => {}
        }
    }
}

fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name)
            .then(|| String::from_utf8_lossy(&a.value).into_owned())
    })
}

#[derive(Debug, Clone, Default)]
struct Style {
    based_on: Option<String>,
    paragraph: Props,
    run: Props,
}

#[derive(Debug, Default)]
struct Styles {
    defaults_run: Props,
    defaults_paragraph: Props,
    by_id: HashMap<String, Style>,
    default_paragraph: Option<String>,
}

impl Styles {
    /// The paragraph and run properties of `id` with its `basedOn` chain resolved.
    fn resolve(&self, id: Option<&str>) -> (Props, Props) {
        let mut paragraph = Props::default();
        let mut run = Props::default();
        let mut next = id.map(str::to_string);
        let mut seen = 0;
        while let Some(current) = next.take()
            && seen < 32
        {
            seen += 1;
            if let Some(style) = self.by_id.get(&current) {
                paragraph.inherit(&style.paragraph);
                run.inherit(&style.run);
                next.clone_from(&style.based_on);
            }
        }
        (paragraph, run)
    }
}

fn entry(bytes: &[u8], name: &str) -> Result<Option<String>, ReadError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::NotZip(e.to_string()))?;
    let Ok(mut file) = archive.by_name(name) else {
        return Ok(None);
    };
    let mut text = String::new();
    file.read_to_string(&mut text)
        .map_err(|e| ReadError::Damaged(format!("{name}: {e}")))?;
    Ok(Some(text))
}

fn damaged(name: &str, err: impl std::fmt::Display) -> ReadError {
    ReadError::Damaged(format!("{name}: {err}"))
}

fn read_styles(xml: &str) -> Result<Styles, ReadError> {
    let mut styles = Styles::default();
    let mut reader = Reader::from_str(xml);
    // Where we are: in docDefaults' rPr or pPr, or in a style's.
    let mut in_defaults = false;
    let mut current: Option<(String, Style)> = None;
    let mut in_rpr = false;
    let mut in_ppr = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| damaged("word/styles.xml", e))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"docDefaults" => in_defaults = !empty,
                    b"style" => {
                        let id = attr(e, b"styleId").unwrap_or_default();
                        if attr(e, b"type").as_deref() == Some("paragraph")
                            && matches!(attr(e, b"default").as_deref(), Some("1" | "true"))
                        {
                            styles.default_paragraph = Some(id.clone());
                        }
                        current = (!empty).then(|| (id, Style::default()));
                    }
                    b"basedOn" => {
                        if let Some((_, style)) = current.as_mut() {
                            style.based_on = attr(e, b"val");
                        }
                    }
                    b"rPr" => in_rpr = !empty,
                    b"pPr" => in_ppr = !empty,
                    _ => {
                        let target = match current.as_mut() {
                            Some((_, style)) if in_rpr => Some((&mut style.run, true)),
                            Some((_, style)) if in_ppr => Some((&mut style.paragraph, false)),
                            None if in_defaults && in_rpr => Some((&mut styles.defaults_run, true)),
                            None if in_defaults && in_ppr => {
                                Some((&mut styles.defaults_paragraph, false))
                            }
                            _ => None,
                        };
                        if let Some((props, run_level)) = target {
                            props.read(e, run_level);
                        }
                    }
                }
            }
            Event::End(ref e) => match e.local_name().as_ref() {
                b"docDefaults" => in_defaults = false,
                b"style" => {
                    if let Some((id, style)) = current.take() {
                        styles.by_id.insert(id, style);
                    }
                }
                b"rPr" => in_rpr = false,
                b"pPr" => in_ppr = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(styles)
}

/// A paragraph being read.
#[derive(Debug, Default)]
struct OpenParagraph {
    style: Option<String>,
    direct: Props,
    borders: Vec<String>,
    has_drawing: bool,
    runs: Vec<(Option<String>, Props, String)>,
}

/// Reads the page setup and paragraphs of the DOCX in `bytes` (after the zip-bomb checks).
pub fn read_layout(bytes: &[u8]) -> Result<DocxLayout, ReadError> {
    check_archive(bytes)?;
    let document = entry(bytes, "word/document.xml")?.ok_or(ReadError::NotDocx)?;
    let styles = match entry(bytes, "word/styles.xml")? {
        Some(xml) => read_styles(&xml)?,
        None => Styles::default(),
    };
    let mut layout = DocxLayout::default();
    let mut reader = Reader::from_str(&document);
    let mut paragraph: Option<OpenParagraph> = None;
    // The run being read: its character style, direct properties and text.
    let mut run: Option<(Option<String>, Props, String)> = None;
    let (mut in_ppr, mut in_rpr, mut in_text, mut in_border) = (false, false, false, false);
    // Paragraphs in text boxes and deleted text are not part of the reading order.
    let mut text_box_depth = 0usize;
    let mut deleted_depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| damaged("word/document.xml", e))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name();
                match name.as_ref() {
                    b"drawing" | b"pict" => {
                        if let Some(p) = paragraph.as_mut() {
                            p.has_drawing = true;
                        }
                    }
                    b"txbxContent" if !empty => text_box_depth += 1,
                    b"del" if !empty => deleted_depth += 1,
                    _ if text_box_depth > 0 => {}
                    b"p" => {
                        paragraph = Some(OpenParagraph::default());
                        if empty {
                            layout
                                .paragraphs
                                .push(finish(paragraph.take().unwrap_or_default(), &styles));
                        }
                    }
                    b"pPr" if paragraph.is_some() => in_ppr = !empty,
                    b"pStyle" if in_ppr => {
                        if let Some(p) = paragraph.as_mut() {
                            p.style = attr(e, b"val");
                        }
                    }
                    b"pBdr" if in_ppr => in_border = !empty,
                    b"top" | b"bottom" if in_border => {
                        if let (Some(p), Some(color)) = (paragraph.as_mut(), attr(e, b"color"))
                            && attr(e, b"val").is_some_and(|v| v != "nil" && v != "none")
                        {
                            p.borders.push(color.to_ascii_uppercase());
                        }
                    }
                    b"sectPr" => {}
                    b"pgSz" => {
                        let num = |k: &[u8]| attr(e, k).and_then(|v| v.parse().ok());
                        layout.page.width = num(b"w");
                        layout.page.height = num(b"h");
                    }
                    b"pgMar" => {
                        let num = |k: &[u8]| attr(e, k).and_then(|v| v.parse().ok());
                        layout.page.top = num(b"top");
                        layout.page.bottom = num(b"bottom");
                        layout.page.left = num(b"left");
                        layout.page.right = num(b"right");
                    }
                    b"r" if paragraph.is_some() => {
                        run = (!empty).then(|| (None, Props::default(), String::new()));
                    }
                    // The paragraph mark's own rPr (inside pPr) formats no text.
                    b"rPr" if run.is_some() && !in_ppr => in_rpr = !empty,
                    b"rStyle" if in_rpr => {
                        if let Some(r) = run.as_mut() {
                            r.0 = attr(e, b"val");
                        }
                    }
                    b"t" if run.is_some() && deleted_depth == 0 => in_text = !empty,
                    b"tab" if run.is_some() && !in_rpr && deleted_depth == 0 => {
                        if let Some(r) = run.as_mut() {
                            r.2.push('\t');
                        }
                    }
                    _ if in_rpr => {
                        if let Some(r) = run.as_mut() {
                            r.1.read(e, true);
                        }
                    }
                    _ if in_ppr && !in_border => {
                        if let Some(p) = paragraph.as_mut() {
                            p.direct.read(e, false);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                let text = t.decode().map_err(|e| damaged("word/document.xml", e))?;
                if let Some(r) = run.as_mut() {
                    r.2.push_str(&text);
                }
            }
            Event::GeneralRef(r) if in_text => {
                let name = r.decode().map_err(|e| damaged("word/document.xml", e))?;
                let resolved = entity(&name, &r);
                if let (Some(c), Some(run)) = (resolved, run.as_mut()) {
                    run.2.push(c);
                }
            }
            Event::End(ref e) => match e.local_name().as_ref() {
                b"txbxContent" => text_box_depth = text_box_depth.saturating_sub(1),
                b"del" => deleted_depth = deleted_depth.saturating_sub(1),
                _ if text_box_depth > 0 => {}
                b"t" => in_text = false,
                b"rPr" => in_rpr = false,
                b"pBdr" => in_border = false,
                b"pPr" => in_ppr = false,
                b"r" => {
                    if let (Some(r), Some(p)) = (run.take(), paragraph.as_mut()) {
                        p.runs.push(r);
                    }
                }
                b"p" => {
                    if let Some(p) = paragraph.take() {
                        layout.paragraphs.push(finish(p, &styles));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    layout.headers = header_texts(bytes)?;
    layout.aigc = match entry(bytes, "docProps/custom.xml")? {
        Some(xml) => custom_property(&xml, "AIGC"),
        None => None,
    };
    Ok(layout)
}

/// The text of every `word/header*.xml` part.
fn header_texts(bytes: &[u8]) -> Result<Vec<String>, ReadError> {
    let archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::NotZip(e.to_string()))?;
    let mut names: Vec<String> = archive
        .file_names()
        .filter(|n| n.starts_with("word/header") && n.ends_with(".xml"))
        .map(String::from)
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let Some(xml) = entry(bytes, &name)? else {
            continue;
        };
        out.push(xml_text(&xml, "t"));
    }
    Ok(out)
}

/// The text inside every `<…:tag>` element of `xml`, joined.
fn xml_text(xml: &str, tag: &str) -> String {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut inside = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == tag.as_bytes() => inside = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == tag.as_bytes() => inside = false,
            Ok(Event::Text(t)) if inside => {
                if let Ok(text) = t.decode() {
                    out.push_str(&text);
                }
            }
            Ok(Event::GeneralRef(r)) if inside => out.extend(reference(&r)),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// The character the XML entity `name` (or the character reference `r`) stands for.
fn entity(name: &str, r: &quick_xml::events::BytesRef<'_>) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => r.resolve_char_ref().ok().flatten(),
    }
}

/// [`entity`] for a reference whose name decodes; `None` for one that does not.
fn reference(r: &quick_xml::events::BytesRef<'_>) -> Option<char> {
    entity(&r.decode().ok()?, r)
}

/// The document properties of a DOCX as (name, value): the core ones (`title`, `subject`,
/// `keywords`, `description`, `category`, `contentStatus`) and every custom one. A 密级 can be
/// set there without appearing in the text.
pub fn docx_properties(bytes: &[u8]) -> Result<Vec<(String, String)>, ReadError> {
    let mut out = Vec::new();
    if let Some(xml) = entry(bytes, "docProps/core.xml")? {
        for tag in [
            "title",
            "subject",
            "keywords",
            "description",
            "category",
            "contentStatus",
        ] {
            let value = xml_text(&xml, tag);
            if !value.trim().is_empty() {
                out.push((tag.to_string(), value));
            }
        }
    }
    if let Some(xml) = entry(bytes, "docProps/custom.xml")? {
        let mut reader = Reader::from_str(&xml);
        let mut current: Option<(String, String)> = None;
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) if e.local_name().as_ref() == b"property" => {
                    let name = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == b"name")
                        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                        .unwrap_or_default();
                    current = Some((name, String::new()));
                }
                Ok(Event::Text(t)) => {
                    if let (Some((_, value)), Ok(text)) = (current.as_mut(), t.decode()) {
                        value.push_str(&text);
                    }
                }
                Ok(Event::GeneralRef(r)) => {
                    if let Some((_, value)) = current.as_mut() {
                        value.extend(reference(&r));
                    }
                }
                Ok(Event::End(e)) if e.local_name().as_ref() == b"property" => {
                    out.extend(current.take());
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
    }
    Ok(out)
}

/// The value of the custom document property `name` in `docProps/custom.xml`.
fn custom_property(xml: &str, name: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut current = false;
    let mut value = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"property" => {
                current = e.attributes().flatten().any(|a| {
                    a.key.local_name().as_ref() == b"name" && a.value.as_ref() == name.as_bytes()
                });
            }
            Ok(Event::Text(t)) if current => {
                if let Ok(text) = t.decode() {
                    value.push_str(&text);
                }
            }
            Ok(Event::GeneralRef(r)) if current => value.extend(reference(&r)),
            Ok(Event::End(e)) if e.local_name().as_ref() == b"property" && current => {
                return Some(value);
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// Resolves a paragraph's formatting through the style chain.
fn finish(p: OpenParagraph, styles: &Styles) -> ParagraphFormat {
    let style = p.style.clone().or_else(|| styles.default_paragraph.clone());
    let (style_paragraph, style_run) = styles.resolve(style.as_deref());
    let mut paragraph = p.direct;
    paragraph.inherit(&style_paragraph);
    paragraph.inherit(&styles.defaults_paragraph);
    let runs: Vec<RunFormat> = p
        .runs
        .into_iter()
        .filter(|(_, _, text)| !text.is_empty())
        .map(|(char_style, mut props, text)| {
            let (_, char_run) = styles.resolve(char_style.as_deref());
            props.inherit(&char_run);
            props.inherit(&style_run);
            props.inherit(&styles.defaults_run);
            RunFormat {
                text,
                east_asia: props.east_asia,
                ascii: props.ascii,
                size: props.size,
                color: props.color,
            }
        })
        .collect();
    ParagraphFormat {
        text: runs.iter().map(|r| r.text.as_str()).collect(),
        align: paragraph.align,
        line: paragraph.line,
        line_rule: paragraph.line_rule,
        border_colors: p.borders,
        has_drawing: p.has_drawing,
        runs,
    }
}
