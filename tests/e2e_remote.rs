//! End to end against a real inference server: llama.cpp's `llama-server`, built once into the
//! cache by `scripts/llama-cpp.sh llama-server` (`make test` does it and passes its path in
//! WENSHU_LLAMA_SERVER), serving the default model on 127.0.0.1. The built `wenshu` binary
//! talks to it as a department's desktops would talk to their intranet server.

#[path = "support/mod.rs"]
mod support;

#[path = "support/offline.rs"]
mod offline;

#[path = "support/policy.rs"]
mod policy;

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_wenshu");

/// The llama-server binary. Tests fail (not skip) without it: `make test` builds it first.
fn llama_server() -> PathBuf {
    let path = std::env::var_os("WENSHU_LLAMA_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/wenshu/llama-cpp/build/bin/llama-server")
        });
    assert!(
        path.is_file(),
        "llama-server is missing at {}: run `scripts/llama-cpp.sh llama-server` (or `make test`)",
        path.display()
    );
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A llama-server with the default model, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let log = dir.path().join("server.log");
        let port = free_port();
        let child = Command::new(llama_server())
            .arg("-m")
            .arg(support::default_model())
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--alias", "qwen", "-c", "4096", "-np", "1", "-t", "1"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&log).expect("log"))
            .stderr(std::fs::File::create(dir.path().join("server.err")).expect("log"))
            .spawn()
            .expect("llama-server starts");
        let server = Self {
            child,
            port,
            log,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !server.healthy() {
            assert!(Instant::now() < deadline, "llama-server did not come up");
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// GET `path` on the server, as text (a bare HTTP/1.0 request: no client library here).
    fn get(&self, path: &str) -> Option<String> {
        use std::io::Write;
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
        let mut text = String::new();
        stream.read_to_string(&mut text).ok()?;
        let (head, body) = text.split_once("\r\n\r\n")?;
        head.starts_with("HTTP/1.1 200").then(|| body.to_string())
    }

    fn healthy(&self) -> bool {
        self.get("/health").is_some_and(|b| b.contains("ok"))
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Whether a slot is still working on a request.
    fn busy(&self) -> bool {
        self.get("/slots")
            .and_then(|b| serde_json::from_str::<Value>(&b).ok())
            .and_then(|v| v.as_array().cloned())
            .is_some_and(|slots| slots.iter().any(|s| s["is_processing"] == true))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wenshu(home: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("WENSHU_HOME", home)
        .env("WENSHU_MODEL__THREADS", "1")
        .env("WENSHU_GENERATION__TEMPERATURE", "0")
        .env_remove("WENSHU_MODEL__CONTEXT_TOKENS")
        .env_remove("WENSHU_LANG")
        .env_remove("WENSHU_POLICY")
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the wenshu binary runs")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(out: &Output) -> Value {
    let text = ok(out);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("one JSON document ({e}): {text}"))
}

fn add_server(home: &Path, name: &str, urls: &[String]) -> Output {
    let mut cmd = wenshu(home);
    cmd.args(["--json", "model", "add-server", name]);
    for url in urls {
        cmd.args(["--url", url]);
    }
    run(&mut cmd)
}

/// Every `finished` row of the audit log.
fn finished_rows(home: &Path) -> Vec<Value> {
    let rows = json(&run(wenshu(home).args(["--json", "audit", "list", "--all"])));
    rows.as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["kind"] == "finished")
        .cloned()
        .collect()
}

#[test]
fn ask_chat_a_cited_answer_drafts_and_a_summary_run_on_the_server_and_the_audit_names_it() {
    let server = Server::start(&[]);
    let home = tempfile::tempdir().expect("home");
    let dir = home.path();
    let added = json(&add_server(dir, "dept", &[server.url()]));
    assert_eq!(added["backend"], "openai");
    assert_eq!(added["model_id"], "qwen");
    assert_eq!(
        added["context_length"], 4096,
        "the context size comes from /props"
    );
    let listed = json(&run(wenshu(dir).args(["--json", "model", "list"])));
    assert_eq!(listed[0]["urls"][0], server.url());
    let doctor = ok(&run(wenshu(dir).args(["doctor"])));
    assert!(
        doctor.contains("可以连接") && doctor.contains("qwen"),
        "{doctor}"
    );

    let answer = json(&run(wenshu(dir).args([
        "--json",
        "ask",
        "--max-tokens",
        "24",
        "中国的首都是哪个城市？",
    ])));
    assert!(
        answer["text"].as_str().unwrap_or_default().contains("北京"),
        "{answer}"
    );
    assert!(
        answer["prompt_tokens"].as_u64().unwrap_or(0) > 20,
        "usage from the server"
    );

    let mut chat = wenshu(dir);
    chat.args(["chat", "--max-tokens", "24"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = chat.spawn().expect("chat");
    std::io::Write::write_all(
        child.stdin.as_mut().expect("stdin"),
        "你好\n请再说一遍。\n/exit\n".as_bytes(),
    )
    .expect("write");
    drop(child.stdin.take());
    ok(&child.wait_with_output().expect("chat ends"));

    let kb = dir.join("指南.txt");
    std::fs::write(
        &kb,
        "政务数据共享指南\n一、申请方式\n各部门通过共享平台提交数据共享申请，由市政务服务数据管理局审核，审核时限为5个工作日。\n",
    )
    .expect("write");
    ok(&run(wenshu(dir).args(["kb", "add"]).arg(&kb)));
    let cited = json(&run(wenshu(dir).args([
        "--json",
        "ask",
        "--kb",
        "--max-tokens",
        "64",
        "数据共享申请由谁审核？",
    ])));
    assert!(
        !cited["passages"].as_array().expect("passages").is_empty(),
        "a cited answer: {cited}"
    );

    let facts = dir.join("facts.txt");
    std::fs::write(
        &facts,
        "会议时间：2024年4月8日上午9时。会议地点：市政府第三会议室。参会人员：各区数据局分管负责同志。",
    )
    .expect("write");
    for (kind, topic) in [
        ("通知", "召开全市政务数据工作会议"),
        ("请示", "申请召开全市政务数据工作会议"),
        ("函", "商请派员参加全市政务数据工作会议"),
    ] {
        let signer: &[&str] = if kind == "请示" {
            &["--signer", "李明"]
        } else {
            &[]
        };
        let draft = json(&run(wenshu(dir)
            .args(["--json", "draft", "--type", kind])
            .args(signer)
            .args([
                "--issuer",
                "广州市政务服务数据管理局",
                "--to",
                "各区政务服务数据管理局",
            ])
            .args(["--topic", topic, "--date", "2024-04-01", "--facts"])
            .arg(&facts)
            .env("WENSHU_DRAFT__SECTION_TOKENS", "120")));
        assert_eq!(draft["document"]["type"], kind, "{draft}");
        let text = draft["text"].as_str().unwrap_or_default();
        assert!(
            text.contains("2024年4月8日") && text.contains("第三会议室"),
            "{kind}: {text}"
        );
    }

    let doc = dir.join("规范.md");
    std::fs::write(
        &doc,
        "# 版式要点\n\n一、纸张\n公文用纸采用A4型纸，尺寸为210毫米×297毫米，天头为37毫米。\n\n\
         二、字体\n正文用三号仿宋体字，标题用二号小标宋体字。\n",
    )
    .expect("write");
    let summary = json(&run(wenshu(dir)
        .args(["--json", "summarize", "--points", "2"])
        .arg(&doc)));
    assert!(
        !summary["points"].as_array().expect("points").is_empty(),
        "{summary}"
    );

    let rows = finished_rows(dir);
    assert!(rows.len() >= 8, "every call is on record: {}", rows.len());
    for row in &rows {
        assert_eq!(row["outcome"], "completed", "{row}");
        assert_eq!(
            row["model_sha256"],
            format!("openai:{}#qwen", server.url()),
            "each row names the server that answered: {row}"
        );
    }
    ok(&run(wenshu(dir).args(["audit", "verify"])));
}

#[test]
fn greedy_answers_from_the_two_backends_match_and_the_prompt_is_templated_the_same() {
    let server = Server::start(&[]);
    let home = tempfile::tempdir().expect("home");
    let dir = home.path();
    ok(&run(wenshu(dir)
        .args(["model", "import", "--link", "--name", "local"])
        .arg(support::default_model())));
    ok(&add_server(dir, "remote", &[server.url()]));
    let questions = [
        "中国的首都是哪个城市？",
        "列出公文的三个组成部分。",
        "用一句话说明什么是请示。",
        "一年有几个季度？",
    ];
    let mut same = 0;
    for question in questions {
        let mut answers = Vec::new();
        for model in ["local", "remote"] {
            ok(&run(wenshu(dir).args(["model", "use", model])));
            // Without the repeat penalty: llama-server counts the prompt's last tokens in its
            // window and Wenshu's runtime only the answer's (see the README).
            answers.push(json(&run(wenshu(dir)
                .args(["--json", "ask", "--max-tokens", "48", question])
                .env("WENSHU_GENERATION__REPEAT_PENALTY", "1"))));
        }
        assert_eq!(
            answers[0]["prompt_tokens"], answers[1]["prompt_tokens"],
            "the same chat template on both sides: {question}"
        );
        if answers[0]["text"] == answers[1]["text"] {
            same += 1;
        } else {
            eprintln!(
                "{question}\n  local:  {}\n  remote: {}",
                answers[0]["text"], answers[1]["text"]
            );
        }
    }
    assert!(
        same >= 3,
        "greedy answers agree but for near-ties: {same} of 4"
    );
}

#[test]
fn a_server_down_at_start_a_wrong_key_and_a_server_outside_the_policy_are_clear_errors() {
    let home = tempfile::tempdir().expect("home");
    let dir = home.path();
    // Down at start: registered while up, then stopped.
    {
        let server = Server::start(&[]);
        ok(&add_server(dir, "dept", &[server.url()]));
    }
    let out = run(wenshu(dir).args(["ask", "你好"]));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("无法连接推理服务器"), "{err}");
    assert!(
        err.contains("[server]") || err.contains("推理服务器出错"),
        "{err}"
    );
    let rows = finished_rows(dir);
    assert_eq!(rows.last().expect("row")["outcome"], "failed");

    // An API key: the right one from a file only its owner reads; an open file is refused
    // before anything is sent; a wrong key is the server's 401.
    let keys = tempfile::tempdir().expect("keys");
    let key = keys.path().join("key");
    std::fs::write(&key, "s3cret-key\n").expect("key");
    let server = Server::start(&["--api-key", "s3cret-key"]);
    let add = |name: &str, file: &Path| {
        run(wenshu(dir)
            .args([
                "model",
                "add-server",
                name,
                "--url",
                &server.url(),
                "--key-file",
            ])
            .arg(file))
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let out = add("keyed", &key);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("chmod 600"));
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    ok(&add("keyed", &key));
    ok(&run(wenshu(dir).args(["model", "use", "keyed"])));
    let answer = ok(&run(wenshu(dir).args(["ask", "--max-tokens", "8", "你好"])));
    assert!(!answer.trim().is_empty());
    let wrong = keys.path().join("wrong");
    std::fs::write(&wrong, "not-the-key").expect("key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrong, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let out = add("wrong", &wrong);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("拒绝了访问") && err.contains("401"), "{err}");
    let db = std::fs::read(dir.join("wenshu.db")).expect("db");
    assert!(
        !db.windows(10).any(|w| w == b"s3cret-key"),
        "the key is never stored"
    );

    // Beyond this computer without a policy naming it: refused, and strace sees no connection.
    let log = keys.path().join("strace.log");
    let mut cmd = wenshu(dir);
    cmd.args([
        "model",
        "add-server",
        "far",
        "--url",
        "http://10.255.255.2:8080",
    ]);
    let out = run(&mut offline::traced(&cmd, &log));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("不在本机"), "{err}");
    assert_eq!(out.status.code(), Some(3), "{err}");
    let seen = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(offline::attempts(&seen), 0, "nothing was sent: {seen}");
}

/// Starts `wenshu chat` with `message`, waiting until its answer has begun streaming.
fn chat_streaming(home: &Path, message: &str, env: &[(&str, &str)]) -> Child {
    let mut cmd = wenshu(home);
    cmd.args(["chat", "--max-tokens", "400"])
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("chat");
    std::io::Write::write_all(
        child.stdin.as_mut().expect("stdin"),
        format!("{message}\n").as_bytes(),
    )
    .expect("write");
    // The first bytes of the answer.
    let mut byte = [0u8; 1];
    let stdout = child.stdout.as_mut().expect("stdout");
    stdout.read_exact(&mut byte).expect("the answer begins");
    child
}

/// The newest conversation's messages.
fn last_messages(home: &Path) -> Vec<Value> {
    let list = json(&run(wenshu(home).args(["--json", "history"])));
    let id = list[0]["id"].to_string();
    let detail = json(&run(wenshu(home).args(["--json", "history"]).arg(id)));
    detail["messages"].as_array().cloned().unwrap_or_default()
}

const LONG_ASK: &str = "请详细介绍公文写作的十个要点，每个要点写三句话。";

#[test]
fn a_server_that_dies_or_stalls_mid_answer_leaves_the_partial_answer_marked_failed() {
    let home = tempfile::tempdir().expect("home");
    let dir = home.path();
    let server = Server::start(&[]);
    ok(&add_server(dir, "dept", &[server.url()]));
    let child = chat_streaming(dir, LONG_ASK, &[]);
    server.signal("-KILL");
    let out = child.wait_with_output().expect("chat ends");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("中断") || err.contains("无法连接"), "{err}");
    let messages = last_messages(dir);
    let last = messages.last().expect("a message");
    assert_eq!(last["role"], "assistant", "{messages:?}");
    assert_eq!(last["failed"], true);
    assert!(!last["content"].as_str().unwrap_or_default().is_empty());
    drop(server);

    // Stalled: the server stops (SIGSTOP) after the first piece; the idle deadline ends it.
    let server = Server::start(&[]);
    let home = tempfile::tempdir().expect("home");
    let dir = home.path();
    ok(&add_server(dir, "dept", &[server.url()]));
    let child = chat_streaming(dir, LONG_ASK, &[("WENSHU_SERVER__IDLE_TIMEOUT_S", "2")]);
    server.signal("-STOP");
    let started = Instant::now();
    let out = child.wait_with_output().expect("chat ends");
    server.signal("-CONT");
    assert!(started.elapsed() < Duration::from_secs(20));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("停止响应"), "{err}");
    assert_eq!(last_messages(dir).last().expect("message")["failed"], true);
    let rows = finished_rows(dir);
    assert_eq!(rows.last().expect("row")["outcome"], "failed");
    assert!(
        !rows.last().expect("row")["output_sha256"]
            .as_str()
            .unwrap_or_default()
            .is_empty(),
        "the partial answer's hash is on record"
    );
}

#[test]
fn ctrl_c_mid_answer_closes_the_connection_and_the_server_frees_its_slot() {
    let server = Server::start(&[]);
    let home = tempfile::tempdir().expect("home");
    let dir = home.path();
    ok(&add_server(dir, "dept", &[server.url()]));
    let mut cmd = wenshu(dir);
    cmd.args(["ask", "--max-tokens", "400", LONG_ASK])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("ask");
    let mut byte = [0u8; 1];
    child
        .stdout
        .as_mut()
        .expect("stdout")
        .read_exact(&mut byte)
        .expect("the answer begins");
    assert!(server.busy(), "the slot works on the answer");
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    let out = child.wait_with_output().expect("ask ends");
    assert_eq!(out.status.code(), Some(130));
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.busy() {
        assert!(
            Instant::now() < deadline,
            "the server still generates for a client that left"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let log = std::fs::read_to_string(&server.log).unwrap_or_default();
    let rows = finished_rows(dir);
    assert_eq!(rows.last().expect("row")["outcome"], "cancelled", "{log}");
}

#[test]
fn with_the_first_server_stopped_the_second_answers_and_it_is_said() {
    let second = Server::start(&[]);
    let home = tempfile::tempdir().expect("home");
    let dir = home.path();
    let first_url = {
        let first = Server::start(&[]);
        ok(&add_server(dir, "dept", &[first.url(), second.url()]));
        first.url()
    };
    let out = run(wenshu(dir).args(["ask", "--max-tokens", "16", "中国的首都是哪个城市？"]));
    let answer = ok(&out);
    assert!(answer.contains("北京"), "{answer}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&first_url) && err.contains("已改用") && err.contains(&second.url()),
        "{err}"
    );
    let rows = finished_rows(dir);
    assert_eq!(
        rows.last().expect("row")["model_sha256"],
        format!("openai:{}#qwen", second.url())
    );
}

#[test]
fn beyond_loopback_only_the_servers_the_policy_names_are_reached() {
    // `make test` runs this suite in a namespace with only loopback (scripts/offline.sh, as
    // root there): an address of "another machine" is added to it, and a server listens on it.
    if std::env::var_os("WENSHU_OFFLINE").is_none() {
        return;
    }
    let added = Command::new("ip")
        .args(["addr", "add", "10.77.0.1/32", "dev", "lo"])
        .status()
        .expect("ip (iproute2) runs");
    assert!(added.success(), "an address for the intranet server");
    let port = free_port();
    let mut child = Command::new(llama_server())
        .arg("-m")
        .arg(support::default_model())
        .args(["--host", "10.77.0.1", "--port", &port.to_string()])
        .args(["--alias", "qwen", "-c", "2048", "-np", "1", "-t", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("llama-server starts");
    let url = format!("http://10.77.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("10.77.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "llama-server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    }
    let dirs = tempfile::tempdir().expect("dirs");
    let policy = policy::signed(
        BIN,
        &dirs.path().join("policy"),
        &format!("[[servers]]\nurl = \"{url}\"\nmax_level = \"内部\"\n"),
    );
    let home = dirs.path().join("home");
    let log = dirs.path().join("strace.log");
    let traced = |args: &[&str]| {
        let mut cmd = wenshu(&home);
        cmd.env("WENSHU_POLICY", &policy).args(args);
        let out = run(&mut offline::traced(&cmd, &log));
        (out, std::fs::read_to_string(&log).unwrap_or_default())
    };
    // The server may take a moment to load the model after it listens.
    let mut added = traced(&["model", "add-server", "dept", "--url", &url]);
    while !added.0.status.success() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(300));
        added = traced(&["model", "add-server", "dept", "--url", &url]);
    }
    ok(&added.0);
    let allowed = format!("10.77.0.1:{port}");
    let (out, seen) = traced(&["ask", "--max-tokens", "8", "你好"]);
    ok(&out);
    assert!(
        seen.contains("10.77.0.1"),
        "the call went to the named server: {seen}"
    );
    assert_eq!(offline::outside(&seen, &[&allowed]), Vec::<String>::new());

    // 敏感 material is above the server's ceiling: refused, and nothing is sent.
    let (out, seen) = traced(&["ask", "--max-tokens", "8", "敏感\n请概括。"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("最高只能接收"));
    assert!(!seen.contains("10.77.0.1"), "nothing sent: {seen}");

    // Another address on the same network, not named: refused before a byte.
    let (out, seen) = traced(&[
        "model",
        "add-server",
        "other",
        "--url",
        "http://10.77.0.2:8080",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有列出"));
    assert_eq!(offline::attempts(&seen), 0, "{seen}");
    let _ = child.kill();
    let _ = child.wait();
}
