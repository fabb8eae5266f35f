//! Splitting Chinese text into sentences, each keeping its end mark and the quotes and brackets
//! that close after it.

/// Marks that end a sentence (or, for ；, a clause that stands alone in a list of measures).
const ENDS: [char; 6] = ['。', '！', '？', '；', '!', '?'];

/// Closing quotes and brackets: after an end mark they close the sentence that ends there, so
/// they stay with it (他说：“好。” is one sentence, and the next one does not open with ”).
const CLOSERS: [char; 7] = ['”', '’', '」', '』', '）', '》', ')'];

/// Splits after each sentence end (。！？；!?) and the closing quotes or brackets right after it,
/// keeping them; text after the last end is a last piece of its own. Nothing is dropped:
/// the pieces joined give `text` back.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !ENDS.contains(&c) {
            continue;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, q)) = chars.peek() {
            if !CLOSERS.contains(&q) {
                break;
            }
            end = j + q.len_utf8();
            chars.next();
        }
        out.push(&text[start..end]);
        start = end;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_keep_their_marks_and_closing_quotes() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "a closing double quote stays with its sentence",
                "他说：“好。”然后走了！还有",
                &["他说：“好。”", "然后走了！", "还有"],
            ),
            (
                "single quote inside double quotes",
                "通知要求：“务必‘按时报送’。’”下一句。",
                &["通知要求：“务必‘按时报送’。’”", "下一句。"],
            ),
            (
                "corner brackets",
                "「请批示。」『已阅。』完",
                &["「请批示。」", "『已阅。』", "完"],
            ),
            (
                "full-width bracket after the end",
                "（详见附件。）此外，另有安排？",
                &["（详见附件。）", "此外，另有安排？"],
            ),
            (
                "book title marks",
                "印发《关于加强管理的通知。》请遵照执行。",
                &["印发《关于加强管理的通知。》", "请遵照执行。"],
            ),
            (
                "half-width bracket and marks",
                "(见附件!)好吗?好",
                &["(见附件!)", "好吗?", "好"],
            ),
            (
                "semicolons end clauses",
                "一是加强领导；二是落实责任。",
                &["一是加强领导；", "二是落实责任。"],
            ),
            (
                "an opening quote starts the next sentence",
                "会议强调。“数据”是要素。",
                &["会议强调。", "“数据”是要素。"],
            ),
            ("no end mark", "没有句号", &["没有句号"]),
            ("empty", "", &[]),
        ];
        for (case, text, expected) in cases {
            let got = sentences(text);
            assert_eq!(&got, expected, "{case}: {text:?}");
            assert_eq!(got.concat(), *text, "{case}: the pieces give the text back");
        }
    }
}
