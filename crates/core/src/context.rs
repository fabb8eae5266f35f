//! Fitting a conversation into a model's context window: the oldest turns go first, the system
//! prompt and the newest user turn never do.

use std::fmt;

use crate::chat::{Role, Turn};

/// The turns that will be sent, and what it took to get there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FittedPrompt {
    pub turns: Vec<Turn>,
    /// Tokens of the rendered prompt.
    pub prompt_tokens: usize,
    /// How many of the oldest turns were left out.
    pub dropped: usize,
}

/// Why a conversation could not be fitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FitError<E> {
    /// Even the system prompt with the newest turn alone is too long.
    TooLong { prompt_tokens: usize, limit: usize },
    /// Measuring the prompt failed.
    Measure(E),
}

impl<E: fmt::Display> fmt::Display for FitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FitError::TooLong {
                prompt_tokens,
                limit,
            } => {
                write!(
                    f,
                    "the prompt is {prompt_tokens} tokens, more than the {limit} that fit"
                )
            }
            FitError::Measure(err) => write!(f, "{err}"),
        }
    }
}

/// Drops the oldest non-system turns until `measure` says the prompt fits in `limit` tokens.
///
/// Turns are dropped so that the kept history starts with a user turn, keeping the
/// user/assistant alternation that chat templates expect.
pub fn fit_turns<E>(
    turns: &[Turn],
    limit: usize,
    mut measure: impl FnMut(&[Turn]) -> Result<usize, E>,
) -> Result<FittedPrompt, FitError<E>> {
    let leading_system = turns.iter().take_while(|t| t.role == Role::System).count();
    let (system, history) = turns.split_at(leading_system);
    let mut start = 0;
    loop {
        let mut candidate = Vec::with_capacity(system.len() + history.len() - start);
        candidate.extend_from_slice(system);
        candidate.extend_from_slice(&history[start..]);
        let prompt_tokens = measure(&candidate).map_err(FitError::Measure)?;
        if prompt_tokens <= limit {
            return Ok(FittedPrompt {
                turns: candidate,
                prompt_tokens,
                dropped: start,
            });
        }
        if history.len() - start <= 1 {
            return Err(FitError::TooLong {
                prompt_tokens,
                limit,
            });
        }
        start += 1;
        while start < history.len() - 1 && history[start].role != Role::User {
            start += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One token per character, plus four per turn for the template's markers.
    fn measure(turns: &[Turn]) -> Result<usize, ()> {
        Ok(turns.iter().map(|t| t.content.chars().count() + 4).sum())
    }

    fn conversation() -> Vec<Turn> {
        vec![
            Turn::system("你是助手"),
            Turn::user("第一问"),
            Turn::assistant("第一答"),
            Turn::user("第二问"),
            Turn::assistant("第二答"),
            Turn::user("第三问"),
        ]
    }

    #[test]
    fn fitting_conversation_is_unchanged() {
        let fitted = fit_turns(&conversation(), 1000, measure).expect("fits");
        assert_eq!(
            fitted.dropped, 0,
            "nothing should be dropped when everything fits"
        );
        assert_eq!(fitted.turns, conversation());
        assert_eq!(fitted.prompt_tokens, 8 + 5 * 7);
    }

    #[test]
    fn oldest_exchange_goes_first_and_system_stays() {
        // system 8 + 3 turns of 7 = 29: room for the last three turns only.
        let fitted = fit_turns(&conversation(), 29, measure).expect("fits after dropping");
        assert_eq!(
            fitted.dropped, 2,
            "the first question and answer are dropped together"
        );
        assert_eq!(
            fitted.turns[0],
            Turn::system("你是助手"),
            "the system prompt is never dropped"
        );
        assert_eq!(
            fitted.turns[1],
            Turn::user("第二问"),
            "history restarts at a user turn"
        );
        assert_eq!(fitted.turns.len(), 4);
    }

    #[test]
    fn history_never_starts_with_an_assistant_turn() {
        // 8 + 3 * 7 = 29 fits the last three; with limit 28 only system + last user fit.
        let fitted = fit_turns(&conversation(), 28, measure).expect("fits with last turn only");
        assert_eq!(
            fitted.turns,
            vec![Turn::system("你是助手"), Turn::user("第三问")]
        );
        assert_eq!(fitted.dropped, 4);
    }

    #[test]
    fn single_prompt_too_long_reports_both_numbers() {
        let turns = vec![Turn::system("规则"), Turn::user("很".repeat(100))];
        let err = fit_turns(&turns, 50, measure).expect_err("cannot fit");
        assert_eq!(
            err,
            FitError::TooLong {
                prompt_tokens: 6 + 104,
                limit: 50
            }
        );
    }
}
