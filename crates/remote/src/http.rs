//! HTTP with an inference server: the agent (timeouts, TLS with the organisation's CA), JSON
//! requests, the streamed answer read on its own thread, and ureq's errors as [`ServerFault`]s.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Duration;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use wenshu_core::ServerFault;

use crate::sse::clip;

/// How long each phase of a call may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Making the TCP (and TLS) connection.
    pub connect: Duration,
    /// From sending the request to the first piece of the answer (the server reads the whole
    /// prompt first, so this is the longest).
    pub first_token: Duration,
    /// Between two pieces of the answer once it has started.
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            first_token: Duration::from_secs(120),
            idle: Duration::from_secs(30),
        }
    }
}

/// A failure with what to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub fault: ServerFault,
    pub detail: String,
}

impl Failure {
    pub fn new(fault: ServerFault, detail: impl Into<String>) -> Self {
        Self {
            fault,
            detail: detail.into(),
        }
    }

    /// Whether another server may be tried: nothing reached this one.
    pub fn server_down(&self) -> bool {
        matches!(
            self.fault,
            ServerFault::Unreachable | ServerFault::ConnectTimeout | ServerFault::Status(502..=504)
        )
    }
}

/// The agent for one server: its timeouts and TLS roots. No proxy is taken from the
/// environment and no redirect is followed: the request goes to the server named, or nowhere.
pub(crate) fn agent(timeouts: Timeouts, ca: Option<&Path>) -> Result<ureq::Agent, Failure> {
    let mut builder = ureq::AgentBuilder::new()
        .timeout_connect(timeouts.connect)
        // A read waits at most this long; the stream's own deadlines are kept by the reader.
        .timeout_read(timeouts.first_token.max(timeouts.idle))
        .timeout_write(Duration::from_secs(60))
        .redirects(0)
        .user_agent(concat!("wenshu/", env!("CARGO_PKG_VERSION")));
    if let Some(ca) = ca {
        builder = builder.tls_config(tls_config(ca)?);
    }
    Ok(builder.build())
}

/// TLS that trusts the certificates in `ca` (PEM) and nothing else.
fn tls_config(ca: &Path) -> Result<Arc<rustls::ClientConfig>, Failure> {
    let bad =
        |detail: String| Failure::new(ServerFault::Tls, format!("{}: {detail}", ca.display()));
    let mut roots = rustls::RootCertStore::empty();
    let certs = CertificateDer::pem_file_iter(ca).map_err(|e| bad(e.to_string()))?;
    for cert in certs {
        let cert = cert.map_err(|e| bad(e.to_string()))?;
        roots.add(cert).map_err(|e| bad(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(bad("no certificate in the file".to_string()));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// A request with the API key, if any.
pub(crate) fn request(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    key: Option<&str>,
) -> ureq::Request {
    let request = agent.request(method, url);
    match key {
        Some(key) => request.set("Authorization", &format!("Bearer {key}")),
        None => request,
    }
}

/// Sends the request (`body` as JSON when given). A kept-alive connection the server has
/// meanwhile closed fails before any answer with an I/O error (not a failed connect): the request
/// is then sent once more, on a new connection. ureq's error is large, and handed straight to
/// [`failure`].
#[allow(clippy::result_large_err)]
fn send(
    request: &ureq::Request,
    body: Option<&serde_json::Value>,
) -> Result<ureq::Response, ureq::Error> {
    let once = || match body {
        Some(body) => request
            .clone()
            .set("Content-Type", "application/json")
            .send_string(&body.to_string()),
        None => request.clone().call(),
    };
    match once() {
        Err(ureq::Error::Transport(t)) if t.kind() == ureq::ErrorKind::Io => once(),
        other => other,
    }
}

/// Sends a small JSON request and reads a JSON answer of at most `limit` bytes.
pub(crate) fn json_call(
    request: ureq::Request,
    body: Option<&serde_json::Value>,
    limit: u64,
) -> Result<serde_json::Value, Failure> {
    let response = send(&request, body).map_err(|e| failure(e, false))?;
    let mut text = String::new();
    response
        .into_reader()
        .take(limit + 1)
        .read_to_string(&mut text)
        .map_err(|e| Failure::new(ServerFault::Malformed, e.to_string()))?;
    if text.len() as u64 > limit {
        return Err(Failure::new(
            ServerFault::TooLarge,
            format!("more than {limit} bytes"),
        ));
    }
    serde_json::from_str(&text)
        .map_err(|e| Failure::new(ServerFault::Malformed, format!("{e}: {}", clip(&text))))
}

/// ureq's error as a fault. `streaming`: the answer had begun, so a broken read is an
/// interruption, not a server that could not be reached.
pub(crate) fn failure(err: ureq::Error, streaming: bool) -> Failure {
    match err {
        ureq::Error::Status(code, response) => {
            let mut body = String::new();
            let _ = response
                .into_reader()
                .take(16 * 1024)
                .read_to_string(&mut body);
            let detail = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("error").map(crate::sse::error_text))
                .unwrap_or_else(|| clip(body.trim()));
            Failure::new(ServerFault::Status(code), detail)
        }
        ureq::Error::Transport(transport) => {
            let text = chain_text(&transport);
            let fault = if is_tls(&text) {
                ServerFault::Tls
            } else if text.contains("timed out") || text.contains("WouldBlock") {
                match transport.kind() {
                    ureq::ErrorKind::ConnectionFailed => ServerFault::ConnectTimeout,
                    _ if streaming => ServerFault::Stalled,
                    _ => ServerFault::FirstTokenTimeout,
                }
            } else {
                match transport.kind() {
                    ureq::ErrorKind::Dns | ureq::ErrorKind::ConnectionFailed => {
                        ServerFault::Unreachable
                    }
                    ureq::ErrorKind::BadStatus | ureq::ErrorKind::BadHeader => {
                        ServerFault::Malformed
                    }
                    ureq::ErrorKind::InvalidUrl | ureq::ErrorKind::UnknownScheme => {
                        ServerFault::Unreachable
                    }
                    _ if streaming => ServerFault::Interrupted,
                    _ => ServerFault::Unreachable,
                }
            };
            Failure::new(fault, clip(&text))
        }
    }
}

/// An error and every error below it, as one line.
fn chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        let more = inner.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = inner.source();
    }
    text
}

fn is_tls(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["certificate", "tls", "handshake", "unknownissuer", "rustls"]
        .iter()
        .any(|w| lower.contains(w))
}

/// What the reading thread hands over.
#[derive(Debug)]
pub(crate) enum Piece {
    /// One line of the event stream.
    Line(String),
    /// The stream ended.
    End,
    /// The call failed; `answered` says whether the server had begun to answer.
    Failed { failure: Failure, answered: bool },
}

/// The streamed call, sent and read on its own thread so that the caller keeps its deadlines
/// and can cancel at any time. When the caller stops listening, the thread stops at the next
/// line and drops the response, which closes the connection: the server sees its client leave
/// and frees the slot.
pub(crate) fn stream(
    request: ureq::Request,
    body: serde_json::Value,
    limit: u64,
) -> Receiver<Piece> {
    let (tx, rx) = sync_channel(256);
    std::thread::Builder::new()
        .name("wenshu-remote".into())
        .spawn(move || read_stream(request, &body, limit, &tx))
        .map_or_else(
            |e| {
                let (tx, rx) = sync_channel(1);
                let _ = tx.send(Piece::Failed {
                    failure: Failure::new(ServerFault::Unreachable, e.to_string()),
                    answered: false,
                });
                rx
            },
            |_| rx,
        )
}

fn read_stream(
    request: ureq::Request,
    body: &serde_json::Value,
    limit: u64,
    tx: &SyncSender<Piece>,
) {
    let failed = |failure: Failure, answered: bool| {
        let _ = tx.send(Piece::Failed { failure, answered });
    };
    let response = match send(&request, Some(body)) {
        Ok(response) => response,
        Err(err) => return failed(failure(err, false), false),
    };
    let content_type = response.content_type().to_string();
    if content_type != "text/event-stream" {
        let mut start = String::new();
        let _ = response.into_reader().take(300).read_to_string(&mut start);
        return failed(
            Failure::new(
                ServerFault::Malformed,
                format!(
                    "content type “{content_type}”, not text/event-stream: {}",
                    clip(start.trim())
                ),
            ),
            false,
        );
    }
    let mut reader = BufReader::new(response.into_reader().take(limit + 1));
    let mut total = 0u64;
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => {
                let _ = tx.send(Piece::End);
                return;
            }
            Ok(n) => {
                total += n as u64;
                if total > limit {
                    return failed(
                        Failure::new(ServerFault::TooLarge, format!("more than {limit} bytes")),
                        true,
                    );
                }
                let Ok(text) = std::str::from_utf8(&line) else {
                    return failed(
                        Failure::new(ServerFault::Malformed, "a line is not UTF-8"),
                        true,
                    );
                };
                let text = text.strip_suffix('\n').unwrap_or(text).to_string();
                if tx.send(Piece::Line(text)).is_err() {
                    // The caller is gone (cancelled, or it gave up waiting): close the stream.
                    return;
                }
            }
            Err(err) => {
                let text = chain_text(&err);
                let fault = if err.kind() == std::io::ErrorKind::TimedOut
                    || err.kind() == std::io::ErrorKind::WouldBlock
                {
                    ServerFault::Stalled
                } else if is_tls(&text) {
                    ServerFault::Tls
                } else {
                    ServerFault::Interrupted
                };
                return failed(Failure::new(fault, clip(&text)), true);
            }
        }
    }
}
