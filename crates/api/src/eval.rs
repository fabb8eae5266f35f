//! Model evaluation (测评): a suite run against one or several models, each dimension scored in
//! [0, 1] with the raw figures behind the score and every case that failed.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

/// What a suite measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// 公文 drafted from facts files: facts kept, nothing invented, the checker's verdict.
    Drafting,
    /// Knowledge-base search: the right document first, or among the first five.
    Retrieval,
    /// Cited answers: sources that answer the question, and 'nothing found' when none does.
    Answers,
    /// Format constraints in Chinese prompts: counts, numbering, JSON shape, Simplified only.
    Instructions,
    /// Prompt and generation speed, first-token latency and memory on this machine.
    Speed,
    /// 会议纪要 from transcripts: decisions kept with owner and deadline, facts kept, nothing
    /// invented, ROUGE-L against a reference.
    Minutes,
    /// Summaries of long documents: facts kept, nothing invented, citations that exist,
    /// ROUGE-L against a reference.
    Summaries,
}

impl Dimension {
    pub const ALL: [Dimension; 7] = [
        Dimension::Drafting,
        Dimension::Retrieval,
        Dimension::Answers,
        Dimension::Instructions,
        Dimension::Minutes,
        Dimension::Summaries,
        Dimension::Speed,
    ];

    /// The name `--only` takes.
    pub fn id(self) -> &'static str {
        match self {
            Dimension::Drafting => "drafting",
            Dimension::Retrieval => "retrieval",
            Dimension::Answers => "answers",
            Dimension::Instructions => "instructions",
            Dimension::Speed => "speed",
            Dimension::Minutes => "minutes",
            Dimension::Summaries => "summaries",
        }
    }

    /// The name officials read.
    pub fn name_zh(self) -> &'static str {
        match self {
            Dimension::Drafting => "公文起草",
            Dimension::Retrieval => "知识检索",
            Dimension::Answers => "引用问答",
            Dimension::Instructions => "指令遵循",
            Dimension::Speed => "速度与内存",
            Dimension::Minutes => "会议纪要",
            Dimension::Summaries => "长文摘要",
        }
    }

    pub fn parse(id: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.id() == id.trim())
    }
}

/// A raw figure behind a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// A stable name (facts_kept, recall_at_1, generation_tokens_per_second …).
    pub name: String,
    pub value: f64,
}

/// A figure's name in Chinese, for reports and the 测评 screen (the stable name stays beside it).
pub fn figure_name_zh(name: &str) -> &'static str {
    match name {
        "facts" => "事实条数",
        "facts_kept" => "写入的事实",
        "invented_items" => "编造的数字和名称",
        "checker_errors" => "格式错误",
        "checker_warnings" => "格式警告",
        "task_talk_sentences" => "谈论写作任务的句子",
        "repeated_sentences" => "重复的句子",
        "placeholders" => "占位符",
        "copied_share" => "照抄事实材料的比例",
        "elements_ok" => "要素正确的比例",
        "body_characters" => "正文字数",
        "length_ok" => "篇幅合适的比例",
        "seconds" => "每篇用时（秒）",
        "facts_repaired" => "经补写写入的事实",
        "facts_inserted" => "按原文补入的事实",
        "sentences_removed" => "删去的句子",
        "recall_at_1" => "首位命中率",
        "recall_at_5" => "前五位命中率",
        "nothing_found" => "正确回答“未找到”的比例",
        "citation_precision" => "引用准确率",
        "checks" => "检查项",
        "checks_met" => "满足的检查项",
        "score" => "得分",
        "prompt_tokens_per_second" => "提示处理速度（token/秒）",
        "generation_tokens_per_second" => "生成速度（token/秒）",
        "first_token_seconds" => "首字延迟（秒）",
        "peak_rss_bytes" => "内存峰值",
        "threads" => "线程数",
        "decisions" => "议定事项条数",
        "decisions_kept" => "写对责任和时限的议定事项",
        "unconfirmed_ok" => "正确标为待确认的比例",
        "rouge_l" => "与参考文本的 ROUGE-L",
        "citations" => "引用条数",
        "citations_valid_share" => "引用指向原文的比例",
        "input_tokens" => "输入 token 数",
        "pieces" => "分段数",
        _ => "",
    }
}

impl Figure {
    pub fn new(name: &str, value: f64) -> Self {
        Self {
            name: name.to_string(),
            value,
        }
    }
}

/// One case of a suite and how a model did on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    pub dimension: Dimension,
    pub id: String,
    /// In [0, 1].
    pub score: f64,
    /// Whether the case met everything it asks for.
    pub passed: bool,
    pub figures: Vec<Figure>,
    /// What it failed on, in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
    /// The model's output, kept for a failed case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}

/// A dimension's score for one model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionScore {
    pub dimension: Dimension,
    /// In [0, 1].
    pub score: f64,
    pub figures: Vec<Figure>,
    pub cases: usize,
    pub passed: usize,
}

impl DimensionScore {
    /// The score with the cases passed, `0.783（10/20）`, or the score alone for a dimension
    /// measured without cases (speed).
    #[must_use]
    pub fn summary(&self) -> String {
        if self.cases == 0 {
            format!("{:.3}", self.score)
        } else {
            format!("{:.3}（{}/{}）", self.score, self.passed, self.cases)
        }
    }
}

/// One model's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelEval {
    pub model: String,
    pub sha256: String,
    pub dimensions: Vec<DimensionScore>,
    pub cases: Vec<CaseResult>,
    pub seconds: f64,
}

/// The machine a run measured.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineInfo {
    pub cpu: String,
    pub cores: usize,
    pub memory_bytes: u64,
    pub os: String,
}

/// The suite a run used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiteInfo {
    pub name: String,
    pub version: String,
    /// Where it was read from (`built-in` for the default suite).
    pub source: String,
    /// SHA-256 over its files: two runs with the same hash ran the same cases.
    pub sha256: String,
    pub drafting_cases: usize,
    pub queries: usize,
    pub instruction_cases: usize,
    #[serde(default)]
    pub transcripts: usize,
    #[serde(default)]
    pub long_documents: usize,
}

/// A whole evaluation run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// Its id in the store, to compare with later runs.
    pub id: i64,
    /// Unix milliseconds.
    pub started_ms: i64,
    pub wenshu_version: String,
    pub machine: MachineInfo,
    pub suite: SuiteInfo,
    pub dimensions: Vec<Dimension>,
    pub models: Vec<ModelEval>,
    pub seconds: f64,
    /// Where the HTML report was written, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
}

/// A past run, as the store lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalRunInfo {
    pub id: i64,
    pub started_ms: i64,
    pub suite_sha256: String,
    pub model: String,
    pub model_sha256: String,
    pub dimensions: Vec<DimensionScore>,
}

/// Escapes text for HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Bar colours for the models, in order.
const COLOURS: [&str; 6] = [
    "#b3261e", "#1e5aa8", "#1e6b34", "#8a5a00", "#6b2fa0", "#333333",
];

/// A grouped bar chart as inline SVG: for each dimension a group with one bar per model,
/// scores 0 to 1. The HTML report and the desktop's 测评 screen draw the same chart.
pub fn chart_svg(report: &EvalReport) -> String {
    let groups = report.dimensions.len().max(1);
    let models = report.models.len().max(1);
    let (left, top, height, group_width) = (48.0, 16.0, 200.0, 40.0 + 28.0 * models as f64);
    // Wide enough for the bars and for the longest model name in the legend (12 px text: about
    // 7 px a Latin letter, 12 px a Chinese character).
    let longest_name = report
        .models
        .iter()
        .map(|m| {
            m.model
                .chars()
                .map(|c| if c.is_ascii() { 7.0 } else { 12.0 })
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    let width = (left + group_width * groups as f64 + 16.0).max(left + 20.0 + longest_name + 16.0);
    let legend = 24.0 * models as f64;
    let total_height = top + height + 40.0 + legend;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{total_height:.0}" viewBox="0 0 {width:.0} {total_height:.0}" role="img" aria-label="各维度得分">"#
    );
    for tick in 0..=4 {
        let value = f64::from(tick) / 4.0;
        let y = top + height * (1.0 - value);
        let _ = write!(
            svg,
            r##"<line x1="{left}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end">{value:.2}</text>"##,
            width - 8.0,
            left - 6.0,
            y + 4.0
        );
    }
    for (g, dimension) in report.dimensions.iter().enumerate() {
        let x0 = left + group_width * g as f64 + 20.0;
        for (m, model) in report.models.iter().enumerate() {
            let score = model
                .dimensions
                .iter()
                .find(|d| d.dimension == *dimension)
                .map_or(0.0, |d| d.score.clamp(0.0, 1.0));
            let bar = height * score;
            let x = x0 + 28.0 * m as f64;
            let _ = write!(
                svg,
                r#"<rect class="bar" x="{x:.1}" y="{:.1}" width="22" height="{bar:.1}" fill="{}"><title>{} {}：{score:.3}</title></rect>"#,
                top + height - bar,
                COLOURS[m % COLOURS.len()],
                escape_html(&model.model),
                dimension.name_zh()
            );
        }
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle">{}</text>"#,
            x0 + 14.0 * models as f64 - 3.0,
            top + height + 18.0,
            dimension.name_zh()
        );
    }
    for (m, model) in report.models.iter().enumerate() {
        let y = top + height + 36.0 + 24.0 * m as f64;
        let _ = write!(
            svg,
            r#"<rect x="{left}" y="{:.1}" width="14" height="14" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="12">{}</text>"#,
            y - 11.0,
            COLOURS[m % COLOURS.len()],
            left + 20.0,
            y,
            escape_html(&model.model)
        );
    }
    svg.push_str("</svg>");
    svg
}
