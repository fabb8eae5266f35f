//! The commands the window calls. Each delegates to `wenshu-app` in one line; this module only
//! moves the work off the window's thread, keeps the cancel flags of running jobs and turns
//! errors into `{code, message}`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{State, Url};
use wenshu_app::catalog::AppInfo;
use wenshu_app::check::{CheckReport, Review, TextFix};
use wenshu_app::draft::DraftForm;
use wenshu_app::kb::{CitedAnswer, KbAddReport, KbDocumentInfo, KbStats, SearchHit};
use wenshu_app::{
    Answer, AppError, AskOptions, AuditInfo, Cancel, ConversationDetail, ConversationInfo, Draft,
    DraftEvent, DraftRequest, ErrorCode, ExportFormat, ImportMode, ModelInfo, SettingInfo,
    UsageReport, Wenshu,
};

/// An error as the window sees it: a stable code to match on and a message for people.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub message: String,
}

impl From<AppError> for ErrorInfo {
    fn from(err: AppError) -> Self {
        Self {
            code: err.code.as_str(),
            message: err.message,
        }
    }
}

type Reply<T> = Result<T, ErrorInfo>;

/// Progress of long work, streamed to the window.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Progress {
    /// A step begins (drafting: the outline, then each section).
    Step {
        step: usize,
        of: usize,
        label: String,
    },
    /// Text the model produced.
    Text { text: String },
    /// A file is done (knowledge base).
    File {
        done: usize,
        total: usize,
        path: String,
    },
}

/// The shell's state: the open Wenshu home (opened on first use, so that a broken setting shows
/// in the window instead of stopping it) and the cancel flags of running jobs.
///
/// One `Wenshu` serves every command at once: it locks its own parts (the model, the index,
/// the database) only while each is used, so a search runs while a draft is generated.
#[derive(Debug, Default)]
pub struct Desktop {
    wenshu: Arc<Mutex<Option<Arc<Wenshu>>>>,
    jobs: Arc<Mutex<HashMap<u64, Cancel>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic in one command must not lock the window out of every later one.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Desktop {
    /// Runs `work` on a worker thread with the open home.
    async fn with<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Wenshu) -> wenshu_app::Result<T> + Send + 'static,
    ) -> Reply<T> {
        let slot = Arc::clone(&self.wenshu);
        tauri::async_runtime::spawn_blocking(move || {
            let wenshu = {
                let mut guard = lock(&slot);
                match guard.as_ref() {
                    Some(w) => Arc::clone(w),
                    None => {
                        let w = Arc::new(Wenshu::open_from_env()?);
                        *guard = Some(Arc::clone(&w));
                        w
                    }
                }
            };
            work(&wenshu)
        })
        .await
        .map_err(|err| ErrorInfo {
            code: ErrorCode::Runtime.as_str(),
            message: format!("the work stopped unexpectedly: {err}"),
        })?
        .map_err(ErrorInfo::from)
    }

    /// Like `with`, for work that `cancel` can stop by its job number.
    async fn job<T: Send + 'static>(
        &self,
        job: u64,
        work: impl FnOnce(&Wenshu, &Cancel) -> wenshu_app::Result<T> + Send + 'static,
    ) -> Reply<T> {
        let flag = Cancel::new();
        lock(&self.jobs).insert(job, flag.clone());
        let result = self.with(move |w| work(w, &flag)).await;
        lock(&self.jobs).remove(&job);
        result
    }

    /// Work that needs no open home (reading and checking files).
    async fn plain<T: Send + 'static>(
        work: impl FnOnce() -> wenshu_app::Result<T> + Send + 'static,
    ) -> Reply<T> {
        tauri::async_runtime::spawn_blocking(work)
            .await
            .map_err(|err| ErrorInfo {
                code: ErrorCode::Runtime.as_str(),
                message: format!("the work stopped unexpectedly: {err}"),
            })?
            .map_err(ErrorInfo::from)
    }
}

/// Whether the window may go to `url`: only its own bundled pages, never a remote site.
pub fn is_local(url: &Url) -> bool {
    match url.scheme() {
        "tauri" | "asset" | "about" | "data" => true,
        "http" | "https" => {
            matches!(url.host_str(), Some("tauri.localhost" | "ipc.localhost"))
                || (cfg!(debug_assertions)
                    && matches!(url.host_str(), Some("localhost" | "127.0.0.1")))
        }
        _ => false,
    }
}

fn text_events(events: &Channel<Progress>) -> impl FnMut(&str) + '_ {
    move |text: &str| {
        let _ = events.send(Progress::Text {
            text: text.to_string(),
        });
    }
}

/// `~/Documents` (or its Chinese name) when it exists, else the home folder.
fn documents_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    ["文档", "Documents"]
        .iter()
        .map(|name| home.join(name))
        .find(|dir| dir.is_dir())
        .unwrap_or(home)
}

/// What the window shows in its status bar.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub data_dir: String,
    /// Where files are saved unless the user picks another place.
    pub documents_dir: String,
    pub model: Option<String>,
    pub model_problem: Option<String>,
}

#[tauri::command]
pub async fn status(state: State<'_, Desktop>) -> Reply<Status> {
    state
        .with(|w| {
            let model = w.active_model();
            Ok(Status {
                data_dir: w.home().data_dir.display().to_string(),
                documents_dir: documents_dir().display().to_string(),
                model: model.as_ref().ok().map(|m| m.name.clone()),
                model_problem: model.err().map(|e| e.message),
            })
        })
        .await
}

#[tauri::command]
pub async fn apps() -> Reply<Vec<AppInfo>> {
    Ok(wenshu_app::catalog::apps())
}

#[tauri::command]
pub fn cancel(state: State<'_, Desktop>, job: u64) -> bool {
    lock(&state.jobs).get(&job).map(Cancel::cancel).is_some()
}

#[tauri::command]
pub async fn draft(
    state: State<'_, Desktop>,
    form: DraftForm,
    job: u64,
    events: Channel<Progress>,
) -> Reply<Draft> {
    let request = DraftRequest::try_from(&form)?;
    state
        .job(job, move |w, cancel| {
            w.draft(&request, cancel, &mut |event| {
                let _ = events.send(match event {
                    DraftEvent::Step { step, of, label } => Progress::Step {
                        step,
                        of,
                        label: label.to_string(),
                    },
                    DraftEvent::Text(text) => Progress::Text {
                        text: text.to_string(),
                    },
                });
            })
        })
        .await
}

#[tauri::command]
pub async fn review_text(text: String) -> Reply<Review> {
    Ok(wenshu_app::check::review_text(&text))
}

#[tauri::command]
pub async fn fix_text(text: String, line: Option<usize>) -> Reply<TextFix> {
    Ok(wenshu_app::check::fix_text(&text, line))
}

#[tauri::command]
pub async fn check_file(path: PathBuf) -> Reply<CheckReport> {
    Desktop::plain(move || wenshu_app::check::check_document(&path)).await
}

#[tauri::command]
pub async fn export_text(text: String, doc_type: String, path: PathBuf) -> Reply<ExportFormat> {
    Desktop::plain(move || wenshu_app::draft::export_text(&text, &doc_type, &path)).await
}

#[tauri::command]
pub async fn kb_add(
    state: State<'_, Desktop>,
    paths: Vec<PathBuf>,
    job: u64,
    events: Channel<Progress>,
) -> Reply<KbAddReport> {
    state
        .job(job, move |w, cancel| {
            w.kb_add(&paths, None, cancel, &mut |p| {
                let _ = events.send(Progress::File {
                    done: p.done,
                    total: p.total,
                    path: p.path.display().to_string(),
                });
            })
        })
        .await
}

#[tauri::command]
pub async fn kb_list(state: State<'_, Desktop>) -> Reply<Vec<KbDocumentInfo>> {
    state.with(|w| w.kb_list()).await
}

#[tauri::command]
pub async fn kb_remove(state: State<'_, Desktop>, which: String) -> Reply<KbDocumentInfo> {
    state.with(move |w| w.kb_remove(&which)).await
}

#[tauri::command]
pub async fn kb_search(
    state: State<'_, Desktop>,
    query: String,
    limit: usize,
) -> Reply<Vec<SearchHit>> {
    state.with(move |w| w.kb_search(&query, limit)).await
}

#[tauri::command]
pub async fn kb_stats(state: State<'_, Desktop>) -> Reply<KbStats> {
    state.with(|w| w.kb_stats()).await
}

#[tauri::command]
pub async fn ask_kb(
    state: State<'_, Desktop>,
    question: String,
    job: u64,
    events: Channel<Progress>,
) -> Reply<CitedAnswer> {
    state
        .job(job, move |w, cancel| {
            let options = AskOptions {
                app: "desktop.kb".into(),
                ..AskOptions::default()
            };
            w.ask_kb(&question, &options, cancel, &mut text_events(&events))
        })
        .await
}

#[tauri::command]
pub async fn chat_send(
    state: State<'_, Desktop>,
    conversation: Option<i64>,
    text: String,
    job: u64,
    events: Channel<Progress>,
) -> Reply<Answer> {
    state
        .job(job, move |w, cancel| {
            let options = AskOptions {
                app: "desktop.chat".into(),
                ..AskOptions::default()
            };
            w.chat_turn(
                conversation,
                &text,
                &options,
                cancel,
                &mut text_events(&events),
            )
        })
        .await
}

#[tauri::command]
pub async fn history(state: State<'_, Desktop>, limit: usize) -> Reply<Vec<ConversationInfo>> {
    state.with(move |w| w.history(limit)).await
}

#[tauri::command]
pub async fn conversation(state: State<'_, Desktop>, id: i64) -> Reply<ConversationDetail> {
    state.with(move |w| w.conversation(id)).await
}

#[tauri::command]
pub async fn audit(state: State<'_, Desktop>, limit: usize) -> Reply<Vec<AuditInfo>> {
    state.with(move |w| w.audit(limit)).await
}

#[tauri::command]
pub async fn export_audit(state: State<'_, Desktop>, path: PathBuf) -> Reply<usize> {
    state.with(move |w| w.export_audit(&path)).await
}

#[tauri::command]
pub async fn usage(state: State<'_, Desktop>, days: u32) -> Reply<UsageReport> {
    state.with(move |w| w.usage(days)).await
}

#[tauri::command]
pub async fn settings(state: State<'_, Desktop>) -> Reply<Vec<SettingInfo>> {
    state.with(|w| Ok(w.setting_list())).await
}

#[tauri::command]
pub async fn set_setting(
    state: State<'_, Desktop>,
    key: String,
    value: String,
) -> Reply<SettingInfo> {
    state.with(move |w| w.set_setting(&key, &value)).await
}

#[tauri::command]
pub async fn models(state: State<'_, Desktop>) -> Reply<Vec<ModelInfo>> {
    state.with(|w| w.models()).await
}

#[tauri::command]
pub async fn import_model(
    state: State<'_, Desktop>,
    path: PathBuf,
    link: bool,
) -> Reply<ModelInfo> {
    let mode = if link {
        ImportMode::Symlink
    } else {
        ImportMode::Copy
    };
    state
        .with(move |w| w.import_model(Path::new(&path), None, mode))
        .await
}

#[tauri::command]
pub async fn use_model(state: State<'_, Desktop>, name: String) -> Reply<ModelInfo> {
    state.with(move |w| w.use_model(&name)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bundled_pages_are_local() {
        let local = |u: &str| is_local(&Url::parse(u).expect("url"));
        assert!(local("tauri://localhost/index.html"));
        assert!(local("http://tauri.localhost/"));
        assert!(!local("https://example.com/"));
        assert!(!local("http://10.0.0.1/"));
        assert!(!local("file:///etc/passwd"));
    }
}
