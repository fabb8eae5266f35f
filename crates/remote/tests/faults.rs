//! The remote backend against servers that misbehave on purpose, over real sockets on
//! loopback: each fault must come back as its own [`ServerFault`], with what had arrived of
//! the answer kept. The backend against a real `llama-server` is tested end to end in the CLI's
//! suite.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wenshu_core::{
    CancelFlag, Constraint, GenerationRequest, LanguageModel, ModelError, Sampling, ServerFault,
    StopReason, Turn,
};
use wenshu_remote::{RemoteModel, ServerOptions, Timeouts};

/// What the scripted server does with a chat completion request.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Act {
    /// Streams 「通知如下。」 in three pieces, usage and `[DONE]`.
    Answer,
    /// Answers with this status and an OpenAI-style error body.
    Status(u16),
    /// Sends two pieces, then closes the connection.
    Die,
    /// Sends one piece, then says nothing more (and keeps the connection open).
    Stall,
    /// Sends a line that is not an event.
    BadSse,
    /// Answers 200 with an HTML page.
    WrongType,
    /// Streams pieces without end.
    Endless,
    /// As `Answer`, with `/tokenize`; the first `/tokenize` request's connection is closed
    /// without an answer, as a server closes a kept-alive connection a request was already on.
    DropFirstTokenize,
}

/// Whether the one `DropFirstTokenize` server has dropped its first `/tokenize` yet.
static DROPPED: AtomicBool = AtomicBool::new(false);

type Stream = Box<dyn ReadWrite>;
trait ReadWrite: Read + Write + Send {}
impl<T: Read + Write + Send> ReadWrite for T {}

/// A scripted OpenAI-compatible server on 127.0.0.1.
struct Scripted {
    url: String,
    /// Connections whose client went away while the server was still streaming.
    closed_by_client: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

fn read_request(reader: &mut BufReader<&mut Stream>) -> Option<(String, String)> {
    let mut head = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((
        head.lines().next().unwrap_or_default().to_string(),
        String::from_utf8_lossy(&body).into_owned(),
    ))
}

fn chunk(text: &str) -> String {
    let event =
        serde_json::json!({"choices": [{"delta": {"content": text}, "finish_reason": null}]});
    format!("data: {event}\n\n")
}

fn serve(mut stream: Stream, act: Act, closed: &AtomicUsize, requests: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(&mut stream);
    let Some((line, body)) = read_request(&mut reader) else {
        return;
    };
    drop(reader);
    requests
        .lock()
        .expect("requests")
        .push(format!("{line} {body}"));
    let json = |s: &mut Stream, status: &str, body: &str| {
        let _ = write!(
            s,
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    };
    if act == Act::DropFirstTokenize && line.starts_with("POST /tokenize") {
        if !DROPPED.swap(true, Ordering::SeqCst) {
            return; // closed, nothing answered
        }
        return json(&mut stream, "200 OK", r#"{"tokens":[1,2,3]}"#);
    }
    if line.starts_with("GET /v1/models") {
        let body = r#"{"object":"list","data":[{"id":"qwen-test","object":"model","max_model_len":2048}]}"#;
        return json(&mut stream, "200 OK", body);
    }
    if !line.starts_with("POST /v1/chat/completions") {
        return json(
            &mut stream,
            "404 Not Found",
            r#"{"error":{"message":"not found"}}"#,
        );
    }
    let events = |s: &mut Stream| {
        let _ = write!(
            s,
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"
        );
    };
    match act {
        Act::Answer | Act::DropFirstTokenize => {
            events(&mut stream);
            for piece in ["通知", "如下", "。"] {
                let _ = stream.write_all(chunk(piece).as_bytes());
            }
            let _ = stream
                .write_all(b"data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
            let _ = stream.write_all(b"data: {\"choices\":[],\"usage\":{\"prompt_tokens\":21,\"completion_tokens\":3}}\n\n");
            let _ = stream.write_all(b"data: [DONE]\n\n");
        }
        Act::Status(code) => {
            let status = match code {
                401 => "401 Unauthorized",
                429 => "429 Too Many Requests",
                _ => "500 Internal Server Error",
            };
            json(
                &mut stream,
                status,
                &format!(r#"{{"error":{{"message":"scripted {code}","code":{code}}}}}"#),
            );
        }
        Act::Die => {
            events(&mut stream);
            let _ = stream.write_all(chunk("通知").as_bytes());
            let _ = stream.write_all(chunk("如下").as_bytes());
            let _ = stream.flush();
            // Dropped here: the connection closes without `[DONE]`.
        }
        Act::Stall => {
            events(&mut stream);
            let _ = stream.write_all(chunk("通知").as_bytes());
            let _ = stream.flush();
            std::thread::sleep(Duration::from_secs(5));
        }
        Act::BadSse => {
            events(&mut stream);
            let _ = stream.write_all(chunk("通知").as_bytes());
            let _ = stream.write_all(b"<html><body>gateway error</body></html>\n\n");
        }
        Act::WrongType => {
            let page = "<html><body>登录门户</body></html>";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
        Act::Endless => {
            events(&mut stream);
            let piece = chunk(&"文".repeat(200));
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(10) {
                if stream.write_all(piece.as_bytes()).is_err() || stream.flush().is_err() {
                    closed.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }
    let _ = stream.flush();
}

impl Scripted {
    fn start(act: Act) -> Self {
        Self::start_with(act, None)
    }

    fn start_with(act: Act, tls: Option<Arc<rustls::ServerConfig>>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let secure = tls.is_some();
        let closed = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (c, r) = (closed.clone(), requests.clone());
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        listener.set_nonblocking(true).expect("nonblocking");
        std::thread::spawn(move || {
            // Polls so that dropping the server closes its port: later connections are refused.
            while !stopped.load(Ordering::SeqCst) {
                let Ok((stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                let _ = stream.set_nonblocking(false);
                let (c, r, tls) = (c.clone(), r.clone(), tls.clone());
                std::thread::spawn(move || {
                    let stream: Stream = match tls {
                        Some(config) => {
                            let Ok(conn) = rustls::ServerConnection::new(config) else {
                                return;
                            };
                            Box::new(rustls::StreamOwned::new(conn, stream))
                        }
                        None => Box::new(stream),
                    };
                    serve(stream, act, &c, &r);
                });
            }
        });
        let scheme = if secure { "https" } else { "http" };
        let host = if secure { "localhost" } else { "127.0.0.1" };
        Self {
            url: format!("{scheme}://{host}:{port}"),
            closed_by_client: closed,
            requests,
            stop,
        }
    }
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(30));
    }
}

fn options(urls: Vec<String>) -> ServerOptions {
    let mut options = ServerOptions::new(urls);
    options.timeouts = Timeouts {
        connect: Duration::from_secs(2),
        first_token: Duration::from_secs(5),
        idle: Duration::from_millis(600),
    };
    options
}

fn request() -> GenerationRequest {
    GenerationRequest {
        turns: vec![
            Turn::system("你是公文助手。"),
            Turn::user("写一句通知的开头。"),
        ],
        sampling: Sampling::greedy(64),
        constraint: Constraint::None,
    }
}

/// Runs one call against `server`, returning the streamed text and the result.
fn call(server: &Scripted) -> (String, Result<wenshu_core::Completion, ModelError>) {
    let mut model = RemoteModel::open(options(vec![server.url.clone()])).expect("open");
    let mut seen = String::new();
    let result = model.generate(&request(), &CancelFlag::new(), &mut |t| seen.push_str(t));
    (seen, result)
}

fn fault_of(result: Result<wenshu_core::Completion, ModelError>) -> (ServerFault, String, String) {
    match result {
        Err(ModelError::Server {
            fault,
            detail,
            partial,
            ..
        }) => (fault, detail, partial),
        other => panic!("expected a server fault, got {other:?}"),
    }
}

/// A port nothing listens on.
fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn a_streamed_answer_arrives_whole_with_the_servers_token_counts() {
    let server = Scripted::start(Act::Answer);
    let (seen, result) = call(&server);
    let completion = result.expect("answer");
    assert_eq!(completion.text, "通知如下。");
    assert_eq!(seen, completion.text);
    assert_eq!(
        (completion.prompt_tokens, completion.completion_tokens),
        (21, 3)
    );
    assert_eq!(completion.stop, StopReason::EndOfText);
    let requests = server.requests.lock().expect("requests").join("\n");
    assert!(requests.contains(r#""include_usage":true"#), "{requests}");
    assert!(requests.contains(r#""model":"qwen-test""#), "{requests}");
}

#[test]
fn a_request_whose_connection_closes_unanswered_is_sent_once_more() {
    let server = Scripted::start(Act::DropFirstTokenize);
    let mut model = RemoteModel::open(options(vec![server.url.clone()])).expect("open");
    // The first /tokenize was dropped: sent again, it is answered, so tokens are counted by
    // the server and not by estimate.
    assert!(DROPPED.load(Ordering::SeqCst));
    assert!(model.capabilities().exact_tokens);
    assert_eq!(model.count_tokens("公文").expect("count"), 3);
    let completion = model
        .generate(&request(), &CancelFlag::new(), &mut |_| {})
        .expect("answer on a new connection");
    assert_eq!(completion.text, "通知如下。");
}

#[test]
fn a_server_that_is_down_at_start_is_unreachable() {
    let err = RemoteModel::open(options(vec![closed_port()])).expect_err("down");
    let ModelError::Server { fault, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(fault, ServerFault::Unreachable);
}

#[test]
fn a_server_that_dies_mid_stream_leaves_the_partial_answer() {
    let (seen, result) = call(&Scripted::start(Act::Die));
    let (fault, _, partial) = fault_of(result);
    assert_eq!(fault, ServerFault::Interrupted);
    assert_eq!(partial, "通知如下");
    assert_eq!(seen, partial);
}

#[test]
fn error_statuses_carry_their_code_and_the_servers_message() {
    for code in [500, 429, 401] {
        let (_, result) = call(&Scripted::start(Act::Status(code)));
        let (fault, detail, partial) = fault_of(result);
        assert_eq!(fault, ServerFault::Status(code));
        assert!(detail.contains(&format!("scripted {code}")), "{detail}");
        assert!(partial.is_empty());
    }
}

#[test]
fn a_stream_that_stalls_after_the_first_token_times_out_as_idle() {
    let started = Instant::now();
    let (_, result) = call(&Scripted::start(Act::Stall));
    let (fault, _, partial) = fault_of(result);
    assert_eq!(fault, ServerFault::Stalled);
    assert_eq!(partial, "通知");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the idle deadline, not the server's sleep"
    );
}

#[test]
fn malformed_events_and_a_wrong_content_type_are_malformed() {
    let (_, result) = call(&Scripted::start(Act::BadSse));
    let (fault, detail, partial) = fault_of(result);
    assert_eq!(fault, ServerFault::Malformed);
    assert!(detail.contains("html"), "{detail}");
    assert_eq!(partial, "通知");
    let (_, result) = call(&Scripted::start(Act::WrongType));
    let (fault, detail, _) = fault_of(result);
    assert_eq!(fault, ServerFault::Malformed);
    assert!(detail.contains("text/html"), "{detail}");
}

#[test]
fn an_enormous_answer_is_cut_at_the_limit() {
    let server = Scripted::start(Act::Endless);
    let mut options = options(vec![server.url.clone()]);
    options.max_response_bytes = 256 * 1024;
    let mut model = RemoteModel::open(options).expect("open");
    let result = model.generate(&request(), &CancelFlag::new(), &mut |_| {});
    let (fault, _, partial) = fault_of(result);
    assert_eq!(fault, ServerFault::TooLarge);
    assert!(!partial.is_empty() && partial.len() <= 256 * 1024);
}

#[test]
fn cancelling_closes_the_connection_and_keeps_the_text() {
    let server = Scripted::start(Act::Endless);
    let mut model = RemoteModel::open(options(vec![server.url.clone()])).expect("open");
    let cancel = CancelFlag::new();
    let mut pieces = 0;
    let result = model.generate(&request(), &cancel, &mut |_| {
        pieces += 1;
        if pieces == 5 {
            cancel.cancel();
        }
    });
    let completion = result.expect("a cancelled answer is an answer");
    assert_eq!(completion.stop, StopReason::Cancelled);
    assert_eq!(completion.text.chars().count(), 5 * 200);
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.closed_by_client.load(Ordering::SeqCst) == 0 {
        assert!(
            Instant::now() < deadline,
            "the server never saw the client leave"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_next_server_answers_when_the_first_is_down_and_it_is_said() {
    let server = Scripted::start(Act::Answer);
    let down = closed_port();
    let mut model =
        RemoteModel::open(options(vec![down.clone(), server.url.clone()])).expect("open");
    let failovers = model.take_failovers();
    assert_eq!(failovers.len(), 1, "{failovers:?}");
    assert_eq!(failovers[0].down, down);
    assert_eq!(failovers[0].next, server.url);
    let completion = model
        .generate(&request(), &CancelFlag::new(), &mut |_| {})
        .expect("answer");
    assert_eq!(completion.text, "通知如下。");
}

#[test]
fn a_server_that_goes_down_between_calls_fails_over_on_the_next_call() {
    let first = Scripted::start(Act::Answer);
    let second = Scripted::start(Act::Answer);
    let mut model =
        RemoteModel::open(options(vec![first.url.clone(), second.url.clone()])).expect("open");
    assert_eq!(model.url(), first.url);
    assert!(model.take_failovers().is_empty());
    let down = first.url.clone();
    drop(first);
    let completion = model
        .generate(&request(), &CancelFlag::new(), &mut |_| {})
        .expect("answer");
    assert_eq!(completion.text, "通知如下。");
    assert_eq!(model.url(), second.url);
    let failovers = model.take_failovers();
    assert_eq!(failovers.len(), 1, "{failovers:?}");
    assert_eq!(
        (failovers[0].down.as_str(), failovers[0].fault),
        (down.as_str(), ServerFault::Unreachable)
    );
}

/// A CA and a certificate for `localhost` signed by it, as rustls server config, and the CA's
/// PEM.
fn tls_server() -> (Arc<rustls::ServerConfig>, String) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca =
        CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("key")).expect("ca");
    let key = KeyPair::generate().expect("key");
    let cert = CertificateParams::new(vec!["localhost".to_string()])
        .expect("params")
        .signed_by(&key, &ca)
        .expect("cert");
    let der_key = rustls_pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_no_client_auth()
    .with_single_cert(vec![cert.der().clone()], der_key)
    .expect("server config");
    (Arc::new(config), ca.pem())
}

#[test]
fn tls_trusts_the_organisations_ca_and_refuses_another() {
    let dir = std::env::temp_dir().join(format!("wenshu-remote-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (config, right_ca) = tls_server();
    let (_, wrong_ca) = tls_server();
    let server = Scripted::start_with(Act::Answer, Some(config));
    let right = dir.join("right.pem");
    let wrong = dir.join("wrong.pem");
    std::fs::write(&right, right_ca).expect("write");
    std::fs::write(&wrong, wrong_ca).expect("write");

    let mut trusted = options(vec![server.url.clone()]);
    trusted.ca_file = Some(right);
    let mut model = RemoteModel::open(trusted).expect("the organisation's CA is trusted");
    let completion = model
        .generate(&request(), &CancelFlag::new(), &mut |_| {})
        .expect("answer over TLS");
    assert_eq!(completion.text, "通知如下。");

    let mut other = options(vec![server.url.clone()]);
    other.ca_file = Some(wrong);
    let err = RemoteModel::open(other).expect_err("another CA's certificate");
    let ModelError::Server { fault, detail, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(fault, ServerFault::Tls, "{detail}");
    let _ = std::fs::remove_dir_all(&dir);
}
