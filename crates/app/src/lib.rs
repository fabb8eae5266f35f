//! Wenshu's application API: the one entry point the terminal and the desktop app both call.
//! It wires settings, storage and the model runtime together and returns serialisable results.

pub mod apps;
mod audit;
pub mod catalog;
mod chat;
pub mod check;
pub mod config;
pub mod draft;
pub mod error;
pub mod eval;
mod generate;
pub mod input;
pub mod kb;
mod levels;
mod long;
pub mod minutes;
mod models;
pub mod packs;
pub mod paths;
pub mod policy;
mod remote;
mod report;
pub mod summary;
pub mod tables;
mod usage;

use std::ops::Deref;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use wenshu_api::messages;
use wenshu_store::Store;

use generate::LoadedModel;

pub use chat::Chat;
pub use config::SettingInfo;
pub use config::{LoadedSettings, Settings};
pub use draft::{DocumentInfo, Draft, DraftEvent, DraftRequest, ExportFormat};
pub use error::{AppError, ErrorCode, Result};
pub use generate::AskOptions;
pub use long::LongEvent;
pub use models::ImportMode;
pub use paths::Home;
pub use remote::{AddServer, ServerSpec};
pub use report::*;
pub use usage::{UsageInfo, UsageReport, UsageTable};
pub use wenshu_api as api;
pub use wenshu_core::{CancelFlag as Cancel, Constraint as OutputConstraint};

/// A clock in Unix milliseconds; tests pass a fixed one.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

pub use wenshu_store::{machine_id, now_ms, os_user};

fn system_clock() -> Clock {
    Arc::new(now_ms)
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
    /// This machine's id, for the audit log.
    pub(crate) machine: String,
    model: Mutex<Option<LoadedModel>>,
    kb: Mutex<Option<wenshu_kb::KbIndex>>,
    /// Whether the index is open and its first check (lost index, packs) is done.
    kb_open: AtomicBool,
    /// Taken by whatever changes the knowledge base, for the whole change.
    kb_writer: Mutex<()>,
    /// The `WENSHU_` variables the settings were loaded with, to load them again after a change.
    env: Vec<(String, String)>,
    /// The admin policy in force, if any.
    policy: Option<policy::LoadedPolicy>,
    /// Why the policy cannot take effect, when this Wenshu was opened for `doctor` alone.
    pub(crate) policy_error: Option<AppError>,
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

    /// Opens `home`, creating its directories and database on first use. A policy that cannot
    /// take effect fails the open: nothing runs under a broken policy.
    pub fn open(home: Home, env: &[(String, String)]) -> Result<Self> {
        let policy = policy::load(env, now_ms())?;
        Self::open_under(home, env, policy, None)
    }

    /// Opens the home the environment names for `wenshu doctor`, which runs even when the
    /// policy cannot take effect, to say why.
    pub fn open_for_doctor() -> Result<Self> {
        let home = Home::from_env()?;
        let env: Vec<(String, String)> = std::env::vars().collect();
        match policy::load(&env, now_ms()) {
            Ok(policy) => Self::open_under(home, &env, policy, None),
            Err(err) => Self::open_under(home, &env, None, Some(err)),
        }
    }

    fn open_under(
        home: Home,
        env: &[(String, String)],
        policy: Option<policy::LoadedPolicy>,
        policy_error: Option<AppError>,
    ) -> Result<Self> {
        let layer = policy.as_ref().map(policy::LoadedPolicy::layer);
        let loaded_settings = Settings::load_with_policy(&home.config_file, env, layer.as_ref())
            .map_err(|err| match &policy {
                // A `[locked]` table that names no setting is the policy's fault.
                Some(p) if err.message.contains(&p.label()) => AppError::of(
                    ErrorCode::Policy,
                    messages::policy::invalid(p.label(), &err.message),
                ),
                _ => err,
            })?;
        config::apply_settings(&loaded_settings.settings, env);
        std::fs::create_dir_all(home.models_dir()).map_err(|err| {
            AppError::io_of(
                messages::chat::cannot_create_data_dir(home.data_dir.display()),
                &err,
            )
        })?;
        let store = Store::open(&home.database()).map_err(|err| {
            // The store's own message, in the user's language, after the file it concerns.
            let cause = AppError::from(err);
            AppError::of(
                cause.code,
                messages::chat::cannot_open_database(home.database().display(), cause.message),
            )
        })?;
        let wenshu = Self {
            home,
            loaded_settings: RwLock::new(Arc::new(loaded_settings)),
            store,
            clock: system_clock(),
            os_user: os_user(),
            machine: machine_id(),
            model: Mutex::new(None),
            kb: Mutex::new(None),
            kb_open: AtomicBool::new(false),
            kb_writer: Mutex::new(()),
            env: env
                .iter()
                .filter(|(name, _)| name.starts_with("WENSHU_"))
                .cloned()
                .collect(),
            policy,
            policy_error,
        };
        // Which rules hold goes on record before anything runs under them.
        wenshu.record_policy_load()?;
        // Entries past the policy's retention move to a sealed archive. Should that fail
        // (a full disk), nothing leaves the log, and the next start tries again.
        let _ = wenshu.archive_audit();
        Ok(wenshu)
    }

    /// The admin policy in force, if any.
    pub fn policy(&self) -> Option<&policy::LoadedPolicy> {
        self.policy.as_ref()
    }

    /// What restricts this desktop: the user's own limits met with the policy's.
    pub fn limits(&self) -> wenshu_packs::Limits {
        let mine = self.settings().limits.clone();
        match &self.policy {
            Some(p) => mine.meet(&p.policy.limits()),
            None => mine,
        }
    }

    /// What the policy overrode or ignored in the user's own settings, to be shown.
    pub fn policy_warnings(&self) -> Vec<messages::Message> {
        let mut out = self.loaded_settings().warnings.clone();
        if let Some(p) = &self.policy {
            for field in self.settings().limits.loosens(&p.policy.limits()) {
                out.push(messages::policy::loosened(
                    format!("limits.{field}"),
                    p.label(),
                ));
            }
        }
        out
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
            config::apply_settings(&loaded.settings, &self.env);
            *current = Arc::new(loaded);
        }
        self.setting_list()
            .into_iter()
            .find(|s| s.key == key)
            .ok_or_else(|| AppError::of(ErrorCode::NotFound, messages::settings::unknown(key)))
    }

    pub(crate) fn now(&self) -> i64 {
        (self.clock)()
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }
}
