//! 审计与用量: tokens per day, per app and per model as bar charts, the audit log of every model
//! call, and its export.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::{fill, t};
use crate::ipc::{self, Filter};
use crate::{Screen, ctx};
use wenshu_api::command;
use wenshu_api::{AuditInfo, AuditVerifyInfo, QuotaInfo, UsageInfo, UsageReport};

/// Bar widths in percent of the largest total, for a chart of `rows`.
pub fn bar_widths(rows: &[UsageInfo]) -> Vec<f64> {
    let total = |u: &UsageInfo| (u.prompt_tokens + u.completion_tokens) as f64;
    let max = rows.iter().map(total).fold(0.0, f64::max);
    rows.iter()
        .map(|u| {
            if max > 0.0 {
                total(u) * 100.0 / max
            } else {
                0.0
            }
        })
        .collect()
}

fn chart(title: &'static str, id: &'static str, rows: Vec<UsageInfo>) -> impl IntoView {
    let widths = bar_widths(&rows);
    view! {
        <section class="chart" id=id>
            <h3>{title}</h3>
            {if rows.is_empty() {
                view! { <p class="muted">{t().no_usage}</p> }.into_any()
            } else {
                rows.into_iter()
                    .zip(widths)
                    .map(|(u, w)| {
                        let tokens = u.prompt_tokens + u.completion_tokens;
                        view! {
                            <div class="bar-row" title=format!(
                                "{}：{} {}，{} {}，{} {}",
                                u.key, t().calls, u.calls, t().prompt_tokens, u.prompt_tokens, t().completion_tokens, u.completion_tokens
                            )>
                                <span class="bar-key">{u.key.clone()}</span>
                                <span class="bar-track"><span class="bar-fill" style:width=format!("{w:.1}%")></span></span>
                                <span class="bar-value">{tokens}</span>
                            </div>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}

#[component]
pub fn AuditScreen() -> impl IntoView {
    let ctx = ctx();
    let days = RwSignal::new(7u32);
    let usage = RwSignal::new(None::<UsageReport>);
    let entries = RwSignal::new(Vec::<AuditInfo>::new());
    let quotas = RwSignal::new(Vec::<QuotaInfo>::new());
    let verified = RwSignal::new(None::<AuditVerifyInfo>);
    let reload = move || {
        let n = days.get_untracked();
        spawn_local(async move {
            match ipc::invoke(&command::Quotas {}).await {
                Ok(q) => quotas.set(q),
                Err(f) => ctx.fail(&f),
            }
            match ipc::invoke(&command::Usage { days: n }).await {
                Ok(u) => usage.set(Some(u)),
                Err(f) => ctx.fail(&f),
            }
            match ipc::invoke(&command::Audit { limit: 200 }).await {
                Ok(list) => entries.set(list),
                Err(f) => ctx.fail(&f),
            }
        });
    };
    Effect::new(move |_| {
        let _ = days.get();
        if ctx.screen.get() == Screen::Audit {
            reload();
        }
    });
    let export = move |_| {
        let home = ctx
            .status
            .get_untracked()
            .map(|s| s.documents_dir)
            .unwrap_or_default();
        spawn_local(async move {
            let filters = [Filter {
                name: "CSV",
                extensions: &["csv"],
            }];
            match ipc::pick_save(&format!("{home}/wenshu-audit.csv"), &filters).await {
                Ok(Some(path)) => {
                    let export = command::ExportAudit {
                        path: path.clone(),
                        format: "csv".into(),
                    };
                    match ipc::invoke(&export).await {
                        Ok(_) => ctx.ok(fill(t().saved_to, &[("path", path)])),
                        Err(f) => ctx.fail(&f),
                    }
                }
                Ok(None) => {}
                Err(f) => ctx.fail(&f),
            }
        });
    };
    let verify = move |_| {
        spawn_local(async move {
            match ipc::invoke(&command::AuditVerify {}).await {
                Ok(report) => verified.set(Some(report)),
                Err(f) => ctx.fail(&f),
            }
        });
    };
    let checkpoint_path = RwSignal::new(String::new());
    let checkpoint = move |_| {
        let home = ctx
            .status
            .get_untracked()
            .map(|s| s.documents_dir)
            .unwrap_or_default();
        let typed = checkpoint_path.get_untracked().trim().to_string();
        spawn_local(async move {
            let filters = [Filter {
                name: "JSON",
                extensions: &["json"],
            }];
            // A path typed in the field, else the save dialog.
            let chosen = if typed.is_empty() {
                ipc::pick_save(&format!("{home}/wenshu-audit-checkpoint.json"), &filters).await
            } else {
                Ok(Some(typed))
            };
            match chosen {
                Ok(Some(path)) => {
                    match ipc::invoke(&command::AuditCheckpoint { path: path.clone() }).await {
                        Ok(_) => ctx.ok(fill(t().saved_to, &[("path", path)])),
                        Err(f) => ctx.fail(&f),
                    }
                }
                Ok(None) => {}
                Err(f) => ctx.fail(&f),
            }
        });
    };

    view! {
        <header class="screen-head">
            <h1>{t().usage_title}</h1>
            <select
                id="usage-days"
                aria-label=t().usage_title
                prop:value=move || days.get().to_string()
                on:change=move |ev| days.set(event_target_value(&ev).parse().unwrap_or(7))
            >
                {[1u32, 7, 30, 365]
                    .into_iter()
                    .map(|n| view! { <option value=n.to_string()>{fill(t().last_days, &[("n", n.to_string())])}</option> })
                    .collect_view()}
            </select>
            <button on:click=move |_| reload()>{t().refresh}</button>
        </header>
        <div class="charts">
            {move || {
                usage
                    .get()
                    .map(|u| {
                        view! {
                            {chart(t().by_day, "usage-days-chart", u.days)}
                            {chart(t().by_app, "usage-apps-chart", u.apps)}
                            {chart(t().by_model, "usage-models-chart", u.models)}
                        }
                    })
            }}
        </div>
        <section class="chart" id="audit-quotas">
            <h3>{t().quotas_title}</h3>
            {move || {
                let list = quotas.get();
                if list.is_empty() {
                    view! { <p class="muted">{t().no_quotas}</p> }.into_any()
                } else {
                    list.into_iter()
                        .map(|q| {
                            let scope = if q.scope == "user" { t().quota_user } else { t().quota_app };
                            let width = if q.limit > 0 { (q.used as f64 * 100.0 / q.limit as f64).min(100.0) } else { 100.0 };
                            let class = if q.used >= q.limit { "bar-row over" } else { "bar-row" };
                            view! {
                                <div class=class>
                                    <span class="bar-key">{format!("{scope} {}", q.key)}</span>
                                    <span class="bar-track"><span class="bar-fill" style:width=format!("{width:.1}%")></span></span>
                                    <span class="bar-value">{format!("{} / {}", q.used, q.limit)}</span>
                                </div>
                            }
                        })
                        .collect_view()
                        .into_any()
                }
            }}
        </section>
        <header class="screen-head">
            <h2>{t().audit_title}</h2>
            <button id="audit-verify" on:click=verify>{t().audit_verify}</button>
            <input
                id="audit-checkpoint-path"
                placeholder=t().checkpoint_path_hint
                prop:value=move || checkpoint_path.get()
                on:input=move |ev| checkpoint_path.set(event_target_value(&ev))
            />
            <button id="audit-checkpoint" on:click=checkpoint>{t().audit_checkpoint}</button>
            <button id="audit-export" on:click=export>{t().export_csv}</button>
        </header>
        <p id="audit-verify-result" class=move || match verified.get() {
            Some(r) if r.ok => "verify ok",
            Some(_) => "verify bad",
            None => "verify",
        }>
            {move || verified.get().map(|r| r.message)}
        </p>
        <table class="audit">
            <thead>
                <tr>
                    <th>{t().time}</th>
                    <th>{t().user}</th>
                    <th>{t().app}</th>
                    <th>{t().level}</th>
                    <th>{t().audit_model}</th>
                    <th>{t().prompt_tokens}</th>
                    <th>{t().completion_tokens}</th>
                    <th>{t().duration}</th>
                    <th>{t().outcome}</th>
                </tr>
            </thead>
            <tbody id="audit-rows">
                {move || {
                    let zone = ctx.zone.get();
                    entries
                        .get()
                        .into_iter()
                        .map(move |e| {
                            view! {
                                <tr class=e.outcome.clone() title=e.error.clone().unwrap_or_default()>
                                    <td>{zone.format(e.started_at_ms)}</td>
                                    <td>{e.os_user.clone()}</td>
                                    <td>{e.app.clone()}</td>
                                    <td class="level">{e.level.clone()}</td>
                                    <td class="model">{shown_model(&e.model_sha256)}</td>
                                    <td>{e.prompt_tokens}</td>
                                    <td>{e.completion_tokens}</td>
                                    <td>{format!("{:.1} s", e.duration_ms as f64 / 1000.0)}</td>
                                    <td>{if e.outcome == "unfinished" { t().outcome_unfinished.to_string() } else { e.outcome.clone() }}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}

/// What answered, as the audit column shows it: a file's SHA-256 shortened, a server in full.
fn shown_model(model: &str) -> String {
    if model.starts_with("openai:") {
        model.trim_start_matches("openai:").to_string()
    } else {
        model.get(..12).unwrap_or(model).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_relative_to_the_largest_total() {
        let u = |key: &str, p: u64, c: u64| UsageInfo {
            key: key.into(),
            calls: 1,
            prompt_tokens: p,
            completion_tokens: c,
        };
        assert_eq!(bar_widths(&[u("a", 50, 50), u("b", 25, 0)]), [100.0, 25.0]);
        assert_eq!(bar_widths(&[u("a", 0, 0)]), [0.0]);
        assert!(bar_widths(&[]).is_empty());
    }
}
