//! The commands the window calls. Each delegates to `wenshu-app` in one line; this module only
//! moves the work off the window's thread, keeps the cancel flags of running jobs and turns
//! errors into `{code, message}`. Every command takes its arguments as one `args` value of
//! the type `wenshu_api::command` declares for it, and returns that declaration's reply.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tauri::ipc::Channel;
use tauri::{State, Url};
use wenshu_app::api::command::{self as cmd, Command, DesktopStatus};
use wenshu_app::api::messages::common::work_stopped;
use wenshu_app::api::{ErrorCode, ErrorInfo, Progress};
use wenshu_app::{AskOptions, Cancel, DraftEvent, DraftRequest, ImportMode, LongEvent, Wenshu};

/// What command `C` sends back: its reply, or `{code, message}`.
type Reply<C> = Result<<C as Command>::Reply, ErrorInfo>;

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
    ) -> Result<T, ErrorInfo> {
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
        .map_err(|err| stopped(&err))?
        .map_err(ErrorInfo::from)
    }

    /// Like `with`, for work that `cancel` can stop by its job number.
    async fn job<T: Send + 'static>(
        &self,
        job: u64,
        work: impl FnOnce(&Wenshu, &Cancel) -> wenshu_app::Result<T> + Send + 'static,
    ) -> Result<T, ErrorInfo> {
        let flag = Cancel::new();
        lock(&self.jobs).insert(job, flag.clone());
        let result = self.with(move |w| work(w, &flag)).await;
        lock(&self.jobs).remove(&job);
        result
    }

    /// Work that needs no open home (reading and checking files).
    async fn plain<T: Send + 'static>(
        work: impl FnOnce() -> wenshu_app::Result<T> + Send + 'static,
    ) -> Result<T, ErrorInfo> {
        tauri::async_runtime::spawn_blocking(work)
            .await
            .map_err(|err| stopped(&err))?
            .map_err(ErrorInfo::from)
    }
}

/// The error for work whose thread died (a panic in a command).
fn stopped(err: &dyn std::fmt::Display) -> ErrorInfo {
    ErrorInfo::new(ErrorCode::Runtime, work_stopped(err))
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

#[tauri::command]
pub async fn status(state: State<'_, Desktop>, args: cmd::Status) -> Reply<cmd::Status> {
    let cmd::Status {} = args;
    state
        .with(|w| {
            let model = w.active_model();
            Ok(DesktopStatus {
                data_dir: w.home().data_dir.display().to_string(),
                documents_dir: documents_dir().display().to_string(),
                model: model.as_ref().ok().map(|m| m.name.clone()),
                model_problem: model.err().map(|e| e.message),
                policy: w.policy().map(|p| {
                    wenshu_app::api::messages::models::doctor_policy_ok(p.label(), &p.signer).text
                }),
            })
        })
        .await
}

#[tauri::command]
pub async fn apps(state: State<'_, Desktop>, args: cmd::Apps) -> Reply<cmd::Apps> {
    let cmd::Apps {} = args;
    state.with(|w| w.apps()).await
}

#[tauri::command]
pub fn cancel(state: State<'_, Desktop>, args: cmd::Cancel) -> Reply<cmd::Cancel> {
    Ok(lock(&state.jobs)
        .get(&args.job)
        .map(Cancel::cancel)
        .is_some())
}

#[tauri::command]
pub async fn draft(
    state: State<'_, Desktop>,
    args: cmd::Draft,
    events: Channel<Progress>,
) -> Reply<cmd::Draft> {
    let request = DraftRequest::try_from(&args.form)?;
    state
        .job(args.job, move |w, cancel| {
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
pub async fn review_text(args: cmd::ReviewText) -> Reply<cmd::ReviewText> {
    Ok(wenshu_app::check::review_text(&args.text))
}

#[tauri::command]
pub async fn fix_text(args: cmd::FixText) -> Reply<cmd::FixText> {
    Ok(wenshu_app::check::fix_text(&args.text, args.line))
}

#[tauri::command]
pub async fn check_file(args: cmd::CheckFile) -> Reply<cmd::CheckFile> {
    Desktop::plain(move || wenshu_app::check::check_document(Path::new(&args.path))).await
}

#[tauri::command]
pub async fn export_text(
    state: State<'_, Desktop>,
    args: cmd::ExportText,
) -> Reply<cmd::ExportText> {
    state
        .with(move |w| w.export_text(&args.text, &args.doc_type, Path::new(&args.path)))
        .await
}

#[tauri::command]
pub async fn kb_add(
    state: State<'_, Desktop>,
    args: cmd::KbAdd,
    events: Channel<Progress>,
) -> Reply<cmd::KbAdd> {
    let paths: Vec<PathBuf> = args.paths.iter().map(PathBuf::from).collect();
    state
        .job(args.job, move |w, cancel| {
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
pub async fn kb_list(state: State<'_, Desktop>, args: cmd::KbList) -> Reply<cmd::KbList> {
    let cmd::KbList {} = args;
    state.with(|w| w.kb_list()).await
}

#[tauri::command]
pub async fn kb_remove(state: State<'_, Desktop>, args: cmd::KbRemove) -> Reply<cmd::KbRemove> {
    state.with(move |w| w.kb_remove(&args.which)).await
}

#[tauri::command]
pub async fn kb_search(state: State<'_, Desktop>, args: cmd::KbSearch) -> Reply<cmd::KbSearch> {
    state
        .with(move |w| w.kb_search(&args.query, args.limit))
        .await
}

#[tauri::command]
pub async fn kb_stats(state: State<'_, Desktop>, args: cmd::KbStats) -> Reply<cmd::KbStats> {
    let cmd::KbStats {} = args;
    state.with(|w| w.kb_stats()).await
}

#[tauri::command]
pub async fn ask_kb(
    state: State<'_, Desktop>,
    args: cmd::AskKb,
    events: Channel<Progress>,
) -> Reply<cmd::AskKb> {
    state
        .job(args.job, move |w, cancel| {
            let options = AskOptions {
                app: "desktop.kb".into(),
                ..AskOptions::default()
            };
            w.ask_kb(&args.question, &options, cancel, &mut text_events(&events))
        })
        .await
}

#[tauri::command]
pub async fn chat_send(
    state: State<'_, Desktop>,
    args: cmd::ChatSend,
    events: Channel<Progress>,
) -> Reply<cmd::ChatSend> {
    state
        .job(args.job, move |w, cancel| {
            let options = AskOptions {
                app: "desktop.chat".into(),
                ..AskOptions::default()
            };
            w.chat_turn(
                args.conversation,
                &args.text,
                &options,
                cancel,
                &mut text_events(&events),
            )
        })
        .await
}

#[tauri::command]
pub async fn history(state: State<'_, Desktop>, args: cmd::History) -> Reply<cmd::History> {
    state.with(move |w| w.history(args.limit)).await
}

#[tauri::command]
pub async fn conversation(
    state: State<'_, Desktop>,
    args: cmd::Conversation,
) -> Reply<cmd::Conversation> {
    state.with(move |w| w.conversation(args.id)).await
}

#[tauri::command]
pub async fn audit(state: State<'_, Desktop>, args: cmd::Audit) -> Reply<cmd::Audit> {
    state.with(move |w| w.audit(args.limit)).await
}

#[tauri::command]
pub async fn export_audit(
    state: State<'_, Desktop>,
    args: cmd::ExportAudit,
) -> Reply<cmd::ExportAudit> {
    state
        .with(move |w| w.export_audit(Path::new(&args.path), &args.format, None, None))
        .await
}

#[tauri::command]
pub async fn audit_verify(
    state: State<'_, Desktop>,
    args: cmd::AuditVerify,
) -> Reply<cmd::AuditVerify> {
    let cmd::AuditVerify {} = args;
    state.with(move |w| w.audit_verify(&[])).await
}

#[tauri::command]
pub async fn audit_checkpoint(
    state: State<'_, Desktop>,
    args: cmd::AuditCheckpoint,
) -> Reply<cmd::AuditCheckpoint> {
    state
        .with(move |w| w.audit_checkpoint(Path::new(&args.path)))
        .await
}

#[tauri::command]
pub async fn quotas(state: State<'_, Desktop>, args: cmd::Quotas) -> Reply<cmd::Quotas> {
    let cmd::Quotas {} = args;
    state.with(move |w| w.quotas()).await
}

#[tauri::command]
pub async fn usage(state: State<'_, Desktop>, args: cmd::Usage) -> Reply<cmd::Usage> {
    state.with(move |w| w.usage(args.days)).await
}

#[tauri::command]
pub async fn settings(state: State<'_, Desktop>, args: cmd::Settings) -> Reply<cmd::Settings> {
    let cmd::Settings {} = args;
    state.with(|w| Ok(w.setting_list())).await
}

#[tauri::command]
pub async fn set_setting(
    state: State<'_, Desktop>,
    args: cmd::SetSetting,
) -> Reply<cmd::SetSetting> {
    state
        .with(move |w| w.set_setting(&args.key, &args.value))
        .await
}

#[tauri::command]
pub async fn models(state: State<'_, Desktop>, args: cmd::Models) -> Reply<cmd::Models> {
    let cmd::Models {} = args;
    state.with(|w| w.models()).await
}

#[tauri::command]
pub async fn import_model(
    state: State<'_, Desktop>,
    args: cmd::ImportModel,
) -> Reply<cmd::ImportModel> {
    let mode = if args.link {
        ImportMode::Symlink
    } else {
        ImportMode::Copy
    };
    state
        .with(move |w| w.import_model(Path::new(&args.path), None, mode))
        .await
}

#[tauri::command]
pub async fn add_server(state: State<'_, Desktop>, args: cmd::AddServer) -> Reply<cmd::AddServer> {
    let request = wenshu_app::AddServer {
        name: args.name,
        urls: args.urls,
        model_id: args.model_id,
        ca: args.ca.map(std::path::PathBuf::from),
        key_file: args.key_file.map(std::path::PathBuf::from),
    };
    state.with(move |w| w.add_server(&request)).await
}

#[tauri::command]
pub async fn use_model(state: State<'_, Desktop>, args: cmd::UseModel) -> Reply<cmd::UseModel> {
    state.with(move |w| w.use_model(&args.name)).await
}

#[tauri::command]
pub async fn eval(
    state: State<'_, Desktop>,
    args: cmd::Eval,
    events: Channel<Progress>,
) -> Reply<cmd::Eval> {
    let options = wenshu_app::eval::EvalOptions {
        models: args.models,
        suite: None,
        only: args.only,
        html: args.html.map(std::path::PathBuf::from),
    };
    state
        .job(args.job, move |w, cancel| {
            w.eval(&options, cancel, &mut |p| {
                let _ = events.send(Progress::Step {
                    step: p.done,
                    of: p.total,
                    label: p.label.to_string(),
                });
            })
        })
        .await
}

#[tauri::command]
pub async fn eval_history(
    state: State<'_, Desktop>,
    args: cmd::EvalHistory,
) -> Reply<cmd::EvalHistory> {
    state.with(move |w| w.eval_history(args.limit)).await
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

/// A long run's progress as the window reads it.
fn long_events(events: &Channel<Progress>) -> impl FnMut(LongEvent<'_>) + '_ {
    move |event| {
        let _ = events.send(match event {
            LongEvent::Progress {
                done,
                total,
                level,
                remaining_ms,
            } => Progress::Piece {
                done,
                total,
                level,
                remaining_ms,
            },
            LongEvent::Text(text) => Progress::Text {
                text: text.to_string(),
            },
        });
    }
}

#[tauri::command]
pub async fn minutes(
    state: State<'_, Desktop>,
    args: cmd::Minutes,
    events: Channel<Progress>,
) -> Reply<cmd::Minutes> {
    state
        .job(args.job, move |w, cancel| {
            w.minutes(&args.request, cancel, &mut long_events(&events))
        })
        .await
}

#[tauri::command]
pub async fn summarize(
    state: State<'_, Desktop>,
    args: cmd::Summarize,
    events: Channel<Progress>,
) -> Reply<cmd::Summarize> {
    state
        .job(args.job, move |w, cancel| {
            w.summarize(&args.request, cancel, &mut long_events(&events))
        })
        .await
}

#[tauri::command]
pub async fn source_lines(args: cmd::SourceLines) -> Reply<cmd::SourceLines> {
    Desktop::plain(move || {
        if args.documents {
            wenshu_app::summary::source_paragraphs(&args.files)
        } else {
            wenshu_app::minutes::source_lines(&args.files, args.text)
        }
    })
    .await
}

#[tauri::command]
pub async fn run_app(
    state: State<'_, Desktop>,
    args: cmd::RunApp,
    events: Channel<Progress>,
) -> Reply<cmd::RunApp> {
    use wenshu_app::apps::AppEvent;
    state
        .job(args.job, move |w, cancel| {
            let output = args.output.as_deref().filter(|p| !p.trim().is_empty());
            w.run_app(
                &args.id,
                &args.inputs,
                output.map(Path::new),
                cancel,
                &mut |event| {
                    let _ = events.send(match event {
                        AppEvent::Step { step, of, label } => Progress::Step {
                            step,
                            of,
                            label: label.to_string(),
                        },
                        AppEvent::Progress { done, total } => Progress::Piece {
                            done,
                            total,
                            level: 0,
                            remaining_ms: None,
                        },
                        AppEvent::Text(text) => Progress::Text {
                            text: text.to_string(),
                        },
                    });
                },
            )
        })
        .await
}

#[tauri::command]
pub async fn packs(state: State<'_, Desktop>, args: cmd::Packs) -> Reply<cmd::Packs> {
    let cmd::Packs {} = args;
    state.with(Wenshu::pack_list).await
}

#[tauri::command]
pub async fn install_pack(
    state: State<'_, Desktop>,
    args: cmd::InstallPack,
) -> Reply<cmd::InstallPack> {
    state
        .with(move |w| {
            let path = Path::new(&args.path);
            if args.update {
                w.update_pack(path)
            } else {
                w.install_pack(path)
            }
        })
        .await
}

#[tauri::command]
pub async fn remove_pack(
    state: State<'_, Desktop>,
    args: cmd::RemovePack,
) -> Reply<cmd::RemovePack> {
    state.with(move |w| w.remove_pack(&args.id)).await
}
