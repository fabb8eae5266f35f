//! Chinese words: jieba's segmentation with its part-of-speech tags, from one dictionary that
//! every crate shares (the knowledge index segments with it too).

use std::sync::LazyLock;

use jieba_rs::Jieba;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// The segmenter, with its dictionary loaded on first use.
pub fn jieba() -> &'static Jieba {
    &JIEBA
}

/// A word of a text and its part of speech, as jieba tags it: `ns` a place, `nt` an
/// organisation, `nr` a person, `n` a noun, `v` a verb, `p` a preposition and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub tag: &'a str,
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
}

impl Word<'_> {
    /// Whether the word is a noun of some kind (a name, an abbreviation or a verb used as a
    /// noun included), the words a name is built of.
    pub fn is_nominal(&self) -> bool {
        matches!(
            self.tag,
            "n" | "nr"
                | "nrt"
                | "nrfg"
                | "ns"
                | "nt"
                | "nz"
                | "ng"
                | "j"
                | "vn"
                | "an"
                | "l"
                | "eng"
        )
    }
}

/// The words of `text` with their tags, by the dictionary alone (no guessing of unknown words,
/// so the same text always gives the same words).
pub fn tagged(text: &str) -> Vec<Word<'_>> {
    JIEBA
        .tag(text, false)
        .into_iter()
        .map(|t| Word {
            text: t.word,
            tag: t.tag,
            start: t.byte_start,
            end: t.byte_end,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_carry_their_part_of_speech() {
        let words = tagged("广州市财政局扩容数据中心");
        let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
        assert_eq!(texts.concat(), "广州市财政局扩容数据中心");
        let place = words
            .iter()
            .find(|w| w.text.starts_with("广州"))
            .expect("广州");
        assert_eq!(place.tag, "ns", "{words:?}");
    }
}
