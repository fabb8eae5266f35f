//! Data levels (数据分级): 公开, 内部 and 敏感 (or the names the policy gives them), below the
//! state secrets that are refused outright.
//!
//! A text's level comes from its markings (内部资料, 工作秘密★); a knowledge document's from its
//! pack's manifest or `kb add --level`, the policy's level for its folder and its markings,
//! whichever is highest. An output has the highest level of its inputs. Before any model call,
//! that level is held against the ceilings of the policy: the desktop's (`max_level`), the app's
//! and the model's. Data above a ceiling is refused, and the refusal recorded.

use wenshu_api::messages::policy as msg;
use wenshu_packs::LEVELS;

use crate::Wenshu;
use crate::error::{AppError, ErrorCode, Result};

impl Wenshu {
    /// The names of the three levels, lowest first: the policy's, else 公开, 内部, 敏感.
    pub fn level_names(&self) -> [String; 3] {
        self.policy()
            .and_then(|p| p.policy.level_names.clone())
            .unwrap_or_else(|| LEVELS.map(str::to_string))
    }

    /// The rank (0 to 2) of a level given by either of its names; `None` for an empty or unknown
    /// word.
    pub fn level_rank(&self, level: &str) -> Option<usize> {
        let level = level.trim();
        wenshu_packs::level_rank(level)
            .or_else(|| self.level_names().iter().position(|name| name == level))
    }

    /// The name of rank `rank`.
    pub fn level_name(&self, rank: usize) -> String {
        self.level_names()[rank.min(2)].clone()
    }

    /// The level of a text by its markings (公开 when it has none).
    pub fn text_level(&self, text: &str) -> usize {
        wenshu_core::text::data_marking_in(text).map_or(0, |m| m.rank)
    }

    /// The level of a prompt: the highest of what the caller knows of its sources (`given`)
    /// and the markings in its turns.
    pub(crate) fn prompt_level(&self, turns: &[wenshu_core::Turn], given: &str) -> String {
        let marked = turns
            .iter()
            .map(|t| self.text_level(&t.content))
            .max()
            .unwrap_or(0);
        self.highest_level([self.level_rank(given).unwrap_or(0), marked])
    }

    /// The highest of `ranks`, by name.
    pub(crate) fn highest_level(&self, ranks: impl IntoIterator<Item = usize>) -> String {
        self.level_name(ranks.into_iter().max().unwrap_or(0))
    }

    /// The floor the policy sets for files under a folder.
    pub(crate) fn folder_level(&self, path: &std::path::Path) -> usize {
        let Some(p) = self.policy() else {
            return 0;
        };
        p.policy
            .folder_levels
            .iter()
            .filter(|(folder, _)| path.starts_with(folder))
            .filter_map(|(_, level)| self.level_rank(level))
            .max()
            .unwrap_or(0)
    }

    /// Refuses data of `level` for `app` when it is above a ceiling of the policy: the
    /// desktop's, the app's, or the model's (`model`, by name; empty when none is known yet).
    pub(crate) fn check_ceiling(&self, app: &str, model: &str, level: &str) -> Result<()> {
        let Some(rank) = self.level_rank(level) else {
            return Ok(());
        };
        let Some(p) = self.policy() else {
            return Ok(());
        };
        let limits = self.limits();
        let ceilings = [
            (limits.max_level.clone(), msg::ceiling_desktop().text),
            (
                p.policy.app_ceilings.get(app).cloned(),
                msg::ceiling_app(app).text,
            ),
            (
                p.policy.model_ceilings.get(model).cloned(),
                msg::ceiling_model(model).text,
            ),
        ];
        for (ceiling, what) in ceilings {
            let Some(ceiling) = ceiling else { continue };
            if self.level_rank(&ceiling).is_some_and(|c| rank > c) {
                return Err(AppError::of(
                    ErrorCode::Policy,
                    msg::above_ceiling(self.level_name(rank), what, ceiling, p.label()),
                ));
            }
        }
        Ok(())
    }
}
