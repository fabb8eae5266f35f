//! Metering: calls and tokens from the audit log, per day, per app and per model (可计量).

pub use wenshu_api::{UsageInfo, UsageReport};
use wenshu_store::{UsageBy, UsageRow};

use crate::Wenshu;
use crate::error::Result;

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

/// A CSV field, quoted when it must be.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

impl Wenshu {
    /// Writes the whole audit log, oldest first, as CSV (UTF-8 with a byte-order mark, so that
    /// spreadsheet programs read the Chinese correctly); returns the number of rows.
    pub fn export_audit(&self, path: &std::path::Path) -> Result<usize> {
        let mut rows = self.store().audit(i64::MAX as usize)?;
        rows.reverse();
        let mut out = String::from(
            "\u{feff}id,started_at_ms,os_user,model_sha256,app,prompt_tokens,completion_tokens,duration_ms,outcome,error\n",
        );
        for r in &rows {
            let e = &r.entry;
            let fields = [
                r.id.to_string(),
                e.started_at_ms.to_string(),
                csv_field(&e.os_user),
                e.model_sha256.clone(),
                csv_field(&e.app),
                e.prompt_tokens.to_string(),
                e.completion_tokens.to_string(),
                e.duration_ms.to_string(),
                e.outcome.as_str().to_string(),
                csv_field(e.error.as_deref().unwrap_or("")),
            ];
            out.push_str(&fields.join(","));
            out.push('\n');
        }
        crate::input::write_atomic(path, out.as_bytes())?;
        Ok(rows.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("cli.ask"), "cli.ask");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
