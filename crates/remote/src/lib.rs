//! An OpenAI-compatible inference server on the intranet as a Wenshu model backend: llama.cpp's
//! `llama-server`, vLLM or SGLang, reached over HTTP or HTTPS with the organisation's CA.
//!
//! - Answers stream from `/v1/chat/completions` (server-sent events); the server's own token
//!   counts come with `stream_options.include_usage`.
//! - The context window is read from `/props` (llama-server) or `/v1/models` (vLLM's
//!   `max_model_len`); tokens are counted by `/tokenize` where the server has it, otherwise by
//!   [`wenshu_core::estimate_tokens`].
//! - Each phase has its deadline (connect, first token, idle); cancelling closes the stream.
//! - Several servers may back one model: when one is down, the next is tried and a
//!   [`Failover`] says so.
//!
//! Which servers may be reached at all is the caller's decision (the admin policy): this crate
//! connects to the URLs it is given and to nothing else.

mod http;
mod sse;

use std::path::PathBuf;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wenshu_core::{
    CancelFlag, Capabilities, Completion, Constraint, Failover, FitError, GenerationRequest,
    LanguageModel, ModelError, ModelMetadata, ServerFault, StopReason, Turn, estimate_tokens,
    fit_turns,
};

pub use http::Timeouts;

use crate::http::{Failure, Piece};
use crate::sse::Event;

/// The most bytes one streamed answer may take (a 4,096-token answer is about 1 MB of events).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 << 20;
/// The context window assumed when a server does not say its own.
pub const FALLBACK_CONTEXT: usize = 4096;
/// Tokens a chat template adds around each message, over-estimated, when the server cannot
/// render the template for counting.
const PER_TURN_OVERHEAD: usize = 8;

/// How to reach one model on one or more servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerOptions {
    /// Base URLs in the order they are tried (`http://10.1.2.3:8080`, with or without `/v1`).
    pub urls: Vec<String>,
    /// The model id the server knows; the first it lists when not given.
    pub model_id: Option<String>,
    /// PEM file of the CA that signs the servers' certificates (HTTPS only).
    pub ca_file: Option<PathBuf>,
    /// The API key, already read from its file by the caller.
    pub api_key: Option<String>,
    pub timeouts: Timeouts,
    pub max_response_bytes: u64,
}

impl ServerOptions {
    pub fn new(urls: Vec<String>) -> Self {
        Self {
            urls,
            model_id: None,
            ca_file: None,
            api_key: None,
            timeouts: Timeouts::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

/// Which kind of server answers: llama-server has grammars, `/props`, `/tokenize` and
/// `/apply-template`; any other OpenAI-compatible server is used through the common subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerKind {
    LlamaServer,
    OpenAi,
}

impl ServerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ServerKind::LlamaServer => "llama-server",
            ServerKind::OpenAi => "openai",
        }
    }
}

/// What a server says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    /// The base URL it answered on (no trailing `/v1`).
    pub url: String,
    pub kind: ServerKind,
    /// The models it serves.
    pub models: Vec<String>,
    /// The model id calls will name.
    pub model_id: String,
    /// The context window of one request, where the server says it.
    pub context_window: Option<usize>,
    /// Whether `/tokenize` answers.
    pub tokenize: bool,
    /// How long `/v1/models` took to answer, in milliseconds.
    pub latency_ms: u64,
}

/// The base URL without a trailing `/` or `/v1`.
fn base_url(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    url.strip_suffix("/v1").unwrap_or(url).to_string()
}

/// `scheme://host:port` of a URL, with the scheme's default port filled in: what a policy
/// names. `None` when it is not an http(s) URL.
pub fn origin(url: &str) -> Option<(String, String, u16)> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let scheme = parsed.scheme().to_string();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = parsed
        .host_str()?
        .trim_matches(['[', ']'])
        .to_ascii_lowercase();
    let port = parsed.port_or_known_default()?;
    Some((scheme, host, port))
}

/// Whether the URL's host is this machine (127.0.0.0/8, ::1, localhost).
pub fn is_loopback(url: &str) -> bool {
    origin(url).is_some_and(|(_, host, _)| {
        host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    })
}

/// A model on an inference server.
#[derive(Debug)]
pub struct RemoteModel {
    options: ServerOptions,
    agent: ureq::Agent,
    info: ServerInfo,
    metadata: ModelMetadata,
    failovers: Vec<Failover>,
}

fn server_error(failure: Failure, url: &str, partial: String) -> ModelError {
    ModelError::Server {
        fault: failure.fault,
        url: url.to_string(),
        detail: failure.detail,
        partial,
    }
}

impl RemoteModel {
    /// Finds the first server that answers, in the order given, and reads what it serves.
    /// Servers that were down are in [`RemoteModel::take_failovers`].
    pub fn open(options: ServerOptions) -> Result<Self, ModelError> {
        let agent = http::agent(options.timeouts, options.ca_file.as_deref())
            .map_err(|f| server_error(f, options.urls.first().map_or("", |u| u), String::new()))?;
        let mut down: Vec<(String, Failure)> = Vec::new();
        for url in &options.urls {
            let url = base_url(url);
            match probe_with(&agent, &url, &options) {
                Ok(info) => {
                    let failovers = down
                        .into_iter()
                        .map(|(d, f)| Failover {
                            down: d,
                            reason: f.detail,
                            fault: f.fault,
                            next: url.clone(),
                        })
                        .collect();
                    let metadata = ModelMetadata {
                        name: info.model_id.clone(),
                        architecture: info.kind.as_str().to_string(),
                        context_length: info
                            .context_window
                            .map_or(0, |c| u32::try_from(c).unwrap_or(u32::MAX)),
                        ..ModelMetadata::default()
                    };
                    return Ok(Self {
                        options,
                        agent,
                        info,
                        metadata,
                        failovers,
                    });
                }
                Err(failure) if failure.server_down() => down.push((url, failure)),
                Err(failure) => return Err(server_error(failure, &url, String::new())),
            }
        }
        let (url, failure) = down.pop().unwrap_or_else(|| {
            (
                String::new(),
                Failure::new(ServerFault::Unreachable, "no server URL"),
            )
        });
        Err(server_error(failure, &url, String::new()))
    }

    /// What the answering server said about itself.
    pub fn info(&self) -> &ServerInfo {
        &self.info
    }

    /// The URL calls go to now.
    pub fn url(&self) -> &str {
        &self.info.url
    }

    fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.info.url)
    }

    fn key(&self) -> Option<&str> {
        self.options.api_key.as_deref()
    }

    /// Tokens of `text` by the server's `/tokenize`.
    fn tokenize(&self, text: &str) -> Result<usize, Failure> {
        let request = http::request(&self.agent, "POST", &self.endpoint("/tokenize"), self.key());
        let body = json!({
            "content": text,
            "prompt": text,
            "model": self.info.model_id,
            "add_special": false,
            "add_special_tokens": false,
        });
        let answer = http::json_call(request, Some(&body), 64 << 20)?;
        answer
            .get("count")
            .and_then(Value::as_u64)
            .or_else(|| {
                answer
                    .get("tokens")
                    .and_then(Value::as_array)
                    .map(|t| t.len() as u64)
            })
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
            .ok_or_else(|| Failure::new(ServerFault::Malformed, "no tokens in /tokenize's answer"))
    }

    /// The request body for `turns`.
    fn body(&self, turns: &[Turn], request: &GenerationRequest) -> Value {
        let s = &request.sampling;
        let messages: Vec<Value> = turns
            .iter()
            .map(|t| json!({ "role": t.role.as_str(), "content": t.content }))
            .collect();
        let mut body = json!({
            "model": self.info.model_id,
            "messages": messages,
            "stream": true,
            "stream_options": { "include_usage": true },
            "max_tokens": s.max_tokens,
            "temperature": s.temperature,
            "top_p": s.top_p,
            "seed": s.seed,
        });
        let map = body.as_object_mut().expect("a JSON object");
        if s.top_k > 0 {
            map.insert("top_k".into(), json!(s.top_k));
        }
        match self.info.kind {
            ServerKind::LlamaServer => {
                map.insert("repeat_penalty".into(), json!(s.repeat_penalty));
                map.insert("repeat_last_n".into(), json!(s.repeat_last_n));
                map.insert("cache_prompt".into(), json!(true));
            }
            ServerKind::OpenAi => {
                map.insert("repetition_penalty".into(), json!(s.repeat_penalty));
            }
        }
        match &request.constraint {
            Constraint::None => {}
            Constraint::Grammar(gbnf) => {
                map.insert("grammar".into(), json!(gbnf));
            }
            Constraint::JsonSchema(schema) => {
                let schema: Value =
                    serde_json::from_str(schema).unwrap_or_else(|_| Value::String(schema.clone()));
                map.insert(
                    "response_format".into(),
                    json!({ "type": "json_schema", "json_schema": { "name": "answer", "schema": schema, "strict": true } }),
                );
            }
        }
        body
    }

    /// One streamed call to the current server.
    fn stream_once(
        &self,
        body: &Value,
        cancel: &CancelFlag,
        on_text: &mut dyn FnMut(&str),
        text: &mut String,
    ) -> Result<(StopReason, Option<sse::Usage>), (Failure, bool)> {
        let request = http::request(
            &self.agent,
            "POST",
            &self.endpoint("/v1/chat/completions"),
            self.key(),
        )
        .set("Accept", "text/event-stream");
        let pieces = http::stream(request, body.clone(), self.options.max_response_bytes);
        let timeouts = self.options.timeouts;
        let started = Instant::now();
        let mut last = started;
        let mut answered = false;
        let mut usage = None;
        let mut finish: Option<String> = None;
        loop {
            if cancel.is_cancelled() {
                // Dropping `pieces` ends the reading thread and with it the connection.
                return Ok((StopReason::Cancelled, usage));
            }
            match pieces.recv_timeout(Duration::from_millis(20)) {
                Ok(Piece::Line(line)) => {
                    last = Instant::now();
                    match sse::parse_line(&line) {
                        Ok(Event::Chunk {
                            text: piece,
                            finish: f,
                            usage: u,
                        }) => {
                            if !piece.is_empty() {
                                answered = true;
                                text.push_str(&piece);
                                on_text(&piece);
                            }
                            if f.is_some() {
                                finish = f;
                            }
                            if u.is_some() {
                                usage = u;
                            }
                        }
                        Ok(Event::Done) => break,
                        Ok(Event::Nothing) => {}
                        Ok(Event::Error(message)) => {
                            return Err((
                                Failure::new(ServerFault::Status(500), message),
                                answered,
                            ));
                        }
                        Err(detail) => {
                            return Err((Failure::new(ServerFault::Malformed, detail), answered));
                        }
                    }
                }
                Ok(Piece::End) => {
                    if finish.is_some() {
                        break;
                    }
                    return Err((
                        Failure::new(
                            ServerFault::Interrupted,
                            "the stream ended before the answer did",
                        ),
                        answered,
                    ));
                }
                Ok(Piece::Failed {
                    failure,
                    answered: a,
                }) => {
                    return Err((failure, answered || a));
                }
                Err(RecvTimeoutError::Timeout) => {
                    if !answered && started.elapsed() > timeouts.first_token {
                        return Err((
                            Failure::new(
                                ServerFault::FirstTokenTimeout,
                                format!("no answer within {} s", timeouts.first_token.as_secs()),
                            ),
                            false,
                        ));
                    }
                    if answered && last.elapsed() > timeouts.idle {
                        return Err((
                            Failure::new(
                                ServerFault::Stalled,
                                format!("nothing for {} s", timeouts.idle.as_secs()),
                            ),
                            true,
                        ));
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err((
                        Failure::new(ServerFault::Interrupted, "the reading thread ended"),
                        answered,
                    ));
                }
            }
        }
        let stop = match finish.as_deref() {
            Some("length") => StopReason::MaxTokens,
            _ => StopReason::EndOfText,
        };
        Ok((stop, usage))
    }

    /// The servers to try for the next call: the current one, then the others in order.
    fn failover_order(&self) -> Vec<String> {
        let mut order = vec![self.info.url.clone()];
        for url in self.options.urls.iter().map(|u| base_url(u)) {
            if !order.contains(&url) {
                order.push(url);
            }
        }
        order
    }
}

/// Reads what the server at `url` serves: its models, and for llama-server its properties.
pub fn probe(options: &ServerOptions, url: &str) -> Result<ServerInfo, ModelError> {
    let agent = http::agent(options.timeouts, options.ca_file.as_deref())
        .map_err(|f| server_error(f, url, String::new()))?;
    let url = base_url(url);
    probe_with(&agent, &url, options).map_err(|f| server_error(f, &url, String::new()))
}

fn probe_with(
    agent: &ureq::Agent,
    url: &str,
    options: &ServerOptions,
) -> Result<ServerInfo, Failure> {
    let key = options.api_key.as_deref();
    let timer = Instant::now();
    let models = http::json_call(
        http::request(agent, "GET", &format!("{url}/v1/models"), key),
        None,
        1 << 20,
    )?;
    let latency_ms = u64::try_from(timer.elapsed().as_millis()).unwrap_or(u64::MAX);
    let listed: Vec<&Value> = models
        .get("data")
        .and_then(Value::as_array)
        .map(|d| d.iter().collect())
        .unwrap_or_default();
    let ids: Vec<String> = listed
        .iter()
        .filter_map(|m| m.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    let model_id = match &options.model_id {
        Some(id) if ids.iter().any(|m| m == id) => id.clone(),
        Some(id) => {
            return Err(Failure::new(
                ServerFault::NoSuchModel,
                format!("“{id}” is not among {}", ids.join(", ")),
            ));
        }
        None => ids
            .first()
            .cloned()
            .ok_or_else(|| Failure::new(ServerFault::NoSuchModel, "the server lists no model"))?,
    };
    let listed_context = listed
        .iter()
        .find(|m| m.get("id").and_then(Value::as_str) == Some(model_id.as_str()))
        .and_then(|m| m.get("max_model_len").and_then(Value::as_u64));
    // llama-server's /props: the context of one slot (n_ctx divided among --parallel slots).
    let props = http::json_call(
        http::request(agent, "GET", &format!("{url}/props"), key),
        None,
        4 << 20,
    )
    .ok()
    .filter(|p| p.get("default_generation_settings").is_some());
    let kind = if props.is_some() {
        ServerKind::LlamaServer
    } else {
        ServerKind::OpenAi
    };
    let slot_context = props.as_ref().and_then(|p| {
        p.pointer("/default_generation_settings/n_ctx")
            .and_then(Value::as_u64)
    });
    let context_window = slot_context
        .or(listed_context)
        .map(|c| usize::try_from(c).unwrap_or(usize::MAX));
    let mut info = ServerInfo {
        url: url.to_string(),
        kind,
        models: ids,
        model_id,
        context_window,
        tokenize: false,
        latency_ms,
    };
    info.tokenize = {
        let probe = RemoteProbe {
            agent,
            info: &info,
            key,
        };
        probe.tokenize_works()
    };
    Ok(info)
}

/// Whether `/tokenize` answers, asked once when a server is opened.
struct RemoteProbe<'a> {
    agent: &'a ureq::Agent,
    info: &'a ServerInfo,
    key: Option<&'a str>,
}

impl RemoteProbe<'_> {
    fn tokenize_works(&self) -> bool {
        let request = http::request(
            self.agent,
            "POST",
            &format!("{}/tokenize", self.info.url),
            self.key,
        );
        let body = json!({ "content": "公文", "prompt": "公文", "model": self.info.model_id });
        http::json_call(request, Some(&body), 1 << 20)
            .is_ok_and(|a| a.get("tokens").is_some() || a.get("count").is_some())
    }
}

impl LanguageModel for RemoteModel {
    fn metadata(&self) -> &ModelMetadata {
        &self.metadata
    }

    fn capabilities(&self) -> Capabilities {
        let llama = self.info.kind == ServerKind::LlamaServer;
        Capabilities {
            backend: format!("openai:{}", self.info.url),
            grammar: llama,
            json_schema: true,
            exact_tokens: self.info.tokenize,
            context_window: self.context_window(),
            prompt_cache: llama,
        }
    }

    fn context_window(&self) -> usize {
        self.info.context_window.unwrap_or(FALLBACK_CONTEXT)
    }

    fn take_failovers(&mut self) -> Vec<Failover> {
        std::mem::take(&mut self.failovers)
    }

    fn count_tokens(&self, text: &str) -> Result<usize, ModelError> {
        if !self.info.tokenize {
            return Ok(estimate_tokens(text));
        }
        self.tokenize(text)
            .map_err(|f| server_error(f, &self.info.url, String::new()))
    }

    fn render_prompt(&self, turns: &[Turn]) -> Result<String, ModelError> {
        if self.info.kind == ServerKind::LlamaServer {
            let messages: Vec<Value> = turns
                .iter()
                .map(|t| json!({ "role": t.role.as_str(), "content": t.content }))
                .collect();
            let request = http::request(
                &self.agent,
                "POST",
                &self.endpoint("/apply-template"),
                self.key(),
            );
            let answer = http::json_call(request, Some(&json!({ "messages": messages })), 64 << 20)
                .map_err(|f| server_error(f, &self.info.url, String::new()))?;
            if let Some(prompt) = answer.get("prompt").and_then(Value::as_str) {
                return Ok(prompt.to_string());
            }
        }
        // The server applies its template itself and does not show it: the turns as they are
        // sent, one role line above each.
        Ok(turns
            .iter()
            .map(|t| format!("{}\n{}\n", t.role.as_str(), t.content))
            .collect())
    }

    fn generate(
        &mut self,
        request: &GenerationRequest,
        cancel: &CancelFlag,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Completion, ModelError> {
        let window = self.context_window();
        let answer_room = (request.sampling.max_tokens as usize).min(window / 2);
        let limit = window.saturating_sub(answer_room);
        let fitted = fit_turns(&request.turns, limit, |turns| {
            let mut total = 3;
            for turn in turns {
                total += self.count_tokens(&turn.content)? + PER_TURN_OVERHEAD;
            }
            Ok::<usize, ModelError>(total)
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
        // Never send a request for more tokens than the window leaves.
        let mut request = request.clone();
        request.sampling.max_tokens = request
            .sampling
            .max_tokens
            .min(u32::try_from(window.saturating_sub(fitted.prompt_tokens)).unwrap_or(u32::MAX))
            .max(1);
        let order = self.failover_order();
        let mut text = String::new();
        let mut last_down: Option<(String, Failure)> = None;
        for url in order {
            if url != self.info.url {
                match probe_with(&self.agent, &url, &self.options) {
                    Ok(info) => {
                        if let Some((down, failure)) = last_down.take() {
                            self.failovers.push(Failover {
                                down,
                                reason: failure.detail,
                                fault: failure.fault,
                                next: url.clone(),
                            });
                        }
                        self.info = info;
                    }
                    Err(failure) if failure.server_down() => {
                        last_down = Some((url, failure));
                        continue;
                    }
                    Err(failure) => return Err(server_error(failure, &url, text)),
                }
            }
            let body = self.body(&fitted.turns, &request);
            match self.stream_once(&body, cancel, on_text, &mut text) {
                Ok((stop, usage)) => {
                    let (prompt_tokens, completion_tokens) = match usage {
                        Some(u) => (u.prompt_tokens, u.completion_tokens),
                        None => (
                            u32::try_from(fitted.prompt_tokens).unwrap_or(u32::MAX),
                            u32::try_from(estimate_tokens(&text)).unwrap_or(u32::MAX),
                        ),
                    };
                    return Ok(Completion {
                        text,
                        prompt_tokens,
                        completion_tokens,
                        stop,
                        dropped_turns: fitted.dropped,
                        reused_tokens: 0,
                    });
                }
                Err((failure, answered)) if !answered && failure.server_down() => {
                    last_down = Some((self.info.url.clone(), failure));
                }
                Err((failure, _)) => {
                    let url = self.info.url.clone();
                    return Err(server_error(failure, &url, text));
                }
            }
        }
        let (url, failure) = last_down.unwrap_or_else(|| {
            (
                self.info.url.clone(),
                Failure::new(ServerFault::Unreachable, "no server answered"),
            )
        });
        Err(server_error(failure, &url, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_and_origins_are_normalised() {
        assert_eq!(base_url("http://10.1.2.3:8080/v1/"), "http://10.1.2.3:8080");
        assert_eq!(
            origin("https://LLM.gd.gov.cn/v1"),
            Some(("https".into(), "llm.gd.gov.cn".into(), 443))
        );
        assert_eq!(
            origin("http://[::1]:9000"),
            Some(("http".into(), "::1".into(), 9000))
        );
        assert_eq!(origin("ftp://host"), None);
        assert!(is_loopback("http://127.0.0.1:8080"));
        assert!(is_loopback("http://localhost:8080/v1"));
        assert!(is_loopback("http://[::1]:8080"));
        assert!(!is_loopback("http://10.0.0.1:8080"));
    }
}
