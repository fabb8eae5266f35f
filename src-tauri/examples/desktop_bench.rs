//! The desktop app's responsiveness, measured in its real window under Xvfb:
//!
//! - cold start: from asking WebKitWebDriver for a session (which starts the app process) until
//!   the catalogue is on screen and answers clicks, over several fresh launches;
//! - input-to-paint: for each key typed into a form field (real key events), the time from the
//!   event until the frame after it was painted (two animation frames), first with the model
//!   idle, then while it generates a draft; and the frame rate in both states.
//!
//! Usage: desktop_bench MODEL.gguf [APP_BINARY] (the binary defaults to the release build).

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{App, Display, TestHome};

const LAUNCHES: usize = 5;
const KEYS: usize = 40;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn summary(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (
        percentile(&v, 0.5),
        percentile(&v, 0.95),
        v.last().copied().unwrap_or(f64::NAN),
    )
}

/// Types `KEYS` characters one by one and returns each key's input-to-paint time (ms).
fn typing_latencies(app: &App) -> Vec<f64> {
    app.script(
        "window.__lat = [];
         const el = document.querySelector('#field-contact');
         el.value = '';
         el.oninput = (e) => {
             const t0 = e.timeStamp;
             requestAnimationFrame(() => requestAnimationFrame(() => window.__lat.push(performance.now() - t0)));
         };
         return true;",
        json!([]),
    );
    for i in 0..KEYS {
        let key = char::from(b'a' + (i % 26) as u8).to_string();
        // Appends one key as real key events (no clear between keys).
        app.script(
            "document.querySelector('#field-contact').focus(); return true;",
            json!([]),
        );
        app.send_keys("#field-contact", &key);
        std::thread::sleep(Duration::from_millis(30));
    }
    std::thread::sleep(Duration::from_millis(300));
    app.script("return window.__lat;", json!([]))
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

/// Frames painted per second over one second.
fn frame_rate(app: &App) -> f64 {
    app.script_async(
        "const done = arguments[arguments.length - 1];
         let frames = 0;
         const start = performance.now();
         function tick(now) {
             frames += 1;
             if (now - start < 1000) { requestAnimationFrame(tick); }
             else { done(frames * 1000 / (now - start)); }
         }
         requestAnimationFrame(tick);",
        json!([]),
    )
    .as_f64()
    .unwrap_or(f64::NAN)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let model = PathBuf::from(
        args.next()
            .expect("usage: desktop_bench MODEL.gguf [APP_BINARY]"),
    );
    let binary = args.next().map_or_else(
        || {
            let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
            Path::new(&target).join("release").join("wenshu-desktop")
        },
        PathBuf::from,
    );
    assert!(binary.exists(), "build the app first: {}", binary.display());
    let home = TestHome::with_model(&model);
    let display = Display::start();

    // Cold start, several fresh processes.
    let mut starts = Vec::new();
    for _ in 0..LAUNCHES {
        let began = Instant::now();
        let app = home.launch(&binary, &display, &[]);
        app.click("#app-draft-circular");
        app.wait("the drafting form", Duration::from_secs(60), |a| {
            a.text("#field-issuer")
        });
        starts.push(began.elapsed().as_secs_f64() * 1000.0);
        drop(app);
    }

    // Input-to-paint, idle and while generating.
    let app = home.launch(&binary, &display, &[]);
    app.fill_notice_form();
    let idle_fps = frame_rate(&app);
    let idle = typing_latencies(&app);
    app.click("#generate");
    app.wait("streamed text", Duration::from_secs(300), |a| {
        a.text("#draft-stream pre").filter(|t| !t.is_empty())
    });
    let busy_fps = frame_rate(&app);
    let busy = typing_latencies(&app);
    let still_generating = app.text("#draft-stream").is_some();
    let tokens_seen = app
        .text("#draft-stream pre")
        .map_or(0, |t| t.chars().count());
    app.click("#stop");

    let (s50, _, smax) = summary(starts.clone());
    let (i50, i95, imax) = summary(idle.clone());
    let (b50, b95, bmax) = summary(busy.clone());
    println!(
        "desktop app, {} (Xvfb, software rendering)",
        binary.display()
    );
    println!(
        "cold start to interactive drafting form, {LAUNCHES} launches: median {s50:.0} ms, max {smax:.0} ms"
    );
    println!("input-to-paint over {KEYS} keys        p50      p95      max     frames/s");
    println!("  model idle                  {i50:7.1}  {i95:7.1}  {imax:7.1} ms  {idle_fps:6.1}");
    println!("  model generating            {b50:7.1}  {b95:7.1}  {bmax:7.1} ms  {busy_fps:6.1}");
    println!(
        "  (the model was still generating when typing ended: {still_generating}; {tokens_seen} characters streamed)"
    );
    let report = json!({
        "cold_start_ms": starts,
        "idle": { "latency_ms": idle, "frames_per_second": idle_fps },
        "generating": { "latency_ms": busy, "frames_per_second": busy_fps, "still_generating": still_generating },
    });
    let out = std::env::temp_dir().join("wenshu-desktop-bench.json");
    if std::fs::write(&out, report.to_string()).is_ok() {
        println!("raw numbers: {}", out.display());
    }
}
