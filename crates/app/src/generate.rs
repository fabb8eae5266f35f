//! Generation on the active model: the model slot (loaded once, reloaded when the model or its
//! runtime settings change, one generation at a time) and the audit row every call writes,
//! whatever its outcome.

use std::sync::MutexGuard;
use std::time::Instant;

use wenshu_api::messages::chat as msg;
use wenshu_core::{
    AuditEntry, CallOutcome, CancelFlag, Completion, Constraint, EntryKind, GenerationRequest,
    LanguageModel, Sampling, StopReason, Turn,
};
use wenshu_llm::RuntimeOptions;
use wenshu_store::ModelRecord;

use crate::error::{AppError, ErrorCode, Result};
use crate::models::sha256_hex;
use crate::{Wenshu, lock_or_reset};

/// The store setting that names the model chosen with `use_model`, by its SHA-256.
pub(crate) const ACTIVE_MODEL_KEY: &str = "active_model";
/// Set when the user chose the active model themselves (`model use`), not by importing it first.
pub(crate) const CHOSEN_MODEL_KEY: &str = "chosen_model";

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
    /// The highest data level of what the prompt holds (公开, 内部, 敏感), for the audit log.
    pub level: String,
}

/// The model backend in use (a model in memory, or a server's client), with the options it
/// was opened with.
pub(crate) struct LoadedModel {
    record: ModelRecord,
    options: RuntimeOptions,
    model: crate::remote::Backend,
}

impl Wenshu {
    fn runtime_options(&self) -> RuntimeOptions {
        let settings = self.settings();
        let m = &settings.model;
        RuntimeOptions {
            threads: m.effective_threads(),
            threads_batch: m.effective_threads_batch(),
            context_tokens: m.context_tokens,
            batch_tokens: m.batch_tokens,
            gpu_layers: m.gpu_layers,
            reuse_prompt: m.reuse_prompt,
        }
    }

    /// The model that answers: the one chosen with `use_model`; else the admin policy's
    /// `default_model` (by name or SHA-256) when it is imported; else the first imported.
    pub fn active_model(&self) -> Result<ModelRecord> {
        if self.store.setting(CHOSEN_MODEL_KEY)?.is_none()
            && let Some(default) = self.policy().and_then(|p| p.policy.default_model.clone())
            && let Some(record) = self
                .store
                .models()?
                .into_iter()
                .find(|m| m.name == default || m.sha256.eq_ignore_ascii_case(&default))
        {
            return Ok(record);
        }
        if let Some(sha) = self.store.setting(ACTIVE_MODEL_KEY)?
            && let Some(record) = self.store.model_by_sha256(&sha)?
        {
            return Ok(record);
        }
        let mut all = self.store.models()?;
        match all.len() {
            0 => Err(AppError::of(ErrorCode::NoModel, msg::no_model())),
            1 => Ok(all.remove(0)),
            _ => Err(AppError::of(ErrorCode::NoModel, msg::several_models())),
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
        work: impl FnOnce(&ModelRecord, &mut dyn LanguageModel) -> Result<T>,
    ) -> Result<T> {
        let record = self.active_model()?;
        if !self.limits().model_allowed(&record.sha256) {
            let file = self
                .policy()
                .map(crate::policy::LoadedPolicy::label)
                .unwrap_or_else(|| self.home().config_file.display().to_string());
            return Err(AppError::of(
                ErrorCode::Policy,
                wenshu_api::messages::policy::model_not_allowed(&record.name, file),
            ));
        }
        let options = self.runtime_options();
        let mut slot = self.model_slot();
        let stale = slot
            .as_ref()
            .is_none_or(|m| m.record.sha256 != record.sha256 || m.options != options);
        if stale {
            // Free the old one before the new one takes its memory.
            *slot = None;
            let model = self.open_backend(&record, options.clone())?;
            *slot = Some(LoadedModel {
                record,
                options,
                model,
            });
        }
        let loaded = slot
            .as_mut()
            .ok_or_else(|| AppError::of(ErrorCode::Runtime, msg::model_not_kept()))?;
        work(&loaded.record, loaded.model.as_mut())
    }

    /// What the active model's backend can do, opening it if needed.
    pub fn capabilities(&self) -> Result<wenshu_core::Capabilities> {
        self.with_model(|_, model| Ok(model.capabilities()))
    }

    /// How many tokens `text` is for the active model, loading it if needed.
    pub fn count_tokens(&self, text: &str) -> Result<usize> {
        self.with_model(|_, model| Ok(model.count_tokens(text)?))
    }

    /// Context window of the loaded model, loading it if needed.
    pub fn context_window(&self) -> Result<usize> {
        self.with_model(|_, model| Ok(model.context_window()))
    }

    /// Generates an answer to `turns`, on the record whatever the outcome: a `started` entry
    /// is written before the model sees the prompt and a `finished` one after, so that a call
    /// killed half-way is still on record. A call over today's quota is refused and recorded.
    pub fn complete(
        &self,
        turns: Vec<Turn>,
        options: &AskOptions,
        cancel: &CancelFlag,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<(Completion, ModelRecord)> {
        let app = if options.app.is_empty() {
            "unknown"
        } else {
            options.app.as_str()
        };
        let prompt: String = turns
            .iter()
            .map(|t| format!("{}\n{}\n", t.role.as_str(), t.content))
            .collect();
        // The level of what the model would see: what the caller knows of its sources, and
        // the prompt's own markings.
        let level = self.prompt_level(&turns, &options.level);
        let active = self.active_model();
        let model_name = active.as_ref().map(|r| r.name.clone()).unwrap_or_default();
        self.audited(
            app,
            self.check_quota(app)
                .and_then(|()| self.check_ceiling(app, &model_name, &level))
                .and_then(|()| match &active {
                    Ok(record) => self.check_server_ceiling(record, &level),
                    Err(_) => Ok(()),
                }),
        )?;
        let started_at = self.now();
        let timer = Instant::now();
        let sampling = self.sampling(options);
        let mut started = self.entry(EntryKind::Started, app);
        // The model about to answer (empty when none can be loaded): a file's SHA-256, or the
        // server it is on.
        started.model_sha256 = active
            .map(|r| match crate::remote::ServerSpec::of(&r) {
                Ok(spec) if r.is_remote() => format!(
                    "openai:{}#{}",
                    spec.urls.first().cloned().unwrap_or_default(),
                    spec.model_id.unwrap_or_default()
                ),
                _ => r.sha256,
            })
            .unwrap_or_default();
        started.level = level;
        started.prompt_sha256 = sha256_hex(prompt.as_bytes());
        if self.audit_full_text() {
            started.detail = serde_json::json!({ "prompt": prompt }).to_string();
        }
        let started_seq = self.record(&started)?;
        let result = self.with_model(|record, model| {
            // A grammar where the backend has none (an inference server other than
            // llama-server): the answer comes unconstrained and the caller's own checks, which
            // every answer passes anyway, decide what is kept. A JSON schema every backend has.
            let constraint = match &options.constraint {
                Constraint::Grammar(_) if !model.capabilities().grammar => Constraint::None,
                other => other.clone(),
            };
            let request = GenerationRequest {
                turns,
                sampling,
                constraint,
            };
            let result = model.generate(&request, cancel, on_text);
            for failover in model.take_failovers() {
                self.say_failover(&failover.down, &failover.next, &failover.reason);
            }
            let answered_by =
                Self::audit_model(record, &model.capabilities(), &model.metadata().name);
            Ok(result
                .map(|c| (c, record.clone(), answered_by))
                .map_err(|err| {
                    let partial = match &err {
                        wenshu_core::ModelError::Server { partial, .. } => partial.clone(),
                        _ => String::new(),
                    };
                    let mut err = AppError::from(err);
                    err.message = msg::in_model(&err.message, &record.name).text;
                    (err, partial)
                }))
        });
        let result = result
            .map_err(|err| (err, String::new()))
            .and_then(|inner| inner);
        let mut finished = AuditEntry {
            kind: EntryKind::Finished,
            at_ms: started_at,
            refers_to: Some(started_seq),
            prompt_sha256: started.prompt_sha256.clone(),
            ..started
        };
        finished.detail = "{}".to_string();
        finished.duration_ms = u64::try_from(timer.elapsed().as_millis()).unwrap_or(u64::MAX);
        match &result {
            Ok((c, _, answered_by)) => {
                finished.model_sha256.clone_from(answered_by);
                finished.prompt_tokens = u64::from(c.prompt_tokens);
                finished.completion_tokens = u64::from(c.completion_tokens);
                finished.outcome = Some(if c.stop == StopReason::Cancelled {
                    CallOutcome::Cancelled
                } else {
                    CallOutcome::Completed
                });
                finished.output_sha256 = sha256_hex(c.text.as_bytes());
                if self.audit_full_text() {
                    finished.detail = serde_json::json!({ "output": c.text }).to_string();
                }
            }
            Err((err, partial)) => {
                if !partial.is_empty() {
                    // What arrived before the server failed: the user saw it stream.
                    finished.output_sha256 = sha256_hex(partial.as_bytes());
                    if self.audit_full_text() {
                        finished.detail = serde_json::json!({ "partial": partial }).to_string();
                    }
                }
                // A model the policy does not allow is a refusal, not a failure.
                finished.outcome = Some(if err.code == ErrorCode::Policy {
                    CallOutcome::Refused
                } else {
                    CallOutcome::Failed
                });
                finished.error = Some(err.message.clone());
            }
        }
        self.record(&finished)?;
        result
            .map(|(c, record, _)| (c, record))
            .map_err(|(err, _)| err)
    }

    /// The settings' sampling with the overrides of `options`.
    fn sampling(&self, options: &AskOptions) -> Sampling {
        let mut sampling = self.settings().generation.clone();
        if let Some(t) = options.temperature {
            sampling.temperature = t;
        }
        if let Some(seed) = options.seed {
            sampling.seed = seed;
        }
        if let Some(max) = options.max_tokens {
            sampling.max_tokens = max;
        }
        // The limit on tokens per call, from the policy or the user's own limits.
        if let Some(limit) = self.limits().max_tokens_per_call {
            sampling.max_tokens = sampling
                .max_tokens
                .min(u32::try_from(limit).unwrap_or(u32::MAX));
        }
        sampling
    }
}
