//! The Chinese tokenizer for the index: Traditional folded to Simplified and full-width letters
//! and digits to ASCII, segmented by jieba in search mode (words and the shorter words inside
//! them), lower-cased, with offsets into the original text so that snippets highlight what the
//! document says, in whichever script it says it.

use jieba_rs::TokenizeMode;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use wenshu_core::text::fold_width;

/// The name the tokenizer is registered under in the index.
pub const NAME: &str = "wenshu_zh";

/// Folds a text to the form that is indexed and searched: Simplified, ASCII letters and digits
/// in lower case. One character in, one character out, so offsets carry over.
pub fn fold(text: &str) -> String {
    let simplified = fast2s::convert(text);
    simplified
        .chars()
        .map(|c| fold_width(c).to_ascii_lowercase())
        .collect()
}

/// Words of `text` as the index sees them (for queries and tests).
pub fn words(text: &str) -> Vec<String> {
    let mut tokenizer = ChineseTokenizer;
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ChineseTokenizer;

#[derive(Debug)]
pub struct ChineseTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for ChineseTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for ChineseTokenizer {
    type TokenStream<'a> = ChineseTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ChineseTokenStream {
        let folded = fold(text);
        // Byte offset of each character of the original; the folded text has the same characters
        // in number (fast2s maps one to one), but a fallback keeps offsets in range if not.
        let mut byte_at: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        byte_at.push(text.len());
        let last = byte_at.len() - 1;
        let mut tokens: Vec<Token> = wenshu_core::text::jieba()
            .tokenize(&folded, TokenizeMode::Search, true)
            .into_iter()
            .filter(|t| t.word.chars().any(char::is_alphanumeric))
            .map(|t| Token {
                offset_from: byte_at[t.start.min(last)],
                offset_to: byte_at[t.end.min(last)],
                position: t.start,
                position_length: t.end - t.start,
                text: t.word.to_string(),
            })
            .collect();
        // Search mode emits the words inside a longer word before it (数据 before 公共数据, which
        // starts earlier); snippets need offsets in order.
        tokens.sort_by_key(|t| (t.offset_from, t.offset_to));
        ChineseTokenStream { tokens, next: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_and_simplified_give_the_same_words() {
        assert_eq!(words("數據要素"), words("数据要素"));
        let w = words("公共数据资源");
        assert!(w.contains(&"数据".to_string()), "{w:?}");
        assert!(w.contains(&"公共".to_string()), "{w:?}");
    }

    #[test]
    fn offsets_point_into_the_original_in_order() {
        let text = "推進數據要素市場化，ＡＩ應用。";
        let mut tokenizer = ChineseTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut last = 0;
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            assert!(t.offset_from >= last, "non-decreasing offsets");
            last = t.offset_from;
            seen.push((t.text.clone(), text[t.offset_from..t.offset_to].to_string()));
        }
        assert!(
            seen.contains(&("数据".to_string(), "數據".to_string())),
            "{seen:?}"
        );
        assert!(
            seen.contains(&("ai".to_string(), "ＡＩ".to_string())),
            "{seen:?}"
        );
        assert!(
            seen.iter().all(|(w, _)| w != "，" && w != "。"),
            "no punctuation"
        );
    }
}
