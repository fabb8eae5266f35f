//! Loading a GGUF model into llama.cpp and generating from it: the chat template, prompt caching
//! across turns, sampling, grammar constraints, UTF-8-safe streaming and cancellation.

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaChatTemplate, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;
use llama_cpp_2::token::data::LlamaTokenData;
use llama_cpp_2::token::data_array::LlamaTokenDataArray;
use wenshu_core::text::Utf8Stream;
use wenshu_core::{
    CancelFlag, Capabilities, Completion, Constraint, FitError, GenerationRequest, LanguageModel,
    ModelError, ModelMetadata, Sampling, StopReason, Turn, fit_turns,
};

use crate::gguf;

/// ChatML, used only when a model file carries no chat template of its own.
const CHATML_FALLBACK: &str = "chatml";

/// How a model is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeOptions {
    /// Threads for generation (one token at a time).
    pub threads: usize,
    /// Threads for prompt processing (batches).
    pub threads_batch: usize,
    /// Context window in tokens; capped at what the model was trained with.
    pub context_tokens: u32,
    /// Prompt tokens evaluated per step; cancellation is checked between steps.
    pub batch_tokens: u32,
    /// Layers offloaded to a GPU (0 on CPU-only builds).
    pub gpu_layers: u32,
    /// Whether a prompt reuses the cached start of the one before it.
    pub reuse_prompt: bool,
}

impl Default for RuntimeOptions {
    fn default() -> Self {
        Self {
            threads: 2,
            threads_batch: 2,
            context_tokens: 4096,
            batch_tokens: 512,
            gpu_layers: 0,
            reuse_prompt: true,
        }
    }
}

/// What this build of the runtime can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildInfo {
    pub llama_cpp_crate: &'static str,
    pub cuda: bool,
    pub metal: bool,
    pub gpu_offload: bool,
    pub mmap: bool,
}

/// Timings of one benchmark run, measured on the same code paths that answer users.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchResult {
    pub prompt_tokens: u32,
    pub prompt_time: Duration,
    pub generated_tokens: u32,
    /// Includes `sampling_time`.
    pub generation_time: Duration,
    pub sampling_time: Duration,
}

fn backend() -> Result<&'static LlamaBackend, ModelError> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            // llama.cpp logs every tensor to stderr; Wenshu reports what matters itself.
            let verbose = std::env::var_os("WENSHU_LLAMA_LOG").is_some();
            llama_cpp_2::send_logs_to_tracing(
                llama_cpp_2::LogOptions::default().with_logs_enabled(verbose),
            );
            LlamaBackend::init().map_err(|err| err.to_string())
        })
        .as_ref()
        .map_err(|err| ModelError::Runtime(format!("cannot start llama.cpp: {err}")))
}

/// Reports what the runtime was built with.
/// The GBNF grammar (start rule `root`) that llama.cpp derives from a JSON Schema.
pub fn schema_grammar(schema: &str) -> Result<String, ModelError> {
    llama_cpp_2::json_schema_to_grammar(schema)
        .map_err(|err| ModelError::InvalidConstraint(format!("JSON schema: {err}")))
}

pub fn build_info() -> BuildInfo {
    let backend = backend().ok();
    BuildInfo {
        llama_cpp_crate: "llama-cpp-2 0.1.160",
        cuda: cfg!(feature = "cuda"),
        metal: cfg!(feature = "metal"),
        gpu_offload: backend.is_some_and(LlamaBackend::supports_gpu_offload),
        mmap: backend.is_some_and(LlamaBackend::supports_mmap),
    }
}

fn invalid(path: &Path, reason: impl Into<String>) -> ModelError {
    ModelError::InvalidModel {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "model".to_string(), |s| s.to_string_lossy().into_owned())
}

/// Checks that `path` is a complete GGUF file whose architecture and tokenizer llama.cpp accepts,
/// without loading the weights. Returns the file's metadata.
pub fn check_loadable(path: &Path) -> Result<ModelMetadata, ModelError> {
    let header = gguf::inspect(path).map_err(|err| invalid(path, err.to_string()))?;
    let backend = backend()?;
    let params = LlamaModelParams::default().with_vocab_only(true);
    LlamaModel::load_from_file(backend, path, &params).map_err(|_| {
        invalid(
            path,
            "llama.cpp cannot read this model (unsupported architecture or tokenizer)",
        )
    })?;
    Ok(header.metadata(&file_stem(path)))
}

/// A GGUF model loaded into memory with one context, ready to answer.
pub struct LocalModel {
    // Field order matters: the context must be dropped before the model it was created from.
    ctx: LlamaContext<'static>,
    model: Arc<LlamaModel>,
    template: LlamaChatTemplate,
    metadata: ModelMetadata,
    path: PathBuf,
    options: RuntimeOptions,
    /// Tokens whose keys and values are in the context's cache, in order.
    cached: Vec<LlamaToken>,
    /// How many leading cached tokens were evaluated as whole prompt steps from a step boundary.
    aligned: usize,
}

/// The outcome of evaluating a prompt.
struct Evaluated {
    logits_index: i32,
    reused: usize,
}

impl std::fmt::Debug for LocalModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalModel")
            .field("path", &self.path)
            .field("metadata", &self.metadata.name)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl LocalModel {
    /// Loads the model at `path` (memory-mapped) and opens a context for it.
    pub fn open(path: &Path, options: RuntimeOptions) -> Result<Self, ModelError> {
        let header = gguf::inspect(path).map_err(|err| invalid(path, err.to_string()))?;
        let metadata = header.metadata(&file_stem(path));
        let backend = backend()?;
        let params = LlamaModelParams::default().with_n_gpu_layers(options.gpu_layers);
        let model = LlamaModel::load_from_file(backend, path, &params).map_err(|_| {
            invalid(
                path,
                "llama.cpp could not load the weights (unsupported or damaged model)",
            )
        })?;
        let model = Arc::new(model);
        let template = model
            .chat_template(None)
            .or_else(|_| LlamaChatTemplate::new(CHATML_FALLBACK))
            .map_err(|err| ModelError::Template(err.to_string()))?;

        let trained = model.n_ctx_train();
        let n_ctx = if trained > 0 {
            options.context_tokens.min(trained)
        } else {
            options.context_tokens
        };
        let n_ctx = NonZeroU32::new(n_ctx.max(64)).unwrap_or(NonZeroU32::MIN);
        let batch = options.batch_tokens.clamp(32, n_ctx.get());
        let threads = i32::try_from(options.threads.max(1)).unwrap_or(1);
        let threads_batch = i32::try_from(options.threads_batch.max(1)).unwrap_or(1);
        let ctx_params = LlamaContextParams::default()
            .with_n_ctx(Some(n_ctx))
            .with_n_batch(batch)
            .with_n_ubatch(batch)
            .with_n_threads(threads)
            .with_n_threads_batch(threads_batch);
        let ctx = model
            .new_context(backend, ctx_params)
            .map_err(|err| ModelError::Runtime(format!("cannot create a context: {err}")))?;
        let ctx = extend_context_lifetime(ctx);
        Ok(Self {
            ctx,
            model,
            template,
            metadata,
            path: path.to_path_buf(),
            options: RuntimeOptions {
                context_tokens: n_ctx.get(),
                batch_tokens: batch,
                ..options
            },
            cached: Vec::new(),
            aligned: 0,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn options(&self) -> &RuntimeOptions {
        &self.options
    }

    /// Tokens of `text`, with template markers such as `<|im_start|>` read as special tokens.
    pub fn tokenize(&self, text: &str, parse_special: bool) -> Vec<LlamaToken> {
        self.model
            .vocab()
            .tokenize(text.as_bytes(), parse_special, parse_special)
    }

    /// The text of `tokens`, with special tokens left out.
    pub fn detokenize(&self, tokens: &[LlamaToken]) -> String {
        let vocab = self.model.vocab();
        let mut stream = Utf8Stream::new();
        let mut out = String::new();
        for &token in tokens {
            out.push_str(&stream.push(&vocab.token_to_piece(token, false, None)));
        }
        out.push_str(&stream.finish());
        out
    }

    fn prompt_tokens(&self, turns: &[Turn]) -> Result<Vec<LlamaToken>, ModelError> {
        Ok(self.tokenize(&self.render_prompt(turns)?, true))
    }

    /// Evaluates `tokens`, reusing what the cache already holds of them, in steps of
    /// `batch_tokens`. Returns where the last token's logits are and how many tokens were
    /// reused, or `None` when cancelled between steps.
    ///
    /// Only whole steps evaluated from a step boundary are reused, so the last step is always
    /// computed exactly as a fresh evaluation would compute it: the same request gives the same
    /// logits, and so the same answer, whatever was asked before.
    fn evaluate_prompt(
        &mut self,
        tokens: &[LlamaToken],
        cancel: &CancelFlag,
    ) -> Result<Option<Evaluated>, ModelError> {
        let step = self.options.batch_tokens as usize;
        let common = self
            .cached
            .iter()
            .zip(tokens)
            .take_while(|(a, b)| a == b)
            .count();
        let mut reuse = if self.options.reuse_prompt {
            common.min(self.aligned) / step * step
        } else {
            0
        };
        // The last prompt token must be evaluated again to get the logits for the answer.
        if reuse == tokens.len() {
            reuse = reuse.saturating_sub(step);
        }
        let keep =
            u32::try_from(reuse).map_err(|_| ModelError::Runtime("prompt too long".into()))?;
        if !matches!(
            self.ctx.clear_kv_cache_seq(Some(0), Some(keep), None),
            Ok(true)
        ) {
            // Some architectures cannot drop a tail of the cache: start over.
            self.ctx.clear_kv_cache();
            reuse = 0;
        }
        self.cached.truncate(reuse);
        self.aligned = reuse;

        let mut batch = LlamaBatch::new(step, 1);
        let mut logits_index = 0;
        for chunk in tokens[reuse..].chunks(step) {
            if cancel.is_cancelled() {
                return Ok(None);
            }
            batch.clear();
            let start = self.cached.len();
            let last_chunk = start + chunk.len() == tokens.len();
            for (i, &token) in chunk.iter().enumerate() {
                let pos = i32::try_from(start + i).unwrap_or(i32::MAX);
                let logits = last_chunk && i + 1 == chunk.len();
                batch
                    .add(token, pos, &[0], logits)
                    .map_err(|err| ModelError::Runtime(format!("batch: {err}")))?;
            }
            self.ctx
                .decode(&mut batch)
                .map_err(|err| ModelError::Runtime(format!("prompt evaluation failed: {err}")))?;
            self.cached.extend_from_slice(chunk);
            self.aligned = self.cached.len();
            logits_index = i32::try_from(chunk.len() - 1).unwrap_or(0);
        }
        Ok(Some(Evaluated {
            logits_index,
            reused: reuse,
        }))
    }

    fn sampler(
        &self,
        sampling: &Sampling,
        constraint: &Constraint,
    ) -> Result<TokenSampler, ModelError> {
        let grammar = match constraint {
            Constraint::None => None,
            Constraint::Grammar(gbnf) => Some(gbnf.clone()),
            Constraint::JsonSchema(schema) => Some(schema_grammar(schema)?),
        };
        let grammar = grammar
            .map(|gbnf| {
                LlamaSampler::grammar(&self.model, &gbnf, "root")
                    .map_err(|err| ModelError::InvalidConstraint(format!("grammar: {err}")))
            })
            .transpose()?;
        let mut chain = Vec::new();
        let last_n = sampling.repeat_last_n;
        if (sampling.repeat_penalty - 1.0).abs() > f32::EPSILON && last_n > 0 {
            // The penalty only lowers the logits of the last `last_n` distinct tokens, so the
            // token finally chosen is always among the best `k + last_n` raw candidates (k = 1
            // when greedy). Cutting to those first gives the same choice and spares looking up
            // every token of the vocabulary (150k for Qwen) in the penalty table at each step.
            let prefilter = if sampling.is_greedy() {
                Some(1 + last_n)
            } else if sampling.top_k > 0 {
                Some(sampling.top_k.saturating_add(last_n))
            } else {
                None
            };
            if let Some(keep) = prefilter {
                chain.push(LlamaSampler::top_k(i32::try_from(keep).unwrap_or(i32::MAX)));
            }
            chain.push(LlamaSampler::penalties(
                self.model.n_vocab(),
                i32::try_from(last_n).unwrap_or(i32::MAX),
                sampling.repeat_penalty,
                0.0,
                0.0,
            ));
        }
        if sampling.is_greedy() {
            chain.push(LlamaSampler::greedy());
        } else {
            if sampling.top_k > 0 {
                chain.push(LlamaSampler::top_k(
                    i32::try_from(sampling.top_k).unwrap_or(i32::MAX),
                ));
            }
            if sampling.top_p < 1.0 {
                chain.push(LlamaSampler::top_p(sampling.top_p, 1));
            }
            chain.push(LlamaSampler::temp(sampling.temperature));
            chain.push(LlamaSampler::dist(sampling.seed));
        }
        Ok(TokenSampler {
            chain: LlamaSampler::chain_simple(chain),
            grammar,
            greedy: sampling.is_greedy(),
            end: self.model.vocab().eos(),
        })
    }

    fn reset_cache(&mut self) {
        self.ctx.clear_kv_cache();
        self.cached.clear();
        self.aligned = 0;
    }

    /// Evaluates one sampled token at the end of the cache.
    fn evaluate_token(
        &mut self,
        token: LlamaToken,
        batch: &mut LlamaBatch,
    ) -> Result<(), ModelError> {
        batch.clear();
        let pos = i32::try_from(self.cached.len()).unwrap_or(i32::MAX);
        batch
            .add(token, pos, &[0], true)
            .map_err(|err| ModelError::Runtime(format!("batch: {err}")))?;
        self.ctx
            .decode(batch)
            .map_err(|err| ModelError::Runtime(format!("generation failed: {err}")))?;
        self.cached.push(token);
        Ok(())
    }

    /// Measures prompt processing of `prompt_tokens` tokens and generation of `generated_tokens`
    /// tokens (greedy, end-of-text ignored), from an empty cache, on the paths `generate` uses.
    pub fn bench(
        &mut self,
        prompt_tokens: u32,
        generated_tokens: u32,
    ) -> Result<BenchResult, ModelError> {
        let vocab = self.model.n_vocab().max(1);
        // Spread ordinary tokens, as llama-bench's random ones are: the content does not matter.
        let prompt: Vec<LlamaToken> = (0..prompt_tokens)
            .map(|i| LlamaToken((i64::from(i) * 7919 % i64::from(vocab)) as i32))
            .collect();
        let never = CancelFlag::new();
        self.reset_cache();
        let started = Instant::now();
        self.evaluate_prompt(&prompt, &never)?;
        let prompt_time = started.elapsed();

        self.reset_cache();
        let mut sampler = self.sampler(&Sampling::greedy(generated_tokens), &Constraint::None)?;
        let mut batch = LlamaBatch::new(1, 1);
        let started = Instant::now();
        let mut sampling_time = Duration::ZERO;
        let mut token = prompt.first().copied().unwrap_or(LlamaToken(0));
        for _ in 0..generated_tokens {
            self.evaluate_token(token, &mut batch)?;
            let sampled = Instant::now();
            token = sampler.sample(&self.ctx, 0);
            sampling_time += sampled.elapsed();
        }
        let generation_time = started.elapsed();
        self.reset_cache();
        Ok(BenchResult {
            prompt_tokens,
            prompt_time,
            generated_tokens,
            generation_time,
            sampling_time,
        })
    }
}

/// How many of the best candidates the grammar looks at, when it refused the token picked from
/// all of them, before it looks at the whole vocabulary.
const GRAMMAR_SHORTLIST: usize = 64;

/// Picks each token: the sampling chain, and the grammar of a constraint when there is one.
///
/// Matching a token against the grammar is slow (every candidate's text is walked through the
/// grammar's automaton, 150k of them for Qwen), so the chain picks first from all candidates
/// and the grammar only checks the one token picked. When it refuses that token, a greedy pick
/// looks at the best [`GRAMMAR_SHORTLIST`] candidates the grammar allows; only when none is
/// allowed, or the best of them could be beaten by one outside the list, does the grammar go
/// over the whole vocabulary before the chain picks again. Greedy decoding therefore picks
/// exactly the token that filtering first would.
struct TokenSampler {
    chain: LlamaSampler,
    grammar: Option<LlamaSampler>,
    greedy: bool,
    /// Ends the text if the grammar were ever to allow no token at all.
    end: LlamaToken,
}

/// Whether `grammar` allows `token` next.
fn grammar_allows(grammar: &mut LlamaSampler, token: LlamaToken) -> bool {
    let mut single = LlamaTokenDataArray::new(vec![LlamaTokenData::new(token, 1.0, 0.0)], false);
    single.apply_sampler(grammar);
    single.data.first().is_some_and(|d| d.logit().is_finite())
}

impl TokenSampler {
    /// Picks and accepts the token for the logits at `index` of the last evaluation.
    fn sample(&mut self, ctx: &LlamaContext<'_>, index: i32) -> LlamaToken {
        let Some(grammar) = &mut self.grammar else {
            return self.chain.sample(ctx, index);
        };
        let mut candidates = ctx.token_data_array_ith(index);
        candidates.apply_sampler(&mut self.chain);
        let token = match candidates.selected_token() {
            Some(token) if grammar_allows(grammar, token) => token,
            _ => {
                let shortlisted = if self.greedy {
                    Self::best_allowed(&mut self.chain, grammar, ctx.get_logits_ith(index))
                } else {
                    None
                };
                shortlisted.unwrap_or_else(|| {
                    let mut candidates = ctx.token_data_array_ith(index);
                    candidates.apply_sampler(grammar);
                    candidates.apply_sampler(&mut self.chain);
                    // The grammar always allows at least the end of text once it is complete.
                    candidates.selected_token().unwrap_or(self.end)
                })
            }
        };
        grammar.accept(token);
        self.chain.accept(token);
        token
    }

    /// The greedy pick among the best [`GRAMMAR_SHORTLIST`] raw candidates that `grammar`
    /// allows, when it is the pick over the whole vocabulary too: the chain's penalties only
    /// lower logits, so no token outside the list (none above the list's lowest raw logit) can
    /// beat a pick whose logit after the chain is still above it.
    fn best_allowed(
        chain: &mut LlamaSampler,
        grammar: &mut LlamaSampler,
        logits: &[f32],
    ) -> Option<LlamaToken> {
        let mut order: Vec<usize> = (0..logits.len()).collect();
        let n = GRAMMAR_SHORTLIST.min(order.len());
        if n == 0 {
            return None;
        }
        order.select_nth_unstable_by(n - 1, |&a, &b| logits[b].total_cmp(&logits[a]));
        order.truncate(n);
        let floor = order
            .iter()
            .map(|&i| logits[i])
            .fold(f32::INFINITY, f32::min);
        let mut shortlist = LlamaTokenDataArray::new(
            order
                .iter()
                .map(|&i| {
                    let id = i32::try_from(i).ok()?;
                    Some(LlamaTokenData::new(LlamaToken(id), logits[i], 0.0))
                })
                .collect::<Option<Vec<_>>>()?,
            false,
        );
        shortlist.apply_sampler(grammar);
        shortlist.data.retain(|d| d.logit().is_finite());
        if shortlist.data.is_empty() {
            return None;
        }
        shortlist.apply_sampler(chain);
        let picked = shortlist.data.get(shortlist.selected?)?;
        (picked.logit() > floor).then(|| picked.id())
    }
}

/// Lets the context live beside the model it borrows from in one struct.
#[allow(unsafe_code)]
fn extend_context_lifetime(ctx: LlamaContext<'_>) -> LlamaContext<'static> {
    // SAFETY: the lifetime only ties the context to its model. `LocalModel` holds the model in an
    // `Arc` (a stable heap address that never moves) in a field declared after the context, so
    // the context is always dropped first, and the model is never handed out mutably.
    unsafe { std::mem::transmute::<LlamaContext<'_>, LlamaContext<'static>>(ctx) }
}

impl LanguageModel for LocalModel {
    fn metadata(&self) -> &ModelMetadata {
        &self.metadata
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            backend: "local".to_string(),
            grammar: true,
            json_schema: true,
            exact_tokens: true,
            context_window: self.context_window(),
            prompt_cache: self.options.reuse_prompt,
        }
    }

    fn context_window(&self) -> usize {
        self.options.context_tokens as usize
    }

    fn count_tokens(&self, text: &str) -> Result<usize, ModelError> {
        Ok(self.tokenize(text, false).len())
    }

    fn render_prompt(&self, turns: &[Turn]) -> Result<String, ModelError> {
        let messages = turns
            .iter()
            .map(|t| LlamaChatMessage::new(t.role.as_str().to_string(), t.content.clone()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| ModelError::Template(format!("a message contains a NUL byte: {err}")))?;
        self.model
            .apply_chat_template(&self.template, &messages, true)
            .map_err(|err| ModelError::Template(err.to_string()))
    }

    fn generate(
        &mut self,
        request: &GenerationRequest,
        cancel: &CancelFlag,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Completion, ModelError> {
        let window = self.context_window();
        // Keep room for the answer, but never more than half the window.
        let reserve = (request.sampling.max_tokens as usize).min(window / 2);
        let limit = window - reserve;
        // The last prompt measured is the one that fits: keep its tokens.
        let mut prompt = Vec::new();
        let fitted = fit_turns(&request.turns, limit, |turns| {
            prompt = self.prompt_tokens(turns)?;
            Ok(prompt.len())
        })
        .map_err(|err| match err {
            FitError::TooLong {
                prompt_tokens,
                limit,
            } => ModelError::PromptTooLong {
                prompt_tokens,
                limit,
                context_window: window,
            },
            FitError::Measure(err) => err,
        })?;
        let mut sampler = self.sampler(&request.sampling, &request.constraint)?;

        let mut completion = Completion {
            text: String::new(),
            prompt_tokens: u32::try_from(prompt.len()).unwrap_or(u32::MAX),
            completion_tokens: 0,
            stop: StopReason::Cancelled,
            dropped_turns: fitted.dropped,
            reused_tokens: 0,
        };
        let Some(evaluated) = self.evaluate_prompt(&prompt, cancel)? else {
            return Ok(completion);
        };
        completion.reused_tokens = u32::try_from(evaluated.reused).unwrap_or(0);
        let mut logits_index = evaluated.logits_index;

        let model = Arc::clone(&self.model);
        let vocab = model.vocab();
        let mut stream = Utf8Stream::new();
        let mut batch = LlamaBatch::new(1, 1);
        completion.stop = loop {
            if cancel.is_cancelled() {
                break StopReason::Cancelled;
            }
            if completion.completion_tokens >= request.sampling.max_tokens
                || self.cached.len() >= window
            {
                break StopReason::MaxTokens;
            }
            let token = sampler.sample(&self.ctx, logits_index);
            if vocab.is_eog(token) {
                break StopReason::EndOfText;
            }
            completion.completion_tokens += 1;
            let text = stream.push(&vocab.token_to_piece(token, false, None));
            if !text.is_empty() {
                on_text(&text);
                completion.text.push_str(&text);
            }
            self.evaluate_token(token, &mut batch)?;
            logits_index = 0;
        };
        let rest = stream.finish();
        if !rest.is_empty() {
            on_text(&rest);
            completion.text.push_str(&rest);
        }
        Ok(completion)
    }
}
