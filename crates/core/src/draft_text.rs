//! Cleaning what a model wrote for a draft: the 事由 of the title, the headings of numbered
//! items and each section's paragraph, made into text a 公文 can carry (no copied markers,
//! labels or instructions, whole sentences, full-width punctuation, the set formulas in place).

use crate::check;
use crate::document::DocType;
use crate::model::StopReason;
use crate::text::sentences;

/// A model string without the heading marker or list sign it may have copied.
fn strip_marker(text: &str) -> &str {
    let text = text
        .trim()
        .trim_start_matches(['-', '*', '•', '·', ' ', '　']);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let is_num = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    // 一、 1、 1. 1． （一） (1)
    let digits = chars.iter().take_while(|(_, c)| is_num(*c)).count();
    if digits > 0
        && let Some((i, c)) = chars.get(digits)
        && matches!(c, '、' | '.' | '．')
    {
        return text[i + c.len_utf8()..].trim_start();
    }
    if let Some((_, open)) = chars.first()
        && matches!(open, '（' | '(')
    {
        let inner = chars[1..].iter().take_while(|(_, c)| is_num(*c)).count();
        if inner > 0
            && let Some((i, close)) = chars.get(1 + inner)
            && matches!(close, '）' | ')')
        {
            return text[i + close.len_utf8()..].trim_start();
        }
    }
    text
}

/// The 事由: no 关于, no issuer, no type at the end, no quotes or full stop.
pub fn clean_subject(raw: &str, issuer: &str, doc_type: DocType) -> String {
    let marks = ['“', '”', '"', '《', '》', '。', ' ', '：', ':', '，', '、'];
    let mut s = raw.trim().trim_matches(marks).to_string();
    if let Some(rest) = s.strip_prefix(issuer) {
        s = rest.trim_start_matches(marks).to_string();
    }
    if let Some(rest) = s.strip_prefix("关于") {
        s = rest.trim_start_matches(marks).to_string();
    }
    for suffix in [
        format!("的{}", doc_type.name()),
        doc_type.name().to_string(),
    ] {
        if let Some(rest) = s.strip_suffix(suffix.as_str()) {
            s = rest.to_string();
        }
    }
    s.trim_end_matches('的').trim().to_string()
}

/// A heading: no marker, no closing punctuation.
pub fn clean_heading(raw: &str) -> String {
    strip_marker(raw)
        .trim_end_matches(['。', '；', '，', '：', ';', ',', ':', ' '])
        .to_string()
}

/// What a section's paragraph must and must not contain, besides the model's words.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cleaning<'a> {
    /// Text the model may copy by mistake (the label, the title): removed.
    pub echoes: &'a [&'a str],
    /// The prompt's own wording: a sentence that repeats eight characters of it is dropped.
    pub prompt: &'a str,
    /// The formula that ends the paragraph, put last whatever the model did with it.
    pub ends_with: Option<&'a str>,
    /// The closing formula Wenshu writes as its own paragraph: removed here.
    pub closing: Option<&'a str>,
}

/// Whether `sentence` repeats eight consecutive characters of `prompt`.
fn echoes_prompt(sentence: &str, prompt: &str) -> bool {
    const WINDOW: usize = 8;
    let chars: Vec<char> = sentence.chars().collect();
    !prompt.is_empty()
        && chars.windows(WINDOW).any(|w| {
            let piece: String = w.iter().collect();
            prompt.contains(&piece)
        })
}

/// A section's paragraph: one line, no marker, no copied label, title or instructions, ending
/// on a whole sentence and its set formula, punctuation made full-width, and without the
/// closing formula Wenshu adds itself.
pub fn clean_paragraph(raw: &str, stop: StopReason, rules: Cleaning<'_>) -> String {
    let mut joined: String = raw
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("")
        .replace(['#', '*', '`'], "");
    for echo in rules.echoes.iter().filter(|e| !e.is_empty()) {
        for copy in [format!("《{echo}》"), format!("“{echo}”"), echo.to_string()] {
            joined = joined.replace(&copy, "");
        }
    }
    for formula in rules.ends_with.iter().chain(rules.closing.iter()) {
        let bare = formula.trim_end_matches(['。', '：']);
        joined = joined.replace(formula, "").replace(bare, "");
    }
    let mut text = strip_marker(&joined)
        .trim_start_matches(['：', ':', '。', '，', '、', ' '])
        .to_string();
    // A short label the model put first (通知背景：, 事项：) is not part of the text.
    if let Some((label, rest)) = text.split_once('：')
        && label.chars().count() <= 6
        && !label.contains(['，', '。', '、'])
        && !rest.is_empty()
    {
        text = rest.to_string();
    }
    if stop == StopReason::MaxTokens
        && let Some(end) = text.rfind(['。', '！', '？'])
    {
        text.truncate(end + '。'.len_utf8());
    }
    let (fixed, _) = check::fix_text(&text);
    let mut text: String = sentences(fixed.trim())
        .into_iter()
        .filter(|s| !echoes_prompt(s, rules.prompt))
        .collect();
    text = text.trim_end_matches(['，', '、', '；', '：']).to_string();
    if !text.is_empty() && !text.ends_with(['。', '！', '？', '”']) {
        // An unfinished clause runs on into the formula: 为……，现将有关事项通知如下：
        text.push(if rules.ends_with.is_some() {
            '，'
        } else {
            '。'
        });
    }
    if let Some(formula) = rules.ends_with {
        text.push_str(formula);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_lose_what_the_title_adds_itself() {
        let t = DocType::Circular;
        assert_eq!(
            clean_subject("关于开展数据安全检查的通知", "某局", t),
            "开展数据安全检查"
        );
        assert_eq!(clean_subject("某局关于开展检查", "某局", t), "开展检查");
        assert_eq!(clean_subject("“开展检查工作”。", "某局", t), "开展检查工作");
        assert_eq!(clean_subject("关于：开展检查", "某局", t), "开展检查");
    }

    #[test]
    fn copied_markers_are_removed() {
        assert_eq!(clean_heading("一、加强组织领导。"), "加强组织领导");
        assert_eq!(clean_heading("（二）落实责任"), "落实责任");
        assert_eq!(clean_heading("3. 按时报送"), "按时报送");
        assert_eq!(
            clean_heading("- 一体化推进"),
            "一体化推进",
            "a word starting with 一 stays"
        );
        assert_eq!(clean_heading("十一、总结"), "总结");
    }

    #[test]
    fn paragraphs_end_on_a_sentence_and_drop_the_closing() {
        let closing = Cleaning {
            closing: Some("特此通知。"),
            ..Cleaning::default()
        };
        assert_eq!(
            clean_paragraph(
                "各单位要高度重视。按时完成任务。特此通知。",
                StopReason::EndOfText,
                closing
            ),
            "各单位要高度重视。按时完成任务。"
        );
        let none = Cleaning::default();
        assert_eq!(
            clean_paragraph(
                "请于3月底前完成。下一步将继续推",
                StopReason::MaxTokens,
                none
            ),
            "请于3月底前完成。"
        );
        assert_eq!(
            clean_paragraph("各单位要按时报送,不得延误", StopReason::EndOfText, none),
            "各单位要按时报送，不得延误。",
            "half-width punctuation is made full-width"
        );
        assert_eq!(
            clean_paragraph("## 1. 工作目标\n提高效率", StopReason::EndOfText, none),
            "工作目标提高效率。"
        );
        assert_eq!(
            clean_paragraph(
                "要求：某局关于检查的通知。各单位要按时报送。",
                StopReason::EndOfText,
                Cleaning {
                    echoes: &["要求：", "某局关于检查的通知"],
                    ..none
                }
            ),
            "各单位要按时报送。",
            "a copied label and title are dropped"
        );
        assert_eq!(
            clean_paragraph(
                "通知背景：为加强管理，决定开展检查。",
                StopReason::EndOfText,
                none
            ),
            "为加强管理，决定开展检查。"
        );
    }

    #[test]
    fn set_formulas_end_the_paragraph_and_echoed_instructions_go() {
        let rules = Cleaning {
            prompt: "要求：50至100字，写成一个完整的自然段；不加序号，不用 Markdown。",
            ends_with: Some("现将有关事项通知如下："),
            ..Cleaning::default()
        };
        assert_eq!(
            clean_paragraph(
                "现将有关事项通知如下：为加强数据安全管理，决定开展检查。50至100字，写成一个完整的自然段。",
                StopReason::EndOfText,
                rules
            ),
            "为加强数据安全管理，决定开展检查。现将有关事项通知如下："
        );
        assert_eq!(
            clean_paragraph(
                "为加强管理，现将有关事项通知如下",
                StopReason::EndOfText,
                rules
            ),
            "为加强管理，现将有关事项通知如下："
        );
    }
}
