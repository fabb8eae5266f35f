//! Drives the real desktop app: a private X display (Xvfb), WebKitGTK's own WebDriver server
//! (`WebKitWebDriver`, Debian's webkit2gtk-driver) launching the built binary with automation
//! allowed, and a small W3C WebDriver client over loopback HTTP. Used by the end-to-end test and
//! the desktop benchmark.

#![allow(dead_code)]

use std::io::{BufRead, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wenshu_app::{Home, ImportMode, Wenshu};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Helpers die with the test process, even when it is killed, so that no display or WebDriver
/// server outlives an interrupted run.
trait DiesWithParent {
    fn dies_with_parent(&mut self) -> &mut Self;
}

impl DiesWithParent for Command {
    #[allow(unsafe_code)]
    fn dies_with_parent(&mut self) -> &mut Self {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl is async-signal-safe and touches only the child being started.
        unsafe {
            self.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            })
        }
    }
}

/// Kills a child and waits for it, whatever state it is in.
fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// A private X display.
pub struct Display {
    pub name: String,
    xvfb: Child,
}

impl Display {
    /// Starts Xvfb on a display number it picks itself (`-displayfd`), so displays left over
    /// from other runs are never reused.
    pub fn start() -> Self {
        let mut xvfb = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x840x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .dies_with_parent()
            .spawn()
            .expect("Xvfb runs (apt install xvfb)");
        // Xvfb writes the display number once it accepts connections, and closes its end if
        // it fails.
        let mut line = String::new();
        let read = std::io::BufReader::new(xvfb.stdout.take().expect("piped"))
            .read_line(&mut line)
            .unwrap_or(0);
        match line.trim().parse::<u32>() {
            Ok(n) if read > 0 => Self {
                name: format!(":{n}"),
                xvfb,
            },
            _ => {
                stop(&mut xvfb);
                panic!("Xvfb did not start a display");
            }
        }
    }

    /// Saves what the display shows as a PNG.
    pub fn screenshot(&self, path: &Path) {
        // WebKit paints a moment after the page changes.
        std::thread::sleep(Duration::from_millis(400));
        let status = Command::new("scrot")
            .arg("--overwrite")
            .arg(path)
            .env("DISPLAY", &self.name)
            .status()
            .expect("scrot runs (apt install scrot)");
        assert!(status.success(), "screenshot {}", path.display());
    }
}

impl Drop for Display {
    #[allow(unsafe_code)]
    fn drop(&mut self) {
        // Asked to stop, Xvfb removes its lock file and socket; killed, it would leave them.
        let pid = self.xvfb.id() as libc::pid_t;
        // SAFETY: signals our own child, which has not been waited for, so the pid is its own.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.xvfb.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        stop(&mut self.xvfb);
    }
}

/// A WebDriver session on the desktop app.
pub struct App {
    port: u16,
    session: String,
    driver: Child,
    /// Whether the driver leads a process group of its own (traced runs), stopped as a whole.
    group: bool,
    pub launched_in: Duration,
}

/// One HTTP exchange with the WebDriver server.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(300)))
        .map_err(|e| e.to_string())?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no HTTP header")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let mut content = raw[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        let mut out = Vec::new();
        let mut rest = &content[..];
        loop {
            let line_end = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .ok_or("bad chunk")?;
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..line_end]).trim(), 16)
                .map_err(|e| e.to_string())?;
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[line_end + 2..line_end + 2 + size]);
            rest = &rest[line_end + 4 + size..];
        }
        content = out;
    }
    let value: Value = serde_json::from_slice(&content)
        .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&content)))?;
    let value = value.get("value").cloned().unwrap_or(Value::Null);
    if let Some(error) = value.get("error").and_then(Value::as_str) {
        let message = value.get("message").and_then(Value::as_str).unwrap_or("");
        return Err(format!("{error}: {message}"));
    }
    Ok(value)
}

impl App {
    /// Launches `binary` in `display` with `env`, and waits until the page has loaded.
    pub fn launch(binary: &Path, display: &Display, env: &[(&str, &str)]) -> Self {
        Self::launch_traced(binary, display, env, None)
    }

    /// [`App::launch`], with the WebDriver server, the app and all they start under
    /// `strace` (its options from `trace`) when given: the log of every connection they try.
    pub fn launch_traced(
        binary: &Path,
        display: &Display,
        env: &[(&str, &str)],
        trace: Option<Vec<String>>,
    ) -> Self {
        let port = free_port();
        let group = trace.is_some();
        let mut command = match trace {
            Some(options) => {
                use std::os::unix::process::CommandExt;
                let mut c = Command::new("strace");
                c.args(options).arg("WebKitWebDriver").process_group(0);
                c
            }
            None => Command::new("WebKitWebDriver"),
        };
        command
            .arg(format!("--port={port}"))
            .env("DISPLAY", &display.name)
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            // Software rendering: there is no GPU on the display.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .dies_with_parent();
        for (k, v) in env {
            command.env(k, v);
        }
        let mut driver = command
            .spawn()
            .expect("WebKitWebDriver runs (apt install webkit2gtk-driver)");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(20) {
                stop(&mut driver);
                panic!("WebKitWebDriver did not open its port");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "webkitgtk:browserOptions": {
                        "binary": binary,
                        "args": [],
                    }
                }
            }
        });
        let launch = Instant::now();
        let session = match http(port, "POST", "/session", Some(&capabilities)) {
            Ok(v) => v["sessionId"].as_str().unwrap_or_default().to_string(),
            Err(e) => {
                stop(&mut driver);
                panic!("the app did not start under WebDriver: {e}");
            }
        };
        Self {
            port,
            session,
            driver,
            group,
            launched_in: launch.elapsed(),
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        )
    }

    /// Runs `script` (a function body) in the page with `args`.
    pub fn script(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Runs an async `script`; it calls `arguments[arguments.length - 1]` with its result.
    pub fn script_async(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
        .unwrap_or_else(|e| panic!("async script failed: {e}\n{script}"))
    }

    fn element(&self, css: &str) -> Result<String, String> {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        v[ELEMENT]
            .as_str()
            .map(String::from)
            .ok_or_else(|| format!("no element {css}"))
    }

    /// Waits until `css` names a visible element, then clicks it as a user would.
    pub fn click(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let result = self
                .element(css)
                .and_then(|id| self.call("POST", &format!("/element/{id}/click"), Some(json!({}))));
            match result {
                Ok(_) => return,
                Err(e) if Instant::now() > deadline => panic!("cannot click {css}: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// Types `text` into the field `css` with real key events, after clearing it.
    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css).unwrap_or_else(|e| panic!("{e}"));
        self.call("POST", &format!("/element/{id}/clear"), Some(json!({})))
            .unwrap_or_else(|e| panic!("clear {css}: {e}"));
        self.send_keys(css, text);
    }

    /// Types `text` at the end of the field `css` with real key events.
    pub fn send_keys(&self, css: &str, text: &str) {
        let id = self.element(css).unwrap_or_else(|e| panic!("{e}"));
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        )
        .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Sets a field's value and tells the page, as pasting does (for long Chinese text).
    pub fn paste_into(&self, css: &str, text: &str) {
        let ok = self.script(
            "const el = document.querySelector(arguments[0]);
             if (!el) return false;
             el.focus();
             el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true }));
             el.dispatchEvent(new Event('change', { bubbles: true }));
             return true;",
            json!([css, text]),
        );
        assert_eq!(ok, Value::Bool(true), "no field {css}");
    }

    /// The text of `css` (or its value, for fields), or None when it is not there.
    pub fn text(&self, css: &str) -> Option<String> {
        self.script(
            "const el = document.querySelector(arguments[0]);
             if (!el) return null;
             return ('value' in el && el.tagName !== 'BUTTON' && el.tagName !== 'LI') ? el.value : el.innerText;",
            json!([css]),
        )
        .as_str()
        .map(String::from)
    }

    /// Waits up to `timeout` for `check` to give a value.
    pub fn wait<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut check: impl FnMut(&Self) -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(v) = check(self) {
                return v;
            }
            if Instant::now() > deadline {
                let notice = self.text("#notice").unwrap_or_default();
                panic!("timed out waiting for {what} (notice: {notice})");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for the notice at the bottom of the window to contain `part`, and returns it.
    pub fn notice_with(&self, part: &str, timeout: Duration) -> String {
        self.wait(&format!("a notice with “{part}”"), timeout, |app| {
            app.text("#notice").filter(|n| n.contains(part))
        })
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = http(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        if self.group {
            // strace, the driver and what it started: asked to stop, then made to.
            let group = -(self.driver.id() as libc::pid_t);
            #[allow(unsafe_code)]
            let signal = |sig| {
                // SAFETY: signals the process group our own child leads.
                unsafe { libc::kill(group, sig) };
            };
            signal(libc::SIGTERM);
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.driver.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            signal(libc::SIGKILL);
        }
        stop(&mut self.driver);
    }
}

/// A home for one run of the app: a Wenshu home with `model` imported (linked), and a HOME
/// with a Documents folder of its own, all removed at the end.
pub struct TestHome {
    dir: tempfile::TempDir,
}

impl TestHome {
    pub fn with_model(model: &Path) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Wenshu::open(Home::at(&dir.path().join("wenshu")), &[])
            .and_then(|w| w.import_model(model, None, ImportMode::Symlink))
            .expect("import the model");
        std::fs::create_dir_all(dir.path().join("Documents")).expect("documents");
        Self { dir }
    }

    /// The user's home folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Starts the app at `binary` on `display` in this home, with `extra` variables, and waits
    /// for the catalogue.
    pub fn launch(&self, binary: &Path, display: &Display, extra: &[(&str, &str)]) -> App {
        self.launch_traced(binary, display, extra, None)
    }

    /// [`TestHome::launch`] under `strace` with `trace`'s options.
    pub fn launch_traced(
        &self,
        binary: &Path,
        display: &Display,
        extra: &[(&str, &str)],
        trace: Option<Vec<String>>,
    ) -> App {
        let wenshu_home = self.path().join("wenshu");
        let mut env = vec![
            ("WENSHU_HOME", wenshu_home.to_str().expect("utf-8 path")),
            ("HOME", self.path().to_str().expect("utf-8 path")),
        ];
        env.extend_from_slice(extra);
        let app = App::launch_traced(binary, display, &env, trace);
        app.wait("the catalogue", Duration::from_secs(60), |a| {
            a.text("#app-draft-circular")
        });
        app
    }
}

impl App {
    /// Opens the 通知 app and fills its form.
    pub fn fill_notice_form(&self) {
        self.click("#nav-home");
        self.click("#app-draft-circular");
        self.wait("the drafting form", Duration::from_secs(60), |a| {
            a.text("#field-issuer")
        });
        self.paste_into("#field-issuer", "某市数据管理局");
        self.paste_into("#field-topic", "开展政务数据安全检查");
        self.paste_into("#field-addressees", "各区数据管理局");
        self.paste_into(
            "#field-facts",
            "检查时间为2024年5月1日至5月31日。检查对象为全市各级政务数据平台。各区于6月10日前报送检查报告。",
        );
    }
}
