//! Inputs longer than a model's context, cut into pieces that fit it, and the plan for merging
//! what is made of the pieces back into one result (map-reduce).
//!
//! Input comes as blocks (a transcript's lines, a document's paragraphs), each in a group (a
//! speaker's turn, a section under a heading). A group stays in one piece whenever it fits in
//! one; a group that does not is cut between blocks, and a block that does not fit alone is cut
//! between sentences. Only a sentence longer than the whole budget is cut inside, at character
//! boundaries. Pieces do not overlap: every character of the input is in exactly one piece.
//!
//! Token counts come from the caller (the model's tokenizer, or [`estimate_tokens`] where no
//! model is loaded), and a piece's count is the sum of its parts' counts.

use std::ops::Range;

use crate::text::{is_cjk, sentences};

/// A block of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block<'a> {
    pub text: &'a str,
    /// Consecutive blocks with the same group are kept in one piece when they fit.
    pub group: usize,
    /// Tokens the block costs besides its text when shown to the model (its line number and
    /// speaker, the line break).
    pub extra: usize,
    /// Whether the block starts a new piece (the first block of a file).
    pub fresh: bool,
}

/// A run of one block's text in a piece: the whole block, or some of its sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The block's index.
    pub block: usize,
    /// Byte range in the block's text.
    pub start: usize,
    pub end: usize,
    /// Tokens, with the block's extra.
    pub tokens: usize,
}

/// One piece: spans in input order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub spans: Vec<Span>,
    pub tokens: usize,
}

impl Piece {
    /// The blocks the piece touches, first to last.
    pub fn blocks(&self) -> Range<usize> {
        let first = self.spans.first().map_or(0, |s| s.block);
        let last = self.spans.last().map_or(0, |s| s.block + 1);
        first..last
    }
}

/// A rough token count that errs high for the tokenizers of Chinese models: one per Chinese
/// character, one per two other characters, one more for the run.
pub fn estimate_tokens(text: &str) -> usize {
    let (cjk, other) = text.chars().fold((0usize, 0usize), |(cjk, other), c| {
        if is_cjk(c) {
            (cjk + 1, other)
        } else {
            (cjk, other + 1)
        }
    });
    cjk + other.div_ceil(2) + 1
}

/// Cuts `blocks` into pieces of at most `budget` tokens each (`budget` must leave room for at
/// least a few characters beside each block's extra).
pub fn split(blocks: &[Block<'_>], budget: usize, count: &dyn Fn(&str) -> usize) -> Vec<Piece> {
    let spans = block_spans(blocks, budget, count);
    let mut pieces: Vec<Piece> = Vec::new();
    let mut current = Piece {
        spans: Vec::new(),
        tokens: 0,
    };
    let flush = |current: &mut Piece, pieces: &mut Vec<Piece>| {
        if !current.spans.is_empty() {
            pieces.push(std::mem::replace(
                current,
                Piece {
                    spans: Vec::new(),
                    tokens: 0,
                },
            ));
        }
    };
    let mut start = 0;
    while start < spans.len() {
        let group = blocks[spans[start].block].group;
        let end = spans[start..]
            .iter()
            .position(|s| blocks[s.block].group != group)
            .map_or(spans.len(), |n| start + n);
        let members = &spans[start..end];
        let tokens: usize = members.iter().map(|s| s.tokens).sum();
        if blocks[members[0].block].fresh {
            flush(&mut current, &mut pieces);
        }
        if current.tokens + tokens <= budget {
            current.spans.extend_from_slice(members);
            current.tokens += tokens;
        } else if tokens <= budget {
            flush(&mut current, &mut pieces);
            current.spans.extend_from_slice(members);
            current.tokens = tokens;
        } else {
            // The group is over the budget on its own: it is cut between its spans.
            for span in members {
                if current.tokens + span.tokens > budget {
                    flush(&mut current, &mut pieces);
                }
                current.spans.push(*span);
                current.tokens += span.tokens;
            }
        }
        start = end;
    }
    flush(&mut current, &mut pieces);
    pieces
}

/// Each block as one span, or as runs of its sentences when it is over the budget alone.
fn block_spans(blocks: &[Block<'_>], budget: usize, count: &dyn Fn(&str) -> usize) -> Vec<Span> {
    let mut out = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        let whole = count(block.text) + block.extra;
        if whole <= budget {
            out.push(Span {
                block: index,
                start: 0,
                end: block.text.len(),
                tokens: whole,
            });
            continue;
        }
        let room = budget.saturating_sub(block.extra).max(1);
        let mut run: Option<Span> = None;
        let mut offset = 0;
        for sentence in sentences(block.text) {
            let parts = if count(sentence) <= room {
                vec![(offset, offset + sentence.len(), count(sentence))]
            } else {
                cut_sentence(sentence, offset, room, count)
            };
            offset += sentence.len();
            for (start, end, tokens) in parts {
                match run.as_mut() {
                    Some(r) if r.tokens + tokens <= budget => {
                        r.end = end;
                        r.tokens += tokens;
                    }
                    _ => {
                        out.extend(run.take());
                        run = Some(Span {
                            block: index,
                            start,
                            end,
                            tokens: tokens + block.extra,
                        });
                    }
                }
            }
        }
        out.extend(run);
    }
    out
}

/// A sentence over `room` tokens cut at character boundaries into runs of at most `room` bytes
/// (a token is at least a byte, so each fits), as (start, end, tokens) from `offset`.
fn cut_sentence(
    sentence: &str,
    offset: usize,
    room: usize,
    count: &dyn Fn(&str) -> usize,
) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < sentence.len() {
        let mut end = (start + room).min(sentence.len());
        while !sentence.is_char_boundary(end) {
            end -= 1;
        }
        if end == start {
            // One character wider than the room: it goes alone.
            end = start + sentence[start..].chars().next().map_or(1, char::len_utf8);
        }
        let tokens = count(&sentence[start..end]).min(room);
        out.push((offset + start, offset + end, tokens));
        start = end;
    }
    out
}

/// One level of a merge: consecutive results grouped, each group with at least two results
/// (unless one is all there is) and at most `fan_in`, whose sizes add up to at most `budget`
/// where the results allow it. Every level at least halves the count, so merging level by
/// level ends after at most log2(n) levels.
pub fn merge_groups(sizes: &[usize], budget: usize, fan_in: usize) -> Vec<Range<usize>> {
    let fan_in = fan_in.max(2);
    let n = sizes.len();
    let mut groups: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        let mut total = sizes[start];
        while end < n && end - start < fan_in && total + sizes[end] <= budget {
            total += sizes[end];
            end += 1;
        }
        if end - start == 1 && end < n {
            // Two results always merge, so that the level makes progress.
            end += 1;
        }
        groups.push(start..end);
        start = end;
    }
    // A last result left alone joins the group before it.
    if groups.len() > 1 && groups.last().is_some_and(|g| g.len() == 1) {
        let last = groups.pop().map_or(n, |g| g.end);
        if let Some(before) = groups.last_mut() {
            before.end = last;
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A transcript-like input: turns of several sentences by alternating speakers.
    fn turns(n: usize) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        for turn in 0..n {
            let lines = 1 + turn % 4;
            for line in 0..lines {
                let sentences = 1 + (turn * 7 + line) % 5;
                let text: String = (0..sentences)
                    .map(|s| format!("第{turn}轮第{line}行第{s}句关于数据共享平台建设的意见。"))
                    .collect();
                out.push((text, turn));
            }
        }
        out
    }

    fn blocks(input: &[(String, usize)]) -> Vec<Block<'_>> {
        input
            .iter()
            .map(|(text, group)| Block {
                text,
                group: *group,
                extra: 4,
                fresh: false,
            })
            .collect()
    }

    fn text_of(piece: &Piece, blocks: &[Block<'_>]) -> String {
        piece
            .spans
            .iter()
            .map(|s| &blocks[s.block].text[s.start..s.end])
            .collect()
    }

    #[test]
    fn every_character_is_in_exactly_one_piece_and_pieces_fit() {
        let input = turns(400);
        let blocks = blocks(&input);
        let all: String = blocks.iter().map(|b| b.text).collect();
        // The budgets a 2,048- and an 8,192-token context leave for a piece beside the prompt
        // and the answer.
        for budget in [1_200, 6_000] {
            let pieces = split(&blocks, budget, &estimate_tokens);
            assert!(pieces.len() > 1);
            let joined: String = pieces.iter().map(|p| text_of(p, &blocks)).collect();
            assert_eq!(joined, all, "budget {budget}");
            for piece in &pieces {
                let counted: usize = piece
                    .spans
                    .iter()
                    .map(|s| estimate_tokens(&blocks[s.block].text[s.start..s.end]) + 4)
                    .sum();
                assert!(counted <= budget, "{counted} > {budget}");
                assert_eq!(counted, piece.tokens);
            }
        }
    }

    #[test]
    fn turns_and_sentences_stay_whole() {
        let input = turns(200);
        let blocks = blocks(&input);
        let pieces = split(&blocks, 300, &estimate_tokens);
        // A turn that fits in 300 tokens lies in one piece, whole.
        let mut whole = 0;
        for turn in 0..200 {
            let tokens: usize = blocks
                .iter()
                .filter(|b| b.group == turn)
                .map(|b| estimate_tokens(b.text) + b.extra)
                .sum();
            if tokens > 300 {
                continue;
            }
            whole += 1;
            let holding: Vec<usize> = pieces
                .iter()
                .enumerate()
                .filter(|(_, p)| p.spans.iter().any(|s| blocks[s.block].group == turn))
                .map(|(i, _)| i)
                .collect();
            assert_eq!(holding.len(), 1, "turn {turn} is in pieces {holding:?}");
        }
        assert!(whole > 100, "only {whole} turns fit");
        for piece in &pieces {
            for span in &piece.spans {
                assert_eq!((span.start, span.end), (0, blocks[span.block].text.len()));
            }
        }
    }

    #[test]
    fn a_block_over_the_budget_is_cut_between_sentences_only() {
        let text: String = (0..60)
            .map(|i| format!("这是第{i}句话，讲会议的安排。"))
            .collect();
        let blocks = [Block {
            text: &text,
            group: 0,
            extra: 3,
            fresh: false,
        }];
        let pieces = split(&blocks, 100, &estimate_tokens);
        assert!(pieces.len() > 3);
        for piece in &pieces {
            let part = text_of(piece, &blocks);
            assert!(part.ends_with('。'), "{part}");
            assert!(piece.tokens <= 100);
        }
        let joined: String = pieces.iter().map(|p| text_of(p, &blocks)).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn a_sentence_over_the_budget_is_cut_at_characters() {
        let text = "字".repeat(500);
        let blocks = [Block {
            text: &text,
            group: 0,
            extra: 0,
            fresh: false,
        }];
        let pieces = split(&blocks, 64, &estimate_tokens);
        let joined: String = pieces.iter().map(|p| text_of(p, &blocks)).collect();
        assert_eq!(joined, text);
        assert!(pieces.iter().all(|p| p.tokens <= 64));
    }

    #[test]
    fn a_fresh_block_starts_a_piece() {
        let texts = ["甲。", "乙。", "丙。"];
        let blocks: Vec<Block<'_>> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| Block {
                text,
                group: i,
                extra: 1,
                fresh: i == 2,
            })
            .collect();
        let pieces = split(&blocks, 100, &estimate_tokens);
        let ranges: Vec<_> = pieces.iter().map(Piece::blocks).collect();
        assert_eq!(ranges, [0..2, 2..3]);
    }

    /// Levels of merging `n` results of `size` tokens until one is left, each merge giving a
    /// result of at most `cap` tokens.
    fn depth(n: usize, size: usize, cap: usize, budget: usize, fan_in: usize) -> usize {
        let mut sizes = vec![size; n];
        let mut levels = 0;
        while sizes.len() > 1 {
            let groups = merge_groups(&sizes, budget, fan_in);
            assert!(groups.len() <= sizes.len().div_ceil(2), "no progress");
            let mut covered = 0;
            for g in &groups {
                assert_eq!(g.start, covered);
                assert!(g.len() >= 2);
                covered = g.end;
            }
            assert_eq!(covered, sizes.len());
            sizes = groups
                .iter()
                .map(|g| sizes[g.clone()].iter().sum::<usize>().min(cap))
                .collect();
            levels += 1;
        }
        levels
    }

    #[test]
    fn merging_ends_in_logarithmic_depth() {
        for n in [1, 2, 3, 7, 64, 100, 1_000, 10_000] {
            let log2 = (n as f64).log2().ceil() as usize;
            // Merged results as small as the first ones, four to a group: log4(n) levels.
            let d = depth(n, 100, 100, 400, 4);
            let log4 = (n as f64).log(4.0).ceil() as usize;
            assert!(
                d <= log4 && (n == 1 || d >= 1),
                "n={n}: {d} levels > {log4}"
            );
            // Results so large that only two fit: still at most log2(n) levels.
            let d = depth(n, 300, 300, 600, 8);
            assert!(d <= log2, "n={n}: {d} levels > {log2}");
        }
        assert_eq!(depth(1, 100, 300, 400, 4), 0);
    }
}
