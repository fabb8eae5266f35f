//! Long runs: minutes and summaries of inputs longer than the model's context. The input is cut
//! into pieces that fit ([`wenshu_core::pieces`]); each piece is read once (map), and the results
//! are merged in groups, level by level, until one is left (reduce).
//!
//! Every step's result is kept in the database as soon as it is done, keyed by the run (a hash
//! of the input, the settings, the prompts and the model), so a run stopped by Ctrl-C or 停止
//! picks up where it stopped with `resume` and redoes no finished step. Steps decode greedily,
//! and the runtime reuses only whole steps of its cache, so a resumed run gives the same result
//! as one that was never stopped.

use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wenshu_api::RunStats;
use wenshu_api::messages::minutes as msg;
use wenshu_core::pieces::{Block, Piece};
use wenshu_core::{CancelFlag, Constraint, Role, StopReason, Turn};

use crate::config::LongSettings;
use crate::error::{AppError, ErrorCode, Result};
use crate::models::sha256_hex;
use crate::{AskOptions, Wenshu};

/// Progress of a long run, for front ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LongEvent<'a> {
    /// `done` of `total` steps are done (pieces, then merges; the total grows as the merges
    /// become known), with the time the rest should take.
    Progress {
        done: usize,
        total: usize,
        level: usize,
        remaining_ms: Option<u64>,
    },
    /// Text the model produced in the current step.
    Text(&'a str),
}

/// Tokens beside a piece's text in a step's prompt that the estimate leaves for the chat
/// template and the numbering.
const TEMPLATE_ROOM: usize = 48;

/// One long run: its key, its kept results, its counters.
pub(crate) struct Run<'a> {
    pub wenshu: &'a Wenshu,
    cancel: &'a CancelFlag,
    key: String,
    app: String,
    system: Turn,
    pub settings: LongSettings,
    kept: HashMap<usize, HashMap<usize, String>>,
    resume: bool,
    pub stats: RunStats,
    done: usize,
    total: usize,
    /// Time and count of the steps computed in this run (not taken from the database).
    spent_ms: u64,
    computed: usize,
    started: Instant,
    pub model_name: String,
    pub model_sha256: String,
    /// The data level of the inputs: every call of the run is held against the ceilings with it.
    pub level: String,
}

impl<'a> Run<'a> {
    /// A run of `app` (for the audit log) whose results depend on `identity` (the input and
    /// whatever else decides the results: the caller's options and prompts) and on the model
    /// and its settings.
    pub fn new(
        wenshu: &'a Wenshu,
        cancel: &'a CancelFlag,
        app: &str,
        system: String,
        identity: &[&str],
        resume: bool,
    ) -> Result<Self> {
        let settings = wenshu.settings();
        let model = wenshu.active_model()?;
        let mut hashed = String::new();
        for part in identity {
            hashed.push_str(&sha256_hex(part.as_bytes()));
        }
        hashed.push_str(&system);
        hashed.push_str(&model.sha256);
        hashed.push_str(&serde_json::to_string(&settings.long).unwrap_or_default());
        hashed.push_str(&settings.model.context_tokens.to_string());
        let key = format!("{app}:{}", sha256_hex(hashed.as_bytes()));
        if !resume {
            wenshu.store().clear_partials(&key)?;
        }
        Ok(Self {
            wenshu,
            cancel,
            key,
            app: app.to_string(),
            system: Turn::new(Role::System, system),
            settings: settings.long.clone(),
            kept: HashMap::new(),
            resume,
            stats: RunStats::default(),
            done: 0,
            total: 0,
            spent_ms: 0,
            computed: 0,
            started: Instant::now(),
            model_name: model.name,
            model_sha256: model.sha256,
            level: String::new(),
        })
    }

    /// The most tokens of input a piece may have beside a prompt of `prompt_tokens` (the
    /// instructions with an empty piece): what the context leaves after the answer, capped by
    /// the settings.
    pub fn piece_budget(&self, prompt_tokens: usize) -> Result<usize> {
        let window = self.wenshu.context_window()?;
        let room = window
            .saturating_sub(prompt_tokens)
            .saturating_sub(self.settings.answer_tokens as usize)
            .saturating_sub(TEMPLATE_ROOM);
        let budget = room.min(self.settings.piece_tokens as usize);
        if budget < 128 {
            return Err(AppError::of(
                ErrorCode::PromptTooLong,
                msg::context_too_small(
                    window,
                    prompt_tokens + 128 + self.settings.answer_tokens as usize,
                ),
            ));
        }
        Ok(budget)
    }

    /// Cuts `blocks` into pieces of at most `budget` tokens, counted by the model's tokenizer
    /// (a text it cannot count counts as its bytes, more than its tokens).
    pub fn split(&self, blocks: &[Block<'_>], budget: usize) -> Vec<Piece> {
        let wenshu = self.wenshu;
        wenshu_core::pieces::split(blocks, budget, &|text: &str| {
            wenshu.count_tokens(text).unwrap_or(text.len())
        })
    }

    /// Declares `steps` more steps to come (the pieces, then each level's merges).
    pub fn expect(&mut self, steps: usize) {
        self.total += steps;
    }

    /// The time the steps left should take, from the pace of the steps computed so far.
    fn remaining_ms(&self) -> Option<u64> {
        (self.computed > 0).then(|| {
            let left = self.total.saturating_sub(self.done) as u64;
            self.spent_ms / self.computed as u64 * left
        })
    }

    fn kept(&mut self, level: usize, index: usize) -> Result<Option<String>> {
        if !self.resume {
            return Ok(None);
        }
        if !self.kept.contains_key(&level) {
            let rows = self.wenshu.store().partials(&self.key, level)?;
            self.kept.insert(level, rows.into_iter().collect());
        }
        Ok(self.kept.get(&level).and_then(|m| m.get(&index)).cloned())
    }

    /// Step `index` of `level`: its kept result when resuming, else `work`'s, which is kept as
    /// soon as it is done.
    pub fn step<T: Serialize + DeserializeOwned>(
        &mut self,
        level: usize,
        index: usize,
        on_event: &mut dyn FnMut(LongEvent<'_>),
        work: impl FnOnce(&mut Self, &mut dyn FnMut(LongEvent<'_>)) -> Result<T>,
    ) -> Result<T> {
        let kept = self
            .kept(level, index)?
            .and_then(|json| serde_json::from_str::<T>(&json).ok());
        let value = match kept {
            Some(value) => {
                if level == 0 {
                    self.stats.resumed += 1;
                }
                value
            }
            None => {
                let timer = Instant::now();
                let value = work(self, on_event)?;
                let json = serde_json::to_string(&value).map_err(|err| {
                    AppError::of(ErrorCode::Runtime, msg::cannot_keep(err.to_string()))
                })?;
                self.wenshu.store().put_partial(
                    &self.key,
                    level,
                    index,
                    &json,
                    self.wenshu.now(),
                )?;
                self.spent_ms += u64::try_from(timer.elapsed().as_millis()).unwrap_or(u64::MAX);
                self.computed += 1;
                value
            }
        };
        self.done += 1;
        on_event(LongEvent::Progress {
            done: self.done,
            total: self.total.max(self.done),
            level,
            remaining_ms: self.remaining_ms(),
        });
        Ok(value)
    }

    /// One model call under the run's system prompt, greedy, streamed to `on_event`. A
    /// cancelled call ends the run, keeping what is done.
    pub fn generate(
        &mut self,
        prompt: String,
        constraint: Constraint,
        on_event: &mut dyn FnMut(LongEvent<'_>),
    ) -> Result<String> {
        let options = AskOptions {
            system_prompt: None,
            temperature: Some(0.0),
            seed: Some(0),
            max_tokens: Some(self.settings.answer_tokens),
            constraint,
            app: self.app.clone(),
            level: self.level.clone(),
        };
        let mut text = String::new();
        let (completion, _) = self.wenshu.complete(
            vec![self.system.clone(), Turn::new(Role::User, prompt)],
            &options,
            self.cancel,
            &mut |piece| {
                text.push_str(piece);
                on_event(LongEvent::Text(piece));
            },
        )?;
        self.stats.prompt_tokens += u64::from(completion.prompt_tokens);
        self.stats.reused_tokens += u64::from(completion.reused_tokens);
        self.stats.completion_tokens += u64::from(completion.completion_tokens);
        if completion.stop == StopReason::Cancelled {
            return Err(AppError::of(
                ErrorCode::Cancelled,
                msg::stopped(self.done, self.total),
            ));
        }
        Ok(text)
    }

    /// Counts tokens with the model's tokenizer.
    pub fn count(&self, text: &str) -> Result<usize> {
        self.wenshu.count_tokens(text)
    }

    /// The run is done: its kept results are dropped and its numbers are final.
    pub fn finish(mut self) -> Result<RunStats> {
        self.wenshu.store().clear_partials(&self.key)?;
        self.stats.milliseconds =
            u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.stats.peak_rss_bytes = crate::models::peak_rss_bytes();
        Ok(self.stats)
    }
}
