//! Wenshu's knowledge base: Chinese text cleaning, chunking by the structure of 公文, a tantivy
//! index with jieba segmentation and Traditional/Simplified folding, and search with snippets.

pub mod chunk;
pub mod clean;
pub mod index;
pub mod tokenizer;

pub use chunk::{Chunk, ChunkSize, Paragraph, chunk};
pub use index::{DocumentMeta, Hit, IndexError, KbIndex};
