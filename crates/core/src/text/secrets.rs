//! Markings of state secrets (国家秘密) in text: the GB/T 9704 form `机密★1年`, a 密级 line, and
//! a bare 涉密 marking. Material so marked may not be stored or processed on a non-classified
//! device (保守国家秘密法 2024, art. 31); the finder only says where the marking is. A 工作秘密 or a
//! 商业秘密 is not a state secret, and a text that only speaks of 涉密 matters (a regulation on
//! 涉密人员) carries no marking.

/// A state-secret marking found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMarking {
    /// The marking as written, e.g. `机密★5年`.
    pub marking: String,
    /// Its line, from 1.
    pub line: usize,
}

/// The 密级 words, highest first.
const LEVELS: [&str; 3] = ["绝密", "机密", "秘密"];

/// Stars a marking may be written with.
const STARS: [char; 3] = ['★', '☆', '*'];

fn trimmed(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{feff}' | '\u{3000}'))
}

/// Whether what follows a marking on its line leaves it a marking: nothing, or a few
/// characters (an urgency, a copy number), not a sentence that speaks of one.
fn alone(rest: &str) -> bool {
    let rest = rest.trim();
    rest.chars().count() <= 8 && !rest.contains(['。', '，', '；', '、', '“', '”', '"', '（', '('])
}

/// `机密★5年`, `秘密★`, `绝密★长期` opening `line` (after a 份号, if any): the marking with its
/// period.
fn starred(line: &str) -> Option<String> {
    let start = line.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
    for level in LEVELS {
        let Some(after) = start.strip_prefix(level) else {
            continue;
        };
        let after = after.trim_start();
        let star = after.chars().next().filter(|c| STARS.contains(c))?;
        let tail = &after[star.len_utf8()..];
        let period: String = tail
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '，' | '。' | '；' | '、'))
            .take(6)
            .collect();
        return alone(&tail[period.len()..]).then(|| format!("{level}{star}{period}"));
    }
    None
}

/// A 密级 line: `密级：机密`, `密  级：秘密★1年`, `【密级】绝密`.
fn level_line(line: &str) -> Option<String> {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = compact
        .strip_prefix("【密级】")
        .or_else(|| compact.strip_prefix("密级："))
        .or_else(|| compact.strip_prefix("密级:"))
        .or_else(|| compact.strip_prefix("[密级]"))?;
    let level = LEVELS.iter().find(|l| rest.starts_with(**l))?;
    let tail = &rest[level.len()..];
    let period = tail
        .strip_prefix(|c: char| STARS.contains(&c))
        .map_or("", |p| p);
    let period: String = period
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .take(6)
        .collect();
    let after = tail.trim_start_matches(|c: char| STARS.contains(&c));
    alone(&after[period.len().min(after.len())..]).then(|| format!("密级：{level}"))
}

/// A level alone on its line, as GB/T 9704 prints it when no period is given: `机密`,
/// `【秘密】`.
fn bare_level(line: &str) -> Option<String> {
    let inner =
        line.trim_matches(|c: char| matches!(c, '【' | '】' | '（' | '）' | '(' | ')' | '[' | ']'));
    LEVELS
        .iter()
        .find(|l| inner == **l)
        .map(|l| (*l).to_string())
}

/// A bare 涉密 marking: a line that is only `涉密`, `涉密文件`, `【涉密】`, `（涉密）` and the like.
fn secret_marking(line: &str) -> Option<String> {
    let inner = line.trim_matches(|c: char| {
        matches!(
            c,
            '【' | '】' | '（' | '）' | '(' | ')' | '[' | ']' | '★' | '☆'
        )
    });
    matches!(
        inner,
        "涉密" | "涉密文件" | "涉密材料" | "涉密资料" | "涉密件" | "涉及国家秘密"
    )
    .then(|| line.to_string())
}

/// The first state-secret marking in `text`, if any.
pub fn secret_marking_in(text: &str) -> Option<SecretMarking> {
    for (n, raw) in text.lines().enumerate() {
        let line = trimmed(raw);
        if line.is_empty() {
            continue;
        }
        if let Some(marking) = starred(line)
            .or_else(|| level_line(line))
            .or_else(|| bare_level(line))
            .or_else(|| secret_marking(line))
        {
            return Some(SecretMarking {
                marking,
                line: n + 1,
            });
        }
    }
    None
}

/// A marking of the data levels below state secrets, found in a text: `内部资料`, `内部★`,
/// `【内部】` give 内部 (rank 1); `工作秘密`, `敏感信息` give 敏感 (rank 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataMarking {
    /// 1 for 内部, 2 for 敏感.
    pub rank: usize,
    pub marking: String,
    pub line: usize,
}

/// The marking words of each data level, as they open a line.
const DATA_MARKINGS: [(usize, &[&str]); 2] = [
    (2, &["工作秘密", "敏感信息", "敏感数据", "敏感"]),
    (
        1,
        &[
            "内部资料",
            "内部文件",
            "内部材料",
            "内部使用",
            "内部公开",
            "内部",
        ],
    ),
];

/// The highest data-level marking in `text`: a marking word opening a line, alone or followed by
/// a star and a period (`内部★`, `工作秘密★3年`), as 密级 markings are written.
pub fn data_marking_in(text: &str) -> Option<DataMarking> {
    let mut best: Option<DataMarking> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = trimmed(raw);
        let inner = line
            .trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace())
            .trim_matches(|c: char| matches!(c, '【' | '】' | '（' | '）' | '(' | ')' | '[' | ']'));
        for (rank, words) in DATA_MARKINGS {
            if best.as_ref().is_some_and(|b| b.rank >= rank) {
                break;
            }
            let Some(word) = words.iter().find(|w| inner.starts_with(**w)) else {
                continue;
            };
            let rest = inner[word.len()..].trim_start_matches(|c: char| STARS.contains(&c));
            if rest.chars().count() <= 4 && rest.chars().all(|c| c.is_alphanumeric()) {
                best = Some(DataMarking {
                    rank,
                    marking: line.to_string(),
                    line: n + 1,
                });
            }
        }
    }
    best
}

/// Whether a 密级 value (a form's field, `--classification`) names a state secret.
pub fn is_secret_level(value: &str) -> bool {
    let value = trimmed(value);
    LEVELS.iter().any(|l| value.starts_with(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Option<(String, usize)> {
        secret_marking_in(text).map(|m| (m.marking, m.line))
    }

    #[test]
    fn the_gb_t_9704_form_a_level_line_and_a_bare_marking_are_found() {
        assert_eq!(
            found("000123\n机密★5年\n特急\n某市人民政府文件"),
            Some(("机密★5年".into(), 2))
        );
        assert_eq!(found("  秘密★1年 \n标题"), Some(("秘密★1年".into(), 1)));
        assert_eq!(found("绝密★长期"), Some(("绝密★长期".into(), 1)));
        assert_eq!(
            found("标题\n密  级：机密\n正文"),
            Some(("密级：机密".into(), 2))
        );
        assert_eq!(found("【密级】秘密"), Some(("密级：秘密".into(), 1)));
        assert_eq!(found("【涉密】\n内容"), Some(("【涉密】".into(), 1)));
        assert_eq!(found("涉密文件"), Some(("涉密文件".into(), 1)));
        assert_eq!(found("份号 000123\n机密\n标题"), Some(("机密".into(), 2)));
        assert_eq!(found("【秘密】"), Some(("秘密".into(), 1)));
        assert_eq!(found("秘密会议"), None, "a word, not a marking");
    }

    #[test]
    fn data_level_markings_open_their_line_and_the_highest_wins() {
        let rank = |text: &str| data_marking_in(text).map(|m| m.rank);
        assert_eq!(rank("内部资料\n标题"), Some(1));
        assert_eq!(rank("【内部】\n标题"), Some(1));
        assert_eq!(rank("内部★\n标题"), Some(1));
        assert_eq!(rank("标题\n工作秘密★3年\n正文"), Some(2));
        assert_eq!(rank("内部资料\n工作秘密"), Some(2), "the highest");
        assert_eq!(
            rank("本文件含工作秘密，请妥善保管。"),
            None,
            "prose is no marking"
        );
        assert_eq!(rank("内部控制制度要健全。"), None);
        assert_eq!(rank("关于加强内部管理的通知"), None);
    }

    #[test]
    fn work_secrets_and_texts_about_secrecy_are_not_state_secrets() {
        for text in [
            "密级和保密期限：如需标注，顶格标注“机密★1年”。",
            "秘密★1年、机密★5年等写法见标准。",
            "密级：绝密、机密、秘密三级",
            "涉密公文应当标注份号。",
            "工作秘密★",
            "本文件含工作秘密，请妥善保管。",
            "商业秘密★3年",
            "各单位要加强涉密人员管理，严格执行保密制度。",
            "密级和保密期限按《保守国家秘密法》确定。",
            "内部资料 注意保存",
            "秘密会议的说法不规范。",
        ] {
            assert_eq!(found(text), None, "{text}");
        }
    }

    #[test]
    fn a_form_level_names_a_secret_by_its_word() {
        assert!(is_secret_level("秘密★1年"));
        assert!(is_secret_level("机密"));
        assert!(!is_secret_level(""));
        assert!(!is_secret_level("内部"));
    }
}
