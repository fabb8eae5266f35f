//! The scorers of minutes and summaries: decisions kept with their owner and deadline, key
//! facts kept, nothing invented, citations that point into the source, and character-level
//! ROUGE-L against a reference written by hand. Pure functions, tested on hand-made outputs.

use wenshu_api::{CaseResult, Dimension, Figure, Minutes, SourceLine, SourceRef, Summary};
use wenshu_core::facts::invented;
use wenshu_core::meeting::{UNCONFIRMED, searchable as plain};
use wenshu_core::text::{fold_width, heading_marker, is_han};

use super::suite::KnownDecision;

/// The characters ROUGE-L compares: Han characters, letters and digits, half width; a line's
/// heading marker (一、 （二） 3.) left out.
fn compared(text: &str) -> Vec<char> {
    text.lines()
        .map(str::trim)
        .map(|l| heading_marker(l).map_or(l, |m| &l[m.len..]))
        .flat_map(str::chars)
        .map(fold_width)
        .filter(|&c| is_han(c) || c.is_alphanumeric())
        .collect()
}

/// Character-level ROUGE-L: the F1 of the longest common subsequence of `candidate` and
/// `reference`, over Han characters, letters and digits. 0 when either is empty.
pub fn rouge_l(candidate: &str, reference: &str) -> f64 {
    let a = compared(candidate);
    let b = compared(reference);
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let mut row = vec![0u32; b.len() + 1];
    for &x in &a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if x == y { diagonal + 1 } else { up.max(row[j]) };
            diagonal = up;
        }
    }
    let lcs = f64::from(row[b.len()]);
    let precision = lcs / a.len() as f64;
    let recall = lcs / b.len() as f64;
    if lcs == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// The facts of `facts` that `text` has, word for word (width and spaces aside).
fn kept(facts: &[String], text: &str) -> usize {
    let text = plain(text);
    facts.iter().filter(|f| text.contains(&plain(f))).count()
}

/// Whether a value (an owner, a deadline) says what was expected: the same words, a deadline's
/// closing 前 aside; an expected 待确认 wants the mark.
fn says(value: &str, expected: &str) -> bool {
    let value = plain(value);
    if expected == UNCONFIRMED {
        return value == UNCONFIRMED;
    }
    let expected = plain(expected);
    let expected = expected.strip_suffix('前').unwrap_or(&expected);
    !expected.is_empty() && value.contains(expected)
}

/// A minutes case's result: the score is the mean of the share of known decisions kept with
/// both owner and deadline right (or marked 待确认 where the transcript gives none), the share
/// of key facts kept, nothing invented, and ROUGE-L of the 议定事项 against the reference.
/// `given` is everything the input said: names and numbers not in it are invented.
pub fn minutes_result(
    id: &str,
    minutes: &Minutes,
    known: &[KnownDecision],
    facts: &[String],
    reference: &str,
    given: &str,
    seconds: f64,
) -> CaseResult {
    let mut used = vec![false; minutes.decisions.len()];
    let mut missed = Vec::new();
    for k in known {
        let found = minutes.decisions.iter().enumerate().position(|(i, d)| {
            !used[i] && says(&d.owner.text, &k.owner) && says(&d.deadline.text, &k.deadline)
        });
        match found {
            Some(i) => used[i] = true,
            None => missed.push(format!("{}（{}）", k.owner, k.deadline)),
        }
    }
    let decisions_kept = known.len() - missed.len();
    let written: Vec<&str> = std::iter::once(minutes.overview.as_str())
        .chain(
            minutes
                .decisions
                .iter()
                .flat_map(|d| [d.heading.as_str(), d.text.as_str()]),
        )
        .chain(minutes.requirements.iter().map(|r| r.text.as_str()))
        .collect();
    let invented: Vec<String> = invented(&written.join("\n"), given)
        .into_iter()
        .map(|i| i.text)
        .collect();
    let facts_kept = kept(facts, &minutes.text);
    let items: Vec<&str> = minutes.decisions.iter().map(|d| d.text.as_str()).collect();
    let rouge = if reference.trim().is_empty() {
        None
    } else {
        Some(rouge_l(&items.join("\n"), reference))
    };
    let share = |n: usize, of: usize| if of == 0 { 1.0 } else { n as f64 / of as f64 };
    let mut parts = vec![
        share(decisions_kept, known.len()),
        share(facts_kept, facts.len()),
        if invented.is_empty() { 1.0 } else { 0.0 },
    ];
    parts.extend(rouge);
    let mut failures = Vec::new();
    if !missed.is_empty() {
        failures.push(format!(
            "议定事项缺漏或责任、时限不对：{}",
            missed.join("、")
        ));
    }
    if facts_kept < facts.len() {
        failures.push(format!("关键事实 {facts_kept}/{}", facts.len()));
    }
    if !invented.is_empty() {
        failures.push(format!("编造：{}", invented.join("、")));
    }
    // Facts lost on the way are scored, not failed: a 纪要 keeps decisions, not every figure.
    let passed = missed.is_empty() && invented.is_empty();
    let mut figures = vec![
        Figure::new("decisions", known.len() as f64),
        Figure::new("decisions_kept", decisions_kept as f64),
        Figure::new("facts", facts.len() as f64),
        Figure::new("facts_kept", facts_kept as f64),
        Figure::new("invented_items", invented.len() as f64),
    ];
    figures.extend(rouge.map(|r| Figure::new("rouge_l", r)));
    figures.push(Figure::new(
        "input_tokens",
        minutes.stats.input_tokens as f64,
    ));
    figures.push(Figure::new("pieces", minutes.stats.pieces as f64));
    figures.push(Figure::new("seconds", seconds));
    CaseResult {
        dimension: Dimension::Minutes,
        id: id.to_string(),
        score: parts.iter().sum::<f64>() / parts.len() as f64,
        passed,
        figures,
        failures,
        output: (!passed).then(|| minutes.markdown.clone()),
    }
}

/// Whether `source` points at something in `lines`: a line, paragraph or page that exists, or
/// a section heading that the file has.
fn points_into(source: &SourceRef, lines: &[SourceLine]) -> bool {
    lines.iter().any(|l| source.covers(l))
        || source.section.as_deref().is_some_and(|section| {
            lines
                .iter()
                .any(|l| l.file == source.file && l.text.contains(section.trim()))
        })
}

/// A summary case's result: the score is the mean of the share of key facts kept (in the
/// summary and its points), nothing invented, the share of points whose citations all point
/// into the source, and ROUGE-L of the summary against the reference. `lines` are the
/// document's numbered paragraphs; `given` its text.
pub fn summary_result(
    id: &str,
    summary: &Summary,
    lines: &[SourceLine],
    facts: &[String],
    reference: &str,
    given: &str,
    seconds: f64,
) -> CaseResult {
    let written: Vec<&str> = std::iter::once(summary.summary.as_str())
        .chain(summary.points.iter().map(|p| p.text.as_str()))
        .collect();
    let written = written.join("\n");
    let facts_kept = kept(facts, &written);
    let invented: Vec<String> = invented(&written, given)
        .into_iter()
        .map(|i| i.text)
        .collect();
    let citations: usize = summary.points.iter().map(|p| p.sources.len()).sum();
    let well_cited = summary
        .points
        .iter()
        .filter(|p| !p.sources.is_empty() && p.sources.iter().all(|s| points_into(s, lines)))
        .count();
    let rouge = if reference.trim().is_empty() {
        None
    } else {
        Some(rouge_l(&summary.summary, reference))
    };
    let share = |n: usize, of: usize| if of == 0 { 1.0 } else { n as f64 / of as f64 };
    let cited_share = if summary.points.is_empty() {
        0.0
    } else {
        share(well_cited, summary.points.len())
    };
    let mut parts = vec![
        share(facts_kept, facts.len()),
        if invented.is_empty() { 1.0 } else { 0.0 },
        cited_share,
    ];
    parts.extend(rouge);
    let mut failures = Vec::new();
    if summary.points.is_empty() {
        failures.push("没有要点".to_string());
    } else if well_cited < summary.points.len() {
        failures.push(format!(
            "引用有误的要点 {}/{}",
            summary.points.len() - well_cited,
            summary.points.len()
        ));
    }
    if facts_kept < facts.len() {
        failures.push(format!("关键事实 {facts_kept}/{}", facts.len()));
    }
    if !invented.is_empty() {
        failures.push(format!("编造：{}", invented.join("、")));
    }
    // Half the key facts at least: a summary shortens, but must not lose the substance.
    let passed = invented.is_empty()
        && !summary.points.is_empty()
        && well_cited == summary.points.len()
        && facts_kept * 2 >= facts.len();
    let mut figures = vec![
        Figure::new("facts", facts.len() as f64),
        Figure::new("facts_kept", facts_kept as f64),
        Figure::new("invented_items", invented.len() as f64),
        Figure::new("citations", citations as f64),
        Figure::new("citations_valid_share", cited_share),
    ];
    figures.extend(rouge.map(|r| Figure::new("rouge_l", r)));
    figures.push(Figure::new(
        "input_tokens",
        summary.stats.input_tokens as f64,
    ));
    figures.push(Figure::new("pieces", summary.stats.pieces as f64));
    figures.push(Figure::new("seconds", seconds));
    CaseResult {
        dimension: Dimension::Summaries,
        id: id.to_string(),
        score: parts.iter().sum::<f64>() / parts.len() as f64,
        passed,
        figures,
        failures,
        output: (!passed).then(|| summary.markdown.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wenshu_api::{CheckedValue, DecisionInfo, PointInfo, PointOrigin};

    #[test]
    fn rouge_l_is_the_f1_of_the_longest_common_subsequence() {
        assert!((rouge_l("信息中心负责", "信息中心负责") - 1.0).abs() < 1e-9);
        assert_eq!(rouge_l("", "信息中心"), 0.0);
        assert_eq!(rouge_l("甲乙丙", "丁戊己"), 0.0);
        // LCS 信息中心 = 4 of 6 and of 4: P = 2/3, R = 1, F1 = 0.8.
        assert!((rouge_l("信息中心负责", "信息中心") - 0.8).abs() < 1e-9);
        // Headings, punctuation, spaces and widths do not count.
        assert!((rouge_l("一、信息中心，６月", "（一）信息 中心6月") - 1.0).abs() < 1e-9);
        // Order matters: a subsequence, not a bag.
        assert!(rouge_l("心中息信", "信息中心") < 0.5);
    }

    fn decision(owner: &str, deadline: &str, text: &str) -> DecisionInfo {
        let value = |t: &str| CheckedValue {
            text: t.into(),
            confirmed: t != UNCONFIRMED,
        };
        DecisionInfo {
            heading: String::new(),
            text: text.into(),
            owner: value(owner),
            deadline: value(deadline),
            source: SourceRef {
                file: "会议.txt".into(),
                lines: Some((3, 4)),
                ..SourceRef::default()
            },
            origin: PointOrigin::Model,
        }
    }

    fn known(owner: &str, deadline: &str) -> KnownDecision {
        KnownDecision {
            owner: owner.into(),
            deadline: deadline.into(),
        }
    }

    fn minutes(decisions: Vec<DecisionInfo>) -> Minutes {
        let text = decisions
            .iter()
            .map(|d| d.text.clone())
            .collect::<Vec<_>>()
            .join("\n");
        Minutes {
            level: String::new(),
            record: false,
            fields: Default::default(),
            overview: "会议研究了平台对接事项。".into(),
            decisions,
            requirements: Vec::new(),
            speeches: Vec::new(),
            document: Default::default(),
            text: text.clone(),
            markdown: text,
            skipped: Vec::new(),
            stats: Default::default(),
            model: "m".into(),
            model_sha256: String::new(),
        }
    }

    const GIVEN: &str =
        "平台对接由信息中心负责，6月30日前完成12个部门的对接。预案由办公室修订，时间再定。";

    #[test]
    fn minutes_keep_decisions_only_with_owner_and_deadline_right() {
        let want = [known("信息中心", "6月30日前"), known("办公室", UNCONFIRMED)];
        let facts = vec!["12个部门".to_string()];
        let good = minutes(vec![
            decision(
                "信息中心",
                "6月30日",
                "信息中心负责平台对接，6月30日前完成12个部门的对接。",
            ),
            decision("办公室", UNCONFIRMED, "办公室负责修订预案。"),
        ]);
        let r = minutes_result("c", &good, &want, &facts, "", GIVEN, 1.0);
        assert!(r.passed, "{:?}", r.failures);
        assert!((r.score - 1.0).abs() < 1e-9, "{}", r.score);
        assert!(
            r.figures.iter().all(|f| f.name != "rouge_l"),
            "no reference, no ROUGE-L"
        );

        // A guessed deadline where the transcript gives none fails; so does an invented number.
        let guessed = minutes(vec![
            decision(
                "信息中心",
                "6月30日前",
                "信息中心负责平台对接，6月30日前完成15个部门的对接。",
            ),
            decision("办公室", "7月1日前", "办公室负责修订预案。"),
        ]);
        let r = minutes_result("c", &guessed, &want, &facts, "", GIVEN, 1.0);
        assert!(!r.passed);
        let figure =
            |r: &CaseResult, name: &str| r.figures.iter().find(|f| f.name == name).map(|f| f.value);
        assert_eq!(figure(&r, "decisions_kept"), Some(1.0));
        assert!(figure(&r, "invented_items").unwrap_or(0.0) >= 1.0);
        assert_eq!(figure(&r, "facts_kept"), Some(0.0));
        assert!(r.output.is_some(), "a failed case keeps its output");

        // One output decision answers one known decision only.
        let once = minutes(vec![decision("信息中心", "6月30日", "信息中心负责。")]);
        let two = [
            known("信息中心", "6月30日前"),
            known("信息中心", "6月30日前"),
        ];
        let r = minutes_result("c", &once, &two, &[], "", GIVEN, 1.0);
        assert_eq!(figure(&r, "decisions_kept"), Some(1.0));
    }

    fn point(text: &str, source: SourceRef) -> PointInfo {
        PointInfo {
            text: text.into(),
            speaker: None,
            sources: vec![source],
            origin: PointOrigin::Model,
        }
    }

    #[test]
    fn summaries_cite_what_exists_and_keep_the_facts() {
        let line = |n: u32, text: &str| SourceLine {
            file: "方案.md".into(),
            number: n,
            page: None,
            speaker: None,
            text: text.into(),
        };
        let lines = vec![
            line(1, "一、总体目标"),
            line(2, "到2027年，网上可办率达到95%以上。"),
        ];
        let at = |paragraphs: (u32, u32)| SourceRef {
            file: "方案.md".into(),
            paragraphs: Some(paragraphs),
            ..SourceRef::default()
        };
        let section = SourceRef {
            file: "方案.md".into(),
            section: Some("一、总体目标".into()),
            ..SourceRef::default()
        };
        let given = "一、总体目标\n到2027年，网上可办率达到95%以上。";
        let summary = |points: Vec<PointInfo>, text: &str| Summary {
            level: String::new(),
            files: vec!["方案.md".into()],
            summary: text.into(),
            points,
            markdown: text.into(),
            skipped: Vec::new(),
            stats: Default::default(),
            model: "m".into(),
            model_sha256: String::new(),
        };
        let facts = vec!["2027年".to_string(), "95%".to_string()];
        let good = summary(
            vec![
                point("到2027年网上可办率达到95%以上。", at((2, 2))),
                point("明确了总体目标。", section),
            ],
            "方案提出到2027年网上可办率达到95%以上。",
        );
        let r = summary_result("d", &good, &lines, &facts, given, given, 1.0);
        assert!(r.passed, "{:?}", r.failures);
        assert!(
            r.figures
                .iter()
                .any(|f| f.name == "rouge_l" && f.value > 0.5)
        );

        // A paragraph that does not exist, and a number the document never gave.
        let bad = summary(
            vec![point("到2028年可办率达到95%。", at((7, 9)))],
            "方案提出到2028年可办率达到95%。",
        );
        let r = summary_result("d", &bad, &lines, &facts, "", given, 1.0);
        assert!(!r.passed);
        assert!(
            r.failures.iter().any(|f| f.contains("引用有误")),
            "{:?}",
            r.failures
        );
        assert!(
            r.failures.iter().any(|f| f.contains("2028")),
            "{:?}",
            r.failures
        );
        assert!(r.score < 0.5, "{}", r.score);
    }
}
