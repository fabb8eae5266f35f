//! What a meeting decided, read by code from what was said: who is to do it (责任单位, 责任人)
//! and by when (时限), in the transcript's own words; whether a line records a decision or a
//! requirement; and whether a value a model wrote is in the lines it cites. Nothing here
//! guesses: what the words do not say is left for a person to confirm ([`UNCONFIRMED`]).

use crate::text::{fold_width, is_han};

/// What an owner or deadline shows when the cited lines do not give it.
pub const UNCONFIRMED: &str = "待确认";

/// Characters of a date or a span of time (6月30日, 本周五, 十个工作日, 年底, 第三季度).
const DATE_CHARS: &str =
    "0123456789一二三四五六七八九十零〇两年月日号底末初中旬上下周本今明后个工作天星期季度半第";

/// What makes a run of date characters a date: a day, a month, a week, a number of days.
const DATE_ANCHORS: &[&str] = &[
    "月", "日", "号", "周", "星期", "天", "底", "季度", "旬", "年末",
];

/// Words after a date that make it a deadline (前, 之前, 内).
const BEFORE: &[&str] = &["之前", "以前", "为止", "前", "内"];

/// Words before a date that make it a deadline (于6月30日完成, 截至6月30日).
const BY: &[&str] = &["截止到", "截止至", "截止", "截至", "于", "在", "到"];

/// Verbs after a date that make it a deadline (6月30日完成).
const DUE: &[&str] = &[
    "完成", "办结", "报送", "上报", "提交", "报", "交", "落实", "到位", "上线", "出台", "印发",
];

/// Labels that give an owner or a deadline outright.
const OWNER_LABELS: &[&str] = &[
    "责任单位",
    "责任人",
    "牵头单位",
    "负责单位",
    "负责人",
    "承办单位",
    "责任部门",
    "牵头部门",
];
const DEADLINE_LABELS: &[&str] = &["完成时限", "时限", "截止时间", "完成时间", "办结时限"];

/// Verbs whose subject is the owner (市数据局负责, 李处长牵头).
const OWNER_VERBS: &[&str] = &["负责", "牵头", "承办", "主抓", "督办"];

/// Verbs that end an owner after 由 (由信息中心组织实施).
const BY_VERBS: &[&str] = &[
    "负责", "牵头", "承办", "落实", "组织", "跟进", "办理", "起草", "制定", "编制", "完成", "对接",
    "协调", "研究", "会同", "统筹", "主抓", "督办",
];

/// Words that open the clause before an owner and are not part of it.
const OWNER_OPENERS: &[&str] = &[
    "这件事",
    "此事",
    "这项工作",
    "该项工作",
    "这个事",
    "具体",
    "那就",
    "就由",
    "交由",
    "交给",
    "责成",
    "安排",
    "请",
    "让",
    "由",
    "就",
    "要",
    "都",
];

/// Words that cannot be an owner.
const NOT_OWNERS: &[&str] = &[
    "我们", "你们", "他们", "大家", "各位", "我", "你", "他", "她", "谁", "自己", "会议", "这个",
    "那个", "一起", "共同", "全力", "具体", "主要",
];

/// What a group is told it must do (各街道要在…): 要, 应当, 须.
const MODALS: &[&str] = &["必须", "应当", "要", "应", "须"];

/// Words that say a line records a decision.
const DECISION_WORDS: &[&str] = &[
    "会议决定",
    "会议议定",
    "会议同意",
    "会议确定",
    "会议明确",
    "议定",
    "决定",
    "定了",
    "定下来",
    "拍板",
    "同意",
    "通过",
    "批准",
    "明确由",
    "确定由",
];

/// Words that say a line records a requirement (会议要求).
const REQUIREMENT_WORDS: &[&str] = &[
    "会议要求",
    "会议强调",
    "要求",
    "强调",
    "务必",
    "必须",
    "不得",
    "严禁",
    "确保",
    "切实",
];

/// Text as searched: half-width letters and digits, no spaces.
pub fn searchable(text: &str) -> String {
    text.chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn starts_with_any<'w>(chars: &[char], at: usize, words: &[&'w str]) -> Option<&'w str> {
    words.iter().copied().find(|w| {
        let n = w.chars().count();
        at + n <= chars.len() && chars[at..at + n].iter().copied().eq(w.chars())
    })
}

fn ends_with_any<'w>(chars: &[char], end: usize, words: &[&'w str]) -> Option<&'w str> {
    words.iter().copied().find(|w| {
        let n = w.chars().count();
        n <= end && chars[end - n..end].iter().copied().eq(w.chars())
    })
}

/// The value after one of `labels` and a colon, up to the end of its clause.
fn labelled(chars: &[char], labels: &[&str]) -> Option<String> {
    for at in 0..chars.len() {
        let Some(label) = starts_with_any(chars, at, labels) else {
            continue;
        };
        let after = at + label.chars().count();
        if !matches!(chars.get(after), Some('：' | ':')) {
            continue;
        }
        let value: String = chars[after + 1..]
            .iter()
            .take_while(|&&c| !matches!(c, '；' | ';' | '。' | '，' | ',' | '）' | ')' | '\n'))
            .collect();
        let value = value.trim().to_string();
        if !value.is_empty() && value != UNCONFIRMED {
            return Some(value);
        }
    }
    None
}

/// The deadline in `text` as written: 6月30日前, 本周五前, 月底前, 10个工作日内, 于2024年底完成
/// gives 2024年底.
pub fn deadline(text: &str) -> Option<String> {
    let chars: Vec<char> = searchable(text).chars().collect();
    if let Some(value) = labelled(&chars, DEADLINE_LABELS) {
        return Some(value);
    }
    let mut i = 0;
    while i < chars.len() {
        if !DATE_CHARS.contains(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && DATE_CHARS.contains(chars[i]) {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        // Date characters that end a run but belong to the words after it (本周五前 ends in 前
        // only after the run; 上下 open 上午, 下午 when at the end).
        let run = run.trim_end_matches(['上', '下', '中', '第']).to_string();
        let end = start + run.chars().count();
        if !is_date(&run) {
            continue;
        }
        if let Some(before) = starts_with_any(&chars, end, BEFORE) {
            return Some(format!("{run}{before}"));
        }
        if ends_with_any(&chars, start, BY).is_some() || starts_with_any(&chars, end, DUE).is_some()
        {
            return Some(run);
        }
    }
    None
}

/// Whether a run of date characters is a date or a span of time, not a bare number.
fn is_date(run: &str) -> bool {
    run.chars().count() >= 2
        && DATE_ANCHORS.iter().any(|a| run.contains(a))
        && run
            .chars()
            .any(|c| c.is_ascii_digit() || "一二三四五六七八九十两本今明下底末".contains(c))
}

/// The owner in `text` as written: 由市数据局负责 and 市数据局负责 give 市数据局, 请李处长于…
/// gives 李处长, 责任单位：市财政局 gives 市财政局.
pub fn owner(text: &str) -> Option<String> {
    let chars: Vec<char> = searchable(text).chars().collect();
    if let Some(value) = labelled(&chars, OWNER_LABELS) {
        return Some(value);
    }
    // 由 X 负责: the owner runs from 由 to the verb (会同 inside it joins two owners).
    for at in 0..chars.len() {
        if chars[at] != '由' {
            continue;
        }
        let start = at + 1;
        let mut end = start;
        while end < chars.len() && (is_han(chars[end]) || chars[end].is_ascii_alphanumeric()) {
            if end > start + 1
                && let Some(verb) = starts_with_any(&chars, end, BY_VERBS)
            {
                let joins = verb == "会同"
                    && chars[end + 2..]
                        .iter()
                        .take_while(|c| is_han(**c))
                        .collect::<String>()
                        .contains("负责");
                if !joins {
                    break;
                }
                end += verb.chars().count();
                continue;
            }
            end += 1;
        }
        let owner: String = chars[start..end].iter().collect();
        let n = owner.chars().count();
        if end < chars.len() && (2..=20).contains(&n) && !NOT_OWNERS.contains(&owner.as_str()) {
            return Some(owner);
        }
    }
    for at in 0..chars.len() {
        let verb = starts_with_any(&chars, at, OWNER_VERBS);
        let by = matches!(chars.get(at), Some('于' | '在')) && at > 0;
        if verb.is_none() && !by {
            continue;
        }
        // The clause before the verb, after the last punctuation.
        let clause_start = chars[..at]
            .iter()
            .rposition(|&c| !(is_han(c) || c.is_ascii_alphanumeric() || c == '·'))
            .map_or(0, |p| p + 1);
        let clause: String = chars[clause_start..at].iter().collect();
        // A group told to act by a date (各街道要在4月20日前…).
        if by
            && let Some(group) = MODALS
                .iter()
                .find_map(|m| clause.strip_suffix(m))
                .filter(|g| g.starts_with('各') && (2..=12).contains(&g.chars().count()))
        {
            return Some(group.to_string());
        }
        // Cut at the last word that opens the owner (请, 由, 这件事…).
        let mut owner = clause.as_str();
        let mut opened = false;
        for opener in OWNER_OPENERS {
            if let Some(p) = owner.rfind(opener) {
                owner = &owner[p + opener.len()..];
                opened = true;
            }
        }
        // 于 and 在 only end an owner that an opener began (请市卫健委于…).
        if by && !opened && verb.is_none() {
            continue;
        }
        let owner = owner.trim_start_matches(['和', '与', '及']);
        let n = owner.chars().count();
        if (2..=20).contains(&n) && !NOT_OWNERS.contains(&owner) && !is_date(owner) {
            return Some(owner.to_string());
        }
    }
    None
}

/// Words that put off a deadline: the time is to be set later.
const OPEN_TIME: &[&str] = &[
    "时间再定",
    "时间另定",
    "时间待定",
    "时限待定",
    "另行确定",
    "另行通知",
    "再商量",
    "再研究",
    "会后再定",
    "时间会后",
];

/// Whether `text` puts its deadline off (时间再定, 具体时间会后再商量): such a deadline is
/// 待确认, not one a nearby line gives.
pub fn time_open(text: &str) -> bool {
    OPEN_TIME.iter().any(|w| text.contains(w))
}

/// Whether `text` records a decision: a word of deciding, or both an owner and a deadline.
pub fn is_decision(text: &str) -> bool {
    DECISION_WORDS.iter().any(|w| text.contains(w))
        || (owner(text).is_some() && deadline(text).is_some())
}

/// Whether `text` records a requirement of the meeting.
pub fn is_requirement(text: &str) -> bool {
    REQUIREMENT_WORDS.iter().any(|w| text.contains(w))
}

/// Whether `value` (an owner or a deadline a model wrote) is in `source` word for word, apart
/// from width, spaces, 同志 and the 前 of a deadline.
pub fn found_in(value: &str, source: &str) -> bool {
    let value = searchable(value);
    let value = value.trim_end_matches("同志");
    let value = BEFORE
        .iter()
        .find_map(|b| value.strip_suffix(b).filter(|v| !v.is_empty()))
        .unwrap_or(value);
    !value.is_empty() && searchable(source).contains(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_are_read_as_written() {
        for (text, expected) in [
            ("平台对接6月30日前完成。", Some("6月30日前")),
            ("请于本周五前报送方案。", Some("本周五前")),
            ("月底前拿出初稿。", Some("月底前")),
            ("10个工作日内反馈意见。", Some("10个工作日内")),
            ("确保2024年底完成上线。", Some("2024年底")),
            ("于2025年3月15日上报。", Some("2025年3月15日")),
            ("完成时限：第三季度末。", Some("第三季度末")),
            ("下周三之前把材料交上来。", Some("下周三之前")),
            ("会前大家再看看。", None),
            ("我们之前讨论过这个问题。", None),
            ("上午9时开会，有30人参加。", None),
        ] {
            assert_eq!(deadline(text).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn owners_are_read_as_written() {
        for (text, expected) in [
            ("平台建设由市数据局牵头。", Some("市数据局")),
            ("那就这么定了，李处长负责，月底前完成。", Some("李处长")),
            ("这件事市财政局负责。", Some("市财政局")),
            ("请市卫生健康委于5月底前报送。", Some("市卫生健康委")),
            ("由市数据局会同市财政局负责。", Some("市数据局会同市财政局")),
            ("平台对接由信息中心负责，6月30日前完成。", Some("信息中心")),
            (
                "会议决定由政务服务处牵头梳理高频事项清单。",
                Some("政务服务处"),
            ),
            (
                "责任单位：各区政务服务数据管理局；",
                Some("各区政务服务数据管理局"),
            ),
            ("各街道要在4月20日前完成转移安置名单核对。", Some("各街道")),
            ("大家要在月底前交上来。", None),
            ("我们负责把关。", None),
            ("大家都同意。", None),
        ] {
            assert_eq!(owner(text).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn decisions_and_requirements_are_told_apart() {
        assert!(is_decision("会议决定成立数据共享专班。"));
        assert!(is_decision("李处长负责，6月30日前完成。"));
        assert!(!is_decision("这个问题比较复杂，大家再想想。"));
        assert!(is_requirement("各单位务必按时报送。"));
        assert!(time_open("平安建设办公室负责组织一次培训，时间再定。"));
        assert!(time_open("这个由办公室负责，具体时间会后再商量。"));
        assert!(!time_open("6月30日前完成。"));
        assert!(!is_requirement("今天天气不错。"));
    }

    #[test]
    fn values_are_found_word_for_word() {
        let line = "由市数据局负责，6月30日前完成。";
        assert!(found_in("市数据局", line));
        assert!(found_in("6月30日", line));
        assert!(found_in("6月30日前", line));
        assert!(found_in("６月３０日", line));
        assert!(!found_in("市财政局", line));
        assert!(!found_in("7月1日", line));
        assert!(!found_in("", line));
    }
}
