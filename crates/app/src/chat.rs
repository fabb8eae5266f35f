//! Conversations: a chat keeps its turns and stores each question and answer in history; one
//! question (`ask`) is a chat of one turn. The readers of the history live here too.

use std::time::Instant;

use wenshu_api::messages::{chat as msg, kb};
use wenshu_core::{CancelFlag, Role, StopReason, Turn};

use crate::error::{AppError, ErrorCode, Result};
use crate::{Answer, AskOptions, ConversationDetail, ConversationInfo, Wenshu};

impl Wenshu {
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
            .map(crate::report::conversation_info)
            .collect())
    }

    /// One conversation with all its messages.
    pub fn conversation(&self, id: i64) -> Result<ConversationDetail> {
        let summary = self
            .store
            .conversation(id)?
            .ok_or_else(|| AppError::of(ErrorCode::NotFound, msg::no_conversation(id)))?;
        let messages = self
            .store
            .messages(id)?
            .into_iter()
            .map(crate::report::message_info)
            .collect();
        Ok(ConversationDetail {
            conversation: crate::report::conversation_info(summary),
            messages,
        })
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

    /// A new conversation that opens with worked examples (a pack's few-shot pairs of question
    /// and answer): the model reads them before the question; history keeps only what is sent.
    pub fn with_examples(system_prompt: impl Into<String>, examples: &[(String, String)]) -> Self {
        Self {
            system_prompt: system_prompt.into(),
            turns: examples
                .iter()
                .flat_map(|(user, assistant)| {
                    [Turn::user(user.clone()), Turn::assistant(assistant.clone())]
                })
                .collect(),
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
            return Err(AppError::of(ErrorCode::InvalidInput, kb::empty_question()));
        }
        // Before the history or the model sees it.
        let app = if options.app.is_empty() {
            "unknown"
        } else {
            options.app.as_str()
        };
        wenshu.audited(
            app,
            crate::policy::refuse_state_secret(
                text,
                &wenshu_api::messages::policy::source_input().text,
            ),
        )?;
        let id = match self.conversation_id {
            Some(id) => id,
            None => {
                let title: String = text.chars().take(40).collect();
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
        let level = wenshu.prompt_level(&turns, &options.level);
        let mut streamed = String::new();
        let mut on_text = |piece: &str| {
            streamed.push_str(piece);
            on_text(piece);
        };
        let (completion, record) = match wenshu.complete(turns, options, cancel, &mut on_text) {
            Ok(done) => done,
            Err(err) => {
                // What a server sent before it failed stays in history, marked failed.
                if err.code == ErrorCode::Server && !streamed.is_empty() {
                    let model = wenshu.active_model().ok().map(|m| m.sha256);
                    wenshu.store().add_failed_message(
                        id,
                        &streamed,
                        model.as_deref(),
                        wenshu.now(),
                    )?;
                }
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
            level,
        })
    }
}
