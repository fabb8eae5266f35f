//! Times drafting one document of each of the 15 types with a model (the default one unless a
//! path is given), in throw-away Wenshu homes, twice in one run: with the facts guard (each
//! section its own facts, repair steps, nothing invented) and without it (`draft.guard = false`,
//! the reference: every section sees the whole facts file and keeps what the model wrote). It
//! prints one JSON line per type and run and a summary with both means and their ratio:
//! `cargo run --release -p wenshu-app --example draft_bench [-- MODEL.gguf]`.

use std::path::PathBuf;
use std::sync::Arc;

use wenshu_app::{Cancel, DraftRequest, Home, ImportMode, Wenshu};
use wenshu_core::document::{Date, DocType, Element, Requirement};

const FACTS: &str = "\
2024年全省政务数据共享平台接入单位120个，累计共享数据38亿条。
计划于2024年6月30日前完成数据目录编制，12月31日前完成数据质量评估。
牵头单位：广东省政务服务数据管理局；配合单位：各地级以上市政务服务数据管理局。
";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/wenshu/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
        });
    let mut means = Vec::new();
    for guard in [false, true] {
        means.push(bench(&model, guard)?);
    }
    println!(
        "{{\"model\": \"{}\", \"types\": 15, \"mean_ms_unguarded\": {}, \"mean_ms_guarded\": {}, \"ratio\": {:.3}}}",
        model.display(),
        means[0],
        means[1],
        means[1] as f64 / means[0].max(1) as f64
    );
    Ok(())
}

/// Drafts the 15 types with the guard on or off; the mean milliseconds.
fn bench(model: &std::path::Path, guard: bool) -> Result<u64, Box<dyn std::error::Error>> {
    let home =
        std::env::temp_dir().join(format!("wenshu-draft-bench-{}-{guard}", std::process::id()));
    let env = [("WENSHU_DRAFT__GUARD".to_string(), guard.to_string())];
    let wenshu = Wenshu::open(Home::at(&home), &env)?.with_clock(Arc::new(|| 1_710_900_000_000));
    wenshu.import_model(model, Some("bench"), ImportMode::Symlink)?;
    let mut total_ms = 0u64;
    let mut total_tokens = 0u32;
    for doc_type in DocType::ALL {
        let addressees = match doc_type.requirement(Element::Addressee) {
            Requirement::Forbidden => Vec::new(),
            _ if doc_type.direction() == wenshu_core::document::Direction::Upward => {
                vec!["广东省人民政府".to_string()]
            }
            _ => vec!["各地级以上市政务服务数据管理局".to_string()],
        };
        let signers = match doc_type.requirement(Element::Signer) {
            Requirement::Required => vec!["张三".to_string()],
            _ => Vec::new(),
        };
        let request = DraftRequest {
            doc_type: Some(doc_type),
            issuer: "广东省政务服务数据管理局".into(),
            topic: "推进政务数据目录编制和质量评估".into(),
            addressees,
            signers,
            facts: Some(FACTS.into()),
            number: Some("粤政数〔2024〕7号".into()),
            date: Date::new(2024, 3, 20),
            seed: Some(1),
            ..DraftRequest::default()
        };
        let draft = wenshu.draft(&request, &Cancel::new(), &mut |_| {})?;
        let tokens: u32 = draft.steps.iter().map(|s| s.completion_tokens).sum();
        let prompt: u32 = draft.steps.iter().map(|s| s.prompt_tokens).sum();
        let reused: u32 = draft.steps.iter().map(|s| s.reused_tokens).sum();
        let errors = draft
            .findings
            .iter()
            .filter(|f| f.severity == "error")
            .count();
        total_ms += draft.milliseconds;
        total_tokens += tokens;
        let kept = draft
            .facts
            .facts
            .iter()
            .filter(|f| f.status != wenshu_app::api::FactStatus::Missing)
            .count();
        println!(
            "{{\"guard\": {guard}, \"type\": \"{}\", \"ms\": {}, \"calls\": {}, \"prompt_tokens\": {prompt}, \"reused_tokens\": {reused}, \"tokens\": {tokens}, \"tokens_per_s\": {:.1}, \"errors\": {errors}, \"warnings\": {}, \"facts\": {}, \"facts_kept\": {kept}, \"removed\": {}}}",
            doc_type.name(),
            draft.milliseconds,
            draft.steps.len(),
            f64::from(tokens) * 1000.0 / draft.milliseconds.max(1) as f64,
            draft.findings.len() - errors,
            draft.facts.facts.len(),
            draft.facts.removed.len(),
        );
    }
    println!(
        "{{\"guard\": {guard}, \"types\": 15, \"mean_ms\": {}, \"tokens\": {total_tokens}}}",
        total_ms / 15
    );
    let _ = std::fs::remove_dir_all(&home);
    Ok(total_ms / 15)
}
