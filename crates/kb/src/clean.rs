//! Text as it is indexed: full-width letters and digits folded to ASCII, inline pinyin glosses
//! that some republishers add (數(shù)據(jù)) removed, and whitespace collapsed, with no space
//! left between Chinese characters and digits (PDF extraction puts them there: "2023 年").
//! The original text is kept beside it for display and citations.

use wenshu_core::text::{fold_width, is_cjk, is_han};

const TONED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ";

/// Whether `gloss` (the text inside the brackets) is a pinyin syllable as glosses write it.
fn is_pinyin(gloss: &str) -> bool {
    let n = gloss.chars().count();
    (1..=7).contains(&n)
        && gloss
            .chars()
            .all(|c| c.is_ascii_lowercase() || TONED.contains(c) || c == 'ü' || c == 'ê')
}

/// Removes `(shù)` after a Chinese character when it is a pinyin gloss: it carries a tone mark,
/// or it is plain letters between two Chinese characters (a neutral tone inside glossed text).
pub fn remove_pinyin_glosses(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        if !is_han(c) || i >= chars.len() || !matches!(chars[i], '(' | '（') {
            continue;
        }
        let Some(close) = chars[i + 1..]
            .iter()
            .take(9)
            .position(|&c| matches!(c, ')' | '）'))
        else {
            continue;
        };
        let gloss: String = chars[i + 1..i + 1 + close].iter().collect();
        let toned = gloss.chars().any(|c| TONED.contains(c));
        let next_is_cjk = chars.get(i + close + 2).is_some_and(|&c| is_han(c));
        if is_pinyin(&gloss) && (toned || next_is_cjk) {
            i += close + 2;
        }
    }
    out
}

/// The text to index: widths folded, glosses removed, whitespace collapsed.
pub fn clean(text: &str) -> String {
    let folded: String = remove_pinyin_glosses(text)
        .chars()
        .map(fold_width)
        .collect();
    let mut out = String::with_capacity(folded.len());
    let mut pending_space = false;
    for c in folded.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            let before = out.chars().next_back().unwrap_or(' ');
            let joins_cjk = (is_cjk(before) && (is_cjk(c) || c.is_ascii_digit()))
                || (before.is_ascii_digit() && is_cjk(c));
            if !joins_cjk {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_glosses_go_and_real_brackets_stay() {
        // From a republished copy of the Guangdong plan.
        assert_eq!(
            remove_pinyin_glosses("將數(shù)字技術廣泛應用於政府管理，公共數(shù)據(jù)資源"),
            "將數字技術廣泛應用於政府管理，公共數據資源"
        );
        assert_eq!(remove_pinyin_glosses("產(chǎn)業(yè)生態(tài)"), "產業生態");
        assert_eq!(
            remove_pinyin_glosses("的(de)数据"),
            "的数据",
            "neutral tone"
        );
        for kept in ["数据（试行）", "条例(2024)", "应用(app)。", "系统(AI)"] {
            assert_eq!(
                remove_pinyin_glosses(kept),
                kept,
                "{kept:?}: brackets that are no gloss stay"
            );
        }
    }

    #[test]
    fn widths_fold_and_spaces_collapse() {
        assert_eq!(
            clean("２０２３年ＡＩ　应用"),
            "2023年AI 应用",
            "a space after Latin stays"
        );
        assert_eq!(
            clean("截至 2023 年底，\n  共有 12 个系统。"),
            "截至2023年底，共有12个系统。"
        );
        assert_eq!(clean("GB/T  9704 -2012 标准"), "GB/T 9704 -2012标准");
        assert_eq!(
            clean("数据（试行）："),
            "数据（试行）：",
            "full-width punctuation stays"
        );
    }
}
