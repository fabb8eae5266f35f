//! Which characters are Chinese, and full-width letters and digits folded to ASCII.

/// Whether `c` is a Han character: CJK Unified Ideographs, Extension A and the Compatibility
/// Ideographs (the blocks Chinese office text uses).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// Whether `c` belongs to Chinese text: a Han character, CJK punctuation (U+3000–U+303F: 。、「」
/// and the ideographic space) or a full-width form (U+FF00–U+FFEF: ，：（）and full-width letters).
/// Half-width punctuation next to such a character is out of place, and a space between two of
/// them means nothing.
pub fn is_cjk(c: char) -> bool {
    is_han(c) || matches!(c, '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}')
}

/// Full-width ASCII letters and digits as ASCII and the ideographic space as a space; everything
/// else (full-width punctuation included, which Chinese text needs) as it is. One character in,
/// one out, so offsets into the original carry over.
pub fn fold_width(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_characters_are_told_from_punctuation_and_latin() {
        for (case, c, han, cjk) in [
            ("common character", '文', true, true),
            ("extension A", '\u{3400}', true, true),
            ("compatibility ideograph", '\u{f900}', true, true),
            ("ideographic full stop", '。', false, true),
            ("ideographic space", '\u{3000}', false, true),
            ("full-width comma", '，', false, true),
            ("full-width letter", 'Ａ', false, true),
            ("half-width comma", ',', false, false),
            ("Latin letter", 'a', false, false),
            ("digit", '7', false, false),
        ] {
            assert_eq!(is_han(c), han, "{case}: is_han({c:?}) should be {han}");
            assert_eq!(is_cjk(c), cjk, "{case}: is_cjk({c:?}) should be {cjk}");
        }
    }

    #[test]
    fn full_width_letters_and_digits_fold_and_punctuation_stays() {
        for (case, from, to) in [
            ("digit", '２', '2'),
            ("upper-case letter", 'Ａ', 'A'),
            ("lower-case letter", 'ｚ', 'z'),
            ("ideographic space", '\u{3000}', ' '),
            ("full-width comma stays", '，', '，'),
            ("full-width bracket stays", '（', '（'),
            ("Han stays", '数', '数'),
        ] {
            assert_eq!(
                fold_width(from),
                to,
                "{case}: {from:?} should fold to {to:?}"
            );
        }
    }
}
