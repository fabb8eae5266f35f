//! The report as one self-contained HTML file: no script, no font or image from anywhere, the
//! charts inline SVG. A chart of every dimension's score with the models side by side, a table
//! per dimension with the raw figures, and every failed case with the output that failed it.

use std::fmt::Write;

use wenshu_api::eval::{chart_svg, escape_html as esc, figure_name_zh};
use wenshu_api::{Dimension, EvalReport};

/// A figure's value as a table shows it.
fn value(name: &str, v: f64) -> String {
    if name.ends_with("bytes") {
        format!("{:.0} MiB", v / (1024.0 * 1024.0))
    } else if v.fract() == 0.0 && v.abs() < 1e12 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

/// The whole report.
pub fn render(report: &EvalReport) -> String {
    let mut html = String::new();
    let title = format!("文枢测评报告 · {}", report.suite.name);
    let _ = write!(
        html,
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{}</title><style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2rem; color: #222; }}
h1 {{ color: #b3261e; font-size: 1.5rem; }} h2 {{ border-bottom: 2px solid #b3261e; padding-bottom: .2rem; }}
table {{ border-collapse: collapse; margin: .5rem 0 1.5rem; }} th, td {{ border: 1px solid #ccc; padding: .3rem .6rem; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }} th {{ background: #f6f0f0; }}
.meta td {{ text-align: left; }} .fail {{ border-left: 4px solid #b3261e; padding: .3rem .8rem; margin: .6rem 0; background: #fbf6f6; }}
pre {{ white-space: pre-wrap; background: #fff; border: 1px solid #eee; padding: .5rem; }}
</style></head><body><h1>{}</h1>"#,
        esc(&title),
        esc(&title)
    );
    let _ = write!(
        html,
        r#"<table class="meta"><tr><td>测评集</td><td>{} {}（{}）</td></tr><tr><td>测评集 SHA-256</td><td><code>{}</code></td></tr><tr><td>文枢版本</td><td>{}</td></tr><tr><td>机器</td><td>{}，{} 核，内存 {:.1} GiB，{}</td></tr><tr><td>用时</td><td>{:.1} 秒</td></tr><tr><td>记录编号</td><td>{}</td></tr></table>"#,
        esc(&report.suite.name),
        esc(&report.suite.version),
        esc(&report.suite.source),
        esc(&report.suite.sha256),
        esc(&report.wenshu_version),
        esc(&report.machine.cpu),
        report.machine.cores,
        report.machine.memory_bytes as f64 / f64::from(1u32 << 30),
        esc(&report.machine.os),
        report.seconds,
        report.id
    );
    html.push_str("<h2>模型</h2><table><tr><th>模型</th><th>SHA-256</th><th>用时（秒）</th></tr>");
    for m in &report.models {
        let _ = write!(
            html,
            "<tr><td>{}</td><td><code>{}</code></td><td>{:.1}</td></tr>",
            esc(&m.model),
            esc(&m.sha256),
            m.seconds
        );
    }
    html.push_str("</table><h2>各维度得分</h2>");
    html.push_str(&chart_svg(report));
    for dimension in &report.dimensions {
        let _ = write!(
            html,
            "<h2>{}</h2><table><tr><th>指标</th>",
            dimension.name_zh()
        );
        for m in &report.models {
            let _ = write!(html, "<th>{}</th>", esc(&m.model));
        }
        html.push_str("</tr>");
        let scores: Vec<_> = report
            .models
            .iter()
            .map(|m| m.dimensions.iter().find(|d| d.dimension == *dimension))
            .collect();
        html.push_str("<tr><td><strong>得分</strong></td>");
        for s in &scores {
            let _ = write!(
                html,
                "<td><strong>{:.3}</strong></td>",
                s.map_or(0.0, |s| s.score)
            );
        }
        html.push_str("</tr><tr><td>通过用例</td>");
        for s in &scores {
            match s.filter(|s| s.cases > 0) {
                Some(s) => {
                    let _ = write!(html, "<td>{}/{}</td>", s.passed, s.cases);
                }
                None => html.push_str("<td>—</td>"),
            }
        }
        html.push_str("</tr>");
        let names: Vec<String> = scores
            .iter()
            .flatten()
            .flat_map(|s| s.figures.iter().map(|f| f.name.clone()))
            .fold(Vec::new(), |mut names, n| {
                if !names.contains(&n) {
                    names.push(n);
                }
                names
            });
        for name in names.iter().filter(|n| *n != "score") {
            let zh = figure_name_zh(name);
            let _ = write!(
                html,
                "<tr><td>{} <small>{}</small></td>",
                esc(if zh.is_empty() { name } else { zh }),
                esc(name)
            );
            for s in &scores {
                let v = s.and_then(|s| s.figures.iter().find(|f| &f.name == name));
                let _ = write!(
                    html,
                    "<td>{}</td>",
                    v.map_or_else(|| "—".to_string(), |f| value(name, f.value))
                );
            }
            html.push_str("</tr>");
        }
        html.push_str("</table>");
        for m in &report.models {
            let failed: Vec<_> = m
                .cases
                .iter()
                .filter(|c| c.dimension == *dimension && !c.passed)
                .collect();
            if failed.is_empty() {
                continue;
            }
            let _ = write!(
                html,
                "<details><summary>{} 未通过的用例（{} 个）</summary>",
                esc(&m.model),
                failed.len()
            );
            for c in failed {
                let _ = write!(
                    html,
                    "<div class=\"fail\"><strong>{}</strong> 得分 {:.3}：{}",
                    esc(&c.id),
                    c.score,
                    esc(&c.failures.join("；"))
                );
                if let Some(output) = &c.output {
                    let _ = write!(html, "<pre>{}</pre>", esc(output));
                }
                html.push_str("</div>");
            }
            html.push_str("</details>");
        }
    }
    if report.dimensions.contains(&Dimension::Speed) {
        html.push_str("<p>速度与内存为本机实测值，两次运行会略有不同；其余维度在同一测评集、同一模型下每次得分相同。</p>");
    }
    html.push_str("</body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use wenshu_api::{DimensionScore, MachineInfo, ModelEval, SuiteInfo};

    #[test]
    fn the_report_is_self_contained_and_escapes_what_models_wrote() {
        let model = |name: &str, score: f64| ModelEval {
            model: name.into(),
            sha256: "ab".repeat(32),
            dimensions: vec![DimensionScore {
                dimension: Dimension::Drafting,
                score,
                figures: vec![wenshu_api::Figure::new("facts_kept", 1.0)],
                cases: 1,
                passed: 0,
            }],
            cases: vec![wenshu_api::CaseResult {
                dimension: Dimension::Drafting,
                id: "c1".into(),
                score,
                passed: false,
                figures: Vec::new(),
                failures: vec!["编造：1200".into()],
                output: Some("<script>alert(1)</script>".into()),
            }],
            seconds: 1.0,
        };
        let report = EvalReport {
            id: 1,
            started_ms: 0,
            wenshu_version: "0.1.0".into(),
            machine: MachineInfo::default(),
            suite: SuiteInfo::default(),
            dimensions: vec![Dimension::Drafting],
            models: vec![model("small", 0.5), model("large", 0.75)],
            seconds: 2.0,
            html: None,
        };
        let html = render(&report);
        assert!(html.contains("<svg"), "inline chart");
        assert_eq!(
            html.matches("class=\"bar\"").count(),
            2,
            "one bar per model"
        );
        assert!(!html.contains("<script"), "what a model wrote is escaped");
        assert!(
            !html.contains("http://") || html.matches("http://").count() == 1,
            "no links out but the SVG namespace"
        );
        assert!(!html.contains("https://"));
        assert!(html.contains("编造：1200"));
    }
}
