//! Wenshu's application API: the one entry point the terminal and the desktop app both call.
//! It wires settings, storage and the model runtime together and returns serialisable results.

pub mod catalog;
pub mod check;
pub mod config;
pub mod draft;
pub mod error;
pub mod input;
pub mod kb;
mod models;
pub mod paths;
mod report;
mod usage;

use std::ops::Deref;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::Instant;

use wenshu_core::{
    AuditEntry, CallOutcome, CancelFlag, Completion, Constraint, GenerationRequest, LanguageModel,
    Role, Sampling, StopReason, Turn,
};
use wenshu_llm::{LocalModel, RuntimeOptions};
use wenshu_store::{ModelRecord, Store};

pub use config::SettingInfo;
pub use config::{LoadedSettings, Settings};
pub use draft::{DocumentInfo, Draft, DraftEvent, DraftRequest, ExportFormat, export_document};
pub use error::{AppError, ErrorCode, Result};
pub use models::ImportMode;
pub use paths::Home;
pub use report::*;
pub use usage::{UsageInfo, UsageReport};
pub use wenshu_api as api;
pub use wenshu_core::{CancelFlag as Cancel, Constraint as OutputConstraint};

const ACTIVE_MODEL_KEY: &str = "active_model";

/// A clock in Unix milliseconds; tests pass a fixed one.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    })
}

/// The operating-system account running Wenshu, for the audit log.
pub fn os_user() -> String {
    for key in ["USER", "LOGNAME", "USERNAME"] {
        if let Ok(name) = std::env::var(key)
            && !name.is_empty()
        {
            return name;
        }
    }
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|rest| {
                    rest.split_whitespace()
                        .next()
                        .map(|uid| format!("uid {uid}"))
                })
        })
        .unwrap_or_else(|| "unknown".to_string())
}

/// Options for one question or chat turn, on top of the settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AskOptions {
    pub system_prompt: Option<String>,
    pub temperature: Option<f32>,
    pub seed: Option<u32>,
    pub max_tokens: Option<u32>,
    pub constraint: Constraint,
    /// Which app or command is asking, for the audit log (e.g. `cli.ask`).
    pub app: String,
}

/// The model in memory, with the options it was opened with.
struct LoadedModel {
    record: ModelRecord,
    options: RuntimeOptions,
    model: LocalModel,
}

/// The settings in force when asked for; they stay valid while in use, even if a setting
/// changes meanwhile.
#[derive(Debug, Clone)]
pub struct SettingsRef(Arc<LoadedSettings>);

impl Deref for SettingsRef {
    type Target = Settings;

    fn deref(&self) -> &Settings {
        &self.0.settings
    }
}

/// Locks `mutex`, for state that a panic cannot leave half-changed (a turn to write, the
/// settings, whose new value is swapped in whole), so poison is ignored.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Locks a part that a panic may have left half-changed (the loaded model's context, the
/// index writer's staged changes): after one, the part is dropped, to be loaded or opened
/// afresh by the next user.
fn lock_or_reset<T>(mutex: &Mutex<Option<T>>) -> MutexGuard<'_, Option<T>> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => {
            let mut guard = poisoned.into_inner();
            *guard = None;
            mutex.clear_poison();
            guard
        }
    }
}

/// An open Wenshu home: settings, database and (once needed) the loaded model.
///
/// Every method takes `&self`, and one `Wenshu` serves all the threads of a front end: each
/// part has its own lock, held only while it is used. Generations take turns on the model,
/// while listing, searching and checking go on beside them.
pub struct Wenshu {
    home: Home,
    loaded_settings: RwLock<Arc<LoadedSettings>>,
    store: Store,
    clock: Clock,
    pub(crate) os_user: String,
    model: Mutex<Option<LoadedModel>>,
    kb: Mutex<Option<wenshu_kb::KbIndex>>,
    /// Whether the index is open and its first check (lost index, packs) is done.
    kb_open: AtomicBool,
    /// Taken by whatever changes the knowledge base, for the whole change.
    kb_writer: Mutex<()>,
    /// The `WENSHU_` variables the settings were loaded with, to load them again after a change.
    env: Vec<(String, String)>,
}

impl std::fmt::Debug for Wenshu {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wenshu")
            .field("home", &self.home)
            .finish_non_exhaustive()
    }
}

impl Wenshu {
    /// Opens the home the environment names, with settings from its config file and variables.
    pub fn open_from_env() -> Result<Self> {
        let home = Home::from_env()?;
        let env: Vec<(String, String)> = std::env::vars().collect();
        Self::open(home, &env)
    }

    /// Opens `home`, creating its directories and database on first use.
    pub fn open(home: Home, env: &[(String, String)]) -> Result<Self> {
        let loaded_settings = Settings::load(&home.config_file, env)?;
        config::apply_settings_language(&loaded_settings.settings, env);
        std::fs::create_dir_all(home.models_dir()).map_err(|err| {
            AppError::io(
                format!(
                    "cannot create the data directory {}",
                    home.data_dir.display()
                ),
                err,
            )
        })?;
        let store = Store::open(&home.database()).map_err(|err| {
            AppError::new(
                ErrorCode::Storage,
                format!("{}: {err}", home.database().display()),
            )
        })?;
        Ok(Self {
            home,
            loaded_settings: RwLock::new(Arc::new(loaded_settings)),
            store,
            clock: system_clock(),
            os_user: os_user(),
            model: Mutex::new(None),
            kb: Mutex::new(None),
            kb_open: AtomicBool::new(false),
            kb_writer: Mutex::new(()),
            env: env
                .iter()
                .filter(|(name, _)| name.starts_with("WENSHU_"))
                .cloned()
                .collect(),
        })
    }

    /// Replaces the clock (tests pin time with it).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn home(&self) -> &Home {
        &self.home
    }

    /// The settings in force now.
    pub fn settings(&self) -> SettingsRef {
        SettingsRef(self.loaded_settings())
    }

    /// The settings in force now, with where each came from.
    pub fn loaded_settings(&self) -> Arc<LoadedSettings> {
        Arc::clone(
            &self
                .loaded_settings
                .read()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// Every setting, with the reason when one cannot be changed here.
    pub fn setting_list(&self) -> Vec<SettingInfo> {
        self.loaded_settings().list()
    }

    /// Changes one setting (`model.threads`, …) in the user's file. A change to the model's
    /// runtime settings takes effect when the model is next used; a generation under way
    /// finishes with the settings it started with.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<SettingInfo> {
        {
            // Held across the write, so that two changes at once both land.
            let mut current = self
                .loaded_settings
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            let loaded =
                config::write_setting(&current, &self.home.config_file, &self.env, key, value)?;
            config::apply_settings_language(&loaded.settings, &self.env);
            *current = Arc::new(loaded);
        }
        self.setting_list()
            .into_iter()
            .find(|s| s.key == key)
            .ok_or_else(|| {
                AppError::new(ErrorCode::NotFound, format!("there is no setting “{key}”"))
            })
    }

    pub(crate) fn now(&self) -> i64 {
        (self.clock)()
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    fn runtime_options(&self) -> RuntimeOptions {
        let settings = self.settings();
        let m = &settings.model;
        RuntimeOptions {
            threads: m.effective_threads(),
            threads_batch: m.effective_threads_batch(),
            context_tokens: m.context_tokens,
            batch_tokens: m.batch_tokens,
            gpu_layers: m.gpu_layers,
        }
    }

    /// The model that answers: the one chosen with `use_model`, else the only one imported.
    pub fn active_model(&self) -> Result<ModelRecord> {
        if let Some(sha) = self.store.setting(ACTIVE_MODEL_KEY)?
            && let Some(record) = self.store.model_by_sha256(&sha)?
        {
            return Ok(record);
        }
        let mut all = self.store.models()?;
        match all.len() {
            0 => Err(AppError::new(
                ErrorCode::NoModel,
                "no model is imported yet: run `wenshu model import FILE.gguf` (or `make setup`)",
            )),
            1 => Ok(all.remove(0)),
            _ => Err(AppError::new(
                ErrorCode::NoModel,
                "several models are imported and none is chosen: run `wenshu model use NAME`",
            )),
        }
    }

    /// The model slot, held for as long as the model is used: one generation at a time.
    pub(crate) fn model_slot(&self) -> MutexGuard<'_, Option<LoadedModel>> {
        lock_or_reset(&self.model)
    }

    /// Runs `work` on the active model, loading it first if it is not loaded, or was loaded
    /// for another model or with other runtime settings.
    fn with_model<T>(
        &self,
        work: impl FnOnce(&ModelRecord, &mut LocalModel) -> Result<T>,
    ) -> Result<T> {
        let record = self.active_model()?;
        let options = self.runtime_options();
        let mut slot = self.model_slot();
        let stale = slot
            .as_ref()
            .is_none_or(|m| m.record.sha256 != record.sha256 || m.options != options);
        if stale {
            // Free the old one before the new one takes its memory.
            *slot = None;
            let model = LocalModel::open(Path::new(&record.path), options.clone())?;
            *slot = Some(LoadedModel {
                record,
                options,
                model,
            });
        }
        let loaded = slot.as_mut().ok_or_else(|| {
            AppError::new(ErrorCode::Runtime, "the model could not be kept loaded")
        })?;
        work(&loaded.record, &mut loaded.model)
    }

    /// How many tokens `text` is for the active model, loading it if needed.
    pub fn count_tokens(&self, text: &str) -> Result<usize> {
        self.with_model(|_, model| Ok(model.count_tokens(text)?))
    }

    /// Context window of the loaded model, loading it if needed.
    pub fn context_window(&self) -> Result<usize> {
        self.with_model(|_, model| Ok(model.context_window()))
    }

    /// Generates an answer to `turns` and writes the audit row, whatever the outcome.
    pub fn complete(
        &self,
        turns: Vec<Turn>,
        options: &AskOptions,
        cancel: &CancelFlag,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<(Completion, ModelRecord)> {
        let started_at = self.now();
        let timer = Instant::now();
        let sampling = self.sampling(options);
        // For the audit row when the model cannot even be loaded.
        let attempted = self.active_model().map(|r| r.sha256).unwrap_or_default();
        let result = self.with_model(|record, model| {
            let request = GenerationRequest {
                turns,
                sampling,
                constraint: options.constraint.clone(),
            };
            model
                .generate(&request, cancel, on_text)
                .map(|c| (c, record.clone()))
                .map_err(|err| {
                    let mut err = AppError::from(err);
                    err.message = format!("{} (model {})", err.message, record.name);
                    err
                })
        });
        let model_sha256 = match &result {
            Ok((_, record)) => record.sha256.clone(),
            Err(_) => attempted,
        };
        let (prompt_tokens, completion_tokens, outcome, error) = match &result {
            Ok((c, _)) => (
                u64::from(c.prompt_tokens),
                u64::from(c.completion_tokens),
                if c.stop == StopReason::Cancelled {
                    CallOutcome::Cancelled
                } else {
                    CallOutcome::Completed
                },
                None,
            ),
            Err(err) => (0, 0, CallOutcome::Failed, Some(err.message.clone())),
        };
        let entry = AuditEntry {
            started_at_ms: started_at,
            os_user: self.os_user.clone(),
            model_sha256,
            app: if options.app.is_empty() {
                "unknown".into()
            } else {
                options.app.clone()
            },
            prompt_tokens,
            completion_tokens,
            duration_ms: u64::try_from(timer.elapsed().as_millis()).unwrap_or(u64::MAX),
            outcome,
            error,
        };
        self.store.append_audit(&entry)?;
        result
    }

    fn sampling(&self, options: &AskOptions) -> Sampling {
        let mut sampling = self.settings().generation.sampling();
        if let Some(t) = options.temperature {
            sampling.temperature = t;
        }
        if let Some(seed) = options.seed {
            sampling.seed = seed;
        }
        if let Some(max) = options.max_tokens {
            sampling.max_tokens = max;
        }
        sampling
    }

    /// Answers one question in a new conversation, stored in history.
    pub fn ask(
        &self,
        question: &str,
        options: &AskOptions,
        cancel: &CancelFlag,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Answer> {
        let mut chat = Chat::new(
            options
                .system_prompt
                .clone()
                .unwrap_or_else(|| self.settings().chat.system_prompt.clone()),
        );
        chat.send(self, question, options, cancel, on_text)
    }

    /// Sends `text` in conversation `id`, or in a new one, with the settings' system prompt:
    /// one chat turn for front ends that keep no conversation state of their own.
    pub fn chat_turn(
        &self,
        id: Option<i64>,
        text: &str,
        options: &AskOptions,
        cancel: &CancelFlag,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Answer> {
        let system = self.settings().chat.system_prompt.clone();
        let mut chat = match id {
            Some(id) => Chat::resume(self, id, system)?,
            None => Chat::new(system),
        };
        chat.send(self, text, options, cancel, on_text)
    }

    /// Recent conversations, newest first.
    pub fn history(&self, limit: usize) -> Result<Vec<ConversationInfo>> {
        Ok(self
            .store
            .conversations(limit)?
            .into_iter()
            .map(report::conversation_info)
            .collect())
    }

    /// One conversation with all its messages.
    pub fn conversation(&self, id: i64) -> Result<ConversationDetail> {
        let summary = self.store.conversation(id)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                format!("there is no conversation {id}: see `wenshu history`"),
            )
        })?;
        let messages = self
            .store
            .messages(id)?
            .into_iter()
            .map(report::message_info)
            .collect();
        Ok(ConversationDetail {
            conversation: report::conversation_info(summary),
            messages,
        })
    }

    /// The newest audit rows, newest first.
    pub fn audit(&self, limit: usize) -> Result<Vec<AuditInfo>> {
        Ok(self
            .store
            .audit(limit)?
            .into_iter()
            .map(report::audit_info)
            .collect())
    }
}

/// A conversation in progress: the system prompt, the turns so far and where they are stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Chat {
    system_prompt: String,
    turns: Vec<Turn>,
    conversation_id: Option<i64>,
}

impl Chat {
    pub fn new(system_prompt: impl Into<String>) -> Self {
        Self {
            system_prompt: system_prompt.into(),
            turns: Vec::new(),
            conversation_id: None,
        }
    }

    /// Continues a stored conversation.
    pub fn resume(wenshu: &Wenshu, id: i64, system_prompt: impl Into<String>) -> Result<Self> {
        let detail = wenshu.conversation(id)?;
        let stored: Vec<Turn> = detail
            .messages
            .iter()
            .filter_map(|m| {
                m.role
                    .parse::<Role>()
                    .ok()
                    .map(|role| Turn::new(role, m.content.clone()))
            })
            .filter(|t| t.role != Role::System)
            .collect();
        // A question that failed has no answer after it; leave it out, as `send` did.
        let turns = stored
            .iter()
            .enumerate()
            .filter(|(i, t)| {
                t.role != Role::User || stored.get(i + 1).is_none_or(|next| next.role != Role::User)
            })
            .map(|(_, t)| t.clone())
            .collect();
        Ok(Self {
            system_prompt: system_prompt.into(),
            turns,
            conversation_id: Some(id),
        })
    }

    pub fn conversation_id(&self) -> Option<i64> {
        self.conversation_id
    }

    pub fn system_prompt(&self) -> &str {
        &self.system_prompt
    }

    /// Changes the system prompt for the turns that follow.
    pub fn set_system_prompt(&mut self, prompt: impl Into<String>) {
        self.system_prompt = prompt.into();
    }

    pub fn turns(&self) -> &[Turn] {
        &self.turns
    }

    /// Sends `text`, streams the answer into `on_text`, and stores both turns. A cancelled answer
    /// is kept, marked as cancelled.
    pub fn send(
        &mut self,
        wenshu: &Wenshu,
        text: &str,
        options: &AskOptions,
        cancel: &CancelFlag,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Answer> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "the question is empty",
            ));
        }
        let id = match self.conversation_id {
            Some(id) => id,
            None => {
                let title: String = text.chars().take(40).collect();
                let app = if options.app.is_empty() {
                    "unknown"
                } else {
                    &options.app
                };
                let id = wenshu
                    .store()
                    .create_conversation(&title, app, wenshu.now())?;
                self.conversation_id = Some(id);
                id
            }
        };
        wenshu
            .store()
            .add_message(id, Role::User, text, false, None, wenshu.now())?;
        self.turns.push(Turn::user(text));

        let mut turns = Vec::with_capacity(self.turns.len() + 1);
        if !self.system_prompt.trim().is_empty() {
            turns.push(Turn::system(self.system_prompt.clone()));
        }
        turns.extend(self.turns.iter().cloned());
        let started = Instant::now();
        let (completion, record) = match wenshu.complete(turns, options, cancel, on_text) {
            Ok(done) => done,
            Err(err) => {
                // The question stays in history, but the conversation goes on as if it was not
                // asked, so the next question does not follow an unanswered one.
                self.turns.pop();
                return Err(err);
            }
        };
        let cancelled = completion.stop == StopReason::Cancelled;
        wenshu.store().add_message(
            id,
            Role::Assistant,
            &completion.text,
            cancelled,
            Some(&record.sha256),
            wenshu.now(),
        )?;
        self.turns.push(Turn::assistant(completion.text.clone()));
        Ok(Answer {
            text: completion.text,
            conversation_id: id,
            model: record.name,
            model_sha256: record.sha256,
            prompt_tokens: completion.prompt_tokens,
            completion_tokens: completion.completion_tokens,
            reused_tokens: completion.reused_tokens,
            dropped_turns: completion.dropped_turns,
            stop: completion.stop.as_str().to_string(),
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        })
    }
}
