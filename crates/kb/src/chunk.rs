//! Chunking a document for retrieval: by its headings (一、 （一） 1. levels) and paragraphs, a
//! few hundred characters each with a small overlap, never splitting a sentence. Each chunk keeps
//! its page, its heading path and its character offsets in the document's text.

use wenshu_core::check::heading_level;
/// The sentence splitter chunks are cut with; kept at this path for the crates that split here.
pub use wenshu_core::text::sentences;

pub use wenshu_core::source::Paragraph;

/// A piece of a document as it is indexed and cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Position in the document, from 0.
    pub ordinal: u32,
    /// The page the chunk starts on.
    pub page: Option<u32>,
    /// The headings above the chunk, outermost first.
    pub heading_path: Vec<String>,
    /// Character offsets of the chunk in the document text (paragraphs joined by newlines).
    pub start: usize,
    pub end: usize,
    /// The original text.
    pub text: String,
}

/// Sizes in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkSize {
    /// A chunk is closed once it reaches this many characters.
    pub target: usize,
    /// No chunk grows beyond this, unless one sentence is longer.
    pub max: usize,
    /// Characters of the previous chunk's last sentences repeated at the start of the next.
    pub overlap: usize,
}

impl Default for ChunkSize {
    fn default() -> Self {
        Self {
            target: 300,
            max: 500,
            overlap: 60,
        }
    }
}

/// A sentence waiting to go into a chunk.
#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    text: &'a str,
    start: usize,
    page: Option<u32>,
    /// Which paragraph it is from: pieces of different paragraphs are joined by a newline.
    paragraph: usize,
}

struct Chunker<'a> {
    size: ChunkSize,
    chunks: Vec<Chunk>,
    path: Vec<String>,
    current: Vec<Piece<'a>>,
    /// How many pieces at the start of `current` repeat the previous chunk.
    carried: usize,
}

impl<'a> Chunker<'a> {
    fn chars(&self) -> usize {
        self.current.iter().map(|p| p.text.chars().count()).sum()
    }

    /// Closes the current chunk; with `overlap`, its last sentences open the next one.
    fn flush(&mut self, overlap: bool) {
        if self.current.len() == self.carried {
            // Nothing new since the last chunk.
            self.current.clear();
            self.carried = 0;
            return;
        }
        let first = self.current[0];
        let last = self.current[self.current.len() - 1];
        self.chunks.push(Chunk {
            ordinal: u32::try_from(self.chunks.len()).unwrap_or(u32::MAX),
            page: first.page,
            heading_path: self.path.clone(),
            start: first.start,
            end: last.start + last.text.chars().count(),
            text: {
                let mut text = String::new();
                for (i, p) in self.current.iter().enumerate() {
                    if i > 0 && self.current[i - 1].paragraph != p.paragraph {
                        text.push('\n');
                    }
                    text.push_str(p.text);
                }
                text
            },
        });
        let mut kept = Vec::new();
        if overlap {
            let mut chars = 0;
            while let Some(piece) = self.current.pop() {
                let n = piece.text.chars().count();
                if chars + n > self.size.overlap {
                    break;
                }
                chars += n;
                kept.push(piece);
            }
            kept.reverse();
        }
        self.carried = kept.len();
        self.current = kept;
    }

    fn push(&mut self, piece: Piece<'a>) {
        let n = piece.text.chars().count();
        if self.current.len() > self.carried && self.chars() + n > self.size.max {
            self.flush(true);
        }
        self.current.push(piece);
        if self.chars() >= self.size.target {
            self.flush(true);
        }
    }
}

/// Chunks `paragraphs`.
pub fn chunk(paragraphs: &[Paragraph], size: ChunkSize) -> Vec<Chunk> {
    let mut chunker = Chunker {
        size,
        chunks: Vec::new(),
        path: Vec::new(),
        current: Vec::new(),
        carried: 0,
    };
    let mut levels: Vec<(u8, String)> = Vec::new();
    let mut offset = 0usize;
    for (index, paragraph) in paragraphs.iter().enumerate() {
        let text = paragraph.text.as_str();
        let length = text.chars().count();
        // A short numbered line starts a section: what came before is closed, without overlap
        // into the new section, and the heading opens the section's first chunk.
        if let Some(level) = heading_level(text).filter(|&l| l <= 2 || length <= 30) {
            chunker.flush(false);
            levels.retain(|(l, _)| *l < level);
            levels.push((level, text.trim().to_string()));
            chunker.path = levels.iter().map(|(_, t)| t.clone()).collect();
        }
        let mut at = offset;
        for sentence in sentences(text) {
            chunker.push(Piece {
                text: sentence,
                start: at,
                page: paragraph.page,
                paragraph: index,
            });
            at += sentence.chars().count();
        }
        offset += length + 1;
    }
    chunker.flush(false);
    chunker.chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(texts: &[&str]) -> Vec<Paragraph> {
        texts
            .iter()
            .map(|t| Paragraph {
                text: (*t).to_string(),
                page: Some(1),
            })
            .collect()
    }

    #[test]
    fn chunks_follow_headings_and_keep_sentences_whole() {
        let long = "各单位要按照统一部署推进数据治理工作，确保按时完成。".repeat(20);
        let doc = paragraphs(&[
            "为加强政务数据管理，制定本办法。",
            "一、总体要求",
            &long,
            "二、职责分工",
            "（一）牵头单位",
            "省政务服务数据管理局负责统筹协调。",
        ]);
        let chunks = chunk(&doc, ChunkSize::default());
        assert!(chunks.len() >= 4, "{chunks:#?}");
        let text: String = doc
            .iter()
            .map(|p| p.text.clone())
            .collect::<Vec<_>>()
            .join("\n");
        let all: Vec<char> = text.chars().collect();
        for (i, c) in chunks.iter().enumerate() {
            let len = c.text.chars().count();
            assert!(
                len <= 500,
                "chunk {i} has at most 500 characters, has {len}"
            );
            // Offsets point at the chunk's text, paragraph breaks included.
            let span: String = all[c.start..c.end].iter().collect();
            assert_eq!(
                span, c.text,
                "chunk {i}: offsets {}..{} point at its text",
                c.start, c.end
            );
            assert!(
                c.text.ends_with(['。', '求', '工', '位']),
                "chunk {i} ends on a sentence or a heading: {}",
                c.text
            );
        }
        let last = chunks.last().expect("chunks");
        assert_eq!(last.heading_path, ["二、职责分工", "（一）牵头单位"]);
        assert!(last.text.starts_with("（一）牵头单位"));
        // Long sections overlap by a sentence.
        let body: Vec<&Chunk> = chunks
            .iter()
            .filter(|c| c.heading_path == ["一、总体要求"])
            .collect();
        assert!(body.len() >= 2);
        assert!(body[1].start < body[0].end, "overlap");
    }
}
