//! The language-model port: what Wenshu asks of any model backend (the local llama.cpp runtime
//! today, an intranet inference server later), and the values that cross it.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::chat::Turn;

/// What a GGUF file says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModelMetadata {
    /// `general.name`, or the file stem when the file has none.
    pub name: String,
    /// `general.architecture`, e.g. `qwen2`.
    pub architecture: String,
    /// The quantisation of most tensors, e.g. `Q4_K_M`.
    pub quantization: String,
    /// The context length the model was trained with.
    pub context_length: u32,
    /// The Jinja chat template stored in the file, if any.
    pub chat_template: Option<String>,
    /// Number of parameters.
    pub parameters: u64,
    /// Size of the file in bytes.
    pub file_size: u64,
}

/// Sampling settings for one generation. They are also the `[generation]` settings, whose
/// built-in values equal [`Sampling::default`].
#[derive(Debug, Clone, PartialEq)]
pub struct Sampling {
    /// 0 means greedy decoding: always the most likely token.
    pub temperature: f32,
    pub top_p: f32,
    /// 0 disables top-k.
    pub top_k: u32,
    /// 1.0 disables the repeat penalty.
    pub repeat_penalty: f32,
    /// How many recent tokens the repeat penalty looks at.
    pub repeat_last_n: u32,
    pub seed: u32,
    /// The most tokens one answer may have.
    pub max_tokens: u32,
}

impl Sampling {
    /// Deterministic decoding, as used by tests, drafting and benchmarks.
    pub fn greedy(max_tokens: u32) -> Self {
        Self {
            temperature: 0.0,
            max_tokens,
            ..Self::default()
        }
    }

    pub fn is_greedy(&self) -> bool {
        self.temperature <= 0.0
    }
}

impl Default for Sampling {
    fn default() -> Self {
        Self {
            temperature: 0.7,
            top_p: 0.8,
            top_k: 20,
            repeat_penalty: 1.05,
            repeat_last_n: 64,
            seed: 42,
            max_tokens: 1024,
        }
    }
}

/// A constraint on the shape of the output, for callers that must parse what comes back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Constraint {
    #[default]
    None,
    /// A GBNF grammar whose start rule is `root`.
    Grammar(String),
    /// A JSON Schema (as JSON text) the output must satisfy.
    JsonSchema(String),
}

/// One request to generate an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerationRequest {
    /// The conversation so far, oldest first, ending with the user's turn.
    pub turns: Vec<Turn>,
    pub sampling: Sampling,
    pub constraint: Constraint,
}

/// Why generation stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// The model ended its answer.
    EndOfText,
    /// The answer reached `max_tokens`.
    MaxTokens,
    /// The caller cancelled; the text so far is kept.
    Cancelled,
}

impl StopReason {
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::EndOfText => "end",
            StopReason::MaxTokens => "max_tokens",
            StopReason::Cancelled => "cancelled",
        }
    }
}

/// What a finished (or cancelled) generation produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub text: String,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub stop: StopReason,
    /// How many of the oldest turns were left out to fit the context window.
    pub dropped_turns: usize,
    /// Prompt tokens that were already in the model's cache from the previous call.
    pub reused_tokens: u32,
}

/// A cancellation signal shared between the one who asks and the generation loop.
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Clears the flag so the same handle can serve the next request.
    pub fn reset(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// What a backend can do, so that callers use a feature where it exists and a documented
/// fallback where it does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    /// Which backend answers: `local` (llama.cpp in this process) or `openai` (an
    /// OpenAI-compatible inference server).
    pub backend: String,
    /// Output constrained by a GBNF grammar ([`Constraint::Grammar`]).
    pub grammar: bool,
    /// Output constrained by a JSON Schema ([`Constraint::JsonSchema`]).
    pub json_schema: bool,
    /// [`LanguageModel::count_tokens`] is the model's own tokenizer; otherwise it is
    /// [`estimate_tokens`], which errs on the high side.
    pub exact_tokens: bool,
    /// The context window in tokens.
    pub context_window: usize,
    /// A prompt that starts like the previous one reuses its cached evaluation.
    pub prompt_cache: bool,
}

/// A conservative token count for backends without a tokenizer: one token per CJK character,
/// one per three bytes of other text, plus a margin of a quarter. Qwen, Llama and GLM
/// tokenizers give fewer tokens for Chinese government prose (about 0.7 per character), so a
/// prompt fitted with this count fits; it wastes at most the margin.
pub fn estimate_tokens(text: &str) -> usize {
    let (mut wide, mut narrow_bytes) = (0usize, 0usize);
    for c in text.chars() {
        if c.len_utf8() >= 3 {
            wide += 1;
        } else {
            narrow_bytes += c.len_utf8();
        }
    }
    let base = wide + narrow_bytes.div_ceil(3);
    base + base.div_ceil(4)
}

/// What went wrong talking to an inference server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerFault {
    /// No connection could be made (refused, no route, name not found).
    Unreachable,
    /// Connecting took longer than the connect timeout.
    ConnectTimeout,
    /// No first token within the first-token timeout.
    FirstTokenTimeout,
    /// The stream stopped for longer than the idle timeout.
    Stalled,
    /// The connection broke in the middle of an answer.
    Interrupted,
    /// The server answered with an HTTP error status.
    Status(u16),
    /// The server's answer is not what the protocol says (content type, SSE, JSON).
    Malformed,
    /// The answer exceeded the size limit.
    TooLarge,
    /// The TLS handshake failed: a certificate not from the trusted CA, or a name mismatch.
    Tls,
    /// The server does not serve the model asked for.
    NoSuchModel,
    /// The policy does not name this server; nothing was sent.
    NotAllowed,
    /// The API key file cannot be used.
    KeyFile,
}

/// A server that was down and the one that answered instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failover {
    pub down: String,
    pub reason: String,
    pub fault: ServerFault,
    pub next: String,
}

/// Errors a model backend reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// The file is missing, unreadable, not a GGUF model, or damaged.
    InvalidModel { path: PathBuf, reason: String },
    /// The prompt alone does not fit the context window.
    PromptTooLong {
        prompt_tokens: usize,
        limit: usize,
        context_window: usize,
    },
    /// A grammar or JSON schema could not be compiled.
    InvalidConstraint(String),
    /// The chat template could not be applied.
    Template(String),
    /// The runtime failed while evaluating.
    Runtime(String),
    /// An inference server failed or was refused. `partial` is what it had sent of the answer
    /// before it failed (kept by the caller as a failed answer).
    Server {
        fault: ServerFault,
        url: String,
        detail: String,
        partial: String,
    },
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::InvalidModel { path, reason } => {
                write!(f, "cannot load model {}: {reason}", path.display())
            }
            ModelError::PromptTooLong {
                prompt_tokens,
                limit,
                context_window,
            } => write!(
                f,
                "the prompt is {prompt_tokens} tokens but at most {limit} fit \
                 (context window {context_window} tokens, the rest is kept for the answer); \
                 shorten the input or raise model.context_tokens"
            ),
            ModelError::InvalidConstraint(msg) => write!(f, "invalid output constraint: {msg}"),
            ModelError::Template(msg) => write!(f, "cannot apply the chat template: {msg}"),
            ModelError::Runtime(msg) => write!(f, "model runtime error: {msg}"),
            ModelError::Server {
                fault, url, detail, ..
            } => write!(f, "inference server {url}: {fault:?}: {detail}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// A language model that Wenshu can converse with.
///
/// Implementations keep whatever cache they like between calls; callers only see turns in and
/// text out. `on_text` receives the answer as it is generated, always on UTF-8 boundaries.
pub trait LanguageModel {
    fn metadata(&self) -> &ModelMetadata;

    /// What this backend can do (see [`Capabilities`]).
    fn capabilities(&self) -> Capabilities;

    /// The context window in tokens that this instance was opened with.
    fn context_window(&self) -> usize;

    /// Tokens in `text` as plain content (no template around it).
    fn count_tokens(&self, text: &str) -> Result<usize, ModelError>;

    /// The prompt text the model's own chat template makes of `turns`, ready for an answer.
    fn render_prompt(&self, turns: &[Turn]) -> Result<String, ModelError>;

    /// Generates an answer, dropping the oldest turns when the conversation outgrows the window.
    fn generate(
        &mut self,
        request: &GenerationRequest,
        cancel: &CancelFlag,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Completion, ModelError>;

    /// Servers found down since this was last asked, and which answered instead (none for a
    /// backend with one server, or none at all).
    fn take_failovers(&mut self) -> Vec<Failover> {
        Vec::new()
    }
}
