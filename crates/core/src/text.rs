//! Text helpers: the Chinese text toolkit every crate shares (which characters are Chinese,
//! width folding, sentences, heading numbers, words and their parts of speech, words that do not
//! belong in a 公文) and turning a byte stream of token pieces into whole characters.

mod chars;
mod heading;
mod secrets;
mod sentences;
mod talk;
mod words;

pub use chars::{fold_width, is_cjk, is_han};
pub use heading::{HeadingMarker, heading_marker};
pub use secrets::{
    DataMarking, SecretMarking, data_marking_in, is_secret_level, secret_marking_in,
};
pub use sentences::sentences;
pub use talk::{bigrams, placeholder, same_sentence, sentence_key, task_talk};
pub use words::{Word, jieba, tagged};

/// Joins token pieces into UTF-8 text, holding back the bytes of a character that a token split.
///
/// Chinese characters are three bytes and byte-level tokenizers often cut them across tokens;
/// emitting each piece as it comes would show replacement characters.
#[derive(Debug, Default)]
pub struct Utf8Stream {
    pending: Vec<u8>,
}

impl Utf8Stream {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes and returns the text that is now complete (possibly empty).
    pub fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let mut out = String::new();
        loop {
            match std::str::from_utf8(&self.pending) {
                Ok(text) => {
                    out.push_str(text);
                    self.pending.clear();
                    return out;
                }
                Err(err) => {
                    let valid = err.valid_up_to();
                    // SAFETY-free: the prefix up to `valid` is UTF-8 by the error's contract.
                    out.push_str(&String::from_utf8_lossy(&self.pending[..valid]));
                    match err.error_len() {
                        // An incomplete character at the end: keep it for the next piece.
                        None => {
                            self.pending.drain(..valid);
                            return out;
                        }
                        // Bytes that can never become UTF-8: show them as U+FFFD and go on.
                        Some(bad) => {
                            out.push(char::REPLACEMENT_CHARACTER);
                            self.pending.drain(..valid + bad);
                        }
                    }
                }
            }
        }
    }

    /// Whatever is left at the end of the stream, with an unfinished character replaced.
    pub fn finish(&mut self) -> String {
        let rest = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_chinese_character_is_held_until_complete() {
        let bytes = "公文".as_bytes();
        let mut stream = Utf8Stream::new();
        assert_eq!(
            stream.push(&bytes[..2]),
            "",
            "half a character must not be emitted"
        );
        assert_eq!(
            stream.push(&bytes[2..4]),
            "公",
            "the first character completes"
        );
        assert_eq!(stream.push(&bytes[4..]), "文");
        assert_eq!(stream.finish(), "");
    }

    #[test]
    fn invalid_bytes_become_replacement_and_stream_continues() {
        let mut stream = Utf8Stream::new();
        assert_eq!(stream.push(b"a\xffb"), "a\u{fffd}b");
    }

    #[test]
    fn unfinished_character_at_end_is_replaced() {
        let mut stream = Utf8Stream::new();
        assert_eq!(stream.push(&"文".as_bytes()[..1]), "");
        assert_eq!(stream.finish(), "\u{fffd}");
    }
}
