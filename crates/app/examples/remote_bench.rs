//! The remote backend against `curl` (`make bench-remote`), in one run, same model, same machine:
//! - tokens per second and first-token latency of one answer through Wenshu's remote backend
//!   (the whole call: policy, audit entries, streaming) and through `curl -N` straight to
//!   llama-server, with the same request, rounds interleaved, medians reported;
//! - 1, 4 and 8 Wenshu clients (each its own home, as on separate desktops) against one
//!   llama-server with 8 slots (`--parallel 8`): total throughput and p95 first-token time.
//!
//! Both clients are timed by this harness the same way: first token = the first piece of
//! content read from the stream, tokens per second = the server's completion tokens over the
//! time from the request to the end of the stream.
//!
//! Usage: remote_bench MODEL.gguf LLAMA_SERVER [ROUNDS]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wenshu_app::{AddServer, AskOptions, Cancel, Home, Wenshu};
use wenshu_core::Turn;

const SYSTEM: &str =
    "你是“文枢”，一个在政务内网离线运行的中文办公助手。请使用规范、简洁的简体中文回答。";
const QUESTION: &str = "请详细介绍起草会议通知的步骤，分十点说明，每点写两三句话。";
const TOKENS: u32 = 128;

struct Server(Child, u16);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server(
    bin: &str,
    model: &str,
    parallel: usize,
) -> Result<Server, Box<dyn std::error::Error>> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new(bin)
        .args([
            "-m",
            model,
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ])
        .args(["--alias", "qwen", "-t", "2", "-np", &parallel.to_string()])
        .args(["-c", &(parallel * 1024).to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let server = Server(child, port);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let up = Command::new("curl")
            .args(["-sf", &format!("http://127.0.0.1:{port}/health")])
            .output()
            .is_ok_and(|o| o.status.success());
        if up {
            return Ok(server);
        }
        if Instant::now() > deadline {
            return Err("llama-server did not come up".into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// One measured answer: first-token seconds, total seconds, completion tokens.
#[derive(Debug, Clone, Copy)]
struct Run {
    first: f64,
    total: f64,
    tokens: u32,
}

impl Run {
    fn tokens_per_s(self) -> f64 {
        f64::from(self.tokens) / self.total
    }
}

fn client(port: u16) -> Result<Wenshu, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?.keep();
    let env = vec![(
        "WENSHU_GENERATION__TEMPERATURE".to_string(),
        "0".to_string(),
    )];
    let wenshu = Wenshu::open(Home::at(&dir), &env)?;
    wenshu.add_server(&AddServer {
        name: "dept".into(),
        urls: vec![format!("http://127.0.0.1:{port}")],
        ..AddServer::default()
    })?;
    Ok(wenshu)
}

fn through_wenshu(wenshu: &Wenshu) -> Result<Run, Box<dyn std::error::Error>> {
    let options = AskOptions {
        max_tokens: Some(TOKENS),
        temperature: Some(0.0),
        app: "bench.remote".into(),
        ..AskOptions::default()
    };
    let timer = Instant::now();
    let mut first = None;
    let (completion, _) = wenshu.complete(
        vec![Turn::system(SYSTEM), Turn::user(QUESTION)],
        &options,
        &Cancel::new(),
        &mut |_| {
            first.get_or_insert_with(|| timer.elapsed().as_secs_f64());
        },
    )?;
    Ok(Run {
        first: first.unwrap_or_default(),
        total: timer.elapsed().as_secs_f64(),
        tokens: completion.completion_tokens,
    })
}

/// The same request Wenshu sends (sampling as Wenshu's defaults with temperature 0).
fn curl_body() -> String {
    json!({
        "model": "qwen",
        "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION}],
        "stream": true,
        "stream_options": {"include_usage": true},
        "max_tokens": TOKENS,
        "temperature": 0.0,
        "top_p": 0.8,
        "top_k": 20,
        "seed": 42,
        "repeat_penalty": 1.05,
        "repeat_last_n": 64,
        "cache_prompt": true,
    })
    .to_string()
}

fn through_curl(port: u16, body: &str) -> Result<Run, Box<dyn std::error::Error>> {
    let timer = Instant::now();
    let mut child = Command::new("curl")
        .args(["-sN", "-H", "Content-Type: application/json", "-d", body])
        .arg(format!("http://127.0.0.1:{port}/v1/chat/completions"))
        .stdout(Stdio::piped())
        .spawn()?;
    let reader = BufReader::new(child.stdout.take().ok_or("curl stdout")?);
    let mut first = None;
    let mut tokens = 0;
    for line in reader.lines() {
        let line = line?;
        let Some(data) = line.strip_prefix("data: ") else {
            continue;
        };
        if data == "[DONE]" {
            break;
        }
        let chunk: Value = serde_json::from_str(data)?;
        if chunk["choices"][0]["delta"]["content"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
        {
            first.get_or_insert_with(|| timer.elapsed().as_secs_f64());
        }
        if let Some(n) = chunk["usage"]["completion_tokens"].as_u64() {
            tokens = u32::try_from(n)?;
        }
    }
    let total = timer.elapsed().as_secs_f64();
    child.wait()?;
    Ok(Run {
        first: first.unwrap_or_default(),
        total,
        tokens,
    })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn p95(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let at = ((values.len() as f64) * 0.95).ceil() as usize;
    values[at.saturating_sub(1).min(values.len() - 1)]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: remote_bench MODEL.gguf LLAMA_SERVER [ROUNDS]";
    let model = args.next().ok_or(usage)?;
    let bin = args.next().ok_or(usage)?;
    let rounds: usize = args.next().map_or(Ok(7), |r| r.parse())?;
    assert!(
        Path::new(&model).is_file() && Path::new(&bin).is_file(),
        "{usage}"
    );

    // 1. One client: Wenshu's remote backend against curl, interleaved.
    let server = start_server(&bin, &model, 1)?;
    let wenshu = client(server.1)?;
    let body = curl_body();
    through_wenshu(&wenshu)?; // warm-up: the server's prompt cache, the page cache
    through_curl(server.1, &body)?;
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        eprintln!("remote_bench: round {}/{rounds}", round + 1);
        ours.push(through_wenshu(&wenshu)?);
        theirs.push(through_curl(server.1, &body)?);
    }
    drop(server);
    let tps = |runs: &[Run]| median(runs.iter().map(|r| r.tokens_per_s()).collect());
    let first = |runs: &[Run]| median(runs.iter().map(|r| r.first * 1000.0).collect());
    let (w_tps, c_tps) = (tps(&ours), tps(&theirs));
    println!("one client, {TOKENS} tokens, medians of {rounds}:");
    println!(
        "  wenshu remote backend  {w_tps:6.2} tokens/s  first token {:7.1} ms  ({} tokens)",
        first(&ours),
        ours[0].tokens
    );
    println!(
        "  curl                   {c_tps:6.2} tokens/s  first token {:7.1} ms  ({} tokens)",
        first(&theirs),
        theirs[0].tokens
    );
    println!("  wenshu / curl          {:6.1} %", w_tps / c_tps * 100.0);

    // 2. 1, 4 and 8 clients against one server with 8 slots.
    let server = start_server(&bin, &model, 8)?;
    let mut scale = Vec::new();
    println!(
        "clients against one llama-server --parallel 8 (each client {} answers):",
        3
    );
    for clients in [1usize, 4, 8] {
        let homes: Vec<Wenshu> = (0..clients)
            .map(|_| client(server.1))
            .collect::<Result<_, _>>()?;
        through_wenshu(&homes[0])?; // warm-up
        let timer = Instant::now();
        let runs: Vec<Run> = std::thread::scope(|s| {
            let handles: Vec<_> = homes
                .iter()
                .map(|w| {
                    s.spawn(move || {
                        (0..3)
                            .map(|_| through_wenshu(w).map_err(|e| e.to_string()))
                            .collect::<Result<Vec<Run>, String>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("client thread").expect("answers"))
                .collect()
        });
        let wall = timer.elapsed().as_secs_f64();
        let tokens: u32 = runs.iter().map(|r| r.tokens).sum();
        let throughput = f64::from(tokens) / wall;
        let first_p95 = p95(runs.iter().map(|r| r.first * 1000.0).collect());
        println!(
            "  {clients} client(s): {throughput:6.2} tokens/s in all, p95 first token {first_p95:7.1} ms, {} answers in {wall:.1} s",
            runs.len()
        );
        scale.push(json!({"clients": clients, "tokens_per_s": throughput, "p95_first_token_ms": first_p95, "answers": runs.len(), "seconds": wall}));
    }
    drop(server);
    let out = json!({
        "tokens": TOKENS,
        "rounds": rounds,
        "wenshu": {"tokens_per_s": w_tps, "first_token_ms": first(&ours)},
        "curl": {"tokens_per_s": c_tps, "first_token_ms": first(&theirs)},
        "ratio": w_tps / c_tps,
        "scale": scale,
    });
    std::fs::write("bench-remote.json", serde_json::to_string_pretty(&out)?)?;
    Ok(())
}
