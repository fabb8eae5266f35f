//! The runtime on the real default model: tokenizer, chat template, determinism, streaming,
//! cancellation, context limits and constrained output.

#[path = "../../../tests/support/mod.rs"]
mod support;

use wenshu_core::{
    CancelFlag, Constraint, GenerationRequest, LanguageModel, ModelError, Sampling, StopReason,
    Turn,
};
use wenshu_llm::{LocalModel, RuntimeOptions};

fn open(context_tokens: u32) -> LocalModel {
    let options = RuntimeOptions {
        threads: 1,
        threads_batch: 1,
        context_tokens,
        batch_tokens: 128,
        gpu_layers: 0,
        reuse_prompt: true,
    };
    LocalModel::open(&support::default_model(), options).expect("the default model loads")
}

fn request(question: &str, sampling: Sampling) -> GenerationRequest {
    GenerationRequest {
        turns: vec![Turn::system("你是一个简洁的助手。"), Turn::user(question)],
        sampling,
        constraint: Constraint::None,
    }
}

fn generate(
    model: &mut LocalModel,
    request: &GenerationRequest,
) -> (String, Vec<String>, StopReason) {
    let mut pieces = Vec::new();
    let completion = model
        .generate(request, &CancelFlag::new(), &mut |t| {
            pieces.push(t.to_string())
        })
        .expect("generation succeeds");
    (completion.text, pieces, completion.stop)
}

#[test]
fn metadata_describes_the_default_model() {
    let model = open(2048);
    let meta = model.metadata();
    assert_eq!(meta.architecture, "qwen2");
    assert_eq!(meta.quantization, "Q4_K_M");
    assert_eq!(
        meta.context_length, 32768,
        "trained context from the GGUF metadata"
    );
    assert!(
        meta.chat_template
            .as_deref()
            .is_some_and(|t| t.contains("im_start")),
        "ChatML template stored in the file"
    );
    assert_eq!(
        model.context_window(),
        2048,
        "the configured window, below the trained one"
    );
}

#[test]
fn chinese_text_round_trips_through_the_tokenizer() {
    let model = open(2048);
    let text = "广东省政务服务数据管理局关于推进数字政府建设的通知（粤政数〔2024〕7号）";
    let tokens = model.tokenize(text, false);
    assert!(
        tokens.len() < text.chars().count(),
        "common words merge into fewer tokens than characters"
    );
    assert_eq!(
        model.detokenize(&tokens),
        text,
        "decoding the tokens gives the text back exactly"
    );
    assert_eq!(model.count_tokens(text).expect("count"), tokens.len());
}

#[test]
fn chat_template_of_the_model_is_applied() {
    let model = open(2048);
    let prompt = model
        .render_prompt(&[
            Turn::system("系统"),
            Turn::user("你好"),
            Turn::assistant("您好"),
            Turn::user("再见"),
        ])
        .expect("template applies");
    assert!(
        prompt.starts_with("<|im_start|>system\n系统<|im_end|>"),
        "system turn first: {prompt}"
    );
    assert!(
        prompt.contains("<|im_start|>user\n你好<|im_end|>"),
        "{prompt}"
    );
    assert!(
        prompt.contains("<|im_start|>assistant\n您好<|im_end|>"),
        "{prompt}"
    );
    assert!(
        prompt.ends_with("<|im_start|>assistant\n"),
        "ends ready for the answer: {prompt}"
    );
}

#[test]
fn greedy_generation_is_deterministic_and_streams_whole_characters() {
    let mut model = open(2048);
    let req = request("用两句话说明什么是公文。", Sampling::greedy(48));
    let (first, pieces, _) = generate(&mut model, &req);
    assert!(!first.trim().is_empty(), "the model answers");
    assert!(
        first
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "in Chinese: {first}"
    );
    assert_eq!(
        pieces.concat(),
        first,
        "the streamed pieces are exactly the answer"
    );
    assert!(
        !first.contains('\u{fffd}'),
        "no character was cut between tokens: {first}"
    );
    // The second run reuses the cached prompt and must still give the same answer.
    let (second, _, _) = generate(&mut model, &req);
    assert_eq!(first, second, "greedy decoding gives the same answer twice");
    let mut fresh = open(2048);
    let (third, _, _) = generate(&mut fresh, &req);
    assert_eq!(first, third, "and the same answer in a fresh context");
}

#[test]
fn seeded_sampling_is_reproducible() {
    let mut model = open(2048);
    let sampling = Sampling {
        temperature: 0.9,
        seed: 1234,
        max_tokens: 32,
        ..Sampling::default()
    };
    let req = request("写一句关于春天的话。", sampling);
    let (a, _, _) = generate(&mut model, &req);
    let (b, _, _) = generate(&mut model, &req);
    assert_eq!(a, b, "the same seed gives the same sampled answer");
}

#[test]
fn max_tokens_stops_the_answer() {
    let mut model = open(2048);
    let req = request("请详细介绍中国的行政区划。", Sampling::greedy(5));
    let completion = model
        .generate(&req, &CancelFlag::new(), &mut |_| {})
        .expect("generates");
    assert_eq!(completion.completion_tokens, 5);
    assert_eq!(completion.stop, StopReason::MaxTokens);
}

#[test]
fn cancellation_mid_stream_returns_the_partial_answer() {
    let mut model = open(2048);
    let cancel = CancelFlag::new();
    let mut seen = 0;
    let req = request(
        "请写一篇五百字的文章，介绍数字政府建设。",
        Sampling::greedy(400),
    );
    let completion = model
        .generate(&req, &cancel, &mut |_| {
            seen += 1;
            if seen == 3 {
                cancel.cancel();
            }
        })
        .expect("a cancelled generation is not an error");
    assert_eq!(completion.stop, StopReason::Cancelled);
    assert!(!completion.text.is_empty(), "the partial text is kept");
    assert!(
        completion.completion_tokens <= 6,
        "stops within a token or two: {}",
        completion.completion_tokens
    );
}

#[test]
fn cancellation_before_the_prompt_is_read_stops_at_once() {
    let mut model = open(2048);
    let cancel = CancelFlag::new();
    cancel.cancel();
    let req = request("你好", Sampling::greedy(16));
    let completion = model
        .generate(&req, &cancel, &mut |_| {})
        .expect("not an error");
    assert_eq!(completion.stop, StopReason::Cancelled);
    assert_eq!(completion.completion_tokens, 0);
}

#[test]
fn long_conversation_drops_oldest_turns_and_keeps_the_system_prompt() {
    let mut model = open(512);
    let filler = "这是一段用于填充上下文窗口的较长的历史对话内容，".repeat(8);
    let mut turns = vec![Turn::system("你是助手。")];
    for i in 0..6 {
        turns.push(Turn::user(format!("第{i}个问题：{filler}")));
        turns.push(Turn::assistant(format!("第{i}个回答：{filler}")));
    }
    turns.push(Turn::user("最后的问题：一加一等于几？"));
    let req = GenerationRequest {
        turns,
        sampling: Sampling::greedy(16),
        constraint: Constraint::None,
    };
    let completion = model
        .generate(&req, &CancelFlag::new(), &mut |_| {})
        .expect("fits after dropping");
    assert!(
        completion.dropped_turns > 0,
        "old turns were dropped to fit 512 tokens"
    );
    assert_eq!(
        completion.dropped_turns % 2,
        0,
        "questions and answers go in pairs"
    );
    assert!(
        completion.prompt_tokens as usize <= 512 - 16,
        "the prompt left room for the answer"
    );
}

#[test]
fn single_prompt_larger_than_the_window_is_a_clear_error() {
    let mut model = open(512);
    let req = request(&"政务数据".repeat(400), Sampling::greedy(16));
    match model.generate(&req, &CancelFlag::new(), &mut |_| {}) {
        Err(
            err @ ModelError::PromptTooLong {
                prompt_tokens,
                limit,
                context_window,
            },
        ) => {
            assert!(prompt_tokens > limit, "{prompt_tokens} > {limit}");
            assert_eq!(context_window, 512);
            let message = err.to_string();
            assert!(
                message.contains(&prompt_tokens.to_string())
                    && message.contains(&limit.to_string()),
                "the message gives both numbers: {message}"
            );
        }
        other => panic!("expected PromptTooLong, got {other:?}"),
    }
}

#[test]
fn json_schema_constraint_gives_parseable_output() {
    let mut model = open(2048);
    let schema = r#"{"type":"object","properties":{"title":{"type":"string","maxLength":40},"points":{"type":"array","items":{"type":"string","maxLength":40},"minItems":2,"maxItems":3}},"required":["title","points"],"additionalProperties":false}"#;
    let mut req = request(
        "为一份关于节约用电的通知拟定标题和要点。",
        Sampling::greedy(300),
    );
    req.constraint = Constraint::JsonSchema(schema.into());
    let completion = model
        .generate(&req, &CancelFlag::new(), &mut |_| {})
        .expect("generates");
    assert_eq!(
        completion.stop,
        StopReason::EndOfText,
        "the grammar lets the model finish: {}",
        completion.text
    );
    let text = completion.text.trim();
    assert!(
        text.starts_with('{') && text.ends_with('}'),
        "a JSON object: {text}"
    );
    assert!(
        text.contains("\"title\"") && text.contains("\"points\""),
        "required keys: {text}"
    );
}

#[test]
fn gbnf_grammar_restricts_the_answer() {
    let mut model = open(2048);
    let mut req = request("广州是广东省的省会吗？", Sampling::greedy(8));
    req.constraint = Constraint::Grammar(r#"root ::= "是" | "否""#.into());
    let completion = model
        .generate(&req, &CancelFlag::new(), &mut |_| {})
        .expect("generates");
    assert!(
        completion.text == "是" || completion.text == "否",
        "only the grammar's words: {:?}",
        completion.text
    );
}

#[test]
fn invalid_grammar_is_reported() {
    let mut model = open(2048);
    let mut req = request("你好", Sampling::greedy(8));
    req.constraint = Constraint::Grammar("root ::= (".into());
    assert!(matches!(
        model.generate(&req, &CancelFlag::new(), &mut |_| {}),
        Err(ModelError::InvalidConstraint(_))
    ));
}

#[test]
fn damaged_files_are_refused_with_the_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let truncated = dir.path().join("truncated.gguf");
    let bytes = std::fs::read(support::default_model()).expect("read model");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).expect("write");
    let text = dir.path().join("notes.gguf");
    std::fs::write(&text, "这是一个改了扩展名的文本文件").expect("write");
    for path in [
        truncated,
        text,
        dir.path().join("missing.gguf"),
        dir.path().to_path_buf(),
    ] {
        match LocalModel::open(&path, RuntimeOptions::default()) {
            Err(err @ ModelError::InvalidModel { .. }) => {
                assert!(
                    err.to_string().contains(&path.display().to_string()),
                    "{}: the error names the path: {err}",
                    path.display()
                );
            }
            other => panic!(
                "{} must be refused as invalid, got {other:?}",
                path.display()
            ),
        }
    }
}

#[test]
fn repeated_long_prompt_reuses_the_cache_and_answers_the_same() {
    let mut model = open(2048);
    let context = "根据《党政机关公文处理工作条例》，公文种类主要有决议、决定、命令、公报、公告、通告、意见、通知、通报、报告、请示、批复、议案、函、纪要。".repeat(8);
    let req = GenerationRequest {
        turns: vec![
            Turn::system(context),
            Turn::user("公文一共有多少种？只回答数字。"),
        ],
        sampling: Sampling::greedy(12),
        constraint: Constraint::None,
    };
    let first = model
        .generate(&req, &CancelFlag::new(), &mut |_| {})
        .expect("first");
    let second = model
        .generate(&req, &CancelFlag::new(), &mut |_| {})
        .expect("second");
    assert!(
        first.prompt_tokens > 256,
        "long enough to span several steps: {}",
        first.prompt_tokens
    );
    assert_eq!(
        first.reused_tokens, 0,
        "nothing cached before the first call"
    );
    assert!(
        second.reused_tokens >= 128,
        "whole steps are reused: {}",
        second.reused_tokens
    );
    assert_eq!(first.text, second.text, "reuse does not change the answer");
}
