//! Recognising the number in front of a heading of 公文 structure: 一、 （一） 1. （1）
//! (GB/T 9704-2012 7.3.3), and the common ways of writing them wrongly.

/// The Han numerals a heading number is written with.
const HAN_NUMERALS: &str = "一二三四五六七八九十";

/// A heading number at the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadingMarker {
    /// 1 一、, 2 （一）, 3 1., 4 （1）.
    pub level: u8,
    /// Length of the marker in bytes: the heading's text starts at `line[len..]`.
    pub len: usize,
}

/// The heading number at the very start of `line`, if there is one. Besides the standard forms,
/// half-width brackets ((一) (1)), a full-width point (1．) and 1、 are read at their level, so
/// that a checker can point at them; "1.5亿" is a number, not a heading.
pub fn heading_marker(line: &str) -> Option<HeadingMarker> {
    let chars: Vec<char> = line.chars().collect();
    let run = |pred: &dyn Fn(char) -> bool, from: usize| -> usize {
        let mut n = from;
        while n < chars.len() && pred(chars[n]) {
            n += 1;
        }
        n
    };
    let is_han_numeral = |c: char| HAN_NUMERALS.contains(c);
    let marker = |level: u8, chars_taken: usize| {
        let len = chars[..chars_taken].iter().map(|c| c.len_utf8()).sum();
        Some(HeadingMarker { level, len })
    };
    // 一、
    let n = run(&is_han_numeral, 0);
    if (1..=3).contains(&n) && chars.get(n) == Some(&'、') {
        return marker(1, n + 1);
    }
    // （一） or (一), （1） or (1)
    if chars.first().is_some_and(|&c| matches!(c, '（' | '(')) {
        let han = run(&is_han_numeral, 1);
        let digits = run(&|c| c.is_ascii_digit(), 1);
        let (level, end) = if (2..=4).contains(&han) {
            (2, han)
        } else if (2..=3).contains(&digits) {
            (4, digits)
        } else {
            (0, 0)
        };
        if level > 0 && chars.get(end).is_some_and(|&c| matches!(c, '）' | ')')) {
            return marker(level, end + 1);
        }
    }
    // 1. or 1． or 1、
    let digits = run(&|c| c.is_ascii_digit(), 0);
    if (1..=2).contains(&digits) {
        match chars.get(digits) {
            Some('.' | '．') if chars.get(digits + 1).is_some_and(char::is_ascii_digit) => {
                return None;
            }
            Some('.' | '．' | '、') => return marker(3, digits + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_numbers_are_read_with_their_level_and_length() {
        for (case, line, expected) in [
            ("level 1", "一、总体要求", Some((1, "一、"))),
            ("level 1 past ten", "十二、其他", Some((1, "十二、"))),
            ("level 2", "（一）工作目标", Some((2, "（一）"))),
            ("level 2 half-width", "(三)工作安排", Some((2, "(三)"))),
            ("level 3", "1.完成编制", Some((3, "1."))),
            (
                "level 3 full-width point",
                "12．完成编制",
                Some((3, "12．")),
            ),
            ("level 3 with 、", "2、完成编制", Some((3, "2、"))),
            ("level 4", "（1）按时报送", Some((4, "（1）"))),
            ("level 4 half-width", "(10)按时报送", Some((4, "(10)"))),
            ("a decimal is no heading", "1.5亿元", None),
            ("a year is no heading", "2024年", None),
            ("brackets around words", "（试行）", None),
            ("too many numerals", "一二三四、", None),
            ("plain text", "为加强管理", None),
            ("empty", "", None),
        ] {
            let got = heading_marker(line).map(|m| (m.level, &line[..m.len]));
            assert_eq!(got, expected, "{case}: {line:?}");
        }
    }
}
