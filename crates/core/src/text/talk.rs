//! Words that do not belong in a 公文: sentences that talk about the writing instead of being it
//! (我将…, 以下是…, 根据您的要求…), placeholders left for someone else to fill (XX, ××, 【】),
//! and the same sentence said twice.

use super::chars::{fold_width, is_han};

/// Openings of a sentence that describes the task, the assistant or the prompt.
const TALK_OPENINGS: &[&str] = &[
    "我将",
    "我们将",
    "我来",
    "我已",
    "我先",
    "首先，我",
    "首先我",
    "接下来，我",
    "接下来我",
    "然后，我",
    "然后我",
    "最后，我",
    "最后我",
    "以下是",
    "下面是",
    "以下为",
    "下面为",
    "根据您的要求",
    "根据你的要求",
    "按照您的要求",
    "按照你的要求",
    "根据您提供的",
    "根据你提供的",
    "根据提供的事实材料",
    "根据事实材料",
    "根据上述事实材料",
    "根据文件内容",
    "根据以上要点",
    "根据上述要点",
    "根据以上内容",
    "好的，",
    "希望这段",
    "作为一名AI",
    "本段",
    "此段",
    "这段话",
    "这一段",
    "该段",
    "作为公文写作助手",
    "作为写作助手",
    "作为AI",
    "作为人工智能",
    "希望以上",
    "如需修改",
    "注：",
];

/// Words anywhere in a sentence that name the prompt's own parts or the act of writing it.
const TALK_WORDS: &[&str] = &[
    "一栏",
    "事实材料",
    "写作要点",
    "内容要点",
    "小标题",
    "这段正文",
    "本段正文",
    "以上内容",
    "上述内容仅供参考",
    "公文写作助手",
    "您的要求",
    "你的要求",
    "字数要求",
    "我将",
    // Openings of a summary that announce it (主要摘要如下：).
    "摘要如下",
    "要点如下",
    "总结如下",
    "主要摘要",
    // Echoes of a second try's prompt (下面是正文中“依据”部分的一段话……漏写了下列事实).
    "漏写",
    "以下事实",
    "下列事实",
    "一段话",
    "正文中“",
];

/// Why `sentence` talks about the task instead of doing it: the opening or word that shows it.
pub fn task_talk(sentence: &str) -> Option<&'static str> {
    let s: String = sentence
        .trim()
        .trim_start_matches(['“', '"', '（', '(', ' ', '　'])
        .chars()
        .map(fold_width)
        .collect();
    TALK_OPENINGS
        .iter()
        .find(|o| s.starts_with(*o))
        .or_else(|| TALK_WORDS.iter().find(|w| s.contains(*w)))
        .copied()
}

/// A placeholder left in `text` for someone to fill (XX, ××, ＸＸ, 【】, [ ], ＿＿, 某某), as written.
pub fn placeholder(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let folded = fold_width(c);
        // Two or more X, x or × in a row, not inside a Latin word (XXL, Xbox).
        if matches!(folded, 'X' | 'x' | '×') {
            let run = chars[i..]
                .iter()
                .take_while(|&&d| matches!(fold_width(d), 'X' | 'x' | '×'))
                .count();
            let before = i.checked_sub(1).map(|p| fold_width(chars[p]));
            let after = chars.get(i + run).map(|&d| fold_width(d));
            let latin = |d: Option<char>| d.is_some_and(|d| d.is_ascii_alphanumeric());
            let fresh = before.is_none_or(|b| !matches!(b, 'X' | 'x' | '×'));
            if run >= 2 && fresh && !latin(before) && !latin(after) {
                return Some(chars[i..i + run].iter().collect());
            }
        }
        // Empty or instructive brackets: 【】, 【单位名称】, [ ], ［ ］.
        if matches!(c, '【' | '[' | '［') {
            let close = match c {
                '【' => '】',
                '[' => ']',
                _ => '］',
            };
            if let Some(len) = chars[i + 1..].iter().position(|&d| d == close) {
                let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                let inner = inner.trim();
                if inner.is_empty() || (inner.chars().count() <= 12 && inner.chars().all(is_han)) {
                    return Some(chars[i..i + 2 + len].iter().collect());
                }
            }
        }
        if c == '＿' || c == '_' {
            let run = chars[i..].iter().take_while(|&&d| d == c).count();
            if run >= 2 {
                return Some(chars[i..i + run].iter().collect());
            }
        }
        if c == '某' && chars.get(i + 1) == Some(&'某') {
            return Some("某某".into());
        }
        if c == '○' && chars.get(i + 1) == Some(&'○') {
            return Some("○○".into());
        }
    }
    None
}

/// A sentence reduced to what says something: Han characters, letters and digits (full-width
/// folded), for telling whether two sentences are the same.
pub fn sentence_key(sentence: &str) -> String {
    sentence
        .chars()
        .map(fold_width)
        .filter(|c| is_han(*c) || c.is_ascii_alphanumeric())
        .collect()
}

/// Whether two sentences say the same thing: the same words once punctuation is set aside, or
/// nine in ten of the shorter one's character pairs found in the longer one.
pub fn same_sentence(a: &str, b: &str) -> bool {
    let (a, b) = (sentence_key(a), sentence_key(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    let pairs = bigrams(&short);
    // Short sentences (要高度重视。) repeat by design in lists of measures; only a sentence of
    // some length counts as said twice when it is only close.
    if pairs.len() < 8 {
        return false;
    }
    let longer = bigrams(&long);
    let found = pairs.iter().filter(|p| longer.contains(p)).count();
    found * 10 >= pairs.len() * 9
}

/// The pairs of neighbouring characters in `text`.
pub fn bigrams(text: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_about_the_task_are_found() {
        for (case, sentence, talks) in [
            ("plan of writing", "首先，我将缘由一栏写明。", true),
            (
                "announcing the answer",
                "以下是根据您的要求撰写的请示正文：",
                true,
            ),
            (
                "assistant persona",
                "作为公文写作助手，我认为应当如此。",
                true,
            ),
            ("this paragraph", "本段主要说明背景。", true),
            (
                "the facts file by name",
                "根据事实材料，项目投资500万元。",
                true,
            ),
            (
                "a real sentence",
                "为保障政务云平台稳定运行，拟对数据中心进行扩容。",
                false,
            ),
            (
                "a second try's prompt echoed",
                "根据正文中“依据”部分的一段话，漏写了以下事实：1. 奖励资金共计40万元。",
                true,
            ),
            ("我局 is the issuer", "我局高度重视数据安全工作。", false),
            ("请 as a request", "请各单位按时报送。", false),
        ] {
            assert_eq!(task_talk(sentence).is_some(), talks, "{case}: {sentence}");
        }
    }

    #[test]
    fn placeholders_are_found_and_real_text_is_not() {
        for (case, text, found) in [
            ("Latin X", "联系人：XX，电话：XXXX。", Some("XX")),
            ("multiplication signs", "××局", Some("××")),
            ("full-width X", "ＸＸ单位", Some("ＸＸ")),
            ("empty brackets", "请于【】前报送", Some("【】")),
            ("instructive brackets", "【单位名称】", Some("【单位名称】")),
            ("underscores", "经费＿＿万元", Some("＿＿")),
            ("某某", "某某同志", Some("某某")),
            ("a size", "XXL", None),
            ("a single 某", "某市数据局", None),
            ("a bracketed number", "［2024］", None),
            ("plain text", "请按时报送。", None),
        ] {
            assert_eq!(placeholder(text).as_deref(), found, "{case}: {text}");
        }
    }

    #[test]
    fn repeated_sentences_are_told_from_different_ones() {
        assert!(same_sentence(
            "为保障政务云平台稳定运行，拟对数据中心进行扩容。",
            "为保障政务云平台稳定运行,拟对数据中心进行扩容"
        ));
        assert!(same_sentence(
            "为保障全市政务云平台稳定运行，拟对数据中心进行扩容。",
            "为保障政务云平台稳定运行，拟对数据中心进行扩容。"
        ));
        assert!(!same_sentence(
            "为保障政务云平台稳定运行，拟对数据中心进行扩容。",
            "请各单位于3月31日前报送扩容方案。"
        ));
        assert!(
            !same_sentence("要高度重视。", "要高度重视此事。"),
            "short sentences repeat only when equal"
        );
    }
}
