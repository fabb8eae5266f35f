//! Metering: calls and tokens from the audit log, per day, per app and per model (可计量).

use wenshu_api::messages::models as msg;
pub use wenshu_api::{UsageInfo, UsageReport, UsageTable};
use wenshu_store::{UsageBy, UsageRow};

use crate::Wenshu;
use crate::error::{AppError, ErrorCode, Result};

fn usage_info(r: UsageRow) -> UsageInfo {
    UsageInfo {
        key: r.key,
        calls: r.calls,
        prompt_tokens: r.prompt_tokens,
        completion_tokens: r.completion_tokens,
    }
}

impl Wenshu {
    /// Usage over the last `days` days (today included).
    pub fn usage(&self, days: u32) -> Result<UsageReport> {
        // Days are counted in the zone of the settings (China time unless set otherwise).
        let zone = self.settings().ui.zone();
        let day_ms = 86_400_000_i64;
        let since_ms = zone.day_start_ms(self.now()) - i64::from(days.max(1) - 1) * day_ms;
        let rows = |by| -> Result<Vec<UsageInfo>> {
            Ok(self
                .store()
                .usage(by, since_ms)?
                .into_iter()
                .map(usage_info)
                .collect())
        };
        let names = self.store().models()?;
        let mut models = rows(UsageBy::Model)?;
        for m in &mut models {
            if let Some(record) = names.iter().find(|r| r.sha256 == m.key) {
                m.key = record.name.clone();
            } else if m.key.is_empty() {
                m.key = wenshu_api::messages::models::none_loaded().text;
            }
        }
        Ok(UsageReport {
            since_ms,
            days: rows(UsageBy::Day { zone })?,
            apps: rows(UsageBy::App)?,
            models,
        })
    }
}

/// A day as `YYYY-MM-DD` (or 2024/3/20, 2024年3月20日).
fn read_day(text: &str) -> Result<(i32, u32, u32)> {
    let date = wenshu_core::document::Date::parse(text.trim())
        .ok_or_else(|| AppError::of(ErrorCode::InvalidInput, msg::usage_bad_date(text)))?;
    Ok((
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    ))
}

impl Wenshu {
    /// The days from `from` to `to` (both counted; by default the last 30 days) in the
    /// settings' zone: their names (YYYY-MM-DD) and their span in Unix ms, end excluded.
    pub(crate) fn day_range(
        &self,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<((String, String), (i64, i64))> {
        let zone = self.settings().ui.zone();
        let day_ms = 86_400_000_i64;
        let today = zone.day_start_ms(self.now());
        let from_ms = match from {
            Some(text) => {
                let (y, m, d) = read_day(text)?;
                zone.date_start_ms(y, m, d)
            }
            None => today - 29 * day_ms,
        };
        let until_ms = match to {
            Some(text) => {
                let (y, m, d) = read_day(text)?;
                zone.date_start_ms(y, m, d) + day_ms
            }
            None => today + day_ms,
        };
        let (first, last) = (zone.day(from_ms), zone.day(until_ms - day_ms));
        if until_ms <= from_ms {
            return Err(AppError::of(
                ErrorCode::InvalidInput,
                msg::usage_reversed(first, last),
            ));
        }
        Ok(((first, last), (from_ms, until_ms)))
    }

    /// Usage from the day `from` to the day `to` (both counted; by default the last 30 days),
    /// grouped `by` user, app, model or day, in the settings' zone.
    pub fn usage_table(
        &self,
        by: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<UsageTable> {
        let zone = self.settings().ui.zone();
        let group = match by {
            "user" => UsageBy::User,
            "app" => UsageBy::App,
            "model" => UsageBy::Model,
            "day" => UsageBy::Day { zone },
            other => {
                return Err(AppError::of(
                    ErrorCode::InvalidInput,
                    msg::usage_bad_by(other),
                ));
            }
        };
        let ((first, last), (from_ms, until_ms)) = self.day_range(from, to)?;
        let mut rows: Vec<UsageInfo> = self
            .store()
            .usage_between(group, from_ms, until_ms)?
            .into_iter()
            .map(usage_info)
            .collect();
        if by == "model" {
            let names = self.store().models()?;
            for m in &mut rows {
                if let Some(record) = names.iter().find(|r| r.sha256 == m.key) {
                    m.key = record.name.clone();
                } else if m.key.is_empty() {
                    m.key = msg::none_loaded().text;
                }
            }
        }
        let total = UsageInfo {
            key: String::new(),
            calls: rows.iter().map(|r| r.calls).sum(),
            prompt_tokens: rows.iter().map(|r| r.prompt_tokens).sum(),
            completion_tokens: rows.iter().map(|r| r.completion_tokens).sum(),
        };
        Ok(UsageTable {
            by: by.to_string(),
            from: first,
            to: last,
            rows,
            total,
        })
    }
}
