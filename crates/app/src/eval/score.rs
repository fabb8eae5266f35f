//! The scorers: each case's figures and score in [0, 1], from what the model produced and what
//! the case expects. Pure functions, so each is tested on hand-made outputs with known scores.

use std::collections::BTreeSet;

use wenshu_api::{CaseResult, Dimension, Draft, FactStatus, Figure};
use wenshu_core::facts::{invented, split_facts};
use wenshu_core::text::{
    fold_width, heading_marker, is_han, placeholder, same_sentence, sentences, task_talk,
};

use super::suite::Check;
use crate::draft::ELEMENTS_RULE;

/// The shortest run of characters copied from the facts that counts as copied.
const COPY_RUN: usize = 12;

/// The share of `text`'s characters that lie in runs of at least twelve characters
/// found word for word in `source`.
pub fn copied_share(text: &str, source: &str) -> f64 {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() < COPY_RUN {
        return 0.0;
    }
    let source: Vec<char> = source.chars().filter(|c| !c.is_whitespace()).collect();
    let windows: BTreeSet<&[char]> = source.windows(COPY_RUN).collect();
    let mut covered = vec![false; chars.len()];
    for (i, w) in chars.windows(COPY_RUN).enumerate() {
        if windows.contains(w) {
            covered[i..i + COPY_RUN].iter_mut().for_each(|c| *c = true);
        }
    }
    covered.iter().filter(|&&c| c).count() as f64 / chars.len() as f64
}

/// What a drafting case measured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftFigures {
    pub facts: usize,
    pub facts_kept: usize,
    pub invented: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    pub task_talk: usize,
    pub repeated: usize,
    pub placeholders: usize,
    pub copied_share: f64,
    pub elements_ok: bool,
    pub length: usize,
    pub length_ok: bool,
    pub seconds: f64,
    pub repaired: usize,
    pub inserted: usize,
    pub removed: usize,
}

/// The text the model wrote in a draft: the title and the body, one line each.
pub fn written_text(draft: &Draft) -> String {
    std::iter::once(draft.document.title.as_str())
        .chain(draft.document.body.iter().map(|b| b.text.as_str()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Measures a draft against its facts file and `given` (everything the user gave).
pub fn measure_draft(
    draft: &Draft,
    facts: &str,
    given: &str,
    length_bounds: [usize; 2],
    seconds: f64,
) -> DraftFigures {
    let written = written_text(draft);
    let facts_list = split_facts(facts);
    let body: Vec<&str> = draft.document.paragraphs().collect();
    let body_sentences: Vec<&str> = body
        .iter()
        .flat_map(|p| sentences(p))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let repeated = body_sentences
        .iter()
        .enumerate()
        .filter(|&(i, s)| body_sentences[..i].iter().any(|e| same_sentence(e, s)))
        .count();
    let length = body
        .iter()
        .map(|p| {
            p.chars()
                .filter(|&c| is_han(c) || c.is_alphanumeric())
                .count()
        })
        .sum();
    DraftFigures {
        facts: facts_list.len(),
        facts_kept: facts_list.iter().filter(|f| f.kept_in(&draft.text)).count(),
        invented: invented(&written, given)
            .into_iter()
            .map(|i| i.text)
            .collect(),
        errors: draft
            .findings
            .iter()
            .filter(|f| f.severity == "error")
            .count(),
        warnings: draft
            .findings
            .iter()
            .filter(|f| f.severity == "warning")
            .count(),
        task_talk: body_sentences
            .iter()
            .filter(|s| task_talk(s).is_some())
            .count(),
        repeated,
        placeholders: written.lines().filter(|l| placeholder(l).is_some()).count(),
        copied_share: copied_share(&body.concat(), facts),
        elements_ok: !draft
            .findings
            .iter()
            .any(|f| f.rule == ELEMENTS_RULE && f.severity == "error"),
        length,
        length_ok: (length_bounds[0]..=length_bounds[1]).contains(&length),
        seconds,
        repaired: draft.facts.count(FactStatus::Repaired),
        inserted: draft.facts.count(FactStatus::Inserted),
        removed: draft.facts.removed.len(),
    }
}

/// A drafting case's result: the score is the mean of eight parts, each in [0, 1]: the share
/// of facts kept, nothing invented, no checker error, no task talk, no repeated sentence, no
/// placeholder, the type's elements right, the length within bounds; less the share copied
/// word for word from the facts, counted as a ninth part (1 − share).
pub fn draft_result(id: &str, m: &DraftFigures, output: &str) -> CaseResult {
    let flag = |ok: bool| if ok { 1.0 } else { 0.0 };
    let kept = if m.facts == 0 {
        1.0
    } else {
        m.facts_kept as f64 / m.facts as f64
    };
    let parts = [
        kept,
        flag(m.invented.is_empty()),
        flag(m.errors == 0),
        flag(m.task_talk == 0),
        flag(m.repeated == 0),
        flag(m.placeholders == 0),
        flag(m.elements_ok),
        flag(m.length_ok),
        1.0 - m.copied_share,
    ];
    let score = parts.iter().sum::<f64>() / parts.len() as f64;
    let mut failures = Vec::new();
    if m.facts_kept < m.facts {
        failures.push(format!("事实写入 {}/{}", m.facts_kept, m.facts));
    }
    if !m.invented.is_empty() {
        failures.push(format!("编造：{}", m.invented.join("、")));
    }
    if m.errors > 0 {
        failures.push(format!("格式错误 {} 处", m.errors));
    }
    if m.task_talk > 0 {
        failures.push(format!("谈论写作任务 {} 句", m.task_talk));
    }
    if m.repeated > 0 {
        failures.push(format!("重复 {} 句", m.repeated));
    }
    if m.placeholders > 0 {
        failures.push(format!("占位符 {} 处", m.placeholders));
    }
    if !m.elements_ok {
        failures.push("要素不全或多余".to_string());
    }
    if !m.length_ok {
        failures.push(format!("正文 {} 字，超出范围", m.length));
    }
    let passed = failures.is_empty();
    CaseResult {
        dimension: Dimension::Drafting,
        id: id.to_string(),
        score,
        passed,
        figures: vec![
            Figure::new("facts", m.facts as f64),
            Figure::new("facts_kept", m.facts_kept as f64),
            Figure::new("invented_items", m.invented.len() as f64),
            Figure::new("checker_errors", m.errors as f64),
            Figure::new("checker_warnings", m.warnings as f64),
            Figure::new("task_talk_sentences", m.task_talk as f64),
            Figure::new("repeated_sentences", m.repeated as f64),
            Figure::new("placeholders", m.placeholders as f64),
            Figure::new("copied_share", m.copied_share),
            Figure::new("elements_ok", flag(m.elements_ok)),
            Figure::new("body_characters", m.length as f64),
            Figure::new("length_ok", flag(m.length_ok)),
            Figure::new("seconds", m.seconds),
            Figure::new("facts_repaired", m.repaired as f64),
            Figure::new("facts_inserted", m.inserted as f64),
            Figure::new("sentences_removed", m.removed as f64),
        ],
        failures,
        output: (!passed).then(|| output.to_string()),
    }
}

/// Numbered lines of `text`: those that open with 1. 1、 一、 （一） (1) and the like.
fn numbered_lines(text: &str) -> usize {
    text.lines()
        .map(|l| l.trim().trim_start_matches(['*', '#', ' ']))
        .filter(|l| {
            heading_marker(l).is_some() || {
                let digits = l.chars().take_while(char::is_ascii_digit).count();
                digits > 0 && l[digits..].starts_with([')', '）', '.', '、', '．'])
            }
        })
        .count()
}

/// The JSON object in an answer, inside a ```json fence or not.
fn json_object(text: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    match serde_json::from_str(text.get(start..=end)?).ok()? {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    }
}

/// Whether `text` is Simplified Chinese only: no Traditional character, and Latin letters no
/// more than a fifth of the letters.
pub fn simplified_only(text: &str) -> bool {
    let plain: String = text
        .chars()
        .map(|c| fold_width(c).to_ascii_lowercase())
        .collect();
    let traditional = wenshu_kb::tokenizer::fold(text) != plain;
    let han = text.chars().filter(|&c| is_han(c)).count();
    let latin = text
        .chars()
        .filter(|c| fold_width(*c).is_ascii_alphabetic())
        .count();
    !traditional && han > 0 && latin * 5 <= han + latin
}

/// Whether `answer` meets `check`, with what it found when it does not.
pub fn meets(answer: &str, check: &Check) -> Result<(), String> {
    let text = answer.trim();
    let chars = text.chars().count();
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    let fail = |what: String| Err(what);
    match check {
        Check::Items { count } => {
            let n = numbered_lines(text);
            if n == *count {
                Ok(())
            } else {
                fail(format!("编号条目 {n} 条，要求 {count} 条"))
            }
        }
        Check::Lines { count } => {
            if lines == *count {
                Ok(())
            } else {
                fail(format!("{lines} 行，要求 {count} 行"))
            }
        }
        Check::MaxChars { count } => {
            if chars <= *count {
                Ok(())
            } else {
                fail(format!("{chars} 字，要求不超过 {count} 字"))
            }
        }
        Check::MinChars { count } => {
            if chars >= *count {
                Ok(())
            } else {
                fail(format!("{chars} 字，要求不少于 {count} 字"))
            }
        }
        Check::Json { keys } => match json_object(text) {
            Some(map) => {
                let got: BTreeSet<&str> = map.keys().map(String::as_str).collect();
                let want: BTreeSet<&str> = keys.iter().map(String::as_str).collect();
                if got == want {
                    Ok(())
                } else {
                    fail(format!("JSON 字段为 {got:?}，要求 {want:?}"))
                }
            }
            None => fail("不是一个 JSON 对象".to_string()),
        },
        Check::Contains { text: want } => {
            if text.contains(want.as_str()) {
                Ok(())
            } else {
                fail(format!("缺少“{want}”"))
            }
        }
        Check::Excludes { text: unwanted } => {
            if text.contains(unwanted.as_str()) {
                fail(format!("含有“{unwanted}”"))
            } else {
                Ok(())
            }
        }
        Check::EndsWith { text: end } => {
            if text.ends_with(end.as_str()) {
                Ok(())
            } else {
                fail(format!("不以“{end}”结尾"))
            }
        }
        Check::StartsWith { text: start } => {
            if text.starts_with(start.as_str()) {
                Ok(())
            } else {
                fail(format!("不以“{start}”开头"))
            }
        }
    }
}

/// An instruction case's result: the share of its checks met, Simplified Chinese only counted
/// as one more check.
pub fn instruction_result(id: &str, answer: &str, checks: &[Check]) -> CaseResult {
    let mut failures: Vec<String> = checks
        .iter()
        .filter_map(|c| meets(answer, c).err())
        .collect();
    if !simplified_only(answer) {
        failures.push("不全是简体中文".to_string());
    }
    let total = checks.len() + 1;
    let met = total - failures.len();
    let passed = failures.is_empty();
    CaseResult {
        dimension: Dimension::Instructions,
        id: id.to_string(),
        score: met as f64 / total as f64,
        passed,
        figures: vec![
            Figure::new("checks", total as f64),
            Figure::new("checks_met", met as f64),
        ],
        failures,
        output: (!passed).then(|| answer.to_string()),
    }
}

/// The score, figures and failures of a question nothing answers: right when nothing was found.
fn nothing_found(found: bool, failure: impl Fn() -> String) -> (f64, Vec<Figure>, Vec<String>) {
    let ok = if found { 0.0 } else { 1.0 };
    (
        ok,
        vec![Figure::new("nothing_found", ok)],
        if found { vec![failure()] } else { Vec::new() },
    )
}

/// A retrieval query's result from the distinct documents its search ranked (file names, best
/// first) and, for a query no document answers, whether anything relevant was found.
pub fn retrieval_result(id: &str, expect: &str, ranked: &[String], found: bool) -> CaseResult {
    let (score, figures, failures) = if expect.is_empty() {
        nothing_found(found, || format!("应无结果，却找到：{}", ranked.join("、")))
    } else {
        let at1 = ranked.first().is_some_and(|d| d == expect);
        let at5 = ranked.iter().take(5).any(|d| d == expect);
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        (
            (flag(at1) + flag(at5)) / 2.0,
            vec![
                Figure::new("recall_at_1", flag(at1)),
                Figure::new("recall_at_5", flag(at5)),
            ],
            if at1 {
                Vec::new()
            } else {
                vec![format!("期望“{expect}”，排序为：{}", ranked.join("、"))]
            },
        )
    };
    let passed = failures.is_empty();
    CaseResult {
        dimension: Dimension::Retrieval,
        id: id.to_string(),
        score,
        passed,
        figures,
        failures,
        output: None,
    }
}

/// A cited answer's result: for a query a document answers, found, citing, and the share of
/// its citations that point at that document (citation precision); for one none answers,
/// 'nothing found'.
pub fn answer_result(
    id: &str,
    expect: &str,
    found: bool,
    cited_docs: &[String],
    text: &str,
) -> CaseResult {
    let (score, figures, failures) = if expect.is_empty() {
        nothing_found(found, || "应答“未找到”，却作答".to_string())
    } else if !found || cited_docs.is_empty() {
        (
            0.0,
            vec![Figure::new("citation_precision", 0.0)],
            vec![if found {
                "回答没有引用出处".to_string()
            } else {
                "没有找到相关内容".to_string()
            }],
        )
    } else {
        let right = cited_docs.iter().filter(|d| *d == expect).count();
        let precision = right as f64 / cited_docs.len() as f64;
        (
            precision,
            vec![Figure::new("citation_precision", precision)],
            if right == cited_docs.len() {
                Vec::new()
            } else {
                vec![format!(
                    "引用了其他文件：{}",
                    cited_docs
                        .iter()
                        .filter(|d| *d != expect)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("、")
                )]
            },
        )
    };
    let passed = failures.is_empty();
    CaseResult {
        dimension: Dimension::Answers,
        id: id.to_string(),
        score,
        passed,
        figures,
        failures,
        output: (!passed).then(|| text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wenshu_api::{BlockInfo, DocumentInfo, FindingInfo, OutlineInfo};

    const FACTS: &str =
        "1. 现有存储容量200TB，使用率已达85%。\n2. 拟扩容至500TB。\n3. 资金由市财政局安排。";

    fn draft(body: &[&str]) -> Draft {
        let document = DocumentInfo {
            doc_type: "请示".into(),
            issuer: "某市数据管理局".into(),
            signers: vec!["李明".into()],
            title: "某市数据管理局关于数据中心扩容的请示".into(),
            addressees: vec!["某市人民政府".into()],
            body: body
                .iter()
                .map(|t| BlockInfo {
                    level: 0,
                    text: t.to_string(),
                })
                .collect(),
            date: Some("2024年3月20日".into()),
            ..DocumentInfo::default()
        };
        Draft {
            level: String::new(),
            text: body.join("\n"),
            document,
            outline: OutlineInfo {
                subject: "数据中心扩容".into(),
                sections: Vec::new(),
            },
            findings: Vec::<FindingInfo>::new(),
            model: "m".into(),
            model_sha256: String::new(),
            steps: Vec::new(),
            milliseconds: 0,
            facts: Default::default(),
        }
    }

    fn given() -> String {
        format!("{FACTS}\n数据中心扩容\n某市数据管理局\n某市人民政府\n2024年3月20日")
    }

    #[test]
    fn a_draft_with_every_fact_scores_one_on_facts_and_two_invented_numbers_count_two() {
        let good = draft(&[
            "目前，我局数据中心存储容量为200TB，使用率已达85%，拟扩容至500TB，所需资金由市财政局安排。",
            "妥否，请批示。",
        ]);
        let m = measure_draft(&good, FACTS, &given(), [10, 1000], 1.0);
        assert_eq!((m.facts, m.facts_kept), (3, 3));
        assert!(m.invented.is_empty(), "{:?}", m.invented);
        let result = draft_result("good", &m, &good.text);
        assert_eq!(result.figures[1].value / result.figures[0].value, 1.0);
        assert!(result.passed, "{:?}", result.failures);

        let bad = draft(&[
            "目前存储容量为200TB，拟投资1200万元扩容至500TB，新增服务器30台。",
            "妥否，请批示。",
        ]);
        let m = measure_draft(&bad, FACTS, &given(), [10, 1000], 1.0);
        assert_eq!(
            m.invented,
            ["1200", "30"],
            "two invented numbers score exactly two"
        );
        assert_eq!(
            m.facts_kept, 1,
            "85% and 市财政局 are missing: only fact 2 is kept"
        );
        let result = draft_result("bad", &m, &bad.text);
        assert!(!result.passed);
        assert!(result.score < 1.0);
        assert_eq!(result.output.as_deref(), Some(bad.text.as_str()));
    }

    #[test]
    fn task_talk_repeats_and_copying_are_counted() {
        let d = draft(&[
            "首先，我将缘由一栏写明。现有存储容量200TB，使用率已达85%。",
            "现有存储容量200TB，使用率已达85%。拟扩容至500TB。资金由市财政局安排。",
        ]);
        let m = measure_draft(&d, FACTS, &given(), [10, 1000], 1.0);
        assert_eq!(m.task_talk, 1);
        assert_eq!(m.repeated, 1);
        assert!(m.copied_share > 0.5, "{}", m.copied_share);
        assert_eq!(
            copied_share("完全不同的一句话，没有照抄任何内容。", FACTS),
            0.0
        );
    }

    #[test]
    fn instruction_checks_are_mechanical() {
        let checks = vec![Check::Items { count: 3 }, Check::MaxChars { count: 60 }];
        let ok = "1. 统一数据目录。\n2. 建设共享平台。\n3. 完善考核机制。";
        let result = instruction_result("i", ok, &checks);
        assert!(result.passed, "{:?}", result.failures);
        assert_eq!(result.score, 1.0);
        let two = "1. 统一数据目录。\n2. 建设共享平台。";
        let result = instruction_result("i", two, &checks);
        assert_eq!(result.score, 2.0 / 3.0);
        assert!(
            !instruction_result("i", "1. 統一數據目錄。\n2. 建設。\n3. 完善。", &checks).passed
        );
        let json = "```json\n{\"发文机关\": \"某局\", \"文号\": \"某〔2024〕1号\"}\n```";
        assert!(
            meets(
                json,
                &Check::Json {
                    keys: vec!["发文机关".into(), "文号".into()]
                }
            )
            .is_ok()
        );
        assert!(
            meets(
                json,
                &Check::Json {
                    keys: vec!["日期".into()]
                }
            )
            .is_err()
        );
        assert!(meets("我们认为应当如此。", &Check::EndsWith { text: "。".into() }).is_ok());
        assert!(!simplified_only("This is English only."));
    }

    #[test]
    fn every_figure_has_a_chinese_name() {
        let d = draft(&["现有存储容量200TB。"]);
        let m = measure_draft(&d, FACTS, &given(), [10, 1000], 1.0);
        let figures = draft_result("d", &m, "")
            .figures
            .into_iter()
            .chain(instruction_result("i", "好。", &[]).figures)
            .chain(retrieval_result("r", "a.md", &[], false).figures)
            .chain(retrieval_result("r", "", &[], false).figures)
            .chain(answer_result("a", "a.md", false, &[], "").figures);
        for f in figures {
            assert!(
                !wenshu_api::eval::figure_name_zh(&f.name).is_empty(),
                "{} has a Chinese name",
                f.name
            );
        }
    }

    #[test]
    fn retrieval_and_answers_score_by_rank_and_citation() {
        let ranked = vec!["a.md".to_string(), "b.md".to_string()];
        assert_eq!(retrieval_result("q", "a.md", &ranked, true).score, 1.0);
        assert_eq!(retrieval_result("q", "b.md", &ranked, true).score, 0.5);
        assert_eq!(retrieval_result("q", "c.md", &ranked, true).score, 0.0);
        assert_eq!(retrieval_result("q", "", &ranked, false).score, 1.0);
        assert_eq!(retrieval_result("q", "", &ranked, true).score, 0.0);
        let cited = vec!["a.md".to_string(), "b.md".to_string()];
        assert_eq!(answer_result("q", "a.md", true, &cited, "").score, 0.5);
        assert_eq!(answer_result("q", "a.md", false, &[], "").score, 0.0);
        assert_eq!(answer_result("q", "", false, &[], "").score, 1.0);
    }
}
