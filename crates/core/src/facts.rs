//! The facts a draft is written from: the facts file split into single facts, the items each
//! carries (numbers, organisations, places, people), whether a text keeps a fact, and which
//! items of a text appear nowhere in what the user gave.
//!
//! A number is a run of digits. A place is a word jieba's dictionary knows as one (广州, 天河区),
//! matched without its level (广州 is 广州市). An organisation is a word that ends like one (局,
//! 委员会, 公司, 中心) or that the dictionary knows as one, matched by that word (财政局 in
//! 会同市财政局), or for a bare ending by the word before it too (健康委员会). A person is a name before 同志 or after a label such as 联系人：. Generic
//! references (各区, 有关部门, 市政府) are not items.

use crate::text::{bigrams, fold_width, heading_marker, is_han, sentences, tagged};

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    Number,
    Organisation,
    Place,
    Person,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Number => "number",
            ItemKind::Organisation => "organisation",
            ItemKind::Place => "place",
            ItemKind::Person => "person",
        }
    }

    /// The kind in Chinese, for messages.
    pub fn name_zh(self) -> &'static str {
        match self {
            ItemKind::Number => "数字",
            ItemKind::Organisation => "机构",
            ItemKind::Place => "地名",
            ItemKind::Person => "人名",
        }
    }
}

/// A number, organisation, place or person named in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    /// As written.
    pub text: String,
    /// What another text must contain to name the same item: the number without separators
    /// (1,000 is 1000), or a name's last two characters before its suffix with the suffix.
    pub key: String,
}

/// One fact: a sentence or line of the facts file, and the items it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// The fact as given, without a list marker.
    pub text: String,
    pub items: Vec<Item>,
}

/// Words an organisation's name ends in, longest first.
const ORGANISATION_ENDS: &[&str] = &[
    "人民代表大会常务委员会",
    "人民政府办公厅",
    "人民政府办公室",
    "人民政府",
    "委员会",
    "办公厅",
    "办公室",
    "有限公司",
    "研究院",
    "研究所",
    "检察院",
    "法院",
    "中心",
    "公司",
    "集团",
    "大学",
    "学院",
    "学校",
    "医院",
    "银行",
    "协会",
    "局",
    "厅",
    "委",
];

/// The levels a place name ends in (广州 市, 天河 区).
const PLACE_ENDS: &[&str] = &["自治区", "街道", "省", "市", "区", "县", "镇", "乡", "村"];

/// Places too general to tell one text's from another's.
const GENERIC_PLACES: &[&str] = &["中国", "中华人民共和国", "全国", "国内", "境内", "境外"];

/// Words that end like an organisation's name but are not one.
const NOT_NAMES: &[&str] = &[
    "布局", "格局", "大局", "全局", "当局", "结局", "开局", "时局", "变局", "新局", "破局", "邮局",
    "大厅", "展厅", "餐厅", "客厅", "原委", "编委", "中心",
];

/// Words that open a generic reference rather than a name (各区, 全市, 本局, 有关部门…).
const GENERIC_STARTS: &[char] = &[
    '各', '全', '本', '我', '贵', '该', '某', '每', '诸', '其', '此', '两', '多', '上', '下', '同',
];
const GENERIC_WORDS: &[&str] = &[
    "有关", "相关", "主管", "职能", "所属", "直属", "其他", "业务", "行政", "基层", "地方", "政府",
];

/// Labels a person's name follows.
const PERSON_LABELS: &[&str] = &["联系人", "负责人", "主持人", "记录人", "经办人", "签发人"];

/// The facts in a facts file: each line, and each sentence of a line, without its list marker;
/// a bare label (背景：) is not a fact.
pub fn split_facts(text: &str) -> Vec<Fact> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = strip_marker(line.trim());
        for sentence in sentences(line) {
            let sentence = sentence
                .trim()
                .trim_end_matches(['；', ';'])
                .trim_start_matches(['，', '、', ' '])
                .trim();
            let words = sentence
                .chars()
                .filter(|&c| is_han(c) || c.is_ascii_digit());
            if words.count() < 2 || sentence.ends_with(['：', ':']) {
                continue;
            }
            out.push(Fact {
                text: sentence.to_string(),
                items: items(sentence),
            });
        }
    }
    out
}

/// A line without a list marker (1. 一、 （一） - •).
fn strip_marker(line: &str) -> &str {
    let line = line.trim_start_matches(['-', '*', '•', '·', '●', ' ', '\u{3000}']);
    match heading_marker(line) {
        Some(m) => line[m.len..].trim_start(),
        None => line,
    }
}

/// The numbers, organisations, places and people named in `text`, each once, in order.
pub fn items(text: &str) -> Vec<Item> {
    let chars: Vec<char> = text.chars().map(fold_width).collect();
    let mut out: Vec<Item> = Vec::new();
    let mut push = |item: Item| {
        if !out.iter().any(|i| i.kind == item.kind && i.key == item.key) {
            out.push(item);
        }
    };
    for number in numbers(&chars) {
        push(number);
    }
    for name in names(&chars) {
        push(name);
    }
    out
}

/// Runs of digits (with a decimal point or thousands separators inside), as numbers.
fn numbers(chars: &[char]) -> Vec<Item> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || (matches!(chars[i], '.' | ',' | '．')
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                    && chars[i - 1].is_ascii_digit()))
        {
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        let key: String = text
            .chars()
            .filter(|&c| c != ',')
            .map(|c| if c == '．' { '.' } else { c })
            .collect();
        out.push(Item {
            kind: ItemKind::Number,
            text,
            key,
        });
    }
    out
}

/// Organisations, places and people: places and organisations by jieba's words (a place word,
/// a word that ends like an organisation with the nouns before it), people by the label they
/// follow or the 同志 after them.
fn names(chars: &[char]) -> Vec<Item> {
    let text: String = chars.iter().collect();
    let words = tagged(&text);
    let mut out = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if w.tag == "ns" && !GENERIC_PLACES.contains(&w.text) {
            let mut name = w.text.to_string();
            if let Some(level) = words.get(k + 1).filter(|n| PLACE_ENDS.contains(&n.text)) {
                name.push_str(level.text);
            }
            // 广州 and 广州市 are one place.
            let key = PLACE_ENDS
                .iter()
                .find_map(|end| w.text.strip_suffix(end))
                .filter(|stem| stem.chars().count() >= 2)
                .unwrap_or(w.text);
            out.push(Item {
                kind: ItemKind::Place,
                text: name,
                key: key.to_string(),
            });
            continue;
        }
        let suffix = ORGANISATION_ENDS.iter().find(|s| w.text.ends_with(*s));
        if (suffix.is_none() && w.tag != "nt") || NOT_NAMES.contains(&w.text) {
            continue;
        }
        // The nouns before it belong to the name as written: 市 财政局, 广东省 … 管理局.
        let mut first = k;
        while first > 0
            && (words[first - 1].is_nominal() || words[first - 1].tag == "a")
            && k - first < 6
        {
            first -= 1;
        }
        let full = &text[words[first].start..w.end];
        if full.starts_with(GENERIC_STARTS) || GENERIC_WORDS.iter().any(|g| full.starts_with(g)) {
            continue;
        }
        // What tells it from other bodies: the word itself (财政局, 数据中心), or for a bare
        // ending (委员会, 人民政府) the word before it too (健康委员会, 南山区人民政府).
        let stem = suffix.map_or(usize::MAX, |s| w.text.chars().count() - s.chars().count());
        let key = match stem {
            0 => match words[..k].last() {
                Some(prev) if k > first && prev.text.chars().count() >= 2 => {
                    format!("{}{}", prev.text, w.text)
                }
                _ => continue,
            },
            1 if w.tag != "nt" => continue,
            _ => w.text.to_string(),
        };
        out.push(Item {
            kind: ItemKind::Organisation,
            text: full.to_string(),
            key,
        });
    }
    // People: a name before 同志, or after a label such as 联系人：.
    for (pos, _) in text.match_indices("同志") {
        let before: Vec<char> = text[..pos].chars().collect();
        let name: String = before
            .iter()
            .rev()
            .take_while(|&&c| is_han(c) && !"由和与及请对向经是为".contains(c))
            .take(3)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if (2..=3).contains(&name.chars().count()) && !is_generic_person(&name) {
            out.push(person(&name));
        }
    }
    for label in PERSON_LABELS {
        for (pos, _) in text.match_indices(label) {
            let Some(rest) = text[pos + label.len()..].strip_prefix(['：', ':']) else {
                continue;
            };
            let name: String = rest.chars().take_while(|&c| is_han(c)).take(4).collect();
            if (2..=4).contains(&name.chars().count()) {
                out.push(person(&name));
            }
        }
    }
    out
}

fn person(name: &str) -> Item {
    Item {
        kind: ItemKind::Person,
        text: name.to_string(),
        key: name.to_string(),
    }
}

/// Whether the words before 同志 are a group rather than a name (全体同志, 广大同志).
fn is_generic_person(name: &str) -> bool {
    [
        "全体", "广大", "各位", "有关", "相关", "参会", "党员", "青年", "老", "女", "男",
    ]
    .iter()
    .any(|g| name.contains(g))
        || name.starts_with(GENERIC_STARTS)
}

/// `text` as items are looked up in it: full-width letters and digits folded, thousands
/// separators gone.
fn searchable(text: &str) -> String {
    let chars: Vec<char> = text.chars().map(fold_width).collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            !(c == ','
                && i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        })
        .map(|(_, &c)| if c == '．' { '.' } else { c })
        .collect()
}

/// Which items of a fact a text names, and whether it keeps the fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The fact's items the text does not name.
    pub missing: Vec<Item>,
    /// Whether the text keeps the fact: every item named, or for a fact without items, most
    /// of its wording there.
    pub kept: bool,
}

impl Fact {
    /// How far `text` keeps this fact.
    pub fn coverage(&self, text: &str) -> Coverage {
        let found = searchable(text);
        let numbers = numbers(&found.chars().collect::<Vec<_>>());
        let missing: Vec<Item> = self
            .items
            .iter()
            .filter(|item| match item.kind {
                ItemKind::Number => !numbers.iter().any(|n| n.key == item.key),
                _ => !found.contains(&item.key),
            })
            .cloned()
            .collect();
        let kept = if self.items.is_empty() {
            wording_share(&self.text, &found) >= 0.5
        } else {
            missing.is_empty()
        };
        Coverage { missing, kept }
    }

    /// Whether `text` keeps this fact.
    pub fn kept_in(&self, text: &str) -> bool {
        self.coverage(text).kept
    }
}

/// The share of the Han character pairs of `fact` that `text` has.
pub fn wording_share(fact: &str, text: &str) -> f64 {
    let han = |s: &str| s.chars().filter(|&c| is_han(c)).collect::<String>();
    let pairs = bigrams(&han(fact));
    if pairs.is_empty() {
        return 1.0;
    }
    let there = bigrams(&han(text));
    let found = pairs.iter().filter(|p| there.contains(p)).count();
    found as f64 / pairs.len() as f64
}

/// The items of `text` that `given` does not name: numbers, organisations, places and people
/// a model brought in on its own.
pub fn invented(text: &str, given: &str) -> Vec<Item> {
    let given = searchable(given);
    let given_numbers = numbers(&given.chars().collect::<Vec<_>>());
    items(text)
        .into_iter()
        .filter(|item| match item.kind {
            ItemKind::Number => !given_numbers.iter().any(|n| n.key == item.key),
            _ => !given.contains(&item.key),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(ItemKind, String)> {
        items(text).into_iter().map(|i| (i.kind, i.key)).collect()
    }

    #[test]
    fn numbers_are_read_with_their_separators() {
        assert_eq!(
            keys("投资1,000万元，使用率85.5%，共２０台"),
            [
                (ItemKind::Number, "1000".into()),
                (ItemKind::Number, "85.5".into()),
                (ItemKind::Number, "20".into()),
            ]
        );
    }

    #[test]
    fn organisations_places_and_people_are_found_and_generic_words_are_not() {
        use ItemKind::*;
        for (case, text, expected) in [
            (
                "an organisation after a verb",
                "会同市财政局做好资金保障",
                vec![(Organisation, "财政局")],
            ),
            (
                "a place",
                "广州市天河区",
                vec![(Place, "广州"), (Place, "天河")],
            ),
            (
                "a long name",
                "广东省政务服务数据管理局负责",
                vec![(Place, "广东"), (Organisation, "管理局")],
            ),
            (
                "a data centre",
                "扩容市数据中心",
                vec![(Organisation, "数据中心")],
            ),
            ("a purchase", "实施政府采购", vec![]),
            (
                "a bare ending takes the word before it",
                "由市卫生健康委员会牵头",
                vec![(Organisation, "健康委员会")],
            ),
            (
                "a district government",
                "深圳市南山区人民政府",
                vec![
                    (Place, "深圳"),
                    (Place, "南山"),
                    (Organisation, "南山区人民政府"),
                ],
            ),
            ("generic references", "各区、全市、本局和有关部门", vec![]),
            ("common words", "优化布局，完善市场，统筹城乡", vec![]),
            (
                "a person",
                "由张三同志负责，联系人：李四",
                vec![(Person, "张三"), (Person, "李四")],
            ),
            ("everyone", "全体同志", vec![]),
        ] {
            let found: Vec<(ItemKind, String)> = items(text)
                .into_iter()
                .filter(|i| i.kind != Number)
                .map(|i| (i.kind, i.key))
                .collect();
            let expected: Vec<(ItemKind, String)> = expected
                .into_iter()
                .map(|(k, s)| (k, s.to_string()))
                .collect();
            assert_eq!(found, expected, "{case}: {text}");
        }
    }

    #[test]
    fn a_facts_file_splits_into_facts() {
        let facts = split_facts(
            "背景：\n1. 现有存储容量200TB，使用率已达85%。\n- 拟扩容至500TB；资金来源为市级财政预算。\n\n",
        );
        let texts: Vec<&str> = facts.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "现有存储容量200TB，使用率已达85%。",
                "拟扩容至500TB",
                "资金来源为市级财政预算。",
            ]
        );
        assert_eq!(facts[0].items.len(), 2);
    }

    #[test]
    fn a_fact_is_kept_when_its_items_are_there_or_its_wording_is() {
        let facts = split_facts("现有存储容量200TB，使用率已达85%。\n各单位要高度重视数据安全。");
        let draft = "目前平台存储容量为２００TB，使用率达到85%，已接近上限。";
        assert!(facts[0].kept_in(draft));
        let coverage = facts[0].coverage("目前平台存储容量为200TB。");
        assert!(!coverage.kept);
        assert_eq!(coverage.missing[0].key, "85");
        assert!(
            !facts[1].kept_in(draft),
            "nothing of the second fact is there"
        );
        assert!(facts[1].kept_in("各单位要高度重视数据安全工作。"));
    }

    #[test]
    fn invented_items_are_what_the_user_never_gave() {
        let given = "某市数据管理局\n现有存储容量200TB，使用率已达85%。资金由市财政局安排。";
        let draft = "经广州市财政局同意，投资1,200万元扩容至200TB，使用率85%。";
        let invented: Vec<String> = invented(draft, given).into_iter().map(|i| i.text).collect();
        assert_eq!(invented, ["1,200", "广州市"]);
    }
}
