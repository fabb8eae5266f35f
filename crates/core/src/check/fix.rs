//! The mechanical fixes: 发文字号 brackets and 第, date forms, half-width punctuation in Chinese
//! text and heading numbers, applied line by line without ever changing the wording.

use super::Change;
use super::recognise::{clean, find_dates, find_number, heading, layout};
use crate::text::{is_cjk, is_han};

/// Whether the half-width `c` at `i` sits in Chinese text (and is not a time, number or URL).
pub(crate) fn misplaced_halfwidth(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    let prev = i.checked_sub(1).map(|p| chars[p]);
    let next = chars.get(i + 1).copied();
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    match c {
        // 9:30, 1,000 and 3:2 stay half-width.
        ':' | ',' if digit(prev) && digit(next) => false,
        ':' if next == Some('/') => false,
        ',' | ';' | ':' | '?' | '!' => prev.is_some_and(is_cjk) || next.is_some_and(is_cjk),
        // A full stop after Chinese (20万元.), at the end or before more Chinese; not 一. as a
        // heading number, not a file name or an address (附件.docx, gov.cn).
        '.' => {
            prev.is_some_and(|p| is_han(p) && !"一二三四五六七八九十".contains(p))
                && next.is_none_or(|n| n.is_whitespace() || (is_cjk(n) && !n.is_ascii_digit()))
        }
        '(' => {
            // Brackets around Chinese: (一) or (试行).
            chars[i + 1..]
                .iter()
                .take_while(|&&c| c != ')')
                .any(|&c| is_han(c))
        }
        ')' => chars[..i]
            .iter()
            .rev()
            .take_while(|&&c| c != '(')
            .any(|&c| is_han(c)),
        _ => false,
    }
}

fn fullwidth(c: char) -> char {
    match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '.' => '。',
        '(' => '（',
        ')' => '）',
        other => other,
    }
}

/// `line` with its misplaced half-width punctuation made full-width.
pub(crate) fn fix_punctuation(line: &str) -> String {
    // A half-width colon after 附件 or 抄送 is misplaced half-width punctuation too, so this also
    // repairs what `label-colon` reports.
    let chars: Vec<char> = line.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if misplaced_halfwidth(&chars, i) {
                fullwidth(c)
            } else {
                c
            }
        })
        .collect()
}

/// Applies the mechanical fixes (发文字号 brackets and 第, date forms, half-width punctuation,
/// heading markers) to every line; wording is never changed. Returns the new text and what changed.
pub fn fix_text(text: &str) -> (String, Vec<Change>) {
    let mut changes = Vec::new();
    let mut out = String::with_capacity(text.len());
    let raw: Vec<&str> = text.split_inclusive('\n').collect();
    let cleaned: Vec<&str> = raw.iter().map(|l| clean(l)).collect();
    let body = layout(&cleaned).body;
    for (i, piece) in raw.iter().enumerate() {
        let (line, ending) = match piece.strip_suffix("\r\n") {
            Some(l) => (l, "\r\n"),
            None => piece.strip_suffix('\n').map_or((*piece, ""), |l| (l, "\n")),
        };
        let mut fixed = line.to_string();
        if let Some(number) = find_number(&fixed)
            && !number.prefix.ends_with('字')
            && number.year.len() == 4
        {
            fixed.replace_range(number.start..number.end, &number.canonical());
        }
        for mention in find_dates(&fixed).into_iter().rev() {
            if !mention.is_standard() {
                fixed.replace_range(mention.start..mention.end, &mention.date.to_string());
            }
        }
        fixed = fix_punctuation(&fixed);
        if body.contains(&i) {
            let lead = fixed.len() - fixed.trim_start().len();
            if let Some(h) = heading(clean(&fixed))
                && let Some(marker) = h.fixed_marker
                && fixed[lead..].starts_with(&h.marker)
            {
                fixed.replace_range(lead..lead + h.marker.len(), &marker);
            }
        }
        if fixed != line {
            changes.push(Change {
                line: i + 1,
                before: line.to_string(),
                after: fixed.clone(),
            });
        }
        out.push_str(&fixed);
        out.push_str(ending);
    }
    (out, changes)
}
